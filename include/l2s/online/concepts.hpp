// SPDX-License-Identifier: MIT
// l2s/online/concepts.hpp: OnlineLearner (runtime regression models updated one sample at a time) and
// IntervalLearner (models that learn from one interval's observations).
#pragma once
#include <concepts>

#include <l2s/core/types.hpp>
#include <l2s/sim/observation.hpp>

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

/// A model that learns from one interval: update(before, action, after), the observation the action was
/// decided on, the action and the observation measured at its end (online::island_models,
/// sim::lookahead_model). uaol_policy calls it when its model has it; online::identify requires it.
/// @see docs/uaol.md#concept-intervallearner
template <class M>
concept IntervalLearner = requires(M& m, const sim::observation& o, const sim::action& a) { m.update(o, a, o); };

}  // namespace l2s::online
