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
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/sim/observation.hpp>

namespace l2s::policy {

/// Largest width (features, hidden units, levels) a decision may use: decisions keep their working
/// vectors on the stack in arrays of this size, so they neither allocate nor share scratch memory.
inline constexpr std::size_t max_width = 256;

/// Which features a feature_map computes. Each set is a prefix of the next (compact = the first 8 of
/// standard, standard = the first 32 of extended), so a model's inputs keep their meaning across sets.
/// @see docs/policy.md#feature_map
enum class feature_set : std::uint8_t {
    compact,   ///< F = 8: the island's own base signals
    standard,  ///< F = 32: + deltas, EWMAs, level, active cores, chip aggregates (DESIGN §f)
    extended,  ///< F = 128: + slow EWMAs, EW standard deviations, chip spreads, level and quadratic interactions
};

/// Number of features of a set: 8, 32 or 128.
[[nodiscard]] constexpr std::size_t feature_count(feature_set s) noexcept {
    return s == feature_set::compact ? 8 : s == feature_set::standard ? 32 : 128;
}
/// The name of every set, as configuration files spell it.
inline constexpr std::array<std::pair<const char*, feature_set>, 3> feature_set_names{
    {{"compact", feature_set::compact}, {"standard", feature_set::standard}, {"extended", feature_set::extended}}};
/// "compact", "standard" or "extended".
[[nodiscard]] constexpr const char* to_string(feature_set s) noexcept {
    for (const auto& [name, v] : feature_set_names)
        if (v == s) return name;
    return "?";
}
/// The set named name; throws invalid_config naming `who` for any other name.
[[nodiscard]] inline feature_set feature_set_from_string(std::string_view name, std::string_view who) {
    for (const auto& [n, v] : feature_set_names)
        if (name == n) return v;
    throw invalid_config(std::string(who) + ": unknown feature set '" + std::string(name) +
                         "' (compact, standard, extended)");
}

/// Tunables of feature_map.  @see docs/policy.md#feature_map
struct feature_map_config {
    double ewma_alpha = 0.25;        ///< weight of the newest value in each exponentially weighted moving average, (0, 1]
    feature_set set = feature_set::standard;  ///< which features (F = 8, 32 or 128)
    double slow_ewma_alpha = 0.05;   ///< weight of the newest value in the slow EWMAs of the extended set, (0, 1]
};

/// The history a feature_map needs between decisions, per island and base signal: the previous value and
/// the EWMA (standard and extended sets), the slow EWMA and the EW variance (extended set). Sized once for
/// K islands; updating it never allocates.
struct feature_state {
    std::vector<double> previous;  ///< K × 8, island-major (empty for the compact set)
    std::vector<double> ewma;      ///< K × 8, island-major (empty for the compact set)
    std::vector<double> slow;      ///< K × 8, island-major (extended set only)
    std::vector<double> var;       ///< K × 8, island-major (extended set only)
    bool primed = false;           ///< false until the first observation of an episode was committed
};

/// Maps an observation to F features per island: 8, 32 or 128 by feature_set, each set a prefix of the
/// next. With the 8 base signals s = (utilisation, ipc, mem_per_instr, mem_per_s / 1e9, power_w, temp_c,
/// freq_hz / 1e9, busy fraction busy_time_s / interval_time_s) of the island:
///
/// | index | feature | set |
/// |---|---|---|
/// | 0–7 | s_t | compact |
/// | 8–15 | deltas s_t − s_{t−1} (0 on the first interval of an episode) | standard |
/// | 16–23 | EWMAs m_t = α s_t + (1 − α) m_{t−1} (m_0 = s_0) | standard |
/// | 24 | current level / (L_k − 1) | standard |
/// | 25 | active cores | standard |
/// | 26–31 | chip_power_w, max_temp_c, interval_time_s · 1e3, mean utilisation, mean ipc over islands, progress interval / num_intervals | standard |
/// | 32–39 | slow EWMAs with slow_ewma_alpha | extended |
/// | 40–47 | EW standard deviations sqrt(v_t), v_t = (1 − α)(v_{t−1} + α (s_t − m_{t−1})²), v_0 = 0 | extended |
/// | 48–71 | mean, max and min of each base signal over the islands | extended |
/// | 72–79 | s_t × level fraction (feature 24) | extended |
/// | 80–115 | quadratic terms s_i s_j, i ≤ j, in row order (0,0), (0,1), …, (7,7) | extended |
/// | 116–123 | absolute deltas | extended |
/// | 124–127 | standard deviation over islands of utilisation, ipc, power_w and level fraction | extended |
///
/// The map itself is stateless: `extract` reads a feature_state and `commit` advances it, so a const
/// policy can compute the features of an observation without consuming it. A missing or non-finite
/// reading becomes NaN in the raw features; the scaler maps NaN to 0 (the training mean) and counts it.
/// Chip statistics skip non-finite readings (NaN when an island has none). An observation with
/// interval == 0 starts a new episode (deltas 0, EWMAs restart).
class feature_map {
public:
    using config = feature_map_config;
    static constexpr std::size_t num_base = 8;
    static constexpr std::size_t max_features = 128;  ///< F of the largest set (stack buffers use it)

