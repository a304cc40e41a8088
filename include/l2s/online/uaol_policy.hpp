// SPDX-License-Identifier: MIT
// l2s/online/uaol_policy.hpp: uncertainty-aware online adaptation around any probabilistic policy (UaOL).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/budget_account.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/online/conformal.hpp>
#include <l2s/online/entropy_gate.hpp>
#include <l2s/online/product_set_search.hpp>
#include <l2s/online/refinement.hpp>
#include <l2s/policy/concepts.hpp>

namespace l2s::online {

/// The probabilities (K × L_max blocks, `block` = K·L_max values each) of policy q along an episode, read in
/// order: the policy's feature history follows the episode (when it has one) and is reset before and after.
template <class Q>
[[nodiscard]] std::vector<double> episode_probabilities(Q& q, std::span<const dvfs::observation> episode, std::size_t block) {
    std::vector<double> blocks(episode.size() * block);
    if constexpr (requires { q.reset(); }) q.reset();
    for (std::size_t i = 0; i < episode.size(); ++i) {
        q.probabilities(episode[i], std::span<double>(blocks).subspan(i * block, block));
        if constexpr (requires { q.advance(episode[i]); }) q.advance(episode[i]);
    }
    if constexpr (requires { q.reset(); }) q.reset();
    return blocks;
}

/// Where the slow path (model update, SGD step, replay step) runs.
enum class slow_path_mode {
    inline_path,  ///< SGD and replay steps in observe(), right after the interval
    deferred      ///< everything at the start of the next act() (off the path that ends the interval)
};

/// Tunables of uaol_policy.
/// The defaults are the configuration behind the published results (docs/results/uaol.md): the gate's τ at the
/// 0.2-quantile of seen-state entropies, B = 64, η = 0.05.
struct uaol_policy_config {
    entropy_gate_config gate{.quantile = 0.2};
    conformal_calibrator_config conformal{};
    product_set_search_config search{.budget = 64};
    slow_path_mode slow_path = slow_path_mode::inline_path;
    double learning_rate = 0.05;        ///< η of the SGD step towards the chosen configuration, > 0
    std::size_t replay_capacity = 4096; ///< reservoir of seen (observation, argmax) examples; 0 disables replay
    /// Send a decision the gate passed to the slow path when the models predict its argmax over the slowdown
    /// budget (docs/uaol.md#budget-safety).
    bool budget_guard = true;
    /// When no configuration in the product of the conformal sets meets the budget by the models'
    /// estimates, search every level of every island instead (docs/uaol.md#budget-safety).
    bool widen_infeasible = true;
    std::uint64_t seed = 0;             ///< seeds the reservoir sampling
};

/// UaOL decision and learning loop (Narang et al., ISLPED 2023; reconstruction in DESIGN §g) around a
/// probabilistic policy P (K × L_max level probabilities via probabilities(obs, out)) and a
/// PowerPerformanceModel Model (e.g. online::island_models).
///
/// act(obs): p = P(obs); g = gate(p). Seen (g ≤ τ): argmax per island. Unseen: C_k ∪ {argmax} from the
/// conformal calibrator, islands ordered by decreasing entropy, product_set_search with Model's estimates.
/// Learning: Model is updated with (previous observation, previous action, current observation) at the
/// start of act() when it has update(before, action, after) (the measurements of an interval arrive with the
/// next observation). For an unseen decision, P takes one SGD step (η) towards the chosen levels as a
/// pseudo-label and one replay step on a seen example drawn from a reservoir (Vitter's algorithm R), when P
/// models SgdStepPolicy; seen decisions enter the reservoir. slow_path selects inline (observe()) or
/// deferred (next act()) SGD/replay.
///
/// Account (a BudgetAccount) enforces the budget over the episode: slack_account (default) lets a decision
/// spend slack banked by earlier ones, per_interval_budget checks each decision alone. Refiner (a
/// DecisionRefinerFor<Model>) then treats the decision as an upper bound: refine_below (default) searches the
/// levels at or below it through the models, keep_decision leaves it (docs/uaol.md#slack-account).
template <class P, class Model, class Account = slack_account, class Refiner = refine_below>
    requires PowerPerformanceModel<Model> && BudgetAccount<Account> && DecisionRefinerFor<Refiner, Model>
class uaol_policy {
public:
    using config = uaol_policy_config;

