#include <doctest/doctest.h>

#include <set>

#include <l2s/space.hpp>

using namespace l2s;

TEST_CASE("box: sampling, containment, projection, unit maps") {
    vec lo(2), hi(2);
    lo << -5.0, 0.0;
    hi << 10.0, 15.0;
    space::box b(lo, hi);
    rng_type rng(1);
    for (int i = 0; i < 100; ++i) CHECK(b.contains(b.sample(rng)));
    vec x(2);
    x << -7.0, 3.0;
    CHECK_FALSE(b.contains(x));
    CHECK(b.project(x)(0) == -5.0);
    CHECK(b.from_unit(b.to_unit(x)).isApprox(x));
    CHECK_THROWS_AS(space::box(hi, lo), invalid_config);
    CHECK_THROWS_AS(space::box(lo, vec::Ones(3)), dimension_mismatch);
    CHECK_THROWS_AS(b.project(vec::Zero(3)), dimension_mismatch);
    CHECK_THROWS_AS(space::box(0), invalid_config);
}

TEST_CASE("grid: enumeration is a bijection, neighbours are ±1 steps") {
    space::grid g({{0.0, 0.5, 1.0}, {1.0, 2.0}});
    CHECK(g.size() == 6);
    std::set<std::pair<double, double>> seen;
    for (std::uint64_t i = 0; i < g.size(); ++i) {
        const vec x = g.at(i);
        CHECK(g.contains(x));
        CHECK(*g.index_of(x) == i);
        seen.insert({x(0), x(1)});
    }
    CHECK(seen.size() == 6);
    vec x(2);
    x << 0.5, 1.0;
    int n = 0;
    g.for_each_neighbour(x, [&](const vec& y) {
        ++n;
        CHECK(((y - x).array() != 0.0).count() == 1);
    });
    CHECK(n == 3);
    vec off(2);
    off << 0.7, 1.9;
    CHECK_FALSE(g.contains(off));
    CHECK(g.project(off)(0) == 0.5);
    CHECK(g.project(off)(1) == 2.0);
    CHECK_THROWS_AS(g.at(6), invalid_argument);
    CHECK_THROWS_AS(space::grid({{1.0, 1.0}}), invalid_config);
    CHECK_THROWS_AS(space::grid(std::vector<std::vector<double>>{std::vector<double>{}}), invalid_config);
    CHECK(space::grid::uniform(3, 4).size() == 64);
}

TEST_CASE("vf_space: ordinal encoding round trip") {
    space::vf_space s({{1.0e9, 2.0e9, 4.0e9}, {0.5e9, 1.0e9}});
    CHECK(s.num_islands() == 2);
    CHECK(s.num_levels(0) == 3);
    CHECK(s.size() == 6);
    const std::vector<level_t> l{1, 0};
    const vec x = s.encode(l);
    CHECK(x(0) == doctest::Approx(0.5));
    CHECK(x(1) == doctest::Approx(0.5));
    CHECK(s.decode(x) == l);
    CHECK_THROWS_AS(s.encode(std::vector<level_t>{3, 0}), invalid_argument);
    CHECK_THROWS_AS(s.encode(std::vector<level_t>{0}), dimension_mismatch);
    CHECK_THROWS_AS(space::vf_space(std::vector<std::vector<double>>{{2.0e9, 1.0e9}}), invalid_config);
    space::vf_space u(4, 8);
    CHECK(u.size() == 4096);
    rng_type rng(3);
    CHECK(u.contains(u.sample(rng)));
}

TEST_CASE("product: concatenation and enumeration") {
    space::product p(space::grid({{0.0, 1.0}}), space::grid({{0.0, 1.0, 2.0}}));
    CHECK(p.dim() == 2);
    CHECK(p.size() == 6);
    CHECK(p.at(5)(1) == 2.0);
    CHECK(p.contains(p.at(3)));
    space::product q(space::box(1), space::grid({{0.0, 1.0}}));
    static_assert(SearchSpace<decltype(q)>);
    static_assert(!FiniteSpace<decltype(q)>);
    rng_type rng(2);
    CHECK(q.contains(q.sample(rng)));
}
