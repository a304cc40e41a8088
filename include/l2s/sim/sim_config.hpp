// SPDX-License-Identifier: MIT
// l2s/sim/sim_config.hpp: the simulator's tunables (interval length, contention, waiting power, start
// temperature, observation noise, ideal sensors) and their validation.  @see docs/sim.md#sim_config
#pragma once
#include <cmath>
#include <limits>
#include <string>

#include <l2s/core/error.hpp>

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

}  // namespace l2s::sim
