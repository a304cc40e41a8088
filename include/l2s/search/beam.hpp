// SPDX-License-Identifier: MIT
// l2s/search/beam.hpp: left-to-right beam search over intervals with all-max tails.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>

namespace l2s::search {

/// Tunables of beam.
struct beam_config {
    objective obj{};                  ///< what is minimised under which constraints
    std::size_t width = 16;           ///< prefixes kept per interval
    double full_expansion_limit = 0;  ///< expand into every row when ∏_k L_k ≤ this (exact at large width)
};

/// Beam search (DESIGN.md §f): decides intervals left to right, keeping the `width` best prefixes. A prefix
/// is scored as the full sequence with every later interval at all-max (so its constraint check is exact for
/// the prefix's own slowdown). Expansion of a prefix at interval t copies its row t − 1 (the all-max row for
/// t = 0) and then: repeats it, moves one island ±1, or moves all islands ±1 (2K + 3 rows); when
/// ∏_k L_k ≤ full_expansion_limit it tries every row instead, which makes the search exhaustive once the
/// width holds every prefix. Costs about width·T·(2K + 3) evaluations.
class beam {
public:
    using config = beam_config;
    explicit beam(const beam_config& c = {}) : cfg_(c) {
        c.obj.validate("l2s::search::beam");
        require_config(c.width >= 1, "l2s::search::beam", "width", ">= 1", static_cast<double>(c.width));
        require_config(c.full_expansion_limit >= 0, "l2s::search::beam", "full_expansion_limit", ">= 0",
                       c.full_expansion_limit);
    }
    [[nodiscard]] const beam_config& cfg() const noexcept { return cfg_; }

    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& /*rng*/,
                         Obs&... obs) const {
        if (start.size() != 0) check_sequence(ev, start, "l2s::search::beam::search");
        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "beam", obs...);
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        double rows = 1.0;
        for (std::size_t k = 0; k < K; ++k) rows *= static_cast<double>(ev.num_levels(k));
        const bool full = rows <= cfg_.full_expansion_limit;

        struct node {
            vf_sequence y;
            ranked r;
        };
        std::vector<node> frontier{{all_max(ev), ranked{}}};
        std::vector<node> next;
        std::vector<level_t> row(K);
        for (std::size_t t = 0; t < T && !ctx.done(); ++t) {
            next.clear();
            // Frontier prefixes are distinct, so duplicates can only come from one parent's expansions.
            std::vector<std::vector<level_t>> tried;
            for (const node& parent : frontier) {
                tried.clear();
                for (std::size_t k = 0; k < K; ++k) row[k] = t == 0 ? parent.y(t, k) : parent.y(t - 1, k);
                auto try_row = [&](const std::vector<level_t>& candidate) {
                    if (ctx.done()) return;
                    if (!full) {
                        for (const auto& r : tried)
                            if (std::equal(r.begin(), r.end(), candidate.begin())) return;
                        tried.push_back(candidate);
                    }
                    node child{parent.y, ranked{}};
                    for (std::size_t k = 0; k < K; ++k) child.y(t, k) = candidate[k];
                    child.r = ctx.score(child.y);
                    if (!ctx.done() || child.r.violation != ranked{}.violation) next.push_back(std::move(child));
                };
                if (full) {
                    std::vector<level_t> c(K, 0);
                    for (;;) {
                        try_row(c);
                        std::size_t k = 0;
                        while (k < K && c[k] + 1u >= ev.num_levels(k)) c[k++] = 0;
                        if (k == K) break;
                        ++c[k];
                    }
                } else {
                    try_row(row);
                    for (int d : {-1, 1}) {
                        for (std::size_t k = 0; k < K; ++k) {
                            const int l = int(row[k]) + d;
                            if (l < 0 || l >= int(ev.num_levels(k))) continue;
                            std::vector<level_t> c = row;
                            c[k] = static_cast<level_t>(l);
                            try_row(c);
                        }
                        std::vector<level_t> c = row;
                        bool any = false;
                        for (std::size_t k = 0; k < K; ++k) {
                            const int l = int(row[k]) + d;
                            if (l >= 0 && l < int(ev.num_levels(k))) {
                                c[k] = static_cast<level_t>(l);
                                any = true;
                            }
                        }
                        if (any && K > 1) try_row(c);
                    }
                }
            }
            if (next.empty()) break;
            std::stable_sort(next.begin(), next.end(),
                             [](const node& a, const node& b) { return a.r.better_than(b.r); });
            if (next.size() > cfg_.width) next.resize(cfg_.width);
            frontier.swap(next);
            ctx.iteration_done();
        }
        return ctx.result();
    }

private:
    beam_config cfg_;
};

}  // namespace l2s::search
