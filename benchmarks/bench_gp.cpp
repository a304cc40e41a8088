// benchmarks/bench_gp.cpp: exact GP costs on the fixed workload of issue #3 §4.
// d = 5, inputs uniform in [0,1]^5 (seed 20261123), y = Σ sin(3x_i) + 0.5 x_i² + N(0, 0.05²);
// SE-ARD with ℓ = 1, σ_f² = 1, σ_n² = 0.01, zero mean, no standardisation; 1000 test points.
// Counter `minflt`: minor page faults per call (getrusage), after one untimed warm-up call, so a warm loop
// that reuses its storage reports 0. The rows registered under the name prefix `cold/` run one call on a
// model that has not run it before (one iteration); scripts/bench_gp_fresh.sh runs each in its own process.
#include <sys/resource.h>  // getrusage: minor page faults

#include <cmath>
#include <limits>
#include <random>

#include <benchmark/benchmark.h>

#include <l2s/core/detail/lbfgs.hpp>
#include <l2s/gp.hpp>

namespace {

using namespace l2s;
using gp_t = gp::exact_gp<kernel::se_ard>;
constexpr Eigen::Index dim = 5;

struct workload {
    mat X, Z;
    vec y;
};
workload make_workload(Eigen::Index n) {
    rng_type rng(20261123);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.05);
    workload w{mat(dim, n), mat(dim, 1000), vec(n)};
    for (Eigen::Index j = 0; j < n; ++j) {
        double f = 0.0;
        for (Eigen::Index i = 0; i < dim; ++i) {
            const double x = w.X(i, j) = u(rng);
            f += std::sin(3.0 * x) + 0.5 * x * x;
        }
        w.y(j) = f + noise(rng);
    }
    for (Eigen::Index j = 0; j < w.Z.cols(); ++j)
        for (Eigen::Index i = 0; i < dim; ++i) w.Z(i, j) = u(rng);
    return w;
}
gp_t make_gp() {
    gp::exact_gp_config c;
    c.noise_variance = 0.01;
    c.standardise_y = false;
    return gp_t(kernel::se_ard::from(vec::Ones(dim), 1.0), {}, c);
}
gp_t fitted(const workload& w) {
    gp_t g = make_gp();
    g.fit(w.X, w.y);
    return g;
}

long minor_faults() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}
/// Counts the minor page faults of the timed loop (including paused regions) as `minflt` per iteration.
struct fault_counter {
    benchmark::State& s;
    long start = minor_faults();
    ~fault_counter() {
        s.counters["minflt"] =
            benchmark::Counter(static_cast<double>(minor_faults() - start), benchmark::Counter::kAvgIterations);
    }
};
// Each row with a cold/ twin is a template on Cold: warm rows make untimed calls first (two where the model
// double-buffers its factor, so that both buffers have reached their size), cold rows (one iteration) none.
// Whether a run is warm must not depend on its iteration count: a call slower than --benchmark_min_time runs
// once, and would otherwise report the first touch of its buffers as the loop's page faults.

