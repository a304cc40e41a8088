// SPDX-License-Identifier: MIT
// l2s/sim/workload.hpp: phase-based programs per island, the built-in PARSEC/SPLASH-2x profiles, synthetic
// generators and multi-program mixes. @see docs/sim.md#workloads
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/sim/detail/parsec_profiles.hpp>

namespace l2s::sim {

/// One program phase on one island. Time per instruction of a busy core at frequency f (interval model):
/// cpi_core / (capacity·f) + mem_per_instr · t_mem_s / (1 − ρ), where ρ is the memory-bandwidth utilisation.
struct phase {
    double cpi_core = 1.0;         ///< core cycles per instruction (the part that scales with f), > 0
    double mem_per_instr = 0.0;    ///< memory accesses per instruction that reach DRAM, ≥ 0
    double t_mem_s = 80e-9;        ///< unloaded latency of one memory access, ≥ 0
    double activity = 1.0;         ///< switching activity of a busy core, in [0, 1]
    double active_fraction = 1.0;  ///< share of the island's cores with work, in [0, 1] (0: idle phase)
    std::size_t intervals = 1;     ///< length in fixed-work intervals, ≥ 1
    /// Busy cores when > 0 (capped at the island's cores; overrides active_fraction): a serial section is a
    /// phase with threads = 1 on one island and idle phases on the others (sim/thread_roles.hpp).
    std::size_t threads = 0;
    /// The phase's work per interval relative to a core that is busy all Δt at the top level, in (0, 1]:
    /// load imbalance that changes from phase to phase, or a lighter pipeline stage. Multiplies the island's
    /// workload::work_scale.
    double work_scale = 1.0;
};

/// A program per island (phases in order, each island's phases summing to the same T intervals), with an
/// optional per-island work multiplier (load imbalance between the threads of an application).
struct workload {
    std::string name;
    std::vector<std::vector<phase>> islands;
    std::vector<double> work_scale;  ///< per island, in (0, 1]; empty = all 1
    /// The program each island runs, numbered 0, 1, … in order of first appearance: the islands of one
    /// program meet at its barrier every interval, different programs progress independently (docs/sim.md#mixes).
    /// Empty: one program on every island.
    std::vector<std::size_t> program_of_island;

    /// Number of independent programs (1 when program_of_island is empty).
    [[nodiscard]] std::size_t num_programs() const noexcept {
        std::size_t p = 0;
        for (std::size_t g : program_of_island) p = std::max(p, g + 1);
        return program_of_island.empty() ? 1 : p;
    }

