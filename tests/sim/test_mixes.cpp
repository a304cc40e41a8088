// tests/sim/test_mixes.cpp: independent programs on one chip (workload::program_of_island, sim::mix): each
// program meets only its own barrier; per-program times, the mix's time and budget, incremental re-evaluation.
#include <doctest/doctest.h>

#include <vector>

#include <l2s/io/workload.hpp>
#include <l2s/policy/fixed_level.hpp>
#include <l2s/sim.hpp>

#include "toy_chip.hpp"

using namespace l2s;
using doctest::Approx;

namespace {

/// A two-island program of T intervals: a compute phase then a memory phase, island 1 lighter.
sim::workload two_island_app(double cpi, std::size_t T) {
    sim::workload w;
    w.name = "app" + std::to_string(cpi);
    const sim::phase a{.cpi_core = cpi, .activity = 0.9, .intervals = T / 2};
    const sim::phase b{.cpi_core = 0.3, .mem_per_instr = 0.01, .t_mem_s = 80e-9, .activity = 0.5, .intervals = T - T / 2};
    w.islands = {{a, b}, {a, b}};
    w.work_scale = {1.0, 0.8};
    return w;
}

/// The mix of a (islands 0, 1) and b (islands 2, 3) as workloads on 4 islands.
sim::workload mix_of(const sim::workload& a, const sim::workload& b) {
    sim::workload wa = a, wb = b;
    for (auto* w : {&wa, &wb}) {  // each app's two island programs, on islands 0-1 and again on 2-3
        const auto islands = w->islands;
        const auto scale = w->work_scale;
        w->islands.insert(w->islands.end(), islands.begin(), islands.end());
        w->work_scale.insert(w->work_scale.end(), scale.begin(), scale.end());
    }
    const std::vector<sim::workload> apps{wa, wb};
    const std::vector<std::size_t> where{0, 0, 1, 1};
    return sim::mix(apps, where);
}

vf_sequence columns(const vf_sequence& y, std::size_t first, std::size_t n) {
    vf_sequence out({y.shape()[0], n});
    for (std::size_t t = 0; t < y.shape()[0]; ++t)
        for (std::size_t k = 0; k < n; ++k) out(t, k) = y(t, first + k);
    return out;
}

/// Per-program times after running y from the simulator's initial state.
std::vector<double> program_times(const sim::simulator& s, const vf_sequence& y) {
    sim::sim_state st = s.initial_state();
    for (std::size_t t = 0; t < s.num_intervals(); ++t) (void)s.step(st, &y(t, 0));
    return st.program_time_s;
}

}  // namespace

TEST_CASE("mixes: without memory contention each program's time is its time alone; energies add") {
    const std::size_t T = 30;
    const auto a = two_island_app(1.0, T), b = two_island_app(2.5, T);
    const auto m = mix_of(a, b);
    CHECK(m.num_programs() == 2);
    CHECK(m.program_of_island == std::vector<std::size_t>{0, 0, 1, 1});
    auto cfg = l2s::test::exact_cfg();
    const sim::simulator mixed(l2s::test::toy_platform(4), m, cfg);
    const sim::simulator alone_a(l2s::test::toy_platform(2), a, cfg), alone_b(l2s::test::toy_platform(2), b, cfg);
    vf_sequence y({T, 4});
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < 4; ++k) y(t, k) = static_cast<level_t>((t + k) % 3 == 0 ? 0 : 1);
    const auto times = program_times(mixed, y);
    REQUIRE(times.size() == 2);
    CHECK(times[0] == program_times(alone_a, columns(y, 0, 2))[0]);
    CHECK(times[1] == program_times(alone_b, columns(y, 2, 2))[0]);
    // no leakage on the toy chip: the chip's energy is the sum of the programs' energies alone
    sim::sequence_evaluator ev_m(l2s::test::toy_platform(4), m, cfg), ev_a(l2s::test::toy_platform(2), a, cfg),
        ev_b(l2s::test::toy_platform(2), b, cfg);
    const auto sm = ev_m.evaluate(y), sa = ev_a.evaluate(columns(y, 0, 2)), sb = ev_b.evaluate(columns(y, 2, 2));
    CHECK(sm.energy_j == Approx(sa.energy_j + sb.energy_j).epsilon(1e-12));
    // the mix's time: the reference makespan stretched by the worst program's slowdown
    const double worst = std::max(sa.time_s / ev_a.reference().time_s, sb.time_s / ev_b.reference().time_s);
    const double makespan = std::max(ev_a.reference().time_s, ev_b.reference().time_s);
    CHECK(ev_m.reference().time_s == Approx(makespan).epsilon(1e-12));
    CHECK(sm.time_s == Approx(makespan * worst).epsilon(1e-12));
    CHECK(sm.slowdown(ev_m.reference().time_s) == Approx(worst - 1.0).epsilon(1e-12));
    CHECK(mixed.reference_program_times()[1] == Approx(ev_b.reference().time_s).epsilon(1e-12));
}

