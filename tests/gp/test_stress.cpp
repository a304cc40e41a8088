// tests/gp/test_stress.cpp: numerical stress of exact_gp: 10^5 interleaved online additions and removals
// against refits, near-singular Gram matrices (tiny and huge length-scales, duplicate inputs), and targets of
// very large and very small magnitude.
#include <cmath>
#include <random>

#include <doctest/doctest.h>

#include "gp/compare.hpp"

#include <l2s/gp.hpp>

using namespace l2s;

namespace {
using gp_t = gp::exact_gp<kernel::matern52_ard>;
gp_t make_stress_gp(double log_ell, double noise = 1e-3) {
    gp::exact_gp_config c;
    c.noise_variance = noise;
    return gp_t(kernel::matern52_ard{vec::Constant(2, log_ell), 0.0}, {}, c);
}
double target(const vec& x) { return std::sin(3.0 * x(0)) + 0.5 * x(1) * x(1); }
}  // namespace

TEST_CASE("exact_gp stress: 10^5 interleaved additions and removals stay within 1e-8 of a refit") {
    rng_type rng(2024);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    auto g = make_stress_gp(std::log(0.3));
    mat X(2, 0);
    vec y(0);
    mat Z(2, 16);
    for (Eigen::Index j = 0; j < Z.cols(); ++j) Z.col(j) << u(rng), u(rng);
    double worst = 0.0;
    std::size_t checks = 0;
    for (int op = 1; op <= 100000; ++op) {
        const auto n = static_cast<std::size_t>(X.cols());
        // keep between 20 and 60 points: add below 20, remove above 60, otherwise either
        const bool add = n < 20 || (n < 60 && u(rng) < 0.5);
        if (add) {
            vec x(2);
            x << u(rng), u(rng);
            const double v = target(x) + 0.03 * (u(rng) - 0.5);
            g.add(x, v);
            X.conservativeResize(2, X.cols() + 1);
            X.col(X.cols() - 1) = x;
            y.conservativeResize(y.size() + 1);
            y(y.size() - 1) = v;
        } else {
            const auto i = static_cast<Eigen::Index>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
            g.remove(static_cast<std::size_t>(i));
            const Eigen::Index tail = X.cols() - i - 1;
            X.middleCols(i, tail) = X.rightCols(tail).eval();
            y.segment(i, tail) = y.tail(tail).eval();
            X.conservativeResize(2, X.cols() - 1);
            y.conservativeResize(y.size() - 1);
        }
        if (op % 10000 == 0) {
            auto ref = make_stress_gp(std::log(0.3));
            ref.fit(X, y);
            REQUIRE(g.size() == static_cast<std::size_t>(X.cols()));
            worst = std::max(worst, test::max_difference(g, ref, Z));
            ++checks;
        }
    }
    CHECK(checks == 10);
    CHECK(worst < 1e-8);
    MESSAGE("worst difference to a refit over 10^5 operations: " << worst);
}

TEST_CASE("exact_gp stress: near-singular Gram matrices stay usable or fail typed") {
    rng_type rng(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    mat X(2, 40);
    vec y(40);
    for (Eigen::Index j = 0; j < 40; ++j) {
        X.col(j) << u(rng), u(rng);
        y(j) = target(X.col(j));
    }
    X.col(11) = X.col(3);  // duplicates
    X.col(27) = X.col(3);
    for (double log_ell : {std::log(1e-6), std::log(1e3)}) {  // K ≈ I, and K ≈ all ones (rank one)
        CAPTURE(log_ell);
        auto g = make_stress_gp(log_ell, 0.0);
        try {
            g.fit(X, y);
            const auto p = g.predict(X);
            CHECK(p.mean.allFinite());
            CHECK(p.variance.allFinite());
            CHECK((p.variance.array() >= 0.0).all());
            CHECK(std::isfinite(g.log_marginal_likelihood()));
        } catch (const numerical_error& e) {
            CHECK(std::string(e.what()).rfind("l2s::gp::exact_gp", 0) == 0);
            CHECK(g.size() == 0);  // unchanged
        }
    }
    // With tiny length-scales the GP interpolates exactly where it has data and reverts to the prior between.
    auto g = make_stress_gp(std::log(1e-6), 1e-8);
    g.fit(X.leftCols(10), y.head(10));
    const auto p = g.predict(X.leftCols(10));
    CHECK((p.mean - y.head(10)).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("exact_gp stress: targets of magnitude 1e8 and 1e-8 give the same standardised model") {
    rng_type rng(8);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    mat X(2, 30), Z(2, 10);
    vec y(30);
    for (Eigen::Index j = 0; j < 30; ++j) {
        X.col(j) << u(rng), u(rng);
        y(j) = target(X.col(j));
    }
    for (Eigen::Index j = 0; j < 10; ++j) Z.col(j) << u(rng), u(rng);
    auto base = make_stress_gp(std::log(0.3));
    base.fit(X, y);
    const auto pb = base.predict(Z);
    for (double scale : {1e8, 1e-8}) {
        CAPTURE(scale);
        auto g = make_stress_gp(std::log(0.3));
        g.fit(X, (y.array() * scale + 5.0 * scale).matrix());
        const auto p = g.predict(Z);
        CHECK(((p.mean.array() / scale - 5.0) - pb.mean.array()).abs().maxCoeff() < 1e-8);
        CHECK(((p.variance.array() / (scale * scale)) - pb.variance.array()).abs().maxCoeff() < 1e-8);
        // the likelihood is that of the standardised targets (docs/gp.md), so it does not depend on the scale
        CHECK(std::abs(g.log_marginal_likelihood() - base.log_marginal_likelihood()) < 1e-8 * std::abs(base.log_marginal_likelihood()));
    }
}
