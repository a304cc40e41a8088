// tests/sim/test_lookahead_model.cpp: the simulator's exact next-interval costs as a PowerPerformanceModel.
#include <doctest/doctest.h>

#include <l2s/sim.hpp>

using namespace l2s;

namespace {
std::shared_ptr<const sim::simulator> small_sim(std::size_t T = 40) {
    const auto chip = sim::builtin_platform("sniper_manycore_16");
    return std::make_shared<const sim::simulator>(chip, sim::parsec_workload("streamcluster", chip.num_islands(),
                                                                             {.intervals = T, .seed = 3}));
}
}  // namespace

TEST_CASE("lookahead_model: with the levels kept, its estimates are the next interval's time and energy") {
    const auto s = small_sim();
    sim::dvfs_env env(s);
    sim::lookahead_model m(s);
    rng_type rng(1);
    const std::size_t K = env.num_islands();
    dvfs::observation obs = env.reset(rng);
    dvfs::action a(K);
    for (std::size_t k = 0; k < K; ++k) a[k] = level_t(env.num_levels(k) - 1);
    std::size_t checked = 0;
    for (std::size_t t = 0; !env.done(); ++t) {
        if (t % 5 == 4)  // change levels now and then; between changes the levels are kept
            for (std::size_t k = 0; k < K; ++k) a[k] = level_t((t / 5 + k) % env.num_levels(k));
        const bool kept = t % 5 != 4 && t > 0;
        double tmax = 0.0, psum = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
            const auto e = m.estimate(obs, k, a[k]);
            tmax = std::max(tmax, e.time_s);
            psum += e.power_w;
        }
        const auto before = obs;
        const auto r = env.step(a);
        if (kept) {
            CHECK(tmax == doctest::Approx(r.time_s).epsilon(1e-12));
            CHECK(psum * r.time_s == doctest::Approx(r.energy_j).epsilon(1e-12));
            ++checked;
        }
        obs = env.observe();
        m.update(before, a, obs);
        CHECK(m.interval() == t + 1);
    }
    CHECK(checked > 20);
    // past the end there is nothing to simulate
    CHECK(m.estimate(obs, 0, 0).time_s == 0.0);
}

TEST_CASE("lookahead_model: a lower level costs time and saves power; a new episode resets it") {
    const auto s = small_sim();
    sim::lookahead_model m(s), fresh(s);
    dvfs::observation o;
    const auto hi = m.estimate(o, 0, level_t(s->num_levels(0) - 1)), lo = m.estimate(o, 0, 0);
    CHECK(lo.time_s > hi.time_s);
    CHECK(lo.power_w < hi.power_w);
    dvfs::action a(s->num_islands(), 0);
    dvfs::observation before, after;
    after.interval = 1;
    m.update(before, a, after);
    m.update(before, a, after);
    CHECK(m.interval() == 2);
    after.interval = 0;  // a new episode
    m.update(before, a, after);
    CHECK(m.interval() == 0);
    CHECK(m.estimate(o, 1, 2).time_s == fresh.estimate(o, 1, 2).time_s);
    CHECK(m.estimate(o, 1, 2).power_w == fresh.estimate(o, 1, 2).power_w);
}

TEST_CASE("lookahead_model: bad input is a typed error and leaves the state as it was") {
    CHECK_THROWS_WITH_AS(sim::lookahead_model(nullptr), doctest::Contains("l2s::sim::lookahead_model"), invalid_argument);
    const auto s = small_sim();
    sim::lookahead_model m(s);
    dvfs::observation before, after;
    after.interval = 1;
    m.update(before, dvfs::action(s->num_islands(), 0), after);
    const auto e = m.estimate(before, 0, 1);
    CHECK_THROWS_WITH_AS(m.update(before, dvfs::action(2, 0), after),
                         doctest::Contains("l2s::sim::lookahead_model::update"), dimension_mismatch);
    dvfs::action bad(s->num_islands(), 0);
    bad[1] = 200;
    CHECK_THROWS_AS(m.update(before, bad, after), invalid_argument);
    CHECK(m.interval() == 1);
    CHECK(m.estimate(before, 0, 1).time_s == e.time_s);
}
