// SPDX-License-Identifier: MIT
// l2s/acquisition/ucb.hpp: upper confidence bound with a fixed β and with the GP-UCB schedule.
#pragma once
#include <algorithm>
#include <cmath>
#include <numbers>

#include <l2s/acquisition/concepts.hpp>

namespace l2s::acquisition {

/// μ + √β σ.
[[nodiscard]] inline double upper_confidence_bound(double mean, double stddev, double beta) noexcept {
    return mean + std::sqrt(beta) * stddev;
}

/// UCB with a fixed β: μ(x) + √β σ(x), σ the latent standard deviation.  @see docs/acquisition.md#ucb
struct ucb {
    double beta = 4.0;  ///< β ≥ 0
    [[nodiscard]] double operator()(const prediction& p, const context&) const noexcept {
        return upper_confidence_bound(p.mean, std::sqrt(std::max(p.variance, 0.0)), beta);
    }
};
static_assert(PointwiseAcquisition<ucb>);

/// GP-UCB (Srinivas, Krause, Kakade & Seeger, ICML 2010): μ + √β_t σ with
/// β_t = 2 log(|D| t² π² / (6δ)) on a finite space (Theorem 1) and
/// β_t = 2 log(t^{d/2+2} π² / (3δ)) on a continuous one (the schedule of Theorem 2 with its constants dropped).
/// @see docs/acquisition.md#gp_ucb
struct gp_ucb {
    double delta = 0.1;  ///< δ ∈ (0, 1), the failure probability of the regret bound

    /// β_t for the context's t, d and |D|.
    [[nodiscard]] double beta(const context& c) const noexcept {
        const double t = static_cast<double>(std::max<std::size_t>(c.iteration, 1));
        constexpr double pi2 = std::numbers::pi * std::numbers::pi;
        if (c.num_candidates > 0)
            return 2.0 * std::log(static_cast<double>(c.num_candidates) * t * t * pi2 / (6.0 * delta));
        return 2.0 * ((static_cast<double>(c.dim) / 2.0 + 2.0) * std::log(t) + std::log(pi2 / (3.0 * delta)));
    }
    [[nodiscard]] double operator()(const prediction& p, const context& c) const noexcept {
        return upper_confidence_bound(p.mean, std::sqrt(std::max(p.variance, 0.0)), beta(c));
    }
};
static_assert(PointwiseAcquisition<gp_ucb>);

}  // namespace l2s::acquisition
