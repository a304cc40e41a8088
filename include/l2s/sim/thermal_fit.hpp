// SPDX-License-Identifier: MIT
// l2s/sim/thermal_fit.hpp: fit of a Foster thermal network (die temperature over ambient as a sum of
// first-order responses to the island's power) to measured power and temperature traces, its prediction
// of held-out traces, and its mapping onto the simulator's island/package RC parameters.
// @see docs/calibration.md#thermal
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <l2s/core/error.hpp>

namespace l2s::sim {

/// One measured trace: temperature readings of one die sensor while the island drew the measured power.
struct thermal_trace {
    std::vector<double> time_s;   ///< sample times, strictly increasing
    std::vector<double> power_w;  ///< mean island power over [time_s[i], time_s[i+1]) (last entry unused)
    std::vector<double> temp_c;   ///< sensor reading at time_s[i]
    std::size_t group = 0;        ///< traces that share one ambient temperature (one measurement session)
};

/// Tunables of fit_thermal_model.
struct thermal_fit_config {
    std::size_t terms = 2;          ///< N first-order terms (2: die and package/board)
    double min_tau_s = 0.01;        ///< search range of the time constants
    double max_tau_s = 1e4;
    std::size_t grid = 9;           ///< log-spaced starting grid per time constant
    std::size_t max_iterations = 400;  ///< Nelder–Mead iterations over log τ after the grid
};

/// Prediction errors of a model over traces (the first sample of each trace is its initial condition and
/// is not counted).
struct thermal_errors {
    double rmse_c = 0.0;
    double max_abs_err_c = 0.0;
    double bias_c = 0.0;  ///< mean of predicted − measured
    std::size_t num_samples = 0;
};

/// An island node over a package node over ambient (the simulator's thermal structure, docs/sim.md#thermal_spec).
struct thermal_ladder {
    double island_r_k_per_w = 0.0;   ///< island node to package
    double island_c_j_per_k = 0.0;   ///< island node heat capacity
    double package_r_k_per_w = 0.0;  ///< package to ambient
    double package_c_j_per_k = 0.0;  ///< package heat capacity
};

/// A fitted Foster network: T(t) = T_amb + Σ_i θ_i(t), τ_i θ_i' = R_i·P − θ_i, τ ascending. A trace starts
/// with every term but the slowest at its steady state R_i·P(0) and the slowest holding the rest of the first
/// reading (the die settles in τ_1 ≪ τ_N; the slow node carries the history the trace does not show).
struct thermal_model_fit {
    std::vector<double> r_k_per_w;  ///< R_i
    std::vector<double> tau_s;      ///< τ_i, ascending
    std::vector<double> ambient_c;  ///< per group
    thermal_errors fit;             ///< on the traces fitted

    /// The predicted readings of trace tr (same length), from its first reading, at the given ambient.
    [[nodiscard]] std::vector<double> predict(const thermal_trace& tr, double ambient) const {
        std::vector<double> out(tr.temp_c.size());
        const std::size_t N = tau_s.size();
        if (out.empty()) return out;
        std::vector<double> th(N);
        double fast = 0.0;
        for (std::size_t i = 0; i + 1 < N; ++i) fast += th[i] = r_k_per_w[i] * tr.power_w[0];
        th[N - 1] = tr.temp_c[0] - ambient - fast;
        out[0] = tr.temp_c[0];
        for (std::size_t s = 1; s < out.size(); ++s) {
            const double dt = tr.time_s[s] - tr.time_s[s - 1], p = tr.power_w[s - 1];
            double t = ambient;
            for (std::size_t i = 0; i < N; ++i) {
                const double a = std::exp(-dt / tau_s[i]);
                th[i] = a * th[i] + (1.0 - a) * r_k_per_w[i] * p;
                t += th[i];
            }
            out[s] = t;
        }
        return out;
    }

    /// Errors over traces, each at its group's ambient (or `ambient` for all when given, e.g. for a group
    /// the fit did not see). Throws invalid_argument for a group without an ambient.
    [[nodiscard]] thermal_errors errors(std::span<const thermal_trace> traces,
                                        double ambient = std::numeric_limits<double>::quiet_NaN()) const {
        thermal_errors e;
        double se = 0.0, sb = 0.0;
        for (const auto& tr : traces) {
            if (std::isnan(ambient) && tr.group >= ambient_c.size())
                throw invalid_argument("l2s::sim::thermal_model_fit::errors: group " + std::to_string(tr.group) +
                                       " has no fitted ambient; pass one");
            const auto y = predict(tr, std::isnan(ambient) ? ambient_c[tr.group] : ambient);
            for (std::size_t s = 1; s < y.size(); ++s) {
                const double d = y[s] - tr.temp_c[s];
                se += d * d;
                sb += d;
                e.max_abs_err_c = std::max(e.max_abs_err_c, std::abs(d));
                ++e.num_samples;
            }
        }
        if (e.num_samples > 0) {
            e.rmse_c = std::sqrt(se / static_cast<double>(e.num_samples));
            e.bias_c = sb / static_cast<double>(e.num_samples);
        }
        return e;
    }

