// SPDX-License-Identifier: MIT
// l2s/search/model_evaluator.hpp: an Evaluator that scores decision sequences with learned power,
// performance and thermal models instead of the simulator, and the agreement of its ranking with another
// evaluator's.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::search {

/// Per-island linear thermal model T⁺ = a·T + b·P + c over one interval (temperatures in °C, P in W),
/// fitted by least squares from measured intervals. It is the learned stand-in for the RC network.
struct linear_thermal_model {
    std::vector<double> a, b, c;  ///< one coefficient per island

    [[nodiscard]] std::size_t num_islands() const noexcept { return a.size(); }
    [[nodiscard]] double next(std::size_t k, double temp_c, double power_w) const noexcept {
        return a[k] * temp_c + b[k] * power_w + c[k];
    }
};

/// One measured interval for fitting: the observation describing its work (see model_evaluator), the
/// temperature at its start, the action taken and the observation measured at its end.
struct model_sample {
    const dvfs::observation* work = nullptr;
    const dvfs::observation* before = nullptr;  ///< its temp_c is the start temperature
    const dvfs::action* action = nullptr;
    const dvfs::observation* after = nullptr;
};

/// Tunables of model_evaluator.  @see docs/l2s.md#model_evaluator
struct model_evaluator_config {
    /// Stall of an island when its level changes, per island (empty: no transition cost).
    std::vector<double> transition_latency_s{};
    /// Power of an island that waits at the barrier, as a fraction of its predicted busy power, in [0, 1].
    double wait_power_fraction = 0.35;
    /// Island temperatures at the start of the sequence (empty: the first work observation's temp_c).
    std::vector<double> initial_temp_c{};
    double ridge = 1e-9;  ///< ridge added to the thermal least-squares normal equations, ≥ 0
};

/// Fits the per-island linear thermal model from measured intervals. Throws invalid_argument with fewer
/// than 3 samples or non-finite temperatures/powers.
[[nodiscard]] inline linear_thermal_model fit_linear_thermal(std::span<const model_sample> samples, std::size_t islands,
                                                             double ridge = 1e-9) {
    constexpr const char* who = "l2s::search::fit_linear_thermal";
    if (samples.size() < 3) throw invalid_argument(std::string(who) + ": need at least 3 samples");
    linear_thermal_model m;
    m.a.resize(islands);
    m.b.resize(islands);
    m.c.resize(islands);
    for (std::size_t k = 0; k < islands; ++k) {
        Eigen::Matrix3d A = Eigen::Matrix3d::Identity() * ridge;
        Eigen::Vector3d r = Eigen::Vector3d::Zero();
        for (const auto& s : samples) {
            require_size(who, "observation", static_cast<Eigen::Index>(s.after->temp_c.size()),
                         static_cast<Eigen::Index>(islands));
            const Eigen::Vector3d x(s.before->temp_c[k], s.after->power_w[k], 1.0);
            require_finite(who, "temperature or power", x);
            require_finite(who, "temperature", s.after->temp_c[k]);
            A.noalias() += x * x.transpose();
            r += x * s.after->temp_c[k];
        }
        const Eigen::Vector3d w = A.ldlt().solve(r);
        m.a[k] = w[0];
        m.b[k] = w[1];
        m.c[k] = w[2];
    }
    return m;
}

/// Trains a model that learns from (before, action, after) — e.g. online::island_models — on measured
/// intervals: the observation it learns from has the work features of `work` and the start temperatures of
/// `before`, as model_evaluator will ask it. Returns the number of samples used.
template <class M>
std::size_t train_models(M& model, std::span<const model_sample> samples) {
    dvfs::observation x;
    for (const auto& s : samples) {
        x = *s.work;
        x.temp_c = s.before->temp_c;
        model.update(x, *s.action, *s.after);
    }
    return samples.size();
}

/// Scores T × K decision sequences with a PowerPerformanceModel M and a linear thermal model, without the
/// simulator (the article's "policy evaluation via power and performance models"). Intervals are fixed-work
/// epochs, so interval t always runs the same code: `work[t]` is an observation measured while running
/// interval t (e.g. from one profiling run at any levels) and supplies its work features (instructions,
/// memory intensity, active cores). Per interval: each island's time and power at its level come from M
/// (with the predicted start temperature for leakage), plus the transition stall when its level changes;
/// the interval ends at the barrier (slowest island); waiting islands draw wait_power_fraction of their
/// power; temperatures advance with the thermal model.  Satisfies Evaluator.
template <class M>
    requires PowerPerformanceModel<M>
