// SPDX-License-Identifier: MIT
// l2s/sim/simulator.hpp: the interval simulator of a multi-island chip under per-island DVFS: power
// (dynamic + cluster + temperature-dependent leakage), interval performance model with a barrier per
// interval and shared memory bandwidth, RC thermal network, DVFS transition costs.
// Equations and defaults: docs/sim.md#models.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/sensor_model.hpp>
#include <l2s/sim/sim_config.hpp>
#include <l2s/sim/workload.hpp>

namespace l2s::sim {

/// The dynamic state between intervals (all the simulator needs to continue from interval t), plus scratch.
struct sim_state {
    std::size_t interval = 0;
    std::vector<double> temp_c;    ///< island node temperatures
    double package_c = 0.0;        ///< package node temperature
    std::vector<level_t> level;    ///< current level per island
    double rho = 0.0;              ///< memory-bandwidth utilisation of the last interval
    // rail sensors (platform::sensors.power_window_s > 0): time into the current averaging window, energy
    // so far in it per island, and the last completed window's mean power per island (what a read returns)
    double sensor_elapsed_s = 0.0;
    std::vector<double> sensor_energy_j, sensor_power_w;
    std::vector<double> program_time_s;  ///< per independent program, its time so far (its own barrier's clock)
    // scratch of one step (kept here so that a const simulator can be shared between threads)
    std::vector<double> busy_s, stall_s, energy_j, power_w, work;
    std::vector<double> program_span_s, program_traffic;  ///< per program: this interval's span, its memory accesses
    std::vector<unsigned char> program_idle;              ///< per program: an island without work this interval
};

/// What one interval cost.
struct interval_result {
    double energy_j = 0.0;
    double time_s = 0.0;
    double peak_temp_c = 0.0;
    double time_over_limit_s = 0.0;
    std::size_t transitions = 0;
};

/// The simulator: a platform bound to a workload. Immutable after construction; all dynamic state is in
/// sim_state, so one simulator serves many evaluators and environments (also from several threads).
class simulator {
public:
    simulator(platform p, workload w, sim_config cfg = {}) : plat_(std::move(p)), wl_(std::move(w)), cfg_(cfg) {
        plat_.validate();
        wl_.validate(plat_.num_islands());
        cfg_.validate();
        const std::size_t K = plat_.num_islands();
        T_ = wl_.num_intervals();
        // per-level tables
        lv_.resize(K);
        for (std::size_t k = 0; k < K; ++k) {
            const auto& is = plat_.islands[k];
            auto& t = lv_[k];
            for (const auto& o : is.opps) {
                t.f.push_back(o.freq_hz);
                t.v.push_back(o.volt_v);
                t.v2f.push_back(o.volt_v * o.volt_v * o.freq_hz);
                t.inv_cap_f.push_back(1.0 / (is.capacity * o.freq_hz));
            }
        }
        // per-interval phase tables (T × K, row-major)
        cpi_.resize(T_ * K);
        mtm_.resize(T_ * K);
        mpi_.resize(T_ * K);
        act_.resize(T_ * K);
        nact_.resize(T_ * K);
        work_.resize(T_ * K);
        for (std::size_t k = 0; k < K; ++k) {
            const double scale = wl_.work_scale.empty() ? 1.0 : wl_.work_scale[k];
            std::size_t t = 0;
            for (const auto& ph : wl_.islands[k])
                for (std::size_t i = 0; i < ph.intervals; ++i, ++t) {
                    const std::size_t j = t * K + k;
                    cpi_[j] = ph.cpi_core;
                    mtm_[j] = ph.mem_per_instr * ph.t_mem_s;
                    mpi_[j] = ph.mem_per_instr;
                    act_[j] = ph.activity;
                    const double cores = static_cast<double>(plat_.islands[k].cores);
                    nact_[j] = ph.threads > 0 ? std::min(static_cast<double>(ph.threads), cores)
                                              : std::round(ph.active_fraction * cores);
                    const double tpi_top = ph.cpi_core * lv_[k].inv_cap_f.back() + mtm_[j];
                    work_[j] = nact_[j] > 0.0 ? scale * ph.work_scale * cfg_.interval_s / tpi_top : 0.0;
                }
        }
        // thermal neighbours (a line, or a grid of grid_columns)
        nbr_.resize(K);
        const std::size_t cols = plat_.thermal.grid_columns == 0 ? K : plat_.thermal.grid_columns;
        for (std::size_t k = 0; k < K; ++k) {
            if (k % cols != 0) nbr_[k].push_back(k - 1);
            if ((k + 1) % cols != 0 && k + 1 < K) nbr_[k].push_back(k + 1);
            if (k >= cols) nbr_[k].push_back(k - cols);
            if (k + cols < K) nbr_[k].push_back(k + cols);
        }
        g_lat_ = plat_.thermal.lateral_r_k_per_w > 0.0 && std::isfinite(plat_.thermal.lateral_r_k_per_w)
                     ? 1.0 / plat_.thermal.lateral_r_k_per_w
                     : 0.0;
        averaging_ = !cfg_.ideal_sensors && plat_.sensors.power_window_s > 0.0;
        P_ = wl_.num_programs();
        prog_ = wl_.program_of_island.empty() ? std::vector<std::size_t>(K, 0) : wl_.program_of_island;
        initial_ = make_initial();
        if (P_ > 1) {  // each program's time at the top levels: the reference of the per-program slowdown
            sim_state s = initial_;
            std::vector<level_t> top(K);
            for (std::size_t k = 0; k < K; ++k) top[k] = static_cast<level_t>(num_levels(k) - 1);
            for (std::size_t t = 0; t < T_; ++t) (void)step(s, top.data());
            ref_program_time_ = s.program_time_s;
            ref_makespan_ = *std::max_element(ref_program_time_.begin(), ref_program_time_.end());
        }
    }

