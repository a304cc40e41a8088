// benchmarks/bench_acquisition.cpp: acquisition functions on batches of predictions, and scoring a V/F grid.
#include <benchmark/benchmark.h>

#include <random>

#include <l2s/acquisition.hpp>
#include <l2s/bo.hpp>
#include <l2s/space.hpp>

namespace {
using namespace l2s;

batch_prediction random_predictions(Eigen::Index m) {
    rng_type rng(1);
    std::normal_distribution<double> n01;
    std::uniform_real_distribution<double> u(1e-6, 1.0);
    batch_prediction p{vec(m), vec(m), 1e-4};
    for (Eigen::Index i = 0; i < m; ++i) {
        p.mean(i) = n01(rng);
        p.variance(i) = u(rng);
    }
    return p;
}

template <class A>
void pointwise(benchmark::State& state) {
    const auto m = static_cast<Eigen::Index>(state.range(0));
    const batch_prediction p = random_predictions(m);
    const A a{};
    const acquisition::context c{.incumbent = 1.5};  // most z < 0: the tail branches are exercised
    vec out(m);
    for (auto _ : state) {
        for (Eigen::Index i = 0; i < m; ++i) out(i) = a(p.at(i), c);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * m);
}
BENCHMARK_TEMPLATE(pointwise, acquisition::ei)->Arg(10000);
BENCHMARK_TEMPLATE(pointwise, acquisition::log_ei)->Arg(10000);
BENCHMARK_TEMPLATE(pointwise, acquisition::pi)->Arg(10000);
BENCHMARK_TEMPLATE(pointwise, acquisition::log_pi)->Arg(10000);
BENCHMARK_TEMPLATE(pointwise, acquisition::ucb)->Arg(10000);

// log-EI over every configuration of a 4-island × 8-level V/F space (4096 points) on a GP with n = 100,
// as the BO driver does it (batch prediction + pointwise map).
void log_ei_vf_grid(benchmark::State& state) {
    const space::vf_space s(4, 8);
    auto o = bo::make_default_optimizer(s, {.initial_points = 100, .relearn_every = 0});
    rng_type rng(2);
    const mat X = bo::make_design(bo::design_kind::sobol, s, 100, rng);
    vec y(X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j) y(j) = (X.col(j).array() - 0.4).square().sum();
    o.tell(X, y);
    mat all(4, static_cast<Eigen::Index>(s.size()));
    for (std::uint64_t i = 0; i < s.size(); ++i) all.col(static_cast<Eigen::Index>(i)) = s.at(i);
    for (auto _ : state) benchmark::DoNotOptimize(o.score(all, rng).data());
    state.SetItemsProcessed(state.iterations() * all.cols());
}
BENCHMARK(log_ei_vf_grid)->Unit(benchmark::kMillisecond);

// One joint Thompson draw over m candidates (n = 100 observations).
void thompson_draw(benchmark::State& state) {
    const auto m = state.range(0);
    const space::box b(4);
    auto o = bo::make_default_optimizer(b, {.initial_points = 100, .relearn_every = 0});
    rng_type rng(3);
    const mat X = bo::make_design(bo::design_kind::sobol, b, 100, rng);
    vec y(X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j) y(j) = X.col(j).sum();
    o.tell(X, y);
    mat Z(4, m);
    for (Eigen::Index j = 0; j < m; ++j) Z.col(j) = b.sample(rng);
    const acquisition::thompson ts{};
    for (auto _ : state) benchmark::DoNotOptimize(ts(o.model(), Z, acquisition::context{}, rng).data());
}
BENCHMARK(thompson_draw)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace
