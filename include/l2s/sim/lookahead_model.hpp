// SPDX-License-Identifier: MIT
// l2s/sim/lookahead_model.hpp: the simulator's exact next-interval costs as a PowerPerformanceModel.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/simulator.hpp>

namespace l2s::sim {

/// The simulator's own next-interval costs, as a PowerPerformanceModel with perfect knowledge: a bound for
/// studies that separates what runtime models get wrong from what a decision procedure gets wrong (UaOL
/// with exact models, docs/uaol.md#exact-models). Not a deployable model: it reads the workload's future.
///
/// It keeps a copy of the simulator's state, advanced by update(before, action, after) with the levels
/// applied in each interval (online::uaol_policy calls update at every decision after the first) and reset
/// to the initial state by an observation with interval 0. estimate(obs, k, l) runs the next interval on a
/// scratch copy of that state with island k at level l and every other island at its current level:
/// t̂_k = island k's busy plus transition-stall time, P̂_k = its energy over the interval / the interval's
/// time. So max_k t̂_k is the interval's time and Σ_k P̂_k its mean chip power when the islands other than k
/// keep their levels. O(K) per estimate, allocation-free after construction; estimate uses mutable scratch
/// storage, so one object must not be used from two threads at once.
class lookahead_model {
public:
    explicit lookahead_model(std::shared_ptr<const simulator> sim) : sim_(std::move(sim)) {
        if (!sim_) throw invalid_argument("l2s::sim::lookahead_model: null simulator");
        state_ = sim_->initial_state();
        scratch_ = state_;
        levels_ = state_.level;
    }

    [[nodiscard]] std::size_t num_islands() const noexcept { return sim_->num_islands(); }
    /// The interval the model's state is about to simulate.
    [[nodiscard]] std::size_t interval() const noexcept { return state_.interval; }

    /// P̂_k(l) and t̂_k(l) over the next interval (no validation: k < K, l < L_k). After the last interval
    /// of the workload there is nothing to simulate: {0, 0}.
    [[nodiscard]] power_time estimate(const observation& obs, std::size_t k, level_t l) const noexcept {
        (void)obs;
        return run(k, l, false);
    }
    /// As estimate(), as if island k already ran at l (no transition): the budget's reference.
    [[nodiscard]] power_time settled_estimate(const observation& obs, std::size_t k, level_t l) const noexcept {
        (void)obs;
        return run(k, l, true);
    }

    /// Advances the state by one interval at the applied levels a; an `after` observation with interval 0
    /// (a new episode) resets it instead. Throws dimension_mismatch or invalid_argument (a level out of
    /// range) before changing anything.
    void update(const observation& before, const action& a, const observation& after) {
        (void)before;
        constexpr const char* who = "l2s::sim::lookahead_model::update";
        require_size(who, "action", static_cast<Eigen::Index>(a.size()), static_cast<Eigen::Index>(num_islands()));
        for (std::size_t k = 0; k < a.size(); ++k)
            if (a[k] >= sim_->num_levels(k))
                throw invalid_argument(std::string(who) + ": level " + std::to_string(a[k]) + " of island " +
                                       std::to_string(k) + " is out of range");
        if (after.interval == 0) {
            reset();
            return;
        }
        if (state_.interval < sim_->num_intervals()) (void)sim_->step(state_, a.data());
    }

    /// Back to the state before interval 0.
    void reset() { state_ = sim_->initial_state(); }

private:
    [[nodiscard]] power_time run(std::size_t k, level_t l, bool settled) const noexcept {
        if (state_.interval >= sim_->num_intervals()) return {};
        scratch_ = state_;  // equal sizes: no allocation
        for (std::size_t j = 0; j < levels_.size(); ++j) levels_[j] = state_.level[j];
        levels_[k] = l;
        if (settled) scratch_.level[k] = l;
        const interval_result r = sim_->step(scratch_, levels_.data());
        return {r.time_s > 0.0 ? scratch_.energy_j[k] / r.time_s : 0.0, scratch_.busy_s[k] + scratch_.stall_s[k]};
    }

    std::shared_ptr<const simulator> sim_;
    sim_state state_;
    mutable sim_state scratch_;
    mutable std::vector<level_t> levels_;
};

static_assert(PowerPerformanceModel<lookahead_model>);

}  // namespace l2s::sim
