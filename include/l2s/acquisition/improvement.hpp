// SPDX-License-Identifier: MIT
// l2s/acquisition/improvement.hpp: expected improvement, its stable log, probability of improvement and its log.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>

#include <l2s/acquisition/concepts.hpp>
#include <l2s/detail/normal.hpp>

namespace l2s::acquisition {

/// z = (μ − u* − ξ)/σ for σ > 0 (the caller handles σ = 0).
[[nodiscard]] inline double improvement_z(double mean, double stddev, double incumbent, double xi) noexcept {
    return (mean - incumbent - xi) / stddev;
}

/// log EI with I = μ − u* − ξ: log σ + log h(z), h(z) = φ(z) + zΦ(z), finite down to z = −40 and beyond
/// (Ament et al., NeurIPS 2023). σ = 0: log max(I, 0) (−∞ when I ≤ 0).
[[nodiscard]] inline double log_expected_improvement(double mean, double stddev, double incumbent, double xi) noexcept {
    const double improvement = mean - incumbent - xi;
    if (!(stddev > 0.0)) return improvement > 0.0 ? std::log(improvement) : -std::numeric_limits<double>::infinity();
    return std::log(stddev) + detail::log_ei_h(improvement / stddev);
}

/// EI = I Φ(z) + σ φ(z) (Jones, Schonlau & Welch, J. Global Optim. 1998). Evaluated as σ h(z) for z > −1 and
/// as σ exp(log h(z)) below, which avoids the cancellation of the plain formula. σ = 0: max(I, 0).
[[nodiscard]] inline double expected_improvement(double mean, double stddev, double incumbent, double xi) noexcept {
    const double improvement = mean - incumbent - xi;
    if (!(stddev > 0.0)) return std::max(improvement, 0.0);
    const double z = improvement / stddev;
    return z > -1.0 ? stddev * detail::ei_h(z) : stddev * std::exp(detail::log_ei_h(z));
}

/// PI = Φ(z) (Kushner, J. Basic Eng. 1964). σ = 0: 1 if I > 0 else 0.
[[nodiscard]] inline double probability_of_improvement(double mean, double stddev, double incumbent, double xi) noexcept {
    const double improvement = mean - incumbent - xi;
    if (!(stddev > 0.0)) return improvement > 0.0 ? 1.0 : 0.0;
    return detail::normal_cdf(improvement / stddev);
}

/// log Φ(z), finite for every finite z. σ = 0: 0 if I > 0 else −∞.
[[nodiscard]] inline double log_probability_of_improvement(double mean, double stddev, double incumbent,
                                                           double xi) noexcept {
    const double improvement = mean - incumbent - xi;
    if (!(stddev > 0.0)) return improvement > 0.0 ? 0.0 : -std::numeric_limits<double>::infinity();
    return detail::log_normal_cdf(improvement / stddev);
}

/// Expected improvement over the incumbent, EI(x) = E[max(u(x) − u* − ξ, 0)], on the latent σ.
/// @see docs/acquisition.md#ei
struct ei {
    double xi = 0.01;  ///< ξ ≥ 0, exploration margin (in utility units)
    [[nodiscard]] double operator()(const prediction& p, const context& c) const noexcept {
        return expected_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
    [[nodiscard]] double log_value(const prediction& p, const context& c) const noexcept {
        return log_expected_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
};
static_assert(PointwiseAcquisition<ei>);

/// log EI, numerically stable (the default BO acquisition): it keeps ranking candidates whose EI underflows.
/// @see docs/acquisition.md#log_ei
struct log_ei {
    double xi = 0.01;  ///< ξ ≥ 0
    [[nodiscard]] double operator()(const prediction& p, const context& c) const noexcept { return log_value(p, c); }
    [[nodiscard]] double log_value(const prediction& p, const context& c) const noexcept {
        return log_expected_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
};
static_assert(PointwiseAcquisition<log_ei>);

/// Probability of improvement Φ(z).  @see docs/acquisition.md#pi
struct pi {
    double xi = 0.01;  ///< ξ ≥ 0
    [[nodiscard]] double operator()(const prediction& p, const context& c) const noexcept {
        return probability_of_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
    [[nodiscard]] double log_value(const prediction& p, const context& c) const noexcept {
        return log_probability_of_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
};
static_assert(PointwiseAcquisition<pi>);

/// log Φ(z), stable in the far tail.  @see docs/acquisition.md#pi
struct log_pi {
    double xi = 0.01;  ///< ξ ≥ 0
    [[nodiscard]] double operator()(const prediction& p, const context& c) const noexcept { return log_value(p, c); }
    [[nodiscard]] double log_value(const prediction& p, const context& c) const noexcept {
        return log_probability_of_improvement(p.mean, std::sqrt(std::max(p.variance, 0.0)), c.incumbent, xi);
    }
};
static_assert(PointwiseAcquisition<log_pi>);

}  // namespace l2s::acquisition
