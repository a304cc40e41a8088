// benchmarks/bench_sim.cpp: simulator throughput (island-intervals per second) for a full evaluation, an
// incremental re-evaluation from the middle, and environment steps; K = 4, 16, 64 islands; second argument 1:
// the chip reports through the Odroid-XU3's sensor model (power windows, resolutions; sim::sensor_spec); 2:
// four independent programs with thread roles (sim::mix of sim::with_thread_roles programs).
#include <benchmark/benchmark.h>

#include <memory>
#include <random>

#include <l2s/sim.hpp>

namespace {
using namespace l2s;

std::shared_ptr<const sim::simulator> make(std::size_t islands, std::size_t T, long mode = 0) {
    auto chip = sim::sniper_manycore(islands * 4, 4, 8);
    if (mode == 1) chip.sensors = sim::odroid_xu3().sensors;
    if (mode != 2)
        return std::make_shared<const sim::simulator>(std::move(chip),
                                                      sim::parsec_workload("streamcluster", islands, {.intervals = T}));
    std::vector<sim::workload> apps;
    std::vector<std::size_t> where(islands);
    for (const char* name : {"streamcluster", "facesim", "barnes", "freqmine"}) {
        const std::size_t first = apps.size() * islands / 4;
        apps.push_back(sim::with_thread_roles(sim::parsec_workload(name, islands, {.intervals = T}), {.serial_island = first}));
        for (std::size_t k = first; k < (apps.size()) * islands / 4; ++k) where[k] = apps.size() - 1;
    }
    return std::make_shared<const sim::simulator>(std::move(chip), sim::mix(apps, where));
}
vf_sequence random_levels(std::size_t T, std::size_t K) {
    rng_type rng(1);
    std::uniform_int_distribution<int> u(0, 7);
    vf_sequence y({T, K});
    for (auto& v : y) v = static_cast<level_t>(u(rng));
    return y;
}

void BM_evaluate(benchmark::State& st) {
    const auto K = static_cast<std::size_t>(st.range(0));
    const std::size_t T = 1000;
    sim::sequence_evaluator ev(make(K, T, st.range(1)));
    const auto y = random_levels(T, K);
    for (auto _ : st) benchmark::DoNotOptimize(ev.evaluate(y));
    st.counters["island_intervals_per_s"] =
        benchmark::Counter(static_cast<double>(T * K), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_evaluate)
    ->Args({4, 0})->Args({16, 0})->Args({64, 0})->Args({16, 1})->Args({64, 1})->Args({16, 2})->Args({64, 2})
    ->Unit(benchmark::kMicrosecond);

void BM_reevaluate_half(benchmark::State& st) {
    const auto K = static_cast<std::size_t>(st.range(0));
    const std::size_t T = 1000;
    sim::sequence_evaluator ev(make(K, T));
    auto y = random_levels(T, K);
    (void)ev.evaluate(y);
    level_t l = 0;
    for (auto _ : st) {
        y(T / 2, 0) = l = static_cast<level_t>((l + 1) % 8);
        benchmark::DoNotOptimize(ev.reevaluate(y, T / 2));
    }
    st.counters["island_intervals_per_s"] =
        benchmark::Counter(static_cast<double>(T / 2 * K), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_reevaluate_half)->Arg(16)->Unit(benchmark::kMicrosecond);

void BM_env_step(benchmark::State& st) {
    const auto K = static_cast<std::size_t>(st.range(0));
    const std::size_t T = 1000;
    sim::dvfs_env env(make(K, T, st.range(1)));
    rng_type rng(1);
    (void)env.reset(rng);
    dvfs::action a(K, 5);
    for (auto _ : st) {
        if (env.done()) {
            st.PauseTiming();
            (void)env.reset(rng);
            st.ResumeTiming();
        }
        benchmark::DoNotOptimize(env.step(a));
    }
    st.counters["island_intervals_per_s"] = benchmark::Counter(static_cast<double>(K), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_env_step)->Args({16, 0})->Args({64, 0})->Args({16, 1})->Args({64, 1});

}  // namespace
