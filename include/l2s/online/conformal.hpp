// SPDX-License-Identifier: MIT
// l2s/online/conformal.hpp: split-conformal prediction sets of V/F levels per island (LAC, APS).
#pragma once
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/online/detail/probability_block.hpp>

namespace l2s::online {

/// Non-conformity score of a level l given the island's probabilities p.
enum class conformal_score {
    lac,            ///< s = 1 − p(l)  (Sadinle, Lei, Wasserman, JASA 2019)
    aps,            ///< s = Σ_{j: p(j) ≥ p(l)} p(j)  (non-randomised APS, Romano, Sesia, Candès, NeurIPS 2020)
    aps_randomised  ///< s = Σ_{j: p(j) > p(l)} p(j) + u·p(l), u ~ U(0, 1)  (randomised APS, same paper)
};
/// The name of every score, as configuration files spell it.
inline constexpr std::array<std::pair<const char*, conformal_score>, 3> conformal_score_names{
    {{"lac", conformal_score::lac}, {"aps", conformal_score::aps}, {"aps_randomised", conformal_score::aps_randomised}}};

/// Tunables of conformal_calibrator.
struct conformal_calibrator_config {
    double alpha = 0.1;                          ///< miscoverage, target coverage 1 − α; in (0, 1)
    conformal_score score = conformal_score::lac;
    double sum_tolerance = 1e-6;                 ///< |Σ_l p_k(l) − 1| allowed in calibration data, > 0
};

/// Split conformal prediction per island (Vovk et al. 2005; Lei et al., JASA 2018).
///
/// calibrate() computes, for each island k, the scores s_i = s(x_i, y_ik) of n held-out labelled blocks and
/// q̂_k = the ⌈(n+1)(1−α)⌉-th smallest of them (+∞ when that rank exceeds n). For exchangeable data
/// P(y_k ∈ C_k(x)) ≥ 1 − α with C_k(x) = {l : s(x, l) ≤ q̂_k}. set() returns C_k ∪ {argmax_l p_k(l)} (the argmax is
/// added so that the set is never empty; this can only raise coverage). The guarantee holds only for data
/// exchangeable with the calibration data (seen applications); on unseen ones the sets are a heuristic.
class conformal_calibrator {
public:
    using config = conformal_calibrator_config;

    explicit conformal_calibrator(std::vector<std::size_t> levels_per_island, config cfg = {})
        : shape_(who_ctor, std::move(levels_per_island)), cfg_(cfg), qhat_(shape_.islands(), HUGE_VAL) {
        require_config(cfg_.alpha > 0.0 && cfg_.alpha < 1.0, who_ctor, "alpha", "in (0, 1)", cfg_.alpha);
        require_config(cfg_.sum_tolerance > 0.0, who_ctor, "sum_tolerance", "> 0", cfg_.sum_tolerance);
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return shape_.islands(); }
    [[nodiscard]] std::size_t max_levels() const noexcept { return shape_.max_levels; }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return shape_.levels[k]; }
    [[nodiscard]] std::size_t block_size() const noexcept { return shape_.block_size(); }
    [[nodiscard]] bool calibrated() const noexcept { return calibrated_; }
    /// q̂_k (+∞ before calibration: every level is in the set).
    [[nodiscard]] double quantile(std::size_t k) const noexcept { return qhat_[k]; }

    /// Score of level l for island k of block `probs`; u is the uniform draw used by aps_randomised only.
    [[nodiscard]] double score(std::span<const double> probs, std::size_t k, std::size_t l, double u = 1.0) const noexcept {
        const auto p = shape_.row(probs, k);
        switch (cfg_.score) {
            case conformal_score::lac: return 1.0 - p[l];
            case conformal_score::aps: {
                double s = 0.0;
                for (double pj : p)
                    if (pj >= p[l]) s += pj;
                return s;
            }
            case conformal_score::aps_randomised: {
                double s = u * p[l];
                for (double pj : p)
                    if (pj > p[l]) s += pj;
                return s;
            }
        }
        return 0.0;
    }

