// tests/search/test_model_evaluator.cpp: sequences scored by learned models agree with the simulator's
// ranking, and a search on the models finds sequences that are good when replayed in the simulator.
#include <doctest/doctest.h>

#include <memory>
#include <random>

#include <l2s/online/island_models.hpp>
#include <l2s/search.hpp>
#include <l2s/sim.hpp>

using namespace l2s;

namespace {
struct fixture {
    std::shared_ptr<const sim::simulator> sim;
    std::vector<std::size_t> levels;
    std::vector<std::vector<double>> f, v;
    fixture() {
        const auto p = sim::sniper_manycore(16, 4, 8);
        sim = std::make_shared<const sim::simulator>(p, sim::parsec_workload("facesim", 4, {.intervals = 60}));
        for (std::size_t k = 0; k < 4; ++k) {
            levels.push_back(8);
            f.emplace_back();
            v.emplace_back();
            for (const auto& o : p.islands[k].opps) {
                f.back().push_back(o.freq_hz);
                v.back().push_back(o.volt_v);
            }
        }
    }
};
vf_sequence random_sequence(rng_type& rng, std::size_t T, std::size_t K, int lo = 0) {
    std::uniform_int_distribution<int> u(lo, 7);
    vf_sequence y({T, K});
    for (auto& x : y) x = static_cast<level_t>(u(rng));
    return y;
}
}  // namespace

TEST_CASE("model_evaluator: learned models rank sequences like the simulator and guide search") {
    fixture fx;
    sim::sequence_evaluator ev(fx.sim);
    rng_type rng(11);
    // training data: a profiling run at the top levels supplies the work of each interval; training runs at
    // random levels supply (work, start temperature, action, measured outcome)
    const auto work = ev.interval_observations(sim::all_max_sequence(*fx.sim));
    std::vector<vf_sequence> seqs;
    std::vector<std::vector<dvfs::observation>> before, after;
    for (int r = 0; r < 6; ++r) {
        seqs.push_back(random_sequence(rng, 60, 4));
        before.push_back(ev.observations(seqs.back()));
        after.push_back(ev.interval_observations(seqs.back()));
    }
    std::vector<dvfs::action> acts;
    for (const auto& y : seqs)
        for (std::size_t t = 0; t < 60; ++t)
            acts.emplace_back(y.begin() + static_cast<std::ptrdiff_t>(t * 4), y.begin() + static_cast<std::ptrdiff_t>((t + 1) * 4));
    std::vector<search::model_sample> samples;
    for (std::size_t r = 0, i = 0; r < seqs.size(); ++r)
        for (std::size_t t = 0; t < 60; ++t, ++i) samples.push_back({&work[t], &before[r][t], &acts[i], &after[r][t]});
    online::island_models models(fx.f, fx.v);
    CHECK(search::train_models(models, samples) == samples.size());
    const auto thermal = search::fit_linear_thermal(samples, 4);
    search::model_evaluator mev(work, models, fx.levels, thermal,
                                {.transition_latency_s = std::vector<double>(4, fx.sim->chip().islands[0].transition_latency_s)});
    static_assert(Evaluator<search::model_evaluator<online::island_models>>);

    std::vector<vf_sequence> candidates;
    for (int i = 0; i < 40; ++i) candidates.push_back(random_sequence(rng, 60, 4, 2));
    const auto agree = search::compare_rankings(mev, ev, candidates, [](const dvfs::sequence_score& s) { return s.edp(); });
    MESSAGE("Kendall tau " << agree.kendall_tau << ", pairwise " << agree.pairwise << ", regret " << agree.regret_of_a_under_b);
    CHECK(agree.kendall_tau > 0.6);
    CHECK(agree.regret_of_a_under_b < 0.05);

    // greedy on the models, replayed in the simulator, against greedy on the simulator
    const search::greedy g({.obj = {}, .sweeps = 1});
    const auto on_models = g.search(mev, vf_sequence{}, {}, rng);
    const auto on_sim = g.search(ev, vf_sequence{}, {}, rng);
    const auto replay = ev.evaluate(on_models.best);
    MESSAGE("model-selected EDP / simulator-selected EDP = " << replay.edp() / on_sim.score.edp()
                                                            << ", slowdown " << replay.slowdown(ev.reference().time_s));
    CHECK(replay.edp() < ev.reference().edp());
    CHECK(replay.edp() / on_sim.score.edp() < 1.1);
}

TEST_CASE("model_evaluator: bad construction and bad sequences are rejected") {
    fixture fx;
    sim::sequence_evaluator ev(fx.sim);
    const auto work = ev.interval_observations(sim::all_max_sequence(*fx.sim));
    online::island_models models(fx.f, fx.v);
    search::linear_thermal_model th{{0.9, 0.9, 0.9, 0.9}, {0.1, 0.1, 0.1, 0.1}, {5, 5, 5, 5}};
    CHECK_THROWS_AS(search::model_evaluator(std::vector<dvfs::observation>{}, models, fx.levels, th), invalid_config);
    CHECK_THROWS_AS(search::model_evaluator(work, models, std::vector<std::size_t>{8, 8}, th), dimension_mismatch);
    CHECK_THROWS_AS(search::model_evaluator(work, models, fx.levels, th, {.wait_power_fraction = 2.0}), invalid_config);
    search::model_evaluator mev(work, models, fx.levels, th);
    vf_sequence y({work.size(), 4});
    y.fill(3);
    const auto s = mev.evaluate(y);
    CHECK_THROWS_AS((void)mev.evaluate(vf_sequence({work.size(), 3})), dimension_mismatch);
    y(0, 0) = 8;
    CHECK_THROWS_AS((void)mev.evaluate(y), invalid_argument);
    y(0, 0) = 3;
    CHECK(mev.evaluate(y).energy_j == s.energy_j);
    std::vector<search::model_sample> few;
    CHECK_THROWS_AS((void)search::fit_linear_thermal(few, 4), invalid_argument);
    std::vector<vf_sequence> one{y};
    CHECK_THROWS_AS((void)search::compare_rankings(mev, ev, one, [](const dvfs::sequence_score& x) { return x.edp(); }),
                    invalid_argument);
}
