// The sampler and the control together on Intel-like (intel_pstate, RAPL wrapping) and AMD-like (amd-pstate,
// a hot-unplugged CPU) fake trees; and the per-interval path (sample + apply) allocates nothing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <l2s/host/cpufreq_control.hpp>
#include <l2s/host/machine.hpp>
#include <l2s/host/sampler.hpp>

#include "fake_tree.hpp"
#include "support/alloc_counter.hpp"

using namespace l2s;
using l2s_test::cf;
using l2s_test::fake_tree;

TEST_CASE("host: Intel-like laptop, intel_pstate limits and RAPL wraparound through the sampler") {
    fake_tree t("intel_laptop");
    for (int c = 0; c < 4; ++c) t.policy(c, std::to_string(c), "intel_pstate", "powersave", "", 400000, 4700000, 2100000);
    t.rapl("intel-rapl:0", 262'143'328'000ULL, 262'143'328'850ULL);  // 850 µJ before the wrap
    t.hwmon(0, "coretemp");
    t.hwmon_value(0, "temp1_input", 71'000);
    t.stat({{0, 0}, {0, 0}, {0, 0}, {0, 0}});
    host::cpufreq_control c({.root = t.root, .grid_levels = {8, 8, 8, 8}});
    REQUIRE(c.num_islands() == 4);
    CHECK(c.num_levels(0) == 8);
    // the package counter is the chip's power: give it to domain 0 (a per-core split needs per-core rails)
    host::sampler s(c.sampler_domains(), {.root = t.root, .power = {{"powercap:intel-rapl:0"}},
                                          .temperature = {{"hwmon:coretemp:temp1"}, {"hwmon:coretemp:temp1"}}, .use_pmu = false});
    dvfs::observation o;
    s.start(o);
    CHECK(o.level[0] == 3);  // 2.1 GHz is nearest 2.243 GHz on the 8-level 0.4–4.7 GHz grid
    t.rapl("intel-rapl:0", 1'999'150ULL, 262'143'328'850ULL);  // wrapped: 850 + 1 999 150 µJ = 2 J
    t.stat({{60, 40}, {20, 80}, {0, 100}, {100, 0}});
    const auto r = s.sample(o, 0.1);
    CHECK(o.power_w[0] == doctest::Approx(20.0));
    CHECK(o.chip_power_w == doctest::Approx(20.0));
    CHECK(r.energy_j == doctest::Approx(2.0));
    CHECK(o.temp_c[1] == doctest::Approx(71.0));
    CHECK(o.temp_c[2] == 0.0);
    CHECK(o.utilisation[0] == doctest::Approx(0.6));
    CHECK(o.utilisation[3] == doctest::Approx(1.0));
    CHECK(o.active_cores[2] == 0);
    host::cpufreq_session session(c);
    c.apply({7, 0, 3, 5});
    CHECK(t.get(cf + "policy0/scaling_max_freq") == "4700000");
    CHECK(t.get(cf + "policy1/scaling_min_freq") == "400000");
    t.put(cf + "policy0/scaling_cur_freq", "4700000\n");
    (void)s.sample(o, 0.1);
    CHECK(o.level[0] == 7);
    CHECK(o.freq_hz[0] == 4.7e9);
}

TEST_CASE("host: AMD-like amd-pstate with a hot-unplugged CPU") {
    fake_tree t("amd_desktop");
    for (int c = 0; c < 8; ++c) t.policy(c, std::to_string(c), "amd-pstate-epp", "powersave", "", 550000, 3000000, 3000000);
    t.thermal_zone(0, "k10temp", 55'000);
    t.stat({{0, 0}, {0, 0}, {0, 0}, {-1, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}});  // cpu3 offline
    host::cpufreq_control c({.root = t.root});
    host::sampler s(c.sampler_domains(), {.root = t.root, .temperature = {{"thermal:k10temp"}}, .use_pmu = false});
    dvfs::observation o;
    s.start(o);
    t.stat({{50, 50}, {0, 100}, {0, 100}, {-1, 0}, {0, 100}, {0, 100}, {0, 100}, {90, 10}});
    (void)s.sample(o, 0.01);
    CHECK(o.utilisation[0] == doctest::Approx(0.5));
    CHECK(o.utilisation[3] == 0.0);  // offline: idle, not active
    CHECK(o.active_cores[3] == 0);
    CHECK(o.utilisation[7] == doctest::Approx(0.9));
    CHECK(o.max_temp_c == doctest::Approx(55.0));
    // cpu3 comes back online
    t.stat({{100, 100}, {0, 200}, {0, 200}, {5, 5}, {0, 200}, {0, 200}, {0, 200}, {180, 20}});
    (void)s.sample(o, 0.01);
    CHECK(o.utilisation[3] == 0.0);  // no earlier reading to difference against
    t.stat({{100, 200}, {0, 300}, {0, 300}, {55, 55}, {0, 300}, {0, 300}, {0, 300}, {180, 120}});
    (void)s.sample(o, 0.01);
    CHECK(o.utilisation[3] == doctest::Approx(0.5));
}

TEST_CASE("host: an interval (sample + apply) allocates nothing once warm") {
    fake_tree t("alloc");
    for (int k = 0; k < 4; ++k) {
        t.policy(2 * k, std::to_string(2 * k) + "-" + std::to_string(2 * k + 1), k % 2 ? "amd-pstate" : "cpufreq-dt", "userspace",
                 k % 2 ? "" : "200000 600000 1000000 1400000", 200000, 1400000, 600000);
        t.hwmon(k, "rail" + std::to_string(k));
        t.hwmon_value(k, "power1_input", 500'000);
        t.thermal_zone(k, "zone" + std::to_string(k), 40'000);
    }
    t.stat({{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}});
    host::cpufreq_control c({.root = t.root, .grid_step_khz = 400000});
    host::sampler_config sc{.root = t.root, .use_pmu = false};
    for (int k = 0; k < 4; ++k) {
        sc.power.push_back({"hwmon:rail" + std::to_string(k) + ":power1"});
        sc.temperature.push_back({"thermal:zone" + std::to_string(k)});
    }
    host::linux_machine m(host::sampler(c.sampler_domains(), sc), &c, false);
    c.take_over();
    (void)m.start();
    dvfs::action a(4, 0);
    for (int i = 0; i < 3; ++i) {  // warm: buffers grown, files opened
        for (auto& l : a) l = static_cast<level_t>(i % 4);
        m.apply(a);
        (void)m.sample();
    }
    const auto before = l2s::test::allocation_count.load();
    for (int i = 0; i < 20; ++i) {
        for (auto& l : a) l = static_cast<level_t>(i % 4);
        m.apply(a);
        (void)m.sample();
    }
    CHECK(l2s::test::allocation_count.load() - before == 0);
}
