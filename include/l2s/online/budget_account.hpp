// SPDX-License-Identifier: MIT
// l2s/online/budget_account.hpp: how uaol_policy enforces the slowdown budget: a running slack account over
// the episode (default) or a check of every decision on its own.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/concepts.hpp>

namespace l2s::online {

/// Tunables of slack_account.
struct slack_account_config {
    double horizon = 8.0;  ///< H in intervals: a decision may spend S/H of the banked slack S, > 0
};

/// The cumulative slack account (docs/uaol.md#slack-account), uaol_policy's default. Every interval books
/// S += (1 + p)·reference − measured, the reference being the time the interval would have taken with every
/// island at its top level, settled (no switch); a decision may then exceed (1 + p)·t̂(all top) by S/H.
/// Unspent slack is banked and lent to later decisions, an overdraft is paid back by the following ones, so
/// the budget holds over the run rather than per interval.
///
/// Reference of an interval, per island k that retired instructions: its measured busy time if it ran at its
/// top level, else busy·t̂_k(top)/t̂_k(level) with the runtime models' settled estimates taken at the decision
/// (a bias common to both cancels); reference = max_k, or the measured time when no island worked.
class slack_account {
public:
    using config = slack_account_config;

    slack_account() = default;
    /// Throws invalid_config when horizon ≤ 0.
    explicit slack_account(config cfg) : cfg_(cfg) {
        require_config(cfg_.horizon > 0.0, "l2s::online::slack_account", "horizon", "> 0", cfg_.horizon);
    }
    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }

    /// Sizes the per-island estimates for K islands.
    void resize(std::size_t islands) {
        top_s_.assign(islands, 0.0);
        level_s_.assign(islands, 0.0);
        slack_s_ = 0.0;
    }
    /// A new episode opens a new account.
    void open() noexcept { slack_s_ = 0.0; }
    /// The time a decision may add beyond (1 + p)·t̂(all top): S/H.
    [[nodiscard]] double allowance_s() const noexcept { return slack_s_ / cfg_.horizon; }
    /// The banked slack S in seconds.
    [[nodiscard]] double slack_s() const noexcept { return slack_s_; }
    /// Records island k's settled estimates at the decision: t̂_k(top) and t̂_k(chosen level).
    void book(std::size_t k, double top_s, double level_s) noexcept {
        top_s_[k] = top_s;
        level_s_[k] = level_s;
    }
    /// Settles the interval that ran `levels` (tops: each island's top level) with slowdown budget p and
    /// measured wall time `measured_s`, from the observation measured at its end.
    void settle(const dvfs::observation& after, std::span<const level_t> levels, std::span<const level_t> tops,
                double slowdown, double measured_s) noexcept {
        if (!std::isfinite(measured_s) || measured_s <= 0.0 || after.num_islands() != top_s_.size()) return;
        double ref = 0.0;
        for (std::size_t k = 0; k < top_s_.size(); ++k) {
            const double busy = after.busy_time_s[k];
            if (!(busy > 0.0) || !std::isfinite(busy)) continue;
            double ref_k = busy;
            if (levels[k] != tops[k] && top_s_[k] > 0.0 && level_s_[k] > 0.0 && std::isfinite(top_s_[k] / level_s_[k]))
                ref_k = busy * top_s_[k] / level_s_[k];
            ref = std::max(ref, ref_k);
        }
        if (ref <= 0.0) ref = measured_s;
        slack_s_ += (1.0 + slowdown) * ref - measured_s;
    }

private:
    config cfg_;
    std::vector<double> top_s_, level_s_;
    double slack_s_ = 0.0;
};
static_assert(BudgetAccount<slack_account>);

/// No account: every decision must meet t̂ ≤ (1 + p)·t̂(all top) by the models on its own (allowance 0).
/// Stricter per interval; it leaves the slack that decisions under the limit do not use unspent
/// (docs/uaol.md#slack-account).
struct per_interval_budget {
    void resize(std::size_t) noexcept {}
    void open() noexcept {}
    [[nodiscard]] double allowance_s() const noexcept { return 0.0; }
    [[nodiscard]] double slack_s() const noexcept { return 0.0; }
    void book(std::size_t, double, double) noexcept {}
    void settle(const dvfs::observation&, std::span<const level_t>, std::span<const level_t>, double, double) noexcept {}
    /// It needs no estimates of the decision: uaol_policy skips computing them.
    static constexpr bool books_decisions = false;
};
static_assert(BudgetAccount<per_interval_budget>);

}  // namespace l2s::online
