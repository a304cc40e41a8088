// SPDX-License-Identifier: MIT
// l2s/problems/vf_toy.hpp: small V/F decision-sequence problems with coupling, brute-forceable, an Evaluator.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::problems {

/// Tunables of a vf_toy instance. Work per (interval, island) is drawn from `seed`.
struct vf_toy_config {
    std::size_t intervals = 4;         ///< T
    std::size_t islands = 2;           ///< K
    std::size_t levels = 3;            ///< L (same on every island)
    double freq_min_hz = 1.0e9;        ///< level 0
    double freq_max_hz = 3.0e9;        ///< level L − 1
    double volt_min = 0.7;             ///< voltage at level 0 (linear in frequency)
    double volt_max = 1.2;             ///< voltage at level L − 1
    double cycles_mean = 2.0e6;        ///< mean compute cycles per island per interval
    double mem_time_mean_s = 3.0e-4;   ///< mean frequency-independent (memory) time per island per interval
    double dyn_coeff_w = 2.0e-9;       ///< dynamic power = dyn_coeff_w · V² · f (W at V in volts, f in Hz)
    double idle_fraction = 0.1;        ///< dynamic power fraction while waiting at the barrier
    double leak_coeff_w = 0.6;         ///< leakage = leak_coeff_w · V · exp(leak_temp_coeff · (T − 45 °C))
    double leak_temp_coeff = 0.02;     ///< 1/°C
    double ambient_c = 45.0;           ///< ambient and initial temperature
    double thermal_resistance_c_per_w = 3.2;  ///< steady-state rise per watt of an island
    double thermal_tau_s = 2.0e-3;     ///< first-order thermal time constant
    double transition_time_s = 1.0e-5; ///< added to an interval for each island whose level changes
    double t_max_c = 80.0;             ///< limit used for time_over_limit_s
    unsigned seed = 1;                 ///< draws the workload
};

/// A deterministic, cheap V/F sequence evaluator with the couplings that make DVFS search non-trivial:
/// islands meet at a **barrier** at the end of each interval (the interval lasts as long as the slowest
/// island), dynamic power grows as **V²f**, leakage grows **exponentially with temperature**, and temperature
/// follows a first-order RC response so decisions affect later intervals. Island k at interval t runs
/// c_{t,k}/f + m_{t,k} seconds (compute cycles c, memory time m), then idles at `idle_fraction` of its
/// dynamic power until the barrier. Models `Evaluator` including `reevaluate(y, t0)`, which restarts from the
/// stored state after interval t0 − 1 of the previous evaluation, so a change at t costs T − t intervals.
class vf_toy {
public:
    using config = vf_toy_config;

