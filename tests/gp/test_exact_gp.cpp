// tests/gp/test_exact_gp.cpp: incremental updates vs fresh fits, likelihood gradient vs finite differences,
// leave-one-out vs explicit refits, jitter ladder, standardisation, and bad input (object left unchanged).
#include <cmath>
#include <limits>
#include <random>

#include <doctest/doctest.h>

#include "gp/compare.hpp"

#include <l2s/gp.hpp>
#include <support/fd_gradient.hpp>

using namespace l2s;

namespace {

struct data {
    mat X;
    vec y;
};
data make_data(Eigen::Index d, Eigen::Index n, std::uint64_t seed) {
    rng_type rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> e(0.0, 0.05);
    data s{mat(d, n), vec(n)};
    for (Eigen::Index j = 0; j < n; ++j) {
        double f = 0.0;
        for (Eigen::Index i = 0; i < d; ++i) {
            s.X(i, j) = u(rng);
            f += std::sin(3.0 * s.X(i, j)) + 0.5 * s.X(i, j) * s.X(i, j);
        }
        s.y(j) = 3.0 + 2.0 * f + e(rng);
    }
    return s;
}

using gp_t = gp::exact_gp<kernel::matern52_ard>;
gp_t make_gp(Eigen::Index d, gp::exact_gp_config c = {}) {
    c.noise_variance = 1e-3;
    return gp_t(kernel::matern52_ard{vec::Constant(d, std::log(0.4)), 0.0}, {}, c);
}

}  // namespace

TEST_CASE("exact_gp: incremental add equals a fresh fit (capacity growth included)") {
    const auto s = make_data(3, 40, 1);
    const mat Z = make_data(3, 25, 2).X;
    gp::exact_gp_config c;
    c.capacity = 4;  // forces several doublings
    auto inc = make_gp(3, c);
    for (Eigen::Index j = 0; j < s.X.cols(); ++j) inc.add(s.X.col(j), s.y(j));
    auto ref = make_gp(3);
    ref.fit(s.X, s.y);
    CHECK(inc.size() == 40);
    CHECK(inc.capacity() >= 40);
    CHECK(test::max_difference(inc, ref, Z) < 1e-9);
}

TEST_CASE("exact_gp: remove(i) and truncate(n) equal fresh fits") {
    const auto s = make_data(2, 30, 3);
    const mat Z = make_data(2, 20, 4).X;
    for (std::size_t i : {std::size_t{0}, std::size_t{7}, std::size_t{29}}) {
        CAPTURE(i);
        auto g = make_gp(2);
        g.fit(s.X, s.y);
        g.remove(i);
        mat X2(2, 29);
        vec y2(29);
        for (Eigen::Index j = 0, k = 0; j < 30; ++j)
            if (j != static_cast<Eigen::Index>(i)) {
                X2.col(k) = s.X.col(j);
                y2(k++) = s.y(j);
            }
        auto ref = make_gp(2);
        ref.fit(X2, y2);
        CHECK(test::max_difference(g, ref, Z) < 1e-9);
    }
    auto g = make_gp(2);
    g.fit(s.X, s.y);
    g.truncate(12);
    auto ref = make_gp(2);
    ref.fit(s.X.leftCols(12), s.y.head(12));
    CHECK(test::max_difference(g, ref, Z) < 1e-9);
    CHECK_THROWS_AS(g.truncate(13), invalid_argument);
    CHECK_THROWS_AS(g.remove(12), invalid_argument);
    CHECK(g.size() == 12);
}

TEST_CASE("exact_gp: a sliding window keeps the newest points and equals a fresh fit on them") {
    const auto s = make_data(2, 50, 5);
    const mat Z = make_data(2, 10, 6).X;
    gp::exact_gp_config c;
    c.window = 15;
    auto g = make_gp(2, c);
    for (Eigen::Index j = 0; j < 50; ++j) g.add(s.X.col(j), s.y(j));
    CHECK(g.size() == 15);
    auto ref = make_gp(2);
    ref.fit(s.X.rightCols(15), s.y.tail(15));
    CHECK(test::max_difference(g, ref, Z) < 1e-9);
    auto f = make_gp(2, c);
    f.fit(s.X, s.y);  // fit also honours the window
    CHECK(f.size() == 15);
    CHECK(test::max_difference(f, ref, Z) < 1e-9);
}

