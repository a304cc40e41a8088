// tests/online/test_allocation_free.cpp: decision-path components allocate nothing (the one TU with the counter).
#include <doctest/doctest.h>

#include <array>
#include <random>
#include <vector>

#include <l2s/online/conformal.hpp>
#include <l2s/online/entropy_gate.hpp>
#include <l2s/online/product_set_search.hpp>

#include "../support/alloc_counter.hpp"

using namespace l2s;
using online::conformal_calibrator;
using online::entropy_gate;
using online::product_set_search;
using online::search_strategy;

TEST_CASE("entropy_gate and conformal sets: decision path does not allocate") {
    entropy_gate gate({8, 8, 8});
    conformal_calibrator cal({8, 8, 8});
    std::vector<double> block(24, 0.125);
    std::array<level_t, 8> out{};
    const long long before = test::allocations();
    double acc = 0.0;
    std::size_t m = 0;
    for (int r = 0; r < 100; ++r) {
        acc += gate.value(block);
        m += cal.set(block, static_cast<std::size_t>(r % 3), out);
    }
    CHECK(test::allocations() == before);
    CHECK(acc > 0.0);
    CHECK(m == 800);
}

TEST_CASE("product_set_search: search allocates nothing") {
    rng_type rng(5);
    const std::size_t K = 16, Lm = 8;
    std::vector<std::size_t> levels(K, Lm), sizes(K), order(K);
    std::vector<level_t> sets(K * Lm), start(K);
    std::vector<double> power(K * Lm), time(K * Lm);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t k = 0; k < K; ++k) {
        sizes[k] = 1 + rng() % Lm;
        for (std::size_t j = 0; j < sizes[k]; ++j) sets[k * Lm + j] = static_cast<level_t>(Lm - 1 - j);
        start[k] = sets[k * Lm];
        order[k] = K - 1 - k;
        for (std::size_t l = 0; l < Lm; ++l) {
            power[k * Lm + l] = 0.1 + u(rng) * static_cast<double>(l + 1);
            time[k * Lm + l] = (1.0 + u(rng)) / static_cast<double>(l + 1);
        }
    }
    for (search_strategy st : {search_strategy::coordinate, search_strategy::beam}) {
        product_set_search s(levels, {.budget = 256, .strategy = st});
        std::vector<level_t> out(K);
        const long long before = test::allocations();
        const auto r = s.search(sets, sizes, power, time, start, order, out);
        CHECK(test::allocations() == before);
        CHECK(r.evaluated <= 256);
    }
}
