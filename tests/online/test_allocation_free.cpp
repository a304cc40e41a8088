// tests/online/test_allocation_free.cpp: decision-path components allocate nothing (the one TU with the counter).
#include <doctest/doctest.h>

#include <array>
#include <random>
#include <vector>

#include <l2s/online/conformal.hpp>
#include <l2s/online/entropy_gate.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/product_set_search.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/workload.hpp>

#include "../policy/make_policies.hpp"
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

static_assert(online::uaol_policy<policy::softmax_linear<double>, online::island_models>::replays_raw_features);
static_assert(!online::uaol_policy<policy::mlp<float>, online::island_models>::replays_raw_features);  // no SGD step

TEST_CASE("uaol_policy: 10^5 decisions allocate nothing once the reservoir has filled (K = 16, L = 8, B = 256)") {
    // a recorded episode of the simulator (64 cores, 16 islands of 8 levels) replayed in a loop
    const sim::platform chip = sim::builtin_platform("sniper_manycore");
    const std::size_t K = chip.num_islands();
    const std::vector<std::size_t> levels = chip.levels_per_island();
    REQUIRE(K == 16);
    sim::dvfs_env env(chip, sim::parsec_workload("streamcluster", K, {.intervals = 200, .seed = 3}));
    rng_type rng(2);
    std::vector<dvfs::observation> episode{env.reset(rng)};
    std::vector<level_t> walked;  // the random levels taken, also the calibration labels
    dvfs::action walk(K, 3);
    for (bool done = false; !done;) {
        for (std::size_t k = 0; k < K; ++k) walk[k] = static_cast<level_t>(rng() % levels[k]);
        walked.insert(walked.end(), walk.begin(), walk.end());
        done = env.step(walk).done;
        episode.push_back(env.observe());
    }
    episode.pop_back();  // one observation per decision
    for (auto mode : {online::slow_path_mode::inline_path, online::slow_path_mode::deferred}) {
        CAPTURE(static_cast<int>(mode));
        online::uaol_policy uaol(test::random_softmax(K, 8, rng), online::island_models::for_platform(chip), levels,
                                 {.gate = {.quantile = 0.5}, .search = {.budget = 256}, .slow_path = mode,
                                  .replay_capacity = 256});
        uaol.calibrate(episode, walked, rng);  // τ: half of the episode's states pass the gate
        const double tau = uaol.gate().threshold();
        dvfs::action a;
        std::size_t t = 0;
        auto decide = [&](double threshold, int n) {
            uaol.gate().set_threshold(threshold);
            for (int i = 0; i < n; ++i, t = (t + 1) % episode.size()) {
                uaol.act(episode[t], a);
                uaol.observe(episode[(t + 1) % episode.size()], a, {1.0, 1e-3, 50.0, false});  // the next state
            }
        };
        decide(1.0, 1000);  // every state seen: the reservoir fills
        const long long before = test::allocations();
        const std::size_t unseen0 = uaol.unseen_decisions(), steps0 = uaol.sgd_steps();
        for (int r = 0; r < 20; ++r) decide(r % 4 == 0 ? 1.0 : (r % 4 == 2 ? 0.0 : tau), 5000);  // 10^5
        CHECK(test::allocations() == before);
        CHECK(uaol.decisions() == 101000);
        CHECK(uaol.unseen_decisions() - unseen0 >= 25000);  // slow path: all of τ = 0 (25 000), more under τ
        CHECK(uaol.sgd_steps() - steps0 >= 2 * (uaol.unseen_decisions() - unseen0) - 2);  // SGD + replay
    }
}