    uaol_policy(P policy, Model model, std::vector<std::size_t> levels_per_island, config cfg = {},
                Account account = {}, Refiner refiner = {})
        : cfg_(cfg), policy_(std::move(policy)), model_(std::move(model)), account_(std::move(account)),
          refiner_(std::move(refiner)), gate_(levels_per_island, cfg.gate), cal_(levels_per_island, cfg.conformal),
          search_(levels_per_island, cfg.search), rng_(cfg.seed) {
        require_config(cfg_.learning_rate > 0.0, who_ctor, "learning_rate", "> 0", cfg_.learning_rate);
        account_.resize(levels_per_island.size());
        refiner_.resize(levels_per_island);
        const std::size_t K = gate_.num_islands(), Lm = gate_.max_levels();
        probs_.resize(K * Lm);
        sets_.resize(K * Lm);
        sizes_.resize(K);
        start_.resize(K);
        order_.resize(K);
        entropy_.resize(K);
        prev_action_.resize(K);
        tops_.resize(K);
        for (std::size_t k = 0; k < K; ++k) tops_[k] = static_cast<level_t>(gate_.num_levels(k) - 1);
        dec_top_.assign(K, 0.0);
        label_.resize(K);
        reservoir_.reserve(std::min<std::size_t>(cfg_.replay_capacity, 4096));
        if constexpr (replays_raw_features) {
            pending_raw_.resize(K * policy_.num_features());
        }
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] P& policy() noexcept { return policy_; }
    [[nodiscard]] Model& model() noexcept { return model_; }
    [[nodiscard]] const Account& account() const noexcept { return account_; }
    [[nodiscard]] entropy_gate& gate() noexcept { return gate_; }
    [[nodiscard]] conformal_calibrator& calibrator() noexcept { return cal_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return gate_.num_islands(); }

    /// Calibrates τ and q̂_k from held-out observations of seen applications and their reference levels
    /// (labels: n·K). Throws as entropy_gate::calibrate / conformal_calibrator::calibrate; on error neither is
    /// changed.
    void calibrate(std::span<const dvfs::observation> held_out, std::span<const level_t> labels, rng_type& rng) {
        const std::vector<double> blocks = episode_probabilities(policy_, held_out, gate_.block_size());
        entropy_gate g = gate_;
        conformal_calibrator c = cal_;
        g.calibrate(blocks);
        c.calibrate(blocks, labels, rng);
        gate_ = std::move(g);
        cal_ = std::move(c);
    }

    /// Calibrates only the conformal sets, from probability blocks computed elsewhere (n blocks of K × L_max,
    /// as probabilities() writes them) and their reference levels (n·K): for example from policies that did
    /// not train on the calibration programs, so q̂ measures the policy's error on programs it has not seen
    /// (cross-program calibration, docs/uaol.md#cross-program). Throws as conformal_calibrator::calibrate;
    /// on error nothing changes.
    void calibrate_sets(std::span<const double> probabilities, std::span<const level_t> labels, rng_type& rng) {
        conformal_calibrator c = cal_;
        c.calibrate(probabilities, labels, rng);
        cal_ = std::move(c);
    }

