// SPDX-License-Identifier: MIT
// l2s/search/bo_guided.hpp: L2S-DISCO-style BO over sequences: bo::optimizer over a sequence space with a GP
// surrogate and constrained log-EI, maximised by an acquisition-guided local search from learned starts.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include <l2s/acquisition/constrained.hpp>
#include <l2s/acquisition/improvement.hpp>
#include <l2s/bo/optimizer.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/kernel/hamming.hpp>
#include <l2s/kernel/stationary.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>
#include <l2s/search/features.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/search/sequence_space.hpp>

namespace l2s::search {

/// Tunables of bo_guided.
struct bo_guided_config {
    objective obj{};                   ///< what is minimised under which constraints
    std::size_t initial = 8;           ///< random ±1 perturbations of the greedy sequence evaluated first
    std::size_t starts = 4;            ///< acquisition local searches per round (H's best starts)
    std::size_t start_pool = 32;       ///< candidate starts ranked by H per round
    std::size_t max_ascent_steps = 20; ///< improving moves per acquisition local search
    std::size_t hamming_limit = 64;    ///< use the Hamming kernel on raw Y when T·K ≤ this, else φ(Y)
    double length_scale = 0.5;         ///< initial length-scale of the kernel (φ in [0, 1]; Hamming per entry)
    double noise_variance = 1e-4;      ///< GP noise (standardised units)
    linear_ranker_config ranker{};     ///< training of the start heuristic H
};

namespace detail {

/// y with n random (t, k) ± 1 changes (each kept in range).
template <Evaluator Ev>
[[nodiscard]] vf_sequence perturb(const Ev& ev, vf_sequence y, std::size_t n, rng_type& rng) {
    const std::size_t T = ev.num_intervals(), K = ev.num_islands();
    std::uniform_int_distribution<std::size_t> pos(0, T * K - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t p = pos(rng);
        apply_move(ev, y, sequence_move{p / K, p / K + 1, p % K, p % K + 1, (rng() & 1u) ? 1 : -1});
    }
    return y;
}

/// What bo_guided's search loop shares with its acquisition optimiser: the sequences evaluated so far, the
/// best of them, and the start heuristic H with its training pairs (φ of a start, −acquisition reached).
struct bo_guided_guide {
    std::vector<vf_sequence> seen;
    vf_sequence best;
    linear_ranker h;
    std::vector<vec> h_phi;
    std::vector<double> h_key;
};

/// bo_guided's acquisition optimiser over a sequence_space: H ranks a pool of starts (perturbations of the
/// best and of earlier sequences); from the `starts` best, a local search ((t, k) ± 1 and window moves,
/// first improvement) climbs the acquisition; H is retrained so that starts that reached a higher
/// acquisition rank first. Returns the best optimum not evaluated before (or a perturbation of the best).
template <Evaluator Ev>
struct bo_guided_ascent {
    const Ev* ev = nullptr;
    const bo_guided_config* cfg = nullptr;
    bo_guided_guide* guide = nullptr;
    const std::vector<sequence_move>* moves = nullptr;

    template <class F>
    [[nodiscard]] opt::maximize_result maximize(const F& f, const sequence_space& space, rng_type& rng) const {
        bo_guided_guide& g = *guide;
        opt::maximize_result out;
        auto acquisition = [&](const vf_sequence& y) {
            ++out.evaluations;
            return f(mat(space.from_sequence(y)))(0);
        };
        std::vector<vf_sequence> pool;
        std::uniform_int_distribution<std::size_t> pick(0, g.seen.size() - 1);
        for (std::size_t i = 0; i < cfg->start_pool; ++i)
            pool.push_back(perturb(*ev, i % 2 == 0 ? g.best : g.seen[pick(rng)], 1 + i % 4, rng));
        std::vector<double> hs(pool.size());
        for (std::size_t i = 0; i < pool.size(); ++i) hs[i] = g.h.score(sequence_features(pool[i], space.levels()));
        std::vector<std::size_t> idx(pool.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return hs[a] < hs[b]; });

        vf_sequence next;
        for (std::size_t s = 0; s < cfg->starts; ++s) {
            vf_sequence y = pool[idx[s]];
            double a = acquisition(y);
            for (std::size_t step = 0; step < cfg->max_ascent_steps; ++step) {
                bool moved = false;
                for (std::size_t trial = 0; trial < 4 * space.num_islands(); ++trial) {
                    const sequence_move& m = (*moves)[rng() % moves->size()];
                    vf_sequence z = y;
                    if (!apply_move(*ev, z, m)) continue;
                    const double az = acquisition(z);
                    if (az > a) {
                        y = std::move(z);
                        a = az;
                        moved = true;
                        break;
                    }
                }
                if (!moved) break;
            }
            g.h_phi.push_back(sequence_features(pool[idx[s]], space.levels()));
            g.h_key.push_back(-std::max(a, -1e300));  // lower key = better start
            const bool duplicate = std::find(g.seen.begin(), g.seen.end(), y) != g.seen.end();
            if (!duplicate && a > out.value) {
                out.value = a;
                next = y;
            }
        }
        mat phi(g.h_phi.front().size(), static_cast<Eigen::Index>(g.h_phi.size()));
        for (std::size_t i = 0; i < g.h_phi.size(); ++i) phi.col(static_cast<Eigen::Index>(i)) = g.h_phi[i];
        g.h.fit(phi, g.h_key, rng);
        out.x = space.from_sequence(next.size() != 0 ? next : perturb(*ev, g.best, 2, rng));
        return out;
    }
};

}  // namespace detail

