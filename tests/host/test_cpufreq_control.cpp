// cpufreq_control and cpufreq_session on Odroid-XU3-like, Intel-like and AMD-like fake trees.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <l2s/host/cpufreq_control.hpp>

#include "fake_tree.hpp"

using namespace l2s;
using l2s_test::cf;
using l2s_test::fake_tree;

namespace {

void odroid(const fake_tree& t) {
    t.policy(0, "0 1 2 3", "cpufreq-dt", "schedutil", "1400000 200000 600000 1000000", 200000, 1400000, 600000);
    t.policy(4, "4-7", "cpufreq-dt", "schedutil", "200000 1000000 1800000 2000000", 200000, 2000000, 1800000);
}
void intel(const fake_tree& t) {
    for (int c = 0; c < 4; ++c)
        t.policy(c, std::to_string(c), "intel_pstate", "powersave", "", 400000, 4700000, 2100000);
    t.rapl("intel-rapl:0", 262'143'000'000ULL, 262'143'328'850ULL);
}
void amd(const fake_tree& t) {
    for (int c = 0; c < 8; ++c) t.policy(c, std::to_string(c), "amd-pstate-epp", "performance", "", 550000, 3000000, 3000000);
}
}  // namespace

TEST_CASE("host::frequency_grid: min to max in documented steps, at most 256 levels") {
    CHECK(host::frequency_grid(400000, 1000000, 200000) == std::vector<std::uint32_t>{400000, 600000, 800000, 1000000});
    CHECK(host::frequency_grid(400000, 1050000, 200000) == std::vector<std::uint32_t>{400000, 600000, 800000, 1000000, 1050000});
    CHECK(host::frequency_grid(800000, 800000, 100000) == std::vector<std::uint32_t>{800000});
    const auto wide = host::frequency_grid(1000, 10'000'000, 1000);
    CHECK(wide.size() <= 256);
    CHECK(wide.front() == 1000);
    CHECK(wide.back() == 10'000'000);
    CHECK_THROWS_AS(host::frequency_grid(0, 100, 10), invalid_argument);
    CHECK(host::frequency_grid_levels(400000, 1000000, 4) == std::vector<std::uint32_t>{400000, 600000, 800000, 1000000});
    CHECK(host::frequency_grid_levels(1000, 1000, 3) == std::vector<std::uint32_t>{1000, 1000, 1000});
}

TEST_CASE("host::cpufreq_control: Odroid-like table domains through userspace/scaling_setspeed, restored after") {
    fake_tree t("odroid");
    odroid(t);
    {
        host::cpufreq_control c({.root = t.root});
        REQUIRE(c.num_islands() == 2);
        CHECK(c.domain(0).cpus == std::vector<unsigned>{0, 1, 2, 3});
        CHECK(c.domain(1).cpus == std::vector<unsigned>{4, 5, 6, 7});
        CHECK(c.domain(0).freq_khz == std::vector<std::uint32_t>{200000, 600000, 1000000, 1400000});
        CHECK(c.domain(1).how == host::freq_interface::setspeed);
        CHECK(c.domain(0).driver == "cpufreq-dt");
        const auto sd = c.sampler_domains();
        CHECK(sd[1].freq_hz.back() == 2000e6);
        host::cpufreq_session s(c);
        CHECK(t.get(cf + "policy0/scaling_governor") == "userspace");
        c.apply({3, 1});
        CHECK(t.get(cf + "policy0/scaling_setspeed") == "1400000");
        CHECK(t.get(cf + "policy4/scaling_setspeed") == "1000000");
        CHECK_THROWS_AS(c.apply({4, 0}), invalid_argument);
        CHECK_THROWS_AS(c.apply({0}), dimension_mismatch);
        CHECK(t.get(cf + "policy0/scaling_setspeed") == "1400000");  // nothing written
    }
    CHECK(t.get(cf + "policy0/scaling_governor") == "schedutil");
    CHECK(t.get(cf + "policy4/scaling_governor") == "schedutil");
    CHECK(t.get(cf + "policy4/scaling_min_freq") == "200000");
    CHECK(t.get(cf + "policy4/scaling_max_freq") == "2000000");
}