    /// Decides one level per island for obs into a (resized to K).
    void act(const dvfs::observation& obs, dvfs::action& a) {
        const std::size_t K = num_islands(), Lm = gate_.max_levels();
        if (obs.num_islands() != K)
            throw dimension_mismatch(std::string(who_act) + ": observation has " + std::to_string(obs.num_islands()) +
                                     " islands, expected " + std::to_string(K));
        if (have_prev_) {
            if constexpr (IntervalLearner<Model>)
                model_.update(prev_obs_, prev_action_, obs);
            if (cfg_.slow_path == slow_path_mode::deferred && pending_) learn_step();
        }
        a.resize(K);
        std::fill(probs_.begin(), probs_.end(), 0.0);
        policy_.probabilities(obs, probs_);
        for (std::size_t k = 0; k < K; ++k) {
            start_[k] = static_cast<level_t>(detail::argmax(std::span<const double>(probs_).subspan(k * Lm, gate_.num_levels(k))));
            entropy_[k] = gate_.island_entropy(probs_, k);
        }
        ++decisions_;
        if (obs.interval == 0) account_.open();  // a new episode opens a new account
        const double allowance = account_.allowance_s();
        last_unseen_ = gate_.value(probs_) > gate_.threshold();
        const bool need_times = cfg_.budget_guard || books_decisions;
        have_times_ = need_times;
        if (need_times) argmax_times(obs);
        last_guarded_ = !last_unseen_ && cfg_.budget_guard && !argmax_all_top_ &&
                        t_argmax_ > (1.0 + cfg_.search.slowdown) * t_top_ + allowance;
        if (last_guarded_) {
            last_unseen_ = true;
            ++guarded_;
        }
        last_refined_ = false;
        if (!last_unseen_) {
            std::copy(start_.begin(), start_.end(), a.begin());
            remember_seen(obs);
        } else {
            ++unseen_;
            for (std::size_t k = 0; k < K; ++k) {
                sizes_[k] = cal_.set(probs_, k, std::span<level_t>(sets_).subspan(k * Lm, Lm));
                order_[k] = k;
            }
            std::sort(order_.begin(), order_.end(), [this](std::size_t x, std::size_t y) { return entropy_[x] > entropy_[y]; });
            last_search_ = search_.search(model_, obs, sets_, sizes_, start_, order_, a, limit(allowance));
            last_widened_ = !last_search_.feasible && cfg_.widen_infeasible;
            if (last_widened_) {  // no member of ∏ C_k meets the budget: every level of every island
                ++widened_;
                for (std::size_t k = 0; k < K; ++k) {
                    sizes_[k] = gate_.num_levels(k);
                    for (std::size_t l = 0; l < sizes_[k]; ++l) sets_[k * Lm + l] = static_cast<level_t>(l);
                }
                last_search_ = search_.search(model_, obs, sets_, sizes_, start_, order_, a, limit(allowance));
            }
        }
        last_refined_ = refiner_.refine(search_, model_, obs, std::span<level_t>(a), limit(allowance));
        if (last_refined_) ++refined_;
        if constexpr (books_decisions) record_decision(obs, a);
        // the wrapped policy's feature history follows the episode, as it would under its own act()
        if constexpr (requires { policy_.advance(obs); }) policy_.advance(obs);
        prev_obs_ = obs;
        std::copy(a.begin(), a.end(), prev_action_.begin());
        have_prev_ = true;
    }

    /// After the interval: schedules (deferred) or runs (inline) the SGD and replay steps of an unseen decision.
    void observe(const dvfs::observation& obs, const dvfs::action& a, const dvfs::step_outcome& outcome) {
        account_.settle(obs, prev_action_, tops_, cfg_.search.slowdown, outcome.time_s);
        if (!last_unseen_) return;
        // The pseudo-label goes with the observation that follows the decision — the state the policy acts on
        // next — so the step shapes the very next decision (phases persist over intervals). Measured against
        // pairing it with the decision's own input: docs/uaol.md#online-update.
        if constexpr (replays_raw_features) policy_.raw_features(obs, pending_raw_);
        else pending_obs_ = obs;
        std::copy(a.begin(), a.end(), label_.begin());
        pending_ = true;
        if (cfg_.slow_path == slow_path_mode::inline_path) learn_step();
    }

