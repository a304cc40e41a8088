// SPDX-License-Identifier: MIT
// l2s/kernel/combination.hpp: sums and products of kernels, and a kernel restricted to some input dimensions.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/kernel/concepts.hpp>

namespace l2s::kernel {

namespace detail {
/// θ = (θ₁, θ₂) helpers shared by sum and product.
template <class A, class B>
[[nodiscard]] vec concat_params(const A& a, const B& b) {
    vec t(static_cast<Eigen::Index>(a.num_params() + b.num_params()));
    t << a.params(), b.params();
    return t;
}
template <class A, class B>
void split_params(A& a, B& b, const vec& t, const char* who) {
    require_size(who, "theta", t.size(), static_cast<Eigen::Index>(a.num_params() + b.num_params()));
    const auto na = static_cast<Eigen::Index>(a.num_params());
    A a2 = a;
    a2.set_params(t.head(na));
    b.set_params(t.tail(t.size() - na));
    a = std::move(a2);
}
template <class A, class B>
[[nodiscard]] std::vector<param_kind> concat_kinds(const A& a, const B& b) {
    auto k = param_kinds(a);
    const auto kb = param_kinds(b);
    k.insert(k.end(), kb.begin(), kb.end());
    return k;
}
}  // namespace detail

/// k = k₁ + k₂, θ = (θ₁, θ₂).  @see docs/kernel.md#sum-and-product
template <Kernel K1, Kernel K2>
struct sum {
    K1 first;
    K2 second;

    [[nodiscard]] double operator()(const vec& x, const vec& y) const { return first(x, y) + second(x, y); }
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const
        requires DifferentiableKernel<K1> && DifferentiableKernel<K2>
    {
        vec g(static_cast<Eigen::Index>(num_params()));
        g << first.gradient(x, y), second.gradient(x, y);
        return g;
    }
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const { return l2s::cross(first, X, Z) + l2s::cross(second, X, Z); }
    [[nodiscard]] vec diag(const mat& Z) const { return gram_diag(first, Z) + gram_diag(second, Z); }
    [[nodiscard]] vec gram_gradient_dot(const mat& X, const mat& W) const
        requires DifferentiableKernel<K1> && DifferentiableKernel<K2>
    {
        vec g(static_cast<Eigen::Index>(num_params()));
        g << l2s::gram_gradient_dot(first, X, W), l2s::gram_gradient_dot(second, X, W);
        return g;
    }
    [[nodiscard]] std::size_t num_params() const { return first.num_params() + second.num_params(); }
    [[nodiscard]] vec params() const { return detail::concat_params(first, second); }
    void set_params(const vec& t) { detail::split_params(first, second, t, "l2s::kernel::sum::set_params"); }
    [[nodiscard]] std::vector<param_kind> param_kinds() const { return detail::concat_kinds(first, second); }
};

/// k = k₁ · k₂, θ = (θ₁, θ₂); ∂k/∂θ₁ = k₂ ∂k₁/∂θ₁ and vice versa.  @see docs/kernel.md#sum-and-product
template <Kernel K1, Kernel K2>
struct product {
    K1 first;
    K2 second;

    [[nodiscard]] double operator()(const vec& x, const vec& y) const { return first(x, y) * second(x, y); }
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const
        requires DifferentiableKernel<K1> && DifferentiableKernel<K2>
    {
        vec g(static_cast<Eigen::Index>(num_params()));
        g << second(x, y) * first.gradient(x, y), first(x, y) * second.gradient(x, y);
        return g;
    }
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const {
        return l2s::cross(first, X, Z).cwiseProduct(l2s::cross(second, X, Z));
    }
    [[nodiscard]] vec diag(const mat& Z) const { return gram_diag(first, Z).cwiseProduct(gram_diag(second, Z)); }
    /// Σ W∘∂(K₁∘K₂)/∂θ₁ = Σ (W∘K₂)∘∂K₁/∂θ₁, and likewise for θ₂.
    [[nodiscard]] vec gram_gradient_dot(const mat& X, const mat& W) const
        requires DifferentiableKernel<K1> && DifferentiableKernel<K2>
    {
        vec g(static_cast<Eigen::Index>(num_params()));
        g << l2s::gram_gradient_dot(first, X, W.cwiseProduct(gram(second, X))),
            l2s::gram_gradient_dot(second, X, W.cwiseProduct(gram(first, X)));
        return g;
    }
    [[nodiscard]] std::size_t num_params() const { return first.num_params() + second.num_params(); }
    [[nodiscard]] vec params() const { return detail::concat_params(first, second); }
    void set_params(const vec& t) { detail::split_params(first, second, t, "l2s::kernel::product::set_params"); }
    [[nodiscard]] std::vector<param_kind> param_kinds() const { return detail::concat_kinds(first, second); }
};

/// K applied to the input coordinates listed in `dims` only (mixed spaces: e.g. a Hamming kernel on the
/// categorical coordinates times a Matérn kernel on the continuous ones).  @see docs/kernel.md#on_dims
template <Kernel K>
struct on_dims {
    std::vector<Eigen::Index> dims;  ///< coordinates of the full input seen by `base`, in order
    K base;

    [[nodiscard]] double operator()(const vec& x, const vec& y) const { return base(select(x), select(y)); }
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const
        requires DifferentiableKernel<K>
    {
        return base.gradient(select(x), select(y));
    }
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const { return l2s::cross(base, select(X), select(Z)); }
    [[nodiscard]] mat gram(const mat& X) const { return l2s::gram(base, select(X)); }
    [[nodiscard]] vec diag(const mat& Z) const { return gram_diag(base, select(Z)); }
    [[nodiscard]] vec gram_gradient_dot(const mat& X, const mat& W) const
        requires DifferentiableKernel<K>
    {
        return l2s::gram_gradient_dot(base, select(X), W);
    }
    [[nodiscard]] std::size_t num_params() const { return base.num_params(); }
    [[nodiscard]] vec params() const { return base.params(); }
    void set_params(const vec& t) { base.set_params(t); }
    [[nodiscard]] std::vector<param_kind> param_kinds() const { return l2s::param_kinds(base); }

private:
    /// The rows `dims` of X (throws dimension_mismatch if a listed coordinate does not exist).
    [[nodiscard]] mat select(const mat& X) const {
        mat S(static_cast<Eigen::Index>(dims.size()), X.cols());
        for (std::size_t r = 0; r < dims.size(); ++r) {
            if (dims[r] < 0 || dims[r] >= X.rows())
                throw dimension_mismatch("l2s::kernel::on_dims: coordinate " + std::to_string(dims[r]) +
                                         " does not exist in inputs of dimension " + std::to_string(X.rows()));
            S.row(static_cast<Eigen::Index>(r)) = X.row(dims[r]);
        }
        return S;
    }
    [[nodiscard]] vec select(const vec& x) const { return select(mat(x)).col(0); }
};

}  // namespace l2s::kernel
