// SPDX-License-Identifier: MIT
// l2s/sim/relaxation.hpp: the best per-interval choice of V/F levels under the slowdown budget with the
// couplings between intervals relaxed (DESIGN §f): how much EDP there is to gain, computed where K is small.
// @see docs/sim.md#relaxation
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/sim/simulator.hpp>

namespace l2s::sim {

/// What relaxed_optimum returns.
struct relaxation_result {
    double edp = 0.0;           ///< lower bound of the relaxed problem's EDP under the budget
    double energy_j = 0.0;      ///< energy and time of that point of the relaxed frontier
    double time_s = 0.0;
    double all_max_edp = 0.0;   ///< EDP of all-max in the same relaxed model (Σ interval energies × Σ times)
    std::size_t combinations = 0;  ///< level vectors tried per interval (Π L_k)
};

/// The relaxed EDP optimum of a simulator's program under a slowdown budget p. Couplings relaxed: interval t is
/// evaluated from the state all-max reaches before it (temperatures, memory utilisation), with the levels already
/// applied (no transition cost), so the cost of interval t depends only on its own level vector. Every level
/// vector of every interval is tried (Π L_k must not exceed max_combinations), then the lower convex hull of
/// the (time, energy) frontier of the sum over intervals is traced by a Lagrangian sweep; the result is the
/// minimum of E·D over that hull with D ≤ (1 + p)·D(all-max). It bounds from below every per-interval choice in
/// the relaxed model; the real chip's couplings (transition costs, heat carried over, memory contention) can
/// move the true optimum either way. For independent programs (num_programs() > 1) it is not defined.
[[nodiscard]] inline relaxation_result relaxed_optimum(const simulator& sim, double max_slowdown,
                                                       std::size_t max_combinations = 1u << 16) {
    const std::string who = "l2s::sim::relaxed_optimum";
    if (!(max_slowdown >= 0.0 && std::isfinite(max_slowdown))) throw invalid_config(who + ": max_slowdown must be >= 0");
    if (sim.num_programs() != 1) throw invalid_config(who + ": one program only (the mix's time is not a sum)");
    const std::size_t K = sim.num_islands(), T = sim.num_intervals();
    std::size_t C = 1;
    for (std::size_t k = 0; k < K; ++k) {
        C *= sim.num_levels(k);
        if (C > max_combinations)
            throw invalid_config(who + ": more than " + std::to_string(max_combinations) +
                                 " level vectors per interval (K is too large for the exhaustive relaxation)");
    }
    // per interval and level vector: energy and time, from the all-max state before the interval
    std::vector<double> e(T * C), d(T * C);
    std::vector<level_t> top(K), lv(K);
    for (std::size_t k = 0; k < K; ++k) top[k] = static_cast<level_t>(sim.num_levels(k) - 1);
    sim_state s = sim.initial_state(), probe;
    relaxation_result out;
    out.combinations = C;
    double e_max = 0.0, d_max = 0.0;
    for (std::size_t t = 0; t < T; ++t) {
        for (std::size_t c = 0; c < C; ++c) {
            std::size_t rest = c;
            for (std::size_t k = 0; k < K; ++k) {
                lv[k] = static_cast<level_t>(rest % sim.num_levels(k));
                rest /= sim.num_levels(k);
            }
            probe = s;
            probe.level = lv;  // relaxed: no transition into the interval
            const auto r = sim.step(probe, lv.data());
            e[t * C + c] = r.energy_j;
            d[t * C + c] = r.time_s;
        }
        const auto r = sim.step(s, top.data());
        e_max += r.energy_j;
        d_max += r.time_s;
    }
    out.all_max_edp = e_max * d_max;
    const double budget = (1.0 + max_slowdown) * d_max;
    // Lagrangian sweep: for λ ≥ 0 each interval takes argmin E + λ·D; λ ↦ (D, E) traces the lower convex hull
    auto point = [&](double lambda, double& E, double& D) {
        E = D = 0.0;
        for (std::size_t t = 0; t < T; ++t) {
            double best = std::numeric_limits<double>::infinity(), be = 0.0, bd = 0.0;
            for (std::size_t c = 0; c < C; ++c) {
                const double v = e[t * C + c] + lambda * d[t * C + c];
                if (v < best || (v == best && d[t * C + c] < bd)) best = v, be = e[t * C + c], bd = d[t * C + c];
            }
            E += be;
            D += bd;
        }
    };
    // λ from "energy only" to "time only" (a geometric grid on the scale E/D), then the hull's vertices in order
    // of decreasing time; on each hull segment E is linear in D and E·D is minimised in closed form
    std::vector<std::pair<double, double>> hull;  // (D, E)
    const double scale = e_max / d_max;
    for (int i = -1; i <= 400; ++i) {
        const double lambda = i < 0 ? 0.0 : scale * std::pow(10.0, -4.0 + 8.0 * i / 400.0);
        double E = 0.0, D = 0.0;
        point(lambda, E, D);
        if (hull.empty() || D < hull.back().first) hull.emplace_back(D, E);
    }
    out.edp = std::numeric_limits<double>::infinity();
    auto consider = [&](double D, double E) {
        if (D <= budget * (1.0 + 1e-12) && D * E < out.edp) out.edp = D * E, out.energy_j = E, out.time_s = D;
    };
    for (std::size_t i = 0; i < hull.size(); ++i) {
        consider(hull[i].first, hull[i].second);
        if (i + 1 == hull.size()) break;
        const auto [d0, e0] = hull[i];
        const auto [d1, e1] = hull[i + 1];  // d1 < d0, e1 ≥ e0
        const double slope = (e1 - e0) / (d1 - d0), icpt = e0 - slope * d0;  // E = icpt + slope·D on the segment
        const double lo = d1, hi = std::min(d0, budget);
        if (hi < lo) continue;
        consider(hi, icpt + slope * hi);
        if (slope != 0.0) {  // stationary point of D·(icpt + slope·D)
            const double dstar = -icpt / (2.0 * slope);
            if (dstar > lo && dstar < hi) consider(dstar, icpt + slope * dstar);
        }
    }
    return out;
}

}  // namespace l2s::sim
