// tests/sim/test_governors_baselines.cpp: DTM wrapper, per-application best static level and the tabular
// Q-learning governor on a small analytic island environment.
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include <l2s/dvfs/concepts.hpp>
#include <l2s/policy/fixed_level.hpp>
#include <l2s/policy/q_learning.hpp>
#include <l2s/search/static_level.hpp>
#include <l2s/sim/dtm.hpp>

namespace {
using namespace l2s;

/// One island, fixed-work intervals: time = cycles/f + memory time, power = C·V²f + I·V, an RC thermal node.
struct toy_island {
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    std::vector<double> freq_hz{0.5e9, 1.0e9, 1.5e9, 2.0e9};
    double cycles = 2e6, mem_s = 0.4e-3, c_f = 2e-9, leak_a = 0.2, r_k_per_w = 8.0, tau_s = 5e-3, amb_c = 45.0;
    std::size_t T = 200;
    observation_type o;
    double temp_c = 45.0;

    [[nodiscard]] double volt(std::size_t l) const { return 0.7 + 0.25 * freq_hz[l] / 1e9; }
    [[nodiscard]] double time(std::size_t l) const { return cycles / freq_hz[l] + mem_s; }
    [[nodiscard]] double power(std::size_t l) const { return c_f * volt(l) * volt(l) * freq_hz[l] + leak_a * volt(l); }

    const observation_type& reset(rng_type&) {
        o.resize(1);
        o.interval = 0;
        o.num_intervals = T;
        o.level[0] = 3;
        temp_c = amb_c;
        o.temp_c[0] = temp_c;
        return o;
    }
    dvfs::step_outcome step(const action_type& a) {
        const std::size_t l = a[0];
        const double t = time(l), p = power(l);
        const double tss = amb_c + r_k_per_w * p, start = temp_c;
        temp_c = tss + (temp_c - tss) * std::exp(-t / tau_s);
        o.level[0] = static_cast<level_t>(l);
        o.freq_hz[0] = freq_hz[l];
        o.utilisation[0] = (cycles / freq_hz[l]) / t;
        o.ipc[0] = 0.8;
        o.mem_per_instr[0] = 0.03;
        o.power_w[0] = p;
        o.temp_c[0] = temp_c;
        o.interval_time_s = t;
        ++o.interval;
        return {p * t, t, std::max(start, temp_c), o.interval >= T};
    }
    const observation_type& observe() const { return o; }
    std::size_t num_islands() const { return 1; }
    std::size_t num_levels(std::size_t) const { return freq_hz.size(); }
};
static_assert(Environment<toy_island>);

template <class P>
dvfs::sequence_score rollout(toy_island& env, P& p, std::uint64_t seed = 1) {
    rng_type rng(seed);
    dvfs::action a(1);
    dvfs::sequence_score s;
    const auto* o = &env.reset(rng);
    if constexpr (requires { p.reset(); }) p.reset();
    for (std::size_t t = 0; t < env.T; ++t) {
        p.act(*o, a);
        const auto r = env.step(a);
        if constexpr (requires { p.observe(*o, a, r); }) p.observe(env.observe(), a, r);
        s.energy_j += r.energy_j;
        s.time_s += r.time_s;
        s.peak_temp_c = std::max(s.peak_temp_c, r.peak_temp_c);
        o = &env.observe();
    }
    return s;
}

/// Evaluator over K independent toy islands whose score adds up; an island's term depends on its level only.
struct toy_evaluator {
    std::vector<toy_island> islands;
    std::size_t T = 10;
    std::size_t calls = 0;
    dvfs::sequence_score evaluate(const vf_sequence& y) {
        ++calls;
        dvfs::sequence_score s;
        for (std::size_t t = 0; t < T; ++t) {
            double tmax = 0.0;
            for (std::size_t k = 0; k < islands.size(); ++k) {
                const std::size_t l = y(t, k);
                s.energy_j += islands[k].power(l) * islands[k].time(l);
                tmax = std::max(tmax, islands[k].time(l));
            }
            s.time_s += tmax;
        }
        return s;
    }
    std::size_t num_intervals() const { return T; }
    std::size_t num_islands() const { return islands.size(); }
    std::size_t num_levels(std::size_t k) const { return islands[k].freq_hz.size(); }
};
static_assert(Evaluator<toy_evaluator>);
}  // namespace

