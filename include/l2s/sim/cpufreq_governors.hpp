// SPDX-License-Identifier: MIT
// l2s/sim/cpufreq_governors.hpp: Linux cpufreq governors (performance, powersave, userspace, ondemand,
// conservative, schedutil) as exact discrete-time step machines over a cpufreq policy.
//
// The step semantics are the discrete-time reading of mainline Linux (2025) specified in
// ../shared/fixtures/governors/README.md: integer kHz frequencies, integer percent loads, integer
// capacity-scaled utilisation, floor divisions. Sources: drivers/cpufreq/cpufreq_{governor,ondemand,
// conservative,performance,powersave}.c, drivers/cpufreq/cpufreq.c, include/linux/cpufreq.h,
// kernel/sched/cpufreq_schedutil.c.  @see docs/governors.md
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/sim/cpufreq_policy.hpp>

namespace l2s::sim {

// ---------------------------------------------------------------------------------------------------
// performance, powersave, userspace

/// A governor held at one end of the policy limits from the first sample on: the policy maximum
/// (performance, cpufreq_performance.c) or minimum (powersave, cpufreq_powersave.c).
template <bool AtMaximum>
class limit_governor {
public:
    explicit limit_governor(cpufreq_policy p) : p_(std::move(p)) {
        p_.validate(AtMaximum ? "l2s::sim::performance_governor" : "l2s::sim::powersave_governor");
        freq_ = AtMaximum ? p_.max_khz() : p_.min_khz();
    }
    /// One sample (loads ignored). Returns true (evaluated).
    bool step(std::span<const int> /*load_pct*/, bool /*deferred*/ = false) noexcept { return true; }
    [[nodiscard]] khz_t freq_khz() const noexcept { return freq_; }
    [[nodiscard]] const cpufreq_policy& policy() const noexcept { return p_; }
private:
    cpufreq_policy p_;
    khz_t freq_ = 0;
};
/// performance: the policy maximum.
using performance_governor = limit_governor<true>;
/// powersave: the policy minimum.
using powersave_governor = limit_governor<false>;

/// userspace: a fixed frequency set by the user, resolved with relation L within the policy limits.
class userspace_governor {
public:
    userspace_governor(cpufreq_policy p, khz_t setspeed_khz) : p_(std::move(p)) {
        p_.validate("l2s::sim::userspace_governor");
        if (setspeed_khz <= 0) throw invalid_config("l2s::sim::userspace_governor: setspeed_khz must be positive");
        freq_ = p_.resolve(setspeed_khz, relation::lowest_at_or_above);
    }
    bool step(std::span<const int> /*load_pct*/, bool /*deferred*/ = false) noexcept { return true; }
    [[nodiscard]] khz_t freq_khz() const noexcept { return freq_; }
    [[nodiscard]] const cpufreq_policy& policy() const noexcept { return p_; }
private:
    cpufreq_policy p_;
    khz_t freq_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// load windows shared by ondemand and conservative (dbs_update)

/// The load window of the dbs governors.
struct dbs_window {
    int window_samples = 0;           ///< samples accumulated since the last evaluation
    std::vector<int> window_busy_pct; ///< per CPU: sum of load_pct over those samples
    std::vector<int> prev_load_pct;   ///< per CPU: load at its last evaluation (0 after a reuse)
};

namespace detail {
/// Result of closing a window: policy load L and idle periods P (nullopt if no CPU qualifies).
struct dbs_load {
    int load_pct = 0;
    std::optional<int> idle_periods;
};
/// Adds one sample; returns true if the window is due (not deferred and window_samples ≥ rate_mult).
inline bool dbs_accumulate(dbs_window& w, std::span<const int> load_pct, bool deferred, int rate_mult) noexcept {
    w.window_samples += 1;
    for (std::size_t j = 0; j < w.window_busy_pct.size() && j < load_pct.size(); ++j)
        w.window_busy_pct[j] += std::clamp(load_pct[j], 0, 100);
    return !deferred && w.window_samples >= rate_mult;
}
/// Evaluates and empties the window (step 3 of the load-window rules).
inline dbs_load dbs_close(dbs_window& w, int rate_mult) noexcept {
    dbs_load out;
    const int k = w.window_samples, r = rate_mult;
    for (std::size_t j = 0; j < w.window_busy_pct.size(); ++j) {
        const int idle = 100 * k - w.window_busy_pct[j];
        int load = 0;
        if (idle > 200 * r && w.prev_load_pct[j] != 0) {
            load = w.prev_load_pct[j];
            w.prev_load_pct[j] = 0;
        } else {
            load = w.window_busy_pct[j] / k;
            w.prev_load_pct[j] = load;
        }
        out.load_pct = std::max(out.load_pct, load);
        if (idle > 200 * r) {
            const int periods = idle / (100 * r);
            out.idle_periods = out.idle_periods ? std::min(*out.idle_periods, periods) : periods;
        }
        w.window_busy_pct[j] = 0;
    }
    w.window_samples = 0;
    return out;
}
inline void check_window(const dbs_window& w, std::size_t n, const std::string& who) {
    check_per_cpu(w.window_busy_pct.size(), n, who, "window_busy_pct");
    check_per_cpu(w.prev_load_pct.size(), n, who, "prev_load_pct");
    if (w.window_samples < 0) throw invalid_config(who + ": window_samples must be non-negative");
}
inline dbs_window fresh_window(std::size_t n) { return {0, std::vector<int>(n, 0), std::vector<int>(n, 0)}; }
}  // namespace detail

// ---------------------------------------------------------------------------------------------------
// ondemand

/// ondemand tunables (defaults of mainline with micro-accounted idle time).
struct ondemand_config {
    int up_threshold = 95;          ///< percent, 1..100
    int sampling_down_factor = 1;   ///< 1..100000
};
/// ondemand state.
struct ondemand_state {
    khz_t freq_khz = 0;
    int rate_mult = 1;
    dbs_window window;
};

/// ondemand (od_update, od_dbs_update): load > up_threshold → policy max and rate_mult =
/// sampling_down_factor; else f = cpuinfo_min + L·(cpuinfo_max − cpuinfo_min)/100 resolved to the closest OPP.
class ondemand_governor {
public:
    using config = ondemand_config;
    using state_type = ondemand_state;
    /// Fresh start at freq_khz (an OPP within the limits).
    ondemand_governor(cpufreq_policy p, config c, khz_t freq_khz)
        : ondemand_governor(std::move(p), c, state_type{freq_khz, 1, {}}, true) {}
    /// Start from any valid state.
    ondemand_governor(cpufreq_policy p, config c, state_type s) : ondemand_governor(std::move(p), c, std::move(s), false) {}

