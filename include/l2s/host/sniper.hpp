// SPDX-License-Identifier: MIT
// l2s/host/sniper.hpp: a DVFS hook in the shape of a Sniper/HotSniper DVFS policy
// (current per-core frequencies and active cores in, new per-core frequencies out).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <l2s/config.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::host {

/// Per-core readings a simulator may pass in addition to the active flags (all optional).
struct core_counters {
    double utilisation = -1.0;   ///< busy fraction in [0, 1]; < 0 means "use the active flag"
    double ipc = 0.0;            ///< instructions per cycle
    double mem_per_instr = 0.0;  ///< memory accesses per instruction
    double power_w = 0.0;        ///< core power
    double temp_c = 0.0;         ///< core temperature
};

/// Wraps any policy P with `act(const dvfs::observation&, dvfs::action&)` so that a simulator calls it the
/// way HotSniper calls its DVFS policies every epoch: `get_frequencies(old_mhz, active)` → new MHz per core.
/// Cores are grouped into V/F islands by `island_of_core`; every core of an island gets the island's frequency.
/// `decide` is the allocation-free form (spans in, caller buffer out). A learning policy (one with
/// `observe(obs, action, outcome)`, e.g. UaOL) is told, at the start of every decision after the first, what
/// the previous epoch's action led to: the observation just built and an outcome of chip power × epoch_s
/// joules over epoch_s seconds, in sim::rollout's order (act, then observe the next observation, then act).
/// @see docs/host.md#sniper_hook
template <class P>
class dvfs_hook {
public:
    /// island_of_core[c] is the island of core c; freq_mhz[k] lists island k's frequencies, ascending.
    /// epoch_s is the simulator's DVFS epoch (HotSniper's default is 1 ms), > 0.
    dvfs_hook(P policy, std::vector<std::size_t> island_of_core, std::vector<std::vector<int>> freq_mhz, double epoch_s = 1e-3)
        : policy_(std::move(policy)), island_of_core_(std::move(island_of_core)), freq_mhz_(std::move(freq_mhz)),
          epoch_s_(epoch_s) {
        const std::string who = "l2s::host::dvfs_hook: ";
        if (!(epoch_s_ > 0.0) || !std::isfinite(epoch_s_)) throw invalid_config(who + "epoch_s must be finite and > 0");
        if (freq_mhz_.empty()) throw invalid_config(who + "freq_mhz must list at least one island");
        for (std::size_t k = 0; k < freq_mhz_.size(); ++k) {
            const auto& f = freq_mhz_[k];
            if (f.empty() || f.size() > 256)
                throw invalid_config(who + "freq_mhz[" + std::to_string(k) + "] must have 1 to 256 levels");
            for (std::size_t l = 0; l < f.size(); ++l)
                if (f[l] <= 0 || (l > 0 && f[l] <= f[l - 1]))
                    throw invalid_config(who + "freq_mhz[" + std::to_string(k) + "] must be positive and strictly ascending");
        }
        if (island_of_core_.empty()) throw invalid_config(who + "island_of_core is empty");
        cores_per_island_.assign(freq_mhz_.size(), 0);
        for (std::size_t c = 0; c < island_of_core_.size(); ++c) {
            if (island_of_core_[c] >= freq_mhz_.size())
                throw invalid_config(who + "island_of_core[" + std::to_string(c) + "] names no island");
            ++cores_per_island_[island_of_core_[c]];
        }
        for (std::size_t k = 0; k < cores_per_island_.size(); ++k)
            if (cores_per_island_[k] == 0) throw invalid_config(who + "island " + std::to_string(k) + " has no core");
        obs_.resize(freq_mhz_.size());
        action_.assign(freq_mhz_.size(), 0);
        counters_.assign(island_of_core_.size(), core_counters{});
    }

    [[nodiscard]] std::size_t num_cores() const noexcept { return island_of_core_.size(); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return freq_mhz_.size(); }
    [[nodiscard]] const P& policy() const noexcept { return policy_; }
    [[nodiscard]] P& policy() noexcept { return policy_; }
    /// The observation built at the last decision.
    [[nodiscard]] const dvfs::observation& last_observation() const noexcept { return obs_; }
    [[nodiscard]] double epoch_s() const noexcept { return epoch_s_; }
    /// Starts a new episode: the next decision has interval 0 and is not preceded by observe().
    void reset() noexcept {
        obs_.interval = 0;
        have_prev_ = false;
    }

    /// Optional per-core readings for the next decision.
    void set_core_counters(std::size_t core, const core_counters& c) {
        if (core >= counters_.size()) throw invalid_argument("l2s::host::dvfs_hook::set_core_counters: no core " + std::to_string(core));
        counters_[core] = c;
    }

