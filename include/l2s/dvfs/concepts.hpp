// SPDX-License-Identifier: MIT
// l2s/dvfs/concepts.hpp: Environment, PolicyFor, LearningPolicyFor, Evaluator, PowerPerformanceModel,
// IntervalLearner: the contracts between DVFS environments, policies, evaluators and runtime models.
#pragma once
#include <concepts>
#include <cstddef>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s {

namespace detail {
template <class E> concept has_observation_and_action_types = requires {
    typename E::observation_type;
    typename E::action_type;
};
template <class E> concept resettable_steppable =
    has_observation_and_action_types<E> &&
    requires(E& e, const E& ce, rng_type& rng, const typename E::action_type& a) {
        { e.reset(rng) } -> std::same_as<const typename E::observation_type&>;
        { e.step(a) } -> std::convertible_to<dvfs::step_outcome>;
        { ce.observe() } -> std::same_as<const typename E::observation_type&>;
    };
template <class E> concept island_shaped = requires(const E& e, std::size_t k) {
    { e.num_islands() } -> std::convertible_to<std::size_t>;
    { e.num_levels(k) } -> std::convertible_to<std::size_t>;
};
template <class Ev> concept sequence_scorer = requires(Ev& ev, const vf_sequence& y) {
    { ev.evaluate(y) } -> std::convertible_to<dvfs::sequence_score>;
};
template <class Ev> concept interval_shaped = requires(const Ev& ev) {
    { ev.num_intervals() } -> std::convertible_to<std::size_t>;
};
}  // namespace detail

/// A DVFS environment: reset(rng) → observation, step(action) → step_outcome, observe() → current
/// observation, num_islands(), num_levels(k).  @see docs/concepts.md#environment
template <class E>
concept Environment = detail::resettable_steppable<E> && detail::island_shaped<E>;

/// A policy for environment E: act(observation, action&) writes one level per island into caller storage.
/// @see docs/concepts.md#policyfor
template <class P, class E>
concept PolicyFor = Environment<E> &&
                    requires(P& p, const typename E::observation_type& o, typename E::action_type& a) { p.act(o, a); };

/// A policy that also learns from what its action cost: observe(observation, action, outcome).
/// @see docs/concepts.md#learningpolicyfor
template <class P, class E>
concept LearningPolicyFor =
    PolicyFor<P, E> && requires(P& p, const typename E::observation_type& o, const typename E::action_type& a,
                                const dvfs::step_outcome& r) { p.observe(o, a, r); };

/// Scores complete decision sequences (T × K levels): evaluate(y) → sequence_score, num_intervals(),
/// num_islands(), num_levels(k). Optional: reevaluate(y, first_changed_interval), which may assume that
/// y equals the previously evaluated sequence before that interval.  @see docs/concepts.md#evaluator
template <class Ev>
concept Evaluator = detail::sequence_scorer<Ev> && detail::interval_shaped<Ev> && detail::island_shaped<Ev>;

/// A model of one island's power and time over the next interval at a given level:
/// estimate(obs, k, level) → power_time. Optional: update(obs, action, outcome); settled_estimate(obs, k,
/// level), the estimate as if island k already ran at that level (no cost of changing level).
/// @see docs/concepts.md#powerperformancemodel
template <class M, class Obs = dvfs::observation>
concept PowerPerformanceModel = requires(const M& m, const Obs& o, std::size_t k, level_t l) {
    { m.estimate(o, k, l) } -> std::convertible_to<dvfs::power_time>;
};

/// A model that learns from one interval: update(before, action, after), the observation the action was
/// decided on, the action and the observation measured at its end (online::island_models,
/// sim::lookahead_model). online::uaol_policy calls it when its model has it; sim::identify requires it.
/// @see docs/concepts.md#intervallearner
template <class M>
concept IntervalLearner = requires(M& m, const dvfs::observation& o, const dvfs::action& a) { m.update(o, a, o); };

/// The model's settled_estimate(obs, k, l) when it has one, else estimate(obs, k, l): the time and power of
/// island k at level l without the cost of switching to it. The slowdown budget's reference (every island
/// at its top level, as the performance governor runs) is computed with it.
template <class M, class Obs>
    requires PowerPerformanceModel<M, Obs>
[[nodiscard]] dvfs::power_time settled_estimate(const M& m, const Obs& o, std::size_t k, level_t l) {
    if constexpr (requires { { m.settled_estimate(o, k, l) } -> std::convertible_to<dvfs::power_time>; })
        return m.settled_estimate(o, k, l);
    else
        return m.estimate(o, k, l);
}

}  // namespace l2s
