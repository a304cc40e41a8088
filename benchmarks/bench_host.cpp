// benchmarks/bench_host.cpp: the governor daemon's per-interval overhead on a fake tree of 8 frequency domains
// (2 CPUs each, an hwmon power rail and a thermal zone per domain): read the sensors (/proc/stat, power,
// temperature, scaling_cur_freq), decide with a softmax policy, write the levels. Goal (issue 23): ≤ 50 µs per
// interval. The fake tree lives in /dev/shm (tmpfs, in memory as sysfs is) when it exists.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include <l2s/host/cpufreq_control.hpp>
#include <l2s/host/machine.hpp>
#include <l2s/host/sampler.hpp>

#include "host/fake_tree.hpp"
#include "policy/make_policies.hpp"

using namespace l2s;

namespace {
constexpr std::size_t K = 8, L = 8;

/// 8 domains: table drivers (setspeed) when limits is false, table-less (scaling_min/max_freq) when true.
struct host_fixture {
    l2s_test::fake_tree t{"bench", std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path()};
    std::unique_ptr<host::cpufreq_control> control;
    host::sampler_config sc;
    explicit host_fixture(bool limits) {
        std::vector<std::pair<long, long>> stat;
        for (std::size_t c = 0; c < 2 * K; ++c) stat.push_back({1000 + 10 * long(c), 9000});
        t.stat(stat);
        sc = {.root = t.root, .use_pmu = false};
        for (std::size_t k = 0; k < K; ++k) {
            const std::string cpus = std::to_string(2 * k) + "-" + std::to_string(2 * k + 1);
            if (limits) t.policy(int(2 * k), cpus, "amd-pstate", "performance", "", 400000, 1800000, 1800000);
            else t.policy(int(2 * k), cpus, "cpufreq-dt", "userspace", "200000 400000 600000 800000 1000000 1200000 1400000 1600000", 200000, 1600000, 1600000);
            t.hwmon(int(k), "rail" + std::to_string(k));
            t.hwmon_value(int(k), "power1_input", 1'000'000 + 1000 * long(k));
            t.thermal_zone(int(k), "zone" + std::to_string(k), 50'000 + 100 * long(k));
            sc.power.push_back({"hwmon:rail" + std::to_string(k) + ":power1"});
            sc.temperature.push_back({"thermal:zone" + std::to_string(k)});
        }
        control = std::make_unique<host::cpufreq_control>(host::cpufreq_control_config{.root = t.root, .grid_step_khz = 200000});
    }
};

/// One interval: sample + act + apply, the levels changing every interval (every domain is written).
void BM_host_interval(benchmark::State& state) {
    host_fixture f(state.range(0) == 1);
    host::linux_machine m(host::sampler(f.control->sampler_domains(), f.sc), f.control.get(), false);
    f.control->take_over();
    rng_type rng(1);
    auto pol = test::random_softmax(K, L, rng);
    dvfs::action a(K, 0);
    (void)m.start();
    std::size_t i = 0;
    for (auto _ : state) {
        pol.act(m.observe(), a);
        for (auto& l : a) l = static_cast<level_t>((l + i) % L);  // force a change on every domain
        m.apply(a);
        benchmark::DoNotOptimize(m.sample());
        ++i;
    }
    state.counters["intervals/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetLabel(state.range(0) == 1 ? "8 domains, scaling_min/max_freq" : "8 domains, scaling_setspeed");
}
BENCHMARK(BM_host_interval)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

/// Reading only (dry run): sample + act.
void BM_host_read_decide(benchmark::State& state) {
    host_fixture f(false);
    host::linux_machine m(host::sampler(f.control->sampler_domains(), f.sc), nullptr, true);
    rng_type rng(1);
    auto pol = test::random_softmax(K, L, rng);
    dvfs::action a(K, 0);
    (void)m.start();
    for (auto _ : state) {
        pol.act(m.observe(), a);
        m.apply(a);
        benchmark::DoNotOptimize(m.sample());
    }
    state.counters["intervals/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_host_read_decide)->Unit(benchmark::kMicrosecond);

/// The sensors alone: /proc/stat (16 CPUs), 8 power rails, 8 thermal zones, 8 scaling_cur_freq.
void BM_host_sample(benchmark::State& state) {
    host_fixture f(false);
    host::sampler s(f.control->sampler_domains(), f.sc);
    dvfs::observation o;
    s.start(o);
    for (auto _ : state) benchmark::DoNotOptimize(s.sample(o));
}
BENCHMARK(BM_host_sample)->Unit(benchmark::kMicrosecond);
}  // namespace
