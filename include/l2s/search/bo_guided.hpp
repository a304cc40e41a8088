// SPDX-License-Identifier: MIT
// l2s/search/bo_guided.hpp: L2S-DISCO-style BO over sequences (GP surrogate, constrained log-EI, learned starts).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <l2s/acquisition/improvement.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/detail/normal.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/kernel/hamming.hpp>
#include <l2s/kernel/stationary.hpp>
#include <l2s/problems/vf_toy.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>
#include <l2s/search/features.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/local.hpp>

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

/// BO-guided search after L2S-DISCO (Deshwal et al., AAAI 2020). Two GPs model the objective (log m) and
/// the constraint g(Y) = violation-signed slack (g ≤ 0 feasible), over φ(Y) with a Matérn-5/2 ARD kernel,
/// or over raw Y with the Hamming kernel when T·K ≤ hamming_limit. The acquisition is constrained log-EI:
/// log EI(−log m) + log P(g ≤ 0). Each round: H (a linear ranker over φ) ranks a pool of starts (local
/// perturbations of the best sequences and random points); from its `starts` best, an acquisition-guided
/// local search ((t, k) ± 1 and window moves) climbs the acquisition; the best optimum reached is evaluated
/// and added to both GPs; H is retrained by pairwise hinge loss so that starts which reached higher
/// acquisition rank first. Starts from the greedy sequence (run in the same budget).
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
        if (T * K <= cfg_.hamming_limit) {
            kernel::hamming kern{vec::Constant(static_cast<Eigen::Index>(T * K), std::log(cfg_.length_scale)), 0.0};
            run(ctx, kern, [&](const vf_sequence& y) {
                vec x(static_cast<Eigen::Index>(T * K));
                for (std::size_t i = 0; i < T * K; ++i) x(static_cast<Eigen::Index>(i)) = y.data()[i];
                return x;
            }, levels, rng);
        } else {
            const auto d = static_cast<Eigen::Index>(sequence_feature_dim(T, K));
            kernel::matern52_ard kern{vec::Constant(d, std::log(cfg_.length_scale)), 0.0};
            run(ctx, kern, [&](const vf_sequence& y) { return sequence_features(y, levels); }, levels, rng);
        }
        return ctx.result();
    }

private:
    template <class Ctx, class Kern, class Featurise>
    void run(Ctx& ctx, const Kern& kern, Featurise&& featurise, const std::vector<std::size_t>& levels,
             rng_type& rng) const {
        auto& ev = ctx.evaluator();
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        const objective& obj = ctx.obj();
        gp::exact_gp_config gc;
        gc.noise_variance = cfg_.noise_variance;
        gp::exact_gp<Kern> f_gp(kern, {}, gc), g_gp(kern, {}, gc);
        std::vector<vf_sequence> seen;
        double incumbent = -std::numeric_limits<double>::infinity();  // best −log m among feasible
        auto tell = [&](const vf_sequence& y) {
            const ranked r = ctx.score(y);
            if (r.violation == ranked{}.violation) return;  // budget spent
            const dvfs::sequence_score& s = ctx.last_score();
            const double f = -std::log(std::max(r.value, std::numeric_limits<double>::min()));
            const double g = s.time_s / ((1.0 + obj.max_slowdown) * ctx.reference_time_s()) - 1.0 +
                             std::max(0.0, (s.peak_temp_c - obj.t_max_c) / std::max(std::abs(obj.t_max_c), 1.0));
            const vec x = featurise(y);
            f_gp.add(x, f);
            g_gp.add(x, g);
            if (r.feasible()) incumbent = std::max(incumbent, f);
            seen.push_back(y);
        };
        auto perturb = [&](vf_sequence y, std::size_t n) {
            std::uniform_int_distribution<std::size_t> pos(0, T * K - 1);
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t p = pos(rng);
                apply_move(ev, y, sequence_move{p / K, p / K + 1, p % K, p % K + 1, (rng() & 1u) ? 1 : -1});
            }
            return y;
        };
        auto acquisition = [&](const vf_sequence& y) {
            const vec x = featurise(y);
            const prediction pf = f_gp.predict(x), pg = g_gp.predict(x);
            const double sf = std::sqrt(std::max(pf.variance, 1e-12)), sg = std::sqrt(std::max(pg.variance, 1e-12));
            const double inc = std::isfinite(incumbent) ? incumbent : pf.mean;
            return acquisition::log_expected_improvement(pf.mean, sf, inc, 0.0) + l2s::detail::log_normal_cdf(-pg.mean / sg);
        };

        vf_sequence base = detail::greedy_construct(ctx, 2);
        tell(base);
        for (std::size_t i = 0; i < cfg_.initial && !ctx.done(); ++i) tell(perturb(base, std::max<std::size_t>(2, T * K / 10)));

        const std::vector<sequence_move> moves = local_moves(T, K, {2, 4, 8, 16});
        linear_ranker h(cfg_.ranker);
        std::vector<vec> h_phi;
        std::vector<double> h_key;
        while (!ctx.done()) {
            // Pool of starts: perturbations of the best sequence and of recent ones.
            std::vector<vf_sequence> pool;
            std::uniform_int_distribution<std::size_t> pick(0, seen.size() - 1);
            for (std::size_t i = 0; i < cfg_.start_pool; ++i)
                pool.push_back(perturb(i % 2 == 0 ? ctx.best() : seen[pick(rng)], 1 + i % 4));
            std::vector<double> hs(pool.size());
            for (std::size_t i = 0; i < pool.size(); ++i) hs[i] = h.score(sequence_features(pool[i], levels));
            std::vector<std::size_t> idx(pool.size());
            for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
            std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return hs[a] < hs[b]; });

            vf_sequence next;
            double next_acq = -std::numeric_limits<double>::infinity();
            for (std::size_t s = 0; s < cfg_.starts; ++s) {
                vf_sequence y = pool[idx[s]];
                double a = acquisition(y);
                for (std::size_t step = 0; step < cfg_.max_ascent_steps; ++step) {
                    bool moved = false;
                    for (std::size_t trial = 0; trial < 4 * K; ++trial) {
                        const sequence_move& m = moves[rng() % moves.size()];
                        vf_sequence z = y;
                        if (!apply_move(ev, z, m)) continue;
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
                h_phi.push_back(sequence_features(pool[idx[s]], levels));
                h_key.push_back(-std::max(a, -1e300));  // lower key = better start
                bool duplicate = false;
                for (const auto& q : seen) duplicate = duplicate || q == y;
                if (!duplicate && a > next_acq) {
                    next_acq = a;
                    next = y;
                }
            }
            mat phi(h_phi.front().size(), static_cast<Eigen::Index>(h_phi.size()));
            for (std::size_t i = 0; i < h_phi.size(); ++i) phi.col(static_cast<Eigen::Index>(i)) = h_phi[i];
            h.fit(phi, h_key, rng);
            tell(next.size() != 0 ? next : perturb(ctx.best(), 2));
            ctx.iteration_done();
        }
    }

    bo_guided_config cfg_;
};

static_assert(SearchStrategy<bo_guided, problems::vf_toy>);

}  // namespace l2s::search
