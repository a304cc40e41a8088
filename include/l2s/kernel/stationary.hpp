// SPDX-License-Identifier: MIT
// l2s/kernel/stationary.hpp: stationary ARD kernels (squared exponential, Matérn 3/2, Matérn 5/2).
//
// All three are k(x, y) = σ_f² φ(r²) with r² = Σ_i u_i², u = (x − y)/ℓ (Rasmussen & Williams, Gaussian
// Processes for Machine Learning, MIT Press 2006, §4.2). θ = (log ℓ_1 … log ℓ_d, log σ_f²).
// ∂k/∂log ℓ_i = σ_f² ψ(r²) u_i² with ψ = −2 dφ/dr², and ∂k/∂log σ_f² = k.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/kernel/concepts.hpp>

namespace l2s::kernel {

namespace profile {
// A profile gives φ and ψ = −2 dφ/dr² for one r² (value, slope), and in place for a column of r² values
// times a scale (values, slopes: vectorised Eigen array expressions on one cache-resident column).

/// Squared exponential: φ = exp(−r²/2), ψ = φ.
struct squared_exponential {
    static constexpr const char* name = "l2s::kernel::se_ard";
    [[nodiscard]] static double value(double r2) noexcept { return std::exp(-0.5 * r2); }
    [[nodiscard]] static double slope(double r2) noexcept { return std::exp(-0.5 * r2); }
    static void values(Eigen::Ref<vec> c, double scale) { c = scale * (-0.5 * c.array()).exp(); }
    static void slopes(Eigen::Ref<vec> c, double scale) { values(c, scale); }
    static constexpr bool slope_is_value = true;  ///< lets gram_gradient_dot map r² once
};
/// Matérn 3/2: with r = √(3r²), φ = (1 + r) e^{−r}, ψ = 3 e^{−r}.
struct matern32 {
    static constexpr const char* name = "l2s::kernel::matern32_ard";
    [[nodiscard]] static double value(double r2) noexcept {
        const double r = std::sqrt(3.0 * r2);
        return (1.0 + r) * std::exp(-r);
    }
    [[nodiscard]] static double slope(double r2) noexcept { return 3.0 * std::exp(-std::sqrt(3.0 * r2)); }
    static void values(Eigen::Ref<vec> c, double scale) {
        const Eigen::ArrayXd r = (3.0 * c.array()).sqrt();
        c = scale * (1.0 + r) * (-r).exp();
    }
    static void slopes(Eigen::Ref<vec> c, double scale) { c = (3.0 * scale) * (-(3.0 * c.array()).sqrt()).exp(); }
};
/// Matérn 5/2: with r = √(5r²), φ = (1 + r + r²/3) e^{−r}, ψ = (5/3)(1 + r) e^{−r}.
struct matern52 {
    static constexpr const char* name = "l2s::kernel::matern52_ard";
    [[nodiscard]] static double value(double r2) noexcept {
        const double r = std::sqrt(5.0 * r2);
        return (1.0 + r + r * r / 3.0) * std::exp(-r);
    }
    [[nodiscard]] static double slope(double r2) noexcept {
        const double r = std::sqrt(5.0 * r2);
        return (5.0 / 3.0) * (1.0 + r) * std::exp(-r);
    }
    static void values(Eigen::Ref<vec> c, double scale) {
        const Eigen::ArrayXd r = (5.0 * c.array()).sqrt();
        c = scale * (1.0 + r + r.square() / 3.0) * (-r).exp();
    }
    static void slopes(Eigen::Ref<vec> c, double scale) {
        const Eigen::ArrayXd r = (5.0 * c.array()).sqrt();
        c = (scale * 5.0 / 3.0) * (1.0 + r) * (-r).exp();
    }
};
}  // namespace profile

/// A stationary ARD kernel σ_f² φ(r²), r² = ‖(x − y)/ℓ‖². An aggregate: set the members directly
/// (`kernel::se_ard{.log_length_scale = vec::Constant(5, std::log(0.2))}`) or use `from(ℓ, σ_f²)`.
/// Batched `cross(X, Z)` is one GEMM on centred, scaled inputs (r² = ‖a‖² + ‖b‖² − 2aᵀb, clamped ≥ 0)
/// followed by an element-wise map.  @see docs/kernel.md#stationary-ard-kernels
template <class Profile>
struct stationary_ard {
    vec log_length_scale = vec::Zero(1);  ///< log ℓ_i, one per input dimension
    double log_signal_variance = 0.0;     ///< log σ_f²