    [[nodiscard]] std::size_t num_intervals() const noexcept { return T_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return plat_.num_islands(); }
    /// Independent programs (workload::program_of_island; 1 = one barrier across all islands).
    [[nodiscard]] std::size_t num_programs() const noexcept { return P_; }
    /// Program p's time with every island at its top level (mixes only; empty for one program).
    [[nodiscard]] const std::vector<double>& reference_program_times() const noexcept { return ref_program_time_; }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return plat_.num_levels(k); }
    [[nodiscard]] const platform& chip() const noexcept { return plat_; }
    [[nodiscard]] const workload& program() const noexcept { return wl_; }
    [[nodiscard]] const sim_config& config() const noexcept { return cfg_; }
    [[nodiscard]] double frequency(std::size_t k, level_t l) const noexcept { return lv_[k].f[l]; }
    [[nodiscard]] double voltage(std::size_t k, level_t l) const noexcept { return lv_[k].v[l]; }
    /// Instructions one active core of island k retires in interval t.
    [[nodiscard]] double work(std::size_t t, std::size_t k) const noexcept { return work_[t * num_islands() + k]; }

    /// The state before interval 0: every island at its top level, temperatures warm (see sim_config).
    [[nodiscard]] const sim_state& initial_state() const noexcept { return initial_; }

