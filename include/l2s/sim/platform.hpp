// SPDX-License-Identifier: MIT
// l2s/sim/platform.hpp: a chip as the simulator sees it: V/F islands, operating points, power, thermal and
// sensor coefficients in SI units, and their validation. The built-in chips are in
// l2s/sim/builtin_platforms.hpp. Attribute tables: docs/sim.md#platforms.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>

namespace l2s::sim {

/// One operating point.
struct opp {
    double freq_hz = 0.0;
    double volt_v = 0.0;
};

/// Leakage of one island, P = s·V·(c₁T²e^{c₂/T} + I_gate), T in kelvin (Liao, He, Lepak, IEEE TCAD 2005;
/// constants of the Odroid-XU3 A15 fit in MaiaBlanco/RL-DVFS `xu4_src/power_model.py`).
struct leakage_model {
    double c1_a_per_k2 = 2.488e-3;
    double c2_k = -2660.0;
    double i_gate_a = 1e-6;
    double scale = 1.0;  ///< s: 1 for the measured board, or set so leakage meets a share of power

    [[nodiscard]] double current_a(double temp_c) const noexcept {
        const double t = temp_c + 273.15;
        return scale * (c1_a_per_k2 * t * t * std::exp(c2_k / t) + i_gate_a);
    }
    [[nodiscard]] double power_w(double volt_v, double temp_c) const noexcept { return volt_v * current_a(temp_c); }
};

/// One V/F island. Attribute table: docs/sim.md#island_spec.
struct island_spec {
    std::string name;
    std::string core_type;
    std::size_t cores = 1;
    std::vector<opp> opps;                 ///< ascending frequency
    double c_core_f = 0.0;                 ///< effective switched capacitance of one busy core (F)
    double c_cluster_f = 0.0;              ///< uncore/L2/clock tree, switched whenever the island is on (F)
    leakage_model leakage{};
    double transition_latency_s = 0.0;    ///< stall of one OPP switch
    double volt_slew_v_per_s = 1e4;        ///< regulator slew (10 mV/µs)
    double r_th_k_per_w = 0.4;             ///< island node to package
    double c_th_j_per_k = 4e-3;            ///< island node heat capacity
    double capacity = 1.0;                 ///< relative work per cycle (1 = the reference core)

    [[nodiscard]] std::size_t num_levels() const noexcept { return opps.size(); }
    [[nodiscard]] double f_max() const noexcept { return opps.back().freq_hz; }
};

/// Chip-level thermal and memory parameters. Attribute table: docs/sim.md#thermal_spec.
struct thermal_spec {
    double ambient_c = 45.0;                ///< HotSpot 6.0 ambient
    double t_max_c = 80.0;                  ///< HotSniper limit
    double package_r_k_per_w = 0.1;         ///< HotSpot convection resistance
    double package_c_j_per_k = 140.4;       ///< HotSpot convection capacitance
    double lateral_r_k_per_w = 4.0;         ///< between neighbouring islands (0 or inf: no coupling)
    std::size_t grid_columns = 0;           ///< islands on a grid of this many columns (0: a line)
};

/// What the chip's sensors report: the observation model between the chip and every policy (the simulator
/// applies it to every observation unless sim_config::ideal_sensors). The default is exact readings every
/// interval, which is what a simulator host reads (HotSniper's McPAT power and HotSpot temperatures per
/// epoch); a board's rail sensors and thermal sensors are coarser. Attribute table: docs/sim.md#sensor_spec.
struct sensor_spec {
    double power_window_s = 0.0;      ///< rail sensors average power over windows of this length, and a reading
                                      ///< is the last completed window's mean (0: the interval's own power)
    double power_resolution_w = 0.0;  ///< readings are multiples of this (0: exact)
    double temp_resolution_c = 0.0;   ///< temperature readings are multiples of this, rounded (0: exact)
    /// Relative standard deviation of counter rates read over a window (utilisation, memory accesses per
    /// second): each reading is multiplied by max(0, 1 + counter_noise·z), z standard normal, drawn from the
    /// environment's noise stream (0: exact). Ratios of counts over the same window (IPC) are not affected.
    double counter_noise = 0.0;

    [[nodiscard]] bool ideal() const noexcept {
        return power_window_s == 0.0 && power_resolution_w == 0.0 && temp_resolution_c == 0.0 && counter_noise == 0.0;
    }
};

/// A chip: islands, thermal package, sensors, memory bandwidth.
struct platform {
    std::string name;
    std::vector<island_spec> islands;
    thermal_spec thermal{};
    sensor_spec sensors{};
    double mem_bandwidth_accesses_per_s = 1.6e9;  ///< shared memory bandwidth (64-byte accesses per second)

