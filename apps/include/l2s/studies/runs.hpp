// SPDX-License-Identifier: MIT
// l2s/studies/runs.hpp: what the experiments share: a policy's run on a workload, the oracle search,
// imitation data from an oracle sequence, timed policy rollouts.
#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <l2s/core/types.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/feature_map.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
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

namespace detail {

/// Oracle: greedy then local search from it, with the budget split 1:1 (unused greedy budget goes to local).
inline search::search_result oracle(sim::sequence_evaluator& ev, const search::objective& obj, std::size_t budget,
                                    rng_type& rng) {
    const search::greedy g({.obj = obj, .sweeps = 1});
    auto r = g.search(ev, vf_sequence{}, {.max_evaluations = budget / 2}, rng);
    const std::size_t left = budget > r.evaluations ? budget - r.evaluations : 0;
    if (left < 10) return r;
    search::local_config lc;
    lc.obj = obj;
    lc.max_restarts = 10;
    const search::local l(lc);
    auto r2 = l.search(ev, r.best, {.max_evaluations = left}, rng);
    r2.evaluations += r.evaluations;
    // local search starts from the greedy sequence, so its best is never worse
    return search::rank(obj, r.score, r.reference.time_s).better_than(search::rank(obj, r2.score, r2.reference.time_s)) ? r : r2;
}

/// Appends (features, oracle levels) of every interval of y to d, with features computed along y.
inline void append_imitation(const std::vector<dvfs::observation>& obs, const vf_sequence& y, const policy::feature_map& fm,
                             learn::dataset& d, std::size_t stride = 1, std::size_t offset = 0) {
    const std::size_t K = fm.num_islands();
    auto state = fm.make_state();
    std::vector<double> feats(K * fm.num_features());
    std::vector<level_t> label(K);
    for (std::size_t t = 0; t < obs.size(); ++t) {
        fm.extract_all(obs[t], state, feats);
        fm.commit(obs[t], state);
        if (t % stride != offset) continue;
        for (std::size_t k = 0; k < K; ++k) label[k] = y(t, k);
        d.append(feats, label);
    }
}

/// The run of sequence y replayed through the evaluator: score, slowdown and trace, labelled name.
inline policy_run replay_run(const std::string& name, sim::sequence_evaluator& ev, const vf_sequence& y) {
    policy_run run;
    run.name = name;
    run.trace.label = name;
    run.score = ev.evaluate(y, run.trace);
    run.slowdown = run.score.slowdown(ev.reference().time_s);
    return run;
}

/// Runs policy p on a fresh episode of env, timing each decision; the trace comes from replaying the taken
/// levels through the evaluator (the environment is noise-free, so the replay is exact).
template <class P, class After>
policy_run run_policy(const std::string& name, sim::dvfs_env& env, sim::sequence_evaluator& ev, P& p, rng_type& rng,
                      After&& after_step) {
    dvfs::action a(env.num_islands(), 0);
    const dvfs::observation* o = &env.reset(rng);
    double ns = 0.0;
    std::size_t n = 0;
    while (!env.done()) {
        const auto t0 = std::chrono::steady_clock::now();
        p.act(*o, a);
        ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
        ++n;
        const dvfs::step_outcome r = env.step(a);
        if constexpr (LearningPolicyFor<P, sim::dvfs_env>) p.observe(env.observe(), a, r);
        after_step(p);
        o = &env.observe();
    }
    policy_run run = replay_run(name, ev, env.taken());
    run.decision_ns = n ? ns / static_cast<double>(n) : 0.0;
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
