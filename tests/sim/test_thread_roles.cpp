// tests/sim/test_thread_roles.cpp: serial sections, pipelines and per-phase imbalance (sim/thread_roles.hpp)
// against closed forms and against the measured utilisation they are derived from.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include <l2s/io/workload.hpp>
#include <l2s/sim.hpp>

#include "toy_chip.hpp"

using namespace l2s;
using doctest::Approx;

namespace {


vf_sequence levels(std::size_t T, std::vector<level_t> per_island) {
    vf_sequence y({T, per_island.size()});
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < per_island.size(); ++k) y(t, k) = per_island[k];
    return y;
}

}  // namespace

TEST_CASE("serial_share: the closed form and its edges") {
    CHECK(sim::serial_share(0.5, 2) == Approx(1.0));
    CHECK(sim::serial_share(1.0, 2) == Approx(0.0));
    CHECK(sim::serial_share(0.75, 2) == Approx(0.5));
    CHECK(sim::serial_share(0.4, 2) == Approx(1.0));  // below one thread's share: all serial
    CHECK(sim::serial_share(0.625, 4) == Approx(0.5));  // 4·0.625 = 2.5 = 0.5·1 + 0.5·4
    CHECK(sim::serial_share(0.3, 1) == 0.0);
    CHECK_THROWS_AS((void)sim::serial_share(1.5, 2), invalid_config);
    CHECK_THROWS_AS((void)sim::serial_share(0.5, 0), invalid_config);
}

TEST_CASE("fastest_island: the big cluster of a big.LITTLE chip; the first on ties; bad ranges") {
    const auto xu3 = sim::builtin_platform("exynos5422");  // island 0: 4 × A7, island 1: 4 × A15
    CHECK(sim::fastest_island(xu3, 0, 2) == 1);
    CHECK(sim::fastest_island(xu3, 0, 1) == 0);
    CHECK(sim::fastest_island(l2s::test::toy_platform(4, 2), 1, 4) == 1);
    CHECK_THROWS_AS((void)sim::fastest_island(xu3, 1, 1), invalid_config);
    CHECK_THROWS_AS((void)sim::fastest_island(xu3, 0, 3), invalid_config);
}

TEST_CASE("thread roles: a serial section leaves the waiting islands idle; the interval is the busy island's") {
    // one phase measured on 2 cores at utilisation 0.5: all serial
    const sim::phase measured{.cpi_core = 1.0, .activity = 1.0, .active_fraction = 0.5, .intervals = 10};
    sim::workload uniform;
    uniform.name = "serial";
    uniform.islands.assign(3, {measured});
    const auto w = sim::with_thread_roles(uniform, {.imbalance = 0.0});
    REQUIRE(w.num_intervals() == 10);
    CHECK(w.islands[0].front().threads == 1);
    CHECK(w.islands[1].front().active_fraction == 0.0);
    CHECK(w.islands[2].front().threads == 0);
    sim::sequence_evaluator ev(l2s::test::toy_platform(3, 4), w, l2s::test::exact_cfg());
    // top everywhere: one core retires 2e6 instructions per interval, 1 ms; the island's power is
    // (100 + 50) pF · 1.44 · 2 GHz = 0.432 W busy and 0.2 · 50 pF · 1.44 · 2 GHz = 0.0288 W waiting
    const auto top = ev.evaluate(levels(10, {1, 1, 1}));
    CHECK(top.time_s == Approx(10e-3));
    CHECK(top.energy_j == Approx((0.432 + 2 * 0.0288) * 10e-3));
    // the waiting islands at the bottom level: the same time, less energy (wait power 0.2 · 50 pF · 1 V² · 1 GHz)
    const auto idle_low = ev.evaluate(levels(10, {1, 0, 0}));
    CHECK(idle_low.time_s == Approx(top.time_s));
    CHECK(idle_low.energy_j == Approx((0.432 + 2 * 0.01) * 10e-3));
    // the serial island at the bottom level: the interval is its busy time, twice as long
    const auto serial_low = ev.evaluate(levels(10, {0, 1, 1}));
    CHECK(serial_low.time_s == Approx(20e-3));
    const auto obs = ev.interval_observations(levels(10, {0, 1, 1}));
    CHECK(obs[3].active_cores[0] == 1);
    CHECK(obs[3].active_cores[1] == 0);
    CHECK(obs[3].interval_time_s == Approx(obs[3].busy_time_s[0]));
}

