// SPDX-License-Identifier: MIT
// l2s/studies/leave_one_out.hpp: the library's flagship experiment. Train L2S on all applications but
// one (oracle search per application, imitation-learned policy), then run the Linux governors, the L2S
// policy, UaOL around it and the oracle on the held-out application, and compare them.
// @see docs/results/leave_one_out.md
#pragma once
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <functional>
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
#include <l2s/online/island_models.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/scaler.hpp>
#include <l2s/policy/softmax_linear.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/search/oracle.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/governor_policy.hpp>
#include <l2s/sim/identification.hpp>
#include <l2s/sim/lookahead_model.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/trace.hpp>
#include <l2s/sim/workload.hpp>
#include <l2s/studies/runs.hpp>
#include <l2s/studies/uaol_setup.hpp>

namespace l2s::studies {

/// Configuration of the leave-one-out experiment. Attribute table: docs/results/leave_one_out.md#loo_config.
struct loo_config {
    std::string platform = "sniper_manycore";    ///< a sim::builtin_platform name ("article_4vfi": sized per program)
    std::vector<std::string> applications{};     ///< training + held-out programs (empty: all PARSEC profiles)
    std::string held_out = "streamcluster";      ///< the application left out of training
    std::size_t intervals = 200;                 ///< T per application
    std::uint64_t seed = 1;                      ///< seeds workloads, searches, training, UaOL
    bool thread_roles = false;                   ///< programs with their measured thread roles (sim/thread_roles.hpp)
    search::objective objective{};               ///< EDP under a 5 % slowdown and T_max by default
    std::size_t oracle_evaluations = 60000;      ///< search budget per application (greedy, then local)
    double softmax_l2 = 1e-3;                    ///< L2 of the imitation-learned softmax policy
    policy::feature_set features = policy::feature_set::standard;  ///< the policy's inputs (8, 32 or 128 per island)
    /// UaOL's parts (studies/uaol_setup.hpp); the library's defaults. Its slowdown budget and seed are this
    /// config's objective.max_slowdown and seed.
    uaol_setup uaol{};
    std::vector<std::string> governors{"performance", "powersave", "ondemand", "conservative", "schedutil"};

