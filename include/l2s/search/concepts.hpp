// SPDX-License-Identifier: MIT
// l2s/search/concepts.hpp: objective, budget, ranking, results, progress and the SearchStrategy concept.
#pragma once
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::search {

/// What a search minimises.
enum class metric : std::uint8_t {
    edp,            ///< E · D
    ed2p,           ///< E · D²
    energy,         ///< E
    energy_thermal  ///< E · D · (1 + w · max(0, T_peak − T_ref) / (T_max − T_ref)), see objective
};

/// The constrained objective of L2S (DESIGN.md §f): minimise `kind` subject to
/// D(Y) ≤ (1 + max_slowdown) · D(Y_max) and T_peak(Y) ≤ t_max_c, where Y_max is the all-max sequence.
/// The joint energy–thermal form multiplies EDP by a penalty linear in the peak temperature above
/// `thermal_reference_c`, reaching (1 + thermal_weight) at T_max, so a cooler sequence wins when its EDP is
/// within that factor (the article optimises energy and temperature jointly; its exact form is not public).
struct objective {
    metric kind = metric::edp;
    double max_slowdown = 0.05;          ///< p: allowed time above the all-max time, as a fraction
    double t_max_c = 80.0;               ///< peak-temperature limit
    double thermal_weight = 0.5;         ///< w of energy_thermal
    double thermal_reference_c = 45.0;   ///< T_ref of energy_thermal (ambient)

    void validate(const char* who) const {
        require_config(max_slowdown >= 0 && std::isfinite(max_slowdown), who, "objective.max_slowdown", ">= 0",
                       max_slowdown);
        require_config(std::isfinite(t_max_c), who, "objective.t_max_c", "finite", t_max_c);
        require_config(thermal_weight >= 0, who, "objective.thermal_weight", ">= 0", thermal_weight);
        require_config(thermal_reference_c < t_max_c, who, "objective.thermal_reference_c", "< t_max_c",
                       thermal_reference_c);
    }

    /// The metric value of a score (no constraints).
    [[nodiscard]] double value(const dvfs::sequence_score& s) const noexcept {
        switch (kind) {
            case metric::edp: return s.edp();
            case metric::ed2p: return s.ed2p();
            case metric::energy: return s.energy_j;
            case metric::energy_thermal:
                return s.edp() * (1.0 + thermal_weight * std::max(0.0, s.peak_temp_c - thermal_reference_c) /
                                            (t_max_c - thermal_reference_c));
        }
        return s.edp();
    }
};

/// A score placed in the lexicographic order of L2S: feasible before infeasible; feasible ones by value;
/// infeasible ones by violation (then value).
struct ranked {
    double value = std::numeric_limits<double>::infinity();
    double violation = std::numeric_limits<double>::infinity();  ///< 0 when feasible
    [[nodiscard]] bool feasible() const noexcept { return violation == 0.0; }
    /// Strictly better in the lexicographic order.
    [[nodiscard]] bool better_than(const ranked& o) const noexcept {
        if (violation != o.violation) {
            if (violation == 0.0 || o.violation == 0.0) return violation == 0.0;
            return violation < o.violation;
        }
        return value < o.value;
    }
    /// One number with the same order, for learners: feasible values map to log(value), infeasible to
    /// a large offset plus the violation.
    [[nodiscard]] double key() const noexcept {
        if (feasible()) return std::log(std::max(value, std::numeric_limits<double>::min()));
        return 1.0e6 + violation;
    }
};

/// Ranks a score against the reference (all-max) time. Violation = relative excess time over the allowed
/// time + relative excess peak temperature over T_max.
[[nodiscard]] inline ranked rank(const objective& obj, const dvfs::sequence_score& s, double reference_time_s) noexcept {
    const double allowed_s = (1.0 + obj.max_slowdown) * reference_time_s;
    const double v_time = std::max(0.0, s.time_s / allowed_s - 1.0);
    const double v_temp = std::max(0.0, (s.peak_temp_c - obj.t_max_c) / std::max(std::abs(obj.t_max_c), 1.0));
    const double v = v_time + v_temp;
    return {obj.value(s), (v > 1e-12) ? v : 0.0};
}

/// Limits of one search run; 0 means unlimited for max_time_s.
struct search_budget {
    std::size_t max_evaluations = 20000;  ///< sequence evaluations (a reevaluate counts as one)
    double max_time_s = 0.0;              ///< wall-clock limit in seconds, 0 = none
};

/// Why a search ended.
enum class stop_reason : std::uint8_t { completed, evaluation_budget, time_budget, observer };

/// Outcome of a search.
struct search_result {
    vf_sequence best;                 ///< the best sequence found (lexicographic order)
    dvfs::sequence_score score;        ///< its score
    dvfs::sequence_score reference;    ///< score of the all-max sequence
    double value = 0.0;               ///< objective value of best
    double violation = 0.0;           ///< 0 when feasible
    bool feasible = false;            ///< best meets both constraints
    std::size_t evaluations = 0;      ///< evaluator calls (including the reference)
    double time_s = 0.0;              ///< wall time of the search
    stop_reason reason = stop_reason::completed;
    std::string infeasibility;        ///< empty when feasible; otherwise what is violated and by how much
};

/// What observers see after each evaluation and each iteration of a strategy.
struct search_progress {
    const char* strategy = "";
    std::size_t evaluations = 0;
    std::size_t iteration = 0;
    double elapsed_s = 0.0;
    double best_value = 0.0;
    double best_violation = 0.0;
    const vf_sequence* best = nullptr;  ///< current best sequence (valid during the call)
};

}  // namespace l2s::search

namespace l2s {

/// A search strategy over decision sequences for evaluator Ev: search(ev, start, budget, rng, observers...)
/// → search::search_result. `start` is a T × K sequence or empty (the strategy picks its own start).
/// Observers may have on_evaluation(const search_progress&) and on_iteration(const search_progress&);
/// returning control::stop ends the search.  @see docs/l2s.md#concept-searchstrategy
template <class S, class Ev>
concept SearchStrategy =
    Evaluator<Ev> && requires(const S& s, Ev& ev, const vf_sequence& start, const search::search_budget& b,
                              rng_type& rng) {
        { s.search(ev, start, b, rng) } -> std::same_as<search::search_result>;
    };

/// Something that gives, for each (interval t, island k), probabilities over island k's levels:
/// g(t, k, out) writes out[l] = p(level l at (t, k)) for l < out.size() (= L_k). search::lds uses it.
/// @see docs/l2s.md#concept-levelgenerator
template <class G>
concept LevelGenerator = requires(G& g, std::size_t t, std::size_t k, std::span<double> out) { g(t, k, out); };

}  // namespace l2s
