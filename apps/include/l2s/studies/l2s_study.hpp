// SPDX-License-Identifier: MIT
// l2s/studies/l2s_study.hpp: the L2S experiment across platforms (the article's 64-core chip in four
// V/F islands sized per application, the uniform 16 × 4 manycore, Exynos 5422): oracles from every search
// strategy per workload, imitation-learned policies (application-agnostic, per application, and a baseline
// trained on per-interval greedy labels), the Linux governors, a DTM baseline and tabular Q-learning, on
// training programs, held-out programs and multi-program mixes.  @see docs/results/l2s_study.md#l2s-study
#pragma once
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <map>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/learn/evaluate.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/learn/softmax_trainer.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/q_learning.hpp>
#include <l2s/policy/scaler.hpp>
#include <l2s/policy/softmax_linear.hpp>
#include <l2s/search/beam.hpp>
#include <l2s/search/bo_guided.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/lds.hpp>
#include <l2s/search/local.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/dtm.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/governor_policy.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/relaxation.hpp>
#include <l2s/sim/workload.hpp>
#include <l2s/studies/leave_one_out.hpp>
#include <l2s/studies/runs.hpp>

namespace l2s::studies {

/// Configuration of l2s_study. Attribute table: docs/results/l2s_study.md#study_config.
struct study_config {
    /// sim::builtin_platform names; "article_4vfi" sizes its 4 islands per application (sim::article_4vfi).
    std::vector<std::string> platforms{"article_4vfi", "sniper_manycore", "exynos5422"};
    std::vector<std::string> applications{};                  ///< PARSEC programs (empty: all nine)
    std::vector<std::string> held_out{"streamcluster", "fmm"};  ///< programs not trained on
    /// Two-program mixes (first program on the first half of the islands), never trained on.
    std::vector<std::array<std::string, 2>> mixes{{{"dedup", "streamcluster"}}, {{"barnes", "facesim"}}};
    std::size_t intervals = 100;  ///< T per workload
    std::uint64_t seed = 1;       ///< workloads, searches, training, Q-learning exploration
    /// Programs with their measured thread roles (study_program: serial sections on the fastest island
    /// of the program, per-phase imbalance) instead of the same phase list on every island.
    bool thread_roles = false;
    search::objective objective{};  ///< EDP under a 5 % slowdown and T_max by default
    std::vector<std::string> strategies{"greedy", "local", "beam", "lds", "bo_guided"};  ///< oracle searches
    std::size_t evaluations = 20000;  ///< budget of each strategy on each workload (bo_guided: see below)
    /// bo_guided evaluates one sequence per round on a GP of all its evaluations, so its cost grows with the
    /// square of its budget or faster: it gets the evaluations its greedy start needs plus this many rounds.
    std::size_t bo_guided_rounds = 150;
    double softmax_l2 = 1e-3;         ///< L2 of the imitation-learned softmax policies
    policy::feature_set features = policy::feature_set::standard;  ///< the policies' inputs (8, 32 or 128 per island)
    std::size_t q_learning_episodes = 20;  ///< training episodes of the Q-learning baseline per workload
    sim::dtm_config dtm{};            ///< the DTM baseline (around the performance governor)

