// SPDX-License-Identifier: MIT
// l2s/problems/vf_edp.hpp: an analytic energy-delay problem over the V/F levels of K islands (a static DVFS choice).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/space/vf_space.hpp>

namespace l2s::problems {

/// Configuration of vf_edp.  @see docs/problems.md#vf_edp
struct vf_edp_config {
    std::size_t islands = 4;          ///< K ≥ 1
    std::size_t levels = 8;           ///< L ≥ 2 levels per island
    double freq_min_hz = 0.6e9;       ///< lowest frequency
    double freq_max_hz = 2.0e9;       ///< highest frequency
    double volt_min_v = 0.65;         ///< voltage at the lowest level
    double volt_max_v = 1.10;         ///< voltage at the highest level
    double c_eff_f = 1.0e-9;          ///< effective switched capacitance per island
    double leakage_a = 0.15;          ///< static current per island at 1 V (P_static = I·V·(V/1 V))
    double max_slowdown = 1.25;       ///< constraint: time / time at all-max ≤ this
    std::uint64_t workload_seed = 7;  ///< seeds each island's work and compute-boundedness

    void validate() const {
        constexpr const char* who = "l2s::problems::vf_edp";
        require_config(islands >= 1, who, "islands", ">= 1", static_cast<double>(islands));
        require_config(levels >= 2 && levels <= 256, who, "levels", "in [2, 256]", static_cast<double>(levels));
        require_config(freq_min_hz > 0.0 && freq_max_hz > freq_min_hz, who, "freq_max_hz", "> freq_min_hz > 0", freq_max_hz);
        require_config(volt_min_v > 0.0 && volt_max_v >= volt_min_v, who, "volt_max_v", ">= volt_min_v > 0", volt_max_v);
        require_config(c_eff_f > 0.0, who, "c_eff_f", "> 0", c_eff_f);
        require_config(leakage_a >= 0.0, who, "leakage_a", ">= 0", leakage_a);
        require_config(max_slowdown >= 1.0, who, "max_slowdown", ">= 1", max_slowdown);
    }
};

/// Outcome of one V/F configuration.
struct vf_edp_outcome {
    double energy_j = 0.0;
    double time_s = 0.0;
    double value = 0.0;     ///< EDP = energy × delay, J·s (the value to minimise)
    double slowdown = 1.0;  ///< time_s / time at every island's highest level
    /// The constraint value g = slowdown − max_slowdown (feasible when ≤ 0), as a 1-vector.
    vec constraints;
};

/// K islands run a parallel phase; island k has work w_k cycles of which a fraction β_k scales with frequency
/// (the rest is memory-bound time at the highest frequency's speed). At level l island k runs at f_l (equally
/// spaced from freq_min_hz to freq_max_hz) and V_l (linear in l). Island time t_k = w_k (β_k/f_l + (1 − β_k)/f_max);
/// the phase ends with the slowest island, T = max_k t_k; each island draws dynamic power C_eff V² f while busy
/// and static power I_leak V² for the whole phase, so E = Σ_k (C_eff V_k² f_k t_k + I_leak V_k² T).
/// The objective is EDP = E·T under the slowdown constraint T/T_max ≤ max_slowdown. Points of vf_space(K, L)
/// encode level l as l/(L − 1). The optimum is found by enumeration (L^K points).  @see docs/problems.md#vf_edp
class vf_edp {
public:
    using config = vf_edp_config;

    explicit vf_edp(config c = {}) : cfg_(c) {
        cfg_.validate();
        std::uint64_t state = cfg_.workload_seed * 0x9E3779B97F4A7C15ull + 1;
        auto uniform = [&state] {  // splitmix64: a fixed, platform-independent workload
            state += 0x9E3779B97F4A7C15ull;
            std::uint64_t z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1p-53;
        };
        for (std::size_t k = 0; k < cfg_.islands; ++k) {
            work_.push_back(1.0e9 * (0.5 + uniform()));
            compute_bound_.push_back(0.2 + 0.75 * uniform());
        }
        time_max_s_ = evaluate_levels(std::vector<std::size_t>(cfg_.islands, cfg_.levels - 1)).time_s;
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] space::vf_space domain() const { return space::vf_space(cfg_.islands, cfg_.levels); }
    [[nodiscard]] std::size_t dim() const noexcept { return cfg_.islands; }

    /// The outcome of the configuration x (a point of domain(); projected to the nearest levels).
    [[nodiscard]] vf_edp_outcome evaluate(const vec& x) const {
        require_size("l2s::problems::vf_edp::evaluate", "x", x.size(), static_cast<Eigen::Index>(cfg_.islands));
        std::vector<std::size_t> l(cfg_.islands);
        const double top = static_cast<double>(cfg_.levels - 1);
        for (std::size_t k = 0; k < l.size(); ++k)
            l[k] = static_cast<std::size_t>(std::clamp(std::lround(x(static_cast<Eigen::Index>(k)) * top), 0L, static_cast<long>(top)));
        return evaluate_levels(l);
    }
    /// EDP of x (J·s); the objective of an unconstrained run.
    [[nodiscard]] double operator()(const vec& x) const { return evaluate(x).value; }

    /// The best feasible configuration by enumeration: {x, edp}.
    [[nodiscard]] std::pair<vec, double> brute_force_optimum() const {
        const auto s = domain();
        std::pair<vec, double> best{vec(), std::numeric_limits<double>::infinity()};
        for (std::uint64_t i = 0; i < s.size(); ++i) {
            const vec x = s.at(i);
            const auto o = evaluate(x);
            if (o.constraints(0) <= 0.0 && o.value < best.second) best = {x, o.value};
        }
        return best;
    }

private:
    [[nodiscard]] vf_edp_outcome evaluate_levels(const std::vector<std::size_t>& l) const {
        const double top = static_cast<double>(cfg_.levels - 1);
        std::vector<double> f(l.size()), v(l.size()), t(l.size());
        double T = 0.0;
        for (std::size_t k = 0; k < l.size(); ++k) {
            const double a = static_cast<double>(l[k]) / top;
            f[k] = cfg_.freq_min_hz + a * (cfg_.freq_max_hz - cfg_.freq_min_hz);
            v[k] = cfg_.volt_min_v + a * (cfg_.volt_max_v - cfg_.volt_min_v);
            t[k] = work_[k] * (compute_bound_[k] / f[k] + (1.0 - compute_bound_[k]) / cfg_.freq_max_hz);
            T = std::max(T, t[k]);
        }
        double E = 0.0;
        for (std::size_t k = 0; k < l.size(); ++k)
            E += cfg_.c_eff_f * v[k] * v[k] * f[k] * t[k] + cfg_.leakage_a * v[k] * v[k] * T;
        vf_edp_outcome o;
        o.energy_j = E;
        o.time_s = T;
        o.value = E * T;
        o.slowdown = time_max_s_ > 0.0 ? T / time_max_s_ : 1.0;
        o.constraints = vec::Constant(1, o.slowdown - cfg_.max_slowdown);
        return o;
    }

    config cfg_;
    std::vector<double> work_, compute_bound_;
    double time_max_s_ = 0.0;
};

}  // namespace l2s::problems
