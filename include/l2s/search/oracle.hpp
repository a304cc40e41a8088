// SPDX-License-Identifier: MIT
// l2s/search/oracle.hpp: the default oracle of L2S: greedy construction, then local search from it.
#pragma once
#include <cstddef>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>

namespace l2s::search {

/// Tunables of oracle.
struct oracle_config {
    objective obj{};                  ///< what is minimised under which constraints
    std::size_t greedy_sweeps = 1;    ///< coordinate-descent sweeps of the greedy construction, ≥ 1
    std::size_t local_restarts = 10;  ///< perturbation restarts of the local search
};

/// The oracle that builds L2S's imitation targets (docs/l2s.md#oracle): `greedy` with half the evaluation
/// budget, then `local` from its sequence with what is left (greedy's unused budget included; skipped when
/// fewer than 10 evaluations or no time remain). Local search starts from the greedy sequence, so the result is never
/// worse than greedy's. A SearchStrategy; `start` is passed to greedy (empty: greedy's own start).
class oracle {
public:
    using config = oracle_config;
    explicit oracle(config cfg = {}) : cfg_(cfg) {
        cfg_.obj.validate("l2s::search::oracle");
        require_config(cfg_.greedy_sweeps >= 1, "l2s::search::oracle", "greedy_sweeps", ">= 1",
                       static_cast<double>(cfg_.greedy_sweeps));
    }
    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }

    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& rng,
                         Obs&... obs) const {
        const greedy g({.obj = cfg_.obj, .sweeps = cfg_.greedy_sweeps});
        search_budget first = budget;
        first.max_evaluations = budget.max_evaluations / 2;
        auto r = g.search(ev, start, first, rng, obs...);
        const std::size_t left = budget.max_evaluations > r.evaluations ? budget.max_evaluations - r.evaluations : 0;
        const double time_left_s = budget.max_time_s > 0.0 ? budget.max_time_s - r.time_s : 0.0;
        if (left < 10 || (budget.max_time_s > 0.0 && time_left_s <= 0.0)) return r;
        local_config lc;
        lc.obj = cfg_.obj;
        lc.max_restarts = cfg_.local_restarts;
        const local l(lc);
        search_budget second = budget;
        second.max_evaluations = left;
        second.max_time_s = time_left_s;
        auto r2 = l.search(ev, r.best, second, rng, obs...);
        r2.evaluations += r.evaluations;
        r2.time_s += r.time_s;
        return rank(cfg_.obj, r.score, r.reference.time_s).better_than(rank(cfg_.obj, r2.score, r2.reference.time_s)) ? r : r2;
    }

private:
    config cfg_;
};

}  // namespace l2s::search