    feature_map() : feature_map(1, {}) {}
    explicit feature_map(std::size_t islands, std::vector<std::size_t> levels_per_island = {}, feature_map_config cfg = {})
        : cfg_(cfg), levels_(std::move(levels_per_island)) {
        constexpr const char* who = "l2s::policy::feature_map";
        require_config(islands >= 1, who, "islands", ">= 1", static_cast<double>(islands));
        require_config(cfg.ewma_alpha > 0.0 && cfg.ewma_alpha <= 1.0, who, "ewma_alpha", "in (0, 1]", cfg.ewma_alpha);
        require_config(cfg.slow_ewma_alpha > 0.0 && cfg.slow_ewma_alpha <= 1.0, who, "slow_ewma_alpha", "in (0, 1]",
                       cfg.slow_ewma_alpha);
        if (cfg.set != feature_set::compact && cfg.set != feature_set::standard && cfg.set != feature_set::extended)
            throw invalid_config(std::string(who) + ": set must be compact, standard or extended");
        if (levels_.empty()) levels_.assign(islands, 8);
        require_size(who, "levels_per_island", static_cast<Eigen::Index>(levels_.size()), static_cast<Eigen::Index>(islands));
        for (auto l : levels_)
            require_config(l >= 1 && l <= max_width, who, "levels_per_island", "in [1, 256]", static_cast<double>(l));
        for (auto l : levels_) level_scale_.push_back(l > 1 ? 1.0 / double(l - 1) : 0.0);
    }

    [[nodiscard]] const feature_map_config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] feature_set set() const noexcept { return cfg_.set; }
    /// F: 8, 32 or 128.
    [[nodiscard]] std::size_t num_features() const noexcept { return feature_count(cfg_.set); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] const std::vector<std::size_t>& levels_per_island() const noexcept { return levels_; }

    /// A readable name of feature i (< num_features()), e.g. "ewma_ipc" or "utilisation*power_w".
    [[nodiscard]] std::string feature_name(std::size_t i) const {
        static constexpr std::array<const char*, num_base> base{"utilisation", "ipc",     "mem_per_instr", "mem_per_s",
                                                                 "power_w",     "temp_c", "freq_ghz",      "busy_fraction"};
        static constexpr std::array<const char*, 6> chip{"chip_power_w", "max_temp_c", "interval_ms",
                                                         "mean_utilisation", "mean_ipc", "progress"};
        static constexpr std::array<const char*, 4> spread{"utilisation", "ipc", "power_w", "level_fraction"};
        if (i >= num_features())
            throw invalid_argument("l2s::policy::feature_map: feature index " + std::to_string(i) + " >= " +
                                   std::to_string(num_features()));
        const std::string b = base[i % num_base];
        if (i < 8) return b;
        if (i < 16) return "delta_" + b;
        if (i < 24) return "ewma_" + b;
        if (i == 24) return "level_fraction";
        if (i == 25) return "active_cores";
        if (i < 32) return chip[i - 26];
        if (i < 40) return "slow_ewma_" + b;
        if (i < 48) return "ewstd_" + b;
        if (i < 56) return "chip_mean_" + b;
        if (i < 64) return "chip_max_" + b;
        if (i < 72) return "chip_min_" + b;
        if (i < 80) return b + "*level_fraction";
        if (i < 116) {
            const auto [a, c] = quadratic_pair(i - 80);
            return std::string(base[a]) + "*" + base[c];
        }
        if (i < 124) return "abs_delta_" + b;
        return std::string("chip_std_") + spread[i - 124];
    }

    /// A state sized for this map (allocates; call once at construction).
    [[nodiscard]] feature_state make_state() const {
        feature_state s;
        const std::size_t n = num_islands() * num_base;
        if (cfg_.set != feature_set::compact) {
            s.previous.assign(n, 0.0);
            s.ewma.assign(n, 0.0);
        }
        if (cfg_.set == feature_set::extended) {
            s.slow.assign(n, 0.0);
            s.var.assign(n, 0.0);
        }
        return s;
    }

