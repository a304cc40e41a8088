// The cpufreq userspace adapter against a fake sysfs tree built in a temporary folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <l2s/host/cpufreq.hpp>

using namespace l2s;
namespace fs = std::filesystem;

namespace {
void put(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}
std::string get(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
}

/// Two domains like an Exynos 5422: policy0 = cpus 0-3 (A7), policy4 = cpus 4-7 (A15).
struct fake_sysfs {
    fs::path root;
    fake_sysfs() {
        std::random_device rd;
        root = fs::temp_directory_path() / ("l2s_cpufreq_" + std::to_string(rd()));
        fs::remove_all(root);
        const auto p0 = root / "cpufreq/policy0", p4 = root / "cpufreq/policy4";
        put(p0 / "related_cpus", "0 1 2 3\n");
        put(p0 / "scaling_available_frequencies", "1400000 200000 600000 1000000 \n");  // any order
        put(p0 / "scaling_governor", "userspace\n");
        put(p0 / "scaling_cur_freq", "600000\n");
        put(p0 / "scaling_setspeed", "<unsupported>\n");
        put(p4 / "related_cpus", "4-7\n");
        put(p4 / "scaling_available_frequencies", "200000 1000000 1800000 2000000\n");
        put(p4 / "scaling_governor", "userspace\n");
        put(p4 / "scaling_cur_freq", "1800000\n");
        put(p4 / "scaling_setspeed", "<unsupported>\n");
        put(root / "thermal0", "52000\n");
        stat(0);
    }
    ~fake_sysfs() { fs::remove_all(root); }
    /// /proc/stat with every CPU having done `busy` user jiffies and `idle` idle jiffies more per step.
    void stat(int step) {
        std::string s = "cpu  0 0 0 0 0 0 0 0 0 0\n";
        for (int c = 0; c < 8; ++c) {
            const int busy = step * (c == 5 ? 75 : (c < 4 ? 10 : 0));
            const int idle = step * 100 - busy;
            s += "cpu" + std::to_string(c) + " " + std::to_string(busy) + " 0 0 " + std::to_string(idle) + " 0 0 0 0 0 0\n";
        }
        s += "intr 12345\n";
        put(root / "stat", s);
    }
    host::cpufreq_config cfg() const {
        return {.cpufreq_root = root / "cpufreq", .proc_stat = root / "stat", .temp_millic_paths = {"", root / "thermal0"}};
    }
};
}  // namespace

TEST_CASE("cpufreq_userspace: discovery, sampling and applying levels") {
    fake_sysfs sys;
    host::cpufreq_userspace gov(sys.cfg());
    REQUIRE(gov.num_islands() == 2);
    CHECK(gov.domain(0).cpus == std::vector<unsigned>{0, 1, 2, 3});
    CHECK(gov.domain(1).cpus == std::vector<unsigned>{4, 5, 6, 7});
    CHECK(gov.domain(0).freq_khz == std::vector<std::uint32_t>{200000, 600000, 1000000, 1400000});
    CHECK(gov.num_levels(1) == 4);
    CHECK(gov.userspace_active());

    sys.stat(1);
    dvfs::observation obs;
    gov.sample(obs);
    REQUIRE(obs.num_islands() == 2);
    CHECK(obs.utilisation[0] == doctest::Approx(0.10));
    CHECK(obs.utilisation[1] == doctest::Approx(0.75));  // the busiest core of the domain
    CHECK(obs.active_cores[0] == 4);
    CHECK(obs.active_cores[1] == 1);
    CHECK(obs.freq_hz[1] == doctest::Approx(1.8e9));
    CHECK(obs.level[0] == 1);
    CHECK(obs.level[1] == 2);
    CHECK(obs.temp_c[1] == doctest::Approx(52.0));
    CHECK(obs.max_temp_c == doctest::Approx(52.0));

    gov.apply(dvfs::action{3, 0});
    CHECK(get(sys.root / "cpufreq/policy0/scaling_setspeed") == "1400000");
    CHECK(get(sys.root / "cpufreq/policy4/scaling_setspeed") == "200000");
    gov.set_frequency_khz(1, 2000000);
    CHECK(get(sys.root / "cpufreq/policy4/scaling_setspeed") == "2000000");
}

TEST_CASE("cpufreq_userspace: refuses what the domain does not allow, writing nothing") {
    fake_sysfs sys;
    host::cpufreq_userspace gov(sys.cfg());
    CHECK_THROWS_WITH_AS(gov.set_frequency_khz(1, 1500000),
                         doctest::Contains("l2s::host::cpufreq_userspace::set_frequency_khz: 1500000 kHz is not listed"),
                         invalid_argument);
    CHECK_THROWS_AS(gov.apply(dvfs::action{0, 4}), invalid_argument);      // level out of range
    CHECK_THROWS_AS(gov.apply(dvfs::action{0}), dimension_mismatch);       // wrong number of domains
    CHECK(get(sys.root / "cpufreq/policy0/scaling_setspeed") == "<unsupported>");
    CHECK(get(sys.root / "cpufreq/policy4/scaling_setspeed") == "<unsupported>");

    put(sys.root / "cpufreq/policy4/scaling_governor", "schedutil\n");
    CHECK_FALSE(gov.userspace_active());
    CHECK_THROWS_WITH_AS(gov.apply(dvfs::action{1, 1}), doctest::Contains("does not run the userspace governor"),
                         invalid_argument);
    CHECK(get(sys.root / "cpufreq/policy0/scaling_setspeed") == "<unsupported>");  // nothing written on error
    gov.select_userspace_governor();
    CHECK(gov.userspace_active());
}

TEST_CASE("cpufreq_userspace: malformed or missing sysfs files are io_errors naming the path") {
    {
        fake_sysfs sys;
        fs::remove(sys.root / "cpufreq/policy4/scaling_available_frequencies");
        CHECK_THROWS_WITH_AS(host::cpufreq_userspace(sys.cfg()), doctest::Contains("policy4/scaling_available_frequencies"),
                             io_error);
    }
    {
        fake_sysfs sys;
        put(sys.root / "cpufreq/policy0/related_cpus", "3-1\n");
        CHECK_THROWS_AS(host::cpufreq_userspace(sys.cfg()), io_error);
    }
    {
        fake_sysfs sys;
        put(sys.root / "stat", "cpu0 1 2 3 4\n");  // cpus 1..7 missing
        CHECK_THROWS_WITH_AS(host::cpufreq_userspace(sys.cfg()), doctest::Contains("cpu1 missing"), io_error);
    }
    {
        fake_sysfs sys;
        put(sys.root / "cpufreq/policy0/scaling_available_frequencies", "\n");
        CHECK_THROWS_WITH_AS(host::cpufreq_userspace(sys.cfg()), doctest::Contains("intel_pstate"), io_error);
    }
    CHECK_THROWS_AS(host::cpufreq_userspace({.cpufreq_root = "/nonexistent/l2s"}), io_error);
}
