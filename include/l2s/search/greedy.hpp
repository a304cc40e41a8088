// SPDX-License-Identifier: MIT
// l2s/search/greedy.hpp: per-interval greedy with slack accounting and coordinate descent over islands.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>

namespace l2s::search {

/// Tunables of greedy.
struct greedy_config {
    objective obj{};          ///< what is minimised under which constraints
    std::size_t sweeps = 2;   ///< coordinate-descent sweeps over the islands per interval
};

namespace detail {

/// Per-interval times of the all-max reference: from `ev.interval_times_s()` right after the reference
/// evaluation when the evaluator offers it, else the reference time split evenly.
template <class Ev>
std::vector<double> reference_interval_times(Ev& ev, double reference_time_s) {
    const std::size_t T = ev.num_intervals();
    if constexpr (requires { { ev.interval_times_s() } -> std::convertible_to<const std::vector<double>&>; }) {
        const std::vector<double>& v = ev.interval_times_s();
        if (v.size() == T) return v;
    }
    return std::vector<double>(T, reference_time_s / static_cast<double>(T));
}

/// The greedy construction inside an existing context (so `local` can start from it in the same budget).
/// Must be called right after the context was built (the evaluator then holds the all-max run).
template <class Ctx>
vf_sequence greedy_construct(Ctx& ctx, std::size_t sweeps) {
    auto& ev = ctx.evaluator();
    const std::size_t T = ev.num_intervals(), K = ev.num_islands();
    const objective& obj = ctx.obj();
    const std::vector<double> ref_dt = reference_interval_times(ev, ctx.reference_time_s());
    vf_sequence y = all_max(ev);
    double cum_ref_s = 0.0;
    for (std::size_t t = 0; t < T && !ctx.done(); ++t) {
        cum_ref_s += ref_dt[t];
        // Slack accounting: the prefix up to t may use p × (all-max time of intervals 0..t) extra time.
        const double allowed_s = ctx.reference_time_s() + obj.max_slowdown * cum_ref_s;
        auto local_rank = [&](const dvfs::sequence_score& s) {
            const double v = std::max(0.0, s.time_s / allowed_s - 1.0) +
                             std::max(0.0, (s.peak_temp_c - obj.t_max_c) / std::max(std::abs(obj.t_max_c), 1.0));
            return ranked{obj.value(s), v > 1e-12 ? v : 0.0};
        };
        for (std::size_t sweep = 0; sweep < sweeps && !ctx.done(); ++sweep) {
            bool changed = false;
            for (std::size_t k = 0; k < K && !ctx.done(); ++k) {
                const level_t keep = y(t, k);
                ctx.score(y);
                ranked best = local_rank(ctx.last_score());
                level_t best_l = keep;
                for (std::size_t l = 0; l < ev.num_levels(k) && !ctx.done(); ++l) {
                    if (l == keep) continue;
                    y(t, k) = static_cast<level_t>(l);
                    ctx.score(y);
                    if (ctx.done()) break;
                    const ranked r = local_rank(ctx.last_score());
                    if (r.better_than(best)) {
                        best = r;
                        best_l = static_cast<level_t>(l);
                    }
                }
                y(t, k) = best_l;
                changed = changed || best_l != keep;
            }
            if (!changed) break;
        }
        ctx.iteration_done();
    }
    ctx.score(y);
    return y;
}

}  // namespace detail

/// Per-interval greedy (DESIGN.md §f): intervals are decided left to right with every later interval at
/// all-max. Interval t may spend p × (its all-max time) of extra time, and unspent slack carries forward
/// (the prefix 0..t must finish within D(Y_max) + p·Σ_{s≤t} D_s(Y_max)). Within an interval, coordinate
/// descent sets each island to its best level given the others, for `sweeps` sweeps. Costs about
/// T·K·L·sweeps evaluations, each a reevaluate from interval t. `start` is ignored apart from its shape.
class greedy {
public:
    using config = greedy_config;
    explicit greedy(const greedy_config& c = {}) : cfg_(c) {
        c.obj.validate("l2s::search::greedy");
        require_config(c.sweeps >= 1, "l2s::search::greedy", "sweeps", ">= 1", static_cast<double>(c.sweeps));
    }
    [[nodiscard]] const greedy_config& cfg() const noexcept { return cfg_; }

    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& /*rng*/,
                         Obs&... obs) const {
        if (start.size() != 0) check_sequence(ev, start, "l2s::search::greedy::search");
        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "greedy", obs...);
        detail::greedy_construct(ctx, cfg_.sweeps);
        return ctx.result();
    }

private:
    greedy_config cfg_;
};

}  // namespace l2s::search
