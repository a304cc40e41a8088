// SPDX-License-Identifier: MIT
// l2s/gp/likelihood.hpp: the Gaussian-process marginal likelihood: K_y = K(X, X) + σ_n² I factorised in place
// (jitter ladder), log p(z) from the factor, and its gradient with respect to θ = (kernel θ, log σ_n²).
//
// Rasmussen & Williams, Gaussian Processes for Machine Learning (MIT Press 2006), eqs. 2.30 and 5.9:
//   log p(z) = −½ zᵀα − Σ log L_ii − (n/2) log 2π,   α = K_y⁻¹ z,
//   ∂ log p / ∂θ_j = ½ Σ W ∘ ∂K_y/∂θ_j,  W = ααᵀ − K_y⁻¹;  the noise entry is ½ σ_n² tr(W).
// K_y⁻¹ comes from a triangular inverse and a triangular product, and the kernel's fused gram_gradient_dot
// sums every θ_j at once, so no n × n × p tensor is built.  @see docs/gp.md#likelihood
#pragma once
#include <cmath>
#include <numbers>
#include <vector>

#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/gp/detail/cholesky.hpp>
#include <l2s/gp/workspace.hpp>
#include <l2s/kernel/concepts.hpp>

namespace l2s::gp {

/// Log marginal likelihood and its gradient with respect to θ_gp.
struct lml_value {
    double value = 0.0;
    vec gradient;
};

/// Writes K(X, X) + exp(log_noise)·I into A (n × n, n = X.cols()) and factorises it in place (lower
/// triangle), adding jitter from `ladder` when a pivot fails (each step reported in ev); diag is n scratch
/// values. Returns the jitter added; throws numerical_error naming `who` when the ladder is exhausted.
template <Kernel K>
double factorise_covariance(const K& k, const Eigen::Ref<const mat>& X, double log_noise, Eigen::Ref<mat> A,
                            Eigen::Ref<vec> diag, const std::vector<double>& ladder, const char* who,
                            std::vector<numerical_event>& ev) {
    gram_into(k, X, A);
    A.diagonal().array() += std::exp(log_noise);
    return detail::cholesky_in_place_with_ladder(A, diag, ladder, who, ev);
}

/// log p(z) = −½ zᵀα − Σ log L_ii − (n/2) log 2π from the lower factor L of K_y (n × n) and α = K_y⁻¹ z.
[[nodiscard]] inline double lml_from_factor(const Eigen::Ref<const mat>& L, const Eigen::Ref<const vec>& z,
                                            const Eigen::Ref<const vec>& alpha) {
    return -0.5 * z.dot(alpha) - L.diagonal().array().log().sum() -
           0.5 * static_cast<double>(z.size()) * std::log(2.0 * std::numbers::pi);
}

/// ∂ log p / ∂θ for kernel k and log σ_n² on inputs X (d × n), from the lower factor of K_y in A's lower
/// triangle and α = K_y⁻¹ z. A is overwritten with W = ααᵀ − K_y⁻¹; the other n × n scratch comes from ws.
template <DifferentiableKernel K>
[[nodiscard]] vec lml_gradient_from_factor(const K& k, double log_noise, const Eigen::Ref<const mat>& X,
                                           Eigen::Ref<mat> A, const Eigen::Ref<const vec>& alpha, workspace& ws) {
    const Eigen::Index n = A.rows();
    detail::inverse_from_cholesky_in_place(A, ws.matrix(3, n, 64));
    A = -A;
    A.noalias() += alpha * alpha.transpose();
    const vec gk = gram_gradient_dot(k, X, A, ws.matrix(2, n, n));
    vec g(gk.size() + 1);
    g << 0.5 * gk, 0.5 * std::exp(log_noise) * A.trace();
    return g;
}

/// log p(z) and its gradient for kernel k and log σ_n² on inputs X (d × n) and targets z (n), with every
/// n × n scratch in ws. Throws numerical_error naming `who` when the jitter ladder is exhausted.
template <DifferentiableKernel K>
[[nodiscard]] lml_value evaluate_lml(const K& k, double log_noise, const Eigen::Ref<const mat>& X,
                                     const Eigen::Ref<const vec>& z, const std::vector<double>& ladder, const char* who,
                                     std::vector<numerical_event>& ev, workspace& ws) {
    const Eigen::Index n = X.cols();
    auto A = ws.matrix(1, n, n);
    (void)factorise_covariance(k, X, log_noise, A, ws.matrix(2, n, 1).col(0), ladder, who, ev);
    vec a = z;
    A.template triangularView<Eigen::Lower>().solveInPlace(a);
    A.transpose().template triangularView<Eigen::Upper>().solveInPlace(a);
    lml_value v;
    v.value = lml_from_factor(A, z, a);
    v.gradient = lml_gradient_from_factor(k, log_noise, X, A, a, ws);
    return v;
}

}  // namespace l2s::gp
