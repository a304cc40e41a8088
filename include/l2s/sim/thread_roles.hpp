// SPDX-License-Identifier: MIT
// l2s/sim/thread_roles.hpp: programs whose islands play different roles: serial sections (one thread
// busy, the other islands waiting at the barrier), data-parallel phases whose imbalance changes from phase
// to phase, and pipelines whose stages have their own work. @see docs/sim.md#thread-roles
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/workload.hpp>

namespace l2s::sim {

/// Share of a phase's wall time spent in a serial section, from its utilisation u measured on n cores,
/// when the phase alternates between one busy thread and n: n·u = σ·1 + (1 − σ)·n, so
/// σ = n(1 − u)/(n − 1), clamped to [0, 1]. A 1-core measurement cannot tell them apart (σ = 0).
[[nodiscard]] inline double serial_share(double utilisation, int measured_cores) {
    if (!(utilisation >= 0.0 && utilisation <= 1.0))
        throw invalid_config("l2s::sim::serial_share: utilisation must be in [0, 1]");
    if (measured_cores < 1) throw invalid_config("l2s::sim::serial_share: measured_cores must be >= 1");
    if (measured_cores == 1) return 0.0;
    const double n = measured_cores;
    return std::clamp(n * (1.0 - utilisation) / (n - 1.0), 0.0, 1.0);
}

/// The island of [first, last) whose one core retires the most instructions per second at its top level
/// (capacity × f_max; the first on ties): where a scheduler puts a program's serial thread (on a big.LITTLE
/// chip, a big core).
[[nodiscard]] inline std::size_t fastest_island(const platform& chip, std::size_t first, std::size_t last) {
    if (!(first < last && last <= chip.num_islands()))
        throw invalid_config("l2s::sim::fastest_island: need first < last <= " + std::to_string(chip.num_islands()));
    std::size_t best = first;
    auto speed = [&](std::size_t k) { return chip.islands[k].capacity * chip.islands[k].f_max(); };
    for (std::size_t k = first + 1; k < last; ++k)
        if (speed(k) > speed(best)) best = k;
    return best;
}

/// Options of with_thread_roles.
struct roles_options {
    int measured_cores = 2;         ///< cores of the run whose utilisation the phases carry (active_fraction)
    std::size_t serial_island = 0;  ///< the island of the master thread, which runs the serial sections
    double imbalance = 0.15;        ///< per island and parallel phase, work share drawn from [1 − imbalance, 1]
    std::uint64_t seed = 1;         ///< of the imbalance draws
};

/// A measured multi-threaded program (the same phase list on every island, active_fraction = the measured
/// utilisation on `measured_cores` cores, as parsec_workload builds it) with its thread roles made explicit.
/// Each phase of n intervals becomes a serial part of round(σ·n) intervals (σ = serial_share) in which the
/// serial island runs one thread and every other island waits, followed by a parallel part in which every
/// core of every island is busy and each island's work share is drawn afresh. The time shares of serial
/// sections stay those measured (the program keeps its measured balance of serial and parallel time; an
/// Amdahl extrapolation to more cores would lengthen the serial share). The input's per-island work_scale
/// is replaced by the per-phase draws.
[[nodiscard]] inline workload with_thread_roles(const workload& uniform, const roles_options& o = {}) {
    const std::string who = "l2s::sim::with_thread_roles(" + uniform.name + ")";
    const std::size_t K = uniform.num_islands();
    if (K == 0) throw invalid_config(who + ": the workload has no islands");
    uniform.validate(K);
    for (std::size_t k = 1; k < K; ++k) {
        const auto& a = uniform.islands[k];
        const auto& b = uniform.islands[0];
        const bool same = a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const phase& x, const phase& y) {
                              return x.cpi_core == y.cpi_core && x.mem_per_instr == y.mem_per_instr &&
                                     x.active_fraction == y.active_fraction && x.intervals == y.intervals;
                          });
        if (!same) throw invalid_config(who + ": every island must run the same phase list (one measured program)");
    }
    if (o.measured_cores < 1) throw invalid_config(who + ": measured_cores must be >= 1");
    if (o.serial_island >= K) throw invalid_config(who + ": serial_island must be < " + std::to_string(K));
    if (!(o.imbalance >= 0.0 && o.imbalance < 1.0)) throw invalid_config(who + ": imbalance must be in [0, 1)");
    rng_type rng(o.seed);
    std::uniform_real_distribution<double> share(1.0 - o.imbalance, 1.0);
    workload w;
    w.name = uniform.name;
    w.islands.resize(K);
    for (const phase& ph : uniform.islands[0]) {
        const double sigma = serial_share(ph.active_fraction, o.measured_cores);
        const auto serial = std::min<std::size_t>(
            ph.intervals, static_cast<std::size_t>(std::lround(sigma * static_cast<double>(ph.intervals))));
        if (serial > 0)
            for (std::size_t k = 0; k < K; ++k) {
                phase p = ph;
                p.intervals = serial;
                p.work_scale = 1.0;
                p.active_fraction = k == o.serial_island ? 1.0 : 0.0;
                p.threads = k == o.serial_island ? 1 : 0;
                w.islands[k].push_back(p);
            }
        if (serial < ph.intervals)
            for (std::size_t k = 0; k < K; ++k) {
                phase p = ph;
                p.intervals = ph.intervals - serial;
                p.active_fraction = 1.0;
                p.threads = 0;
                p.work_scale = share(rng);
                w.islands[k].push_back(p);
            }
    }
    return w;
}

/// One stage of a pipeline: its phase list (over the program's T intervals), the islands its threads occupy
/// and its work per item relative to the other stages.
struct pipeline_stage {
    std::vector<phase> phases;
    std::size_t islands = 1;  ///< consecutive islands, ≥ 1
    double work = 1.0;        ///< work per item, > 0 (relative; the heaviest stage's cores are busy all Δt)
};

/// A pipeline-parallel program: stage s occupies its islands (in order), and every interval each stage
/// processes the same batch of items, handing it to the next stage through a buffer of one batch (a
/// synchronous pipeline: the interval ends at the barrier when the slowest stage is done, so the throughput
/// is set by the slowest stage and lighter stages have slack). A stage's phases keep their own work_scale,
/// multiplied by work / max work.
[[nodiscard]] inline workload pipeline_workload(std::string name, std::span<const pipeline_stage> stages) {
    const std::string who = "l2s::sim::pipeline_workload(" + name + ")";
    if (stages.empty()) throw invalid_config(who + ": no stages");
    double heaviest = 0.0;
    for (std::size_t s = 0; s < stages.size(); ++s) {
        const std::string at = who + ": stages[" + std::to_string(s) + "].";
        if (stages[s].islands == 0) throw invalid_config(at + "islands must be >= 1");
        if (!(stages[s].work > 0.0 && std::isfinite(stages[s].work))) throw invalid_config(at + "work must be finite and > 0");
        if (stages[s].phases.empty()) throw invalid_config(at + "phases must not be empty");
        heaviest = std::max(heaviest, stages[s].work);
    }
    workload w;
    w.name = std::move(name);
    for (const auto& st : stages)
        for (std::size_t i = 0; i < st.islands; ++i) {
            std::vector<phase> prog = st.phases;
            for (auto& p : prog) p.work_scale *= st.work / heaviest;
            w.islands.push_back(std::move(prog));
        }
    try {
        w.validate(w.num_islands());
    } catch (const invalid_config& e) {
        throw invalid_config(who + ": " + e.what());
    }
    return w;
}

}  // namespace l2s::sim
