// SPDX-License-Identifier: MIT
// l2s/kernel/concepts.hpp: the Kernel and DifferentiableKernel concepts and the batched helpers cross/gram_diag.
#pragma once
#include <concepts>
#include <cstddef>
#include <vector>

#include <l2s/core/types.hpp>

namespace l2s {

/// A covariance function k(x, y) with parameters θ in log space.
/// Members: `k(x, y) → double`, `num_params()`, `params() → vec`, `set_params(vec)`.
/// Optional (used when present): `cross(X, Z) → mat` (batched, X d × n, Z d × m), `diag(X) → vec`,
/// `cross_into(X, Z, C)` and `gram_into(X, G)` (write into caller storage).
/// @see docs/kernel.md#concept-kernel
template <class K>
concept Kernel = std::copyable<K> && requires(const K& k, K& km, const vec& x, const vec& t) {
    { k(x, x) } -> std::convertible_to<double>;
    { k.num_params() } -> std::convertible_to<std::size_t>;
    { k.params() } -> std::convertible_to<vec>;
    km.set_params(t);
};

/// A Kernel with an analytic gradient `gradient(x, y) → vec` (∂k/∂θ_j in params() order).
/// Optional: `gram_gradient_dot(X, W) → vec`, entry j = Σ_ab W_ab ∂K_ab/∂θ_j for the Gram matrix K of X, and
/// `gram_gradient_dot(X, W, S)` with an n × n scratch S.
/// @see docs/kernel.md#concept-differentiablekernel
template <class K>
concept DifferentiableKernel = Kernel<K> && requires(const K& k, const vec& x) {
    { k.gradient(x, x) } -> std::convertible_to<vec>;
};

/// What a kernel parameter means, for default hyperparameter bounds (optional member `param_kinds()`).
enum class param_kind : unsigned char { log_length_scale, log_signal_variance, other };

/// The cross-covariance matrix k(X_i, Z_j) (n × m) of the columns of X and Z: the kernel's own batched
/// `cross` when it has one, otherwise one call per pair.
template <Kernel K>
[[nodiscard]] mat cross(const K& k, const mat& X, const mat& Z) {
    if constexpr (requires { { k.cross(X, Z) } -> std::convertible_to<mat>; }) {
        return k.cross(X, Z);
    } else {
        mat C(X.cols(), Z.cols());
        for (Eigen::Index j = 0; j < Z.cols(); ++j)
            for (Eigen::Index i = 0; i < X.cols(); ++i) C(i, j) = k(vec(X.col(i)), vec(Z.col(j)));
        return C;
    }
}

/// The Gram matrix K(X, X) (symmetric): the kernel's `gram` when present, else cross(k, X, X) symmetrised.
template <Kernel K>
[[nodiscard]] mat gram(const K& k, const mat& X) {
    if constexpr (requires { { k.gram(X) } -> std::convertible_to<mat>; }) {
        return k.gram(X);
    } else {
        mat G = cross(k, X, X);
        G.template triangularView<Eigen::StrictlyUpper>() = G.transpose();
        return G;
    }
}

/// K(X, Z) written into C (n × m, any outer stride): the kernel's `cross_into` when present (no allocation of
/// an n × m result), else `cross` copied in.
template <Kernel K>
void cross_into(const K& k, const Eigen::Ref<const mat>& X, const Eigen::Ref<const mat>& Z, Eigen::Ref<mat> C) {
    if constexpr (requires { k.cross_into(X, Z, C); }) {
        k.cross_into(X, Z, C);
    } else {
        C = cross(k, mat(X), mat(Z));
    }
}

/// The Gram matrix K(X, X) written into G (n × n, any outer stride): the kernel's `gram_into` when present,
/// else `gram` copied in.
template <Kernel K>
void gram_into(const K& k, const Eigen::Ref<const mat>& X, Eigen::Ref<mat> G) {
    if constexpr (requires { k.gram_into(X, G); }) {
        k.gram_into(X, G);
    } else {
        G = gram(k, mat(X));
    }
}

/// The prior variances k(z, z) of the columns of Z: the kernel's `diag` when present, else one call per column.
template <Kernel K>
[[nodiscard]] vec gram_diag(const K& k, const mat& Z) {
    if constexpr (requires { { k.diag(Z) } -> std::convertible_to<vec>; }) {
        return k.diag(Z);
    } else {
        vec v(Z.cols());
        for (Eigen::Index j = 0; j < Z.cols(); ++j) v(j) = k(vec(Z.col(j)), vec(Z.col(j)));
        return v;
    }
}

/// Σ_ab W_ab ∂K_ab/∂θ_j for every j (K the Gram matrix of X's columns): the kernel's fused
/// `gram_gradient_dot` when present, otherwise a loop over the pairs with `gradient`.
template <DifferentiableKernel K>
[[nodiscard]] vec gram_gradient_dot(const K& k, const mat& X, const mat& W) {
    if constexpr (requires { { k.gram_gradient_dot(X, W) } -> std::convertible_to<vec>; }) {
        return k.gram_gradient_dot(X, W);
    } else {
        vec g = vec::Zero(static_cast<Eigen::Index>(k.num_params()));
        for (Eigen::Index b = 0; b < X.cols(); ++b) {
            const vec xb = X.col(b);
            g += W(b, b) * k.gradient(xb, xb);
            for (Eigen::Index a = b + 1; a < X.cols(); ++a) g += (W(a, b) + W(b, a)) * k.gradient(vec(X.col(a)), xb);
        }
        return g;
    }
}

/// gram_gradient_dot(k, X, W) with caller scratch S (n × n, overwritten): the kernel's
/// `gram_gradient_dot(X, W, S)` when present (no n × n allocation), else the two-argument form.
template <DifferentiableKernel K>
[[nodiscard]] vec gram_gradient_dot(const K& k, const Eigen::Ref<const mat>& X, const Eigen::Ref<const mat>& W,
                                    Eigen::Ref<mat> S) {
    if constexpr (requires { { k.gram_gradient_dot(X, W, S) } -> std::convertible_to<vec>; }) {
        return k.gram_gradient_dot(X, W, S);
    } else {
        return gram_gradient_dot(k, mat(X), mat(W));
    }
}

/// The parameter kinds of k (its `param_kinds()` when present, else all `other`).
template <Kernel K>
[[nodiscard]] std::vector<param_kind> param_kinds(const K& k) {
    if constexpr (requires { { k.param_kinds() } -> std::convertible_to<std::vector<param_kind>>; }) {
        return k.param_kinds();
    } else {
        return std::vector<param_kind>(k.num_params(), param_kind::other);
    }
}

}  // namespace l2s