    void validate() const {
        const std::string who = "l2s::studies::study_config";
        if (platforms.empty()) throw invalid_config(who + ": platforms is empty");
        for (const auto& p : platforms)
            (void)sim::builtin_platform(p);
        const auto apps = programs();
        if (apps.size() < 2) throw invalid_config(who + ": need at least 2 applications");
        const auto known = sim::parsec_names();
        auto is_known = [&](const std::string& a) { return std::find(known.begin(), known.end(), a) != known.end(); };
        for (const auto& a : apps)
            if (!is_known(a)) throw invalid_config(who + ": unknown application '" + a + "'");
        for (const auto& h : held_out)
            if (std::find(apps.begin(), apps.end(), h) == apps.end())
                throw invalid_config(who + ": held_out '" + h + "' is not among the applications");
        if (held_out.size() >= apps.size()) throw invalid_config(who + ": every application is held out");
        for (const auto& m : mixes)
            for (const auto& a : m)
                if (!is_known(a)) throw invalid_config(who + ": mixes: unknown application '" + a + "'");
        if (intervals < 10 || intervals > 100000) throw invalid_config(who + ": intervals must be in [10, 100000]");
        objective.validate(who.c_str());
        if (strategies.empty()) throw invalid_config(who + ": strategies is empty");
        for (const auto& s : strategies)
            if (s != "greedy" && s != "local" && s != "beam" && s != "lds" && s != "bo_guided")
                throw invalid_config(who + ": unknown strategy '" + s + "' (greedy, local, beam, lds, bo_guided)");
        if (std::find(strategies.begin(), strategies.end(), "greedy") == strategies.end())
            throw invalid_config(who + ": strategies must include greedy (the greedy labels and lds start from it)");
        if (evaluations < 10) throw invalid_config(who + ": evaluations must be >= 10");
        require_config(softmax_l2 >= 0.0, who, "softmax_l2", ">= 0", softmax_l2);
        sim::dtm<sim::governor_policy> check(sim::governor_policy(sim::cpufreq_policies(sim::exynos5422())), dtm);
    }
    [[nodiscard]] std::vector<std::string> programs() const { return applications.empty() ? sim::parsec_names() : applications; }
};

/// One oracle search on one workload.
struct oracle_run {
    std::string strategy;
    dvfs::sequence_score score;
    double slowdown = 0.0;
    double edp_vs_oracle = 0.0;  ///< EDP / best oracle EDP
    std::size_t evaluations = 0;
    double seconds = 0.0;
    bool feasible = false;
};

/// Everything run on one workload.
struct study_workload {
    std::string name;
    std::string role;  ///< "training", "held_out" or "mix"
    std::vector<std::size_t> island_cores;
    std::vector<oracle_run> oracles;  ///< one per strategy
    std::vector<policy_run> runs;     ///< baselines, learned policies, and "oracle" (the best search) last
    /// The relaxed per-interval optimum's EDP / the oracle's (sim::relaxed_optimum; NaN for mixes and for chips
    /// with more than 65536 level vectors per interval), and all-max's EDP / the relaxed optimum's in that model.
    double relaxed_edp_vs_oracle = std::numeric_limits<double>::quiet_NaN();
    double all_max_vs_relaxed = std::numeric_limits<double>::quiet_NaN();
};

/// Mean over the workloads of one role.
struct study_summary {
    std::string policy, role;
    double mean_edp_vs_oracle = 0.0;
    double mean_slowdown = 0.0;
    double worst_slowdown = 0.0;
    std::size_t workloads = 0;
};

/// The study on one platform.
struct platform_study {
    std::string platform;
    std::size_t islands = 0, intervals = 0;
    std::size_t training_samples = 0;
    double training_accuracy = 0.0;    ///< l2s_policy on its training samples
    double il_greedy_accuracy = 0.0;   ///< il_greedy on its training samples
    double oracle_edp_vs_ondemand = 0.0;  ///< mean oracle EDP / ondemand EDP over all workloads
    std::vector<study_workload> workloads;
    std::vector<study_summary> summary;
};

struct study_result {
    std::vector<platform_study> platforms;
    double seconds = 0.0;
};

namespace detail {

/// Runs one search strategy by name.
inline search::search_result run_strategy(const std::string& name, sim::sequence_evaluator& ev, const search::objective& obj,
                                          std::size_t budget, const vf_sequence& greedy_best, std::size_t max_levels,
                                          rng_type& rng) {
    const search::search_budget b{.max_evaluations = budget};
    if (name == "greedy") return search::greedy({.obj = obj}).search(ev, vf_sequence{}, b, rng);
    if (name == "local") {
        search::local_config c;
        c.obj = obj;
        return search::local(c).search(ev, greedy_best, b, rng);
    }
    if (name == "beam") {
        search::beam_config c;
        c.obj = obj;
        return search::beam(c).search(ev, vf_sequence{}, b, rng);
    }
    if (name == "lds") {
        search::lds_config c;
        c.obj = obj;
        return search::lds(search::probability_table::centred(greedy_best, max_levels), c).search(ev, vf_sequence{}, b, rng);
    }
    search::bo_guided_config c;
    c.obj = obj;
    return search::bo_guided(c).search(ev, vf_sequence{}, b, rng);
}

/// Mean EDP-vs-oracle and slowdown per (policy, role).
inline std::vector<study_summary> summarise(const std::vector<study_workload>& ws) {
    std::vector<study_summary> out;
    for (const char* role : {"training", "held_out", "mix"})
        for (const auto& w : ws) {
            if (w.role != role) continue;
            for (const auto& r : w.runs) {
                auto it = std::find_if(out.begin(), out.end(), [&](const study_summary& s) { return s.policy == r.name && s.role == role; });
                if (it == out.end()) {
                    out.push_back({r.name, role, 0.0, 0.0, 0.0, 0});
                    it = out.end() - 1;
                }
                it->mean_edp_vs_oracle += r.edp_vs_oracle;
                it->mean_slowdown += r.slowdown;
                it->worst_slowdown = std::max(it->worst_slowdown, r.slowdown);
                ++it->workloads;
            }
        }
    for (auto& s : out) {
        s.mean_edp_vs_oracle /= static_cast<double>(s.workloads);
        s.mean_slowdown /= static_cast<double>(s.workloads);
    }
    return out;
}

}  // namespace detail

/// Runs the study. Deterministic for a given config (same numbers on every run, except wall times).
[[nodiscard]] inline study_result l2s_study(const study_config& cfg, const progress_fn& progress = {}) {
    cfg.validate();
    const auto wall0 = std::chrono::steady_clock::now();
    auto say = [&](const std::string& s) {
        if (progress) progress(s);
    };
    const auto apps = cfg.programs();
    auto role_of = [&](const std::string& a) {
        return std::find(cfg.held_out.begin(), cfg.held_out.end(), a) != cfg.held_out.end() ? "held_out" : "training";
    };
    study_result result;
    for (const auto& plat : cfg.platforms) {
        rng_type rng(cfg.seed);
        platform_study ps;
        ps.platform = plat;
        ps.intervals = cfg.intervals;
        // the workloads: programs, then mixes, each with its chip
        struct item {
            std::string name, role;
            sim::platform chip;
            std::shared_ptr<const sim::simulator> sim;
            search::search_result best, greedy;
        };
        std::vector<item> items;
        auto chip_for = [&](const std::string& program) {
            return sim::builtin_platform_for(plat, program);
        };
        for (std::size_t i = 0; i < apps.size(); ++i) {
            auto chip = chip_for(apps[i]);
            auto w = study_program(apps[i], chip, cfg.intervals, cfg.seed + 1000 * i, cfg.thread_roles);
            auto s = std::make_shared<const sim::simulator>(chip, std::move(w));
            items.push_back({apps[i], role_of(apps[i]), std::move(chip), std::move(s), {}, {}});
        }
        for (std::size_t m = 0; m < cfg.mixes.size(); ++m) {
            const auto& mx = cfg.mixes[m];
            auto chip = chip_for(mx[0] + "+" + mx[1]);
            const std::size_t K = chip.num_islands();
            std::vector<std::size_t> of(K);
            for (std::size_t k = 0; k < K; ++k) of[k] = 2 * k < K ? 0 : 1;
            const auto second = static_cast<std::size_t>(std::find(of.begin(), of.end(), 1) - of.begin());
            const std::uint64_t seed = cfg.seed + 7919 * (m + 1);
            const std::vector<sim::workload> parts = {
                study_program(mx[0], chip, cfg.intervals, seed, cfg.thread_roles, 0, second),
                study_program(mx[1], chip, cfg.intervals, seed + 1, cfg.thread_roles, second, K)};
            auto s = std::make_shared<const sim::simulator>(chip, sim::mix(parts, of));
            items.push_back({mx[0] + "+" + mx[1], "mix", std::move(chip), std::move(s), {}, {}});
        }
        ps.islands = items.front().chip.num_islands();

        // 1. oracles from every strategy; imitation data from the best (and, for the baseline, from greedy)
        std::vector<study_workload> out(items.size());
        std::vector<std::string> order = cfg.strategies;  // greedy first: local and lds start from its sequence
        std::stable_partition(order.begin(), order.end(), [](const std::string& x) { return x == "greedy"; });
        const std::vector<std::size_t> levels = items.front().chip.levels_per_island();
        const std::size_t lmax = *std::max_element(levels.begin(), levels.end());
        const policy::feature_map fm(ps.islands, levels, {.set = cfg.features});
        const std::size_t F = fm.num_features();
        learn::dataset agnostic(levels, F), greedy_labels(levels, F);
        std::vector<learn::dataset> own(items.size(), learn::dataset(levels, F));
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto& it = items[i];
            out[i].name = it.name;
            out[i].role = it.role;
            for (const auto& isl : it.chip.islands) out[i].island_cores.push_back(isl.cores);
            sim::sequence_evaluator ev(it.sim);
            bool have_best = false;
            for (const auto& st : order) {
                say(plat + ": " + st + " on " + it.name);
                const auto t0 = std::chrono::steady_clock::now();
                const std::size_t budget =
                    st == "bo_guided" ? std::min(cfg.evaluations, it.greedy.evaluations + cfg.bo_guided_rounds) : cfg.evaluations;
                auto r = detail::run_strategy(st, ev, cfg.objective, budget, it.greedy.best, lmax, rng);
                oracle_run o;
                o.strategy = st;
                o.score = r.score;
                o.slowdown = r.score.slowdown(r.reference.time_s);
                o.evaluations = r.evaluations;
                o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                o.feasible = r.feasible;
                out[i].oracles.push_back(o);
                if (st == "greedy") it.greedy = r;
                if (!have_best || search::rank(cfg.objective, r.score, r.reference.time_s)
                                      .better_than(search::rank(cfg.objective, it.best.score, it.best.reference.time_s))) {
                    it.best = std::move(r);
                    have_best = true;
                }
            }
            if (it.role != "mix") {
                std::size_t combinations = 1;
                for (std::size_t l : levels) combinations = std::min<std::size_t>(combinations * l, 1u << 20);
                if (combinations <= (1u << 16)) {
                    const auto rel = sim::relaxed_optimum(*it.sim, cfg.objective.max_slowdown);
                    out[i].relaxed_edp_vs_oracle = rel.edp / it.best.score.edp();
                    out[i].all_max_vs_relaxed = rel.all_max_edp / rel.edp;
                }
            }
            if (it.role != "training") continue;
            const auto best_obs = ev.observations(it.best.best);
            learn::append_imitation(best_obs, it.best.best, fm, agnostic);
            learn::append_imitation(best_obs, it.best.best, fm, own[i]);
            learn::append_imitation(ev.observations(it.greedy.best), it.greedy.best, fm, greedy_labels);
        }

        // 2. imitation learning
        say(plat + ": training on " + std::to_string(agnostic.size()) + " samples");
        learn::softmax_trainer_config tc;
        tc.l2 = cfg.softmax_l2;
        tc.layout.features = fm.cfg();
        const auto l2s_policy = learn::train_softmax_linear<double>(agnostic, tc);
        const auto il_greedy = learn::train_softmax_linear<double>(greedy_labels, tc);
        ps.training_samples = agnostic.size();
        ps.training_accuracy = learn::accuracy(l2s_policy, agnostic);
        ps.il_greedy_accuracy = learn::accuracy(il_greedy, greedy_labels);

        // 3. every policy on every workload
        auto nothing = [](auto&) {};
        double gain = 0.0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto& it = items[i];
            say(plat + ": policies on " + it.name);
            sim::sequence_evaluator ev(it.sim);
            sim::dvfs_env env(it.sim);
            auto& runs = out[i].runs;
            const auto policies = sim::cpufreq_policies(it.chip);
            for (const char* g : {"performance", "ondemand", "conservative", "schedutil"}) {
                sim::governor_policy gov(policies, {.kind = loo_config::governor_kind_of(g)});
                runs.push_back(detail::run_policy(g, env, ev, gov, rng, nothing));
            }
            {
                sim::dtm<sim::governor_policy> d(sim::governor_policy(policies, {.kind = sim::governor_kind::performance}), cfg.dtm);
                runs.push_back(detail::run_policy("dtm", env, ev, d, rng, nothing));
            }
            {
                policy::q_learning_config qc;
                qc.seed = cfg.seed;
                qc.slowdown_budget = cfg.objective.max_slowdown;
                policy::q_learning q(levels, qc);
                for (std::size_t e = 0; e < cfg.q_learning_episodes; ++e) {
                    q.reset();
                    (void)detail::run_policy("q_learning", env, ev, q, rng, nothing);
                }
                q.reset();
                q.set_greedy(true);
                runs.push_back(detail::run_policy("q_learning", env, ev, q, rng, nothing));
            }
            {
                auto p = il_greedy;
                runs.push_back(detail::run_policy("il_greedy", env, ev, p, rng, nothing));
            }
            {
                auto p = l2s_policy;
                runs.push_back(detail::run_policy("l2s_policy", env, ev, p, rng, nothing));
            }
            if (it.role == "training") {
                auto p = learn::train_softmax_linear<double>(own[i], tc);
                runs.push_back(detail::run_policy("l2s_per_app", env, ev, p, rng, nothing));
            }
            runs.push_back(detail::replay_run("oracle", ev, it.best.best));
            const double oracle_edp = runs.back().score.edp();
            for (auto& r : runs) r.edp_vs_oracle = r.score.edp() / oracle_edp;
            for (auto& o2 : out[i].oracles) o2.edp_vs_oracle = o2.score.edp() / oracle_edp;
            gain += oracle_edp / runs[1].score.edp();  // runs[1] is ondemand
            for (auto& r : runs) r.trace = {};        // the study keeps scores, not traces
        }
        ps.oracle_edp_vs_ondemand = gain / static_cast<double>(items.size());
        ps.workloads = std::move(out);
        ps.summary = detail::summarise(ps.workloads);
        result.platforms.push_back(std::move(ps));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return result;
}

}  // namespace l2s::studies