template <bool Cold>
void BM_fit(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    gp_t g = make_gp();
    if constexpr (!Cold)
        for (int i = 0; i < 2; ++i) g.fit(w.X, w.y);
    fault_counter faults{s};
    for (auto _ : s) {
        g.fit(w.X, w.y);
        benchmark::DoNotOptimize(g.log_marginal_likelihood());
    }
}
template <bool Cold>
void BM_predict_batch(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const gp_t g = fitted(w);
    if constexpr (!Cold) benchmark::DoNotOptimize(g.predict(w.Z));
    fault_counter faults{s};
    for (auto _ : s) benchmark::DoNotOptimize(g.predict(w.Z));
}
/// predict_parallel over range(1) threads (wall time: UseRealTime).
void BM_predict_parallel(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const gp_t g = fitted(w);
    for (auto _ : s) benchmark::DoNotOptimize(g.predict_parallel(w.Z, static_cast<std::size_t>(s.range(1))));
}
void BM_predict_mean_only(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const gp_t g = fitted(w);
    for (auto _ : s) benchmark::DoNotOptimize(g.predict_mean(w.Z));
}
void BM_predict_loop(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const gp_t g = fitted(w);
    vec x(dim);
    for (auto _ : s)
        for (Eigen::Index j = 0; j < w.Z.cols(); ++j) {
            x = w.Z.col(j);
            benchmark::DoNotOptimize(g.predict(x));
        }
}
/// One add at n − 1 → n (the added point is dropped again, untimed).
template <bool Cold>
void BM_add(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const Eigen::Index n = w.X.cols();
    gp_t g = make_gp();
    g.fit(w.X.leftCols(n - 1), w.y.head(n - 1));
    const vec x = w.X.col(n - 1);
    if constexpr (!Cold) {
        g.add(x, w.y(n - 1));
        g.truncate(static_cast<std::size_t>(n - 1));
    }
    fault_counter faults{s};
    for (auto _ : s) {
        g.add(x, w.y(n - 1));
        s.PauseTiming();
        g.truncate(static_cast<std::size_t>(n - 1));
        s.ResumeTiming();
    }
}
/// One add that outgrows the storage: a GP fitted to n − 1 points with capacity n − 1 (rebuilt untimed for
/// every iteration) takes its n-th point.
void BM_add_grow(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const Eigen::Index n = w.X.cols();
    const vec x = w.X.col(n - 1);
    long faults = 0;
    for (auto _ : s) {
        s.PauseTiming();
        gp_t g = make_gp();
        g.fit(w.X.leftCols(n - 1), w.y.head(n - 1));
        const long f0 = minor_faults();
        s.ResumeTiming();
        g.add(x, w.y(n - 1));
        s.PauseTiming();
        faults += minor_faults() - f0;
        benchmark::DoNotOptimize(g.size());
        g = gp_t(make_gp());  // release untimed
        s.ResumeTiming();
    }
    s.counters["minflt"] = benchmark::Counter(static_cast<double>(faults), benchmark::Counter::kAvgIterations);
}
/// One removal of the oldest point (the worst case, O(n²)); the point is put back untimed.
void BM_remove(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    gp_t g = fitted(w);
    for (auto _ : s) {
        g.remove(0);
        s.PauseTiming();
        g.fit(w.X, w.y);
        s.ResumeTiming();
    }
}
/// Log likelihood at a new θ: refactorisation plus the O(n²) terms (what a hyperparameter search pays).
template <bool Cold>
void BM_lml(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    gp_t g = fitted(w);
    const vec theta = g.params();
    if constexpr (!Cold)
        for (int i = 0; i < 2; ++i) g.set_params(theta);
    fault_counter faults{s};
    for (auto _ : s) {
        g.set_params(theta);
        benchmark::DoNotOptimize(g.log_marginal_likelihood());
    }
}
/// Its gradient on the fitted GP: K_y⁻¹ (triangular inverse + triangular product) and the fused W ∘ ∂K sums.
template <bool Cold>
void BM_lml_gradient(benchmark::State& s) {
    const auto w = make_workload(s.range(0));
    const gp_t g = fitted(w);
    if constexpr (!Cold) benchmark::DoNotOptimize(g.log_marginal_likelihood_gradient());
    fault_counter faults{s};
    for (auto _ : s) benchmark::DoNotOptimize(g.log_marginal_likelihood_gradient());
}
/// Hyperparameter fit, n = 200, one start (the initial θ above), 100 L-BFGS iterations at most.
/// Counters: LML evaluations used, LML reached, and the evaluations a single run needs to come within 1e-2 of
/// the best LML found by a 20-start search (computed once, untimed).
void BM_hyperparameter_fit(benchmark::State& s) {
    const auto w = make_workload(200);
    gp::hyperopt_config hc;
    hc.random_starts = 0;
    hc.lbfgs.max_iterations = 100;
    double reference = -std::numeric_limits<double>::infinity();
    {
        gp_t g = fitted(w);
        gp::hyperopt_config wide = hc;
        wide.random_starts = 19;
        rng_type rng(1);
        reference = g.learn_hyperparameters(rng, wide).log_marginal_likelihood;
    }
    std::size_t evals_to_reach = 0;
    {
        gp_t g = fitted(w);
        std::size_t count = 0;
        vec lo2 = vec::Constant(dim + 2, std::log(1e-2)), hi = vec::Constant(dim + 2, std::log(1e2));
        lo2(dim + 1) = std::log(1e-6);
        hi(dim + 1) = 0.0;
        auto f = [&](const vec& t, vec& grad) {
            const auto v = g.evaluate_log_marginal_likelihood(t);
            ++count;
            if (evals_to_reach == 0 && v.value >= reference - 1e-2) evals_to_reach = count;
            grad = -v.gradient;
            return -v.value;
        };
        (void)detail::lbfgs_minimise(f, g.params(), lo2, hi, hc.lbfgs);
    }
    gp::hyperopt_result r;
    for (auto _ : s) {
        s.PauseTiming();
        gp_t g = fitted(w);
        rng_type rng(1);
        s.ResumeTiming();
        r = g.learn_hyperparameters(rng, hc);
    }
    s.counters["evaluations"] = static_cast<double>(r.evaluations);
    s.counters["lml"] = r.log_marginal_likelihood;
    s.counters["reference_lml"] = reference;
    s.counters["evals_to_1e-2"] = static_cast<double>(evals_to_reach);
}

}  // namespace

BENCHMARK(BM_fit<false>)->Name("BM_fit")->Arg(100)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);
// n = 3000: the factor's lower half (36 MB) no longer fits the 32 MB L3 of the reference machine, so the
// per-point loop streams it from memory (docs/results/performance.md#gp).
BENCHMARK(BM_predict_batch<false>)->Name("BM_predict_batch")->Arg(100)->Arg(500)->Arg(1000)->Arg(2000)->Arg(3000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_predict_parallel)->ArgsProduct({{100, 500, 1000}, {1, 2}})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_predict_mean_only)->Arg(100)->Arg(500)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_predict_loop)->Arg(100)->Arg(500)->Arg(1000)->Arg(3000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_add<false>)->Name("BM_add")->Arg(100)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_add_grow)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_remove)->Arg(100)->Arg(500)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_lml<false>)->Name("BM_lml")->Arg(100)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_lml_gradient<false>)->Name("BM_lml_gradient")->Arg(100)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMicrosecond);
// One call on a model that has not made it before (the first fit of a new GP, the first set_params, gradient,
// add and batch prediction after a fit): scripts/bench_gp_fresh.sh runs each row in a fresh process.
BENCHMARK(BM_fit<true>)->Name("cold/BM_fit")->Arg(500)->Arg(1000)->Arg(2000)->Iterations(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_lml<true>)->Name("cold/BM_lml")->Arg(500)->Arg(1000)->Arg(2000)->Iterations(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_lml_gradient<true>)->Name("cold/BM_lml_gradient")->Arg(500)->Arg(1000)->Arg(2000)->Iterations(1)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_add<true>)->Name("cold/BM_add")->Arg(500)->Arg(1000)->Arg(2000)->Iterations(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_predict_batch<true>)->Name("cold/BM_predict_batch")->Arg(500)->Arg(1000)->Arg(2000)->Iterations(1)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hyperparameter_fit)->Unit(benchmark::kMillisecond);