    /// Builds the kernel from natural length-scales ℓ (all > 0) and signal variance σ_f² > 0;
    /// throws invalid_config naming the field otherwise.
    [[nodiscard]] static stationary_ard from(const vec& length_scale, double signal_variance = 1.0) {
        const std::string who = std::string(Profile::name) + "::from";
        require_config(length_scale.size() >= 1, who, "length_scale", "non-empty", 0.0);
        for (Eigen::Index i = 0; i < length_scale.size(); ++i)
            require_config(std::isfinite(length_scale(i)) && length_scale(i) > 0.0, who, "length_scale", "> 0 and finite",
                           length_scale(i));
        require_config(std::isfinite(signal_variance) && signal_variance > 0.0, who, "signal_variance", "> 0 and finite",
                       signal_variance);
        return {length_scale.array().log().matrix(), std::log(signal_variance)};
    }

    [[nodiscard]] double operator()(const vec& x, const vec& y) const {
        return std::exp(log_signal_variance) * Profile::value(scaled(x, y).squaredNorm());
    }
    /// ∂k/∂θ in params() order.
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const {
        const vec u = scaled(x, y);
        const double r2 = u.squaredNorm(), sf2 = std::exp(log_signal_variance);
        vec g(u.size() + 1);
        g.head(u.size()) = (sf2 * Profile::slope(r2)) * u.array().square().matrix();
        g(u.size()) = sf2 * Profile::value(r2);
        return g;
    }
    /// K(X, Z), n × m, X d × n and Z d × m.
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const {
        mat K(X.cols(), Z.cols());
        cross_into(X, Z, K);
        return K;
    }
    /// K(X, Z) written into C (n × m, any outer stride).
    void cross_into(const Eigen::Ref<const mat>& X, const Eigen::Ref<const mat>& Z, Eigen::Ref<mat> C) const {
        squared_distances(X, Z, C);
        map_columns(C, &Profile::values, std::exp(log_signal_variance));
    }
    /// The Gram matrix K(X, X) with an exact diagonal σ_f² and exact symmetry.
    [[nodiscard]] mat gram(const mat& X) const {
        mat K(X.cols(), X.cols());
        gram_into(X, K);
        return K;
    }
    /// The Gram matrix written into G (n × n, any outer stride).
    void gram_into(const Eigen::Ref<const mat>& X, Eigen::Ref<mat> G) const {
        cross_into(X, X, G);
        G.diagonal().setConstant(std::exp(log_signal_variance));
        G.template triangularView<Eigen::StrictlyUpper>() = G.transpose();
    }
    /// k(z, z) = σ_f² for every column of Z.
    [[nodiscard]] vec diag(const mat& Z) const { return vec::Constant(Z.cols(), std::exp(log_signal_variance)); }
    /// Σ_ab W_ab ∂K_ab/∂θ_j for every j, fused: O(d n²), no n × n × p tensor.
    /// With M = W ∘ σ_f² ψ(R²) and s the scaled i-th coordinates, Σ M_ab (s_a − s_b)² =
    /// Σ_a s_a² (row_a + col_a)(M) − 2 sᵀMs.
    [[nodiscard]] vec gram_gradient_dot(const mat& X, const mat& W) const {
        mat M(X.cols(), X.cols());
        return gram_gradient_dot(X, W, M);
    }
    /// As above with an n × n scratch M (overwritten): no n × n allocation.
    [[nodiscard]] vec gram_gradient_dot(const Eigen::Ref<const mat>& X, const Eigen::Ref<const mat>& W,
                                        Eigen::Ref<mat> M) const {
        const double sf2 = std::exp(log_signal_variance);
        const Eigen::Index d = log_length_scale.size();
        vec g(num_params());
        squared_distances(X, X, M);
        if constexpr (requires { requires Profile::slope_is_value; }) {
            map_columns(M, &Profile::values, sf2);  // ψ = φ: one map serves both
            M.array() *= W.array();
            g(d) = M.sum();
        } else {
            vec kf(M.rows());  // one column of φ at a time: Σ W ∘ σ_f² φ(R²), then M ← W ∘ σ_f² ψ(R²)
            g(d) = 0.0;
            for (Eigen::Index j = 0; j < M.cols(); ++j) {
                auto c = M.col(j);
                kf = c;
                Profile::values(kf, sf2);
                g(d) += W.col(j).dot(kf);
                Profile::slopes(c, sf2);
                c.array() *= W.col(j).array();
            }
        }
        const mat Xs = inverse_length_scale().asDiagonal() * X;
        const vec sums = M.rowwise().sum() + M.colwise().sum().transpose();
        g.head(d) = Xs.array().square().matrix() * sums - 2.0 * (Xs * M).cwiseProduct(Xs).rowwise().sum();
        return g;
    }

