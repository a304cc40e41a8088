// benchmarks/bench_policy.cpp: per-decision latency and allocations of the deployable policies.
// Goal (DESIGN §i): K = 16, L = 8, F = 32 → ≤ 1 µs softmax-linear, ≤ 5 µs MLP, 0 allocations.
// Grid: K ∈ {4, 16, 64} islands × L ∈ {4, 8, 16} levels × F ∈ {8, 32, 128} features (the three feature sets).
#include <benchmark/benchmark.h>

#include <vector>

#include "policy/make_policies.hpp"
#include "policy/test_env.hpp"
#include "support/alloc_counter.hpp"

namespace {

using namespace l2s;

/// A trajectory of observations, so decisions see changing inputs and a live feature history.
std::vector<dvfs::observation> trajectory(std::size_t K, std::size_t L) {
    test::walk_env env(K, L, 1u << 20);
    rng_type rng(1);
    std::vector<dvfs::observation> obs{env.reset(rng)};
    dvfs::action a(K, 0);
    for (int t = 0; t < 63; ++t) {
        for (std::size_t k = 0; k < K; ++k) a[k] = level_t((t + k) % L);
        env.step(a);
        obs.push_back(env.observe());
    }
    return obs;
}

/// The grid point of a benchmark: K islands, L levels, F features (8, 32 or 128: the three feature sets).
struct point {
    std::size_t K, L;
    policy::feature_set set;
    explicit point(const benchmark::State& s)
        : K(std::size_t(s.range(0))), L(std::size_t(s.range(1))),
          set(s.range(2) == 8 ? policy::feature_set::compact
                              : s.range(2) == 128 ? policy::feature_set::extended : policy::feature_set::standard) {}
};

template <class P>
void run_decisions(benchmark::State& state, P& p, const point& g) {
    const auto obs = trajectory(g.K, g.L);
    dvfs::action a(g.K);
    std::size_t i = 0;
    const auto before = test::allocations();
    for (auto _ : state) {
        p.act(obs[i++ & 63], a);
        benchmark::DoNotOptimize(a.data());
        benchmark::ClobberMemory();
    }
    const auto allocs = test::allocations() - before;
    state.counters["allocations"] = double(allocs);
    state.counters["decisions/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

template <class S>
void decide_softmax(benchmark::State& s) {
    const point g(s);
    rng_type rng(2);
    auto p = test::random_softmax<S>(g.K, g.L, rng, true, g.set);
    run_decisions(s, p, g);
}
void decide_softmax_linear(benchmark::State& s) { decide_softmax<double>(s); }
void decide_softmax_linear_float(benchmark::State& s) { decide_softmax<float>(s); }

template <class S>
void decide_mlp(benchmark::State& s, std::vector<Eigen::Index> hidden) {
    const point g(s);
    rng_type rng(3);
    auto p = test::random_mlp<S>(g.K, g.L, rng, std::move(hidden), true, g.set);
    run_decisions(s, p, g);
}
void decide_mlp_32(benchmark::State& s) { decide_mlp<double>(s, {32}); }          // DESIGN's F → 32 → L
void decide_mlp_2x20(benchmark::State& s) { decide_mlp<double>(s, {20, 20}); }    // the article's larger network
void decide_mlp_2x20_float(benchmark::State& s) { decide_mlp<float>(s, {20, 20}); }
void decide_mlp_1x5(benchmark::State& s) { decide_mlp<double>(s, {5}); }          // the article's small network

void decide_tree(benchmark::State& s, std::size_t depth) {
    const point g(s);
    rng_type rng(4);
    auto p = test::random_tree<double>(g.K, g.L, rng, depth, true, g.set);
    run_decisions(s, p, g);
}
void decide_cart_tree(benchmark::State& s) { decide_tree(s, 8); }
void decide_feature_map_only(benchmark::State& s) { decide_tree(s, 0); }  // one leaf: features and scaling alone

/// The naive comparison: the same softmax-linear maths with vectors allocated on every call.
struct naive_softmax {
    std::vector<std::vector<double>> w;  // L rows of F
    std::vector<double> b, mean, scale;
    std::size_t K, L;
    void act(const dvfs::observation& o, dvfs::action& a) const {
        std::vector<std::vector<double>> feats(K, std::vector<double>(32, 0.0));
        for (std::size_t k = 0; k < K; ++k) {
            std::vector<double> raw = {o.utilisation[k], o.ipc[k], o.mem_per_instr[k], o.mem_per_s[k] * 1e-9,
                                       o.power_w[k], o.temp_c[k], o.freq_hz[k] * 1e-9, o.busy_time_s[k]};
            for (std::size_t j = 0; j < 32; ++j) feats[k][j] = (raw[j % 8] - mean[j]) / scale[j];
        }
        for (std::size_t k = 0; k < K; ++k) {
            std::vector<double> logits(L);
            for (std::size_t l = 0; l < L; ++l) {
                logits[l] = b[l];
                for (std::size_t j = 0; j < 32; ++j) logits[l] += w[l][j] * feats[k][j];
            }
            a[k] = level_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
        }
    }
};
void decide_naive_softmax_linear(benchmark::State& s) {
    const point g(s);
    naive_softmax p{std::vector<std::vector<double>>(g.L, std::vector<double>(32, 0.1)), std::vector<double>(g.L, 0.0),
                    std::vector<double>(32, 0.0), std::vector<double>(32, 1.0), g.K, g.L};
    run_decisions(s, p, g);
}

/// K ∈ {4, 16, 64} × L ∈ {4, 8, 16} × F ∈ {8, 32, 128}.
void grid(benchmark::internal::Benchmark* b) {
    for (long K : {4, 16, 64})
        for (long L : {4, 8, 16})
            for (long F : {8, 32, 128}) b->Args({K, L, F});
    b->ArgNames({"K", "L", "F"});
}
/// The naive version computes the 32 standard features only.
void grid_f32(benchmark::internal::Benchmark* b) {
    for (long K : {4, 16, 64})
        for (long L : {4, 8, 16}) b->Args({K, L, 32});
    b->ArgNames({"K", "L", "F"});
}

}  // namespace

BENCHMARK(decide_softmax_linear)->Apply(grid);
BENCHMARK(decide_softmax_linear_float)->Apply(grid);
BENCHMARK(decide_mlp_32)->Apply(grid);
BENCHMARK(decide_mlp_2x20)->Apply(grid);
BENCHMARK(decide_mlp_2x20_float)->Apply(grid);
BENCHMARK(decide_mlp_1x5)->Apply(grid);
BENCHMARK(decide_cart_tree)->Apply(grid);
BENCHMARK(decide_feature_map_only)->Apply(grid);
BENCHMARK(decide_naive_softmax_linear)->Apply(grid_f32);