    /// Calibrates q̂_k from n ≥ 1 blocks (`probs`, n·K·L_max numbers) and their labels (n·K levels,
    /// labels[i·K + k] < L_k). The rng draws u for aps_randomised (unused otherwise). Throws
    /// dimension_mismatch, non_finite_observation, invalid_argument (bad probabilities, labels out of range,
    /// empty calibration set); the calibrator is unchanged on error.
    void calibrate(std::span<const double> probs, std::span<const level_t> labels, rng_type& rng) {
        const std::size_t n = detail::validate_blocks(who_cal, shape_, probs, cfg_.sum_tolerance);
        if (n == 0) throw invalid_argument(std::string(who_cal) + ": calibration set is empty");
        const std::size_t K = shape_.islands();
        require_size(who_cal, "labels", static_cast<Eigen::Index>(labels.size()), static_cast<Eigen::Index>(n * K));
        for (std::size_t i = 0; i < n * K; ++i)
            if (labels[i] >= shape_.levels[i % K])
                throw invalid_argument(std::string(who_cal) + ": label " + std::to_string(labels[i]) + " of sample " +
                                       std::to_string(i / K) + ", island " + std::to_string(i % K) +
                                       " is not a level of that island");
        std::uniform_real_distribution<double> unif(0.0, 1.0);
        const double rank_real = std::ceil(static_cast<double>(n + 1) * (1.0 - cfg_.alpha) - 1e-9);
        const auto rank = static_cast<std::size_t>(rank_real < 1.0 ? 1.0 : rank_real);
        std::vector<double> qhat(K);
        std::vector<double> scores(n);
        for (std::size_t k = 0; k < K; ++k) {
            for (std::size_t i = 0; i < n; ++i) {
                const double u = cfg_.score == conformal_score::aps_randomised ? unif(rng) : 1.0;
                scores[i] = score(probs.subspan(i * block_size(), block_size()), k, labels[i * K + k], u);
            }
            qhat[k] = detail::order_statistic(scores, rank);
        }
        qhat_ = std::move(qhat);
        n_ = n;
        calibrated_ = true;
    }

    /// Overload for the deterministic scores (lac, aps); aps_randomised needs the rng overload.
    void calibrate(std::span<const double> probs, std::span<const level_t> labels) {
        if (cfg_.score == conformal_score::aps_randomised)
            throw precondition_error(std::string(who_cal) + ": aps_randomised calibration needs an rng");
        rng_type unused(0);
        calibrate(probs, labels, unused);
    }

    /// Number of calibration samples used.
    [[nodiscard]] std::size_t calibration_size() const noexcept { return n_; }

    /// Writes C_k ∪ {argmax} for island k of block `probs` into out (levels ascending) and returns its size.
    /// out must hold at least L_k entries (L_k entries are written at most). u ∈ [0, 1] is the uniform draw of
    /// aps_randomised (ignored by the other scores). noexcept, no allocation; probs is not validated.
    std::size_t set(std::span<const double> probs, std::size_t k, std::span<level_t> out, double u = 1.0) const noexcept {
        const auto p = shape_.row(probs, k);
        const std::size_t top = detail::argmax(p);
        std::size_t m = 0;
        for (std::size_t l = 0; l < p.size() && m < out.size(); ++l)
            if (l == top || score(probs, k, l, u) <= qhat_[k]) out[m++] = static_cast<level_t>(l);
        return m;
    }

    /// As set(probs, k, out, u) with u drawn from rng.
    std::size_t set(std::span<const double> probs, std::size_t k, std::span<level_t> out, rng_type& rng) const {
        std::uniform_real_distribution<double> unif(0.0, 1.0);
        return set(probs, k, out, unif(rng));
    }

private:
    static constexpr const char* who_ctor = "l2s::online::conformal_calibrator";
    static constexpr const char* who_cal = "l2s::online::conformal_calibrator::calibrate";
    detail::block_shape shape_;
    config cfg_;
    std::vector<double> qhat_;
    std::size_t n_ = 0;
    bool calibrated_ = false;
};

}  // namespace l2s::online