    [[nodiscard]] std::size_t num_params() const noexcept {
        return static_cast<std::size_t>(log_length_scale.size()) + 1;
    }
    [[nodiscard]] std::size_t dim() const noexcept { return static_cast<std::size_t>(log_length_scale.size()); }
    [[nodiscard]] vec params() const {
        vec t(log_length_scale.size() + 1);
        t << log_length_scale, log_signal_variance;
        return t;
    }
    /// Sets θ; throws dimension_mismatch on a wrong size, non_finite_observation on NaN/Inf (kernel unchanged).
    void set_params(const vec& t) {
        const std::string who = std::string(Profile::name) + "::set_params";
        require_size(who, "theta", t.size(), static_cast<Eigen::Index>(num_params()));
        require_finite(who, "theta", t);
        log_length_scale = t.head(t.size() - 1);
        log_signal_variance = t(t.size() - 1);
    }
    [[nodiscard]] std::vector<param_kind> param_kinds() const {
        std::vector<param_kind> k(num_params(), param_kind::log_length_scale);
        k.back() = param_kind::log_signal_variance;
        return k;
    }

private:  // member functions only: the type stays an aggregate
    /// Below this many columns of Z, squared_distances skips the centring and the GEMM (the per-point path).
    static constexpr Eigen::Index direct_columns = 8;
    [[nodiscard]] vec inverse_length_scale() const { return (-log_length_scale).array().exp().matrix(); }
    [[nodiscard]] vec scaled(const vec& x, const vec& y) const { return (x - y).cwiseProduct(inverse_length_scale()); }
    /// r²(X_i, Z_j) into R2 (n × m) by one GEMM on inputs centred at X's mean (less cancellation) and scaled by 1/ℓ; for a
    /// few columns of Z (a single-point prediction), directly from the differences in one pass over X.
    void squared_distances(const Eigen::Ref<const mat>& X, const Eigen::Ref<const mat>& Z, Eigen::Ref<mat> R2) const {
        const vec il = inverse_length_scale();
        if (X.rows() != il.size() || Z.rows() != il.size())
            throw dimension_mismatch(std::string(Profile::name) + ": inputs have " +
                                     std::to_string(X.rows() != il.size() ? X.rows() : Z.rows()) +
                                     " rows, expected " + std::to_string(il.size()));
        if (Z.cols() < direct_columns) {
            for (Eigen::Index j = 0; j < Z.cols(); ++j)
                R2.col(j) = ((X.colwise() - Z.col(j)).array().colwise() * il.array()).square().colwise().sum().transpose();
            return;
        }
        const vec c = X.cols() > 0 ? vec(X.rowwise().mean()) : vec(vec::Zero(il.size()));
        const mat Xs = il.asDiagonal() * (X.colwise() - c);
        const mat Zs = il.asDiagonal() * (Z.colwise() - c);
        R2.noalias() = Xs.transpose() * Zs;
        const Eigen::ArrayXd xn = Xs.colwise().squaredNorm().transpose();
        for (Eigen::Index j = 0; j < R2.cols(); ++j)  // in place, one column at a time
            R2.col(j).array() = (xn + Zs.col(j).squaredNorm() - 2.0 * R2.col(j).array()).max(0.0);
    }
    template <class F>
    static void map_columns(Eigen::Ref<mat> A, F f, double scale) {
        for (Eigen::Index j = 0; j < A.cols(); ++j) f(A.col(j), scale);
    }
};

/// Squared-exponential ARD: k = σ_f² exp(−r²/2).  @see docs/kernel.md#se_ard
using se_ard = stationary_ard<profile::squared_exponential>;
/// Matérn-3/2 ARD: k = σ_f² (1 + √3 r) exp(−√3 r).  @see docs/kernel.md#matern32_ard
using matern32_ard = stationary_ard<profile::matern32>;
/// Matérn-5/2 ARD: k = σ_f² (1 + √5 r + 5r²/3) exp(−√5 r) (the library default).  @see docs/kernel.md#matern52_ard
using matern52_ard = stationary_ard<profile::matern52>;

static_assert(DifferentiableKernel<se_ard>);
static_assert(DifferentiableKernel<matern32_ard>);
static_assert(DifferentiableKernel<matern52_ard>);

}  // namespace l2s::kernel