    [[nodiscard]] std::size_t num_islands() const noexcept { return islands.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return islands[k].opps.size(); }
    [[nodiscard]] std::size_t num_cores() const noexcept {
        std::size_t n = 0;
        for (const auto& i : islands) n += i.cores;
        return n;
    }
    /// L_k of every island (the shape policies, gates and searches for this chip are built with).
    [[nodiscard]] std::vector<std::size_t> levels_per_island() const {
        std::vector<std::size_t> l;
        l.reserve(islands.size());
        for (const auto& i : islands) l.push_back(i.opps.size());
        return l;
    }

    /// Throws invalid_config naming the field when the platform is unusable.
    void validate() const {
        const std::string who = "l2s::sim::platform(" + name + ")";
        if (islands.empty()) throw invalid_config(who + ": islands is empty");
        if (islands.size() > 4096) throw invalid_config(who + ": more than 4096 islands");
        auto bad = [&](std::size_t k, const std::string& field, const std::string& rule) {
            return invalid_config(who + ": islands[" + std::to_string(k) + "]." + field + " " + rule);
        };
        for (std::size_t k = 0; k < islands.size(); ++k) {
            const auto& is = islands[k];
            if (is.cores == 0) throw bad(k, "cores", "must be at least 1");
            if (is.opps.empty() || is.opps.size() > 255) throw bad(k, "opps", "must hold 1 to 255 operating points");
            for (std::size_t l = 0; l < is.opps.size(); ++l) {
                const auto& o = is.opps[l];
                if (!(o.freq_hz > 0.0 && std::isfinite(o.freq_hz)))
                    throw bad(k, "opps[" + std::to_string(l) + "].freq_hz", "must be finite and > 0");
                if (!(o.volt_v > 0.0 && o.volt_v < 5.0))
                    throw bad(k, "opps[" + std::to_string(l) + "].volt_v", "must be in (0, 5) V");
                if (l > 0 && !(o.freq_hz > is.opps[l - 1].freq_hz))
                    throw bad(k, "opps[" + std::to_string(l) + "].freq_hz", "must be strictly ascending");
            }
            auto positive = [&](double v, const char* field) {
                if (!(v > 0.0 && std::isfinite(v))) throw bad(k, field, "must be finite and > 0");
            };
            auto non_negative = [&](double v, const char* field) {
                if (!(v >= 0.0 && std::isfinite(v))) throw bad(k, field, "must be finite and >= 0");
            };
            positive(is.c_core_f, "c_core_f");
            non_negative(is.c_cluster_f, "c_cluster_f");
            non_negative(is.leakage.scale, "leakage.scale");
            non_negative(is.leakage.c1_a_per_k2, "leakage.c1_a_per_k2");
            non_negative(is.leakage.i_gate_a, "leakage.i_gate_a");
            if (!(is.leakage.c2_k < 0.0)) throw bad(k, "leakage.c2_k", "must be < 0");
            non_negative(is.transition_latency_s, "transition_latency_s");
            positive(is.volt_slew_v_per_s, "volt_slew_v_per_s");
            positive(is.r_th_k_per_w, "r_th_k_per_w");
            positive(is.c_th_j_per_k, "c_th_j_per_k");
            positive(is.capacity, "capacity");
        }
        const auto& t = thermal;
        if (!(std::isfinite(t.ambient_c) && t.ambient_c > -100.0 && t.ambient_c < 200.0))
            throw invalid_config(who + ": thermal.ambient_c must be in (-100, 200)");
        if (!(t.t_max_c > t.ambient_c && std::isfinite(t.t_max_c)))
            throw invalid_config(who + ": thermal.t_max_c must be finite and above ambient_c");
        if (!(t.package_r_k_per_w > 0.0 && std::isfinite(t.package_r_k_per_w)))
            throw invalid_config(who + ": thermal.package_r_k_per_w must be finite and > 0");
        if (!(t.package_c_j_per_k > 0.0 && std::isfinite(t.package_c_j_per_k)))
            throw invalid_config(who + ": thermal.package_c_j_per_k must be finite and > 0");
        if (!(t.lateral_r_k_per_w >= 0.0)) throw invalid_config(who + ": thermal.lateral_r_k_per_w must be >= 0");
        const auto& se = sensors;
        if (!(se.power_window_s >= 0.0 && se.power_window_s <= 3600.0))
            throw invalid_config(who + ": sensors.power_window_s must be in [0, 3600] s");
        if (!(se.power_resolution_w >= 0.0 && se.power_resolution_w <= 1.0))
            throw invalid_config(who + ": sensors.power_resolution_w must be in [0, 1] W");
        if (!(se.temp_resolution_c >= 0.0 && se.temp_resolution_c <= 10.0))
            throw invalid_config(who + ": sensors.temp_resolution_c must be in [0, 10] °C");
        if (!(se.counter_noise >= 0.0 && se.counter_noise < 0.5))
            throw invalid_config(who + ": sensors.counter_noise must be in [0, 0.5)");
        if (!(mem_bandwidth_accesses_per_s > 0.0 && std::isfinite(mem_bandwidth_accesses_per_s)))
            throw invalid_config(who + ": mem_bandwidth_accesses_per_s must be finite and > 0");
    }
};

}  // namespace l2s::sim
