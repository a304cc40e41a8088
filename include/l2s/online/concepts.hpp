// SPDX-License-Identifier: MIT
// l2s/online/concepts.hpp: OnlineLearner (runtime regression models updated one sample at a time).
#pragma once
#include <concepts>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>

namespace l2s::online {

/// A regression model learned one sample at a time: update(x, y) with a feature vector and a scalar target,
/// predict(x) → prediction (mean, parameter variance, noise variance), dim() → feature dimension.
/// Optional: reset() (back to the prior). Used by online::island_models for its per-island models.
/// @see docs/uaol.md#concept-onlinelearner
template <class M>
concept OnlineLearner = requires(M& m, const M& cm, const vec& x, double y) {
    m.update(x, y);
    { cm.predict(x) } -> std::convertible_to<prediction>;
    { cm.dim() } -> std::convertible_to<Eigen::Index>;
};

/// An OnlineLearner that can also be returned to its prior: reset().
template <class M>
concept ResettableOnlineLearner = OnlineLearner<M> && requires(M& m) { m.reset(); };

/// IntervalLearner moved to l2s/dvfs/concepts.hpp (namespace l2s); this name stays for one release.
using ::l2s::IntervalLearner;

}  // namespace l2s::online
