// benchmarks/bench_bo.cpp: one BO iteration (ask on the current data + tell) on a 10,000-point finite grid,
// as a function of the history size n; and the default optimizer's ask on a continuous box.
#include <benchmark/benchmark.h>

#include <cmath>

#include <l2s/bo.hpp>
#include <l2s/problems.hpp>
#include <l2s/space.hpp>

namespace {
using namespace l2s;

double grid_objective(const vec& x) {  // smooth, multimodal, d = 4
    return (x.array() - 0.37).square().sum() + 0.2 * std::sin(7.0 * x.sum());
}

/// A default optimizer on a 10 × 10 × 10 × 10 grid holding n observations (hyperparameters learnt once).
auto make_grid_optimizer(std::size_t n) {
    const space::grid g = space::grid::uniform(4, 10);
    auto o = bo::make_default_optimizer(g, {.initial_points = n, .relearn_every = 0});
    rng_type rng(1);
    const mat X = bo::make_design(bo::design_kind::sobol, g, n, rng);
    vec y(X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j) y(j) = grid_objective(X.col(j));
    o.tell(X, y);
    return o;
}

// One iteration: ask (acquisition over all 10,000 points, exhaustive, chunks of 1024) + evaluate + tell
// (O(n²) model update). State is restored each round so every iteration sees n observations.
void bo_iteration_grid(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto base = make_grid_optimizer(n);
    rng_type rng(2);
    for (auto _ : state) {
        state.PauseTiming();
        auto o = base;
        state.ResumeTiming();
        const vec x = o.ask(rng);
        o.tell(x, grid_objective(x));
        benchmark::DoNotOptimize(o.size());
    }
    state.SetComplexityN(static_cast<benchmark::IterationCount>(n));
    state.counters["candidates"] = 10000;
}
BENCHMARK(bo_iteration_grid)->RangeMultiplier(2)->Range(25, 200)->Complexity(benchmark::oNSquared)->Unit(benchmark::kMillisecond);

// Hyperparameter relearning at n observations (5 L-BFGS starts, Matérn-5/2 ARD, d = 4).
void bo_relearn_grid(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto base = make_grid_optimizer(n);
    rng_type rng(3);
    for (auto _ : state) {
        auto m = base.model();
        m.learn_hyperparameters(rng);
        benchmark::DoNotOptimize(m.size());
    }
}
BENCHMARK(bo_relearn_grid)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond);

// A full default run on Branin: 50 evaluations (10 Sobol + 40 BO with multistart L-BFGS and relearning).
void bo_run_branin_50(benchmark::State& state) {
    std::uint64_t seed = 1;
    for (auto _ : state) {
        auto o = bo::make_default_optimizer(problems::branin::domain());
        rng_type rng(seed++);
        benchmark::DoNotOptimize(o.run(problems::branin{}, 50, rng).best_value);
    }
}
BENCHMARK(bo_run_branin_50)->Unit(benchmark::kMillisecond);

}  // namespace
