// tests/online/test_product_set_search.cpp: bounded search over the product of candidate sets.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <l2s/online/product_set_search.hpp>

using namespace l2s;
using online::product_search_result;
using online::product_set_search;
using online::search_strategy;

namespace {
struct instance {
    std::size_t K, Lm;
    std::vector<std::size_t> levels, sizes, order;
    std::vector<level_t> sets, start;
    std::vector<double> power, time;
};

instance random_instance(rng_type& rng, std::size_t K, std::size_t Lm) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    instance in{K, Lm, {}, {}, {}, {}, {}, std::vector<double>(K * Lm, 0.0), std::vector<double>(K * Lm, 0.0)};
    in.sets.assign(K * Lm, 0);
    for (std::size_t k = 0; k < K; ++k) {
        const std::size_t L = k == 0 ? Lm : 2 + rng() % (Lm - 1);  // stride L_max = max_k L_k
        in.levels.push_back(L);
        double mem = u(rng);
        for (std::size_t l = 0; l < L; ++l) {
            const double f = 0.5 + static_cast<double>(l) / static_cast<double>(L - 1);  // faster with l
            in.power[k * Lm + l] = (0.2 + u(rng)) * f * f * f + 0.1;
            in.time[k * Lm + l] = (1.0 + 3.0 * u(rng)) * (mem + (1.0 - mem) / f);
        }
        // Random non-empty subset as the conformal set.
        std::vector<level_t> all(L);
        for (std::size_t l = 0; l < L; ++l) all[l] = static_cast<level_t>(l);
        std::shuffle(all.begin(), all.end(), rng);
        const std::size_t m = 1 + rng() % L;
        std::sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m));
        std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m), in.sets.begin() + static_cast<std::ptrdiff_t>(k * Lm));
        in.sizes.push_back(m);
        in.start.push_back(all[rng() % m]);
        in.order.push_back(k);
    }
    std::shuffle(in.order.begin(), in.order.end(), rng);
    return in;
}

/// Independent brute force: enumerate the product recursively.
product_search_result brute_force(const instance& in, double p, std::vector<level_t>& best_levels,
                                  online::time_limit limit = {}) {
    double t_ref = limit.reference_s;
    if (std::isnan(t_ref)) {
        t_ref = 0.0;
        for (std::size_t k = 0; k < in.K; ++k) t_ref = std::max(t_ref, in.time[k * in.Lm + in.levels[k] - 1]);
    }
    product_search_result best;
    bool have = false;
    std::vector<level_t> cur(in.K);
    auto rec = [&](auto&& self, std::size_t k) -> void {
        if (k == in.K) {
            double pw = 0.0, t = 0.0;
            for (std::size_t i = 0; i < in.K; ++i) {
                pw += in.power[i * in.Lm + cur[i]];
                t = std::max(t, in.time[i * in.Lm + cur[i]]);
            }
            product_search_result r;
            r.power_w = pw;
            r.time_s = t;
            r.edp = pw * t * t;
            r.feasible = t <= (1.0 + p) * t_ref + limit.allowance_s;
            if (!have || product_set_search::better(r, best)) {
                best = r;
                best_levels = cur;
                have = true;
            }
            return;
        }
        for (std::size_t j = 0; j < in.sizes[k]; ++j) {
            cur[k] = in.sets[k * in.Lm + j];
            self(self, k + 1);
        }
    };
    rec(rec, 0);
    return best;
}
}  // namespace

TEST_CASE("product_set_search: equals brute force when the product fits the budget") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        rng_type rng(seed);
        const instance in = random_instance(rng, 3 + seed % 3, 5);
        for (double p : {0.0, 0.05, 0.5}) {
            product_set_search s(in.levels, {.budget = 10000, .slowdown = p});
            std::vector<level_t> out(in.K), ref;
            const auto r = s.search(in.sets, in.sizes, in.power, in.time, in.start, in.order, out);
            const auto b = brute_force(in, p, ref);
            CHECK(r.exhaustive);
            CHECK(r.edp == doctest::Approx(b.edp));
            CHECK(r.time_s == doctest::Approx(b.time_s));
            CHECK(r.feasible == b.feasible);
            CHECK(out == ref);
            std::size_t total = 1;
            for (auto m : in.sizes) total *= m;
            CHECK(r.evaluated == total);
        }
    }
}

