// The host sensor readers (/proc/stat, powercap, hwmon, thermal zones, perf counters) and the sampler,
// against fake trees built in temporary folders.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <l2s/host/perf_counters.hpp>
#include <l2s/host/power.hpp>
#include <l2s/host/proc_stat.hpp>
#include <l2s/host/sampler.hpp>
#include <l2s/host/thermal.hpp>

#include "fake_tree.hpp"

using namespace l2s;
using l2s_test::fake_tree;

TEST_CASE("host::proc_stat_reader: per-CPU busy fractions, hot-unplugged CPUs offline, malformed lines named") {
    fake_tree t("stat");
    t.stat({{100, 900}, {0, 1000}, {-1, 0}, {500, 500}});
    host::proc_stat_reader r(t.root);
    std::vector<host::cpu_time> a, b;
    r.read(a);
    REQUIRE(a.size() == 4);
    CHECK(a[0].online);
    CHECK_FALSE(a[2].online);  // cpu2 is hot-unplugged: no line
    CHECK(a[3].busy == 500);
    CHECK(a[3].total == 1000);
    t.stat({{150, 950}, {100, 1000}, {-1, 0}, {500, 600}});
    r.read(b);
    CHECK(host::busy_fraction(a[0], b[0]) == doctest::Approx(0.5));   // 50 of 100
    CHECK(host::busy_fraction(a[1], b[1]) == doctest::Approx(1.0));   // 100 of 100
    CHECK(host::busy_fraction(a[2], b[2]) == 0.0);                    // offline
    CHECK(host::busy_fraction(a[3], b[3]) == 0.0);                    // only idle
    // iowait counts as idle, irq/softirq/steal as busy
    t.put("/proc/stat", "cpu0 10 0 0 50 40 0 0 0 0 0\n");
    std::vector<host::cpu_time> c;
    r.read(c);
    CHECK(c[0].busy == 10);
    CHECK(c[0].total == 100);
    t.put("/proc/stat", "cpu  1 2 3 4\ncpu0 1 2 x 4\n");
    try {
        r.read(c);
        FAIL("no throw");
    } catch (const io_error& e) {
        const std::string m = e.what();
        CHECK(m.rfind("l2s::host::proc_stat_reader: malformed line in ", 0) == 0);
        CHECK(m.find((t.root / "proc/stat").string()) != std::string::npos);
    }
    t.put("/proc/stat", "cpu0 1 2\n");
    CHECK_THROWS_AS(r.read(c), io_error);
    host::proc_stat_reader missing(t.root / "nowhere");
    CHECK_THROWS_WITH_AS(missing.read(c), doctest::Contains("cannot read"), io_error);
}

