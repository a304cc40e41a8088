#include <doctest/doctest.h>

#include <l2s/opt.hpp>
#include <l2s/problems.hpp>
#include <l2s/space.hpp>

using namespace l2s;

namespace {
/// Scores columns by a function of one point.
template <class G>
auto batch(G g, std::size_t* calls = nullptr) {
    return [g, calls](const mat& X) {
        if (calls) ++*calls;
        vec s(X.cols());
        for (Eigen::Index i = 0; i < X.cols(); ++i) s(i) = g(vec(X.col(i)));
        return s;
    };
}
}  // namespace

TEST_CASE("opt::exhaustive finds the exact maximiser, in chunks, and refuses huge spaces") {
    const space::grid g = space::grid::uniform(2, 21);  // 441 points
    auto f = [](const vec& x) { return -std::pow(x(0) - 0.35, 2) - std::pow(x(1) - 0.8, 2); };
    rng_type rng(1);
    std::size_t calls = 0;
    const auto r = opt::exhaustive{.chunk = 100}.maximize(batch(f, &calls), g, rng);
    CHECK(calls == 5);
    CHECK(r.evaluations == 441);
    CHECK(r.x(0) == doctest::Approx(0.35));
    CHECK(r.x(1) == doctest::Approx(0.8));
    CHECK_THROWS_AS((void)opt::exhaustive{.max_points = 100}.maximize(batch(f), g, rng), invalid_argument);
    CHECK_THROWS_AS((void)opt::exhaustive{.chunk = 0}.maximize(batch(f), g, rng), invalid_config);
    // Ties keep the first index.
    const auto t = opt::exhaustive{}.maximize(batch([](const vec&) { return 1.0; }), g, rng);
    CHECK(t.x.isApprox(g.at(0)));
}

TEST_CASE("opt::random_search gets close on a smooth function and uses the given starts") {
    const space::box b(2);
    auto f = [](const vec& x) { return -(x.array() - 0.6).square().sum(); };
    rng_type rng(2);
    const auto r = opt::random_search{.samples = 2000}.maximize(batch(f), b, rng);
    CHECK(r.value > -2e-3);
    mat start(2, 1);
    start << 0.6, 0.6;
    const auto r2 = opt::random_search{.samples = 10}.maximize(batch(f), b, rng, start);
    CHECK(r2.value == 0.0);
}

TEST_CASE("opt::multistart refines to the optimum of Branin and six-hump camel") {
    rng_type rng(3);
    {
        const problems::branin p;
        const auto r = opt::multistart{}.maximize(batch([&](const vec& x) { return -p(x); }), p.domain(), rng);
        CHECK(-r.value == doctest::Approx(problems::branin::optimum_value).epsilon(1e-7));
        CHECK(p.domain().contains(r.x));
    }
    {
        const problems::six_hump_camel p;
        const auto r = opt::multistart{}.maximize(batch([&](const vec& x) { return -p(x); }), p.domain(), rng);
        CHECK(-r.value == doctest::Approx(problems::six_hump_camel::optimum_value).epsilon(1e-7));
    }
    // A maximiser on the boundary of the box.
    const space::box b(3);
    const auto r = opt::multistart{.raw_samples = 64, .refine = 2}.maximize(batch([](const vec& x) { return x.sum(); }), b, rng);
    CHECK(r.value == doctest::Approx(3.0));
    CHECK_THROWS_AS((void)opt::multistart{.fd_step = 0.0}.maximize(batch([](const vec& x) { return x.sum(); }), b, rng), invalid_config);
}

TEST_CASE("opt::discrete_local_search climbs to the maximum of a unimodal grid function") {
    const space::vf_space s(4, 8);  // 4096 points
    auto f = [](const vec& x) { return -((x.array() - vec::LinSpaced(4, 0.1, 0.9).array()).abs().sum()); };
    rng_type rng(4);
    const auto ex = opt::exhaustive{}.maximize(batch(f), s, rng);
    const auto r = opt::discrete_local_search{}.maximize(batch(f), s, rng);
    CHECK(r.value == doctest::Approx(ex.value));
    CHECK(r.evaluations < 4096);
    // A single climb from a given start (the incumbent) with one step moves one island by one level.
    mat start(4, 1);
    start << 0.0, 0.0, 0.0, 0.0;
    const auto one = opt::discrete_local_search{.starts = 1, .max_steps = 1}.maximize(batch(f), s, rng, start);
    CHECK((one.x.array() != 0.0).count() == 1);
    CHECK_THROWS_AS((void)opt::discrete_local_search{.starts = 0}.maximize(batch(f), s, rng), invalid_config);
}