TEST_CASE("product_set_search: hand-computed two-island case") {
    // Island 0: levels 0, 1; island 1: levels 0, 1. Power/time per level.
    const std::vector<double> power = {1.0, 3.0, /**/ 1.0, 2.0};
    const std::vector<double> time = {2.0, 1.0, /**/ 1.5, 1.0};
    const std::vector<level_t> sets = {0, 1, 0, 1};
    const std::vector<std::size_t> sizes = {2, 2}, order = {0, 1};
    const std::vector<level_t> start = {1, 1};
    // t_ref = 1. With p = 0.6: feasible need t ≤ 1.6 → island 0 at 1; candidates (1,0): P 4, t 1.5, EDP 9;
    // (1,1): P 5, t 1, EDP 5 → (1,1).
    product_set_search s({2, 2}, {.budget = 16, .slowdown = 0.6});
    std::vector<level_t> out(2);
    auto r = s.search(sets, sizes, power, time, start, order, out);
    CHECK(out == std::vector<level_t>{1, 1});
    CHECK(r.edp == doctest::Approx(5.0));
    // With p = 1.5 the slow (0,0) (P 2, t 2, EDP 8) is feasible but (1,1) still wins; p = 3 same.
    // Nothing feasible with a time table where top levels are slowest → the fastest is returned.
    const std::vector<double> time2 = {1.0, 2.0, /**/ 1.0, 3.0};
    product_set_search s0({2, 2}, {.budget = 16, .slowdown = 0.0});
    r = s0.search(sets, sizes, power, time2, start, order, out);
    CHECK(r.feasible);  // t_ref = 3, every candidate has t ≤ 3
    CHECK(out == std::vector<level_t>{0, 0});
    CHECK(r.edp == doctest::Approx(2.0));
}

TEST_CASE("product_set_search: respects the budget and never returns worse than the start") {
    for (search_strategy st : {search_strategy::coordinate, search_strategy::beam})
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            rng_type rng(100 + seed);
            const instance in = random_instance(rng, 8, 8);
            for (std::size_t budget : {4u, 16u, 64u}) {
                product_set_search s(in.levels, {.budget = budget, .slowdown = 0.1, .strategy = st});
                std::vector<level_t> out(in.K), ref;
                const auto r = s.search(in.sets, in.sizes, in.power, in.time, in.start, in.order, out);
                CHECK(r.evaluated <= budget);
                const auto start_score = s.score(in.power, in.time, in.start);
                CHECK_FALSE(product_set_search::better(start_score, r));
                const auto check = s.score(in.power, in.time, out);
                CHECK(check.edp == doctest::Approx(r.edp));
                for (std::size_t k = 0; k < in.K; ++k) {
                    const auto first = in.sets.begin() + static_cast<std::ptrdiff_t>(k * in.Lm);
                    CHECK(std::find(first, first + static_cast<std::ptrdiff_t>(in.sizes[k]), out[k]) !=
                          first + static_cast<std::ptrdiff_t>(in.sizes[k]));
                }
                if (!r.exhaustive) {
                    const auto b = brute_force(in, 0.1, ref);
                    CHECK_FALSE(product_set_search::better(r, b));  // brute force is never beaten
                }
            }
        }
}

TEST_CASE("product_set_search: the sweep equals brute force on products far beyond the budget") {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        rng_type rng(500 + seed);
        const instance in = random_instance(rng, 2 + seed % 5, 6);
        for (double p : {0.0, 0.05, 0.3, 10.0}) {
            product_set_search s(in.levels, {.budget = 1, .slowdown = p, .strategy = search_strategy::sweep});
            std::vector<level_t> out(in.K), ref;
            const auto r = s.search(in.sets, in.sizes, in.power, in.time, in.start, in.order, out);
            const auto b = brute_force(in, p, ref);
            std::size_t total = 1, members = 0;
            for (auto m : in.sizes) {
                total *= m;
                members += m;
            }
            CAPTURE(seed);
            CAPTURE(p);
            CHECK(r.exact == true);
            CHECK(r.exhaustive == (total <= 1));
            CHECK(r.feasible == b.feasible);
            CHECK(r.edp == doctest::Approx(b.edp).epsilon(1e-12));
            CHECK(r.time_s == b.time_s);
            CHECK(r.evaluated <= members);
            const auto check = s.score(in.power, in.time, out);  // the reported score is the choice's
            CHECK(check.edp == r.edp);
            CHECK(check.power_w == r.power_w);
        }
    }
}

