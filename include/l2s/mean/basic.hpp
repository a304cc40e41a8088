// SPDX-License-Identifier: MIT
// l2s/mean/basic.hpp: zero and constant prior means.
#pragma once
#include <l2s/core/types.hpp>
#include <l2s/mean/concepts.hpp>

namespace l2s::mean {

/// m(x) = 0.  @see docs/gp.md#prior-means
struct zero {
    [[nodiscard]] double operator()(const vec& /*x*/) const noexcept { return 0.0; }
    [[nodiscard]] vec values(const mat& X) const { return vec::Zero(X.cols()); }
};

/// m(x) = value, a fixed number (not a hyperparameter).  @see docs/gp.md#prior-means
struct constant {
    double value = 0.0;  ///< the constant prior mean, in the units of y
    [[nodiscard]] double operator()(const vec& /*x*/) const noexcept { return value; }
    [[nodiscard]] vec values(const mat& X) const { return vec::Constant(X.cols(), value); }
};

static_assert(MeanFunction<zero>);
static_assert(MeanFunction<constant>);

}  // namespace l2s::mean
