// SPDX-License-Identifier: MIT
// l2s/policy/feature_map.hpp: per-island features from an observation, their EWMA state, a standard scaler.
#pragma once
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/sim/observation.hpp>

namespace l2s::policy {

/// Largest width (features, hidden units, levels) a decision may use: decisions keep their working
/// vectors on the stack in arrays of this size, so they neither allocate nor share scratch memory.
inline constexpr std::size_t max_width = 256;

/// Tunables of feature_map.  @see docs/policy.md#feature_map
struct feature_map_config {
    double ewma_alpha = 0.25;  ///< weight of the newest value in each exponentially weighted moving average, (0, 1]
};

/// The history a feature_map needs between decisions: the previous value and the EWMA of each of the
/// 8 base signals of every island. Sized once for K islands; updating it never allocates.
struct feature_state {
    std::vector<double> previous;  ///< K × 8, island-major
    std::vector<double> ewma;      ///< K × 8, island-major
    bool primed = false;           ///< false until the first observation of an episode was committed
};

/// Maps an observation to F = 32 features per island (DESIGN §f):
///
/// | index | feature |
/// |---|---|
/// | 0–7 | own base signals s: utilisation, ipc, mem_per_instr, mem_per_s / 1e9, power_w, temp_c, freq_hz / 1e9, busy fraction (busy_time_s / interval_time_s) |
/// | 8–15 | deltas s_t − s_{t−1} (0 on the first interval of an episode) |
/// | 16–23 | EWMAs m_t = α s_t + (1 − α) m_{t−1} (m_0 = s_0) |
/// | 24 | current level / (L_k − 1) |
/// | 25 | active cores |
/// | 26–31 | chip aggregates: chip_power_w, max_temp_c, interval_time_s · 1e3, mean utilisation, mean ipc over islands, progress interval / num_intervals |
///
/// The map itself is stateless: `extract` reads a feature_state and `commit` advances it, so a const
/// policy can compute the features of an observation without consuming it. A missing or non-finite
/// reading becomes NaN in the raw features; the scaler maps NaN to 0 (the training mean) and counts it.
/// An observation with interval == 0 starts a new episode (deltas 0, EWMAs restart).
class feature_map {
public:
    using config = feature_map_config;
    static constexpr std::size_t num_base = 8;
    static constexpr std::size_t num_features = 32;

    feature_map() : feature_map(1, {}) {}
    explicit feature_map(std::size_t islands, std::vector<std::size_t> levels_per_island = {}, feature_map_config cfg = {})
        : cfg_(cfg), levels_(std::move(levels_per_island)) {
        require_config(islands >= 1, "l2s::policy::feature_map", "islands", ">= 1", static_cast<double>(islands));
        require_config(cfg.ewma_alpha > 0.0 && cfg.ewma_alpha <= 1.0, "l2s::policy::feature_map", "ewma_alpha",
                       "in (0, 1]", cfg.ewma_alpha);
        if (levels_.empty()) levels_.assign(islands, 8);
        require_size("l2s::policy::feature_map", "levels_per_island", static_cast<Eigen::Index>(levels_.size()),
                     static_cast<Eigen::Index>(islands));
        for (auto l : levels_)
            require_config(l >= 1 && l <= max_width, "l2s::policy::feature_map", "levels_per_island", "in [1, 256]",
                           static_cast<double>(l));
        for (auto l : levels_) level_scale_.push_back(l > 1 ? 1.0 / double(l - 1) : 0.0);
    }

    [[nodiscard]] const feature_map_config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] const std::vector<std::size_t>& levels_per_island() const noexcept { return levels_; }

    /// A state sized for this map (allocates; call once at construction).
    [[nodiscard]] feature_state make_state() const {
        feature_state s;
        s.previous.assign(num_islands() * num_base, 0.0);
        s.ewma.assign(num_islands() * num_base, 0.0);
        return s;
    }

    /// Chip-wide aggregates shared by every island (features 26–31).
    struct chip_summary {
        std::array<double, 6> values{};
        double inv_interval_s = 0.0;  ///< 1 / interval_time_s (0 when the interval time is not positive)
    };
    [[nodiscard]] chip_summary summarise(const sim::observation& o) const noexcept {
        chip_summary c;
        c.inv_interval_s = o.interval_time_s > 0.0 ? 1.0 / o.interval_time_s : 0.0;
        const std::size_t k_obs = std::min(o.utilisation.size(), o.ipc.size());
        double u = 0.0, ipc = 0.0;
        for (std::size_t k = 0; k < k_obs; ++k) {
            u += o.utilisation[k];
            ipc += o.ipc[k];
        }
        const double nan = std::numeric_limits<double>::quiet_NaN();
        c.values = {o.chip_power_w, o.max_temp_c, o.interval_time_s * 1e3, k_obs ? u / double(k_obs) : nan,
                    k_obs ? ipc / double(k_obs) : nan,
                    o.num_intervals ? double(o.interval) / double(o.num_intervals) : 0.0};
        return c;
    }

    /// Writes the 32 raw features of island k into out[0..32), given the state before this observation.
    void extract(const sim::observation& o, const feature_state& s, const chip_summary& chip, std::size_t k,
                 std::span<double> out) const noexcept {
        std::array<double, num_base> b{};
        base_signals(o, k, chip.inv_interval_s, b);
        const bool fresh = !s.primed || o.interval == 0 || s.previous.size() < (k + 1) * num_base;
        for (std::size_t j = 0; j < num_base; ++j) {
            out[j] = b[j];
            const double prev = fresh ? b[j] : s.previous[k * num_base + j];
            const double m = fresh ? b[j] : s.ewma[k * num_base + j];
            out[num_base + j] = std::isfinite(prev) ? b[j] - prev : 0.0;
            out[2 * num_base + j] = std::isfinite(m) ? cfg_.ewma_alpha * b[j] + (1.0 - cfg_.ewma_alpha) * m : b[j];
        }
        out[24] = k < o.level.size() && k < level_scale_.size() ? double(o.level[k]) * level_scale_[k] : nan();
        out[25] = k < o.active_cores.size() ? double(o.active_cores[k]) : nan();
        for (std::size_t j = 0; j < chip.values.size(); ++j) out[26 + j] = chip.values[j];
    }