TEST_CASE("exact_gp: log marginal likelihood gradient matches central differences") {
    const auto s = make_data(3, 25, 7);
    auto g = make_gp(3);
    g.fit(s.X, s.y);
    const vec theta = g.params();
    const vec grad = g.log_marginal_likelihood_gradient();
    const vec fd = test::fd_gradient([&](const vec& t) { return g.evaluate_log_marginal_likelihood(t).value; }, theta, 1e-5);
    CHECK((grad - fd).cwiseAbs().maxCoeff() < 1e-6 * std::max(1.0, fd.cwiseAbs().maxCoeff()));
    const auto v = g.evaluate_log_marginal_likelihood(theta);
    CHECK(v.value == doctest::Approx(g.log_marginal_likelihood()).epsilon(1e-12));
    CHECK((v.gradient - grad).cwiseAbs().maxCoeff() < 1e-10);
}

TEST_CASE("exact_gp: leave-one-out equals explicit refits without each point") {
    const auto s = make_data(2, 15, 8);
    // Without standardisation, removing a point changes nothing else, so the closed form must equal a refit.
    gp::exact_gp_config c;
    c.standardise_y = false;
    c.noise_variance = 1e-3;
    gp::exact_gp<kernel::matern52_ard, mean::constant> g(kernel::matern52_ard{vec::Constant(2, std::log(0.4)), 0.0},
                                                         {s.y.mean()}, c);
    g.fit(s.X, s.y);
    const auto loo = g.leave_one_out();
    REQUIRE(loo.mean.size() == 15);
    for (std::size_t i : {std::size_t{0}, std::size_t{6}, std::size_t{14}}) {
        auto b = g;
        b.remove(i);
        const auto p = b.predict(vec(s.X.col(static_cast<Eigen::Index>(i))));
        CHECK(loo.mean(static_cast<Eigen::Index>(i)) == doctest::Approx(p.mean).epsilon(1e-9));
        CHECK(loo.variance(static_cast<Eigen::Index>(i)) == doctest::Approx(p.noisy_variance()).epsilon(1e-8));
    }
}

