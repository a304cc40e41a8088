// SPDX-License-Identifier: MIT
// l2s/gp/concepts.hpp: the Surrogate concept (a probabilistic regression model used by bo, search, online).
#pragma once
#include <concepts>
#include <cstddef>

#include <l2s/core/types.hpp>

namespace l2s {

namespace detail {
template <class M> concept fittable = requires(M& m, const mat& X, const vec& y, const vec& x, double v) {
    m.fit(X, y);   // X is d × n (one point per column); replaces all data
    m.add(x, v);   // appends one observation
};
template <class M> concept pointwise_predictive = requires(const M& m, const vec& x) {
    { m.predict(x) } -> std::convertible_to<prediction>;
};
template <class M> concept batch_predictive = requires(const M& m, const mat& Z) {
    { m.predict(Z) } -> std::convertible_to<batch_prediction>;
};
template <class M> concept sized_model = requires(const M& m) {
    { m.size() } -> std::convertible_to<std::size_t>;   // number of observations held
    { m.dim() } -> std::convertible_to<std::size_t>;    // input dimension
};
}  // namespace detail

/// A regression model with predictive uncertainty: fit(X, y), add(x, y), predict(x) → prediction,
/// predict(Z) → batch_prediction, size(), dim(). Optional members, detected where used:
/// remove(i), truncate(n), posterior(Z) → {mean, covariance} (latent, joint), log_marginal_likelihood(),
/// learn_hyperparameters(rng), best_posterior_mean().  @see docs/concepts.md#surrogate
template <class M>
concept Surrogate = std::copyable<M> && detail::fittable<M> && detail::pointwise_predictive<M> &&
                    detail::batch_predictive<M> && detail::sized_model<M>;

/// Joint latent posterior at m points: mean (m) and covariance (m × m).
struct joint_posterior {
    vec mean;
    mat covariance;
};

}  // namespace l2s
