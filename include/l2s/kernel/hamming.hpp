// SPDX-License-Identifier: MIT
// l2s/kernel/hamming.hpp: a categorical (Hamming-type) kernel for unordered categories.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/kernel/concepts.hpp>

namespace l2s::kernel {

/// Weighted Hamming kernel k = σ_f² exp(−Σ_i [x_i ≠ y_i] / ℓ_i) for inputs holding category indices
/// (compared exactly). Positive definite as a product of per-dimension kernels a + b·[x_i = y_i], a, b > 0
/// (cf. the categorical overlap kernels of Ru et al., ICML 2020). θ = (log ℓ_1 … log ℓ_d, log σ_f²);
/// ∂k/∂log ℓ_i = k [x_i ≠ y_i] / ℓ_i.  @see docs/kernel.md#hamming
struct hamming {
    vec log_length_scale = vec::Zero(1);  ///< log ℓ_i, one per categorical dimension
    double log_signal_variance = 0.0;     ///< log σ_f²

    [[nodiscard]] double operator()(const vec& x, const vec& y) const {
        return std::exp(log_signal_variance - mismatch(x, y).dot(inverse_length_scale()));
    }
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const {
        const vec w = mismatch(x, y).cwiseProduct(inverse_length_scale());
        const double k = std::exp(log_signal_variance - w.sum());
        vec g(w.size() + 1);
        g << k * w, k;
        return g;
    }
    /// K(X, Z) by accumulating one weighted mismatch matrix per dimension (no per-pair calls).
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const {
        require_size("l2s::kernel::hamming::cross", "X rows", X.rows(), log_length_scale.size());
        require_size("l2s::kernel::hamming::cross", "Z rows", Z.rows(), log_length_scale.size());
        mat E = mat::Zero(X.cols(), Z.cols());
        const vec il = inverse_length_scale();
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            for (Eigen::Index b = 0; b < Z.cols(); ++b)
                E.col(b).array() += il(i) * (X.row(i).transpose().array() != Z(i, b)).cast<double>();
        return ((-E).array().exp() * std::exp(log_signal_variance)).matrix();
    }
    [[nodiscard]] vec diag(const mat& Z) const { return vec::Constant(Z.cols(), std::exp(log_signal_variance)); }

    [[nodiscard]] std::size_t num_params() const noexcept {
        return static_cast<std::size_t>(log_length_scale.size()) + 1;
    }
    [[nodiscard]] std::size_t dim() const noexcept { return static_cast<std::size_t>(log_length_scale.size()); }
    [[nodiscard]] vec params() const {
        vec t(log_length_scale.size() + 1);
        t << log_length_scale, log_signal_variance;
        return t;
    }
    void set_params(const vec& t) {
        require_size("l2s::kernel::hamming::set_params", "theta", t.size(), static_cast<Eigen::Index>(num_params()));
        require_finite("l2s::kernel::hamming::set_params", "theta", t);
        log_length_scale = t.head(t.size() - 1);
        log_signal_variance = t(t.size() - 1);
    }
    [[nodiscard]] std::vector<param_kind> param_kinds() const {
        std::vector<param_kind> k(num_params(), param_kind::log_length_scale);
        k.back() = param_kind::log_signal_variance;
        return k;
    }

private:
    [[nodiscard]] vec inverse_length_scale() const { return (-log_length_scale).array().exp().matrix(); }
    [[nodiscard]] static vec mismatch(const vec& x, const vec& y) { return (x.array() != y.array()).cast<double>(); }
};

static_assert(DifferentiableKernel<hamming>);

}  // namespace l2s::kernel
