// benchmarks/bench_online.cpp: cost per UaOL decision (gate, conformal sets, bounded search with island_models).
// Goal (DESIGN §g, §i): K = 16, L = 8, unseen decision at B = 256 ≤ 20 µs, 0 allocations.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include <l2s/online.hpp>

#include "support/alloc_counter.hpp"

namespace {

using namespace l2s;
constexpr std::size_t K = 16, L = 8;

/// Random probability blocks with moderate entropy, and a calibrated gate/calibrator.
struct fixture {
    std::vector<double> blocks;  // n × K × L
    std::vector<level_t> labels;
    std::size_t n = 256;
    online::entropy_gate gate{std::vector<std::size_t>(K, L)};
    online::conformal_calibrator cal{std::vector<std::size_t>(K, L)};
    std::vector<std::vector<double>> freq_hz, volt_v;
    dvfs::observation obs;
    fixture() {
        rng_type rng(1);
        std::normal_distribution<double> z(0.0, 1.0);
        blocks.resize(n * K * L);
        labels.resize(n * K);
        for (std::size_t i = 0; i < n * K; ++i) {
            double s = 0.0;
            for (std::size_t l = 0; l < L; ++l) s += (blocks[i * L + l] = std::exp(1.2 * z(rng)));
            for (std::size_t l = 0; l < L; ++l) blocks[i * L + l] /= s;
            labels[i] = static_cast<level_t>(rng() % L);
        }
        gate.calibrate(blocks);
        cal.calibrate(blocks, labels);
        obs.resize(K);
        for (std::size_t k = 0; k < K; ++k) {
            std::vector<double> f(L), v(L);
            for (std::size_t l = 0; l < L; ++l) {
                f[l] = 0.4e9 + 0.2e9 * static_cast<double>(l);
                v[l] = 0.8 + 0.05 * static_cast<double>(l);
            }
            freq_hz.push_back(f);
            volt_v.push_back(v);
            obs.active_cores[k] = 4;
            obs.temp_c[k] = 60.0;
            obs.mem_per_instr[k] = 0.01;
            obs.ipc[k] = 1.0;
            obs.freq_hz[k] = 1e9;
            obs.busy_time_s[k] = 0.01;
        }
    }
};

void bm_gate(benchmark::State& state) {
    fixture fx;
    std::size_t i = 0;
    const long long before = test::allocations();
    for (auto _ : state) {
        benchmark::DoNotOptimize(fx.gate.value(std::span<const double>(fx.blocks).subspan((i++ % fx.n) * K * L, K * L)));
    }
    state.counters["allocs"] = static_cast<double>(test::allocations() - before);
}
BENCHMARK(bm_gate);

void bm_sets(benchmark::State& state) {
    fixture fx;
    std::vector<level_t> out(K * L);
    std::size_t i = 0;
    const long long before = test::allocations();
    for (auto _ : state) {
        const auto block = std::span<const double>(fx.blocks).subspan((i++ % fx.n) * K * L, K * L);
        for (std::size_t k = 0; k < K; ++k) benchmark::DoNotOptimize(fx.cal.set(block, k, std::span<level_t>(out).subspan(k * L, L)));
    }
    state.counters["allocs"] = static_cast<double>(test::allocations() - before);
}
BENCHMARK(bm_sets);

/// Whole unseen decision: gate, entropies and order, sets, model tables, bounded search.
void bm_unseen_decision(benchmark::State& state) {
    fixture fx;
    const auto budget = static_cast<std::size_t>(state.range(0));
    constexpr online::search_strategy strategies[] = {online::search_strategy::coordinate, online::search_strategy::beam,
                                                      online::search_strategy::sweep};
    const auto strategy = strategies[state.range(1)];
    online::island_models models(fx.freq_hz, fx.volt_v, {.power_prior = {0.3, 0.2, 1e-4, 0.05}});
    online::product_set_search search(std::vector<std::size_t>(K, L), {.budget = budget, .strategy = strategy});
    std::vector<level_t> sets(K * L), start(K), out(K);
    std::vector<std::size_t> sizes(K), order(K);
    std::vector<double> entropy(K);
    std::size_t i = 0;
    double evaluated = 0.0;
    long long decisions = 0;
    const long long before = test::allocations();
    for (auto _ : state) {
        const auto block = std::span<const double>(fx.blocks).subspan((i++ % fx.n) * K * L, K * L);
        benchmark::DoNotOptimize(fx.gate.value(block));
        for (std::size_t k = 0; k < K; ++k) {
            entropy[k] = fx.gate.island_entropy(block, k);
            sizes[k] = fx.cal.set(block, k, std::span<level_t>(sets).subspan(k * L, L));
            start[k] = static_cast<level_t>(std::max_element(block.begin() + static_cast<std::ptrdiff_t>(k * L),
                                                             block.begin() + static_cast<std::ptrdiff_t>((k + 1) * L)) -
                                            (block.begin() + static_cast<std::ptrdiff_t>(k * L)));
        }
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return entropy[a] > entropy[b]; });
        const auto r = search.search(models, fx.obs, sets, sizes, start, order, out);
        evaluated += static_cast<double>(r.evaluated);
        ++decisions;
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["allocs"] = static_cast<double>(test::allocations() - before);
    state.counters["evaluated"] = evaluated / static_cast<double>(std::max<long long>(decisions, 1));
}
/// Second argument: 0 coordinate, 1 beam, 2 sweep (exact; B only decides when the product is enumerated).
BENCHMARK(bm_unseen_decision)->ArgsProduct({{16, 64, 256}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);

/// The budget guard's work on a seen decision: 2K island_models estimates (each island's top level and its
/// argmax), with switch costs (range(0) = 1: 30 µs stall, 10 mV/µs ramp, islands at level 3) or without.
void bm_guard_estimates(benchmark::State& state) {
    fixture fx;
    online::island_models_config cfg{.power_prior = {0.3, 0.2, 1e-4, 0.05}};
    if (state.range(0) == 1) {
        cfg.transition_latency_s.assign(K, 30e-6);
        cfg.volt_slew_v_per_s.assign(K, 1e4);
    }
    const online::island_models models(fx.freq_hz, fx.volt_v, cfg);
    for (std::size_t k = 0; k < K; ++k) fx.obs.level[k] = 3;
    std::size_t i = 0;
    const long long before = test::allocations();
    for (auto _ : state) {
        const auto block = std::span<const double>(fx.blocks).subspan((i++ % fx.n) * K * L, K * L);
        double t_ref = 0.0, t = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
            const auto arg = static_cast<level_t>(std::max_element(block.begin() + static_cast<std::ptrdiff_t>(k * L),
                                                                   block.begin() + static_cast<std::ptrdiff_t>((k + 1) * L)) -
                                                  (block.begin() + static_cast<std::ptrdiff_t>(k * L)));
            t_ref = std::max(t_ref, models.estimate(fx.obs, k, L - 1).time_s);
            t = std::max(t, models.estimate(fx.obs, k, arg).time_s);
        }
        benchmark::DoNotOptimize(t > 1.05 * t_ref);
    }
    state.counters["allocs"] = static_cast<double>(test::allocations() - before);
}
BENCHMARK(bm_guard_estimates)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