    [[nodiscard]] std::size_t num_islands() const noexcept { return islands.size(); }
    [[nodiscard]] std::size_t num_intervals() const noexcept {
        std::size_t t = 0;
        if (!islands.empty())
            for (const auto& p : islands.front()) t += p.intervals;
        return t;
    }
    /// Throws invalid_config naming the field when the workload is unusable on K islands.
    void validate(std::size_t K) const {
        const std::string who = "l2s::sim::workload(" + name + ")";
        if (islands.size() != K)
            throw invalid_config(who + ": islands has " + std::to_string(islands.size()) + " programs, the platform " +
                                 std::to_string(K) + " islands");
        const std::size_t T = num_intervals();
        if (T == 0) throw invalid_config(who + ": no intervals");
        for (std::size_t k = 0; k < K; ++k) {
            std::size_t t = 0;
            for (std::size_t i = 0; i < islands[k].size(); ++i) {
                const auto& p = islands[k][i];
                const std::string f = who + ": islands[" + std::to_string(k) + "][" + std::to_string(i) + "].";
                if (!(p.cpi_core > 0.0 && std::isfinite(p.cpi_core))) throw invalid_config(f + "cpi_core must be finite and > 0");
                if (!(p.mem_per_instr >= 0.0 && std::isfinite(p.mem_per_instr)))
                    throw invalid_config(f + "mem_per_instr must be finite and >= 0");
                if (!(p.t_mem_s >= 0.0 && p.t_mem_s < 1e-3)) throw invalid_config(f + "t_mem_s must be in [0, 1e-3)");
                if (!(p.activity >= 0.0 && p.activity <= 1.0)) throw invalid_config(f + "activity must be in [0, 1]");
                if (!(p.active_fraction >= 0.0 && p.active_fraction <= 1.0))
                    throw invalid_config(f + "active_fraction must be in [0, 1]");
                if (p.intervals == 0) throw invalid_config(f + "intervals must be >= 1");
                if (!(p.work_scale > 0.0 && p.work_scale <= 1.0)) throw invalid_config(f + "work_scale must be in (0, 1]");
                if (p.threads > 4096) throw invalid_config(f + "threads must be <= 4096");
                t += p.intervals;
            }
            if (t != T)
                throw invalid_config(who + ": islands[" + std::to_string(k) + "] lasts " + std::to_string(t) +
                                     " intervals, islands[0] " + std::to_string(T));
        }
        if (!program_of_island.empty()) {
            if (program_of_island.size() != K) throw invalid_config(who + ": program_of_island must have one entry per island");
            std::size_t next = 0;  // programs numbered in order of first appearance
            for (std::size_t g : program_of_island) {
                if (g > next)
                    throw invalid_config(who + ": program_of_island must number programs 0, 1, ... in order of first appearance");
                if (g == next) ++next;
            }
        }
        if (!work_scale.empty()) {
            if (work_scale.size() != K) throw invalid_config(who + ": work_scale must have one entry per island");
            for (double w : work_scale)
                if (!(w > 0.0 && w <= 1.0)) throw invalid_config(who + ": work_scale entries must be in (0, 1]");
        }
    }
};

/// Names of the built-in PARSEC 3.0 / SPLASH-2x profiles.
[[nodiscard]] inline std::vector<std::string> parsec_names() {
    std::vector<std::string> n;
    for (const auto& r : detail::parsec_profile_rows)
        if (std::find(n.begin(), n.end(), r.benchmark) == n.end()) n.emplace_back(r.benchmark);
    return n;
}

/// Options of parsec_workload.
struct parsec_options {
    std::size_t intervals = 200;   ///< T
    int profile_cores = 2;         ///< which measured profile (1 or 2 cores)
    double imbalance = 0.15;       ///< per-island work scale drawn from [1 − imbalance, 1]
    std::uint64_t seed = 1;        ///< of the imbalance draw
    double t_mem_s = 80e-9;        ///< memory latency used to turn β into accesses per instruction
};

/// One multi-threaded PARSEC/SPLASH-2x program spanning K islands (threads meet at the per-interval
/// barrier). Phases come from the Odroid-XU3 A15 profile at 1800 MHz (BSD-3-Clause data, K. Nikov): with
/// CPI = 1/ipc and β = beta_mem_busy, cpi_core = (1 − β)·CPI and mem_per_instr·t_mem = β·CPI/1.8 GHz; the
/// activity is the one that makes the A15 model (310 pF, C_cluster 0.75×, asv_board_b 1.175 V, leakage at
/// 60 °C) reproduce the phase's measured power; active_fraction = util. Phase lengths follow their shares
/// of run time at 1800 MHz (at least one interval each).
[[nodiscard]] inline workload parsec_workload(std::string_view name, std::size_t K, const parsec_options& o = {}) {
    const std::string who = "l2s::sim::parsec_workload";
    const detail::parsec_profile_row* row = nullptr;
    for (const auto& r : detail::parsec_profile_rows)
        if (name == r.benchmark && r.cores == o.profile_cores) row = &r;
    if (row == nullptr) {
        std::string list;
        for (const auto& n : parsec_names()) list += (list.empty() ? "" : ", ") + n;
        throw invalid_config(who + ": unknown program '" + std::string(name) + "' with " +
                             std::to_string(o.profile_cores) + " cores (programs: " + list + "; cores 1 or 2)");
    }
    if (K == 0) throw invalid_config(who + ": K must be >= 1");
    if (o.intervals < row->count) throw invalid_config(who + ": intervals must be >= the number of phases");
    if (!(o.imbalance >= 0.0 && o.imbalance < 1.0)) throw invalid_config(who + ": imbalance must be in [0, 1)");
    if (!(o.t_mem_s > 0.0)) throw invalid_config(who + ": t_mem_s must be > 0");
    std::vector<phase> prog;
    std::size_t used = 0;
    for (std::size_t i = 0; i < row->count; ++i) {
        const auto& r = detail::parsec_phase_rows[row->first + i];
        const double cpi = 1.0 / r.ipc, beta = std::clamp(r.beta_mem_busy, 0.0, 1.0), f = 1.8e9;
        phase p;
        p.cpi_core = (1.0 - beta) * cpi;
        p.t_mem_s = o.t_mem_s;
        p.mem_per_instr = beta * cpi / f / o.t_mem_s;
        p.active_fraction = std::clamp(r.util, 0.0, 1.0);
        const double v = 1.175, c = 310e-12, v2f = v * v * f, tk = 60.0 + 273.15;
        const double leak = v * (2.488e-3 * tk * tk * std::exp(-2660.0 / tk) + 1e-6);
        const double busy = p.active_fraction * row->cores;
        p.activity = std::clamp((r.power_w - 0.75 * c * v2f - leak) / (busy * c * v2f), 0.05, 1.0);
        const std::size_t len = i + 1 == row->count
                                    ? o.intervals - used
                                    : std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(
                                                                   r.duration_share * static_cast<double>(o.intervals))));
        p.intervals = std::min(len, o.intervals - used - (row->count - 1 - i));
        used += p.intervals;
        prog.push_back(p);
    }
    workload w;
    w.name = std::string(name);
    w.islands.assign(K, prog);
    rng_type rng(o.seed);
    std::uniform_real_distribution<double> u(1.0 - o.imbalance, 1.0);
    w.work_scale.resize(K);
    for (auto& s : w.work_scale) s = u(rng);
    return w;
}