TEST_CASE("thread roles: the mean busy threads of a phase reproduce the measured utilisation") {
    // On 2 islands of 1 core, the roles workload of a 2-core measurement has 2·u busy threads on average:
    // the measured utilisation back, up to the rounding of the serial part to whole intervals.
    for (const auto& name : sim::parsec_names()) {
        const auto uniform = sim::parsec_workload(name, 2, {.intervals = 400, .profile_cores = 2, .imbalance = 0.0});
        const auto w = sim::with_thread_roles(uniform, {.imbalance = 0.0});
        CHECK(w.num_intervals() == 400);
        sim::sequence_evaluator ev(l2s::test::toy_platform(2, 1), w, l2s::test::exact_cfg());
        const auto obs = ev.interval_observations(levels(400, {1, 1}));
        std::size_t t = 0;
        for (const auto& ph : uniform.islands[0]) {
            double busy = 0.0, span = 0.0;
            for (std::size_t i = 0; i < ph.intervals; ++i, ++t) {
                busy += obs[t].busy_time_s[0] + obs[t].busy_time_s[1];
                span += obs[t].interval_time_s;
            }
            const double u = busy / (2.0 * span), tolerance = 0.5 / static_cast<double>(ph.intervals) + 1e-9;
            CAPTURE(name);
            CAPTURE(ph.active_fraction);
            CHECK(std::abs(u - std::max(0.5, ph.active_fraction)) <= tolerance);
        }
    }
}

TEST_CASE("thread roles: parallel phases draw their imbalance per island and phase, deterministically") {
    const auto uniform = sim::parsec_workload("barnes", 4, {.intervals = 200});
    const auto a = sim::with_thread_roles(uniform, {.imbalance = 0.2, .seed = 3});
    const auto b = sim::with_thread_roles(uniform, {.imbalance = 0.2, .seed = 3});
    const auto c = sim::with_thread_roles(uniform, {.imbalance = 0.2, .seed = 4});
    CHECK(a.work_scale.empty());
    std::vector<double> shares;
    for (std::size_t k = 0; k < 4; ++k)
        for (std::size_t i = 0; i < a.islands[k].size(); ++i) {
            CHECK(a.islands[k][i].work_scale == b.islands[k][i].work_scale);
            if (a.islands[k][i].active_fraction == 1.0 && a.islands[k][i].threads == 0) shares.push_back(a.islands[k][i].work_scale);
        }
    CHECK(shares.size() >= 8);
    for (double s : shares) CHECK((s >= 0.8 && s <= 1.0));
    CHECK(std::set<double>(shares.begin(), shares.end()).size() == shares.size());  // not one draw per island
    CHECK(c.islands[1].back().work_scale != a.islands[1].back().work_scale);
    CHECK_NOTHROW(a.validate(4));
}

