// tests/online/test_rls.cpp: recursive least squares.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <Eigen/QR>

#include <l2s/online/rls.hpp>

using namespace l2s;
using online::rls;

namespace {
mat random_design(rng_type& rng, Eigen::Index n, Eigen::Index d) {
    std::normal_distribution<double> z(0.0, 1.0);
    mat x(n, d);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < d; ++j) x(i, j) = j == d - 1 ? 1.0 : z(rng);
    return x;
}
}  // namespace

TEST_CASE("rls: without forgetting equals the batch (prior-regularised) least-squares solution") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        rng_type rng(seed);
        const Eigen::Index n = 200, d = 4;
        const mat x = random_design(rng, n, d);
        std::normal_distribution<double> z(0.0, 0.1);
        vec theta_true(d);
        theta_true << 1.5, -2.0, 0.3, 4.0;
        vec y = x * theta_true;
        for (Eigen::Index i = 0; i < n; ++i) y(i) += z(rng);
        const double p0 = 100.0;
        rls model(d, {.forgetting = 1.0, .initial_variance = p0});
        for (Eigen::Index i = 0; i < n; ++i) model.update(x.row(i).transpose(), y(i));
        const mat a = x.transpose() * x + mat::Identity(d, d) / p0;
        const vec ridge = a.ldlt().solve(x.transpose() * y);
        CHECK((model.weights() - ridge).lpNorm<Eigen::Infinity>() < 1e-9);
        CHECK((model.covariance() - a.inverse()).lpNorm<Eigen::Infinity>() < 1e-9);
        // As P₀ grows the solution tends to plain least squares.
        rls wide(d, {.forgetting = 1.0, .initial_variance = 1e7});
        for (Eigen::Index i = 0; i < n; ++i) wide.update(x.row(i).transpose(), y(i));
        const vec ls = x.colPivHouseholderQr().solve(y);
        CHECK((wide.weights() - ls).lpNorm<Eigen::Infinity>() < 1e-7);
        CHECK(model.num_updates() == n);
    }
}

TEST_CASE("rls: with forgetting tracks a drifting model") {
    rng_type rng(7);
    std::normal_distribution<double> z(0.0, 1.0);
    rls tracker(2, {.forgetting = 0.95});
    rls frozen(2, {.forgetting = 1.0});
    vec x(2);
    double err_tracker = 0.0, err_frozen = 0.0;
    for (int t = 0; t < 2000; ++t) {
        const double slope = 1.0 + 2.0 * std::sin(t / 300.0);
        x << z(rng), 1.0;
        const double y = slope * x(0) + 0.5 + 0.01 * z(rng);
        tracker.update(x, y);
        frozen.update(x, y);
        if (t > 200) {
            err_tracker += std::abs(tracker.weights()(0) - slope);
            err_frozen += std::abs(frozen.weights()(0) - slope);
        }
    }
    CHECK(err_tracker / 1800.0 < 0.15);  // lag ≈ drift rate × memory (0.0067 × 20)
    CHECK(err_frozen > 5.0 * err_tracker);
    const prediction p = tracker.predict(x);
    CHECK(p.variance >= 0.0);
    CHECK(p.noise_variance > 0.0);
    CHECK(p.noise_variance < 0.05);
}

TEST_CASE("rls: covariance wind-up triggers a reset reported as a numerical event") {
    rls model(2, {.forgetting = 0.9, .initial_variance = 1.0, .max_trace = 1e3});
    event_log log;
    vec x(2);
    x << 1.0, 0.0;  // the second direction is never excited: its variance grows like 0.9⁻ⁿ
    bool reset = false;
    for (int t = 0; t < 200 && !reset; ++t) reset = model.update(x, 2.0, log);
    CHECK(reset);
    CHECK(model.num_resets() == 1);
    REQUIRE(log.events.size() == 1);
    CHECK(log.events[0].kind == numerical_event_kind::model_reset);
    CHECK(std::string(log.events[0].component) == "l2s::online::rls::update");
    CHECK(model.covariance().trace() == doctest::Approx(2.0));
    CHECK(model.weights()(0) == doctest::Approx(2.0).epsilon(1e-3));
}

TEST_CASE("rls: bad input → typed errors, state unchanged") {
    CHECK_THROWS_AS(rls(2, {.forgetting = 0.0}), invalid_config);
    CHECK_THROWS_AS(rls(2, {.forgetting = 1.1}), invalid_config);
    CHECK_THROWS_AS(rls(2, {.initial_variance = -1.0}), invalid_config);
    CHECK_THROWS_AS(rls(2, {.max_trace = 0.0}), invalid_config);
    CHECK_THROWS_AS(rls(2, {.noise_forgetting = 1.0}), invalid_config);
    CHECK_THROWS_AS(rls(0), invalid_config);
    rls model(2);
    vec x(2);
    x << 1.0, 2.0;
    model.update(x, 3.0);
    const vec w = model.weights();
    const mat p = model.covariance();
    vec bad = x;
    bad(1) = std::nan("");
    CHECK_THROWS_AS(model.update(bad, 1.0), non_finite_observation);
    CHECK_THROWS_AS(model.update(x, std::nan("")), non_finite_observation);
    CHECK_THROWS_AS(model.update(vec::Ones(3), 1.0), dimension_mismatch);
    CHECK_THROWS_AS((void)model.predict(vec::Ones(3)), dimension_mismatch);
    CHECK(model.weights() == w);
    CHECK(model.covariance() == p);
    CHECK(model.num_updates() == 1);
    model.reset();
    CHECK(model.weights().isZero());
    CHECK(model.num_updates() == 0);
}