    /// Decisions taken, how many were flagged unseen, and their ratio.
    [[nodiscard]] std::size_t decisions() const noexcept { return decisions_; }
    [[nodiscard]] std::size_t unseen_decisions() const noexcept { return unseen_; }
    [[nodiscard]] double unseen_fraction() const noexcept {
        return decisions_ == 0 ? 0.0 : static_cast<double>(unseen_) / static_cast<double>(decisions_);
    }
    /// Decisions the gate passed but the budget guard sent to the slow path (counted in unseen_decisions),
    /// and searches widened to every level because the conformal product held no feasible configuration.
    [[nodiscard]] std::size_t guarded_decisions() const noexcept { return guarded_; }
    [[nodiscard]] std::size_t widened_searches() const noexcept { return widened_; }
    /// Whether the last decision was unseen (by the gate or the guard), and the last search's result (valid
    /// when it was).
    [[nodiscard]] bool last_unseen() const noexcept { return last_unseen_; }
    [[nodiscard]] bool last_guarded() const noexcept { return last_guarded_; }
    [[nodiscard]] bool last_widened() const noexcept { return last_widened_; }
    [[nodiscard]] const product_search_result& last_search() const noexcept { return last_search_; }
    /// Decisions the refiner changed, and whether the last one was.
    [[nodiscard]] std::size_t refined_decisions() const noexcept { return refined_; }
    [[nodiscard]] bool last_refined() const noexcept { return last_refined_; }
    /// The account's banked slack S in seconds (0 with per_interval_budget): Σ over the episode's intervals
    /// of (1 + p)·reference − measured time (slack_account; docs/uaol.md#slack-account). An observation with
    /// interval 0 (a new episode) empties it.
    [[nodiscard]] double slack_s() const noexcept { return account_.slack_s(); }
    [[nodiscard]] std::size_t reservoir_size() const noexcept { return reservoir_.size(); }
    [[nodiscard]] std::size_t sgd_steps() const noexcept { return sgd_steps_; }

    /// True when P can capture a decision's input as raw features and step on them later (every
    /// island_policy-based policy): replay then uses each example's own input. Otherwise examples keep the
    /// observation and step on it with the feature history of the moment (docs/uaol.md#online-update).
    static constexpr bool replays_raw_features =
        requires(P& p, const dvfs::observation& o, std::span<double> out, std::span<const double> raw,
                 std::span<const level_t> l, double lr) {
            p.raw_features(o, out);
            p.sgd_step_raw(raw, l, lr);
            { p.num_features() } -> std::convertible_to<std::size_t>;
        };

private:
    /// t̂(argmax) = max_k t̂_k(start_k) and t̂(all top) = max_k t̂_k(top) by the models, for the budget guard
    /// (over budget when t̂(argmax) > (1 + p)·t̂(all top) + allowance) and the account. 2K estimates, no
    /// allocation.
    void argmax_times(const dvfs::observation& obs) noexcept {
        t_top_ = t_argmax_ = 0.0;
        argmax_all_top_ = true;
        for (std::size_t k = 0; k < start_.size(); ++k) {
            const auto top = static_cast<level_t>(gate_.num_levels(k) - 1);
            argmax_all_top_ = argmax_all_top_ && start_[k] == top;
            dec_top_[k] = settled_estimate(model_, obs, k, top).time_s;  // also the account's, per island
            t_top_ = std::max(t_top_, dec_top_[k]);
            t_argmax_ = std::max(t_argmax_, model_.estimate(obs, k, start_[k]).time_s);
        }
    }

    /// The search's limit: the reference computed by argmax_times when it ran, else the search's own.
    [[nodiscard]] time_limit limit(double allowance) const noexcept {
        time_limit t;
        if (have_times_) t.reference_s = t_top_;
        t.allowance_s = allowance;
        return t;
    }

