// SPDX-License-Identifier: MIT
// l2s/host/hotsniper.hpp: any l2s policy behind HotSniper's own DVFS-policy interface: constructed with the
// simulator's performance counters, called as getFrequencies(oldFrequencies, activeCores) every epoch.
// @see docs/host.md#hotsniper
#pragma once
#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/host/sniper.hpp>

namespace l2s::host {

/// The part of HotSniper's `PerformanceCounters` (common/scheduler/performance_counters.h) a policy reads:
/// per-core power (W), temperature (°C), utilisation (0–1) and CPI of the last epoch. A counters type may also
/// offer `getMemoryAccessesPerInstructionOfCore(int)` (not in HotSniper), which then fills the memory intensity.
template <class C>
concept HotSniperCounters = requires(const C& c, int core) {
    { c.getPowerOfCore(core) } -> std::convertible_to<double>;
    { c.getTemperatureOfCore(core) } -> std::convertible_to<double>;
    { c.getUtilizationOfCore(core) } -> std::convertible_to<double>;
    { c.getCPIOfCore(core) } -> std::convertible_to<double>;
};

/// A policy P (anything dvfs_hook takes, e.g. a softmax policy or online::uaol_policy) with HotSniper's DVFS
/// policy interface: constructed with `const Counters*` like HotSniper's own policies (DVFSOndemand and the
/// others take `const PerformanceCounters*`), and `getFrequencies(oldFrequencies, activeCores)` with per-core
/// frequencies in integer MHz in and out. Each call reads every core's counters, builds the island
/// observation (dvfs_hook), tells a learning policy what the previous epoch led to (`observe`), and returns the
/// island frequencies per core. Power budgets (newer HotSniper's getPowerBudget/setPowerBudget) are kept for
/// the host but not used by the policy. To plug it into HotSniper, derive a DVFSPolicy that forwards
/// getFrequencies to this object (docs/host.md#hotsniper).
template <class P, HotSniperCounters Counters>
class hotsniper_policy {
public:
    /// counters must outlive the policy; island_of_core, freq_mhz and epoch_s as for dvfs_hook.
    hotsniper_policy(const Counters* counters, P policy, std::vector<std::size_t> island_of_core,
                     std::vector<std::vector<int>> freq_mhz, double epoch_s = 1e-3)
        : counters_(counters), hook_(std::move(policy), std::move(island_of_core), std::move(freq_mhz), epoch_s) {
        if (counters_ == nullptr) throw invalid_config("l2s::host::hotsniper_policy: counters is null");
    }

    /// HotSniper's call, once per DVFS epoch. Throws dimension_mismatch when either vector does not have one
    /// entry per core.
    std::vector<int> getFrequencies(const std::vector<int>& oldFrequencies, const std::vector<bool>& activeCores) {
        const std::size_t n = hook_.num_cores();
        if (oldFrequencies.size() != n || activeCores.size() != n)
            throw dimension_mismatch("l2s::host::hotsniper_policy::getFrequencies: expected " + std::to_string(n) + " cores");
        for (std::size_t c = 0; c < n; ++c) {
            const int core = static_cast<int>(c);
            core_counters cc;
            cc.utilisation = finite_or(counters_->getUtilizationOfCore(core), -1.0);
            const double cpi = counters_->getCPIOfCore(core);
            cc.ipc = std::isfinite(cpi) && cpi > 0.0 ? 1.0 / cpi : 0.0;
            if constexpr (requires { counters_->getMemoryAccessesPerInstructionOfCore(core); })
                cc.mem_per_instr = finite_or(counters_->getMemoryAccessesPerInstructionOfCore(core), 0.0);
            cc.power_w = finite_or(counters_->getPowerOfCore(core), 0.0);
            cc.temp_c = finite_or(counters_->getTemperatureOfCore(core), 0.0);
            hook_.set_core_counters(c, cc);
        }
        return hook_.get_frequencies(oldFrequencies, activeCores);
    }

    [[nodiscard]] std::vector<double> getPowerBudget() const { return budget_; }
    void setPowerBudget(const std::vector<double>& budgets) { budget_ = budgets; }

    /// The hook underneath (observation of the last call, reset(), the policy).
    [[nodiscard]] dvfs_hook<P>& hook() noexcept { return hook_; }
    [[nodiscard]] const dvfs_hook<P>& hook() const noexcept { return hook_; }
    [[nodiscard]] P& policy() noexcept { return hook_.policy(); }

private:
    [[nodiscard]] static double finite_or(double v, double fallback) noexcept { return std::isfinite(v) ? v : fallback; }

    const Counters* counters_;
    dvfs_hook<P> hook_;
    std::vector<double> budget_;
};

}  // namespace l2s::host
