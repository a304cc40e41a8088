// SPDX-License-Identifier: MIT
// l2s/sim/identification.hpp: system identification of runtime power/time models on a simulator.
#pragma once
#include <cstddef>
#include <random>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/simulator.hpp>

namespace l2s::sim {

/// System identification: runs one episode of `sim` with every island at a uniformly random level in every
/// interval and feeds each interval to model.update(before, action, after). Returns the intervals fed.
///
/// Why random levels: the levels an oracle or a policy chooses move together with the workload's phases
/// (fast in compute phases, slow in memory phases), so on their runs the 1/f regressor of a time model is
/// nearly collinear with the memory regressors and the split between compute and memory time is poorly
/// identified. Independent random levels excite every island's frequency on its own
/// (docs/uaol.md#identification). The episode starts from sim's initial state; rng draws the levels.
template <IntervalLearner Model>
std::size_t identify(Model& model, const sim::simulator& sim, rng_type& rng) {
    const std::size_t K = sim.num_islands();
    sim_state s = sim.initial_state();
    observation before, after;
    before.resize(K);
    after.resize(K);
    sequence_evaluator::initial_observation(sim, before);
    action a(K);
    for (std::size_t t = 0; t < sim.num_intervals(); ++t) {
        for (std::size_t k = 0; k < K; ++k)
            a[k] = static_cast<level_t>(std::uniform_int_distribution<std::size_t>(0, sim.num_levels(k) - 1)(rng));
        (void)sim.step(s, a.data(), &after);
        model.update(before, a, after);
        std::swap(before, after);
    }
    return sim.num_intervals();
}

}  // namespace l2s::sim
