// SPDX-License-Identifier: MIT
// l2s/search/static_level.hpp: the per-application best static level, an exhaustive search over fixed
// per-island levels under any Evaluator.  @see docs/governors.md#best_static_level
#pragma once
#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/detail/xtensor_compat.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::search {

/// Configuration of best_static_level.
struct best_static_level_config {
    /// Enumerate every per-island combination of levels when there are at most this many; otherwise (and
    /// always when 0) only uniform assignments (the same level index on every island, capped per island).
    std::size_t max_combinations = 4096;
};

/// Result of best_static_level.
struct best_static_level_result {
    std::vector<level_t> levels;  ///< the best level per island, held for the whole run
    dvfs::sequence_score score;   ///< its score
    double objective = 0.0;       ///< objective(score)
    std::size_t evaluations = 0;  ///< sequences evaluated
};

/// The per-application best static level: the fixed level per island (held for all T intervals) that
/// minimises objective(score) (default: EDP) under evaluator ev — the reference point "the best a
/// non-adaptive setting can do" for governors and learned policies. Exhaustive over per-island
/// combinations up to cfg.max_combinations, otherwise over uniform assignments. Ties keep the first
/// (lowest) assignment.  @see docs/governors.md#best_static_level
template <Evaluator Ev, class Objective>
[[nodiscard]] best_static_level_result best_static_level(Ev& ev, Objective objective, const best_static_level_config& cfg = {}) {
    const std::size_t K = ev.num_islands(), T = ev.num_intervals();
    if (K == 0 || T == 0) throw invalid_argument("l2s::search::best_static_level: evaluator has no islands or no intervals");
    std::size_t lmax = 0, combos = 1;
    bool overflow = false;
    for (std::size_t k = 0; k < K; ++k) {
        const std::size_t L = ev.num_levels(k);
        if (L == 0) throw invalid_argument("l2s::search::best_static_level: island " + std::to_string(k) + " has no levels");
        lmax = std::max(lmax, L);
        if (combos > cfg.max_combinations / L + 1) overflow = true;
        else combos *= L;
    }
    const bool exhaustive = cfg.max_combinations > 0 && !overflow && combos <= cfg.max_combinations;
    vf_sequence y = xt::zeros<level_t>({T, K});
    std::vector<level_t> cur(K, 0);
    best_static_level_result best;
    best.objective = std::numeric_limits<double>::infinity();
    auto try_levels = [&] {
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) y(t, k) = cur[k];
        const dvfs::sequence_score s = ev.evaluate(y);
        const double v = static_cast<double>(objective(s));
        ++best.evaluations;
        if (v < best.objective) {
            best.objective = v;
            best.score = s;
            best.levels = cur;
        }
    };
    if (exhaustive) {
        for (std::size_t i = 0; i < combos; ++i) {
            std::size_t r = i;
            for (std::size_t k = 0; k < K; ++k) {
                cur[k] = static_cast<level_t>(r % ev.num_levels(k));
                r /= ev.num_levels(k);
            }
            try_levels();
        }
    } else {
        for (std::size_t l = 0; l < lmax; ++l) {
            for (std::size_t k = 0; k < K; ++k) cur[k] = static_cast<level_t>(std::min(l, ev.num_levels(k) - 1));
            try_levels();
        }
    }
    return best;
}

/// best_static_level minimising EDP.
template <Evaluator Ev>
[[nodiscard]] best_static_level_result best_static_level(Ev& ev, const best_static_level_config& cfg = {}) {
    return best_static_level(ev, [](const dvfs::sequence_score& s) { return s.edp(); }, cfg);
}


}  // namespace l2s::search
