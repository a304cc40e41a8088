// SPDX-License-Identifier: MIT
// l2s/sim/profiler.hpp: a workload profile of an application from measured runs at two or more frequencies.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <l2s/core/error.hpp>

namespace l2s::sim {

/// One measured execution of an application at a fixed operating point.
struct measured_run {
    double freq_hz = 0.0;       ///< clock frequency of the run
    double volt_v = 0.0;        ///< mean rail voltage
    double time_s = 0.0;        ///< run time
    double power_w = 0.0;       ///< mean island power
    double active_cores = 1.0;  ///< cores the application ran on
    double instructions = std::numeric_limits<double>::quiet_NaN();  ///< retired instructions (NaN if unknown)
};

/// The profile of one application on one island (one phase covering the run):
///   time  T(f)    = cycles / f + fixed_time_s                  (interval model: a frequency-scaling part and a
///                                                               memory part that does not scale; Keramidas et al.,
///                                                               ICS 2010; Rountree et al., IGCC 2011)
///   power P(f, V) = c_eff_f · V² · f + leak_a · V              (dynamic CV²f; static power ∝ V at the run's
///                                                               temperatures; Liao, He, Lepak, IEEE TCAD 2005)
/// @see docs/sim.md#profiler
struct trace_profile {
    double cycles = 0.0;        ///< frequency-scaling work on the critical path (cycles)
    double fixed_time_s = 0.0;  ///< time that does not scale with f (memory stalls)
    double c_eff_f = 0.0;       ///< effective switched capacitance of the island while running it (F)
    double leak_a = 0.0;        ///< static current coefficient (A): P_static = leak_a·V
    double active_cores = 1.0;
    double instructions = std::numeric_limits<double>::quiet_NaN();

    [[nodiscard]] double time_s(double freq_hz) const noexcept { return cycles / freq_hz + fixed_time_s; }
    [[nodiscard]] double power_w(double freq_hz, double volt_v) const noexcept {
        return c_eff_f * volt_v * volt_v * freq_hz + leak_a * volt_v;
    }
    [[nodiscard]] double energy_j(double freq_hz, double volt_v) const noexcept { return power_w(freq_hz, volt_v) * time_s(freq_hz); }
    /// β(f): share of the run time at f that does not scale with frequency.
    [[nodiscard]] double beta(double freq_hz) const noexcept { return fixed_time_s / time_s(freq_hz); }
    /// Cycles per instruction per core in the scaling part (NaN without an instruction count).
    [[nodiscard]] double cpi() const noexcept { return cycles * active_cores / instructions; }
};

namespace detail {
/// Non-negative least squares for two regressors (exact active-set enumeration): min ‖[x1 x2]θ − y‖, θ ≥ 0.
inline Eigen::Vector2d nnls2(const Eigen::MatrixX2d& X, const Eigen::VectorXd& y) {
    const Eigen::Vector2d s = X.colwise().norm().transpose().cwiseMax(1e-300);
    const Eigen::MatrixX2d Xs = X * s.cwiseInverse().asDiagonal();
    Eigen::Vector2d best = Eigen::Vector2d::Zero();
    double best_r = y.squaredNorm();
    auto consider = [&](const Eigen::Vector2d& th) {
        if (th.minCoeff() < 0.0) return;
        const double r = (Xs * th - y).squaredNorm();
        if (r < best_r) { best_r = r; best = th; }
    };
    consider(Xs.colPivHouseholderQr().solve(y));
    for (int j = 0; j < 2; ++j) {
        const double d = Xs.col(j).squaredNorm();
        Eigen::Vector2d th = Eigen::Vector2d::Zero();
        th(j) = d > 0 ? Xs.col(j).dot(y) / d : 0.0;
        consider(th);
    }
    return (best.array() / s.array()).matrix();
}
}  // namespace detail

/// Builds a profile from runs of the same application (same work, same cores) at two or more distinct
/// frequencies: T = cycles/f + fixed_time_s and P = c_eff·V²f + leak_a·V by least squares with
/// non-negative coefficients (with two runs, the exact solution whenever it is non-negative; a slightly
/// negative memory share from measurement noise becomes 0 and the other term takes the least-squares value).
/// Throws invalid_argument for fewer than two runs, fewer than two distinct frequencies, or non-positive
/// or non-finite values.  @see docs/sim.md#profiler
[[nodiscard]] inline trace_profile profile_from_trace(std::span<const measured_run> runs) {
    const std::string who = "l2s::sim::profile_from_trace: ";
    if (runs.size() < 2) throw invalid_argument(who + "need runs at two or more frequencies");
    const auto n = static_cast<Eigen::Index>(runs.size());
    Eigen::MatrixX2d Xt(n, 2), Xp(n, 2);
    Eigen::VectorXd yt(n), yp(n);
    double fmin = std::numeric_limits<double>::infinity(), fmax = 0.0, cores = 0.0, instr = 0.0;
    std::size_t n_instr = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& r = runs[static_cast<std::size_t>(i)];
        for (double v : {r.freq_hz, r.volt_v, r.time_s, r.power_w, r.active_cores})
            if (!std::isfinite(v) || v <= 0.0)
                throw invalid_argument(who + "run " + std::to_string(i) + " has a non-positive or non-finite frequency, voltage, time, power or core count");
        Xt(i, 0) = 1.0 / r.freq_hz;
        Xt(i, 1) = 1.0;
        yt(i) = r.time_s;
        Xp(i, 0) = r.volt_v * r.volt_v * r.freq_hz;
        Xp(i, 1) = r.volt_v;
        yp(i) = r.power_w;
        fmin = std::min(fmin, r.freq_hz);
        fmax = std::max(fmax, r.freq_hz);
        cores += r.active_cores;
        if (std::isfinite(r.instructions)) { instr += r.instructions; ++n_instr; }
    }
    if (!(fmax > fmin * (1.0 + 1e-9))) throw invalid_argument(who + "runs must cover at least two distinct frequencies");
    const Eigen::Vector2d t = detail::nnls2(Xt, yt);
    const Eigen::Vector2d p = detail::nnls2(Xp, yp);
    trace_profile out;
    out.cycles = t(0);
    out.fixed_time_s = t(1);
    out.c_eff_f = p(0);
    out.leak_a = p(1);
    out.active_cores = cores / static_cast<double>(n);
    out.instructions = n_instr ? instr / static_cast<double>(n_instr) : std::numeric_limits<double>::quiet_NaN();
    return out;
}