    /// Runs interval s.interval with levels[k] per island (no validation: K entries, each < L_k), advances s,
    /// and when obs is non-null writes what a governor can read (obs must be sized for K islands).
    /// noise_rng is used only when the config asks for observation noise or the platform's sensors have counter noise.
    interval_result step(sim_state& s, const level_t* levels, observation* obs = nullptr,
                         rng_type* noise_rng = nullptr) const noexcept {
        const std::size_t K = num_islands(), t = s.interval, row = t * K;
        const double contention = cfg_.contention ? 1.0 / (1.0 - s.rho) : 1.0;
        interval_result r;
        const bool mixed = P_ > 1;  // independent programs: a barrier per program (one program: locals only)
        if (mixed)
            for (std::size_t p = 0; p < P_; ++p) {
                s.program_span_s[p] = s.program_traffic[p] = 0.0;
                s.program_idle[p] = 0;
            }
        double span = 0.0;  // the chip's interval: the longest program's (programs advance in lockstep)
        bool any_idle = false;
        for (std::size_t k = 0; k < K; ++k) {
            const auto& is = plat_.islands[k];
            const auto& tb = lv_[k];
            const level_t lo = s.level[k], ln = levels[k];
            const double w = work_[row + k];
            const double tpi_new = cpi_[row + k] * tb.inv_cap_f[ln] + mtm_[row + k] * contention;
            double busy = 0.0, stall = 0.0, done_at_old = 0.0, ramp = 0.0;
            if (ln != lo) {
                ++r.transitions;
                stall = is.transition_latency_s;
                if (tb.f[ln] > tb.f[lo]) {  // up: the voltage ramps first while the cores run at the old f
                    ramp = std::max(0.0, tb.v[ln] - tb.v[lo]) / is.volt_slew_v_per_s;
                    const double tpi_old = cpi_[row + k] * tb.inv_cap_f[lo] + mtm_[row + k] * contention;
                    done_at_old = w > 0.0 ? std::min(w, ramp / tpi_old) : 0.0;
                    busy = done_at_old * tpi_old;
                }
            }
            busy += (w - done_at_old) * tpi_new;
            s.busy_s[k] = busy;
            s.stall_s[k] = stall;
            span = std::max(span, busy + stall);
            if (w <= 0.0) any_idle = true;
            if (mixed) {
                double& sp = s.program_span_s[prog_[k]];
                sp = std::max(sp, busy + stall);
                if (w <= 0.0) s.program_idle[prog_[k]] = 1;
            }
            s.work[k] = w;
        }
        // an island without work keeps its program's interval at Δt at least
        if (any_idle || span <= 0.0) span = std::max(span, cfg_.interval_s);
        if (mixed)
            for (std::size_t p = 0; p < P_; ++p) {
                double& sp = s.program_span_s[p];
                if (s.program_idle[p] != 0 || sp <= 0.0) sp = std::max(sp, cfg_.interval_s);
            }
        else
            s.program_span_s[0] = span;
        // power, energy, thermal
        double traffic = 0.0, chip_e = 0.0;
        const double tp = s.package_c;
        double heat_to_package = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
            const auto& is = plat_.islands[k];
            const auto& tb = lv_[k];
            const level_t lo = s.level[k], ln = levels[k];
            const double n = nact_[row + k];
            const double span_k = mixed ? s.program_span_s[prog_[k]] : span;
            const double leak = is.leakage.power_w(tb.v[ln], s.temp_c[k]);
            const double p_busy = (n * act_[row + k] * is.c_core_f + is.c_cluster_f) * tb.v2f[ln] + leak;
            const double p_wait = cfg_.wait_cluster_fraction * is.c_cluster_f * tb.v2f[ln] + leak;
            double e = p_busy * s.busy_s[k] + p_wait * (span_k - s.busy_s[k] - s.stall_s[k]);
            if (ln != lo) {
                const double vh = std::max(tb.v[lo], tb.v[ln]);
                e += (cfg_.wait_cluster_fraction * is.c_cluster_f * vh * vh * std::min(tb.f[lo], tb.f[ln]) +
                      is.leakage.power_w(vh, s.temp_c[k])) * s.stall_s[k];
                if (tb.v[ln] < tb.v[lo]) {  // down: the voltage decays after the frequency drops
                    const double decay = (tb.v[lo] - tb.v[ln]) / is.volt_slew_v_per_s;
                    const double excess = (tb.v[lo] * tb.v[lo] / (tb.v[ln] * tb.v[ln]) - 1.0) * 0.5;
                    e += excess * (p_busy - leak) * std::min(decay, s.busy_s[k]);
                }
            }
            s.energy_j[k] = e;
            s.power_w[k] = e / span_k;
            chip_e += e;
            const double accesses = n * s.work[k] * mpi_[row + k];
            if (mixed) s.program_traffic[prog_[k]] += accesses;
            else traffic += accesses;
        }
        if (mixed)  // accesses per second: the programs' rates add
            for (std::size_t p = 0; p < P_; ++p) traffic += s.program_traffic[p] / s.program_span_s[p];
        else
            traffic /= span;
        // island nodes: exact step with the package frozen; lateral coupling with start temperatures
        double peak = 0.0, over = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
            const auto& is = plat_.islands[k];
            double lateral = 0.0;
            for (std::size_t j : nbr_[k]) lateral += (s.temp_c[j] - s.temp_c[k]) * g_lat_;
            const double t_ss = tp + is.r_th_k_per_w * (s.power_w[k] + lateral);
            const double start = s.temp_c[k];
            const double span_k = mixed ? s.program_span_s[prog_[k]] : span;
            const double end = t_ss + (start - t_ss) * std::exp(-span_k / (is.r_th_k_per_w * is.c_th_j_per_k));
            const double hi = std::max(start, end);
            peak = std::max(peak, hi);
            if (hi > plat_.thermal.t_max_c) over = std::max(over, span_k);
            s.temp_c[k] = end;
            heat_to_package += (end - tp) / is.r_th_k_per_w;
        }
        s.package_c = tp + span / plat_.thermal.package_c_j_per_k *
                                (heat_to_package - (tp - plat_.thermal.ambient_c) / plat_.thermal.package_r_k_per_w);
        s.rho = std::min(cfg_.max_utilisation, traffic / plat_.mem_bandwidth_accesses_per_s);
        if (averaging_)
            advance_rail_windows(plat_.sensors.power_window_s, span, s.power_w, s.sensor_elapsed_s, s.sensor_energy_j,
                                 s.sensor_power_w);
        if (obs != nullptr) write_observation(s, levels, span, chip_e, *obs, noise_rng);
        for (std::size_t k = 0; k < K; ++k) s.level[k] = levels[k];
        ++s.interval;
        r.energy_j = chip_e;
        r.time_s = span;
        if (P_ > 1) {  // the mix's time: the reference makespan stretched by the worst program's slowdown so far
            double before = 0.0, after = 0.0;
            for (std::size_t p = 0; p < P_; ++p) {
                const double ref = ref_program_time_.empty() ? 1.0 : ref_program_time_[p];
                before = std::max(before, s.program_time_s[p] / ref);
                s.program_time_s[p] += s.program_span_s[p];
                after = std::max(after, s.program_time_s[p] / ref);
            }
            if (!ref_program_time_.empty()) r.time_s = ref_makespan_ * (after - before);
        } else {
            s.program_time_s[0] += span;
        }
        r.peak_temp_c = peak;
        r.time_over_limit_s = over;
        return r;
    }

