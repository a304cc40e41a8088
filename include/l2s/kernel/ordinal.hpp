// SPDX-License-Identifier: MIT
// l2s/kernel/ordinal.hpp: a kernel for ordered discrete levels (V/F levels), via a fixed per-dimension encoding.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/kernel/concepts.hpp>
#include <l2s/kernel/stationary.hpp>

namespace l2s::kernel {

/// Ordinal kernel: input coordinate i holds a level index l ∈ {0, …, L_i − 1}; it is mapped to the fixed,
/// increasing position `positions[i][l]` (for V/F levels, l2s::space::ordinal_encoding of the frequencies)
/// and the stationary kernel `base` is applied to the mapped point. Nearby levels are thus more correlated
/// than distant ones, which a Hamming kernel cannot express. θ = base's θ. Indices are rounded to the nearest
/// level; an index outside [0, L_i − 1] throws invalid_argument.  @see docs/kernel.md#ordinal
template <Kernel K = matern52_ard>
struct ordinal {
    std::vector<std::vector<double>> positions;  ///< positions[i][l]: encoded value of level l on coordinate i
    K base;

    [[nodiscard]] double operator()(const vec& x, const vec& y) const { return base(encode(x), encode(y)); }
    [[nodiscard]] vec gradient(const vec& x, const vec& y) const
        requires DifferentiableKernel<K>
    {
        return base.gradient(encode(x), encode(y));
    }
    [[nodiscard]] mat cross(const mat& X, const mat& Z) const { return l2s::cross(base, encode(X), encode(Z)); }
    [[nodiscard]] mat gram(const mat& X) const { return l2s::gram(base, encode(X)); }
    [[nodiscard]] vec diag(const mat& Z) const { return gram_diag(base, encode(Z)); }
    [[nodiscard]] vec gram_gradient_dot(const mat& X, const mat& W) const
        requires DifferentiableKernel<K>
    {
        return l2s::gram_gradient_dot(base, encode(X), W);
    }
    [[nodiscard]] std::size_t num_params() const { return base.num_params(); }
    [[nodiscard]] std::size_t dim() const { return positions.size(); }
    [[nodiscard]] vec params() const { return base.params(); }
    void set_params(const vec& t) { base.set_params(t); }
    [[nodiscard]] std::vector<param_kind> param_kinds() const { return l2s::param_kinds(base); }

    /// The encoded points (one column per column of X).
    [[nodiscard]] mat encode(const mat& X) const {
        constexpr const char* who = "l2s::kernel::ordinal";
        require_size(who, "input dimension", X.rows(), static_cast<Eigen::Index>(positions.size()));
        mat E(X.rows(), X.cols());
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const auto& p = positions[static_cast<std::size_t>(i)];
                const double l = std::round(X(i, j));
                if (!(l >= 0.0 && l < static_cast<double>(p.size())))
                    throw invalid_argument(std::string(who) + ": level " + std::to_string(X(i, j)) + " of coordinate " +
                                           std::to_string(i) + " outside [0, " + std::to_string(p.size()) + ")");
                E(i, j) = p[static_cast<std::size_t>(l)];
            }
        return E;
    }
    [[nodiscard]] vec encode(const vec& x) const { return encode(mat(x)).col(0); }
};

static_assert(DifferentiableKernel<ordinal<>>);

}  // namespace l2s::kernel
