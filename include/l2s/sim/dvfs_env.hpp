// SPDX-License-Identifier: MIT
// l2s/sim/dvfs_env.hpp: the simulator as an Environment (reset / step / observe), and rollouts of any
// policy through it.  @see docs/sim.md#environment
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/simulator.hpp>
#include <l2s/sim/trace.hpp>

namespace l2s::sim {

/// A DVFS environment over a shared simulator: reset(rng) starts an episode (the rng seeds observation
/// noise), step(action) runs one interval with one level per island. The observation is overwritten in
/// place (no allocation per step). Not thread-safe; environments may share the simulator.
class dvfs_env {
public:
    using observation_type = observation;
    using action_type = action;

    explicit dvfs_env(std::shared_ptr<const simulator> sim) : sim_(std::move(sim)) {
        if (!sim_) throw invalid_argument("l2s::sim::dvfs_env: null simulator");
        obs_.resize(sim_->num_islands());
        state_ = sim_->initial_state();
        sequence_evaluator::initial_observation(*sim_, obs_);
        taken_ = vf_sequence({sim_->num_intervals(), sim_->num_islands()});
        reference_ = sequence_evaluator(sim_).reference();
    }
    dvfs_env(platform p, workload w, sim_config cfg = {})
        : dvfs_env(std::make_shared<const simulator>(std::move(p), std::move(w), cfg)) {}

    [[nodiscard]] std::size_t num_islands() const noexcept { return sim_->num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return sim_->num_levels(k); }
    [[nodiscard]] std::size_t num_intervals() const noexcept { return sim_->num_intervals(); }
    [[nodiscard]] const simulator& sim() const noexcept { return *sim_; }
    [[nodiscard]] std::shared_ptr<const simulator> shared_sim() const noexcept { return sim_; }
    [[nodiscard]] bool done() const noexcept { return state_.interval >= sim_->num_intervals(); }
    /// Metrics of the episode so far, and of the all-top-level run (slowdown reference).
    [[nodiscard]] const sequence_score& score() const noexcept { return score_; }
    [[nodiscard]] const sequence_score& reference() const noexcept { return reference_; }
    /// The levels applied so far (rows 0..interval−1 are valid).
    [[nodiscard]] const vf_sequence& taken() const noexcept { return taken_; }

    const observation& reset(rng_type& rng) {
        noise_ = rng_type(rng());
        state_ = sim_->initial_state();
        const double first_peak = sequence_evaluator::initial_observation(*sim_, obs_);
        score_ = {};
        score_.peak_temp_c = first_peak;  // true temperatures: the readings may be quantised
        for (double t : state_.temp_c) score_.peak_temp_c = std::max(score_.peak_temp_c, t);
        return obs_;
    }
    [[nodiscard]] const observation& observe() const noexcept { return obs_; }

    /// Runs the next interval. Throws (environment unchanged) dimension_mismatch for a wrong-sized action,
    /// invalid_argument for an out-of-range level or a step after the episode ended.
    step_outcome step(const action& a) {
        constexpr const char* who = "l2s::sim::dvfs_env::step";
        const std::size_t K = num_islands();
        if (a.size() != K)
            throw dimension_mismatch(std::string(who) + ": action has " + std::to_string(a.size()) + " levels, expected " +
                                     std::to_string(K));
        for (std::size_t k = 0; k < K; ++k)
            if (a[k] >= num_levels(k))
                throw invalid_argument(std::string(who) + ": level " + std::to_string(a[k]) + " of island " +
                                       std::to_string(k) + " is out of range");
        if (done()) throw invalid_argument(std::string(who) + ": the episode has ended; call reset");
        const std::size_t t = state_.interval;
        const interval_result r = sim_->step(state_, a.data(), &obs_, &noise_);
        for (std::size_t k = 0; k < K; ++k) taken_(t, k) = a[k];
        score_.energy_j += r.energy_j;
        score_.time_s += r.time_s;
        score_.peak_temp_c = std::max(score_.peak_temp_c, r.peak_temp_c);
        score_.time_over_limit_s += r.time_over_limit_s;
        score_.transitions += r.transitions;
        return {r.energy_j, r.time_s, r.peak_temp_c, done()};
    }

private:
    std::shared_ptr<const simulator> sim_;
    sim_state state_;
    observation obs_;
    rng_type noise_{0};
    vf_sequence taken_;
    sequence_score score_{}, reference_{};
};

static_assert(Environment<dvfs_env>);

/// What a rollout returns: the episode's metrics, the sequence of levels taken, and the slowdown.
struct rollout_result {
    sequence_score score;
    vf_sequence levels;
    double slowdown = 0.0;  ///< against the all-top-level run
};

/// Runs policy p (act(obs, action&), and observe(obs, action, outcome) when it has it) through a whole
/// episode of env from reset(rng). Observers may have on_act_begin(const observation&) and
/// on_act_end(const action&) (called around each act(), e.g. to time decisions) and
/// on_interval(const observation& after, const action&, const step_outcome&) (after each step and the
/// policy's observe(); returning control::stop ends the episode early).
template <class P, class... Obs>
    requires PolicyFor<P, dvfs_env>
rollout_result rollout(dvfs_env& env, P& p, rng_type& rng, Obs&... obs) {
    action a(env.num_islands(), 0);
    const observation* o = &env.reset(rng);
    while (!env.done()) {
        (void)notify_each([&](auto& x) { if constexpr (requires { x.on_act_begin(*o); }) x.on_act_begin(*o); }, obs...);
        p.act(*o, a);
        (void)notify_each([&](auto& x) { if constexpr (requires { x.on_act_end(a); }) x.on_act_end(a); }, obs...);
        const step_outcome r = env.step(a);
        if constexpr (LearningPolicyFor<P, dvfs_env>) p.observe(env.observe(), a, r);
        const control c = notify_each(
            [&](auto& x) {
                if constexpr (requires { x.on_interval(env.observe(), a, r); }) return x.on_interval(env.observe(), a, r);
            },
            obs...);
        if (c == control::stop) break;
        o = &env.observe();
    }
    return {env.score(), env.taken(), env.score().slowdown(env.reference().time_s)};
}

}  // namespace l2s::sim
