// SPDX-License-Identifier: MIT
// l2s/detail/normal.hpp: standard normal pdf/cdf and their logs, erfcx and log1mexp, accurate in the far tail.
//
// Used by the improvement-based acquisitions. log Φ(z) and the log of h(z) = φ(z) + zΦ(z) (EI = σ h(z)) are
// computed without underflow down to z = −40 and far below, following Ament et al., "Unexpected Improvements
// to Expected Improvement for Bayesian Optimization", NeurIPS 2023, and Mächler, "Accurately computing
// log(1 − exp(−|a|))", Rmpfr vignette 2012.
#pragma once
#include <cmath>
#include <limits>
#include <numbers>

namespace l2s::detail {

inline constexpr double inv_sqrt2 = 0.70710678118654752440;      ///< 1/√2
inline constexpr double inv_sqrt_2pi = 0.39894228040143267794;     ///< 1/√(2π)
inline constexpr double log_sqrt_2pi = 0.91893853320467274178;     ///< log √(2π)
inline constexpr double sqrt_half_pi = 1.25331413731550025121;     ///< √(π/2)
inline constexpr double log_sqrt_half_pi = 0.22579135264472743236; ///< log √(π/2)

/// φ(z) = exp(−z²/2)/√(2π).
[[nodiscard]] inline double normal_pdf(double z) noexcept { return inv_sqrt_2pi * std::exp(-0.5 * z * z); }

/// log φ(z).
[[nodiscard]] inline double log_normal_pdf(double z) noexcept { return -0.5 * z * z - log_sqrt_2pi; }

/// Φ(z) = ½ erfc(−z/√2) (relatively accurate in the lower tail until it underflows near z = −38).
[[nodiscard]] inline double normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z * inv_sqrt2); }

/// Scaled complementary error function erfcx(x) = exp(x²) erfc(x), for any x, without overflow for large x.
/// x < 26: exp(x²) erfc(x) with x² split exactly (fma) so exp does not amplify its rounding; x ≥ 26: the
/// asymptotic series (1/(x√π)) Σ (−1)^k (2k−1)!! / (2x²)^k, whose terms fall below 1e-17 within 12 steps.
[[nodiscard]] inline double erfcx(double x) noexcept {
    if (std::isnan(x)) return x;
    if (x < 26.0) {
        if (x < -26.0) return std::numeric_limits<double>::infinity();
        const double x2 = x * x;
        const double x2_err = std::fma(x, x, -x2);  // x² = x2 + x2_err exactly
        return std::exp(x2) * std::erfc(x) * (1.0 + x2_err);
    }
    const double inv2x2 = 1.0 / (2.0 * x * x);
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= 12; ++k) {
        term *= -static_cast<double>(2 * k - 1) * inv2x2;
        sum += term;
    }
    return sum * std::numbers::inv_sqrtpi / x;
}

/// log(1 − exp(−a)) for a ≥ 0 (−∞ at a = 0), accurate for both small and large a (Mächler 2012).
[[nodiscard]] inline double log1mexp(double a) noexcept {
    if (a <= 0.0) return -std::numeric_limits<double>::infinity();
    return a <= std::numbers::ln2 ? std::log(-std::expm1(-a)) : std::log1p(-std::exp(-a));
}

/// log Φ(z), finite for every finite z: log1p(−Φ(−z)) above 0, log of erfc in the middle, and
/// log(½ erfcx(−z/√2)) − z²/2 below z = −5.
[[nodiscard]] inline double log_normal_cdf(double z) noexcept {
    if (std::isnan(z)) return z;
    if (z >= 0.0) return std::log1p(-0.5 * std::erfc(z * inv_sqrt2));
    if (z > -5.0) return std::log(0.5 * std::erfc(-z * inv_sqrt2));
    if (z == -std::numeric_limits<double>::infinity()) return z;
    return std::log(0.5 * erfcx(-z * inv_sqrt2)) - 0.5 * z * z;
}

/// h(z) = φ(z) + zΦ(z), so that EI = σ h(z) (plain formula; use log_h for z ≪ 0).
[[nodiscard]] inline double ei_h(double z) noexcept { return normal_pdf(z) + z * normal_cdf(z); }

/// log h(z), h(z) = φ(z) + zΦ(z), finite for every finite z (Ament et al. 2023):
/// z > −1: log h(z) directly; −1/√ε < z ≤ −1: log φ(z) + log1mexp(−log(|z| √(π/2) erfcx(−z/√2)))
/// (using Φ(z)/φ(z) = √(π/2) erfcx(−z/√2)); below that, the asymptote −z²/2 − log√(2π) − 2 log|z|.
[[nodiscard]] inline double log_ei_h(double z) noexcept {
    if (std::isnan(z)) return z;
    if (z > -1.0) return std::log(ei_h(z));
    if (z == -std::numeric_limits<double>::infinity()) return z;
    constexpr double asymptote_below = -67108864.0;  // −1/√ε
    if (z < asymptote_below) return -0.5 * z * z - log_sqrt_2pi - 2.0 * std::log(-z);
    const double log_ratio = std::log(erfcx(-z * inv_sqrt2) * (-z)) + log_sqrt_half_pi;
    return log_normal_pdf(z) + log1mexp(-log_ratio);
}

}  // namespace l2s::detail