TEST_CASE("mixes: slowing one program's islands does not slow the other; a shared barrier would") {
    const std::size_t T = 20;
    const auto m = mix_of(two_island_app(1.0, T), two_island_app(1.0, T));
    const sim::simulator independent(l2s::test::toy_platform(4), m, l2s::test::exact_cfg());
    auto shared = m;
    shared.program_of_island.clear();
    const sim::simulator barrier(l2s::test::toy_platform(4), shared, l2s::test::exact_cfg());
    vf_sequence y({T, 4});
    y.fill(1);
    for (std::size_t t = 0; t < T; ++t) y(t, 2) = y(t, 3) = 0;  // the second program at half the frequency
    const auto top = program_times(independent, sim::all_max_sequence(independent));
    const auto slow = program_times(independent, y);
    CHECK(slow[0] == top[0]);
    CHECK(slow[1] > 1.5 * top[1]);
    // with one barrier the first program's islands wait for the second's
    sim::sequence_evaluator ev(std::make_shared<const sim::simulator>(l2s::test::toy_platform(4), shared, l2s::test::exact_cfg()));
    CHECK(ev.evaluate(y).time_s == Approx(slow[1]).epsilon(1e-12));
    CHECK(barrier.num_programs() == 1);
}

TEST_CASE("mixes: reevaluate from any interval equals evaluate bit for bit; a rollout equals the evaluator") {
    const std::size_t T = 24;
    const auto m = mix_of(two_island_app(1.0, T), two_island_app(1.7, T));
    auto sim = std::make_shared<const sim::simulator>(sim::sniper_manycore(16, 4, 8), m);  // contention, leakage, thermal
    sim::sequence_evaluator ev(sim), fresh(sim);
    rng_type rng(3);
    vf_sequence y({T, 4});
    for (auto& l : y) l = static_cast<level_t>(rng() % 8);
    (void)ev.evaluate(y);
    for (std::size_t t0 : {0u, 1u, 11u, 23u}) {
        for (std::size_t k = 0; k < 4; ++k) y(t0, k) = static_cast<level_t>(rng() % 8);
        const auto inc = ev.reevaluate(y, t0), full = fresh.evaluate(y);
        CHECK(inc.energy_j == full.energy_j);
        CHECK(inc.time_s == full.time_s);
        CHECK(inc.peak_temp_c == full.peak_temp_c);
    }
    sim::dvfs_env env(sim);
    policy::fixed_level p({5, 5, 5, 5}, {8, 8, 8, 8});
    rng_type r(1);
    const auto run = sim::rollout(env, p, r);
    vf_sequence fixed({T, 4});
    fixed.fill(5);
    const auto s = fresh.evaluate(fixed);
    CHECK(run.score.energy_j == Approx(s.energy_j).epsilon(1e-12));
    CHECK(run.score.time_s == Approx(s.time_s).epsilon(1e-12));
    CHECK(run.slowdown == Approx(s.slowdown(fresh.reference().time_s)).epsilon(1e-12));
}

TEST_CASE("mixes: program_of_island round-trips in workload files; bad numbering names the field") {
    const auto m = mix_of(two_island_app(1.0, 10), two_island_app(2.0, 10));
    const auto back = io::workload_from_json(io::workload_to_json(m));
    CHECK(back.program_of_island == m.program_of_island);
    auto j = io::workload_to_json(m);
    j["program_of_island"] = {1, 1, 0, 0};
    CHECK_THROWS_WITH_AS((void)io::workload_from_json(j), doctest::Contains("order of first appearance"), invalid_config);
    j["program_of_island"] = {0, 0, 1};
    CHECK_THROWS_WITH_AS((void)io::workload_from_json(j), doctest::Contains("one entry per island"), invalid_config);
    j["program_of_island"] = {0, 0, -1, 1};
    CHECK_THROWS_WITH_AS((void)io::workload_from_json(j),
                         "l2s::io::workload_from_json: workload.program_of_island: must be an array of program numbers",
                         invalid_config);
    j.erase("program_of_island");
    CHECK(io::workload_from_json(j).num_programs() == 1);
}