TEST_CASE("product_set_search: a given reference and an allowance move the limit — exhaustive and sweep equal brute force") {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        rng_type rng(900 + seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const instance in = random_instance(rng, 2 + seed % 4, 5);
        double t_top = 0.0;
        for (std::size_t k = 0; k < in.K; ++k) t_top = std::max(t_top, in.time[k * in.Lm + in.levels[k] - 1]);
        const online::time_limit limit{t_top * (0.8 + 0.4 * u(rng)), t_top * (u(rng) - 0.3)};
        for (std::size_t budget : {1u, 100000u}) {
            product_set_search s(in.levels, {.budget = budget, .slowdown = 0.05});
            std::vector<level_t> out(in.K), ref;
            const auto r = s.search(in.sets, in.sizes, in.power, in.time, in.start, in.order, out, limit);
            const auto b = brute_force(in, 0.05, ref, limit);
            CAPTURE(seed);
            CAPTURE(budget);
            CHECK(r.feasible == b.feasible);
            CHECK(r.edp == doctest::Approx(b.edp).epsilon(1e-12));
            CHECK(r.time_s == b.time_s);
            CHECK(s.score(in.power, in.time, out, limit).feasible == r.feasible);
        }
    }
    // hand case: one island, t = 2, 1.5, 1 and P = 0.8, 1.5, 4 (EDP 3.2, 3.375, 4). p = 0 and the table's
    // reference 1 admit only level 2; an allowance of 1 admits every level (level 0 wins); a reference of
    // 1.6 admits levels 1 and 2 (level 1 wins); an allowance of −0.5 admits nothing (the fastest is returned)
    const std::vector<double> power = {0.8, 1.5, 4.0}, time = {2.0, 1.5, 1.0};
    const std::vector<level_t> sets = {0, 1, 2}, start = {2};
    const std::vector<std::size_t> sizes = {3}, order = {0};
    product_set_search s({3}, {.budget = 16, .slowdown = 0.0});
    std::vector<level_t> out(1);
    CHECK(s.search(sets, sizes, power, time, start, order, out).feasible);
    CHECK(out[0] == 2);
    CHECK(s.search(sets, sizes, power, time, start, order, out, {.reference_s = 1.0, .allowance_s = 1.0}).feasible);
    CHECK(out[0] == 0);
    CHECK(s.search(sets, sizes, power, time, start, order, out, {.reference_s = 1.6}).feasible);
    CHECK(out[0] == 1);
    CHECK_FALSE(s.search(sets, sizes, power, time, start, order, out, {.reference_s = 1.0, .allowance_s = -0.5}).feasible);
    CHECK(out[0] == 2);
}

TEST_CASE("product_set_search: balanced islands — the sweep lowers them together, coordinate descent cannot") {
    // 8 identical islands, 4 levels: t = 1 / f, P = f³ (f = 0.7, 0.8, 0.9, 1.0). Lowering one island alone
    // makes it the bottleneck: EDP rises. All islands at 0.9: t 1.11 (within p = 0.15), P 8·0.729, EDP 7.2
    // against 8 at the top; at 0.8 t = 1.25 breaks the budget.
    const std::size_t K = 8, L = 4;
    std::vector<double> power(K * L), time(K * L);
    std::vector<level_t> sets(K * L), start(K, 3);
    std::vector<std::size_t> sizes(K, L), order(K);
    for (std::size_t k = 0; k < K; ++k) {
        order[k] = k;
        for (std::size_t l = 0; l < L; ++l) {
            const double f = 0.7 + 0.1 * static_cast<double>(l);
            power[k * L + l] = f * f * f;
            time[k * L + l] = 1.0 / f;
            sets[k * L + l] = static_cast<level_t>(l);
        }
    }
    std::vector<level_t> out(K);
    product_set_search sw(std::vector<std::size_t>(K, L), {.budget = 64, .slowdown = 0.15});
    const auto r = sw.search(sets, sizes, power, time, start, order, out);
    CHECK(out == std::vector<level_t>(K, 2));
    CHECK(r.edp == doctest::Approx(8 * 0.729 / 0.81));
    CHECK(r.exact);
    product_set_search cd(std::vector<std::size_t>(K, L), {.budget = 64, .slowdown = 0.15, .strategy = search_strategy::coordinate});
    const auto c = cd.search(sets, sizes, power, time, start, order, out);
    CHECK(out == start);
    CHECK(c.edp == doctest::Approx(8.0));
    CHECK_FALSE(c.exact);
    // a NaN estimate drops that member; an island with no finite estimate leaves the start as the choice
    power[0] = std::nan("");
    sw.search(sets, sizes, power, time, start, order, out);
    CHECK(out == std::vector<level_t>(K, 2));
    for (std::size_t l = 0; l < L; ++l) time[l] = std::nan("");
    const auto n = sw.search(sets, sizes, power, time, start, order, out);
    CHECK(out == start);
    CHECK_FALSE(n.exact);
}

TEST_CASE("product_set_search: bad config is rejected") {
    CHECK_THROWS_AS(product_set_search({2, 2}, {.budget = 0}), invalid_config);
    CHECK_THROWS_AS(product_set_search({2, 2}, {.slowdown = -0.1}), invalid_config);
    CHECK_THROWS_AS(product_set_search({}), invalid_config);
}
