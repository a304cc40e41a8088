// tests/detail/test_lbfgs.cpp: the bounded L-BFGS minimiser.
#include <cmath>

#include <doctest/doctest.h>

#include <l2s/core/detail/lbfgs.hpp>

using l2s::vec;
using l2s::detail::lbfgs_config;
using l2s::detail::lbfgs_minimise;

namespace {
/// Rosenbrock in n dimensions: Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1).
double rosenbrock(const vec& x, vec& g) {
    double f = 0.0;
    g.setZero();
    for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
        const double a = x(i + 1) - x(i) * x(i), b = 1.0 - x(i);
        f += 100.0 * a * a + b * b;
        g(i) += -400.0 * a * x(i) - 2.0 * b;
        g(i + 1) += 200.0 * a;
    }
    return f;
}
}  // namespace

TEST_CASE("lbfgs: unconstrained Rosenbrock (2-D and 10-D) converges to (1, ..., 1)") {
    for (Eigen::Index n : {2, 10}) {
        vec x0 = vec::Constant(n, -1.2);
        x0(n - 1) = 1.0;
        const vec lo = vec::Constant(n, -10.0), hi = vec::Constant(n, 10.0);
        lbfgs_config c;
        c.max_iterations = 1000;
        c.gradient_tolerance = 1e-8;
        c.value_tolerance = 0.0;
        const auto r = lbfgs_minimise(rosenbrock, x0, lo, hi, c);
        CAPTURE(n);
        CHECK(r.converged);
        CHECK(r.value < 1e-12);
        CHECK((r.x.array() - 1.0).abs().maxCoeff() < 1e-5);
        CHECK(r.evaluations >= r.iterations);
    }
}

TEST_CASE("lbfgs: Rosenbrock with an active upper bound stops on the bound at the constrained KKT point") {
    // x ∈ [-2, 0.5]²: the constrained minimum has x₀ = 0.5 (active) and x₁ = 0.25.
    const vec lo = vec::Constant(2, -2.0), hi = vec::Constant(2, 0.5);
    lbfgs_config c;
    c.max_iterations = 500;
    c.gradient_tolerance = 1e-9;
    c.value_tolerance = 0.0;
    const auto r = lbfgs_minimise(rosenbrock, vec::Constant(2, -1.5), lo, hi, c);
    CHECK(r.converged);
    CHECK(r.x(0) == 0.5);
    CHECK(r.x(1) == doctest::Approx(0.25).epsilon(1e-6));
    CHECK(r.value == doctest::Approx(0.25).epsilon(1e-9));
}

TEST_CASE("lbfgs: start outside the box is projected; a quadratic with minimum outside ends on the corner") {
    auto f = [](const vec& x, vec& g) {
        g = 2.0 * (x - vec::Constant(x.size(), 3.0));
        return (x.array() - 3.0).square().sum();
    };
    const auto r = lbfgs_minimise(f, vec::Constant(3, -5.0), vec::Constant(3, -1.0), vec::Constant(3, 1.0));
    CHECK(r.converged);
    CHECK((r.x.array() == 1.0).all());
}

TEST_CASE("lbfgs: invalid configuration and bounds are typed errors") {
    auto f = [](const vec& x, vec& g) { g = x; return 0.5 * x.squaredNorm(); };
    lbfgs_config c;
    c.history = 0;
    CHECK_THROWS_AS((void)lbfgs_minimise(f, vec::Zero(2), vec::Constant(2, -1), vec::Constant(2, 1), c), l2s::invalid_config);
    CHECK_THROWS_AS((void)lbfgs_minimise(f, vec::Zero(2), vec::Constant(2, 1), vec::Constant(2, -1)), l2s::invalid_argument);
    CHECK_THROWS_AS((void)lbfgs_minimise(f, vec::Zero(2), vec::Constant(3, -1), vec::Constant(2, 1)), l2s::dimension_mismatch);
    auto bad = [](const vec&, vec& g) { g.setZero(); return std::nan(""); };
    CHECK_THROWS_AS((void)lbfgs_minimise(bad, vec::Zero(2), vec::Constant(2, -1), vec::Constant(2, 1)), l2s::numerical_error);
}