    /// Books the decision's settled estimates with the account: t̂_k(top) (stored by argmax_times, which runs
    /// on every decision when the account books them) and t̂_k(chosen level) per island.
    void record_decision(const dvfs::observation& obs, const dvfs::action& a) noexcept {
        for (std::size_t k = 0; k < num_islands(); ++k)
            account_.book(k, dec_top_[k], a[k] == tops_[k] ? dec_top_[k] : settled_estimate(model_, obs, k, a[k]).time_s);
    }

    /// Whether the account uses book() (a static books_decisions = false says it does not).
    static constexpr bool books_decisions = [] {
        if constexpr (requires { Account::books_decisions; }) return static_cast<bool>(Account::books_decisions);
        else return true;
    }();

    struct example {
        dvfs::observation obs;     ///< without replays_raw_features
        std::vector<double> raw;  ///< with replays_raw_features: K × F features at decision time
        std::vector<level_t> label;
    };

    /// Stores (input, argmax) of a seen decision in the reservoir (Vitter's algorithm R). Called before the
    /// history advances past obs.
    void remember_seen(const dvfs::observation& obs) {
        if (cfg_.replay_capacity == 0) return;
        ++seen_total_;
        example* slot = nullptr;
        if (reservoir_.size() < cfg_.replay_capacity) {
            reservoir_.push_back({{}, {}, std::vector<level_t>(start_.size())});
            slot = &reservoir_.back();
            if constexpr (replays_raw_features) slot->raw.resize(pending_raw_.size());
        } else {
            std::uniform_int_distribution<std::size_t> pick(0, seen_total_ - 1);
            const std::size_t j = pick(rng_);
            if (j >= cfg_.replay_capacity) return;
            slot = &reservoir_[j];
        }
        if constexpr (replays_raw_features) policy_.raw_features(obs, slot->raw);
        else slot->obs = obs;
        std::copy(start_.begin(), start_.end(), slot->label.begin());
    }

    void learn_step() {
        pending_ = false;
        if constexpr (SgdStepPolicy<P>) {
            if constexpr (replays_raw_features) policy_.sgd_step_raw(pending_raw_, std::span<const level_t>(label_), cfg_.learning_rate);
            else policy_.sgd_step(pending_obs_, std::span<const level_t>(label_), cfg_.learning_rate);
            ++sgd_steps_;
            if (!reservoir_.empty()) {
                std::uniform_int_distribution<std::size_t> pick(0, reservoir_.size() - 1);
                const example& e = reservoir_[pick(rng_)];
                if constexpr (replays_raw_features) policy_.sgd_step_raw(e.raw, std::span<const level_t>(e.label), cfg_.learning_rate);
                else policy_.sgd_step(e.obs, std::span<const level_t>(e.label), cfg_.learning_rate);
                ++sgd_steps_;
            }
        }
    }

    static constexpr const char* who_ctor = "l2s::online::uaol_policy";
    static constexpr const char* who_act = "l2s::online::uaol_policy::act";
    config cfg_;
    P policy_;
    Model model_;
    Account account_;
    Refiner refiner_;
    entropy_gate gate_;
    conformal_calibrator cal_;
    product_set_search search_;
    rng_type rng_;
    std::vector<double> probs_, entropy_;
    std::vector<level_t> sets_, start_, prev_action_, label_, tops_;
    std::vector<std::size_t> sizes_, order_;
    std::vector<example> reservoir_;
    dvfs::observation prev_obs_, pending_obs_;
    std::vector<double> pending_raw_;
    product_search_result last_search_{};
    std::size_t decisions_ = 0, unseen_ = 0, seen_total_ = 0, sgd_steps_ = 0, guarded_ = 0, widened_ = 0, refined_ = 0;
    double t_top_ = 0.0, t_argmax_ = 0.0;
    std::vector<double> dec_top_;  // per-island settled t̂_k(top) of the decision (guard, account)
    bool argmax_all_top_ = true, have_times_ = false;
    bool have_prev_ = false, pending_ = false, last_unseen_ = false, last_guarded_ = false, last_widened_ = false,
         last_refined_ = false;
};

}  // namespace l2s::online
