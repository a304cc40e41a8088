// tests/gp/test_io.cpp: JSON round trip of an exact GP, and malformed documents.
#include <cmath>
#include <random>
#include <string>

#include <doctest/doctest.h>

#include <l2s/io/gp.hpp>

using namespace l2s;

TEST_CASE("io::gp: round trip reproduces predictions exactly; bad documents are io_error, GP unchanged") {
    rng_type rng(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    mat X(2, 20);
    vec y(20);
    for (Eigen::Index j = 0; j < 20; ++j) {
        X(0, j) = u(rng);
        X(1, j) = u(rng);
        y(j) = std::sin(5.0 * X(0, j)) + X(1, j);
    }
    using gp_t = gp::exact_gp<kernel::matern52_ard>;
    gp_t a(kernel::matern52_ard::from(vec::Constant(2, 0.3)));
    a.fit(X, y);
    (void)a.learn_hyperparameters(rng);
    const std::string text = io::gp_to_json(a).dump();

    gp_t b(kernel::matern52_ard::from(vec::Constant(2, 1.0)));
    io::gp_from_string(text, b);
    CHECK(b.params() == a.params());
    CHECK(b.size() == 20);
    const mat Z = mat::Random(2, 7);
    CHECK(b.predict(Z).mean == a.predict(Z).mean);
    CHECK(b.log_marginal_likelihood() == a.log_marginal_likelihood());

    gp_t c(kernel::matern52_ard::from(vec::Constant(2, 1.0)));
    c.fit(X.leftCols(5), y.head(5));
    const vec before = c.params();
    CHECK_THROWS_AS(io::gp_from_string(text.substr(0, text.size() / 2), c), io_error);  // truncated
    CHECK_THROWS_AS(io::gp_from_string("{\"schema\": \"l2s.gp\"}", c), io_error);       // missing fields
    auto j = io::gp_to_json(a);
    j["version"] = 2;
    CHECK_THROWS_AS(io::gp_from_json(j, c), io_error);
    j = io::gp_to_json(a);
    j["theta"] = std::vector<double>{1.0};
    CHECK_THROWS_AS(io::gp_from_json(j, c), io_error);
    j = io::gp_to_json(a);
    j["y"] = std::vector<double>{1.0, 2.0};
    CHECK_THROWS_AS(io::gp_from_json(j, c), io_error);
    j = io::gp_to_json(a);
    j["x"] = "text";
    CHECK_THROWS_AS(io::gp_from_json(j, c), io_error);
    CHECK(c.params() == before);
    CHECK(c.size() == 5);
}
