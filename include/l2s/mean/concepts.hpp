// SPDX-License-Identifier: MIT
// l2s/mean/concepts.hpp: the MeanFunction concept and the batched helper mean_values.
#pragma once
#include <concepts>

#include <l2s/core/types.hpp>

namespace l2s {

/// A prior mean m(x) of a GP: `m(x) → double`. Optional: `values(X) → vec` (one entry per column of X).
/// @see docs/gp.md#concept-meanfunction
template <class M>
concept MeanFunction = std::copyable<M> && requires(const M& m, const vec& x) {
    { m(x) } -> std::convertible_to<double>;
};

/// m at every column of X: the mean's own batched `values` when present, else one call per column.
template <MeanFunction M>
[[nodiscard]] vec mean_values(const M& m, const mat& X) {
    if constexpr (requires { { m.values(X) } -> std::convertible_to<vec>; }) {
        return m.values(X);
    } else {
        vec v(X.cols());
        for (Eigen::Index j = 0; j < X.cols(); ++j) v(j) = m(vec(X.col(j)));
        return v;
    }
}

}  // namespace l2s