TEST_CASE("exact_gp: standardisation returns predictions in original units") {
    const auto s = make_data(2, 30, 9);
    auto g = make_gp(2);
    g.fit(s.X, s.y);
    CHECK(g.y_shift() == doctest::Approx(s.y.mean()));
    const auto p = g.predict(s.X);
    CHECK((p.mean - s.y).cwiseAbs().maxCoeff() < 0.2);  // interpolates the data (noise 0.05 · scale)
    CHECK(g.noise_variance() == doctest::Approx(1e-3 * g.y_scale() * g.y_scale()));
    CHECK(g.best_posterior_mean() == doctest::Approx(g.posterior_mean_at_data().maxCoeff()));
    CHECK((g.posterior_mean_at_data() - p.mean).cwiseAbs().maxCoeff() < 1e-9);
    const auto post = g.posterior(s.X.leftCols(5));
    CHECK((post.covariance.diagonal() - p.variance.head(5)).cwiseAbs().maxCoeff() < 1e-9);
    CHECK((post.mean - p.mean.head(5)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("exact_gp: hyperparameter learning improves the likelihood and respects the bounds") {
    const auto s = make_data(2, 40, 10);
    auto g = make_gp(2);
    g.fit(s.X, s.y);
    const double before = g.log_marginal_likelihood();
    rng_type rng(3);
    gp::hyperopt_config hc;
    const auto r = g.learn_hyperparameters(rng, hc);
    CHECK(r.log_marginal_likelihood >= before);
    CHECK(r.starts == 5);
    const vec t = g.params();
    CHECK((t.head(2).array() >= std::log(1e-2) - 1e-12).all());
    CHECK((t.head(2).array() <= std::log(1e2) + 1e-12).all());
    CHECK(t(3) >= std::log(1e-6) - 1e-12);
    // The learned θ is a stationary point or on a bound: small projected gradient.
    const vec grad = g.log_marginal_likelihood_gradient();
    for (Eigen::Index j = 0; j < grad.size(); ++j) {
        const bool interior = t(j) > std::log(1e-6) + 1e-6 && t(j) < std::log(1e2) - 1e-6 && (j != 3 || t(j) < -1e-6);
        if (interior) CHECK(std::abs(grad(j)) < 1e-3);
    }
    hc.learn_noise = false;
    const double noise = g.log_noise_variance();
    (void)g.learn_hyperparameters(rng, hc);
    CHECK(g.log_noise_variance() == noise);
    hc.noise_variance_bounds = {1.0, 0.5};
    CHECK_THROWS_AS((void)g.learn_hyperparameters(rng, hc), invalid_config);
}

TEST_CASE("exact_gp: data_mean and model_prior means") {
    const auto s = make_data(1, 12, 11);
    gp::exact_gp_config c;
    c.standardise_y = false;
    gp::exact_gp<kernel::se_ard, mean::data_mean> g(kernel::se_ard{vec::Constant(1, std::log(0.3)), 0.0}, {}, c);
    g.fit(s.X, s.y);
    CHECK(g.mean_function().value == doctest::Approx(s.y.mean()));
    const double far = g.predict(vec(vec::Constant(1, 50.0))).mean;  // reverts to the prior mean
    CHECK(far == doctest::Approx(s.y.mean()).epsilon(1e-9));
    g.remove(0);
    CHECK(g.mean_function().value == doctest::Approx(s.y.tail(11).mean()));
    auto prior = [](const vec& x) { return 3.0 + 10.0 * x(0); };
    gp::exact_gp m(kernel::se_ard{vec::Constant(1, std::log(0.3)), 0.0}, mean::model_prior{prior}, c);
    m.fit(s.X, s.y);
    CHECK(m.predict(vec(vec::Constant(1, 50.0))).mean == doctest::Approx(503.0).epsilon(1e-9));
}

TEST_CASE("exact_gp: duplicate inputs with zero noise take the jitter ladder (reported) or fail typed") {
    const auto s = make_data(2, 10, 12);
    mat X = s.X;
    X.col(3) = X.col(7);
    gp::exact_gp_config c;
    c.noise_variance = 0.0;
    auto g = gp_t(kernel::matern52_ard{vec::Constant(2, std::log(0.4)), 0.0}, {}, c);
    event_log log;
    g.fit(X, s.y, log);
    CHECK(g.jitter() > 0.0);
    REQUIRE(!log.events.empty());
    CHECK(log.events.front().kind == numerical_event_kind::jitter_added);
    CHECK(std::string(log.events.front().component) == "l2s::gp::exact_gp::fit");
    CHECK(g.last_events().size() == log.events.size());
    // Adding a duplicate again: the GP stays usable (jitter kept, or a reported refactor).
    g.add(X.col(0), s.y(0) + 0.1, log);
    CHECK(g.size() == 11);
    CHECK(g.predict(X).mean.allFinite());
    // An empty ladder cannot recover: typed error, object unchanged.
    c.jitter_ladder = {};
    auto h = gp_t(kernel::matern52_ard{vec::Constant(2, std::log(0.4)), 0.0}, {}, c);
    h.fit(s.X, s.y);
    const auto before = h.predict(s.X);
    CHECK_THROWS_AS(h.fit(X, s.y), numerical_error);
    CHECK(h.size() == 10);
    CHECK((h.predict(s.X).mean - before.mean).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("exact_gp: predict_parallel equals predict for any number of threads") {
    const auto s = make_data(3, 120, 21);
    auto g = make_gp(3);
    g.fit(s.X, s.y);
    const auto Z = make_data(3, 301, 22).X;  // 301 columns: uneven blocks
    const auto ref = g.predict(Z);
    for (std::size_t threads : {0u, 1u, 2u, 3u, 4u, 64u}) {
        CAPTURE(threads);
        const auto p = g.predict_parallel(Z, threads);
        REQUIRE(p.mean.size() == 301);
        CHECK((p.mean - ref.mean).cwiseAbs().maxCoeff() <= 1e-12 * ref.mean.cwiseAbs().maxCoeff());
        CHECK((p.variance - ref.variance).cwiseAbs().maxCoeff() <= 1e-12 * ref.variance.cwiseAbs().maxCoeff());
        CHECK(p.noise_variance == ref.noise_variance);
    }
    // fewer than 64 columns per thread: one block, the plain batch path
    const auto small = g.predict_parallel(Z.leftCols(10), 4);
    CHECK((small.mean - ref.mean.head(10)).cwiseAbs().maxCoeff() == 0.0);
    auto fresh = make_gp(3);
    CHECK_THROWS_AS((void)fresh.predict_parallel(Z, 2), not_ready);
    CHECK_THROWS_WITH_AS((void)g.predict_parallel(mat(mat::Zero(2, 200)), 2),
                         doctest::Contains("l2s::gp::exact_gp::predict_parallel"), dimension_mismatch);
}

TEST_CASE("exact_gp: bad input is a typed error and leaves the GP unchanged") {
    const auto s = make_data(2, 10, 13);
    auto g = make_gp(2);
    CHECK_THROWS_AS((void)g.predict(vec(vec::Zero(2))), not_ready);
    CHECK_THROWS_AS((void)g.log_marginal_likelihood(), not_ready);
    g.fit(s.X, s.y);
    const auto before = g.predict(s.X);
    const double lml = g.log_marginal_likelihood();
    auto unchanged = [&] {
        CHECK(g.size() == 10);
        CHECK(g.log_marginal_likelihood() == lml);
        CHECK((g.predict(s.X).mean - before.mean).cwiseAbs().maxCoeff() == 0.0);
    };
    vec y = s.y;
    y(4) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(g.fit(s.X, y), non_finite_observation);
    unchanged();
    CHECK_THROWS_AS(g.add(vec::Zero(2), std::numeric_limits<double>::infinity()), non_finite_observation);
    unchanged();
    CHECK_THROWS_AS(g.add(vec::Zero(3), 1.0), dimension_mismatch);
    unchanged();
    CHECK_THROWS_AS(g.fit(mat::Zero(3, 10), s.y), dimension_mismatch);
    unchanged();
    CHECK_THROWS_AS(g.fit(s.X, vec::Zero(9)), dimension_mismatch);
    unchanged();
    CHECK_THROWS_AS((void)g.predict(mat(mat::Zero(3, 4))), dimension_mismatch);
    CHECK_THROWS_AS(g.set_params(vec::Zero(2)), dimension_mismatch);
    CHECK_THROWS_AS(g.set_params(vec::Constant(4, std::nan(""))), non_finite_observation);
    unchanged();
    try {
        g.add(vec::Zero(2), std::nan(""));
    } catch (const non_finite_observation& e) {
        CHECK(std::string(e.what()).rfind("l2s::gp::exact_gp::add:", 0) == 0);
    }
    auto construct = [](gp::exact_gp_config c) { return gp_t(kernel::matern52_ard{vec::Zero(2), 0.0}, {}, c); };
    gp::exact_gp_config c;
    c.noise_variance = -1.0;
    CHECK_THROWS_AS(construct(c), invalid_config);
    c = {};
    c.capacity = 0;
    CHECK_THROWS_AS(construct(c), invalid_config);
    c = {};
    c.jitter_ladder = {1e-4, 1e-8};
    CHECK_THROWS_AS(construct(c), invalid_config);
}

TEST_CASE("gp::detail::lower_solve_in_place: the recursive blocked solve agrees with Eigen's and solves L X = B") {
    rng_type rng(7);
    std::normal_distribution<double> g(0.0, 1.0);
    auto gaussian = [&](Eigen::Index r, Eigen::Index c) { return mat(mat::NullaryExpr(r, c, [&] { return g(rng); })); };
    // Sizes below, at and above the leaf, odd sizes (halves not multiples of 8), one and many right-hand sides.
    for (const Eigen::Index n : {1, 7, 9, 64, 65, 130, 301})
        for (const Eigen::Index m : {0, 1, 2, 17, 200}) {
            CAPTURE(n);
            CAPTURE(m);
            const mat A = gaussian(n, n);
            const mat K = A * A.transpose() + double(n) * mat::Identity(n, n);
            const mat L = Eigen::LLT<mat>(K).matrixL();
            const mat B = gaussian(n, m);
            mat X = B;
            gp::detail::lower_solve_in_place(L, X, 16);
            if (m == 0) {  // nothing to solve (Eigen's own solver binds a null reference here, so no reference)
                CHECK(X.cols() == 0);
                continue;
            }
            mat R = B;
            L.triangularView<Eigen::Lower>().solveInPlace(R);
            CHECK((X - R).cwiseAbs().maxCoeff() <= 1e-12 * (1.0 + R.cwiseAbs().maxCoeff()));
            CHECK((L * X - B).cwiseAbs().maxCoeff() <= 1e-11 * (1.0 + B.cwiseAbs().maxCoeff()));
        }
    // A factor that is a block of a larger matrix (the GP's capacity layout) and right-hand sides in a block.
    const mat A = gaussian(150, 150);
    mat big = mat::Zero(200, 200);
    big.topLeftCorner(150, 150) = Eigen::LLT<mat>(A * A.transpose() + 150.0 * mat::Identity(150, 150)).matrixL();
    mat rhs = gaussian(150, 40);
    const mat ref = big.topLeftCorner(150, 150).triangularView<Eigen::Lower>().solve(rhs.middleCols(5, 30));
    gp::detail::lower_solve_in_place(big.topLeftCorner(150, 150), rhs.middleCols(5, 30));
    CHECK((rhs.middleCols(5, 30) - ref).cwiseAbs().maxCoeff() <= 1e-12);
}