/// BO-guided search after L2S-DISCO (Deshwal et al., AAAI 2020), built on bo::optimizer. The points are
/// sequences (sequence_space); the surrogates are GPs of the objective log m and of the constraint
/// g(Y) = time / ((1 + max_slowdown)·reference time) − 1 + relative excess over t_max (g ≤ 0 feasible),
/// over φ(Y) with a Matérn-5/2 ARD kernel, or over the scaled levels with the Hamming kernel when
/// T·K ≤ hamming_limit. The acquisition is acquisition::constrained<log_ei>: log EI of the best feasible
/// value + log P(g ≤ 0). It is maximised by detail::bo_guided_ascent (H-ranked starts, acquisition-guided
/// local search, H retrained by pairwise hinge loss). The search starts from the greedy sequence and
/// `initial` random perturbations of it (all in the same budget), then asks and tells one sequence a round.
/// Hyperparameters stay at length_scale (no relearning).  @see docs/l2s.md#bo_guided
class bo_guided {
public:
    using config = bo_guided_config;
    explicit bo_guided(const bo_guided_config& c = {}) : cfg_(c) {
        constexpr const char* who = "l2s::search::bo_guided";
        c.obj.validate(who);
        require_config(c.starts >= 1, who, "starts", ">= 1", double(c.starts));
        require_config(c.start_pool >= c.starts, who, "start_pool", ">= starts", double(c.start_pool));
        require_config(c.length_scale > 0, who, "length_scale", "> 0", c.length_scale);
        require_config(c.noise_variance > 0, who, "noise_variance", "> 0", c.noise_variance);
        linear_ranker check(c.ranker);
    }
    [[nodiscard]] const bo_guided_config& cfg() const noexcept { return cfg_; }

    /// `start` is ignored apart from its shape check (the search starts from greedy).
    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& rng,
                         Obs&... obs) const {
        if (start.size() != 0) check_sequence(ev, start, "l2s::search::bo_guided::search");
        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "bo_guided", obs...);
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        std::vector<std::size_t> levels(K);
        for (std::size_t k = 0; k < K; ++k) levels[k] = ev.num_levels(k);
        const bool raw = T * K <= cfg_.hamming_limit;
        const sequence_space space(T, levels, raw ? sequence_encoding::levels : sequence_encoding::features);
        const vec log_length_scale = vec::Constant(static_cast<Eigen::Index>(space.unit_dim()), std::log(cfg_.length_scale));
        if (raw) run(ctx, space, kernel::hamming{log_length_scale, 0.0}, rng);
        else run(ctx, space, kernel::matern52_ard{log_length_scale, 0.0}, rng);
        return ctx.result();
    }

private:
    template <class Ctx, class Kern>
    void run(Ctx& ctx, const sequence_space& space, const Kern& kern, rng_type& rng) const {
        using Ev = std::remove_cvref_t<decltype(ctx.evaluator())>;
        const Ev& ev = ctx.evaluator();
        const objective& obj = ctx.obj();
        const std::vector<sequence_move> moves = local_moves(space.num_intervals(), space.num_islands(), {2, 4, 8, 16});
        detail::bo_guided_guide guide{{}, {}, linear_ranker(cfg_.ranker), {}, {}};
        gp::exact_gp_config gc;
        gc.noise_variance = cfg_.noise_variance;
        bo::optimizer opt(space, gp::exact_gp<Kern>(kern, {}, gc), acquisition::constrained<acquisition::log_ei>{},
                          detail::bo_guided_ascent<Ev>{&ev, &cfg_, &guide, &moves},
                          bo::optimizer_config{.initial_points = 1, .relearn_every = 0, .num_constraints = 1,
                                               .avoid_duplicates = false});
        auto tell = [&](const vf_sequence& y) {
            const ranked r = ctx.score(y);
            if (r.violation == ranked{}.violation) return;  // budget spent
            const dvfs::sequence_score& s = ctx.last_score();
            const double cost = std::log(std::max(r.value, std::numeric_limits<double>::min()));
            const double g = s.time_s / ((1.0 + obj.max_slowdown) * ctx.reference_time_s()) - 1.0 +
                             std::max(0.0, (s.peak_temp_c - obj.t_max_c) / std::max(std::abs(obj.t_max_c), 1.0));
            opt.tell(space.from_sequence(y), cost, vec::Constant(1, g));
            guide.seen.push_back(y);
            guide.best = ctx.best();
        };
        const std::size_t T = space.num_intervals(), K = space.num_islands();
        const vf_sequence base = detail::greedy_construct(ctx, 2);
        tell(base);
        for (std::size_t i = 0; i < cfg_.initial && !ctx.done(); ++i)
            tell(detail::perturb(ev, base, std::max<std::size_t>(2, T * K / 10), rng));
        while (!ctx.done()) {
            tell(space.to_sequence(opt.ask(rng)));
            ctx.iteration_done();
        }
    }

    bo_guided_config cfg_;
};

}  // namespace l2s::search