TEST_CASE("dtm: throttles above the critical temperature and releases below critical - hysteresis") {
    toy_island env;
    env.r_k_per_w = 8.0;  // the top level heats towards 45 + 8·P(top) ≈ 93 °C
    REQUIRE(env.amb_c + env.r_k_per_w * env.power(3) > 85.0);
    auto perf = policy::fixed_level::max({4});
    const auto hot = rollout(env, perf);
    CHECK(hot.peak_temp_c > 85.0);
    sim::dtm guarded(policy::fixed_level::max({4}), {.critical_temp_c = 80.0, .hysteresis_k = 5.0});
    const auto cool = rollout(env, guarded);
    CHECK(guarded.throttled_intervals() > 0);
    CHECK(cool.peak_temp_c < hot.peak_temp_c);
    CHECK(cool.peak_temp_c < 84.0);  // one interval of overshoot at most (≈ 3 K)
    CHECK(cool.time_s > hot.time_s);
    // Hysteresis: after a trip the island stays at level 0 until it is below 75 °C.
    rng_type rng(0);
    dvfs::action a(1);
    dvfs::observation o = env.reset(rng);
    guarded.reset();
    o.temp_c[0] = 81.0;
    guarded.act(o, a);
    CHECK(a[0] == 0);
    o.temp_c[0] = 77.0;
    guarded.act(o, a);
    CHECK(a[0] == 0);
    o.temp_c[0] = 74.9;
    guarded.act(o, a);
    CHECK(a[0] == 3);
    CHECK_THROWS_AS(sim::dtm(policy::fixed_level::max({4}), {.hysteresis_k = -1.0}), invalid_config);
}

TEST_CASE("best_static_level: exhaustive and uniform searches find the analytic optimum") {
    toy_evaluator ev;
    ev.islands.resize(2);
    ev.islands[1].mem_s = 2e-3;  // a memory-bound island: a lower level costs it little time
    // Energy only: each island independently minimises P·t over its levels.
    auto energy = [](const dvfs::sequence_score& s) { return s.energy_j; };
    std::vector<level_t> expect;
    for (const auto& isl : ev.islands) {
        std::size_t arg = 0;
        for (std::size_t l = 1; l < 4; ++l)
            if (isl.power(l) * isl.time(l) < isl.power(arg) * isl.time(arg)) arg = l;
        expect.push_back(static_cast<level_t>(arg));
    }
    const auto r = search::best_static_level(ev, energy);
    CHECK(r.levels == expect);
    CHECK(r.evaluations == 16);
    const auto u = search::best_static_level(ev, energy, {.max_combinations = 0});
    CHECK(u.evaluations == 4);
    CHECK(u.objective >= r.objective);
    const auto e = search::best_static_level(ev);  // EDP
    CHECK(e.objective == doctest::Approx(e.score.edp()));
    toy_evaluator empty;
    CHECK_THROWS_AS((void)search::best_static_level(empty), invalid_argument);
}

TEST_CASE("q_learning: a learning policy that is seeded, validated, and learns a near-best level") {
    static_assert(LearningPolicyFor<policy::q_learning, toy_island>);
    static_assert(LearningPolicyFor<sim::dtm<policy::q_learning>, toy_island>);
    toy_island env;
    // Best static level by EDP of the whole run (same power and time every interval).
    double best = std::numeric_limits<double>::infinity(), worst = 0.0;
    for (std::size_t l = 0; l < 4; ++l) {
        const double edp = env.power(l) * env.time(l) * std::pow(env.T * env.time(l), 1.0) * static_cast<double>(env.T);
        best = std::min(best, edp);
        worst = std::max(worst, edp);
    }
    policy::q_learning q({4}, {.slowdown_budget = 10.0, .seed = 7});
    for (int ep = 0; ep < 60; ++ep) rollout(env, q);
    CHECK(q.updates() == 60 * env.T);
    CHECK(q.epsilon() == doctest::Approx(0.01));
    q.set_greedy(true);
    const auto s = rollout(env, q);
    CHECK(s.edp() <= best * 1.10);
    CHECK(s.edp() < worst);
    // Same seed, same table and decisions.
    policy::q_learning q2({4}, {.slowdown_budget = 10.0, .seed = 7});
    for (int ep = 0; ep < 60; ++ep) rollout(env, q2);
    q2.set_greedy(true);
    CHECK(rollout(env, q2).edp() == s.edp());
    CHECK(q2.q_value(0, 0, 1) == q.q_value(0, 0, 1));
    q2.clear();
    CHECK(q2.updates() == 0);
    CHECK_THROWS_WITH_AS(policy::q_learning({4}, {.discount = 1.0}), doctest::Contains("l2s::policy::q_learning: discount"), invalid_config);
    CHECK_THROWS_AS(policy::q_learning({}, {}), invalid_config);
    CHECK_THROWS_AS(policy::q_learning({4}, {.epsilon_min = 0.5}), invalid_config);
}