    void validate() const {
        const std::string who = "l2s::studies::loo_config";
        (void)sim::builtin_platform(platform);
        objective.validate(who.c_str());
        if (intervals < 10 || intervals > 100000) throw invalid_config(who + ": intervals must be in [10, 100000]");
        if (oracle_evaluations < 100) throw invalid_config(who + ": oracle_evaluations must be >= 100");
        uaol.validate(who + ": uaol");
        require_config(softmax_l2 >= 0.0, who, "softmax_l2", ">= 0", softmax_l2);
        const auto apps = applications.empty() ? sim::parsec_names() : applications;
        if (apps.size() < 2) throw invalid_config(who + ": need at least 2 applications");
        if (std::find(apps.begin(), apps.end(), held_out) == apps.end())
            throw invalid_config(who + ": held_out '" + held_out + "' is not among the applications");
        for (const auto& g : governors) (void)governor_kind_of(g);
    }
    /// The governor named g (sim::governor_kind_names, without userspace, which needs a set frequency).
    [[nodiscard]] static sim::governor_kind governor_kind_of(const std::string& g) {
        std::string all;
        for (const auto& [name, kind] : sim::governor_kind_names) {
            if (kind == sim::governor_kind::userspace) continue;
            if (g == name) return kind;
            all += (all.empty() ? "" : ", ") + std::string(name);
        }
        throw invalid_config("l2s::studies::loo_config: unknown governor '" + g + "' (" + all + ")");
    }
};

/// Result of the leave-one-out experiment.
struct loo_result {
    std::string platform, held_out;
    std::size_t islands = 0, levels = 0, intervals = 0;
    std::vector<std::size_t> island_cores;        ///< cores per island of the held-out program's chip
    std::vector<std::string> training;
    std::vector<policy_run> runs;                 ///< governors, l2s_policy, uaol, oracle
    double training_accuracy = 0.0;               ///< imitation accuracy on the training samples
    double training_oracle_edp_gain = 0.0;        ///< mean 1 − EDP(oracle)/EDP(all-max) over training apps
    std::size_t training_samples = 0;
    std::vector<double> window_fraction;          ///< end of each 10 % window of the run
    std::vector<double> uaol_window_gap;          ///< UaOL EDP / oracle EDP − 1 per window
    std::vector<double> policy_window_gap;        ///< the L2S policy alone, same windows
    std::vector<double> unseen_fraction;          ///< UaOL's share of unseen decisions per window
    double uaol_unseen_total = 0.0;
    double seconds = 0.0;                         ///< wall time of the whole experiment
};

/// Runs the experiment. Deterministic for a given config (same numbers on every run, except decision_ns).
[[nodiscard]] inline loo_result leave_one_out(const loo_config& cfg, const progress_fn& progress = {}) {
    cfg.validate();
    const auto wall0 = std::chrono::steady_clock::now();
    auto say = [&](const std::string& s) {
        if (progress) progress(s);
    };
    const auto apps = cfg.applications.empty() ? sim::parsec_names() : cfg.applications;
    // each program runs on the platform as built for it (article_4vfi sizes its islands per program); one
    // policy, gate and runtime model serve them all, so every chip must have the same islands and V/F tables
    const sim::platform chip = sim::builtin_platform_for(cfg.platform, cfg.held_out);
    const std::size_t K = chip.num_islands();
    const std::vector<std::size_t> levels = chip.levels_per_island();
    std::vector<sim::platform> chips;
    for (const auto& app : apps) {
        chips.push_back(sim::builtin_platform_for(cfg.platform, app));
        bool same = chips.back().num_islands() == K;
        for (std::size_t k = 0; same && k < K; ++k)
            same = chips.back().islands[k].opps.size() == chip.islands[k].opps.size() &&
                   std::equal(chip.islands[k].opps.begin(), chip.islands[k].opps.end(), chips.back().islands[k].opps.begin(),
                              [](const sim::opp& a, const sim::opp& b) { return a.freq_hz == b.freq_hz && a.volt_v == b.volt_v; });
        if (!same)
            throw invalid_config("l2s::studies::leave_one_out: platform '" + cfg.platform + "' gives " + app +
                                 " other islands or V/F tables than " + cfg.held_out);
    }
    auto make_sim = [&](const std::string& app, std::size_t i) {
        return std::make_shared<const sim::simulator>(
            chips[i], study_program(app, chips[i], cfg.intervals, cfg.seed + 1000 * i, cfg.thread_roles));
    };
    loo_result res;
    res.platform = chip.name;
    res.held_out = cfg.held_out;
    res.islands = K;
    for (const auto& is : chip.islands) res.island_cores.push_back(is.cores);
    res.levels = *std::max_element(levels.begin(), levels.end());
    res.intervals = cfg.intervals;

    // 1. L2S oracles on the training applications, imitation data, runtime-model pretraining
    rng_type rng(cfg.seed);
    const policy::feature_map fm(K, levels, {.set = cfg.features});
    learn::dataset train(levels, fm.num_features()), calib(levels, fm.num_features());
    auto models = make_runtime_models(cfg.uaol, chip);
    std::vector<dvfs::observation> calib_obs;
    std::size_t done = 0;
    for (std::size_t i = 0; i < apps.size(); ++i) {
        if (apps[i] == cfg.held_out) continue;
        res.training.push_back(apps[i]);
        say("oracle " + std::to_string(++done) + "/" + std::to_string(apps.size() - 1) + ": " + apps[i]);
        sim::sequence_evaluator ev(make_sim(apps[i], i));
        const auto o = search::oracle({.obj = cfg.objective}).search(ev, vf_sequence{}, {.max_evaluations = cfg.oracle_evaluations}, rng);
        res.training_oracle_edp_gain += 1.0 - o.score.edp() / o.reference.edp();
        const auto obs = ev.observations(o.best);
        learn::append_imitation(obs, o.best, fm, train, 2, 0);  // even intervals train the policy
        learn::append_imitation(obs, o.best, fm, calib, 2, 1);  // odd ones calibrate UaOL
        for (std::size_t t = 1; t < obs.size(); t += 2) calib_obs.push_back(obs[t]);
        // the runtime models learn each training program by system identification (random levels)
        rng_type id_rng(cfg.seed + 7777 + i);  // its own stream: the rest of the experiment is unchanged
        std::visit([&](auto& m) { (void)sim::identify(m, *make_sim(apps[i], i), id_rng); }, models);
    }
    res.training_oracle_edp_gain /= static_cast<double>(res.training.size());
    res.training_samples = train.size();

    // 2. imitation learning (application-agnostic softmax-linear policy)
    say("training the imitation policy on " + std::to_string(train.size()) + " samples");
    learn::softmax_trainer_config tc;
    tc.l2 = cfg.softmax_l2;
    tc.layout.features = fm.cfg();
    const auto l2s_policy = learn::train_softmax_linear<double>(train, tc);
    res.training_accuracy = learn::accuracy(l2s_policy, train);

    // 3. the held-out application
    const std::size_t hi = static_cast<std::size_t>(std::find(apps.begin(), apps.end(), cfg.held_out) - apps.begin());
    const auto test_sim = make_sim(cfg.held_out, hi);
    sim::sequence_evaluator ev(test_sim);
    sim::dvfs_env env(test_sim);
    say("oracle for the held-out application " + cfg.held_out);
    const auto oracle = search::oracle({.obj = cfg.objective}).search(ev, vf_sequence{}, {.max_evaluations = cfg.oracle_evaluations}, rng);
    auto nothing = [](auto&) {};
    for (const auto& g : cfg.governors) {
        say("governor " + g);
        sim::governor_policy gov(sim::cpufreq_policies(chip), {.kind = loo_config::governor_kind_of(g)});
        res.runs.push_back(detail::run_policy(g, env, ev, gov, rng, nothing));
    }
    say("L2S policy");
    {
        auto p = l2s_policy;
        res.runs.push_back(detail::run_policy("l2s_policy", env, ev, p, rng, nothing));
    }
    say("UaOL");
    online::uaol_policy_config uc = cfg.uaol.policy;
    uc.search.slowdown = cfg.objective.max_slowdown;
    uc.seed = cfg.seed;
    const auto lt = calib.label_tensor();
    const std::span<const level_t> calib_labels(lt.data(), lt.size());
    std::vector<double> unseen;
    with_uaol(cfg.uaol, l2s_policy, models, test_sim, levels, uc, [&](auto& uaol) {
        uaol.calibrate(calib_obs, calib_labels, rng);
        res.runs.push_back(detail::run_policy("uaol", env, ev, uaol, rng,
                                              [&](auto& u) { unseen.push_back(u.last_unseen() ? 1.0 : 0.0); }));
        res.uaol_unseen_total = uaol.unseen_fraction();
    });
    res.runs.push_back(detail::replay_run("oracle", ev, oracle.best));
    const double oracle_edp = res.runs.back().score.edp();
    for (auto& r : res.runs) r.edp_vs_oracle = r.score.edp() / oracle_edp;

    // 4. adaptation: EDP gap per 10 % window, share of unseen decisions
    const auto& ut = res.runs[res.runs.size() - 2].trace;
    const auto& pt = res.runs[res.runs.size() - 3].trace;
    const auto& ot = res.runs.back().trace;
    const std::size_t T = cfg.intervals;
    for (std::size_t w = 0; w < 10; ++w) {
        const std::size_t a = w * T / 10, b = (w + 1) * T / 10;
        if (b <= a) continue;
        const double oe = detail::window_edp(ot, a, b);
        res.window_fraction.push_back(static_cast<double>(b) / static_cast<double>(T));
        res.uaol_window_gap.push_back(detail::window_edp(ut, a, b) / oe - 1.0);
        res.policy_window_gap.push_back(detail::window_edp(pt, a, b) / oe - 1.0);
        double u = 0.0;
        for (std::size_t t = a; t < b && t < unseen.size(); ++t) u += unseen[t];
        res.unseen_fraction.push_back(u / static_cast<double>(b - a));
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return res;
}

}  // namespace l2s::studies