class model_evaluator {
public:
    using config = model_evaluator_config;

    model_evaluator(std::vector<dvfs::observation> work, M model, std::vector<std::size_t> levels_per_island,
                    linear_thermal_model thermal, config cfg = {})
        : work_(std::move(work)), model_(std::move(model)), levels_(std::move(levels_per_island)),
          thermal_(std::move(thermal)), cfg_(std::move(cfg)) {
        const std::size_t K = levels_.size();
        if (work_.empty()) throw invalid_config(std::string(who) + ": work must hold at least one interval");
        if (K == 0) throw invalid_config(std::string(who) + ": levels_per_island must not be empty");
        for (std::size_t k = 0; k < K; ++k)
            if (levels_[k] == 0 || levels_[k] > 256)
                throw invalid_config(std::string(who) + ": island " + std::to_string(k) + " must have 1 to 256 levels");
        for (const auto& o : work_)
            if (o.num_islands() != K || o.temp_c.size() != K)
                throw dimension_mismatch(std::string(who) + ": every work observation must have " + std::to_string(K) +
                                         " islands");
        if (thermal_.num_islands() != K || thermal_.b.size() != K || thermal_.c.size() != K)
            throw dimension_mismatch(std::string(who) + ": thermal model must have " + std::to_string(K) + " islands");
        if (cfg_.transition_latency_s.empty()) cfg_.transition_latency_s.assign(K, 0.0);
        if (cfg_.initial_temp_c.empty()) cfg_.initial_temp_c = work_.front().temp_c;
        require_size(who, "transition_latency_s", static_cast<Eigen::Index>(cfg_.transition_latency_s.size()),
                     static_cast<Eigen::Index>(K));
        require_size(who, "initial_temp_c", static_cast<Eigen::Index>(cfg_.initial_temp_c.size()),
                     static_cast<Eigen::Index>(K));
        require_config(cfg_.wait_power_fraction >= 0.0 && cfg_.wait_power_fraction <= 1.0, who, "wait_power_fraction",
                       "in [0, 1]", cfg_.wait_power_fraction);
        for (double v : cfg_.transition_latency_s)
            require_config(v >= 0.0 && std::isfinite(v), who, "transition_latency_s", "finite and >= 0", v);
        scratch_ = work_.front();
        temp_.resize(K);
        power_.resize(K);
        time_.resize(K);
    }

    [[nodiscard]] std::size_t num_intervals() const noexcept { return work_.size(); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return levels_[k]; }
    [[nodiscard]] const M& model() const noexcept { return model_; }
    [[nodiscard]] const linear_thermal_model& thermal() const noexcept { return thermal_; }

    /// Predicted metrics of y (T × K levels). Throws dimension_mismatch or invalid_argument on a wrongly
    /// shaped sequence or an out-of-range level, before predicting anything.
    [[nodiscard]] dvfs::sequence_score evaluate(const vf_sequence& y) {
        const std::size_t T = num_intervals(), K = num_islands();
        if (y.dimension() != 2 || y.shape()[0] != T || y.shape()[1] != K)
            throw dimension_mismatch(std::string(who) + "::evaluate: sequence must be " + std::to_string(T) + " x " +
                                     std::to_string(K));
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k)
                if (y(t, k) >= levels_[k])
                    throw invalid_argument(std::string(who) + "::evaluate: level " + std::to_string(y(t, k)) +
                                           " at (" + std::to_string(t) + ", " + std::to_string(k) + ") is out of range");
        dvfs::sequence_score s;
        std::copy(cfg_.initial_temp_c.begin(), cfg_.initial_temp_c.end(), temp_.begin());
        s.peak_temp_c = *std::max_element(temp_.begin(), temp_.end());
        for (std::size_t t = 0; t < T; ++t) {
            copy_work(work_[t]);
            double span = 0.0;
            for (std::size_t k = 0; k < K; ++k) {
                const level_t l = y(t, k);
                const dvfs::power_time pt = model_.estimate(scratch_, k, l);
                const bool change = t > 0 && y(t - 1, k) != l;
                s.transitions += change ? 1 : 0;
                time_[k] = std::max(0.0, pt.time_s) + (change ? cfg_.transition_latency_s[k] : 0.0);
                power_[k] = std::max(0.0, pt.power_w);
                span = std::max(span, time_[k]);
            }
            double energy = 0.0;
            for (std::size_t k = 0; k < K; ++k) {
                const double e = power_[k] * (time_[k] + cfg_.wait_power_fraction * (span - time_[k]));
                energy += e;
                temp_[k] = thermal_.next(k, temp_[k], span > 0.0 ? e / span : power_[k]);
                s.peak_temp_c = std::max(s.peak_temp_c, temp_[k]);
            }
            s.energy_j += energy;
            s.time_s += span;
        }
        return s;
    }

