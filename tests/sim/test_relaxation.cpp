// tests/sim/test_relaxation.cpp: the relaxed per-interval optimum (sim/relaxation.hpp) against closed forms
// and against exhaustive enumeration of per-interval choices.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <l2s/sim.hpp>

#include "toy_chip.hpp"

using namespace l2s;
using doctest::Approx;

TEST_CASE("relaxed_optimum: a memory-bound program within the budget at the low level: the relaxed optimum is all-low") {
    // cpi 0.1 and 10 accesses per 1000 instructions at 100 ns: the low level costs 4.76 % time, within 5 %
    const sim::phase mem{.cpi_core = 0.1, .mem_per_instr = 0.01, .t_mem_s = 100e-9, .activity = 0.5, .intervals = 20};
    sim::workload w;
    w.name = "mem";
    w.islands = {{mem}};
    const sim::simulator s(l2s::test::toy_platform(1), w, l2s::test::exact_cfg());
    const auto r = sim::relaxed_optimum(s, 0.05);
    CHECK(r.combinations == 2);
    sim::sequence_evaluator ev(std::make_shared<const sim::simulator>(s));
    vf_sequence low({20, 1});
    low.fill(0);
    const auto lo = ev.evaluate(low);  // one transition at the start: not charged in the relaxation
    CHECK(r.time_s == Approx(lo.time_s).epsilon(1e-9));
    CHECK(r.edp <= lo.edp() * (1.0 + 1e-12));
    CHECK(r.edp == Approx(lo.edp()).epsilon(1e-3));
    CHECK(r.all_max_edp == Approx(ev.reference().edp()).epsilon(1e-12));
    // with a 1 % budget the low level fits in a fifth of the intervals at most: the bound sits between
    const auto tight = sim::relaxed_optimum(s, 0.01);
    CHECK(tight.time_s <= 1.01 * ev.reference().time_s * (1.0 + 1e-12));
    CHECK(tight.edp < r.all_max_edp);
    CHECK(tight.edp > r.edp);
}

TEST_CASE("relaxed_optimum: no per-interval choice within the budget beats it (two islands, enumerated)") {
    // two islands, two levels, four intervals: all 4^4 per-interval choices of the relaxed model enumerated
    sim::workload w;
    w.name = "two";
    const sim::phase a{.cpi_core = 1.0, .activity = 1.0, .intervals = 2};
    const sim::phase b{.cpi_core = 0.2, .mem_per_instr = 0.01, .t_mem_s = 100e-9, .activity = 0.4, .intervals = 2};
    w.islands = {{a, b}, {b, a}};
    w.work_scale = {1.0, 0.6};
    const sim::simulator s(l2s::test::toy_platform(2), w, l2s::test::exact_cfg());
    const auto r = sim::relaxed_optimum(s, 0.05);
    // the relaxed model by hand: each interval from the all-max state, levels already applied
    std::vector<std::vector<double>> e(4, std::vector<double>(4)), d = e;
    sim::sim_state st = s.initial_state();
    const std::vector<level_t> top{1, 1};
    double dmax = 0.0;
    for (std::size_t t = 0; t < 4; ++t) {
        for (std::size_t c = 0; c < 4; ++c) {
            const std::vector<level_t> lv{static_cast<level_t>(c % 2), static_cast<level_t>(c / 2)};
            sim::sim_state p = st;
            p.level = lv;
            const auto x = s.step(p, lv.data());
            e[t][c] = x.energy_j, d[t][c] = x.time_s;
        }
        dmax += s.step(st, top.data()).time_s;
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t m = 0; m < 256; ++m) {
        double E = 0.0, D = 0.0;
        for (std::size_t t = 0; t < 4; ++t) E += e[t][(m >> (2 * t)) & 3], D += d[t][(m >> (2 * t)) & 3];
        if (D <= 1.05 * dmax) best = std::min(best, E * D);
    }
    CHECK(r.edp <= best * (1.0 + 1e-12));
    CHECK(r.edp >= 0.9 * best);  // the convex hull is close to the discrete frontier here
}

TEST_CASE("relaxed_optimum: bad input names the function") {
    const sim::simulator big(sim::sniper_manycore(64, 4, 8), sim::parsec_workload("fmm", 16, {.intervals = 10}));
    CHECK_THROWS_WITH_AS((void)sim::relaxed_optimum(big, 0.05), doctest::Contains("l2s::sim::relaxed_optimum: more than"),
                         invalid_config);
    const sim::simulator one(l2s::test::toy_platform(1), sim::parsec_workload("fmm", 1, {.intervals = 10}));
    CHECK_THROWS_WITH_AS((void)sim::relaxed_optimum(one, -0.1), doctest::Contains("max_slowdown"), invalid_config);
}