/// Kinds of synthetic programs.
enum class synthetic_kind { compute_bound, memory_bound, phase_alternating, bursty };

/// Options of synthetic_workload.
struct synthetic_options {
    std::size_t intervals = 200;
    std::size_t min_dwell = 10;            ///< shortest phase, intervals
    std::size_t max_dwell = 100;           ///< longest phase, intervals
    double reference_freq_hz = 4e9;        ///< frequency at which the IPC and β ranges hold
    double t_mem_s = 80e-9;
    double imbalance = 0.15;
};

/// A synthetic program per island (each island its own seeded Markov chain of phases; DESIGN §e ranges):
/// compute-bound (β ≤ 0.1, IPC 1.5–2.5), memory-bound (β 0.4–0.6, IPC 0.25–0.6), phase-alternating
/// (compute and memory phases in turn) and bursty (busy phases separated by idle ones). Deterministic by rng.
[[nodiscard]] inline workload synthetic_workload(synthetic_kind kind, std::size_t K, rng_type& rng,
                                                 const synthetic_options& o = {}) {
    const std::string who = "l2s::sim::synthetic_workload";
    if (K == 0) throw invalid_config(who + ": K must be >= 1");
    if (o.min_dwell == 0 || o.max_dwell < o.min_dwell) throw invalid_config(who + ": need 1 <= min_dwell <= max_dwell");
    if (o.intervals == 0) throw invalid_config(who + ": intervals must be >= 1");
    if (!(o.reference_freq_hz > 0.0 && o.t_mem_s > 0.0)) throw invalid_config(who + ": reference_freq_hz and t_mem_s must be > 0");
    if (!(o.imbalance >= 0.0 && o.imbalance < 1.0)) throw invalid_config(who + ": imbalance must be in [0, 1)");
    std::uniform_real_distribution<double> u(0.0, 1.0);
    auto make = [&](bool memory, bool idle) {
        const double ipc = memory ? 0.25 + 0.35 * u(rng) : 1.5 + 1.0 * u(rng);
        const double beta = memory ? 0.4 + 0.2 * u(rng) : 0.1 * u(rng);
        phase p;
        const double cpi = 1.0 / ipc;
        p.cpi_core = (1.0 - beta) * cpi;
        p.t_mem_s = o.t_mem_s;
        p.mem_per_instr = beta * cpi / o.reference_freq_hz / o.t_mem_s;
        p.activity = memory ? 0.4 + 0.3 * u(rng) : 0.7 + 0.3 * u(rng);
        p.active_fraction = idle ? 0.0 : 0.75 + 0.25 * u(rng);
        return p;
    };
    std::uniform_int_distribution<std::size_t> dwell(o.min_dwell, o.max_dwell);
    workload w;
    static constexpr const char* names[] = {"compute_bound", "memory_bound", "phase_alternating", "bursty"};
    w.name = std::string("synthetic_") + names[static_cast<int>(kind)];
    w.islands.resize(K);
    for (std::size_t k = 0; k < K; ++k) {
        std::size_t t = 0, i = 0;
        bool state = u(rng) < 0.5;
        while (t < o.intervals) {
            phase p;
            switch (kind) {
                case synthetic_kind::compute_bound: p = make(u(rng) < 0.15, false); break;
                case synthetic_kind::memory_bound: p = make(u(rng) < 0.85, false); break;
                case synthetic_kind::phase_alternating: p = make(state, false); state = !state; break;
                case synthetic_kind::bursty: p = make(u(rng) < 0.3, state); state = !state; break;
            }
            p.intervals = std::min(dwell(rng), o.intervals - t);
            t += p.intervals;
            w.islands[k].push_back(p);
            ++i;
        }
    }
    std::uniform_real_distribution<double> s(1.0 - o.imbalance, 1.0);
    w.work_scale.resize(K);
    for (auto& x : w.work_scale) x = s(rng);
    return w;
}