private:
    struct level_table {
        std::vector<double> f, v, v2f, inv_cap_f;
    };

    [[nodiscard]] sim_state make_initial() const {
        const std::size_t K = num_islands();
        sim_state s;
        s.temp_c.assign(K, plat_.thermal.ambient_c);
        s.level.resize(K);
        for (std::size_t k = 0; k < K; ++k) s.level[k] = static_cast<level_t>(num_levels(k) - 1);
        for (auto* v : {&s.busy_s, &s.stall_s, &s.energy_j, &s.power_w, &s.work, &s.sensor_energy_j, &s.sensor_power_w})
            v->assign(K, 0.0);
        for (auto* v : {&s.program_time_s, &s.program_span_s, &s.program_traffic}) v->assign(P_, 0.0);
        s.program_idle.assign(P_, 0);
        s.package_c = plat_.thermal.ambient_c;
        // the rail sensors' first reading: the chip's power in interval 0 at the start state (it has been running)
        auto first_reading = [&](sim_state& st) {
            sim_state probe = st;
            (void)step(probe, st.level.data());
            st.sensor_power_w = probe.power_w;
            st.sensor_energy_j.assign(K, 0.0);
            st.sensor_elapsed_s = 0.0;
        };
        if (!std::isnan(cfg_.initial_package_c)) {
            s.package_c = cfg_.initial_package_c;
            s.temp_c.assign(K, s.package_c);
            first_reading(s);
            return s;
        }
        // warm start: iterate the steady state of interval 0 at the top levels (leakage depends on T)
        for (int it = 0; it < 20; ++it) {
            sim_state probe = s;
            (void)step(probe, s.level.data());
            double total = 0.0;
            for (std::size_t k = 0; k < K; ++k) total += probe.power_w[k];
            s.package_c = plat_.thermal.ambient_c + plat_.thermal.package_r_k_per_w * total;
            for (std::size_t k = 0; k < K; ++k)
                s.temp_c[k] = s.package_c + plat_.islands[k].r_th_k_per_w * probe.power_w[k];
        }
        s.rho = 0.0;
        s.interval = 0;
        first_reading(s);
        return s;
    }

    void write_observation(const sim_state& s, const level_t* levels, double span, double chip_e, observation& o,
                           rng_type* rng) const {
        const std::size_t K = num_islands(), row = s.interval * K;
        sensor_reader read(plat_.sensors, cfg_.ideal_sensors, cfg_.noise_sd, cfg_.temp_noise_sd_c, rng);
        o.interval = s.interval + 1;
        o.num_intervals = T_;
        o.max_temp_c = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < K; ++k) {
            const double f = lv_[k].f[levels[k]];
            const double busy = s.busy_s[k], span_k = s.program_span_s[prog_[k]];
            o.utilisation[k] = std::min(1.0, read.counter(read.noise(busy / span_k)));
            o.ipc[k] = busy > 0.0 ? read.noise(s.work[k] / (busy * f)) : 0.0;
            o.mem_per_instr[k] = s.work[k] > 0.0 ? mpi_[row + k] : 0.0;
            o.mem_per_s[k] = read.counter(nact_[row + k] * s.work[k] * mpi_[row + k] / span_k);
            o.power_w[k] = read.power(averaging_ ? s.sensor_power_w[k] : s.power_w[k]);
            o.temp_c[k] = read.temperature(s.temp_c[k]);
            o.freq_hz[k] = f;
            o.busy_time_s[k] = busy;
            o.active_cores[k] = static_cast<std::uint32_t>(nact_[row + k]);
            o.level[k] = levels[k];
            o.max_temp_c = std::max(o.max_temp_c, o.temp_c[k]);
        }
        // the chip's power as its rails report it (their sum), or the interval's own
        if (cfg_.ideal_sensors || plat_.sensors.ideal()) {
            o.chip_power_w = chip_e / span;
        } else {
            o.chip_power_w = 0.0;
            for (std::size_t k = 0; k < K; ++k) o.chip_power_w += o.power_w[k];
        }
        o.interval_time_s = span;
    }

    platform plat_;
    workload wl_;
    sim_config cfg_;
    std::size_t T_ = 0;
    std::vector<level_table> lv_;
    std::vector<double> cpi_, mtm_, mpi_, act_, nact_, work_;
    std::vector<std::vector<std::size_t>> nbr_;
    std::size_t P_ = 1;               ///< independent programs
    std::vector<std::size_t> prog_;   ///< program of each island
    std::vector<double> ref_program_time_;  ///< per program, its time at the top levels (P_ > 1)
    double ref_makespan_ = 0.0;
    double g_lat_ = 0.0;
    bool averaging_ = false;  ///< rail sensors average over windows (platform sensors, not ideal_sensors)
    sim_state initial_;
};

}  // namespace l2s::sim
