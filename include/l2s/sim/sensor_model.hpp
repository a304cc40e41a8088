// SPDX-License-Identifier: MIT
// l2s/sim/sensor_model.hpp: what a chip's sensors report from the true values: the rail sensors' averaging
// windows, reading resolutions and observation noise (platform::sensors, sim_config's noise).
// @see docs/sim.md#sensor_spec
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>

#include <l2s/core/types.hpp>
#include <l2s/sim/platform.hpp>

namespace l2s::sim {

/// Advances rail sensors that average over windows of window_s through an interval of length span at the island
/// powers power_w. elapsed_s is the time into the open window and energy_j its energy so far per island; when
/// windows complete inside the interval, reading_w becomes the last completed window's mean power (the
/// interval's own power when that window lies inside it). O(1) whatever the ratio of span to the window.
inline void advance_rail_windows(double window_s, double span, std::span<const double> power_w, double& elapsed_s,
                                 std::span<double> energy_j, std::span<double> reading_w) noexcept {
    const double W = window_s, total = elapsed_s + span;  // time since the open window began
    const std::size_t K = power_w.size();
    if (total < W) {
        for (std::size_t k = 0; k < K; ++k) energy_j[k] += power_w[k] * span;
        elapsed_s = total;
        return;
    }
    const double windows = std::floor(total / W);         // windows completed, counted from the open one
    const double rest = std::max(0.0, total - windows * W);  // into the window that is still open
    const bool first_spans = windows < 2.0;                 // the last completed window began before this interval
    for (std::size_t k = 0; k < K; ++k) {
        reading_w[k] = first_spans ? (energy_j[k] + power_w[k] * (W - elapsed_s)) / W : power_w[k];
        energy_j[k] = power_w[k] * rest;
    }
    elapsed_s = rest;
}

/// Readings from true values: the resolutions and counter noise of a sensor_spec, and the observation noise a
/// configuration adds (multiplicative noise_sd on every reading but temperature, additive temp_noise_sd_c on
/// temperature). Ideal: exact values, no resolution and no counter noise (the configured noise still applies).
/// Noise is drawn from rng, in the order of the calls, only when rng is given.
class sensor_reader {
public:
    sensor_reader(const sensor_spec& spec, bool ideal, double noise_sd, double temp_noise_sd_c, rng_type* rng) noexcept
        : spec_(spec), ideal_(ideal), noise_sd_(noise_sd), temp_sd_(temp_noise_sd_c),
          counter_sd_(ideal ? 0.0 : spec.counter_noise), rng_(rng),
          noisy_(rng != nullptr && (noise_sd > 0.0 || temp_noise_sd_c > 0.0 || counter_sd_ > 0.0)) {}

    /// The configured multiplicative noise (every reading but temperature).
    [[nodiscard]] double noise(double v) { return noisy_ && noise_sd_ > 0.0 ? v * factor(noise_sd_) : v; }
    /// The counter noise of a rate counted over a window (utilisation, accesses per second).
    [[nodiscard]] double counter(double v) { return noisy_ && counter_sd_ > 0.0 ? v * factor(counter_sd_) : v; }
    /// A power reading: truncated to the resolution (the XU3 driver and logger truncate), then the configured noise.
    [[nodiscard]] double power(double p) {
        const double q = spec_.power_resolution_w;
        return noise(ideal_ || q <= 0.0 ? p : std::floor(p / q) * q);
    }
    /// A temperature reading: rounded to the resolution, then the configured additive noise.
    [[nodiscard]] double temperature(double t) {
        const double q = spec_.temp_resolution_c;
        const double r = ideal_ || q <= 0.0 ? t : std::round(t / q) * q;
        return r + (noisy_ && temp_sd_ > 0.0 ? temp_sd_ * z_(*rng_) : 0.0);
    }

private:
    [[nodiscard]] double factor(double sd) { return std::max(0.0, 1.0 + sd * z_(*rng_)); }

    const sensor_spec& spec_;
    bool ideal_;
    double noise_sd_, temp_sd_, counter_sd_;
    rng_type* rng_;
    bool noisy_;
    std::normal_distribution<double> z_{0.0, 1.0};
};

}  // namespace l2s::sim