    /// HotSniper-shaped call: old frequencies (MHz) and active flags per core → new frequencies per core.
    [[nodiscard]] std::vector<int> get_frequencies(const std::vector<int>& old_mhz, const std::vector<bool>& active) {
        if (old_mhz.size() != num_cores() || active.size() != num_cores())
            throw dimension_mismatch("l2s::host::dvfs_hook::get_frequencies: expected " + std::to_string(num_cores()) + " cores");
        std::vector<std::uint8_t> a(active.begin(), active.end());
        std::vector<int> out(num_cores());
        decide(old_mhz, a, out);
        return out;
    }

    /// Allocation-free decision: spans of num_cores() entries. Unknown frequencies map to the nearest level.
    void decide(std::span<const int> old_mhz, std::span<const std::uint8_t> active, std::span<int> out_mhz) {
        L2S_ASSERT(old_mhz.size() == num_cores() && active.size() == num_cores() && out_mhz.size() == num_cores(),
                   "l2s::host::dvfs_hook::decide: spans must have num_cores() entries");
        const std::size_t K = num_islands();
        for (std::size_t k = 0; k < K; ++k) {
            obs_.utilisation[k] = obs_.ipc[k] = obs_.mem_per_instr[k] = obs_.mem_per_s[k] = obs_.power_w[k] = obs_.temp_c[k] = 0.0;
            obs_.active_cores[k] = 0;
            obs_.freq_hz[k] = 0.0;
        }
        for (std::size_t c = 0; c < num_cores(); ++c) {
            const std::size_t k = island_of_core_[c];
            const auto& cc = counters_[c];
            const double u = cc.utilisation >= 0.0 ? std::clamp(cc.utilisation, 0.0, 1.0) : (active[c] ? 1.0 : 0.0);
            obs_.utilisation[k] = std::max(obs_.utilisation[k], u);
            if (active[c]) ++obs_.active_cores[k];
            obs_.ipc[k] += cc.ipc / static_cast<double>(cores_per_island_[k]);
            obs_.mem_per_instr[k] += cc.mem_per_instr / static_cast<double>(cores_per_island_[k]);
            obs_.power_w[k] += cc.power_w;
            obs_.temp_c[k] = std::max(obs_.temp_c[k], cc.temp_c);
            obs_.freq_hz[k] = std::max(obs_.freq_hz[k], 1e6 * old_mhz[c]);
        }
        obs_.chip_power_w = 0.0;
        obs_.max_temp_c = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
            obs_.level[k] = nearest_level(k, obs_.freq_hz[k] * 1e-6);
            obs_.chip_power_w += obs_.power_w[k];
            obs_.max_temp_c = std::max(obs_.max_temp_c, obs_.temp_c[k]);
            // the simulator's semantics (docs/dvfs.md#observation): busy time of the busiest core, and the
            // island's memory accesses per second (active cores × instructions per core × accesses per instruction)
            obs_.busy_time_s[k] = obs_.utilisation[k] * epoch_s_;
            obs_.mem_per_s[k] = static_cast<double>(obs_.active_cores[k]) * obs_.ipc[k] * obs_.freq_hz[k] * obs_.busy_time_s[k] *
                                obs_.mem_per_instr[k] / epoch_s_;
        }
        obs_.interval_time_s = epoch_s_;
        if constexpr (requires(const dvfs::step_outcome& r) { policy_.observe(obs_, action_, r); }) {
            if (have_prev_)
                policy_.observe(static_cast<const dvfs::observation&>(obs_), static_cast<const dvfs::action&>(action_),
                                dvfs::step_outcome{obs_.chip_power_w * epoch_s_, epoch_s_, obs_.max_temp_c, false});
        }
        policy_.act(static_cast<const dvfs::observation&>(obs_), action_);
        have_prev_ = true;
        ++obs_.interval;
        for (std::size_t c = 0; c < num_cores(); ++c) {
            const std::size_t k = island_of_core_[c];
            const std::size_t l = std::min<std::size_t>(action_[k], freq_mhz_[k].size() - 1);
            out_mhz[c] = freq_mhz_[k][l];
        }
    }

private:
    [[nodiscard]] level_t nearest_level(std::size_t k, double mhz) const noexcept {
        const auto& f = freq_mhz_[k];
        std::size_t best = 0;
        for (std::size_t l = 1; l < f.size(); ++l)
            if (std::abs(f[l] - mhz) < std::abs(f[best] - mhz)) best = l;
        return static_cast<level_t>(best);
    }

    P policy_;
    std::vector<std::size_t> island_of_core_;
    std::vector<std::vector<int>> freq_mhz_;
    std::vector<std::size_t> cores_per_island_;
    std::vector<core_counters> counters_;
    double epoch_s_ = 1e-3;
    dvfs::observation obs_;
    dvfs::action action_;
    bool have_prev_ = false;
};

}  // namespace l2s::host
