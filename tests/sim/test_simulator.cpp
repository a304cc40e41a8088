// tests/sim/test_simulator.cpp: the simulator's models against closed forms, couplings, transitions,
// incremental re-evaluation, the environment, determinism and bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <random>
#include <thread>

#include <l2s/policy/fixed_level.hpp>
#include <l2s/sim.hpp>

#include "toy_chip.hpp"

using namespace l2s;
using doctest::Approx;
using l2s::test::exact_cfg;
using l2s::test::toy_platform;

namespace {

sim::workload one_phase(std::size_t islands, sim::phase ph, std::size_t T) {
    ph.intervals = T;
    sim::workload w;
    w.name = "one_phase";
    w.islands.assign(islands, {ph});
    return w;
}


vf_sequence constant(std::size_t T, std::size_t K, level_t l) {
    vf_sequence y({T, K});
    y.fill(l);
    return y;
}

}  // namespace

TEST_CASE("simulator: power and time of a compute-bound phase by hand") {
    const sim::phase compute{.cpi_core = 1.0, .mem_per_instr = 0.0, .activity = 1.0, .active_fraction = 1.0};
    sim::sequence_evaluator ev(toy_platform(), one_phase(1, compute, 10), exact_cfg());
    // top level: each interval holds 1 ms of work at 2 GHz: 2e6 instructions per core.
    const auto top = ev.evaluate(constant(10, 1, 1));
    CHECK(top.time_s == Approx(10e-3));
    // P = (2 cores · 100 pF + 50 pF) · 1.2² · 2 GHz = 0.72 W.
    CHECK(top.energy_j == Approx(0.72 * 10e-3));
    CHECK(top.transitions == 0);
    // level 0: 1 GHz, 1 V: twice the time, P = 250 pF · 1 · 1e9 = 0.25 W.
    const auto low = ev.evaluate(constant(10, 1, 0));
    CHECK(low.time_s == Approx(20e-3));
    CHECK(low.energy_j == Approx(0.25 * 20e-3));
    CHECK(low.transitions == 1);  // from the top level the chip starts at
    CHECK(ev.reference().time_s == Approx(10e-3));
}

TEST_CASE("simulator: memory time does not scale with frequency") {
    // cpi 0.1, 10 accesses per 1000 instructions at 100 ns: memory dominates.
    const sim::phase mem{.cpi_core = 0.1, .mem_per_instr = 0.01, .t_mem_s = 100e-9, .activity = 0.5};
    sim::sequence_evaluator ev(toy_platform(), one_phase(1, mem, 20), exact_cfg());
    const double t_top = ev.evaluate(constant(20, 1, 1)).time_s, t_low = ev.evaluate(constant(20, 1, 0)).time_s;
    // per instruction: 0.1/f + 1 ns; ratio (0.1 + 1) / (0.05 + 1)
    CHECK(t_low / t_top == Approx((0.1 + 1.0) / (0.05 + 1.0)).epsilon(1e-9));
}

TEST_CASE("simulator: thermal step is the exact exponential, steady state T_amb + P(R_i + R_p)") {
    const sim::phase compute{.cpi_core = 1.0};
    SUBCASE("one interval, package frozen") {
        auto p = toy_platform();
        sim::simulator s(p, one_phase(1, compute, 1), exact_cfg());
        sim::sim_state st = s.initial_state();
        const level_t top = 1;
        const auto r = s.step(st, &top);
        const double P = 0.72, tss = 45.0 + 2.0 * P, tau = 2.0 * 1e-3;
        CHECK(st.temp_c[0] == Approx(tss + (45.0 - tss) * std::exp(-r.time_s / tau)).epsilon(1e-12));
        CHECK(r.peak_temp_c == Approx(st.temp_c[0]));
    }
    SUBCASE("long run with a small package") {
        auto p = toy_platform();
        p.thermal.package_c_j_per_k = 0.005;  // τ_p = 50 ms
        p.thermal.package_r_k_per_w = 10.0;
        p.thermal.t_max_c = 200.0;
        sim::simulator s(p, one_phase(1, compute, 3000), exact_cfg());
        sim::sim_state st = s.initial_state();
        const level_t top = 1;
        for (int t = 0; t < 3000; ++t) (void)s.step(st, &top);
        CHECK(st.package_c == Approx(45.0 + 0.72 * 10.0).epsilon(1e-4));
        CHECK(st.temp_c[0] == Approx(45.0 + 0.72 * (10.0 + 2.0)).epsilon(1e-4));
    }
}