    /// Advances the state past observation o (what extract computed becomes the history).
    void commit(const sim::observation& o, feature_state& s) const noexcept {
        const std::size_t K = std::min(num_islands(), s.previous.size() / num_base);
        const auto chip = summarise(o);
        std::array<double, num_features> f;
        for (std::size_t k = 0; k < K; ++k) {
            extract(o, s, chip, k, f);
            commit_island(f, k, s);
        }
        s.primed = true;
    }
    /// Stores island k's part of the history from the features extract wrote for it (own values and
    /// EWMAs), so a decision extracts once and commits without recomputing. Set s.primed afterwards.
    static void commit_island(std::span<const double> f, std::size_t k, feature_state& s) noexcept {
        if (s.previous.size() < (k + 1) * num_base) return;
        for (std::size_t j = 0; j < num_base; ++j) {
            s.previous[k * num_base + j] = f[j];
            s.ewma[k * num_base + j] = f[2 * num_base + j];
        }
    }

private:
    static double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }
    template <class T>
    static double at(const std::vector<T>& v, std::size_t k) noexcept {
        return k < v.size() ? static_cast<double>(v[k]) : nan();
    }
    static void base_signals(const sim::observation& o, std::size_t k, double inv_interval_s,
                             std::array<double, num_base>& b) noexcept {
        b[0] = at(o.utilisation, k);
        b[1] = at(o.ipc, k);
        b[2] = at(o.mem_per_instr, k);
        b[3] = at(o.mem_per_s, k) * 1e-9;
        b[4] = at(o.power_w, k);
        b[5] = at(o.temp_c, k);
        b[6] = at(o.freq_hz, k) * 1e-9;
        b[7] = at(o.busy_time_s, k) * inv_interval_s;
    }

    feature_map_config cfg_;
    std::vector<std::size_t> levels_;
    std::vector<double> level_scale_;  ///< 1 / (L_k − 1), 0 for a single level
};

/// Standard scaler z = clamp((x − mean) / scale, ±clip); NaN → 0. Fitted on training features and stored
/// in every learned policy.  @see docs/policy.md#island_layout
struct standard_scaler {
    std::vector<double> mean;   ///< F training means
    std::vector<double> scale;  ///< F training standard deviations (1 where a feature is constant)
    double clip = 10.0;         ///< |z| bound applied at decision time

    [[nodiscard]] std::size_t size() const noexcept { return mean.size(); }

    /// Identity scaler for F features.
    [[nodiscard]] static standard_scaler identity(std::size_t features) {
        return {std::vector<double>(features, 0.0), std::vector<double>(features, 1.0), 10.0};
    }
    /// Checks sizes and values; throws typed errors naming `who`.
    void validate(std::string_view who) const {
        require_size(who, "scaler.scale", static_cast<Eigen::Index>(scale.size()), static_cast<Eigen::Index>(mean.size()));
        for (std::size_t j = 0; j < mean.size(); ++j) {
            require_finite(who, "scaler.mean", mean[j]);
            if (!(std::isfinite(scale[j]) && scale[j] > 0.0))
                throw invalid_argument(std::string(who) + ": scaler.scale must be finite and > 0");
        }
        if (!(clip > 0.0)) throw invalid_argument(std::string(who) + ": scaler.clip must be > 0");
    }
    /// Scales raw features x into z; returns how many entries were NaN/Inf or clamped.
    template <class Scalar>
    std::size_t transform(std::span<const double> x, std::span<Scalar> z) const noexcept {
        std::size_t bad = 0;
        for (std::size_t j = 0; j < mean.size(); ++j) bad += scale_one(x[j], mean[j], 1.0 / scale[j], clip, z[j]);
        return bad;
    }
    /// z = clamp((x − mean)·inv_scale, ±clip), NaN → 0; returns 1 when x was NaN/Inf or clamped. The one
    /// place scaling is computed (training and decisions agree bit for bit).
    template <class Scalar>
    static std::size_t scale_one(double x, double mean, double inv_scale, double clip, Scalar& z) noexcept {
        const double v = (x - mean) * inv_scale;
        double c = v < -clip ? -clip : v;  // comparisons with NaN are false: c stays NaN
        c = c > clip ? clip : c;
        const bool is_nan = v != v;
        z = static_cast<Scalar>(is_nan ? 0.0 : c);
        return static_cast<std::size_t>((c != v) | is_nan);  // branch-free so the loop vectorises
    }
};

}  // namespace l2s::policy

namespace l2s::policy::detail {

/// A relaxed atomic counter that copies by value (policies stay copyable and const decisions stay
/// thread-safe while counting clamped inputs).
class counter {
public:
    counter() = default;
    counter(const counter& o) noexcept : v_(o.get()) {}
    counter& operator=(const counter& o) noexcept {
        v_.store(o.get(), std::memory_order_relaxed);
        return *this;
    }
    void add(std::uint64_t n) const noexcept {
        if (n) v_.fetch_add(n, std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }
    void clear() noexcept { v_.store(0, std::memory_order_relaxed); }

private:
    mutable std::atomic<std::uint64_t> v_{0};
};

}  // namespace l2s::policy::detail
