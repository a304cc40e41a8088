// SPDX-License-Identifier: MIT
// l2s/online/time_pooling.hpp: how island_models predicts time per instruction across levels: a fit pooled
// over the islands that share a V/F table (default), or each island's own RLS weights.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/online/concepts.hpp>

namespace l2s::online {

/// Tunables of pooled_time.
struct pooled_time_config {
    double tolerance = 0.02;  ///< relative RMS residual (and drift) a pooled fit may show, > 0
};

/// Pooled time per instruction (docs/uaol.md#pooled-time), island_models' default. After each interval it
/// fits tpi = c/f + m across the islands with the same V/F table, from their measured tpi at the levels they
/// ran, and predicts every level from that fit while it explains the measurements within `tolerance`.
/// Islands running one program's threads share c and m, so islands at two or more frequencies identify the
/// compute/memory split of the current phase, which one island at one level cannot. Otherwise (one frequency
/// and the last fit no longer explains it, c ≤ 0, a poor fit) island_models uses its learned RLS weights.
class pooled_time {
public:
    using config = pooled_time_config;
    /// The fit of one group of islands: tpi = c/f + m in ns (f in GHz); valid only while it explains the
    /// measurements.
    struct fit {
        double c_ns_ghz = 0.0, m_ns = 0.0;
        bool valid = false;
    };

    pooled_time() = default;
    /// Throws invalid_config when tolerance ≤ 0.
    explicit pooled_time(config cfg) : cfg_(cfg) {
        require_config(cfg_.tolerance > 0.0, "l2s::online::pooled_time", "tolerance", "> 0", cfg_.tolerance);
    }
    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }

    /// Groups the islands by V/F table (freq_hz[k][l]); islands with equal tables share a fit.
    void resize(const std::vector<std::vector<double>>& freq_hz) {
        const std::size_t K = freq_hz.size();
        group_.resize(K);
        for (std::size_t k = 0; k < K; ++k) {
            group_[k] = k;
            for (std::size_t j = 0; j < k; ++j)
                if (freq_hz[j] == freq_hz[k]) {
                    group_[k] = group_[j];
                    break;
                }
        }
        fit_.assign(K, fit{});
    }
    /// The fit of island k's group.
    [[nodiscard]] const fit& of(std::size_t k) const noexcept { return fit_[group_[k]]; }
    /// Time per instruction of island k at frequency freq_hz in ns, when its group's fit is valid.
    [[nodiscard]] bool tpi_ns(std::size_t k, double freq_hz, double& out) const noexcept {
        const fit& p = fit_[group_[k]];
        if (p.valid) out = p.c_ns_ghz / (freq_hz * 1e-9) + p.m_ns;
        return p.valid;
    }
    /// Per group: least squares of the measured tpi (s; 0 where nothing retired) on 1/f (1/GHz) over the
    /// islands that retired instructions at freq_hz[k]. Two or more frequencies: a new fit, valid when c > 0,
    /// m ≥ 0 (clamped from slightly negative) and the RMS residual ≤ tolerance × mean tpi. One frequency: the
    /// previous fit stays valid while it predicts the measured mean within the tolerance.
    void update(std::span<const double> freq_hz, std::span<const double> tpi_s) noexcept {
        const std::size_t K = group_.size();
        for (std::size_t g = 0; g < K; ++g) {
            if (group_[g] != g) continue;
            double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0, xmin = 1e300, xmax = 0.0;
            for (std::size_t k = 0; k < K; ++k) {
                if (group_[k] != g) continue;
                const double tpi = tpi_s[k];
                if (!(tpi > 0.0) || !std::isfinite(tpi)) continue;
                const double x = 1.0 / (freq_hz[k] * 1e-9), y = tpi * 1e9;
                n += 1.0;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                syy += y * y;
                xmin = std::min(xmin, x);
                xmax = std::max(xmax, x);
            }
            fit& p = fit_[g];
            if (n == 0.0) {
                p.valid = false;
                continue;
            }
            const double ybar = sy / n, xbar = sx / n, tol = cfg_.tolerance * ybar;
            if (xmax - xmin <= 1e-9 * xmax) {  // one frequency: keep the fit while it still explains the phase
                p.valid = p.valid && std::abs(p.c_ns_ghz * xbar + p.m_ns - ybar) <= tol;
                continue;
            }
            const double vxx = sxx / n - xbar * xbar, vxy = sxy / n - xbar * sy / n;
            double c = vxy / vxx, m = ybar - c * xbar;
            if (m < 0.0) {  // through the origin: all compute
                m = 0.0;
                c = sxy / sxx;
            }
            const double sse = syy - 2.0 * c * sxy - 2.0 * m * sy + c * c * sxx + 2.0 * c * m * sx + n * m * m;
            p = {c, m, c > 0.0 && std::sqrt(std::max(0.0, sse) / n) <= tol};
        }
    }
    /// Forgets every fit.
    void reset() { fit_.assign(fit_.size(), fit{}); }

private:
    config cfg_;
    std::vector<std::size_t> group_;  // first island with the same V/F table
    std::vector<fit> fit_;            // by group
};
static_assert(TimePooling<pooled_time>);

/// No pooling: each island's time per instruction comes from its own RLS weights only. Right when islands
/// run unrelated programs (they share no c and m); on one program's threads it identifies the compute/memory
/// split more slowly (docs/uaol.md#pooled-time).
struct per_island_time {
    void resize(const std::vector<std::vector<double>>&) noexcept {}
    [[nodiscard]] bool tpi_ns(std::size_t, double, double&) const noexcept { return false; }
    void update(std::span<const double>, std::span<const double>) noexcept {}
    void reset() noexcept {}
};
static_assert(TimePooling<per_island_time>);

}  // namespace l2s::online