TEST_CASE("simulator: islands are coupled through the barrier and through memory bandwidth") {
    SUBCASE("barrier: a slow island delays the other, whose utilisation falls") {
        const sim::phase compute{.cpi_core = 1.0};
        auto sim = std::make_shared<const sim::simulator>(toy_platform(2), one_phase(2, compute, 5), exact_cfg());
        sim::sequence_evaluator ev(sim);
        vf_sequence y = constant(5, 2, 1);
        const double both_top = ev.evaluate(y).time_s;
        for (std::size_t t = 0; t < 5; ++t) y(t, 0) = 0;
        CHECK(ev.evaluate(y).time_s == Approx(2.0 * both_top));
        const auto obs = ev.observations(y);
        CHECK(obs[2].utilisation[1] == Approx(0.5));
        CHECK(obs[2].utilisation[0] == Approx(1.0));
    }
    SUBCASE("bandwidth: one island's traffic slows the other's memory time") {
        const sim::phase mem{.cpi_core = 0.2, .mem_per_instr = 0.02, .t_mem_s = 80e-9, .activity = 0.5};
        auto p = toy_platform(2, 4);
        p.mem_bandwidth_accesses_per_s = 2e8;
        auto cfg = exact_cfg();
        cfg.contention = true;
        sim::sequence_evaluator ev(p, one_phase(2, mem, 30), cfg);
        vf_sequence y = constant(30, 2, 1);
        for (std::size_t t = 0; t < 30; ++t) y(t, 0) = 0;  // island 0 slow: less traffic per second
        const auto obs_low = ev.observations(y);
        const auto obs_top = ev.observations(constant(30, 2, 1));
        // island 1 runs at the top level in both; its busy time is shorter when island 0 generates less traffic
        CHECK(obs_low[20].busy_time_s[1] < obs_top[20].busy_time_s[1]);
        cfg.contention = false;
        sim::sequence_evaluator free(p, one_phase(2, mem, 30), cfg);
        CHECK(free.evaluate(constant(30, 2, 1)).time_s < ev.evaluate(constant(30, 2, 1)).time_s);
    }
}

TEST_CASE("simulator: DVFS transitions cost time and energy") {
    const sim::phase compute{.cpi_core = 1.0};
    const std::size_t T = 40;
    sim::sequence_evaluator ev(toy_platform(1, 2, 100e-6), one_phase(1, compute, T), exact_cfg());
    vf_sequence alt({T, 1});
    for (std::size_t t = 0; t < T; ++t) alt(t, 0) = static_cast<level_t>(t % 2);
    const auto a = ev.evaluate(alt);
    const auto hi = ev.evaluate(constant(T, 1, 1)), lo = ev.evaluate(constant(T, 1, 0));
    CHECK(a.transitions == T);
    // without switching costs the alternating run would take the mean of the two static runs (lo pays one switch)
    CHECK(a.time_s > 0.5 * (hi.time_s + lo.time_s) + 0.5 * T * 100e-6 * 0.99);
    CHECK(a.energy_j > 0.5 * (hi.energy_j + lo.energy_j));
}

TEST_CASE("sequence_evaluator: reevaluate from the first changed interval equals a full evaluate, bit for bit") {
    const auto p = sim::sniper_manycore(16, 4, 8);
    rng_type rng(3);
    const auto w = sim::synthetic_workload(sim::synthetic_kind::phase_alternating, p.num_islands(), rng,
                                           {.intervals = 120, .min_dwell = 5, .max_dwell = 30});
    auto sim = std::make_shared<const sim::simulator>(p, w);
    sim::sequence_evaluator inc(sim), full(sim);
    std::uniform_int_distribution<int> lv(0, 7), tt(0, 119), kk(0, 3);
    vf_sequence y({120, 4});
    for (auto& v : y) v = static_cast<level_t>(lv(rng));
    (void)inc.evaluate(y);
    for (int trial = 0; trial < 40; ++trial) {
        const std::size_t t0 = static_cast<std::size_t>(tt(rng));
        y(t0, static_cast<std::size_t>(kk(rng))) = static_cast<level_t>(lv(rng));
        if (trial % 3 == 0 && t0 + 7 < 120) y(t0 + 7, 0) = static_cast<level_t>(lv(rng));
        const auto a = inc.reevaluate(y, t0), b = full.evaluate(y);
        CHECK(a.energy_j == b.energy_j);
        CHECK(a.time_s == b.time_s);
        CHECK(a.peak_temp_c == b.peak_temp_c);
        CHECK(a.transitions == b.transitions);
        CHECK(a.time_over_limit_s == b.time_over_limit_s);
    }
    CHECK(inc.intervals_simulated() < full.intervals_simulated());
}

