// SPDX-License-Identifier: MIT
// l2s/online/entropy_gate.hpp: seen/unseen gate from the normalised entropy of the level probabilities.
#pragma once
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/online/detail/probability_block.hpp>

namespace l2s::online {

/// How the per-island entropies H_k are combined into the gate value g.
enum class gate_aggregation { max, mean };

/// Tunables of entropy_gate.
struct entropy_gate_config {
    gate_aggregation aggregation = gate_aggregation::max;  ///< g = max_k H_k or mean_k H_k
    double quantile = 0.95;        ///< τ is this quantile of g over the calibration samples, in (0, 1]
    double sum_tolerance = 1e-6;   ///< |Σ_l p_k(l) − 1| allowed in calibration data, > 0
};

/// Entropy gate of UaOL (Narang et al., ISLPED 2023; reconstruction in DESIGN §g).
///
/// For a K × L_max probability block (island-major, island k using its first L_k entries)
/// H_k = −Σ_l p_k(l) log p_k(l) / log L_k ∈ [0, 1] (0 when L_k = 1; 0·log 0 = 0), g = max_k H_k or mean_k H_k.
/// A state is unseen when g > τ. τ is calibrated as the empirical `quantile` of g on held-out states of seen
/// applications: the ⌈quantile·n⌉-th smallest value, so that a fraction ≥ quantile of those states passes.
/// value()/unseen() are noexcept and allocation-free and do not validate (validation happens in calibrate()).
class entropy_gate {
public:
    using config = entropy_gate_config;

    /// levels_per_island: L_k per island (each in [1, 256]). τ starts at +∞ (every state seen) until calibrated.
    explicit entropy_gate(std::vector<std::size_t> levels_per_island, config cfg = {})
        : shape_(who_ctor, std::move(levels_per_island)), cfg_(cfg) {
        require_config(cfg_.quantile > 0.0 && cfg_.quantile <= 1.0, who_ctor, "quantile", "in (0, 1]", cfg_.quantile);
        require_config(cfg_.sum_tolerance > 0.0, who_ctor, "sum_tolerance", "> 0", cfg_.sum_tolerance);
        log_levels_.reserve(shape_.islands());
        for (std::size_t L : shape_.levels) log_levels_.push_back(std::log(static_cast<double>(L)));
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return shape_.islands(); }
    [[nodiscard]] std::size_t max_levels() const noexcept { return shape_.max_levels; }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return shape_.levels[k]; }
    /// Size K·L_max of one probability block.
    [[nodiscard]] std::size_t block_size() const noexcept { return shape_.block_size(); }

    /// H_k ∈ [0, 1] of island k in block `probs`.
    [[nodiscard]] double island_entropy(std::span<const double> probs, std::size_t k) const noexcept {
        if (shape_.levels[k] < 2) return 0.0;
        double h = 0.0;
        for (double p : shape_.row(probs, k))
            if (p > 0.0) h -= p * std::log(p);
        return h / log_levels_[k];
    }

    /// Gate value g of one block.
    [[nodiscard]] double value(std::span<const double> probs) const noexcept {
        double g = 0.0;
        for (std::size_t k = 0; k < shape_.islands(); ++k) {
            const double h = island_entropy(probs, k);
            g = cfg_.aggregation == gate_aggregation::max ? (h > g ? h : g) : g + h;
        }
        return cfg_.aggregation == gate_aggregation::max ? g : g / static_cast<double>(shape_.islands());
    }

    /// True when g(probs) > τ.
    [[nodiscard]] bool unseen(std::span<const double> probs) const noexcept { return value(probs) > tau_; }

    /// Calibrates τ from n ≥ 1 held-out blocks laid end to end (n·K·L_max numbers). Throws dimension_mismatch,
    /// non_finite_observation or invalid_argument (negative entries, rows not summing to 1, no samples);
    /// the gate is unchanged on error. Returns τ.
    double calibrate(std::span<const double> samples) {
        const std::size_t n = detail::validate_blocks(who_cal, shape_, samples, cfg_.sum_tolerance);
        if (n == 0) throw invalid_argument(std::string(who_cal) + ": calibration set is empty");
        std::vector<double> g(n);
        for (std::size_t i = 0; i < n; ++i) g[i] = value(samples.subspan(i * block_size(), block_size()));
        const auto r = static_cast<std::size_t>(std::ceil(cfg_.quantile * static_cast<double>(n) - 1e-12));
        tau_ = detail::order_statistic(g, r < 1 ? 1 : r);
        calibrated_ = true;
        return tau_;
    }

    /// Sets τ directly (finite or +∞, not NaN).
    void set_threshold(double tau) {
        if (std::isnan(tau)) throw invalid_argument(std::string(who_set) + ": threshold is NaN");
        tau_ = tau;
        calibrated_ = true;
    }
    [[nodiscard]] double threshold() const noexcept { return tau_; }
    [[nodiscard]] bool calibrated() const noexcept { return calibrated_; }

private:
    static constexpr const char* who_ctor = "l2s::online::entropy_gate";
    static constexpr const char* who_cal = "l2s::online::entropy_gate::calibrate";
    static constexpr const char* who_set = "l2s::online::entropy_gate::set_threshold";
    detail::block_shape shape_;
    config cfg_;
    std::vector<double> log_levels_;
    double tau_ = HUGE_VAL;
    bool calibrated_ = false;
};

}  // namespace l2s::online
