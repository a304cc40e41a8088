// SPDX-License-Identifier: MIT
// l2s/studies/sim_machine.hpp: the simulator as the governor loop's machine (`l2s governor --simulate`).
#pragma once
#include <cstddef>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/sim/dvfs_env.hpp>

namespace l2s::studies {

/// sim::dvfs_env in the shape host::run_governor drives (start, apply, sample, observe): start() resets the
/// environment from rng, apply() keeps the levels, sample() steps one interval with them. Run with
/// governor_loop_config::interval = 0, the loop then calls act/step/observe in sim::rollout's order, so its
/// decisions are rollout's bit for bit (tests/host/test_governor_loop.cpp).
class sim_machine {
public:
    sim_machine(sim::dvfs_env& env, rng_type& rng) : env_(&env), rng_(&rng), pending_(env.num_islands(), 0) {}

    [[nodiscard]] std::size_t num_islands() const noexcept { return env_->num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return env_->num_levels(k); }
    [[nodiscard]] const dvfs::observation& observe() const noexcept { return env_->observe(); }
    [[nodiscard]] sim::dvfs_env& env() noexcept { return *env_; }

    const dvfs::observation& start() { return env_->reset(*rng_); }
    void apply(const dvfs::action& a) { pending_.assign(a.begin(), a.end()); }
    dvfs::step_outcome sample() { return env_->step(pending_); }

private:
    sim::dvfs_env* env_;
    rng_type* rng_;
    dvfs::action pending_;
};

}  // namespace l2s::studies