TEST_CASE("dvfs_env: a rollout of a fixed level equals the evaluator's score; noise is seeded") {
    const auto p = sim::sniper_manycore(16, 4, 8);
    const auto w = sim::parsec_workload("streamcluster", 4, {.intervals = 50});
    auto sim = std::make_shared<const sim::simulator>(p, w);
    sim::dvfs_env env(sim);
    sim::sequence_evaluator ev(sim);
    policy::fixed_level pol(std::vector<level_t>(4, 5), std::vector<std::size_t>(4, 8));
    rng_type rng(1);
    const auto r = sim::rollout(env, pol, rng);
    const auto s = ev.evaluate(constant(50, 4, 5));
    CHECK(r.score.energy_j == Approx(s.energy_j).epsilon(1e-12));
    CHECK(r.score.time_s == Approx(s.time_s).epsilon(1e-12));
    CHECK(r.slowdown == Approx(s.slowdown(ev.reference().time_s)));
    CHECK(r.levels == constant(50, 4, 5));

    sim::sim_config noisy;
    noisy.noise_sd = 0.05;
    noisy.temp_noise_sd_c = 0.5;
    sim::dvfs_env a(p, w, noisy), b(p, w, noisy);
    rng_type r1(9), r2(9), r3(10);
    (void)a.reset(r1);
    (void)b.reset(r2);
    const dvfs::action act(4, 3);
    (void)a.step(act);
    (void)b.step(act);
    CHECK(a.observe().power_w == b.observe().power_w);
    (void)b.reset(r3);
    (void)b.step(act);
    CHECK(a.observe().power_w != b.observe().power_w);
}

TEST_CASE("dvfs_env: bad actions are rejected and leave the environment unchanged") {
    sim::dvfs_env env(toy_platform(2), one_phase(2, sim::phase{}, 3), exact_cfg());
    rng_type rng(1);
    (void)env.reset(rng);
    (void)env.step(dvfs::action{1, 1});
    const auto before = env.observe();
    const auto score = env.score();
    CHECK_THROWS_AS(env.step(dvfs::action{1}), dimension_mismatch);
    CHECK_THROWS_AS(env.step(dvfs::action{1, 2}), invalid_argument);
    CHECK(env.observe().power_w == before.power_w);
    CHECK(env.observe().interval == before.interval);
    CHECK(env.score().energy_j == score.energy_j);
    (void)env.step(dvfs::action{0, 1});
    const auto out = env.step(dvfs::action{0, 1});
    CHECK(out.done);
    CHECK_THROWS_WITH_AS(env.step(dvfs::action{0, 1}), doctest::Contains("l2s::sim::dvfs_env::step"), invalid_argument);
}

TEST_CASE("sequence_evaluator: bad sequences are rejected before anything changes") {
    sim::sequence_evaluator ev(toy_platform(2), one_phase(2, sim::phase{}, 4), exact_cfg());
    const auto good = ev.evaluate(constant(4, 2, 0));
    CHECK_THROWS_AS((void)ev.evaluate(constant(3, 2, 0)), dimension_mismatch);
    CHECK_THROWS_AS((void)ev.evaluate(constant(4, 2, 2)), invalid_argument);
    CHECK_THROWS_AS((void)ev.reevaluate(constant(4, 2, 0), 5), invalid_argument);
    const auto again = ev.reevaluate(constant(4, 2, 0), 2);
    CHECK(again.energy_j == good.energy_j);
}

TEST_CASE("platform and workload validation name the field") {
    auto p = toy_platform(2);
    p.islands[1].opps = {{2e9, 1.0}, {1e9, 1.1}};
    CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("islands[1].opps[1].freq_hz"), invalid_config);
    p = toy_platform(2);
    p.islands[0].cores = 0;
    CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("islands[0].cores"), invalid_config);
    p = toy_platform(2);
    p.islands[0].opps[0].volt_v = 7.0;
    CHECK_THROWS_AS(p.validate(), invalid_config);
    p = toy_platform(2);
    p.islands.clear();
    CHECK_THROWS_AS(p.validate(), invalid_config);

    auto w = one_phase(2, sim::phase{}, 5);
    w.islands[1][0].intervals = 4;
    CHECK_THROWS_WITH_AS(w.validate(2), doctest::Contains("islands[1] lasts 4"), invalid_config);
    w = one_phase(2, sim::phase{}, 5);
    w.islands[0][0].activity = 1.5;
    CHECK_THROWS_WITH_AS(w.validate(2), doctest::Contains("activity"), invalid_config);
    CHECK_THROWS_AS(one_phase(3, sim::phase{}, 5).validate(2), invalid_config);
    CHECK_THROWS_AS(sim::simulator(toy_platform(2), one_phase(3, sim::phase{}, 5)), invalid_config);
    CHECK_THROWS_AS((void)sim::builtin_platform("nope"), invalid_config);
    CHECK_THROWS_AS((void)sim::parsec_workload("nope", 4), invalid_config);
    sim::sim_config bad;
    bad.interval_s = 0.0;
    CHECK_THROWS_AS(bad.validate(), invalid_config);
}