/// Two-run form: the runs at the lowest and highest frequency, for example.
[[nodiscard]] inline trace_profile profile_from_trace(const measured_run& a, const measured_run& b) {
    const measured_run r[2] = {a, b};
    return profile_from_trace(std::span<const measured_run>(r, 2));
}

/// A phase profile: one trace_profile per phase, in program order. Time and energy add over phases.
/// @see docs/sim.md#profiler
struct phase_profile {
    std::vector<trace_profile> phases;
    [[nodiscard]] double time_s(double freq_hz) const noexcept {
        double t = 0.0;
        for (const auto& p : phases) t += p.time_s(freq_hz);
        return t;
    }
    [[nodiscard]] double energy_j(double freq_hz, double volt_v) const noexcept {
        double e = 0.0;
        for (const auto& p : phases) e += p.energy_j(freq_hz, volt_v);
        return e;
    }
    /// Mean power over the run.
    [[nodiscard]] double power_w(double freq_hz, double volt_v) const noexcept { return energy_j(freq_hz, volt_v) / time_s(freq_hz); }
};

/// Phase profile from the same program cut into the same phases (e.g. equal-instruction segments) at two
/// frequencies: phase i is profile_from_trace(lo[i], hi[i]). Throws invalid_argument if the phase counts
/// differ or are 0, or as profile_from_trace.
[[nodiscard]] inline phase_profile profile_from_trace(std::span<const measured_run> lo, std::span<const measured_run> hi) {
    if (lo.empty() || lo.size() != hi.size())
        throw invalid_argument("l2s::sim::profile_from_trace: the two traces must have the same, non-zero number of phases");
    phase_profile out;
    out.phases.reserve(lo.size());
    for (std::size_t i = 0; i < lo.size(); ++i) out.phases.push_back(profile_from_trace(lo[i], hi[i]));
    return out;
}

}  // namespace l2s::sim
