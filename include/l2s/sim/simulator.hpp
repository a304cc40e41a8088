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
#include <l2s/sim/workload.hpp>

namespace l2s::sim {

/// Tunables of the simulator. Attribute table: docs/sim.md#sim_config.
struct sim_config {
    double interval_s = 1e-3;            ///< Δt: each interval holds the work of Δt at the top level
    bool contention = true;              ///< memory time × 1/(1 − ρ), ρ from the previous interval
    double max_utilisation = 0.9;        ///< cap of ρ
    double wait_cluster_fraction = 0.2;  ///< cluster power of an island that waits (cores clock-gated)
    /// Package temperature at the start (NaN: the steady state of the first interval at the top levels,
    /// i.e. a chip that has been running).
    double initial_package_c = std::numeric_limits<double>::quiet_NaN();
    double noise_sd = 0.0;         ///< multiplicative Gaussian noise on observed utilisation, ipc and power
    double temp_noise_sd_c = 0.0;  ///< additive Gaussian noise on observed temperature (°C)
    /// Report the interval's exact power and temperature whatever the platform's sensors (platform::sensors):
    /// for unit tests of the models themselves; every evaluation leaves it off.
    bool ideal_sensors = false;

    void validate() const {
        const std::string who = "l2s::sim::sim_config";
        if (!(interval_s > 0.0 && interval_s <= 10.0)) throw invalid_config(who + ": interval_s must be in (0, 10]");
        if (!(max_utilisation >= 0.0 && max_utilisation < 1.0))
            throw invalid_config(who + ": max_utilisation must be in [0, 1)");
        if (!(wait_cluster_fraction >= 0.0 && wait_cluster_fraction <= 1.0))
            throw invalid_config(who + ": wait_cluster_fraction must be in [0, 1]");
        if (!(noise_sd >= 0.0 && noise_sd < 1.0)) throw invalid_config(who + ": noise_sd must be in [0, 1)");
        if (!(temp_noise_sd_c >= 0.0 && std::isfinite(temp_noise_sd_c)))
            throw invalid_config(who + ": temp_noise_sd_c must be finite and >= 0");
        if (!std::isnan(initial_package_c) && !(initial_package_c > -100.0 && initial_package_c < 200.0))
            throw invalid_config(who + ": initial_package_c must be in (-100, 200) or NaN");
    }
};

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
        if (averaging_) advance_sensors(s, span);
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

    /// The rail sensors' averaging windows over an interval of length span at the island powers s.power_w: when
    /// windows complete inside it, the reading becomes the last completed window's mean power (the interval's
    /// own power when that window lies inside it). O(1) whatever the ratio of span to the window.
    void advance_sensors(sim_state& s, double span) const noexcept {
        const double W = plat_.sensors.power_window_s;
        const std::size_t K = num_islands();
        const double total = s.sensor_elapsed_s + span;  // time since the current window began
        if (total < W) {
            for (std::size_t k = 0; k < K; ++k) s.sensor_energy_j[k] += s.power_w[k] * span;
            s.sensor_elapsed_s = total;
            return;
        }
        const double windows = std::floor(total / W);      // windows completed, counted from the current one
        const double rest = std::max(0.0, total - windows * W);  // into the window that is still open
        const bool first_spans = windows < 2.0;              // the last completed window began before this interval
        for (std::size_t k = 0; k < K; ++k) {
            s.sensor_power_w[k] = first_spans ? (s.sensor_energy_j[k] + s.power_w[k] * (W - s.sensor_elapsed_s)) / W : s.power_w[k];
            s.sensor_energy_j[k] = s.power_w[k] * rest;
        }
        s.sensor_elapsed_s = rest;
    }

    /// A reading of value v at resolution q: truncated (power: the XU3 driver and logger truncate) or rounded.
    [[nodiscard]] static double truncated(double v, double q) noexcept { return q > 0.0 ? std::floor(v / q) * q : v; }
    [[nodiscard]] static double rounded(double v, double q) noexcept { return q > 0.0 ? std::round(v / q) * q : v; }

    void write_observation(const sim_state& s, const level_t* levels, double span, double chip_e, observation& o,
                           rng_type* rng) const {
        const std::size_t K = num_islands(), row = s.interval * K;
        const double counter_sd = cfg_.ideal_sensors ? 0.0 : plat_.sensors.counter_noise;
        const bool noisy = rng != nullptr && (cfg_.noise_sd > 0.0 || cfg_.temp_noise_sd_c > 0.0 || counter_sd > 0.0);
        std::normal_distribution<double> z(0.0, 1.0);
        auto mult = [&](double v) { return noisy && cfg_.noise_sd > 0.0 ? v * std::max(0.0, 1.0 + cfg_.noise_sd * z(*rng)) : v; };
        // a rate counted over the sensor's window (the board's counter noise, platform::sensors)
        auto rate = [&](double v) { return noisy && counter_sd > 0.0 ? v * std::max(0.0, 1.0 + counter_sd * z(*rng)) : v; };
        o.interval = s.interval + 1;
        o.num_intervals = T_;
        o.max_temp_c = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < K; ++k) {
            const double f = lv_[k].f[levels[k]];
            const double busy = s.busy_s[k], span_k = s.program_span_s[prog_[k]];
            o.utilisation[k] = std::min(1.0, rate(mult(busy / span_k)));
            o.ipc[k] = busy > 0.0 ? mult(s.work[k] / (busy * f)) : 0.0;
            o.mem_per_instr[k] = s.work[k] > 0.0 ? mpi_[row + k] : 0.0;
            o.mem_per_s[k] = rate(nact_[row + k] * s.work[k] * mpi_[row + k] / span_k);
            const double p = averaging_ ? s.sensor_power_w[k] : s.power_w[k];
            o.power_w[k] = mult(cfg_.ideal_sensors ? p : truncated(p, plat_.sensors.power_resolution_w));
            const double temp = cfg_.ideal_sensors ? s.temp_c[k] : rounded(s.temp_c[k], plat_.sensors.temp_resolution_c);
            o.temp_c[k] = temp + (noisy && cfg_.temp_noise_sd_c > 0.0 ? cfg_.temp_noise_sd_c * z(*rng) : 0.0);
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
