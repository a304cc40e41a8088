// SPDX-License-Identifier: MIT
// l2s/mean/adaptive.hpp: a prior mean that follows the data, and a user model as prior mean.
#pragma once
#include <concepts>
#include <utility>

#include <l2s/core/types.hpp>
#include <l2s/mean/concepts.hpp>

namespace l2s::mean {

/// m(x) = the mean of the training targets. A GP calls `update(y)` whenever its data change (any mean with
/// an `update(const vec&)` member is refreshed this way).  @see docs/gp.md#prior-means
struct data_mean {
    double value = 0.0;  ///< current mean of the targets (0 before any data)
    [[nodiscard]] double operator()(const vec& /*x*/) const noexcept { return value; }
    [[nodiscard]] vec values(const mat& X) const { return vec::Constant(X.cols(), value); }
    void update(const vec& y) { value = y.size() > 0 ? y.mean() : 0.0; }
};

/// m(x) = model(x): a user-supplied prior, e.g. an analytic power or performance model, so the GP learns
/// only the residual.  `model` is any copyable callable vec → double.  @see docs/gp.md#prior-means
template <class F>
    requires std::copyable<F> && std::invocable<const F&, const vec&>
struct model_prior {
    F model;
    [[nodiscard]] double operator()(const vec& x) const { return static_cast<double>(model(x)); }
};
template <class F>
model_prior(F) -> model_prior<F>;

static_assert(MeanFunction<data_mean>);

}  // namespace l2s::mean