    /// The island-over-package RC ladder (the simulator's island node r_th, c_th over the package node R, C,
    /// capacitances to ambient) with exactly this network's thermal impedance: for N = 2, matching
    /// Z(s) = R_1/(1 + sτ_1) + R_2/(1 + sτ_2) with 1/(s·c + 1/(r + 1/(s·C + 1/R))) gives
    /// r + R = R_1 + R_2, r·R·C = R_1τ_2 + R_2τ_1 =: a, c·(r + R) + R·C = τ_1 + τ_2, c·r·R·C = τ_1τ_2
    /// (Foster-to-Cauer conversion). Throws invalid_argument for N ≠ 2 or a degenerate network.
    [[nodiscard]] thermal_ladder ladder() const {
        const std::string who = "l2s::sim::thermal_model_fit::ladder";
        if (tau_s.size() != 2 || r_k_per_w.size() != 2) throw invalid_argument(who + ": needs a 2-term network");
        const double rt = r_k_per_w[0] + r_k_per_w[1];
        const double a = r_k_per_w[0] * tau_s[1] + r_k_per_w[1] * tau_s[0];
        if (!(rt > 0.0 && a > 0.0)) throw invalid_argument(who + ": the network has no resistance");
        thermal_ladder l;
        l.island_c_j_per_k = tau_s[0] * tau_s[1] / a;
        const double rc = tau_s[0] + tau_s[1] - l.island_c_j_per_k * rt;  // R·C
        l.island_r_k_per_w = a / rc;
        l.package_r_k_per_w = rt - l.island_r_k_per_w;
        l.package_c_j_per_k = rc / l.package_r_k_per_w;
        if (!(rc > 0.0 && l.package_r_k_per_w > 0.0 && std::isfinite(l.package_c_j_per_k)))
            throw invalid_argument(who + ": the network has no positive ladder (R_2 = 0?)");
        return l;
    }
};

/// The error a persistence forecast makes (every reading predicted as the trace's first): the reference a
/// thermal model has to beat on the same traces.
[[nodiscard]] inline thermal_errors persistence_errors(std::span<const thermal_trace> traces) {
    thermal_model_fit flat;
    flat.r_k_per_w = {0.0};
    flat.tau_s = {std::numeric_limits<double>::infinity()};  // the initial value never decays
    return flat.errors(traces, 0.0);
}

namespace detail {

inline void check_traces(std::span<const thermal_trace> traces, const std::string& who) {
    if (traces.empty()) throw invalid_argument(who + ": no traces");
    for (std::size_t j = 0; j < traces.size(); ++j) {
        const auto& tr = traces[j];
        const std::string at = who + ": traces[" + std::to_string(j) + "]";
        if (tr.time_s.size() < 2) throw invalid_argument(at + " has fewer than 2 samples");
        if (tr.power_w.size() != tr.time_s.size() || tr.temp_c.size() != tr.time_s.size())
            throw invalid_argument(at + ": time_s, power_w and temp_c must have the same length");
        for (std::size_t s = 0; s < tr.time_s.size(); ++s) {
            if (!std::isfinite(tr.time_s[s]) || !std::isfinite(tr.power_w[s]) || !std::isfinite(tr.temp_c[s]))
                throw invalid_argument(at + ": sample " + std::to_string(s) + " is not finite");
            if (s > 0 && !(tr.time_s[s] > tr.time_s[s - 1]))
                throw invalid_argument(at + ": time_s must be strictly increasing (sample " + std::to_string(s) + ")");
            if (tr.power_w[s] < 0.0) throw invalid_argument(at + ": power_w[" + std::to_string(s) + "] is negative");
        }
    }
}

/// For fixed τ (ascending), the least-squares R and ambients: the prediction is linear in them.
/// Columns: R_1..R_N, then one ambient per group. Returns the RMSE; x receives the solution.
inline double solve_given_tau(std::span<const thermal_trace> traces, const std::vector<double>& tau, std::size_t groups,
                              Eigen::VectorXd& x) {
    const std::size_t N = tau.size();
    Eigen::Index rows = 0;
    for (const auto& tr : traces) rows += static_cast<Eigen::Index>(tr.time_s.size() - 1);
    const auto cols = static_cast<Eigen::Index>(N + groups);
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(rows, cols);
    Eigen::VectorXd y(rows);
    std::vector<double> g(N);
    Eigen::Index r = 0;
    for (const auto& tr : traces) {
        // unit responses: g_i (term i per unit R_i, started at its steady state for i < N, at 0 for i = N),
        // d (decay of the slowest term's initial value)
        const double p0 = tr.power_w[0];
        for (std::size_t i = 0; i + 1 < N; ++i) g[i] = p0;
        g[N - 1] = 0.0;
        double d = 1.0;
        for (std::size_t s = 1; s < tr.time_s.size(); ++s, ++r) {
            const double dt = tr.time_s[s] - tr.time_s[s - 1], p = tr.power_w[s - 1];
            for (std::size_t i = 0; i < N; ++i) {
                const double a = std::exp(-dt / tau[i]);
                g[i] = a * g[i] + (1.0 - a) * p;
            }
            d *= std::exp(-dt / tau[N - 1]);
            // θ_N(0) = T0 − T_amb − Σ_{i<N} R_i·p0 decays by d
            for (std::size_t i = 0; i + 1 < N; ++i) A(r, static_cast<Eigen::Index>(i)) = g[i] - p0 * d;
            A(r, static_cast<Eigen::Index>(N - 1)) = g[N - 1];
            A(r, static_cast<Eigen::Index>(N + tr.group)) = 1.0 - d;
            y(r) = tr.temp_c[s] - tr.temp_c[0] * d;
        }
    }
    const Eigen::VectorXd scale = A.colwise().norm().transpose().cwiseMax(1e-300);
    const Eigen::MatrixXd As = A * scale.cwiseInverse().asDiagonal();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(As);
    x = (qr.solve(y).array() / scale.array()).matrix();
    return std::sqrt((A * x - y).squaredNorm() / static_cast<double>(rows));
}

}  // namespace detail

/// Least-squares fit of an N-term Foster network to traces, by variable projection: the prediction is linear
/// in the resistances and the per-group ambients, so they are solved exactly for each set of time constants,
/// which are searched on a log grid and refined by Nelder–Mead on log τ. The model form is the standard
/// compact thermal model of a package (a thermal impedance Z(t) = Σ R_i(1 − e^{−t/τ_i}), JEDEC JESD51-14
/// uses the same network for transient measurements); power is piecewise constant between samples (exact
/// discretisation). Throws invalid_argument on malformed traces or config, and when a group has no trace
/// or a resistance comes out negative (the traces do not identify the network: use fewer terms).
[[nodiscard]] inline thermal_model_fit fit_thermal_model(std::span<const thermal_trace> traces,
                                                         const thermal_fit_config& c = {}) {
    const std::string who = "l2s::sim::fit_thermal_model";
    if (c.terms < 1 || c.terms > 4) throw invalid_argument(who + ": terms must be in 1..4");
    if (!(c.min_tau_s > 0.0 && c.max_tau_s > c.min_tau_s && std::isfinite(c.max_tau_s)))
        throw invalid_argument(who + ": need 0 < min_tau_s < max_tau_s < inf");
    if (c.grid < 2) throw invalid_argument(who + ": grid must be at least 2");
    detail::check_traces(traces, who);
    std::size_t groups = 0;
    for (const auto& tr : traces) groups = std::max(groups, tr.group + 1);
    std::vector<std::size_t> seen(groups, 0);
    for (const auto& tr : traces) ++seen[tr.group];
    for (std::size_t g = 0; g < groups; ++g)
        if (seen[g] == 0) throw invalid_argument(who + ": group " + std::to_string(g) + " has no trace (groups are 0..G-1)");
    const std::size_t N = c.terms;
    const double lo = std::log(c.min_tau_s), hi = std::log(c.max_tau_s);
    Eigen::VectorXd x;
    // objective over log τ (any order; sorted inside), out-of-range points rejected
    auto objective = [&](const std::vector<double>& u) {
        std::vector<double> tau(N);
        for (std::size_t i = 0; i < N; ++i) {
            if (!(u[i] >= lo && u[i] <= hi)) return std::numeric_limits<double>::infinity();
            tau[i] = std::exp(u[i]);
        }
        std::sort(tau.begin(), tau.end());
        for (std::size_t i = 1; i < N; ++i)
            if (tau[i] < tau[i - 1] * 1.01) return std::numeric_limits<double>::infinity();  // distinct terms
        const double e = detail::solve_given_tau(traces, tau, groups, x);
        return std::isfinite(e) ? e : std::numeric_limits<double>::infinity();
    };
    // grid: every ascending combination of grid points
    std::vector<double> best(N), u(N);
    double fbest = std::numeric_limits<double>::infinity();
    std::vector<std::size_t> idx(N);
    std::iota(idx.begin(), idx.end(), 0);
    const double step = (hi - lo) / static_cast<double>(c.grid - 1);
    while (true) {
        if (idx.back() < c.grid) {
            for (std::size_t i = 0; i < N; ++i) u[i] = lo + step * static_cast<double>(idx[i]);
            const double f = objective(u);
            if (f < fbest) fbest = f, best = u;
        }
        // next ascending combination
        std::size_t i = N;
        while (i > 0 && idx[i - 1] == c.grid - N + i - 1) --i;
        if (i == 0) break;
        ++idx[i - 1];
        for (std::size_t j = i; j < N; ++j) idx[j] = idx[j - 1] + 1;
    }
    if (!std::isfinite(fbest)) throw invalid_argument(who + ": no time constants give a finite fit");
    // Nelder–Mead refinement (standard coefficients 1, 2, 0.5, 0.5)
    std::vector<std::vector<double>> simplex(N + 1, best);
    std::vector<double> val(N + 1, fbest);
    for (std::size_t i = 0; i < N; ++i) {
        simplex[i + 1][i] += 0.5 * step;
        val[i + 1] = objective(simplex[i + 1]);
    }
    for (std::size_t it = 0; it < c.max_iterations; ++it) {
        std::vector<std::size_t> o(N + 1);
        std::iota(o.begin(), o.end(), 0);
        std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return val[a] < val[b]; });
        std::vector<std::vector<double>> s2;
        std::vector<double> v2;
        for (auto k : o) s2.push_back(simplex[k]), v2.push_back(val[k]);
        simplex.swap(s2);
        val.swap(v2);
        if (val[N] - val[0] < 1e-10 * (1.0 + val[0])) break;
        std::vector<double> cen(N, 0.0);
        for (std::size_t k = 0; k < N; ++k)
            for (std::size_t i = 0; i < N; ++i) cen[i] += simplex[k][i] / static_cast<double>(N);
        auto along = [&](double t) {
            std::vector<double> p(N);
            for (std::size_t i = 0; i < N; ++i) p[i] = cen[i] + t * (simplex[N][i] - cen[i]);
            return p;
        };
        const auto r = along(-1.0);
        const double fr = objective(r);
        if (fr < val[0]) {
            const auto e = along(-2.0);
            const double fe = objective(e);
            if (fe < fr) simplex[N] = e, val[N] = fe;
            else simplex[N] = r, val[N] = fr;
        } else if (fr < val[N - 1]) {
            simplex[N] = r, val[N] = fr;
        } else {
            const auto k = along(0.5);
            const double fk = objective(k);
            if (fk < val[N]) {
                simplex[N] = k, val[N] = fk;
            } else {
                for (std::size_t j = 1; j <= N; ++j) {
                    for (std::size_t i = 0; i < N; ++i) simplex[j][i] = simplex[0][i] + 0.5 * (simplex[j][i] - simplex[0][i]);
                    val[j] = objective(simplex[j]);
                }
            }
        }
    }
    const auto at = std::min_element(val.begin(), val.end()) - val.begin();
    thermal_model_fit out;
    out.tau_s.resize(N);
    for (std::size_t i = 0; i < N; ++i) out.tau_s[i] = std::exp(simplex[static_cast<std::size_t>(at)][i]);
    std::sort(out.tau_s.begin(), out.tau_s.end());
    (void)detail::solve_given_tau(traces, out.tau_s, groups, x);
    out.r_k_per_w.assign(x.data(), x.data() + N);
    out.ambient_c.assign(x.data() + N, x.data() + N + static_cast<Eigen::Index>(groups));
    for (std::size_t i = 0; i < N; ++i)
        if (!(out.r_k_per_w[i] >= 0.0))
            throw invalid_argument(who + ": fitted R_" + std::to_string(i + 1) + " = " + std::to_string(out.r_k_per_w[i]) +
                                   " K/W is negative: the traces do not identify " + std::to_string(N) + " terms");
    out.fit = out.errors(traces);
    return out;
}

}  // namespace l2s::sim
