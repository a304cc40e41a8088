// SPDX-License-Identifier: MIT
// l2s/studies/runs.hpp: what the experiments share: a policy's run on a workload, the oracle search,
// imitation data from an oracle sequence, timed policy rollouts.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <string>
#include <vector>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/scaler.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/thread_roles.hpp>
#include <l2s/sim/trace.hpp>

namespace l2s::studies {

/// One policy's run on one workload.
struct policy_run {
    std::string name;
    dvfs::sequence_score score;
    double slowdown = 0.0;       ///< against the all-top-level run
    double edp_vs_oracle = 0.0;  ///< EDP / oracle EDP
    double decision_ns = 0.0;    ///< mean wall time of one decision (all islands)
    sim::trace trace;
};

/// Progress messages of long steps ("oracle 3/8: dedup", ...).
using progress_fn = std::function<void(const std::string&)>;

/// A PARSEC/SPLASH-2x program on chip's islands as the studies run it (T intervals, seed): with thread_roles,
/// with its measured thread roles (sim::with_thread_roles), the serial sections on the fastest island of
/// [first, last) (last = 0: every island).
[[nodiscard]] inline sim::workload study_program(const std::string& name, const sim::platform& chip, std::size_t T,
                                                 std::uint64_t seed, bool thread_roles, std::size_t first = 0,
                                                 std::size_t last = 0) {
    auto w = sim::parsec_workload(name, chip.num_islands(), {.intervals = T, .seed = seed});
    if (!thread_roles) return w;
    const std::size_t serial = sim::fastest_island(chip, first, last == 0 ? chip.num_islands() : last);
    return sim::with_thread_roles(w, {.serial_island = serial, .seed = seed});
}

namespace detail {

/// The run of sequence y replayed through the evaluator: score, slowdown and trace, labelled name.
inline policy_run replay_run(const std::string& name, sim::sequence_evaluator& ev, const vf_sequence& y) {
    policy_run run;
    run.name = name;
    run.trace.label = name;
    run.score = ev.evaluate(y, run.trace);
    run.slowdown = run.score.slowdown(ev.reference().time_s);
    return run;
}

/// Times each decision of a rollout (sim::rollout observer) and calls after(policy) after each interval.
template <class P, class After>
struct run_observer {
    P& policy;
    After& after;
    double ns = 0.0;
    std::size_t n = 0;
    std::chrono::steady_clock::time_point t0{};
    void on_act_begin(const dvfs::observation&) { t0 = std::chrono::steady_clock::now(); }
    void on_act_end(const dvfs::action&) {
        ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
        ++n;
    }
    void on_interval(const dvfs::observation&, const dvfs::action&, const dvfs::step_outcome&) { after(policy); }
};

/// Runs policy p on a fresh episode of env (sim::rollout), timing each decision; the trace comes from
/// replaying the taken levels through the evaluator (the environment is noise-free, so the replay is exact).
template <class P, class After>
policy_run run_policy(const std::string& name, sim::dvfs_env& env, sim::sequence_evaluator& ev, P& p, rng_type& rng,
                      After&& after_step) {
    run_observer<P, std::remove_reference_t<After>> timer{p, after_step};
    const auto rolled = sim::rollout(env, p, rng, timer);
    policy_run run = replay_run(name, ev, rolled.levels);
    run.decision_ns = timer.n ? timer.ns / static_cast<double>(timer.n) : 0.0;
    return run;
}

/// EDP of intervals [a, b) of a trace.
inline double window_edp(const sim::trace& tr, std::size_t a, std::size_t b) {
    double e = 0.0, d = 0.0;
    for (std::size_t t = a; t < b; ++t) {
        e += tr.energy_j(t);
        d += tr.time_s(t);
    }
    return e * d;
}

}  // namespace detail

}  // namespace l2s::studies