    /// One sample; returns true if the governor evaluated at its end.
    bool step(std::span<const int> load_pct, bool deferred = false) noexcept {
        if (!detail::dbs_accumulate(s_.window, load_pct, deferred, s_.rate_mult)) return false;
        const auto L = detail::dbs_close(s_.window, s_.rate_mult).load_pct;
        const khz_t pmax = p_.max_khz();
        if (L > c_.up_threshold) {
            if (s_.freq_khz < pmax) s_.rate_mult = c_.sampling_down_factor;
            if (s_.freq_khz != pmax) s_.freq_khz = p_.resolve(pmax, relation::highest_at_or_below);
        } else {
            const khz_t lo = p_.cpuinfo_min_khz(), hi = p_.cpuinfo_max_khz();
            const khz_t target = lo + static_cast<khz_t>(L) * (hi - lo) / 100;
            s_.rate_mult = 1;
            s_.freq_khz = p_.resolve(target, relation::closest);
        }
        return true;
    }
    [[nodiscard]] khz_t freq_khz() const noexcept { return s_.freq_khz; }
    [[nodiscard]] const state_type& state() const noexcept { return s_; }
    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] const cpufreq_policy& policy() const noexcept { return p_; }

private:
    ondemand_governor(cpufreq_policy p, config c, state_type s, bool fresh) : p_(std::move(p)), c_(c), s_(std::move(s)) {
        constexpr const char* who = "l2s::sim::ondemand_governor";
        p_.validate(who);
        if (c_.up_threshold < 1 || c_.up_threshold > 100) throw invalid_config(std::string(who) + ": up_threshold must be in 1..100");
        if (c_.sampling_down_factor < 1 || c_.sampling_down_factor > 100000)
            throw invalid_config(std::string(who) + ": sampling_down_factor must be in 1..100000");
        if (fresh) s_.window = detail::fresh_window(p_.num_cpus);
        detail::check_initial_freq(p_, s_.freq_khz, who);
        detail::check_window(s_.window, p_.num_cpus, who);
        if (s_.rate_mult < 1) throw invalid_config(std::string(who) + ": rate_mult must be at least 1");
    }
    cpufreq_policy p_;
    config c_;
    state_type s_;
};

// ---------------------------------------------------------------------------------------------------
// conservative

/// conservative tunables.
struct conservative_config {
    int up_threshold = 80;          ///< percent, down_threshold < up_threshold ≤ 100
    int down_threshold = 20;        ///< percent, ≥ 1
    int freq_step = 5;              ///< percent of policy max per step, 0..100
    int sampling_down_factor = 1;   ///< 1..10
};
/// conservative state.
struct conservative_state {
    khz_t freq_khz = 0;
    khz_t requested_freq_khz = 0;  ///< own target; may lie outside the limits until the next evaluation
    int down_skip = 0;
    dbs_window window;
};

/// conservative (cs_dbs_update): requested frequency moves in steps of freq_step % of the policy maximum;
/// missed idle periods lower it one step each; increases resolve H, decreases resolve L.
class conservative_governor {
public:
    using config = conservative_config;
    using state_type = conservative_state;
    conservative_governor(cpufreq_policy p, config c, khz_t freq_khz)
        : conservative_governor(std::move(p), c, state_type{freq_khz, freq_khz, 0, {}}, true) {}
    conservative_governor(cpufreq_policy p, config c, state_type s)
        : conservative_governor(std::move(p), c, std::move(s), false) {}

