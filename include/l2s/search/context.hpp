// SPDX-License-Identifier: MIT
// l2s/search/context.hpp: the bookkeeping every strategy shares (budget, incremental evaluation, best, observers).
#pragma once
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <tuple>

#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/search/concepts.hpp>

namespace l2s::search {

/// Scores y with `ev.reevaluate(y, t0)` when the evaluator has it (y must equal the previously evaluated
/// sequence before t0), else with `ev.evaluate(y)`.
template <Evaluator Ev>
dvfs::sequence_score evaluate_from(Ev& ev, const vf_sequence& y, std::size_t t0) {
    if constexpr (requires { { ev.reevaluate(y, t0) } -> std::convertible_to<dvfs::sequence_score>; })
        return ev.reevaluate(y, t0);
    else
        return ev.evaluate(y);
}

/// The all-max sequence (every island at its top level) of an evaluator's shape.
template <Evaluator Ev>
[[nodiscard]] vf_sequence all_max(const Ev& ev) {
    const std::size_t T = ev.num_intervals(), K = ev.num_islands();
    vf_sequence y = vf_sequence::from_shape({T, K});
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k) y(t, k) = static_cast<level_t>(ev.num_levels(k) - 1);
    return y;
}

/// Throws unless y is a T × K sequence of valid levels for ev.
template <Evaluator Ev>
void check_sequence(const Ev& ev, const vf_sequence& y, const std::string& who) {
    const std::size_t T = ev.num_intervals(), K = ev.num_islands();
    if (y.shape()[0] != T || y.shape()[1] != K)
        throw dimension_mismatch(who + ": start has shape " + std::to_string(y.shape()[0]) + " x " +
                                 std::to_string(y.shape()[1]) + ", expected " + std::to_string(T) + " x " +
                                 std::to_string(K));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k)
            if (y(t, k) >= ev.num_levels(k))
                throw invalid_argument(who + ": start level " + std::to_string(y(t, k)) + " at (" +
                                       std::to_string(t) + ", " + std::to_string(k) + ") is out of range");
}

/// Shared state of one search run. It evaluates the all-max reference first, keeps the last evaluated
/// sequence so that every later evaluation is a `reevaluate` from the first interval that differs, enforces
/// the evaluation and time budgets, tracks the lexicographically best sequence and notifies observers.
/// Once `done()` is true, `score` evaluates nothing more and returns the worst rank.
template <Evaluator Ev, class... Obs>
class search_context {
public:
    search_context(Ev& ev, const objective& obj, const search_budget& budget, const char* strategy, Obs&... obs)
        : ev_(ev), obj_(obj), budget_(budget), strategy_(strategy), obs_(obs...),
          start_(std::chrono::steady_clock::now()) {
        if (budget.max_evaluations < 1)
            throw invalid_config(std::string("l2s::search::") + strategy + ": budget.max_evaluations must be >= 1");
        if (!(budget.max_time_s >= 0.0))
            throw invalid_config(std::string("l2s::search::") + strategy + ": budget.max_time_s must be >= 0");
        last_ = all_max(ev);
        reference_ = ev_.evaluate(last_);
        ++evaluations_;
        if (!(reference_.time_s > 0.0))
            throw numerical_error(std::string("l2s::search::") + strategy + ": all-max reference time is not positive");
        last_rank_ = rank(obj_, reference_, reference_.time_s);
        last_score_ = reference_;
        best_ = last_;
        best_rank_ = last_rank_;
        best_score_ = reference_;
    }

    [[nodiscard]] Ev& evaluator() noexcept { return ev_; }
    [[nodiscard]] const objective& obj() const noexcept { return obj_; }
    [[nodiscard]] double reference_time_s() const noexcept { return reference_.time_s; }
    [[nodiscard]] std::size_t evaluations() const noexcept { return evaluations_; }
    [[nodiscard]] const ranked& best_rank() const noexcept { return best_rank_; }
    [[nodiscard]] const vf_sequence& best() const noexcept { return best_; }
    [[nodiscard]] double elapsed_s() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

