// SPDX-License-Identifier: MIT
// l2s/policy/scaler.hpp: the standard scaler of learned policies' inputs, and the counter of clamped inputs.
// @see docs/policy.md#island_layout
#pragma once
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>

namespace l2s::policy {

/// Standard scaler z = clamp((x − mean) / scale, ±clip); NaN → 0. Fitted on training features and stored
/// in every learned policy.  @see docs/policy.md#island_layout
struct standard_scaler {
    std::vector<double> mean;   ///< F training means
    std::vector<double> scale;  ///< F training standard deviations (1 where a feature is constant)
    double clip = 10.0;         ///< |z| bound applied at decision time

    [[nodiscard]] std::size_t size() const noexcept { return mean.size(); }

    /// Identity scaler for F features.
    [[nodiscard]] static standard_scaler identity(std::size_t features) {
        return {std::vector<double>(features, 0.0), std::vector<double>(features, 1.0), 10.0};
    }
    /// Checks sizes and values; throws typed errors naming `who`.
    void validate(std::string_view who) const {
        require_size(who, "scaler.scale", static_cast<Eigen::Index>(scale.size()), static_cast<Eigen::Index>(mean.size()));
        for (std::size_t j = 0; j < mean.size(); ++j) {
            require_finite(who, "scaler.mean", mean[j]);
            if (!(std::isfinite(scale[j]) && scale[j] > 0.0))
                throw invalid_argument(std::string(who) + ": scaler.scale must be finite and > 0");
        }
        if (!(clip > 0.0)) throw invalid_argument(std::string(who) + ": scaler.clip must be > 0");
    }
    /// Scales raw features x into z; returns how many entries were NaN/Inf or clamped.
    template <class Scalar>
    std::size_t transform(std::span<const double> x, std::span<Scalar> z) const noexcept {
        std::size_t bad = 0;
        for (std::size_t j = 0; j < mean.size(); ++j) bad += scale_one(x[j], mean[j], 1.0 / scale[j], clip, z[j]);
        return bad;
    }
    /// z = clamp((x − mean)·inv_scale, ±clip), NaN → 0; returns 1 when x was NaN/Inf or clamped. Scaling
    /// for training and stored inputs; decisions scale blocks with the same operations in the same order
    /// (island_policy::scale_block), and tests check that both agree bit for bit.
    template <class Scalar>
    static std::size_t scale_one(double x, double mean, double inv_scale, double clip, Scalar& z) noexcept {
        const double v = (x - mean) * inv_scale;
        double c = v < -clip ? -clip : v;  // comparisons with NaN are false: c stays NaN
        c = c > clip ? clip : c;
        const bool is_nan = v != v;
        z = static_cast<Scalar>(is_nan ? 0.0 : c);
        return static_cast<std::size_t>((c != v) | is_nan);  // branch-free so the loop vectorises
    }
};

}  // namespace l2s::policy

namespace l2s::policy::detail {

/// A relaxed atomic counter that copies by value (policies stay copyable and const decisions stay
/// thread-safe while counting clamped inputs).
class counter {
public:
    counter() = default;
    counter(const counter& o) noexcept : v_(o.get()) {}
    counter& operator=(const counter& o) noexcept {
        v_.store(o.get(), std::memory_order_relaxed);
        return *this;
    }
    void add(std::uint64_t n) const noexcept {
        if (n) v_.fetch_add(n, std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }
    void clear() noexcept { v_.store(0, std::memory_order_relaxed); }

private:
    mutable std::atomic<std::uint64_t> v_{0};
};

}  // namespace l2s::policy::detail
