// tests/search/test_oracle.cpp: search::oracle is greedy with half the budget, then local search from it.
#include <doctest/doctest.h>

#include <l2s/core/error.hpp>
#include <l2s/problems/vf_toy.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/search/oracle.hpp>

using namespace l2s;

TEST_CASE("search::oracle: equals greedy (half the budget) then local from greedy's sequence, evaluations summed") {
    problems::vf_toy a({.intervals = 12, .islands = 3, .levels = 5}), b({.intervals = 12, .islands = 3, .levels = 5});
    rng_type r1(5), r2(5);
    const auto o = search::oracle().search(a, vf_sequence{}, {.max_evaluations = 3000}, r1);
    const auto g = search::greedy({.sweeps = 1}).search(b, vf_sequence{}, {.max_evaluations = 1500}, r2);
    search::local_config lc;
    lc.max_restarts = 10;
    const auto l = search::local(lc).search(b, g.best, {.max_evaluations = 3000 - g.evaluations}, r2);
    CHECK(o.best == l.best);
    CHECK(o.evaluations == g.evaluations + l.evaluations);
    CHECK(o.evaluations <= 3000 + 2);  // each phase may add its reference evaluation
    CHECK(o.feasible);
    // never worse than greedy alone
    CHECK(o.score.edp() <= g.score.edp() + 1e-15);
}

TEST_CASE("search::oracle: a budget too small for the local phase returns greedy's result; bad config is rejected") {
    problems::vf_toy a({.intervals = 4, .islands = 2, .levels = 3}), b({.intervals = 4, .islands = 2, .levels = 3});
    rng_type r1(1), r2(1);
    // greedy gets half the budget, so at most 18 evaluations leave fewer than 10 for the local phase
    const std::size_t tight = 18;
    const auto o = search::oracle().search(a, vf_sequence{}, {.max_evaluations = tight}, r1);
    const auto g = search::greedy({.sweeps = 1}).search(b, vf_sequence{}, {.max_evaluations = tight / 2}, r2);
    REQUIRE(tight - g.evaluations < 10);
    CHECK(o.best == g.best);
    CHECK(o.evaluations == g.evaluations);
    CHECK_THROWS_WITH_AS(search::oracle({.greedy_sweeps = 0}), doctest::Contains("l2s::search::oracle"), invalid_config);
    CHECK_THROWS_WITH_AS(search::oracle({.obj = {.max_slowdown = -1.0}}), doctest::Contains("l2s::search::oracle"),
                         invalid_config);
}
