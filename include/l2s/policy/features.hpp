// SPDX-License-Identifier: MIT
// l2s/policy/features.hpp: per-island features from an observation (feature_map) and their EWMA state.
// @see docs/policy.md#feature_map
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/detail/lanes.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/policy/feature_set.hpp>

namespace l2s::policy {

/// Tunables of feature_map.  @see docs/policy.md#feature_map
struct feature_map_config {
    double ewma_alpha = 0.25;        ///< weight of the newest value in each exponentially weighted moving average, (0, 1]
    feature_set set = feature_set::standard;  ///< which features (F = 8, 32 or 128)
    double slow_ewma_alpha = 0.05;   ///< weight of the newest value in the slow EWMAs of the extended set, (0, 1]
};

/// The history a feature_map needs between decisions, per island and base signal: the previous value and
/// the EWMA (standard and extended sets), the slow EWMA and the EW variance (extended set). Signal-major
/// with the islands padded to a multiple of feature_map::block_width (entry [j·stride + k] for base signal
/// j of island k), so a block of islands reads and writes each signal contiguously. Sized once for K
/// islands; updating it never allocates.
struct feature_state {
    std::vector<double> previous;  ///< 8 × stride (empty for the compact set)
    std::vector<double> ewma;      ///< 8 × stride (empty for the compact set)
    std::vector<double> slow;      ///< 8 × stride (extended set only)
    std::vector<double> var;       ///< 8 × stride (extended set only)
    std::size_t stride = 0;        ///< K rounded up to a multiple of feature_map::block_width
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
///
/// Features are computed for blocks of block_width consecutive islands at a time, feature-major
/// (`extract_block`): every formula then runs across islands in vector registers, reading each signal
/// straight from the observation's per-island vectors. The per-island forms (`extract`, `extract_all`)
/// transpose a block, so training data and decisions share one implementation.
class feature_map {
public:
    using config = feature_map_config;
    using offsets = feature_offsets;
    static constexpr std::size_t num_base = offsets::num_base;
    static constexpr std::size_t max_features = offsets::end;  ///< F of the largest set (stack buffers use it)
    static constexpr std::size_t block_width = 8;     ///< islands per block (extract_block)
    /// Raw features of one block, feature-major: entry [f·block_width + i] is feature f of island k0 + i.
    /// Declare it `alignas(64)`; lanes past the last island hold unspecified values.
    using block = std::array<double, max_features * block_width>;

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
        level_scale_.resize(padded_islands(), 0.0);  // blocks read whole lanes
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
        static constexpr std::array<const char*, offsets::num_chip> chip{"chip_power_w", "max_temp_c", "interval_ms",
                                                         "mean_utilisation", "mean_ipc", "progress"};
        static constexpr std::array<const char*, offsets::num_chip_std> spread{"utilisation", "ipc", "power_w", "level_fraction"};
        if (i >= num_features())
            throw invalid_argument("l2s::policy::feature_map: feature index " + std::to_string(i) + " >= " +
                                   std::to_string(num_features()));
        const std::string b = base[i % num_base];
        using o = offsets;
        if (i < o::delta) return b;
        if (i < o::ewma) return "delta_" + b;
        if (i < o::level_fraction) return "ewma_" + b;
        if (i == o::level_fraction) return "level_fraction";
        if (i == o::active_cores) return "active_cores";
        if (i < o::slow_ewma) return chip[i - o::chip];
        if (i < o::ewstd) return "slow_ewma_" + b;
        if (i < o::chip_mean) return "ewstd_" + b;
        if (i < o::chip_max) return "chip_mean_" + b;
        if (i < o::chip_min) return "chip_max_" + b;
        if (i < o::level_product) return "chip_min_" + b;
        if (i < o::quadratic) return b + "*level_fraction";
        if (i < o::abs_delta) {
            const auto [a, c] = quadratic_pair(i - o::quadratic);
            return std::string(base[a]) + "*" + base[c];
        }
        if (i < o::chip_std) return "abs_delta_" + b;
        return std::string("chip_std_") + spread[i - o::chip_std];
    }

