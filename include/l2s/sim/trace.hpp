// SPDX-License-Identifier: MIT
// l2s/sim/trace.hpp: per-interval record of a run (level, frequency, power, temperature per island).
// Writers (CSV, JSON, SVG plots) are in l2s/io/trace.hpp.  @see docs/sim.md#traces
#pragma once
#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include <l2s/sim/simulator.hpp>

namespace l2s::sim {

/// A run, interval by interval. Per-island arrays are T × K (row t = interval t); per-interval ones have T.
struct trace {
    std::string label;                 ///< e.g. the policy's name
    xt::xtensor<double, 2> level;      ///< level index (as double, for plotting)
    xt::xtensor<double, 2> freq_hz;
    xt::xtensor<double, 2> power_w;    ///< mean island power over the interval
    xt::xtensor<double, 2> temp_c;     ///< island temperature at the end of the interval
    xt::xtensor<double, 1> time_s;     ///< interval wall time
    xt::xtensor<double, 1> energy_j;   ///< interval energy, all islands

    [[nodiscard]] std::size_t num_intervals() const noexcept { return time_s.size(); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return level.shape()[1]; }

    void resize(std::size_t T, std::size_t K) {
        for (auto* a : {&level, &freq_hz, &power_w, &temp_c}) *a = xt::zeros<double>({T, K});
        time_s = xt::zeros<double>({T});
        energy_j = xt::zeros<double>({T});
    }
    /// Records interval t from the state after it (s.level still holds the levels of interval t only when
    /// called before the next step; the simulator stores the applied levels in s.level after step()).
    void record(std::size_t t, const sim_state& s, const interval_result& r, const simulator& sim) {
        for (std::size_t k = 0; k < s.level.size(); ++k) {
            level(t, k) = s.level[k];
            freq_hz(t, k) = sim.frequency(k, s.level[k]);
            power_w(t, k) = s.power_w[k];
            temp_c(t, k) = s.temp_c[k];
        }
        time_s(t) = r.time_s;
        energy_j(t) = r.energy_j;
    }
};

}  // namespace l2s::sim