TEST_CASE("thread roles: bad input names the function and the field") {
    sim::workload two;
    two.name = "odd";
    two.islands = {{sim::phase{.intervals = 5}}, {sim::phase{.cpi_core = 2.0, .intervals = 5}}};
    CHECK_THROWS_WITH_AS((void)sim::with_thread_roles(two), doctest::Contains("l2s::sim::with_thread_roles(odd)"),
                         invalid_config);
    const auto one = sim::parsec_workload("fmm", 2, {.intervals = 50});
    CHECK_THROWS_AS((void)sim::with_thread_roles(one, {.serial_island = 2}), invalid_config);
    CHECK_THROWS_AS((void)sim::with_thread_roles(one, {.imbalance = 1.0}), invalid_config);
    const std::vector<sim::pipeline_stage> none;
    CHECK_THROWS_WITH_AS((void)sim::pipeline_workload("p", none), "l2s::sim::pipeline_workload(p): no stages",
                         invalid_config);
    const std::vector<sim::pipeline_stage> zero{{.phases = {sim::phase{.intervals = 4}}, .islands = 0}};
    CHECK_THROWS_WITH_AS((void)sim::pipeline_workload("p", zero),
                         "l2s::sim::pipeline_workload(p): stages[0].islands must be >= 1", invalid_config);
    const std::vector<sim::pipeline_stage> uneven{{.phases = {sim::phase{.intervals = 4}}},
                                                  {.phases = {sim::phase{.intervals = 5}}}};
    CHECK_THROWS_WITH_AS((void)sim::pipeline_workload("p", uneven), doctest::Contains("lasts 5 intervals"), invalid_config);
}

TEST_CASE("pipeline: a 2-stage pipeline's throughput is set by its slower stage") {
    const sim::phase stage{.cpi_core = 1.0, .activity = 1.0, .intervals = 20};
    const std::vector<sim::pipeline_stage> stages{{.phases = {stage}, .islands = 1, .work = 1.0},
                                                  {.phases = {stage}, .islands = 1, .work = 0.4}};
    const auto w = sim::pipeline_workload("two_stage", stages);
    CHECK(w.islands[1].front().work_scale == Approx(0.4));
    sim::sequence_evaluator ev(l2s::test::toy_platform(2, 2), w, l2s::test::exact_cfg());
    const double top = ev.evaluate(levels(20, {1, 1})).time_s;
    CHECK(top == Approx(20e-3));  // one batch per interval, the heavy stage busy all 1 ms
    // the light stage at half the frequency still finishes first (0.8 ms): throughput unchanged
    CHECK(ev.evaluate(levels(20, {1, 0})).time_s == Approx(top));
    // the heavy stage at half the frequency halves the throughput
    CHECK(ev.evaluate(levels(20, {0, 1})).time_s == Approx(2.0 * top));
    // swapping the stages' weights moves the bottleneck
    const std::vector<sim::pipeline_stage> swapped{{.phases = {stage}, .work = 0.4}, {.phases = {stage}, .work = 2.5 * 0.4}};
    sim::sequence_evaluator ev2(l2s::test::toy_platform(2, 2), sim::pipeline_workload("swapped", swapped), l2s::test::exact_cfg());
    CHECK(ev2.evaluate(levels(20, {0, 1})).time_s == Approx(top));
    CHECK(ev2.evaluate(levels(20, {1, 0})).time_s == Approx(2.0 * top));
}

TEST_CASE("workload files: threads and per-phase work shares round-trip; bad values name the field") {
    const auto w = sim::with_thread_roles(sim::parsec_workload("freqmine", 3, {.intervals = 90}));
    const auto back = io::workload_from_json(io::workload_to_json(w));
    REQUIRE(back.islands.size() == w.islands.size());
    for (std::size_t k = 0; k < w.islands.size(); ++k)
        for (std::size_t i = 0; i < w.islands[k].size(); ++i) {
            CHECK(back.islands[k][i].threads == w.islands[k][i].threads);
            CHECK(back.islands[k][i].work_scale == w.islands[k][i].work_scale);
        }
    auto j = io::workload_to_json(w);
    j["islands"][0][0]["work_scale"] = 0.0;
    CHECK_THROWS_WITH_AS((void)io::workload_from_json(j), doctest::Contains("islands[0][0].work_scale must be in (0, 1]"),
                         invalid_config);
    j["islands"][0][0]["work_scale"] = 1.0;
    j["islands"][0][0]["threads"] = -1;
    CHECK_THROWS_WITH_AS((void)io::workload_from_json(j), doctest::Contains("workload.islands[0][0].threads"),
                         invalid_config);
    j["islands"][0][0].erase("threads");
    j["islands"][0][0].erase("work_scale");  // files written before these fields still load
    CHECK(io::workload_from_json(j).islands[0][0].threads == 0);
}