    /// A state sized for this map (allocates; call once at construction).
    [[nodiscard]] feature_state make_state() const {
        feature_state s;
        s.stride = padded_islands();
        const std::size_t n = num_base * s.stride;
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
    /// K rounded up to a multiple of block_width.
    [[nodiscard]] std::size_t padded_islands() const noexcept {
        return (num_islands() + block_width - 1) / block_width * block_width;
    }

    /// Chip-wide values shared by every island: the standard aggregates (features 26–31) and, for the
    /// extended set, the spreads over islands (features 48–71 and 124–127).
    struct chip_summary {
        std::array<double, offsets::num_chip> values{};
        std::array<double, 3 * num_base + offsets::num_chip_std> spread{};  ///< means, maxima, minima, then 4 standard deviations
        double inv_interval_s = 0.0;  ///< 1 / interval_time_s (0 when the interval time is not positive)
    };
    [[nodiscard]] chip_summary summarise(const dvfs::observation& o) const noexcept {
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

    /// Writes the raw features of islands k0, …, k0 + block_width − 1 (those below K; k0 a multiple of
    /// block_width) into f, feature-major (see block), given the state before this observation.
    void extract_block(const dvfs::observation& o, const feature_state& s, const chip_summary& chip, std::size_t k0,
                       double* f) const noexcept {
        constexpr std::size_t W = block_width;
        base_block(o, k0, chip.inv_interval_s, f);  // features 0–7 are the base signals
        if (cfg_.set == feature_set::compact) return;
        const bool fresh = !s.primed || o.interval == 0 || s.stride < padded_islands() ||
                           s.previous.size() < num_base * s.stride || s.ewma.size() < num_base * s.stride;
        // History of signal j at lane i: hist[j·hist_stride + i] (this observation's values when fresh).
        const double* prev = fresh ? f : s.previous.data() + k0;
        const double* ew = fresh ? f : s.ewma.data() + k0;
        const std::size_t hs = fresh ? W : s.stride;
        const double a = cfg_.ewma_alpha;
        for (std::size_t j = 0; j < num_base; ++j) {
            const auto b = lanes::load(f + j * W), p = lanes::load(prev + j * hs), m = lanes::load(ew + j * hs);
            select(finite(p), b - p, lanes::broadcast(0.0)).store(f + (offsets::delta + j) * W);
            select(finite(m), a * b + (1.0 - a) * m, b).store(f + (offsets::ewma + j) * W);
        }
        double* level = f + offsets::level_fraction * W;
        signal_block(o.level, k0, 1.0, level);
        (lanes::load(level) * lanes::load(level_scale_.data() + k0)).store(level);
        signal_block(o.active_cores, k0, 1.0, f + offsets::active_cores * W);
        for (std::size_t j = 0; j < chip.values.size(); ++j) lanes::broadcast(chip.values[j]).store(f + (offsets::chip + j) * W);
        if (cfg_.set == feature_set::standard) return;
        extract_extended(fresh, ew, hs, s, chip, k0, f);
    }

    /// Writes the num_features() raw features of island k into out (at least that long), given the state
    /// before this observation. Computes island k's whole block: use extract_block or extract_all for many.
    void extract(const dvfs::observation& o, const feature_state& s, const chip_summary& chip, std::size_t k,
                 std::span<double> out) const noexcept {
        alignas(64) block f;
        extract_block(o, s, chip, k - k % block_width, f.data());
        for (std::size_t j = 0; j < num_features(); ++j) out[j] = f[j * block_width + k % block_width];
    }

    /// Raw features of every island, island-major (out[k·F + f], F = num_features()), under state s.
    /// Writes only whole islands that fit in out.
    void extract_all(const dvfs::observation& o, const feature_state& s, std::span<double> out) const noexcept {
        const std::size_t F = num_features();
        const auto chip = summarise(o);
        alignas(64) block f;
        for (std::size_t k0 = 0; k0 < num_islands() && (k0 + 1) * F <= out.size(); k0 += block_width) {
            extract_block(o, s, chip, k0, f.data());
            for (std::size_t k = k0; k < std::min(k0 + block_width, num_islands()) && (k + 1) * F <= out.size(); ++k)
                for (std::size_t j = 0; j < F; ++j) out[k * F + j] = f[j * block_width + k - k0];
        }
    }

    /// Advances the state past observation o (what extract computed becomes the history).
    void commit(const dvfs::observation& o, feature_state& s) const noexcept {
        const auto chip = summarise(o);
        alignas(64) block f;
        for (std::size_t k0 = 0; k0 < num_islands(); k0 += block_width) {
            extract_block(o, s, chip, k0, f.data());
            commit_block(f.data(), k0, s);
        }
        s.primed = true;
    }
    /// Stores the block at k0's part of the history from the features extract_block wrote for it (own
    /// values, EWMAs and, for the extended set, slow EWMAs and EW variances), so a decision extracts once
    /// and commits without recomputing. Set s.primed after the last block.
    void commit_block(const double* f, std::size_t k0, feature_state& s) const noexcept {
        constexpr std::size_t W = block_width;
        const std::size_t n = num_base * s.stride;
        if (cfg_.set == feature_set::compact || k0 + W > s.stride || s.previous.size() < n || s.ewma.size() < n) return;
        for (std::size_t j = 0; j < num_base; ++j) {  // padding lanes past K are written too: never read
            lanes::load(f + (offsets::base + j) * W).store(s.previous.data() + j * s.stride + k0);
            lanes::load(f + (offsets::ewma + j) * W).store(s.ewma.data() + j * s.stride + k0);
        }
        if (cfg_.set != feature_set::extended || s.slow.size() < n || s.var.size() < n) return;
        for (std::size_t j = 0; j < num_base; ++j) {
            lanes::load(f + (offsets::slow_ewma + j) * W).store(s.slow.data() + j * s.stride + k0);
            const auto sd = lanes::load(f + (offsets::ewstd + j) * W);
            (sd * sd).store(s.var.data() + j * s.stride + k0);
        }
    }

private:
    static double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }
    using lanes = l2s::detail::lanes<double, block_width>;  ///< one feature of a block's islands
    /// out[i] = v[k0 + i] · scale for the islands v covers, NaN for the others.
    template <class T>
    void signal_block(const std::vector<T>& v, std::size_t k0, double scale, double* out) const noexcept {
        const std::size_t n = std::min(v.size(), num_islands());
        if (k0 + block_width <= n) {
            for (std::size_t i = 0; i < block_width; ++i) out[i] = static_cast<double>(v[k0 + i]) * scale;
        } else {
            for (std::size_t i = 0; i < block_width; ++i)
                out[i] = k0 + i < n ? static_cast<double>(v[k0 + i]) * scale : nan();
        }
    }
    /// The 8 base signals of the block at k0, signal-major (b[j·block_width + i]).
    void base_block(const dvfs::observation& o, std::size_t k0, double inv_interval_s, double* b) const noexcept {
        constexpr std::size_t W = block_width;
        signal_block(o.utilisation, k0, 1.0, b);
        signal_block(o.ipc, k0, 1.0, b + W);
        signal_block(o.mem_per_instr, k0, 1.0, b + 2 * W);
        signal_block(o.mem_per_s, k0, 1e-9, b + 3 * W);
        signal_block(o.power_w, k0, 1.0, b + 4 * W);
        signal_block(o.temp_c, k0, 1.0, b + 5 * W);
        signal_block(o.freq_hz, k0, 1e-9, b + 6 * W);
        signal_block(o.busy_time_s, k0, inv_interval_s, b + 7 * W);
    }
    /// (i, j), i ≤ j, of the q-th quadratic term in row order.
    static constexpr std::pair<std::size_t, std::size_t> quadratic_pair(std::size_t q) noexcept {
        std::size_t i = 0;
        while (q >= num_base - i) q -= num_base - i++;
        return {i, i + q};
    }
    /// The extended groups (from offsets::slow_ewma) of the block at k0, f already holding the standard ones;
    /// ew/hs: the EWMA history used for the EWMA group.
    void extract_extended(bool fresh, const double* ew, std::size_t hs, const feature_state& s, const chip_summary& chip,
                          std::size_t k0, double* f) const noexcept {
        constexpr std::size_t W = block_width;
        const bool has = !fresh && s.slow.size() >= num_base * s.stride && s.var.size() >= num_base * s.stride;
        const double as = cfg_.slow_ewma_alpha, a = cfg_.ewma_alpha;
        const auto zero = lanes::broadcast(0.0);
        for (std::size_t j = 0; j < num_base; ++j) {
            const auto b = lanes::load(f + j * W);
            if (!has) {  // the slow EWMA restarts at this value, the deviation at 0
                select(finite(b), as * b + (1.0 - as) * b, b).store(f + (offsets::slow_ewma + j) * W);
                zero.store(f + (offsets::ewstd + j) * W);
                continue;
            }
            const auto m = lanes::load(ew + j * hs), ms = lanes::load(s.slow.data() + j * s.stride + k0),
                       v = lanes::load(s.var.data() + j * s.stride + k0);
            select(finite(ms), as * b + (1.0 - as) * ms, b).store(f + (offsets::slow_ewma + j) * W);
            const auto e = b - m;
            select(finite(v) & finite(m), sqrt((1.0 - a) * (v + a * e * e)), zero).store(f + (offsets::ewstd + j) * W);
        }
        for (std::size_t j = 0; j < 3 * num_base; ++j) lanes::broadcast(chip.spread[j]).store(f + (offsets::chip_mean + j) * W);
        const auto level = lanes::load(f + offsets::level_fraction * W);
        for (std::size_t j = 0; j < num_base; ++j) (lanes::load(f + j * W) * level).store(f + (offsets::level_product + j) * W);
        for (std::size_t q = 0; q < offsets::num_quadratic; ++q) {
            const auto [x, y] = quadratic_pair(q);
            (lanes::load(f + x * W) * lanes::load(f + y * W)).store(f + (offsets::quadratic + q) * W);
        }
        for (std::size_t j = 0; j < num_base; ++j)
            abs(lanes::load(f + (offsets::delta + j) * W)).store(f + (offsets::abs_delta + j) * W);
        for (std::size_t j = 0; j < offsets::num_chip_std; ++j)
            lanes::broadcast(chip.spread[3 * num_base + j]).store(f + (offsets::chip_std + j) * W);
    }
    /// Means, maxima and minima of the base signals over islands, and the standard deviations of
    /// utilisation, ipc, power and level fraction (finite readings only; NaN when there are none).
    void spreads(const dvfs::observation& o, chip_summary& c) const noexcept {
        constexpr std::size_t W = block_width;
        std::array<double, num_base> sum{}, sq{}, cnt{}, mx, mn;
        mx.fill(-std::numeric_limits<double>::infinity());
        mn.fill(std::numeric_limits<double>::infinity());
        double lsum = 0.0, lsq = 0.0, lcnt = 0.0;
        alignas(64) std::array<double, num_base * W> b;
        for (std::size_t k0 = 0; k0 < num_islands(); k0 += W) {
            base_block(o, k0, c.inv_interval_s, b.data());
            for (std::size_t k = k0; k < std::min(k0 + W, num_islands()); ++k) {
                for (std::size_t j = 0; j < num_base; ++j) {
                    const double x = b[j * W + k - k0];
                    if (!std::isfinite(x)) continue;
                    sum[j] += x;
                    sq[j] += x * x;
                    cnt[j] += 1.0;
                    mx[j] = std::max(mx[j], x);
                    mn[j] = std::min(mn[j], x);
                }
                if (k < o.level.size()) {
                    const double l = double(o.level[k]) * level_scale_[k];
                    lsum += l;
                    lsq += l * l;
                    lcnt += 1.0;
                }
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
    std::vector<double> level_scale_;  ///< 1 / (L_k − 1), 0 for a single level; padded with 0 to padded_islands()
};

}  // namespace l2s::policy