    /// Chip-wide values shared by every island: the standard aggregates (features 26–31) and, for the
    /// extended set, the spreads over islands (features 48–71 and 124–127).
    struct chip_summary {
        std::array<double, 6> values{};
        std::array<double, 3 * num_base + 4> spread{};  ///< means, maxima, minima, then 4 standard deviations
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
        c.values = {o.chip_power_w, o.max_temp_c, o.interval_time_s * 1e3, k_obs ? u / double(k_obs) : nan(),
                    k_obs ? ipc / double(k_obs) : nan(),
                    o.num_intervals ? double(o.interval) / double(o.num_intervals) : 0.0};
        if (cfg_.set == feature_set::extended) spreads(o, c);
        return c;
    }

    /// Writes the num_features() raw features of island k into out (at least that long), given the state
    /// before this observation.
    void extract(const sim::observation& o, const feature_state& s, const chip_summary& chip, std::size_t k,
                 std::span<double> out) const noexcept {
        std::array<double, num_base> b;
        base_signals(o, k, chip.inv_interval_s, b);
        double* f = out.data();
        for (std::size_t j = 0; j < num_base; ++j) f[j] = b[j];
        if (cfg_.set == feature_set::compact) return;
        const bool fresh = !s.primed || o.interval == 0 || s.previous.size() < (k + 1) * num_base;
        const double* prev = fresh ? b.data() : s.previous.data() + k * num_base;
        const double* m = fresh ? b.data() : s.ewma.data() + k * num_base;
        const double a = cfg_.ewma_alpha;
        for (std::size_t j = 0; j < num_base; ++j) {
            f[num_base + j] = finite(prev[j]) ? b[j] - prev[j] : 0.0;
            f[2 * num_base + j] = finite(m[j]) ? a * b[j] + (1.0 - a) * m[j] : b[j];
        }
        f[24] = k < o.level.size() && k < level_scale_.size() ? double(o.level[k]) * level_scale_[k] : nan();
        f[25] = k < o.active_cores.size() ? double(o.active_cores[k]) : nan();
        for (std::size_t j = 0; j < chip.values.size(); ++j) f[26 + j] = chip.values[j];
        if (cfg_.set == feature_set::standard) return;
        extract_extended(b, fresh, m, s, chip, k, f);
    }

    /// Raw features of every island, island-major (out[k·F + f], F = num_features()), under state s.
    /// Writes only whole islands that fit in out.
    void extract_all(const sim::observation& o, const feature_state& s, std::span<double> out) const noexcept {
        const std::size_t F = num_features();
        const auto chip = summarise(o);
        for (std::size_t k = 0; k < num_islands() && (k + 1) * F <= out.size(); ++k)
            extract(o, s, chip, k, out.subspan(k * F, F));
    }