/// A multi-program mix: island k runs island program k of apps[app_of_island[k]] (each app must have K
/// programs, e.g. built for the same K); all apps must have the same number of intervals. The apps progress
/// independently (program_of_island numbers them in order of first appearance): each meets only its own
/// barrier, and has its own time and slowdown (docs/sim.md#mixes).
[[nodiscard]] inline workload mix(std::span<const workload> apps, std::span<const std::size_t> app_of_island) {
    const std::string who = "l2s::sim::mix";
    if (apps.empty()) throw invalid_config(who + ": no applications");
    const std::size_t K = app_of_island.size(), T = apps.front().num_intervals();
    workload w;
    w.work_scale.assign(K, 1.0);
    for (std::size_t k = 0; k < K; ++k) {
        const std::size_t a = app_of_island[k];
        if (a >= apps.size()) throw invalid_config(who + ": app_of_island[" + std::to_string(k) + "] is out of range");
        if (apps[a].num_islands() != K || apps[a].num_intervals() != T)
            throw invalid_config(who + ": every application must have " + std::to_string(K) + " island programs of " +
                                 std::to_string(T) + " intervals");
        w.islands.push_back(apps[a].islands[k]);
        if (!apps[a].work_scale.empty()) w.work_scale[k] = apps[a].work_scale[k];
    }
    std::vector<std::size_t> number(apps.size(), apps.size());  // app -> program number
    std::size_t next = 0;
    for (std::size_t k = 0; k < K; ++k) {
        const std::size_t a = app_of_island[k];
        if (number[a] == apps.size()) number[a] = next++;
        w.program_of_island.push_back(number[a]);
    }
    for (std::size_t a = 0; a < apps.size(); ++a) w.name += (a ? "+" : "") + apps[a].name;
    return w;
}

}  // namespace l2s::sim