TEST_CASE("host::power_meter: RAPL wraparound, hwmon power, energy and current x voltage") {
    CHECK(host::wrapped_delta(100, 350, 1000) == 250);
    CHECK(host::wrapped_delta(900, 50, 1000) == 150);   // (1000 − 900) + 50
    fake_tree t("power");
    t.rapl("intel-rapl:0", 262'143'000'000ULL, 262'143'328'850ULL);
    t.hwmon(0, "coretemp");
    t.hwmon(1, "ina231_a15");
    t.hwmon_value(1, "power1_input", 2'500'000);  // µW
    t.hwmon(2, "ina231_a7");
    t.hwmon_value(2, "curr1_input", 1500);  // mA
    t.hwmon_value(2, "in1_input", 1200);    // mV
    t.hwmon(3, "board");
    t.hwmon_value(3, "energy1_input", 1'000'000);  // µJ
    host::power_meter m({.root = t.root,
                         .domains = {{"powercap:intel-rapl:0"}, {"hwmon:ina231_a15:power1"}, {"hwmon:ina231_a7:curr1*in1"},
                                     {"hwmon:board:energy1"}, {}}});
    CHECK(m.has_sensor(0));
    CHECK_FALSE(m.has_sensor(4));
    // 0.5 s later: RAPL wrapped (328 850 to the wrap, then 671 150 more = 1 J), board counted 0.25 J
    t.rapl("intel-rapl:0", 671'150ULL, 262'143'328'850ULL);
    t.hwmon_value(3, "energy1_input", 1'250'000);
    std::vector<double> p(5, -1.0);
    m.read(p, 0.5);
    CHECK(p[0] == doctest::Approx(2.0));   // 1 J / 0.5 s
    CHECK(p[1] == doctest::Approx(2.5));
    CHECK(p[2] == doctest::Approx(1.8));   // 1.5 A × 1.2 V
    CHECK(p[3] == doctest::Approx(0.5));   // 0.25 J / 0.5 s
    CHECK(p[4] == 0.0);
    t.rapl("intel-rapl:0", 1'671'150ULL, 262'143'328'850ULL);  // no wrap: 1 J in 0.25 s
    m.read(p, 0.25);
    CHECK(p[0] == doctest::Approx(4.0));
    CHECK_THROWS_WITH_AS(host::power_meter({.root = t.root, .domains = {{"hwmon:nope:power1"}}}),
                         doctest::Contains("l2s::host::power_meter: no hwmon device named 'nope'"), io_error);
    CHECK_THROWS_WITH_AS(host::power_meter({.root = t.root, .domains = {{"rail0"}}}),
                         doctest::Contains("unknown sensor 'rail0'"), invalid_config);
    CHECK_THROWS_AS(host::power_meter({.root = t.root, .domains = {{"powercap:intel-rapl:1"}}}), io_error);
    // a folder in place of the file (unreadable even as root)
    std::filesystem::remove(t.root / "sys/class/hwmon/hwmon1/power1_input");
    std::filesystem::create_directories(t.root / "sys/class/hwmon/hwmon1/power1_input");
    CHECK_THROWS_WITH_AS(host::power_meter({.root = t.root, .domains = {{"hwmon:ina231_a15:power1"}}}),
                         doctest::Contains("hwmon1/power1_input"), io_error);
    // a missing input file is named at construction
    std::filesystem::remove(t.root / "sys/class/hwmon/hwmon2/in1_input");
    CHECK_THROWS_WITH_AS(host::power_meter({.root = t.root, .domains = {{"hwmon:ina231_a7:curr1*in1"}}}),
                         doctest::Contains("hwmon2/in1_input"), io_error);
}

TEST_CASE("host::temperature_reader: thermal zones by type, hwmon temp inputs, hottest per domain") {
    fake_tree t("thermal");
    t.thermal_zone(0, "cpu0-thermal", 45'500);
    t.thermal_zone(1, "cpu1-thermal", 61'000);
    t.thermal_zone(2, "gpu-thermal", 70'000);
    t.hwmon(0, "coretemp");
    t.hwmon_value(0, "temp2_input", 52'000);
    host::temperature_reader r({.root = t.root, .domains = {{"thermal:cpu0-thermal", "thermal:cpu1-thermal"}, {"hwmon:coretemp:temp2"}, {}}});
    std::vector<double> c(3, -1.0);
    r.read(c);
    CHECK(c[0] == doctest::Approx(61.0));
    CHECK(c[1] == doctest::Approx(52.0));
    CHECK(c[2] == 0.0);
    CHECK_THROWS_WITH_AS(host::temperature_reader({.root = t.root, .domains = {{"thermal:soc"}}}),
                         doctest::Contains("no thermal zone of type 'soc'"), io_error);
    CHECK_THROWS_AS(host::temperature_reader({.root = t.root, .domains = {{"hwmon:coretemp:fan1"}}}), invalid_config);
}

TEST_CASE("host::scaled_delta: multiplexed counts are scaled by enabled / running time") {
    // ran the whole interval: the raw delta
    CHECK(host::scaled_delta({1000, 0, 0}, {3000, 10'000'000, 10'000'000}) == 2000.0);
    // ran 2.5 ms of 10 ms: × 4
    CHECK(host::scaled_delta({1000, 5'000'000, 1'000'000}, {2000, 15'000'000, 3'500'000}) == 4000.0);
    // ran 1/3 of the time: 300 × 3
    CHECK(host::scaled_delta({0, 0, 0}, {300, 3'000, 1'000}) == doctest::Approx(900.0));
    // never ran
    CHECK(host::scaled_delta({0, 0, 0}, {0, 1'000, 0}) == 0.0);
}

TEST_CASE("host::perf_counters: opens, or falls back with a typed error naming the unavailable fields") {
    // On a virtual machine (no PMU) or without permission this throws pmu_unavailable; with a PMU it counts.
    try {
        host::perf_counters pc(std::vector<std::vector<unsigned>>{{0u}});
        std::vector<host::pmu_counts> n(1);
        pc.read(n);
        CHECK(n[0].cycles >= 0.0);
        MESSAGE("this machine has a PMU");
    } catch (const host::pmu_unavailable& e) {
        const std::string m = e.what();
        MESSAGE(m);
        CHECK(m.rfind("l2s::host::perf_counters: cpu0: ", 0) == 0);
        CHECK(m.find("unavailable: ipc, mem_per_instr, mem_per_s") != std::string::npos);
        CHECK((m.find("no PMU") != std::string::npos || m.find("access denied") != std::string::npos ||
               m.find("cannot open") != std::string::npos));
    }
}

TEST_CASE("host::sampler: an Odroid-XU3-like tree gives the simulator's observation fields") {
    fake_tree t("sampler");
    t.policy(0, "0-3", "cpufreq-dt", "userspace", "200000 600000 1000000 1400000", 200000, 1400000, 600000);
    t.policy(4, "4-7", "cpufreq-dt", "userspace", "200000 1000000 1800000 2000000", 200000, 2000000, 1800000);
    t.hwmon(0, "ina231_kfc");
    t.hwmon_value(0, "power1_input", 300'000);
    t.hwmon(1, "ina231_arm");
    t.hwmon_value(1, "curr1_input", 2000);
    t.hwmon_value(1, "in1_input", 1100);
    t.thermal_zone(0, "cpu-thermal-a7", 48'000);
    t.thermal_zone(1, "cpu-thermal-a15", 66'000);
    t.stat({{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}});
    const std::string pol = (t.root / "sys/devices/system/cpu/cpufreq/").string();
    host::sampler s({{"policy0", {0, 1, 2, 3}, {200e6, 600e6, 1000e6, 1400e6}, pol + "policy0/scaling_cur_freq"},
                     {"policy4", {4, 5, 6, 7}, {200e6, 1000e6, 1800e6, 2000e6}, pol + "policy4/scaling_cur_freq"}},
                    {.root = t.root,
                     .power = {{"hwmon:ina231_kfc:power1"}, {"hwmon:ina231_arm:curr1*in1"}},
                     .temperature = {{"thermal:cpu-thermal-a7"}, {"thermal:cpu-thermal-a15"}},
                     .use_pmu = false});
    CHECK_FALSE(s.report().pmu);
    const auto missing = s.report().missing_fields();
    CHECK(missing == std::vector<std::string>{"ipc", "mem_per_instr", "mem_per_s"});
    dvfs::observation o;
    s.start(o);
    CHECK(o.interval == 0);
    CHECK(o.level[0] == 1);
    CHECK(o.level[1] == 2);
    CHECK(o.freq_hz[1] == 1800e6);
    CHECK(o.max_temp_c == doctest::Approx(66.0));
    // cpu 5 busy 75 %, cpu 4 busy 3 % (below the active threshold), cpus 0-3 busy 10 %, cpu 6 unplugged
    t.stat({{10, 90}, {10, 90}, {10, 90}, {10, 90}, {3, 97}, {75, 25}, {-1, 0}, {0, 100}});
    const auto r = s.sample(o, 0.01);
    CHECK(o.interval == 1);
    CHECK(o.utilisation[0] == doctest::Approx(0.1));
    CHECK(o.utilisation[1] == doctest::Approx(0.75));
    CHECK(o.active_cores[0] == 4);
    CHECK(o.active_cores[1] == 1);
    CHECK(o.busy_time_s[1] == doctest::Approx(0.0075));
    CHECK(o.power_w[0] == doctest::Approx(0.3));
    CHECK(o.power_w[1] == doctest::Approx(2.2));
    CHECK(o.chip_power_w == doctest::Approx(2.5));
    CHECK(o.temp_c[1] == doctest::Approx(66.0));
    CHECK(o.ipc[0] == 0.0);
    CHECK(o.interval_time_s == 0.01);
    CHECK(r.energy_j == doctest::Approx(0.025));
    CHECK(r.time_s == 0.01);
    // frequency read back each sample
    t.put("/sys/devices/system/cpu/cpufreq/policy4/scaling_cur_freq", "2000000\n");
    (void)s.sample(o, 0.01);
    CHECK(o.level[1] == 3);
    CHECK(o.freq_hz[1] == 2000e6);
}