    explicit vf_toy(const vf_toy_config& c = {}) : cfg_(c) {
        constexpr const char* who = "l2s::problems::vf_toy";
        require_config(c.intervals >= 1, who, "intervals", ">= 1", static_cast<double>(c.intervals));
        require_config(c.islands >= 1, who, "islands", ">= 1", static_cast<double>(c.islands));
        require_config(c.levels >= 2 && c.levels <= 255, who, "levels", "in [2, 255]", static_cast<double>(c.levels));
        require_config(c.freq_min_hz > 0 && c.freq_max_hz > c.freq_min_hz, who, "freq_max_hz", "> freq_min_hz > 0",
                       c.freq_max_hz);
        require_config(c.volt_min > 0 && c.volt_max >= c.volt_min, who, "volt_max", ">= volt_min > 0", c.volt_max);
        require_config(c.cycles_mean > 0, who, "cycles_mean", "> 0", c.cycles_mean);
        require_config(c.mem_time_mean_s >= 0, who, "mem_time_mean_s", ">= 0", c.mem_time_mean_s);
        require_config(c.idle_fraction >= 0 && c.idle_fraction <= 1, who, "idle_fraction", "in [0, 1]",
                       c.idle_fraction);
        require_config(c.thermal_tau_s > 0, who, "thermal_tau_s", "> 0", c.thermal_tau_s);
        require_config(c.transition_time_s >= 0, who, "transition_time_s", ">= 0", c.transition_time_s);
        const std::size_t T = c.intervals, K = c.islands;
        cycles_.resize(T * K);
        mem_s_.resize(T * K);
        rng_type rng(c.seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        // Island k has a base load (unequal islands: slack on the light ones), phases alternate compute- and
        // memory-bound parts.
        std::vector<double> base(K);
        for (auto& b : base) b = 0.3 + 0.7 * u(rng);
        for (std::size_t t = 0; t < T; ++t) {
            const double memory_phase = u(rng);
            for (std::size_t k = 0; k < K; ++k) {
                cycles_[t * K + k] = c.cycles_mean * base[k] * (0.5 + u(rng)) * (1.2 - 0.8 * memory_phase);
                mem_s_[t * K + k] = c.mem_time_mean_s * (0.5 + u(rng)) * (0.2 + 1.6 * memory_phase);
            }
        }
        temp_.assign((T + 1) * K, c.ambient_c);
        prefix_.assign(T + 1, {});
        interval_time_s_.assign(T, 0.0);
    }

    [[nodiscard]] const vf_toy_config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_intervals() const noexcept { return cfg_.intervals; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return cfg_.islands; }
    [[nodiscard]] std::size_t num_levels(std::size_t /*k*/) const noexcept { return cfg_.levels; }
    /// Intervals simulated so far (a full evaluation adds T, reevaluate(y, t0) adds T − t0).
    [[nodiscard]] std::size_t simulated_intervals() const noexcept { return simulated_; }
    /// Wall time of each interval of the last evaluation.
    [[nodiscard]] const std::vector<double>& interval_times_s() const noexcept { return interval_time_s_; }

    /// Scores the whole sequence y (T × K levels).
    dvfs::sequence_score evaluate(const vf_sequence& y) {
        check(y, "evaluate");
        return run(y, 0);
    }

    /// Scores y assuming it equals the previously evaluated sequence before interval t0 (t0 ≤ T).
    /// Without a previous evaluation it evaluates from the start.
    dvfs::sequence_score reevaluate(const vf_sequence& y, std::size_t t0) {
        check(y, "reevaluate");
        if (t0 > cfg_.intervals)
            throw invalid_argument("l2s::problems::vf_toy::reevaluate: t0 = " + std::to_string(t0) + " > T = " +
                                   std::to_string(cfg_.intervals));
        return run(y, have_state_ ? t0 : 0);
    }

private:
    struct prefix_state {
        double energy_j = 0.0, time_s = 0.0, peak_temp_c = 0.0, over_s = 0.0;
        std::size_t transitions = 0;
    };

    void check(const vf_sequence& y, const char* fn) const {
        const std::string who = std::string("l2s::problems::vf_toy::") + fn;
        if (y.dimension() != 2 || y.shape()[0] != cfg_.intervals || y.shape()[1] != cfg_.islands)
            throw dimension_mismatch(who + ": sequence shape must be " + std::to_string(cfg_.intervals) + " x " +
                                     std::to_string(cfg_.islands));
        for (auto l : y)
            if (l >= cfg_.levels)
                throw invalid_argument(who + ": level " + std::to_string(l) + " >= L = " + std::to_string(cfg_.levels));
    }

    [[nodiscard]] double freq(level_t l) const noexcept {
        return cfg_.freq_min_hz + (cfg_.freq_max_hz - cfg_.freq_min_hz) * l / static_cast<double>(cfg_.levels - 1);
    }
    [[nodiscard]] double volt(level_t l) const noexcept {
        return cfg_.volt_min + (cfg_.volt_max - cfg_.volt_min) * l / static_cast<double>(cfg_.levels - 1);
    }

    dvfs::sequence_score run(const vf_sequence& y, std::size_t t0) {
        const std::size_t T = cfg_.intervals, K = cfg_.islands;
        prefix_state s = prefix_[t0];
        for (std::size_t t = t0; t < T; ++t) {
            double interval_s = 0.0;
            std::size_t changes = 0;
            for (std::size_t k = 0; k < K; ++k) {
                const level_t l = y(t, k);
                interval_s = std::max(interval_s, cycles_[t * K + k] / freq(l) + mem_s_[t * K + k]);
                const level_t prev = t == 0 ? static_cast<level_t>(cfg_.levels - 1) : y(t - 1, k);
                changes += (l != prev) ? 1u : 0u;
            }
            interval_s += cfg_.transition_time_s * static_cast<double>(changes);
            const double decay = 1.0 - std::exp(-interval_s / cfg_.thermal_tau_s);
            for (std::size_t k = 0; k < K; ++k) {
                const level_t l = y(t, k);
                const double f = freq(l), v = volt(l), temp = temp_[t * K + k];
                const double busy_s = cycles_[t * K + k] / f + mem_s_[t * K + k];
                const double dyn_w = cfg_.dyn_coeff_w * v * v * f;
                const double leak_w = cfg_.leak_coeff_w * v * std::exp(cfg_.leak_temp_coeff * (temp - 45.0));
                const double energy_j =
                    dyn_w * (busy_s + cfg_.idle_fraction * (interval_s - busy_s)) + leak_w * interval_s;
                const double mean_power_w = energy_j / interval_s;
                const double steady_c = cfg_.ambient_c + cfg_.thermal_resistance_c_per_w * mean_power_w;
                const double next = temp + (steady_c - temp) * decay;
                temp_[(t + 1) * K + k] = next;
                s.energy_j += energy_j;
                const double hot = std::max(temp, next);
                s.peak_temp_c = std::max(s.peak_temp_c, hot);
                if (hot > cfg_.t_max_c) {
                    // Fraction of the interval above the limit on a linear temperature path.
                    const double lo = std::min(temp, next);
                    const double frac = hot == lo ? 1.0 : (hot - cfg_.t_max_c) / (hot - lo);
                    s.over_s += std::min(1.0, frac) * interval_s / static_cast<double>(K);
                }
            }
            s.time_s += interval_s;
            s.transitions += changes;
            interval_time_s_[t] = interval_s;
            prefix_[t + 1] = s;
        }
        simulated_ += T - t0;
        have_state_ = true;
        const prefix_state& e = prefix_[T];
        return {e.energy_j, e.time_s, e.peak_temp_c, e.over_s, e.transitions};
    }

    vf_toy_config cfg_;
    std::vector<double> cycles_, mem_s_;
    std::vector<double> temp_;  // (T + 1) × K temperatures at interval starts
    std::vector<prefix_state> prefix_;
    std::vector<double> interval_time_s_;
    std::size_t simulated_ = 0;
    bool have_state_ = false;
};

static_assert(Evaluator<vf_toy>);

}  // namespace l2s::problems
