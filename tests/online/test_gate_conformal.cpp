// tests/online/test_gate_conformal.cpp: entropy gate and split-conformal sets.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include <l2s/online/conformal.hpp>
#include <l2s/online/entropy_gate.hpp>

using namespace l2s;
using online::conformal_calibrator;
using online::conformal_score;
using online::entropy_gate;
using online::gate_aggregation;

TEST_CASE("entropy_gate: hand-computed entropies and aggregation") {
    // K = 2, L = {4, 2}, L_max = 4.
    entropy_gate gate({4, 2});
    const std::vector<double> block = {0.25, 0.25, 0.25, 0.25, /**/ 1.0, 0.0, 0.0, 0.0};
    CHECK(gate.island_entropy(block, 0) == doctest::Approx(1.0));
    CHECK(gate.island_entropy(block, 1) == doctest::Approx(0.0));
    CHECK(gate.value(block) == doctest::Approx(1.0));
    const std::vector<double> b2 = {0.5, 0.5, 0.0, 0.0, /**/ 0.9, 0.1, 0.0, 0.0};
    const double h0 = std::log(2.0) / std::log(4.0);  // 0.5
    const double h1 = -(0.9 * std::log(0.9) + 0.1 * std::log(0.1)) / std::log(2.0);
    CHECK(gate.island_entropy(b2, 0) == doctest::Approx(h0));
    CHECK(gate.island_entropy(b2, 1) == doctest::Approx(h1));
    CHECK(gate.value(b2) == doctest::Approx(std::max(h0, h1)));
    entropy_gate mean_gate({4, 2}, {.aggregation = gate_aggregation::mean});
    CHECK(mean_gate.value(b2) == doctest::Approx((h0 + h1) / 2.0));
    // Single-level islands have zero entropy.
    entropy_gate one({1});
    CHECK(one.value(std::vector<double>{1.0}) == 0.0);
    // Uncalibrated: everything seen.
    CHECK_FALSE(gate.unseen(block));
}

TEST_CASE("entropy_gate: calibration is the ceil(q n)-th smallest value") {
    entropy_gate gate({2}, {.quantile = 0.8});
    std::vector<double> samples;
    std::vector<double> g;
    for (double p : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0, 0.55, 0.65}) {
        samples.push_back(p);
        samples.push_back(1.0 - p);
        g.push_back(gate.value(std::vector<double>{p, 1.0 - p}));
    }
    std::sort(g.begin(), g.end());
    const double tau = gate.calibrate(samples);
    CHECK(tau == doctest::Approx(g[7]));  // ceil(0.8·10) = 8-th smallest
    CHECK(gate.calibrated());
    CHECK(gate.unseen(std::vector<double>{0.5, 0.5}));
    CHECK_FALSE(gate.unseen(std::vector<double>{1.0, 0.0}));
    gate.set_threshold(0.1);
    CHECK(gate.threshold() == 0.1);
    CHECK_THROWS_AS(gate.set_threshold(std::nan("")), invalid_argument);
}

TEST_CASE("entropy_gate: bad input leaves the gate unchanged") {
    CHECK_THROWS_AS(entropy_gate({}), invalid_config);
    CHECK_THROWS_AS(entropy_gate({0}), invalid_config);
    CHECK_THROWS_AS(entropy_gate({2}, {.quantile = 0.0}), invalid_config);
    CHECK_THROWS_AS(entropy_gate({2}, {.quantile = 1.5}), invalid_config);
    CHECK_THROWS_AS(entropy_gate({2}, {.sum_tolerance = 0.0}), invalid_config);
    entropy_gate gate({2});
    gate.set_threshold(0.3);
    CHECK_THROWS_AS(gate.calibrate(std::vector<double>{0.6, 0.6}), invalid_argument);   // sums to 1.2
    CHECK_THROWS_AS(gate.calibrate(std::vector<double>{1.5, -0.5}), invalid_argument);  // negative
    CHECK_THROWS_AS(gate.calibrate(std::vector<double>{std::nan(""), 1.0}), non_finite_observation);
    CHECK_THROWS_AS(gate.calibrate(std::vector<double>{1.0}), dimension_mismatch);
    CHECK_THROWS_AS(gate.calibrate(std::vector<double>{}), invalid_argument);
    CHECK(gate.threshold() == 0.3);
    try {
        gate.calibrate(std::vector<double>{0.6, 0.6});
    } catch (const error& e) {
        CHECK(std::string(e.what()).rfind("l2s::online::entropy_gate::calibrate:", 0) == 0);
    }
}

