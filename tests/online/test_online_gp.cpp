// tests/online/test_online_gp.cpp: RLS plus windowed GP on residuals.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include <l2s/online/online_gp.hpp>

using namespace l2s;

TEST_CASE("online_gp: captures a nonlinearity the linear RLS misses; window bounded") {
    rng_type rng(4);
    std::uniform_real_distribution<double> u(-2.0, 2.0);
    online::online_gp<> model(vec::Zero(2), kernel::matern52_ard::from(vec::Constant(2, 0.7)), {.window = 64});
    online::rls linear(2, {});
    auto f = [](const vec& x) { return 1.5 * x(0) + 0.5 + std::sin(3.0 * x(0)); };
    vec x(2);
    for (int t = 0; t < 300; ++t) {
        x << u(rng), 1.0;
        model.update(x, f(x));
        linear.update(x, f(x));
    }
    CHECK(model.window_size() == 64);
    double err_gp = 0.0, err_lin = 0.0;
    for (int i = 0; i < 100; ++i) {
        x << u(rng), 1.0;
        err_gp += std::abs(model.predict(x).mean - f(x));
        err_lin += std::abs(linear.predict(x).mean - f(x));
    }
    CHECK(err_gp < 0.3 * err_lin);
    CHECK(model.predict(x).variance >= 0.0);
    model.reset();
    CHECK(model.window_size() == 0);
    CHECK(model.linear().num_updates() == 0);
}

TEST_CASE("online_gp: bad input → typed errors, state unchanged") {
    CHECK_THROWS_AS(online::online_gp<>(vec::Zero(2), kernel::matern52_ard::from(vec::Ones(2)), {.window = 0}),
                    invalid_config);
    online::online_gp<> model(vec::Zero(2), kernel::matern52_ard::from(vec::Ones(2)));
    vec x(2);
    x << 0.3, 1.0;
    model.update(x, 1.0);
    const double m = model.predict(x).mean;
    vec bad = x;
    bad(0) = std::nan("");
    CHECK_THROWS_AS(model.update(bad, 1.0), non_finite_observation);
    CHECK_THROWS_AS(model.update(x, std::nan("")), non_finite_observation);
    CHECK_THROWS_AS(model.update(vec::Ones(3), 1.0), dimension_mismatch);
    CHECK(model.predict(x).mean == m);
    CHECK(model.window_size() == 1);
}