    bool step(std::span<const int> load_pct, bool deferred = false) noexcept {
        if (!detail::dbs_accumulate(s_.window, load_pct, deferred, 1)) return false;
        const auto [L, P] = detail::dbs_close(s_.window, 1);
        if (c_.freq_step == 0) return true;
        const khz_t pmin = p_.min_khz(), pmax = p_.max_khz();
        khz_t req = s_.requested_freq_khz;
        if (req > pmax || req < pmin) req = s_.requested_freq_khz = s_.freq_khz;
        khz_t step = static_cast<khz_t>(c_.freq_step) * pmax / 100;
        if (step == 0) step = 5;
        if (P) {
            const khz_t drop = static_cast<khz_t>(*P) * step;
            req = req > pmin + drop ? req - drop : pmin;
        }
        if (L > c_.up_threshold) {
            s_.down_skip = 0;
            if (req == pmax) return true;
            req = std::min(req + step, pmax);
            s_.freq_khz = p_.resolve(req, relation::highest_at_or_below);
            s_.requested_freq_khz = req;
            return true;
        }
        if (++s_.down_skip < c_.sampling_down_factor) return true;
        s_.down_skip = 0;
        if (L < c_.down_threshold) {
            if (req == pmin) return true;
            req = req > step ? req - step : pmin;
            s_.freq_khz = p_.resolve(req, relation::lowest_at_or_above);
            s_.requested_freq_khz = req;
        }
        return true;
    }
    [[nodiscard]] khz_t freq_khz() const noexcept { return s_.freq_khz; }
    [[nodiscard]] const state_type& state() const noexcept { return s_; }
    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] const cpufreq_policy& policy() const noexcept { return p_; }

private:
    conservative_governor(cpufreq_policy p, config c, state_type s, bool fresh) : p_(std::move(p)), c_(c), s_(std::move(s)) {
        const std::string who = "l2s::sim::conservative_governor";
        p_.validate(who);
        if (c_.down_threshold < 1) throw invalid_config(who + ": down_threshold must be at least 1");
        if (c_.up_threshold <= c_.down_threshold || c_.up_threshold > 100)
            throw invalid_config(who + ": up_threshold must be in (down_threshold, 100]");
        if (c_.freq_step < 0 || c_.freq_step > 100) throw invalid_config(who + ": freq_step must be in 0..100");
        if (c_.sampling_down_factor < 1 || c_.sampling_down_factor > 10)
            throw invalid_config(who + ": sampling_down_factor must be in 1..10");
        if (fresh) s_.window = detail::fresh_window(p_.num_cpus);
        detail::check_initial_freq(p_, s_.freq_khz, who);
        detail::check_window(s_.window, p_.num_cpus, who);
        if (s_.down_skip < 0) throw invalid_config(who + ": down_skip must be non-negative");
    }
    cpufreq_policy p_;
    config c_;
    state_type s_;
};

// ---------------------------------------------------------------------------------------------------
// schedutil