    /// True once a budget is spent or an observer asked to stop.
    [[nodiscard]] bool done() {
        if (reason_ != stop_reason::completed) return true;
        if (evaluations_ >= budget_.max_evaluations) reason_ = stop_reason::evaluation_budget;
        else if (budget_.max_time_s > 0.0 && elapsed_s() >= budget_.max_time_s) reason_ = stop_reason::time_budget;
        return reason_ != stop_reason::completed;
    }

    /// Ranks y, evaluating it from the first interval where it differs from the last evaluated sequence
    /// (nothing is evaluated when it equals that sequence).
    ranked score(const vf_sequence& y) {
        const std::size_t T = ev_.num_intervals(), K = ev_.num_islands();
        // Row-major storage: the first differing entry gives the first changed interval.
        const auto diff = std::mismatch(y.data(), y.data() + T * K, last_.data()).first;
        const std::size_t t0 = static_cast<std::size_t>(diff - y.data()) / K;
        if (t0 == T) return last_rank_;
        if (done()) return ranked{};
        last_score_ = evaluate_from(ev_, y, t0);
        ++evaluations_;
        // Copy the changed rows into last_.
        for (std::size_t t = t0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) last_(t, k) = y(t, k);
        last_rank_ = rank(obj_, last_score_, reference_.time_s);
        if (last_rank_.better_than(best_rank_)) {
            best_rank_ = last_rank_;
            best_score_ = last_score_;
            best_ = y;
        }
        if constexpr (sizeof...(Obs) > 0) {
            const search_progress p = progress();
            if (std::apply([&](auto&... o) {
                    return notify_each([&](auto& ob) {
                        if constexpr (requires { ob.on_evaluation(p); }) return ob.on_evaluation(p);
                    }, o...);
                }, obs_) == control::stop)
                reason_ = stop_reason::observer;
        }
        return last_rank_;
    }

    /// Score of the last evaluated sequence.
    [[nodiscard]] const dvfs::sequence_score& last_score() const noexcept { return last_score_; }

    /// Ends one iteration of the strategy (a pass, a beam step, a round): notifies on_iteration.
    void iteration_done() {
        ++iteration_;
        if constexpr (sizeof...(Obs) > 0) {
            const search_progress p = progress();
            if (std::apply([&](auto&... o) {
                    return notify_each([&](auto& ob) {
                        if constexpr (requires { ob.on_iteration(p); }) return ob.on_iteration(p);
                    }, o...);
                }, obs_) == control::stop)
                reason_ = stop_reason::observer;
        }
    }

    /// The result of the run so far, with a readable infeasibility report.
    [[nodiscard]] search_result result() const {
        search_result r;
        r.best = best_;
        r.score = best_score_;
        r.reference = reference_;
        r.value = best_rank_.value;
        r.violation = best_rank_.violation;
        r.feasible = best_rank_.feasible();
        r.evaluations = evaluations_;
        r.time_s = elapsed_s();
        r.reason = reason_;
        if (!r.feasible) {
            const double allowed_s = (1.0 + obj_.max_slowdown) * reference_.time_s;
            char buf[320];
            std::snprintf(buf, sizeof buf,
                          "l2s::search::%s: no feasible sequence found; best has time %.6g s (allowed %.6g s = "
                          "(1 + %.3g) x all-max %.6g s) and peak temperature %.4g C (limit %.4g C)%s",
                          strategy_, best_score_.time_s, allowed_s, obj_.max_slowdown, reference_.time_s,
                          best_score_.peak_temp_c, obj_.t_max_c,
                          reference_.peak_temp_c > obj_.t_max_c ? "; the all-max sequence itself breaks T_max" : "");
            r.infeasibility = buf;
        }
        return r;
    }

private:
    [[nodiscard]] search_progress progress() const {
        return {strategy_, evaluations_, iteration_, elapsed_s(), best_rank_.value, best_rank_.violation, &best_};
    }

    Ev& ev_;
    objective obj_;
    search_budget budget_;
    const char* strategy_;
    std::tuple<Obs&...> obs_;
    std::chrono::steady_clock::time_point start_;
    vf_sequence last_, best_;
    dvfs::sequence_score reference_, last_score_, best_score_;
    ranked last_rank_, best_rank_;
    std::size_t evaluations_ = 0, iteration_ = 0;
    stop_reason reason_ = stop_reason::completed;
};

}  // namespace l2s::search
