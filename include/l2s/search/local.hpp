// SPDX-License-Identifier: MIT
// l2s/search/local.hpp: first-improvement local search with point, window and row moves and perturbation restarts.
#pragma once
#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>
#include <l2s/search/greedy.hpp>

namespace l2s::search {

/// Tunables of local.
struct local_config {
    objective obj{};                                  ///< what is minimised under which constraints
    std::vector<std::size_t> windows{2, 4, 8, 16};    ///< window lengths w of the island-window moves
    std::size_t perturbation_size = 0;                ///< random ±1 changes per restart; 0 = max(2, T·K/20)
    std::size_t max_restarts = 50;                    ///< perturbation restarts after the first local optimum
    std::size_t greedy_sweeps = 2;                    ///< sweeps of the greedy start (used when start is empty)
};

/// A move of the local search: add `delta` to the levels of islands [k0, k1) over intervals [t0, t1).
struct sequence_move {
    std::size_t t0 = 0, t1 = 0, k0 = 0, k1 = 0;
    int delta = 0;
};

/// Applies m to y where the result stays in range; returns whether any level changed.
template <Evaluator Ev>
bool apply_move(const Ev& ev, vf_sequence& y, const sequence_move& m) {
    bool changed = false;
    for (std::size_t t = m.t0; t < m.t1; ++t)
        for (std::size_t k = m.k0; k < m.k1; ++k) {
            const int l = int(y(t, k)) + m.delta;
            if (l >= 0 && l < int(ev.num_levels(k))) {
                y(t, k) = static_cast<level_t>(l);
                changed = true;
            }
        }
    return changed;
}

/// The move neighbourhood of DESIGN.md §f: (t, k) ± 1; island k over a window of w intervals ± 1 (every
/// window start); all islands at t ± 1.
inline std::vector<sequence_move> local_moves(std::size_t T, std::size_t K, const std::vector<std::size_t>& windows) {
    std::vector<sequence_move> m;
    for (int d : {-1, 1}) {
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) m.push_back({t, t + 1, k, k + 1, d});
        for (std::size_t w : windows)
            if (w >= 2 && w <= T)
                for (std::size_t t = 0; t + w <= T; ++t)
                    for (std::size_t k = 0; k < K; ++k) m.push_back({t, t + w, k, k + 1, d});
        if (K > 1)
            for (std::size_t t = 0; t < T; ++t) m.push_back({t, t + 1, 0, K, d});
    }
    return m;
}

/// Local search (DESIGN.md §f): starts from `start`, or from the greedy sequence when start is empty;
/// scans the moves of `local_moves` in a random order and accepts the first that improves the
/// lexicographic rank (each evaluation a reevaluate from the move's first interval, with the move undone
/// when rejected). At a local optimum it perturbs the best sequence by random (t, k) ± 1 changes and
/// continues, up to `max_restarts` times or until the budget is spent.
class local {
public:
    using config = local_config;
    explicit local(const local_config& c = {}) : cfg_(c) {
        c.obj.validate("l2s::search::local");
        require_config(c.greedy_sweeps >= 1, "l2s::search::local", "greedy_sweeps", ">= 1",
                       static_cast<double>(c.greedy_sweeps));
        for (std::size_t w : c.windows)
            require_config(w >= 2, "l2s::search::local", "windows", "entries >= 2", static_cast<double>(w));
    }
    [[nodiscard]] const local_config& cfg() const noexcept { return cfg_; }

    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& rng,
                         Obs&... obs) const {
        if (start.size() != 0) check_sequence(ev, start, "l2s::search::local::search");
        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "local", obs...);
        vf_sequence y = start.size() != 0 ? vf_sequence(start) : detail::greedy_construct(ctx, cfg_.greedy_sweeps);
        descend(ctx, y, rng);
        return ctx.result();
    }

    /// Runs the local search inside an existing context from y (y is left at the last local optimum).
    template <class Ctx>
    void descend(Ctx& ctx, vf_sequence& y, rng_type& rng) const {
        auto& ev = ctx.evaluator();
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        std::vector<sequence_move> moves = local_moves(T, K, cfg_.windows);
        const std::size_t perturb = cfg_.perturbation_size ? cfg_.perturbation_size : std::max<std::size_t>(2, T * K / 20);
        ranked cur = ctx.score(y);
        for (std::size_t restart = 0; restart <= cfg_.max_restarts && !ctx.done(); ++restart) {
            bool improved = true;
            while (improved && !ctx.done()) {
                improved = false;
                std::shuffle(moves.begin(), moves.end(), rng);
                for (const sequence_move& m : moves) {
                    if (ctx.done()) break;
                    vf_sequence before = y;
                    if (!apply_move(ev, y, m)) continue;
                    const ranked r = ctx.score(y);
                    if (r.better_than(cur)) {
                        cur = r;
                        improved = true;
                    } else {
                        y = std::move(before);
                    }
                }
                ctx.iteration_done();
            }
            if (ctx.done() || restart == cfg_.max_restarts) break;
            // Perturbation restart from the best sequence so far.
            y = ctx.best();
            std::uniform_int_distribution<std::size_t> pos(0, T * K - 1);
            for (std::size_t i = 0; i < perturb; ++i) {
                const std::size_t p = pos(rng);
                const int d = (rng() & 1u) ? 1 : -1;
                apply_move(ev, y, sequence_move{p / K, p / K + 1, p % K, p % K + 1, d});
            }
            cur = ctx.score(y);
        }
    }

private:
    local_config cfg_;
};

}  // namespace l2s::search