/// schedutil tunables.
struct schedutil_config {
    int rate_limit_samples = 1;  ///< max(1, ceil(rate_limit_us / sample period)), ≥ 1
};
/// schedutil state.
struct schedutil_state {
    khz_t freq_khz = 0;
    khz_t next_freq_khz = 0;                      ///< last requested frequency; 0 = nothing requested yet
    std::optional<int> samples_since_change;      ///< nullopt exactly when next_freq_khz is 0
    std::vector<std::uint8_t> idle_since_eval;    ///< per CPU: entered idle since the last evaluated sample
};

/// schedutil (Linux ≥ 6.8, frequency-invariant, fast switch): U = max_j min(u_j + u_j/4, capacity),
/// f = resolve(cpuinfo_max·U/capacity, L), rate limit counted from the last change, busy hold on
/// single-CPU policies.
class schedutil_governor {
public:
    using config = schedutil_config;
    using state_type = schedutil_state;
    /// Fresh start (next_freq 0, all CPUs idle since evaluation) at freq_khz.
    schedutil_governor(cpufreq_policy p, config c, khz_t freq_khz)
        : schedutil_governor(std::move(p), c, state_type{freq_khz, 0, std::nullopt, {}}, true) {}
    schedutil_governor(cpufreq_policy p, config c, state_type s) : schedutil_governor(std::move(p), c, std::move(s), false) {}

    /// One sample: util per CPU (capacity units), idle per CPU (nonzero = entered idle during it).
    bool step(std::span<const std::int64_t> util, std::span<const std::uint8_t> idle) noexcept {
        const std::size_t n = s_.idle_since_eval.size();
        for (std::size_t j = 0; j < n && j < idle.size(); ++j) s_.idle_since_eval[j] = s_.idle_since_eval[j] || idle[j];
        const std::optional<int> e = s_.samples_since_change ? std::optional<int>(*s_.samples_since_change + 1) : std::nullopt;
        const bool forced = s_.next_freq_khz == 0;
        if (!forced && !(e && *e >= c_.rate_limit_samples)) {
            s_.samples_since_change = e;
            return false;
        }
        std::int64_t U = 0;
        for (std::size_t j = 0; j < n && j < util.size(); ++j) {
            const std::int64_t u = std::clamp<std::int64_t>(util[j], 0, p_.capacity);
            U = std::max(U, std::min(u + u / 4, p_.capacity));
        }
        const khz_t raw = p_.cpuinfo_max_khz() * U / p_.capacity;
        khz_t candidate = p_.resolve(raw, relation::lowest_at_or_above);
        if (p_.num_cpus == 1 && !s_.idle_since_eval[0] && !forced && candidate < s_.next_freq_khz)
            candidate = s_.next_freq_khz;
        std::fill(s_.idle_since_eval.begin(), s_.idle_since_eval.end(), std::uint8_t{0});
        if (candidate != s_.next_freq_khz) {
            s_.next_freq_khz = s_.freq_khz = candidate;
            s_.samples_since_change = 0;
        } else {
            s_.samples_since_change = e;
        }
        return true;
    }
    [[nodiscard]] khz_t freq_khz() const noexcept { return s_.freq_khz; }
    [[nodiscard]] const state_type& state() const noexcept { return s_; }
    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] const cpufreq_policy& policy() const noexcept { return p_; }

private:
    schedutil_governor(cpufreq_policy p, config c, state_type s, bool fresh) : p_(std::move(p)), c_(c), s_(std::move(s)) {
        const std::string who = "l2s::sim::schedutil_governor";
        p_.validate(who);
        if (c_.rate_limit_samples < 1) throw invalid_config(who + ": rate_limit_samples must be at least 1");
        if (fresh) s_.idle_since_eval.assign(p_.num_cpus, 1);
        detail::check_initial_freq(p_, s_.freq_khz, who);
        detail::check_per_cpu(s_.idle_since_eval.size(), p_.num_cpus, who, "idle_since_eval");
        if ((s_.next_freq_khz == 0) != !s_.samples_since_change.has_value())
            throw invalid_config(who + ": samples_since_change must be null exactly when next_freq_khz is 0");
        if (s_.next_freq_khz != 0 && !std::binary_search(p_.opp_khz.begin(), p_.opp_khz.end(), s_.next_freq_khz))
            throw invalid_config(who + ": next_freq_khz must be 0 or an OPP");
        if (s_.samples_since_change && *s_.samples_since_change < 0)
            throw invalid_config(who + ": samples_since_change must be non-negative");
    }
    cpufreq_policy p_;
    config c_;
    state_type s_;
};

}  // namespace l2s::sim
