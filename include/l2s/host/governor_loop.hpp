// SPDX-License-Identifier: MIT
// l2s/host/governor_loop.hpp: the governor daemon's loop: every interval, decide (act), apply, wait for the
// deadline, sample, and let a learning policy observe; on any machine (a Linux host, or a simulator).
#pragma once
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <thread>

#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::host {

/// How often the loop runs and for how long.  @see docs/host.md#governor_loop
struct governor_loop_config {
    /// Interval between decisions; each interval's deadline is start + interval. 0: no waiting (a simulated
    /// machine, whose sample() advances its own time).
    std::chrono::nanoseconds interval = std::chrono::milliseconds(10);
    std::size_t max_intervals = 0;  ///< stop after this many intervals (0: until the machine is done or stopped)
};

/// Timing of one interval, handed to observers with on_interval(after, action, outcome, record).
struct interval_record {
    std::size_t index = 0;  ///< 0-based interval number
    double decide_s = 0.0;  ///< time spent in act()
    double apply_s = 0.0;   ///< time spent in apply()
    double late_s = 0.0;    ///< how far past the deadline decide + apply finished (0 when on time)
    bool overrun = false;   ///< decide + apply missed the deadline
};

/// What a run did.
struct governor_loop_result {
    std::size_t intervals = 0;
    std::size_t overruns = 0;
    double max_decide_s = 0.0;
    double mean_decide_s = 0.0;
    bool stopped = false;  ///< an observer returned control::stop
};

/// Runs policy p on machine m. The machine has start() → const dvfs::observation& (a new episode, interval 0),
/// apply(const dvfs::action&), sample() → dvfs::step_outcome (the interval since the last start or sample,
/// its observation then in observe()) and num_islands(). Every interval: p.act(obs, a); m.apply(a); wait
/// for the deadline (when cfg.interval > 0; an overrun re-anchors the deadlines at the late time, so the loop
/// never runs intervals back to back to catch up); r = m.sample(); p.observe(m.observe(), a, r) when p has
/// observe; observers' on_interval(after, a, r, record) or on_interval(after, a, r) (control::stop ends the
/// run), and on_act_begin(obs)/on_act_end(a) around act. Ends after cfg.max_intervals, when r.done, or on stop.
/// With a machine over sim::dvfs_env, the decisions are those of sim::rollout with the same policy and seed.
template <class M, class P, class... Obs>
    requires requires(M& m, P& p, const dvfs::observation& o, dvfs::action& a) {
        { m.start() } -> std::convertible_to<const dvfs::observation&>;
        m.apply(a);
        { m.sample() } -> std::convertible_to<dvfs::step_outcome>;
        { m.observe() } -> std::convertible_to<const dvfs::observation&>;
        { m.num_islands() } -> std::convertible_to<std::size_t>;
        p.act(o, a);
    }
governor_loop_result run_governor(M& m, P& p, const governor_loop_config& cfg, Obs&... obs) {
    using clock = std::chrono::steady_clock;
    auto seconds = [](clock::duration d) { return std::chrono::duration<double>(d).count(); };
    governor_loop_result res;
    dvfs::action a(m.num_islands(), 0);
    const dvfs::observation* o = &m.start();
    auto deadline = clock::now() + cfg.interval;
    double total_decide = 0.0;
    for (std::size_t i = 0; cfg.max_intervals == 0 || i < cfg.max_intervals; ++i) {
        if constexpr (sizeof...(Obs) > 0)
            (void)notify_each([&](auto& x) { if constexpr (requires { x.on_act_begin(*o); }) x.on_act_begin(*o); }, obs...);
        const auto t0 = clock::now();
        p.act(*o, a);
        const auto t1 = clock::now();
        if constexpr (sizeof...(Obs) > 0)
            (void)notify_each([&](auto& x) { if constexpr (requires { x.on_act_end(a); }) x.on_act_end(a); }, obs...);
        const auto t2 = clock::now();
        m.apply(a);
        const auto t3 = clock::now();
        interval_record rec{i, seconds(t1 - t0), seconds(t3 - t2), 0.0, false};
        if (cfg.interval.count() > 0) {
            if (t3 > deadline) {
                rec.overrun = true;
                rec.late_s = seconds(t3 - deadline);
                deadline = t3;
            } else {
                std::this_thread::sleep_until(deadline);
            }
            deadline += cfg.interval;
        }
        const dvfs::step_outcome r = m.sample();
        if constexpr (requires { p.observe(m.observe(), a, r); }) p.observe(m.observe(), a, r);
        ++res.intervals;
        res.overruns += rec.overrun ? 1 : 0;
        res.max_decide_s = std::max(res.max_decide_s, rec.decide_s);
        total_decide += rec.decide_s;
        control c = control::proceed;
        if constexpr (sizeof...(Obs) > 0)
            c = notify_each(
                [&](auto& x) {
                    if constexpr (requires { x.on_interval(m.observe(), a, r, rec); }) return x.on_interval(m.observe(), a, r, rec);
                    else if constexpr (requires { x.on_interval(m.observe(), a, r); }) return x.on_interval(m.observe(), a, r);
                },
                obs...);
        if (c == control::stop) {
            res.stopped = true;
            break;
        }
        if (r.done) break;
        o = &m.observe();
    }
    res.mean_decide_s = res.intervals ? total_decide / static_cast<double>(res.intervals) : 0.0;
    return res;
}

}  // namespace l2s::host
