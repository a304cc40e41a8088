// SPDX-License-Identifier: MIT
// l2s/dvfs/observation.hpp: what a governor can read each interval, the action it writes, step outcomes,
// sequence scores and runtime-model estimates. The vocabulary shared by the simulator, the policies, the
// searches, the online learners and the hosts; it depends on core/ only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <l2s/core/types.hpp>

namespace l2s::dvfs {

/// Per-island readings over the last interval (entries indexed by island k), as a governor would read
/// them from counters and sensors, plus chip-wide aggregates. Sized once by resize(K); stepping an
/// environment overwrites it in place (no allocation on the decision path).  @see docs/dvfs.md#observation
struct observation {
    std::size_t interval = 0;       ///< index of the interval about to be decided (0 after reset)
    std::size_t num_intervals = 0;  ///< T, the episode length in intervals (0 if open-ended)
    std::vector<double> utilisation;    ///< busy fraction of the busiest core, in [0, 1]
    std::vector<double> ipc;            ///< instructions per cycle per active core
    std::vector<double> mem_per_instr;  ///< memory accesses (last-level refills) per instruction
    std::vector<double> mem_per_s;      ///< memory accesses per second
    std::vector<double> power_w;        ///< island power (rail sensor)
    std::vector<double> temp_c;         ///< island temperature at the end of the interval
    std::vector<double> freq_hz;        ///< current frequency
    std::vector<double> busy_time_s;    ///< time the island spent working (not idle or stalled)
    std::vector<std::uint32_t> active_cores;  ///< cores with work in the last interval
    std::vector<level_t> level;         ///< current V/F level
    double chip_power_w = 0.0;          ///< sum of island powers
    double max_temp_c = 0.0;            ///< hottest island
    double interval_time_s = 0.0;       ///< wall time of the last interval (barrier to barrier)

    [[nodiscard]] std::size_t num_islands() const noexcept { return level.size(); }
    /// Sizes every per-island vector for K islands (zero-filled).
    void resize(std::size_t islands) {
        for (auto* v : {&utilisation, &ipc, &mem_per_instr, &mem_per_s, &power_w, &temp_c, &freq_hz, &busy_time_s})
            v->assign(islands, 0.0);
        active_cores.assign(islands, 0);
        level.assign(islands, 0);
    }
};

/// One level per island: the decision a policy writes into caller-provided storage.
using action = std::vector<level_t>;

/// What one environment step cost.
struct step_outcome {
    double energy_j = 0.0;     ///< energy of the interval, all islands
    double time_s = 0.0;       ///< wall time of the interval
    double peak_temp_c = 0.0;  ///< hottest temperature reached during the interval
    bool done = false;         ///< the episode has ended
};

/// Metrics of a complete decision sequence (or episode).  @see docs/dvfs.md#sequence_score
struct sequence_score {
    double energy_j = 0.0;
    double time_s = 0.0;
    double peak_temp_c = 0.0;
    double time_over_limit_s = 0.0;  ///< time spent above the thermal limit T_max
    std::size_t transitions = 0;     ///< number of (interval, island) level changes

    [[nodiscard]] double edp() const noexcept { return energy_j * time_s; }
    [[nodiscard]] double ed2p() const noexcept { return energy_j * time_s * time_s; }
    /// Slowdown against a reference time (e.g. the all-max run): time / reference − 1.
    [[nodiscard]] double slowdown(double reference_time_s) const noexcept { return time_s / reference_time_s - 1.0; }
};

/// A runtime model's estimate for one island over the next interval at one level.
struct power_time {
    double power_w = 0.0;
    double time_s = 0.0;
};

}  // namespace l2s::dvfs