TEST_CASE("workloads: deterministic by seed, built-ins are well formed") {
    rng_type a(5), b(5), c(6);
    for (auto kind : {sim::synthetic_kind::compute_bound, sim::synthetic_kind::memory_bound,
                      sim::synthetic_kind::phase_alternating, sim::synthetic_kind::bursty}) {
        const auto w1 = sim::synthetic_workload(kind, 4, a), w2 = sim::synthetic_workload(kind, 4, b),
                   w3 = sim::synthetic_workload(kind, 4, c);
        CHECK_NOTHROW(w1.validate(4));
        CHECK(w1.num_intervals() == 200);
        CHECK(w1.islands[2].front().cpi_core == w2.islands[2].front().cpi_core);
        CHECK(w1.islands[2].front().cpi_core != w3.islands[2].front().cpi_core);
    }
    CHECK(sim::parsec_names().size() == 9);
    for (const auto& n : sim::parsec_names()) {
        const auto w = sim::parsec_workload(n, 16, {.intervals = 100});
        CHECK_NOTHROW(w.validate(16));
        CHECK(w.num_intervals() == 100);
    }
    const std::vector<sim::workload> apps{sim::parsec_workload("dedup", 4, {.intervals = 60}),
                                          sim::parsec_workload("barnes", 4, {.intervals = 60})};
    const std::vector<std::size_t> where{0, 0, 1, 1};
    const auto m = sim::mix(apps, where);
    CHECK_NOTHROW(m.validate(4));
    CHECK(m.name == "dedup+barnes");
    CHECK(m.islands[3].size() == apps[1].islands[3].size());
    for (const auto& name : sim::builtin_platform_names()) CHECK_NOTHROW(sim::builtin_platform(name).validate());
    const std::vector<std::size_t> unequal{22, 22, 16, 4};
    const auto u = sim::sniper_manycore(unequal);
    CHECK(u.num_cores() == 64);
    CHECK(u.num_levels(3) == 8);
    CHECK(u.islands[0].opps.back().volt_v == Approx(1.4));
    CHECK(u.islands[0].opps.front().freq_hz == Approx(1e9));
}

TEST_CASE("simulator: evaluators on several threads share one simulator" * doctest::test_suite("concurrency")) {
    const auto p = sim::sniper_manycore(16, 4, 8);
    auto shared = std::make_shared<const sim::simulator>(p, sim::parsec_workload("fmm", 4, {.intervals = 80}));
    std::vector<vf_sequence> ys;
    rng_type rng(2);
    std::uniform_int_distribution<int> u(0, 7);
    for (int i = 0; i < 4; ++i) {
        vf_sequence y({80, 4});
        for (auto& x : y) x = static_cast<level_t>(u(rng));
        ys.push_back(y);
    }
    std::vector<double> serial(4), parallel(4);
    for (int i = 0; i < 4; ++i) serial[i] = sim::sequence_evaluator(shared).evaluate(ys[i]).edp();
    std::vector<std::thread> th;
    for (int i = 0; i < 4; ++i)
        th.emplace_back([&, i] {
            sim::sequence_evaluator ev(shared);
            double e = 0.0;
            for (int r = 0; r < 20; ++r) e = ev.evaluate(ys[i]).edp();
            parallel[i] = e;
        });
    for (auto& t : th) t.join();
    CHECK(parallel == serial);
}

TEST_CASE("article_4vfi: 64 cores in 4 islands sized per program, one V/F table") {
    CHECK(sim::article_4vfi_island_cores("dedup") == std::vector<std::size_t>{40, 16, 4, 4});
    CHECK(sim::article_4vfi_island_cores("water_nsquared") == std::vector<std::size_t>{41, 15, 4, 4});
    CHECK(sim::article_4vfi_island_cores("barnes") == std::vector<std::size_t>{22, 22, 16, 4});
    for (const auto& program : sim::parsec_names()) {
        const auto chip = sim::builtin_platform_for("article_4vfi", program);
        CAPTURE(program);
        CHECK(chip.num_cores() == 64);
        CHECK(chip.num_islands() == 4);
        CHECK(chip.levels_per_island() == std::vector<std::size_t>(4, 8));
        for (std::size_t k = 0; k < 4; ++k) CHECK(chip.islands[k].cores == sim::article_4vfi_island_cores(program)[k]);
    }
    CHECK(sim::builtin_platform("article_4vfi").num_cores() == 64);
    CHECK(sim::builtin_platform_for("sniper_manycore", "dedup").num_islands() == 16);  // other names ignore the program
    CHECK_THROWS_AS((void)sim::builtin_platform_for("cray", "dedup"), invalid_config);
}
