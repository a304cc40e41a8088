// The Sniper/HotSniper-shaped DVFS hook.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <l2s/host/hotsniper.hpp>
#include <l2s/host/sniper.hpp>

using namespace l2s;

namespace {
/// Runs an island at its top level when it has an active core, else at its lowest; remembers what it saw.
struct busy_max_policy {
    dvfs::observation seen;
    void act(const dvfs::observation& o, dvfs::action& a) {
        seen = o;
        for (std::size_t k = 0; k < o.num_islands(); ++k) a[k] = o.active_cores[k] > 0 ? level_t{2} : level_t{0};
    }
};
}  // namespace

TEST_CASE("dvfs_hook: per-core frequencies in, per-island decisions out") {
    // 6 cores in 2 islands: cores 0-3 → island 0, cores 4-5 → island 1.
    host::dvfs_hook hook(busy_max_policy{}, {0, 0, 0, 0, 1, 1}, {{1000, 2000, 3000}, {800, 1600, 2400}});
    const std::vector<int> old{2000, 2000, 2000, 2000, 800, 800};
    const std::vector<bool> active{false, true, false, false, false, false};
    hook.set_core_counters(1, {.utilisation = 0.6, .ipc = 2.0, .power_w = 1.5, .temp_c = 61.0});
    const auto out = hook.get_frequencies(old, active);
    CHECK(out == std::vector<int>{3000, 3000, 3000, 3000, 800, 800});
    const auto& seen = hook.policy().seen;
    CHECK(seen.level[0] == 1);
    CHECK(seen.level[1] == 0);
    CHECK(seen.utilisation[0] == doctest::Approx(0.6));
    CHECK(seen.active_cores[0] == 1);
    CHECK(seen.ipc[0] == doctest::Approx(0.5));  // mean over the island's 4 cores
    CHECK(seen.max_temp_c == doctest::Approx(61.0));
    CHECK(hook.last_observation().interval == 1);
}

TEST_CASE("dvfs_hook: bad configuration and bad calls") {
    CHECK_THROWS_AS(host::dvfs_hook(busy_max_policy{}, {0, 2}, {{1000}, {1000}}), invalid_config);
    CHECK_THROWS_AS(host::dvfs_hook(busy_max_policy{}, {0, 0}, {{1000}, {1000}}), invalid_config);  // island 1 empty
    CHECK_THROWS_AS(host::dvfs_hook(busy_max_policy{}, {0}, {{2000, 1000}}), invalid_config);
    host::dvfs_hook hook(busy_max_policy{}, {0, 0}, {{1000, 2000, 3000}});
    CHECK_THROWS_AS((void)hook.get_frequencies({1000}, {true}), dimension_mismatch);
    CHECK_THROWS_AS(hook.set_core_counters(2, {}), invalid_argument);
}

namespace {
/// HotSniper's PerformanceCounters, as a table (the four methods the adapter reads).
struct table_counters {
    std::vector<double> power, temp, util, cpi;
    [[nodiscard]] double getPowerOfCore(int c) const { return power[static_cast<std::size_t>(c)]; }
    [[nodiscard]] double getTemperatureOfCore(int c) const { return temp[static_cast<std::size_t>(c)]; }
    [[nodiscard]] double getUtilizationOfCore(int c) const { return util[static_cast<std::size_t>(c)]; }
    [[nodiscard]] double getCPIOfCore(int c) const { return cpi[static_cast<std::size_t>(c)]; }
};
static_assert(host::HotSniperCounters<table_counters>);
static_assert(!host::HotSniperCounters<int>);
}  // namespace

TEST_CASE("hotsniper_policy: reads every core's counters at each getFrequencies call and answers in MHz per core") {
    table_counters pc{{1.0, 2.0, 0.5, 0.25, 3.0, 1.0},
                      {50.0, 61.0, 55.0, 40.0, 70.0, 72.5},
                      {0.9, 0.2, 0.0, 0.1, 1.0, 0.4},
                      {2.0, 1.0, 0.0, std::numeric_limits<double>::infinity(), 0.5, 1.0}};
    host::hotsniper_policy<busy_max_policy, table_counters> p(&pc, busy_max_policy{}, {0, 0, 0, 0, 1, 1},
                                                              {{1000, 2000, 3000}, {800, 1600, 2400}});
    const auto out = p.getFrequencies({2000, 2000, 2000, 2000, 800, 800}, {true, true, false, false, false, false});
    CHECK(out == std::vector<int>{3000, 3000, 3000, 3000, 800, 800});
    const auto& seen = p.policy().seen;
    CHECK(seen.power_w[0] == doctest::Approx(3.75));       // summed over the island's cores
    CHECK(seen.power_w[1] == doctest::Approx(4.0));
    CHECK(seen.temp_c[0] == doctest::Approx(61.0));        // hottest core
    CHECK(seen.temp_c[1] == doctest::Approx(72.5));
    CHECK(seen.utilisation[0] == doctest::Approx(0.9));    // busiest core
    CHECK(seen.utilisation[1] == doctest::Approx(1.0));
    CHECK(seen.ipc[0] == doctest::Approx((0.5 + 1.0 + 0.0 + 0.0) / 4));  // 1/CPI; CPI 0 or ∞ reads as IPC 0
    CHECK(seen.ipc[1] == doctest::Approx((2.0 + 1.0) / 2));
    CHECK(seen.active_cores[0] == 2);
    CHECK(seen.active_cores[1] == 0);
    // the counters are read at every call
    pc.temp[5] = 80.0;
    (void)p.getFrequencies(out, {true, true, false, false, false, false});
    CHECK(p.policy().seen.temp_c[1] == doctest::Approx(80.0));
    p.setPowerBudget({10.0, 20.0});
    CHECK(p.getPowerBudget() == std::vector<double>{10.0, 20.0});
    CHECK_THROWS_AS((void)p.getFrequencies({1000}, {true}), dimension_mismatch);
    CHECK_THROWS_AS((host::hotsniper_policy<busy_max_policy, table_counters>(nullptr, busy_max_policy{}, {0}, {{1000}})),
                    invalid_config);
}