TEST_CASE("conformal_calibrator: LAC quantile and sets by hand") {
    // One island, L = 3. Calibration: 4 samples; α = 0.4 → rank ⌈5·0.6⌉ = 3.
    conformal_calibrator cal({3}, {.alpha = 0.4});
    const std::vector<double> probs = {0.7, 0.2, 0.1, /**/ 0.5, 0.3, 0.2, /**/ 0.1, 0.6, 0.3, /**/ 0.2, 0.2, 0.6};
    const std::vector<level_t> labels = {0, 1, 1, 0};
    // LAC scores: 0.3, 0.7, 0.4, 0.8 → sorted 0.3, 0.4, 0.7, 0.8 → q̂ = 0.7.
    cal.calibrate(probs, labels);
    CHECK(cal.quantile(0) == doctest::Approx(0.7));
    CHECK(cal.calibration_size() == 4);
    std::array<level_t, 3> out{};
    // p = (0.5, 0.35, 0.15): scores 0.5, 0.65, 0.85 → {0, 1}.
    const std::vector<double> x = {0.5, 0.35, 0.15};
    REQUIRE(cal.set(x, 0, out) == 2);
    CHECK(out[0] == 0);
    CHECK(out[1] == 1);
    // p = (0.2, 0.25, 0.55): scores 0.8, 0.75, 0.45 → {2}.
    REQUIRE(cal.set(std::vector<double>{0.2, 0.25, 0.55}, 0, out) == 1);
    CHECK(out[0] == 2);
    // Flat p: scores 0.75 > 0.7, so only the argmax (first on ties) is kept.
    REQUIRE(cal.set(std::vector<double>{0.25, 0.25, 0.5 - 0.0}, 0, out) == 1);
    // α small → rank > n → q̂ = ∞ → full set.
    conformal_calibrator wide({3}, {.alpha = 0.1});
    wide.calibrate(probs, labels);  // ⌈5·0.9⌉ = 5 > 4
    CHECK(std::isinf(wide.quantile(0)));
    CHECK(wide.set(x, 0, out) == 3);
}

TEST_CASE("conformal_calibrator: APS scores and sets by hand") {
    conformal_calibrator cal({3}, {.alpha = 0.4, .score = conformal_score::aps});
    const std::vector<double> p = {0.5, 0.3, 0.2};
    CHECK(cal.score(p, 0, 0) == doctest::Approx(0.5));
    CHECK(cal.score(p, 0, 1) == doctest::Approx(0.8));
    CHECK(cal.score(p, 0, 2) == doctest::Approx(1.0));
    const std::vector<double> probs = {0.7, 0.2, 0.1, /**/ 0.5, 0.3, 0.2, /**/ 0.1, 0.6, 0.3, /**/ 0.2, 0.2, 0.6};
    const std::vector<level_t> labels = {0, 1, 1, 0};
    // APS scores: 0.7, 0.8, 0.6, 1.0 (ties included: 0.2 ≥ 0.2 counts both 0.2's + 0.6) → sorted .6 .7 .8 1 → q̂ = 0.8.
    cal.calibrate(probs, labels);
    CHECK(cal.quantile(0) == doctest::Approx(0.8));
    std::array<level_t, 3> out{};
    REQUIRE(cal.set(p, 0, out) == 2);  // scores 0.5, 0.8, 1.0
    CHECK(out[0] == 0);
    CHECK(out[1] == 1);

    conformal_calibrator rnd({3}, {.alpha = 0.4, .score = conformal_score::aps_randomised});
    CHECK(rnd.score(p, 0, 1, 0.5) == doctest::Approx(0.5 + 0.15));
    CHECK(rnd.score(p, 0, 0, 0.0) == doctest::Approx(0.0));
    CHECK_THROWS_AS(rnd.calibrate(probs, labels), precondition_error);
    rng_type rng(3);
    rnd.calibrate(probs, labels, rng);
    CHECK(rnd.calibrated());
    // u = 0 includes every level whose more-probable mass ≤ q̂.
    CHECK(rnd.set(p, 0, out, 0.0) >= rnd.set(p, 0, out, 1.0));
}

