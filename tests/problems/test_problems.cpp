#include <doctest/doctest.h>

#include <l2s/problems.hpp>
#include <support/fd_gradient.hpp>

using namespace l2s;

namespace {
template <class P>
void check_problem(const P& p, double grad_tol) {
    const auto box = p.domain();
    CHECK(box.dim() == p.dim());
    for (const vec& x : p.minimizers()) {
        CHECK(box.contains(x));
        CHECK(p(x) == doctest::Approx(P::optimum_value).epsilon(1e-9));
        // The published minimisers are stationary points (central differences).
        const vec g = test::fd_gradient([&](const vec& y) { return p(y); }, x, 1e-6);
        CHECK(g.lpNorm<Eigen::Infinity>() < grad_tol);
    }
    // No uniform sample beats the stated optimum.
    rng_type rng(7);
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < 20000; ++i) best = std::min(best, p(box.sample(rng)));
    CHECK(best >= P::optimum_value - 1e-12);
    CHECK_THROWS_AS((void)p(vec::Zero(static_cast<Eigen::Index>(p.dim()) + 1)), dimension_mismatch);
}
}  // namespace

TEST_CASE("problems: optima, minimisers and domains") {
    check_problem(problems::branin{}, 1e-4);
    check_problem(problems::hartmann6{}, 1e-4);
    check_problem(problems::forrester{}, 1e-4);
    check_problem(problems::six_hump_camel{}, 1e-4);
    check_problem(problems::rosenbrock{.dimension = 3}, 1e-6);
}

TEST_CASE("problems: closed-form values") {
    // Branin at the origin: (−6)² + 10(1 − 1/(8π)) + 10.
    CHECK(problems::branin{}(vec::Zero(2)) == doctest::Approx(36.0 + 10.0 * (1.0 - 1.0 / (8.0 * std::numbers::pi)) + 10.0));
    // Forrester at 0: 4 sin(−4).
    CHECK(problems::forrester{}(vec::Zero(1)) == doctest::Approx(4.0 * std::sin(-4.0)));
    // Rosenbrock at 0: (d − 1).
    CHECK(problems::rosenbrock{.dimension = 4}(vec::Zero(4)) == doctest::Approx(3.0));
    CHECK(problems::six_hump_camel{}(vec::Zero(2)) == 0.0);
}

TEST_CASE("problems: rosenbrock gradient against central differences; bad dimension") {
    const problems::rosenbrock r{.dimension = 4};
    rng_type rng(3);
    for (int t = 0; t < 5; ++t) {
        const vec x = r.domain().sample(rng);
        const vec fd = test::fd_gradient([&](const vec& y) { return r(y); }, x, 1e-6);
        CHECK((r.gradient(x) - fd).lpNorm<Eigen::Infinity>() < 1e-5 * std::max(1.0, fd.lpNorm<Eigen::Infinity>()));
    }
    CHECK_THROWS_AS((void)problems::rosenbrock{.dimension = 1}.domain(), invalid_config);
}

TEST_CASE("problems::vf_edp: physics, constraint and brute-force optimum") {
    const problems::vf_edp p({.islands = 3, .levels = 5});
    const auto s = p.domain();
    CHECK(s.size() == 125);
    const auto top = p.evaluate(vec::Ones(3));
    CHECK(top.slowdown == doctest::Approx(1.0));
    CHECK(top.constraints(0) <= 0.0);
    const auto low = p.evaluate(vec::Zero(3));
    CHECK(low.time_s > top.time_s);   // slower at the lowest levels
    CHECK(low.slowdown > 1.0);
    CHECK(low.value == doctest::Approx(low.energy_j * low.time_s));
    const auto [x, edp] = p.brute_force_optimum();
    CHECK(p.evaluate(x).constraints(0) <= 0.0);
    for (std::uint64_t i = 0; i < s.size(); ++i) {
        const auto o = p.evaluate(s.at(i));
        if (o.constraints(0) <= 0.0) CHECK(o.value >= edp);
    }
    CHECK(edp < top.value);  // lowering some islands pays off
    CHECK_THROWS_AS(problems::vf_edp({.levels = 1}), invalid_config);
    CHECK_THROWS_AS((void)p.evaluate(vec::Zero(2)), dimension_mismatch);
}
