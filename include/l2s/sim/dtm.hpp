// SPDX-License-Identifier: MIT
// l2s/sim/dtm.hpp: dynamic thermal management: throttle an island to its lowest level above a critical
// temperature, with hysteresis, on top of any policy.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/sim/observation.hpp>

namespace l2s::sim {

/// Configuration of dtm.
struct dtm_config {
    double critical_temp_c = 80.0;  ///< an island at or above this temperature is throttled (T_max, HotSniper)
    double hysteresis_k = 5.0;      ///< it is released once below critical_temp_c − hysteresis_k (≥ 0)
    level_t throttle_level = 0;     ///< level while throttled (0 = lowest); a lower inner choice is kept
};

/// Wraps policy P: each interval P decides, then every island whose temperature reached the critical
/// temperature is capped at throttle_level until it cools below critical − hysteresis (a two-threshold
/// trip point, as the Linux thermal "step_wise" governor with a hysteresis trip; Brooks & Martonosi,
/// HPCA 2001, for DTM by DVFS). observe() and reset() are forwarded when P has them, so a learning
/// policy stays a learning policy.  @see docs/governors.md#dtm
template <class P>
class dtm {
public:
    using config = dtm_config;
    explicit dtm(P inner, config c = {}) : inner_(std::move(inner)), c_(c) {
        const std::string who = "l2s::sim::dtm";
        if (!std::isfinite(c_.critical_temp_c)) throw invalid_config(who + ": critical_temp_c must be finite");
        if (!std::isfinite(c_.hysteresis_k) || c_.hysteresis_k < 0.0) throw invalid_config(who + ": hysteresis_k must be finite and >= 0");
    }
    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] const P& inner() const noexcept { return inner_; }
    [[nodiscard]] P& inner() noexcept { return inner_; }
    /// Whether island k is currently throttled.
    [[nodiscard]] bool throttled(std::size_t k) const noexcept { return k < throttled_.size() && throttled_[k] != 0; }
    /// Intervals × islands spent throttled since construction or reset.
    [[nodiscard]] std::size_t throttled_intervals() const noexcept { return count_; }

    void reset() {
        if constexpr (requires(P& p) { p.reset(); }) inner_.reset();
        throttled_.clear();
        count_ = 0;
    }
    template <class Obs, class Action>
    void act(const Obs& o, Action& a) {
        inner_.act(o, a);
        if (throttled_.size() != o.temp_c.size()) throttled_.assign(o.temp_c.size(), 0);
        for (std::size_t k = 0; k < throttled_.size() && k < a.size(); ++k) {
            const double t = o.temp_c[k];
            if (t >= c_.critical_temp_c) throttled_[k] = 1;
            else if (t < c_.critical_temp_c - c_.hysteresis_k) throttled_[k] = 0;
            if (throttled_[k]) {
                a[k] = std::min(a[k], c_.throttle_level);
                ++count_;
            }
        }
    }
    template <class Obs, class Action, class Outcome>
        requires requires(P& p, const Obs& o, const Action& a, const Outcome& r) { p.observe(o, a, r); }
    void observe(const Obs& o, const Action& a, const Outcome& r) {
        inner_.observe(o, a, r);
    }

private:
    P inner_;
    config c_;
    std::vector<std::uint8_t> throttled_;
    std::size_t count_ = 0;
};

}  // namespace l2s::sim