private:
    static constexpr const char* who = "l2s::search::model_evaluator";

    /// The work features of interval t with the predicted temperatures (no allocation: sizes match).
    void copy_work(const dvfs::observation& w) {
        scratch_.ipc = w.ipc;
        scratch_.mem_per_instr = w.mem_per_instr;
        scratch_.mem_per_s = w.mem_per_s;
        scratch_.utilisation = w.utilisation;
        scratch_.busy_time_s = w.busy_time_s;
        scratch_.freq_hz = w.freq_hz;
        scratch_.active_cores = w.active_cores;
        scratch_.level = w.level;
        scratch_.power_w = w.power_w;
        std::copy(temp_.begin(), temp_.end(), scratch_.temp_c.begin());
    }

    std::vector<dvfs::observation> work_;
    M model_;
    std::vector<std::size_t> levels_;
    linear_thermal_model thermal_;
    config cfg_;
    dvfs::observation scratch_;
    std::vector<double> temp_, power_, time_;
};

/// How well evaluator A's ranking of candidate sequences agrees with evaluator B's under an objective that
/// maps a sequence_score to a number to minimise (e.g. EDP).
struct ranking_agreement {
    double kendall_tau = 0.0;      ///< (concordant − discordant) / pairs, in [−1, 1]
    double pairwise = 0.0;         ///< fraction of pairs ordered the same way
    bool same_best = false;        ///< both pick the same candidate
    std::size_t best_a = 0;        ///< index of A's choice
    std::size_t best_b = 0;        ///< index of B's choice
    double regret_of_a_under_b = 0.0;  ///< objective_B(A's choice) / objective_B(B's choice) − 1
};

/// Scores every candidate with both evaluators and compares the rankings. Throws invalid_argument with
/// fewer than 2 candidates.
template <Evaluator EvA, Evaluator EvB, class Objective>
[[nodiscard]] ranking_agreement compare_rankings(EvA& a, EvB& b, std::span<const vf_sequence> candidates,
                                                 Objective objective) {
    if (candidates.size() < 2)
        throw invalid_argument("l2s::search::compare_rankings: need at least 2 candidates");
    std::vector<double> fa, fb;
    fa.reserve(candidates.size());
    fb.reserve(candidates.size());
    for (const auto& y : candidates) {
        fa.push_back(objective(a.evaluate(y)));
        fb.push_back(objective(b.evaluate(y)));
    }
    ranking_agreement r;
    long long conc = 0, disc = 0, pairs = 0;
    for (std::size_t i = 0; i < fa.size(); ++i)
        for (std::size_t j = i + 1; j < fa.size(); ++j) {
            const double da = fa[i] - fa[j], db = fb[i] - fb[j];
            ++pairs;
            if (da * db > 0) ++conc;
            else if (da * db < 0) ++disc;
        }
    r.kendall_tau = static_cast<double>(conc - disc) / static_cast<double>(pairs);
    r.pairwise = static_cast<double>(conc) / static_cast<double>(pairs);
    r.best_a = static_cast<std::size_t>(std::min_element(fa.begin(), fa.end()) - fa.begin());
    r.best_b = static_cast<std::size_t>(std::min_element(fb.begin(), fb.end()) - fb.begin());
    r.same_best = r.best_a == r.best_b;
    r.regret_of_a_under_b = fb[r.best_a] / fb[r.best_b] - 1.0;
    return r;
}

}  // namespace l2s::search
