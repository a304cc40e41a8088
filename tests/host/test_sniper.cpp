// The Sniper/HotSniper-shaped DVFS hook.
#include <doctest/doctest.h>

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