    /// Advances the state past observation o (what extract computed becomes the history).
    void commit(const sim::observation& o, feature_state& s) const noexcept {
        const auto chip = summarise(o);
        std::array<double, max_features> f;
        for (std::size_t k = 0; k < num_islands(); ++k) {
            extract(o, s, chip, k, f);
            commit_island(f, k, s);
        }
        s.primed = true;
    }
    /// Stores island k's part of the history from the features extract wrote for it (own values, EWMAs
    /// and, for the extended set, slow EWMAs and EW variances), so a decision extracts once and commits
    /// without recomputing. Set s.primed afterwards.
    void commit_island(std::span<const double> f, std::size_t k, feature_state& s) const noexcept {
        if (cfg_.set == feature_set::compact || s.previous.size() < (k + 1) * num_base) return;
        for (std::size_t j = 0; j < num_base; ++j) {
            s.previous[k * num_base + j] = f[j];
            s.ewma[k * num_base + j] = f[2 * num_base + j];
        }
        if (cfg_.set != feature_set::extended || s.slow.size() < (k + 1) * num_base) return;
        for (std::size_t j = 0; j < num_base; ++j) {
            s.slow[k * num_base + j] = f[32 + j];
            s.var[k * num_base + j] = f[40 + j] * f[40 + j];
        }
    }

private:
    static double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }
    /// std::isfinite in a form that vectorises (NaN compares false).
    static bool finite(double x) noexcept { return std::abs(x) <= std::numeric_limits<double>::max(); }
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
    /// (i, j), i ≤ j, of the q-th quadratic term in row order.
    static constexpr std::pair<std::size_t, std::size_t> quadratic_pair(std::size_t q) noexcept {
        std::size_t i = 0;
        while (q >= num_base - i) q -= num_base - i++;
        return {i, i + q};
    }
    /// Features 32–127 of island k (f already holds 0–31).
    void extract_extended(const std::array<double, num_base>& b, bool fresh, const double* m, const feature_state& s,
                          const chip_summary& chip, std::size_t k, double* f) const noexcept {
        const bool has = !fresh && s.slow.size() >= (k + 1) * num_base;
        const double as = cfg_.slow_ewma_alpha, a = cfg_.ewma_alpha;
        for (std::size_t j = 0; j < num_base; ++j) {
            const double ms = has ? s.slow[k * num_base + j] : b[j];
            f[32 + j] = finite(ms) ? as * b[j] + (1.0 - as) * ms : b[j];
            const double v = has ? s.var[k * num_base + j] : 0.0;
            const double e = b[j] - m[j];
            f[40 + j] = has && finite(v) && finite(m[j]) ? std::sqrt((1.0 - a) * (v + a * e * e)) : 0.0;
        }
        for (std::size_t j = 0; j < 3 * num_base; ++j) f[48 + j] = chip.spread[j];
        for (std::size_t j = 0; j < num_base; ++j) f[72 + j] = b[j] * f[24];
        std::size_t q = 80;
        for (std::size_t i = 0; i < num_base; ++i)
            for (std::size_t j = i; j < num_base; ++j) f[q++] = b[i] * b[j];
        for (std::size_t j = 0; j < num_base; ++j) f[116 + j] = std::abs(f[8 + j]);
        for (std::size_t j = 0; j < 4; ++j) f[124 + j] = chip.spread[3 * num_base + j];
    }
    /// Means, maxima and minima of the base signals over islands, and the standard deviations of
    /// utilisation, ipc, power and level fraction (finite readings only; NaN when there are none).
    void spreads(const sim::observation& o, chip_summary& c) const noexcept {
        std::array<double, num_base> sum{}, sq{}, cnt{}, mx, mn;
        mx.fill(-std::numeric_limits<double>::infinity());
        mn.fill(std::numeric_limits<double>::infinity());
        double lsum = 0.0, lsq = 0.0, lcnt = 0.0;
        std::array<double, num_base> b;
        for (std::size_t k = 0; k < num_islands(); ++k) {
            base_signals(o, k, c.inv_interval_s, b);
            for (std::size_t j = 0; j < num_base; ++j) {
                if (!finite(b[j])) continue;
                sum[j] += b[j];
                sq[j] += b[j] * b[j];
                cnt[j] += 1.0;
                mx[j] = std::max(mx[j], b[j]);
                mn[j] = std::min(mn[j], b[j]);
            }
            if (k < o.level.size()) {
                const double l = double(o.level[k]) * level_scale_[k];
                lsum += l;
                lsq += l * l;
                lcnt += 1.0;
            }
        }
        auto sd = [](double s, double s2, double n) {
            if (n == 0.0) return nan();
            const double mean = s / n;
            return std::sqrt(std::max(0.0, s2 / n - mean * mean));
        };
        for (std::size_t j = 0; j < num_base; ++j) {
            const bool any = cnt[j] > 0.0;
            c.spread[j] = any ? sum[j] / cnt[j] : nan();
            c.spread[num_base + j] = any ? mx[j] : nan();
            c.spread[2 * num_base + j] = any ? mn[j] : nan();
        }
        c.spread[3 * num_base + 0] = sd(sum[0], sq[0], cnt[0]);
        c.spread[3 * num_base + 1] = sd(sum[1], sq[1], cnt[1]);
        c.spread[3 * num_base + 2] = sd(sum[4], sq[4], cnt[4]);
        c.spread[3 * num_base + 3] = sd(lsum, lsq, lcnt);
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

/// Calls fn(std::integral_constant<std::size_t, F>{}) for the feature count F of a set (8, 32 or 128), so
/// per-feature loops run with a compile-time trip count.
template <class Fn>
decltype(auto) with_feature_count(std::size_t F, Fn&& fn) {
    if (F == feature_count(feature_set::compact)) return fn(std::integral_constant<std::size_t, 8>{});
    if (F == feature_count(feature_set::standard)) return fn(std::integral_constant<std::size_t, 32>{});
    return fn(std::integral_constant<std::size_t, 128>{});
}

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