TEST_CASE("conformal_calibrator: bad input → typed errors, state unchanged") {
    CHECK_THROWS_AS(conformal_calibrator({3}, {.alpha = 0.0}), invalid_config);
    CHECK_THROWS_AS(conformal_calibrator({3}, {.alpha = 1.0}), invalid_config);
    CHECK_THROWS_AS(conformal_calibrator({3}, {.alpha = -0.1}), invalid_config);
    CHECK_THROWS_AS(conformal_calibrator({3}, {.alpha = std::nan("")}), invalid_config);
    conformal_calibrator cal({2}, {.alpha = 0.5});
    cal.calibrate(std::vector<double>{0.8, 0.2, 0.6, 0.4}, std::vector<level_t>{0, 1});
    const double q = cal.quantile(0);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{}, std::vector<level_t>{}), invalid_argument);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{0.8, 0.3}, std::vector<level_t>{0}), invalid_argument);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{1.2, -0.2}, std::vector<level_t>{0}), invalid_argument);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{0.5, 0.5}, std::vector<level_t>{2}), invalid_argument);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{0.5, 0.5}, std::vector<level_t>{0, 1}), dimension_mismatch);
    CHECK_THROWS_AS(cal.calibrate(std::vector<double>{std::nan(""), 0.5}, std::vector<level_t>{0}),
                    non_finite_observation);
    CHECK(cal.quantile(0) == q);
    CHECK(cal.calibration_size() == 2);
}

namespace {
/// Exchangeable synthetic data: K islands, L levels; the model's probabilities are the true categorical law.
double empirical_coverage(conformal_score score, double alpha, std::uint64_t seed) {
    const std::size_t K = 2, L = 5, n_cal = 1000, n_test = 4000;
    rng_type rng(seed);
    std::normal_distribution<double> z(0.0, 1.5);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    auto draw = [&](std::vector<double>& probs, std::vector<level_t>& labels, std::size_t n) {
        probs.assign(n * K * L, 0.0);
        labels.assign(n * K, 0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < K; ++k) {
                double* p = &probs[(i * K + k) * L];
                double sum = 0.0;
                for (std::size_t l = 0; l < L; ++l) sum += (p[l] = std::exp(z(rng)));
                for (std::size_t l = 0; l < L; ++l) p[l] /= sum;
                double c = u01(rng), acc = 0.0;
                std::size_t y = L - 1;
                for (std::size_t l = 0; l < L; ++l)
                    if ((acc += p[l]) >= c) { y = l; break; }
                labels[i * K + k] = static_cast<level_t>(y);
            }
    };
    std::vector<double> cp, tp;
    std::vector<level_t> cl, tl;
    draw(cp, cl, n_cal);
    draw(tp, tl, n_test);
    conformal_calibrator cal({L, L}, {.alpha = alpha, .score = score});
    cal.calibrate(cp, cl, rng);
    std::array<level_t, L> out{};
    std::size_t covered = 0;
    for (std::size_t i = 0; i < n_test; ++i)
        for (std::size_t k = 0; k < K; ++k) {
            const auto block = std::span<const double>(tp).subspan(i * K * L, K * L);
            const std::size_t m = cal.set(block, k, out, u01(rng));
            for (std::size_t j = 0; j < m; ++j)
                if (out[j] == tl[i * K + k]) { ++covered; break; }
        }
    return static_cast<double>(covered) / static_cast<double>(n_test * K);
}
}  // namespace

TEST_CASE("conformal_calibrator: empirical coverage ≈ 1 − α on exchangeable data" * doctest::test_suite("slow")) {
    for (conformal_score s : {conformal_score::lac, conformal_score::aps, conformal_score::aps_randomised})
        for (double alpha : {0.05, 0.1, 0.2}) {
            double mean = 0.0;
            const int seeds = 5;
            for (int seed = 0; seed < seeds; ++seed) {
                const double cov = empirical_coverage(s, alpha, 100 + static_cast<std::uint64_t>(seed));
                // Marginal coverage ≥ 1 − α; per seed the calibration draw adds sd ≈ sqrt(α(1−α)/n_cal) ≤ 0.013.
                CHECK(cov >= 1.0 - alpha - 0.04);
                mean += cov / seeds;
            }
            INFO("score " << static_cast<int>(s) << " alpha " << alpha << " mean coverage " << mean);
            CHECK(mean >= 1.0 - alpha - 0.015);
            // Upper side: sets add the argmax and APS ties can only over-cover; allow a modest excess.
            CHECK(mean <= 1.0 - alpha + 0.05);
        }
}