TEST_CASE("host::cpufreq_control: Intel-like intel_pstate (no table) pinned through min/max limits, restored after an exception") {
    fake_tree t("intel");
    intel(t);
    t.put(cf + "policy2/scaling_min_freq", "800000\n");  // a user limit to restore
    t.put(cf + "policy2/scaling_max_freq", "3000000\n");
    try {
        host::cpufreq_control c({.root = t.root, .grid_step_khz = 100000});
        REQUIRE(c.num_islands() == 4);
        CHECK(c.domain(0).how == host::freq_interface::limits);
        CHECK(c.domain(0).freq_khz.front() == 400000);
        CHECK(c.domain(0).freq_khz.back() == 4700000);
        CHECK(c.num_levels(0) == 44);  // 400 MHz … 4.6 GHz in 100 MHz steps, then 4.7 GHz
        host::cpufreq_session s(c);
        CHECK(t.get(cf + "policy0/scaling_governor") == "powersave");  // governor kept
        dvfs::action a{0, 10, 43, 5};
        c.apply(a);
        CHECK(t.get(cf + "policy0/scaling_min_freq") == "400000");
        CHECK(t.get(cf + "policy0/scaling_max_freq") == "400000");
        CHECK(t.get(cf + "policy1/scaling_min_freq") == "1400000");
        CHECK(t.get(cf + "policy1/scaling_max_freq") == "1400000");
        CHECK(t.get(cf + "policy2/scaling_max_freq") == "4700000");
        CHECK(t.get(cf + "policy3/scaling_max_freq") == "900000");
        a = {43, 0, 0, 5};
        c.apply(a);
        CHECK(t.get(cf + "policy0/scaling_min_freq") == "4700000");
        CHECK(t.get(cf + "policy1/scaling_max_freq") == "400000");
        throw std::runtime_error("injected");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "injected");
    }
    CHECK(t.get(cf + "policy0/scaling_min_freq") == "400000");
    CHECK(t.get(cf + "policy0/scaling_max_freq") == "4700000");
    CHECK(t.get(cf + "policy1/scaling_max_freq") == "4700000");
    CHECK(t.get(cf + "policy2/scaling_min_freq") == "800000");
    CHECK(t.get(cf + "policy2/scaling_max_freq") == "3000000");
}

TEST_CASE("host::cpufreq_control: AMD-like amd-pstate, unreadable and unwritable files") {
    fake_tree t("amd");
    amd(t);
    host::cpufreq_control c({.root = t.root, .grid_step_khz = 250000});
    CHECK(c.num_islands() == 8);
    host::cpufreq_control c8({.root = t.root, .grid_step_khz = 250000, .grid_levels = {8}});
    CHECK(c8.num_levels(0) == 8);  // as many levels as a policy trained with 8
    CHECK(c8.domain(0).freq_khz.back() == 3000000);
    CHECK(c8.num_levels(1) == 11);
    CHECK(c.domain(7).freq_khz == std::vector<std::uint32_t>{550000, 800000, 1050000, 1300000, 1550000, 1800000, 2050000,
                                                              2300000, 2550000, 2800000, 3000000});
    // a folder in place of scaling_max_freq: the session cannot save it and throws, naming the path
    std::filesystem::remove(t.root / (cf.substr(1) + "policy5/scaling_max_freq"));
    std::filesystem::create_directories(t.root / (cf.substr(1) + "policy5/scaling_max_freq"));
    CHECK_THROWS_WITH_AS(host::cpufreq_session{c}, doctest::Contains("policy5/scaling_max_freq"), io_error);
    // missing related_cpus: discovery fails naming it
    std::filesystem::remove(t.root / (cf.substr(1) + "policy3/related_cpus"));
    CHECK_THROWS_WITH_AS(host::cpufreq_control({.root = t.root}), doctest::Contains("policy3/related_cpus"), io_error);
    // no cpufreq at all (a virtual machine)
    fake_tree vm("vm");
    CHECK_THROWS_WITH_AS(host::cpufreq_control({.root = vm.root}), doctest::Contains("no cpufreq folder"), io_error);
}

TEST_CASE("host::cpufreq_control: a write that fails is reported with its path; the session still restores") {
    fake_tree t("unwritable");
    odroid(t);
    host::cpufreq_control c({.root = t.root});
    {
        host::cpufreq_session s(c);
        std::filesystem::remove(t.root / (cf.substr(1) + "policy4/scaling_setspeed"));
        std::filesystem::create_directories(t.root / (cf.substr(1) + "policy4/scaling_setspeed"));
        CHECK_THROWS_WITH_AS(c.apply({0, 0}), doctest::Contains("policy4/scaling_setspeed"), io_error);
        s.restore();
        CHECK(s.restored());
        CHECK(s.restore_errors().empty());
    }
    CHECK(t.get(cf + "policy0/scaling_governor") == "schedutil");
}
