// SPDX-License-Identifier: MIT
// l2s/search/lds.hpp: HC-Search-style limited-discrepancy search around a generator's level probabilities.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/policy/concepts.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>
#include <l2s/search/features.hpp>

namespace l2s::search {

/// A T × K × L_max table of level probabilities; a LevelGenerator.
class probability_table {
public:
    probability_table(std::size_t intervals, std::size_t islands, std::size_t max_levels)
        : T_(intervals), K_(islands), L_(max_levels), p_(intervals * islands * max_levels, 0.0) {
        if (T_ == 0 || K_ == 0 || L_ == 0)
            throw invalid_argument("l2s::search::probability_table: every dimension must be >= 1");
    }
    [[nodiscard]] std::size_t num_intervals() const noexcept { return T_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return K_; }
    [[nodiscard]] std::size_t max_levels() const noexcept { return L_; }
    [[nodiscard]] std::span<double> at(std::size_t t, std::size_t k) { return {p_.data() + (t * K_ + k) * L_, L_}; }
    [[nodiscard]] std::span<const double> at(std::size_t t, std::size_t k) const {
        return {p_.data() + (t * K_ + k) * L_, L_};
    }
    void operator()(std::size_t t, std::size_t k, std::span<double> out) const {
        if (t >= T_ || k >= K_)
            throw invalid_argument("l2s::search::probability_table: position (" + std::to_string(t) + ", " +
                                   std::to_string(k) + ") outside the table");
        const auto row = at(t, k);
        for (std::size_t l = 0; l < out.size(); ++l) out[l] = l < L_ ? row[l] : 0.0;
    }

    /// Probabilities that peak at y(t, k) and fall by `decay` per level of distance (a generator centred on
    /// a known sequence, e.g. the greedy one).
    [[nodiscard]] static probability_table centred(const vf_sequence& y, std::size_t max_levels, double decay = 0.3) {
        const std::size_t T = y.shape()[0], K = y.shape()[1];
        probability_table table(T, K, max_levels);
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) {
                auto row = table.at(t, k);
                double s = 0.0;
                for (std::size_t l = 0; l < max_levels; ++l)
                    s += row[l] = std::pow(decay, std::abs(double(l) - double(y(t, k))));
                for (auto& v : row) v /= s;
            }
        return table;
    }

private:
    std::size_t T_, K_, L_;
    std::vector<double> p_;
};

/// Rolls a ProbabilisticPolicy through an environment for `intervals` steps (acting on its own choices) and
/// records its level probabilities at each visited state: the generator of HC-Search's heuristic H.
/// Discrepancies later change levels without re-rolling the policy (its probabilities stay those of its own
/// trajectory).
template <class E, ProbabilisticPolicy<E> P>
probability_table rollout_probabilities(P& policy, E& env, std::size_t intervals, rng_type& rng) {
    const std::size_t K = env.num_islands();
    std::size_t L = 0;
    for (std::size_t k = 0; k < K; ++k) L = std::max<std::size_t>(L, env.num_levels(k));
    probability_table table(intervals, K, L);
    std::vector<double> buf(K * L);
    typename E::action_type a(K);
    const auto* obs = &env.reset(rng);
    for (std::size_t t = 0; t < intervals; ++t) {
        policy.probabilities(*obs, std::span<double>(buf));
        for (std::size_t k = 0; k < K; ++k)
            std::copy_n(buf.begin() + static_cast<std::ptrdiff_t>(k * L), L, table.at(t, k).begin());
        policy.act(*obs, a);
        const dvfs::step_outcome out = env.step(a);
        obs = &env.observe();
        if (out.done) break;
    }
    return table;
}

/// Tunables of lds.
struct lds_config {
    objective obj{};                     ///< what is minimised under which constraints
    std::size_t max_discrepancies = 2;   ///< a position at its r-th most probable level (r ≥ 1) costs r
    std::size_t positions = 64;          ///< discrepancies only at this many highest-entropy positions
    std::size_t batch = 32;              ///< candidates evaluated between refits of the cost function
    std::size_t max_candidates = 200000; ///< refuse to generate more candidates than this
    std::size_t blocks = 8;              ///< blocks of the features φ of the cost function
    linear_ranker_config ranker{};       ///< training of the cost function C
};

/// Limited-discrepancy search in the HC-Search style (Doppa, Fern, Tadepalli, JAIR 2014; Harvey & Ginsberg,
/// IJCAI 1995). The heuristic H is a generator of per-(t, k) level probabilities (a policy's rollout, or a
/// table): its most probable levels give the base sequence, and a discrepancy moves one (t, k) among the
/// `positions` highest-entropy ones to its next most probable level. All candidates with at most
/// `max_discrepancies` discrepancies are generated. The learned cost function C, a linear ranker over
/// φ(Y) refitted on the evaluated candidates by pairwise hinge loss every `batch` evaluations, orders which
/// candidates are evaluated next under the budget (first batch: fewest discrepancies, most probable first).
/// The best evaluated sequence is returned. With positions ≥ T·K and max_discrepancies ≥ T·K·(L − 1) every
/// sequence is generated, so with enough budget the search is exact.
template <LevelGenerator G>
class lds {
public:
    using config = lds_config;
    explicit lds(G generator, const lds_config& c = {}) : gen_(std::move(generator)), cfg_(c) {
        c.obj.validate("l2s::search::lds");
        require_config(c.positions >= 1, "l2s::search::lds", "positions", ">= 1", double(c.positions));
        require_config(c.batch >= 1, "l2s::search::lds", "batch", ">= 1", double(c.batch));
        require_config(c.max_candidates >= 1, "l2s::search::lds", "max_candidates", ">= 1", double(c.max_candidates));
        linear_ranker check(c.ranker);
    }
    [[nodiscard]] const lds_config& cfg() const noexcept { return cfg_; }

    /// `start` is ignored apart from its shape check (the generator defines the base sequence).
    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& rng,
                         Obs&... obs) const {
        const std::string who = "l2s::search::lds::search";
        if (start.size() != 0) check_sequence(ev, start, who);
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        std::vector<std::size_t> levels(K);
        for (std::size_t k = 0; k < K; ++k) levels[k] = ev.num_levels(k);

        // Level orders by probability and position entropies.
        std::vector<std::vector<level_t>> order(T * K);
        std::vector<double> entropy(T * K), buf;
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) {
                buf.assign(levels[k], 0.0);
                gen_(t, k, std::span<double>(buf));
                for (double v : buf)
                    if (!(v >= 0.0) || !std::isfinite(v))
                        throw non_finite_observation(who + ": generator gave an invalid probability at (" +
                                                     std::to_string(t) + ", " + std::to_string(k) + ")");
                auto& o = order[t * K + k];
                o.resize(levels[k]);
                std::iota(o.begin(), o.end(), level_t{0});
                // Most probable first; ties go to the higher level (the safer choice for the slowdown limit).
                std::stable_sort(o.begin(), o.end(), [&](level_t a, level_t b) {
                    return buf[a] > buf[b] || (buf[a] == buf[b] && a > b);
                });
                const double s = std::accumulate(buf.begin(), buf.end(), 0.0);
                double h = 0.0;
                for (double v : buf)
                    if (v > 0.0 && s > 0.0) h -= v / s * std::log(v / s);
                entropy[t * K + k] = h;
            }
        std::vector<std::size_t> pos(T * K);
        std::iota(pos.begin(), pos.end(), std::size_t{0});
        std::stable_sort(pos.begin(), pos.end(), [&](std::size_t a, std::size_t b) { return entropy[a] > entropy[b]; });
        pos.resize(std::min(pos.size(), cfg_.positions));

        // Generate every assignment of discrepancies with total ≤ max_discrepancies (fewest first).
        struct candidate {
            std::vector<std::pair<std::size_t, std::size_t>> changes;  // (position, rank)
            std::size_t discrepancies = 0;
            vec phi{};  // φ of the candidate, computed once at the first refit
        };
        std::vector<candidate> cands{candidate{}};
        std::vector<std::pair<std::size_t, std::size_t>> cur;
        auto rec = [&](auto&& self, std::size_t from, std::size_t used) -> void {
            for (std::size_t i = from; i < pos.size(); ++i) {
                const std::size_t p = pos[i];
                for (std::size_t r = 1; r < order[p].size() && used + r <= cfg_.max_discrepancies; ++r) {
                    cur.emplace_back(p, r);
                    if (cands.size() >= cfg_.max_candidates)
                        throw invalid_argument(who + ": more than max_candidates = " +
                                               std::to_string(cfg_.max_candidates) + " candidates");
                    cands.push_back(candidate{cur, used + r, vec{}});
                    self(self, i + 1, used + r);
                    cur.pop_back();
                }
            }
        };
        rec(rec, 0, 0);
        std::stable_sort(cands.begin(), cands.end(),
                         [](const candidate& a, const candidate& b) { return a.discrepancies < b.discrepancies; });

        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "lds", obs...);
        vf_sequence base = vf_sequence::from_shape({T, K});
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t k = 0; k < K; ++k) base(t, k) = order[t * K + k][0];
        auto build = [&](const candidate& c) {
            vf_sequence y = base;
            for (auto [p, r] : c.changes) y(p / K, p % K) = order[p][r];
            return y;
        };

        linear_ranker cost(cfg_.ranker);
        std::vector<vec> done_phi;
        std::vector<double> done_key;
        std::size_t next = 0;
        while (next < cands.size() && !ctx.done()) {
            const std::size_t end = std::min(cands.size(), next + cfg_.batch);
            for (; next < end && !ctx.done(); ++next) {
                vf_sequence y = build(cands[next]);
                const ranked r = ctx.score(y);
                if (ctx.done() && r.violation == ranked{}.violation) break;
                done_phi.push_back(sequence_features(y, levels, cfg_.blocks));
                done_key.push_back(r.key());
            }
            ctx.iteration_done();
            if (next >= cands.size() || ctx.done()) break;
            // Refit C on everything evaluated and order the remaining candidates by it.
            mat phi(done_phi.front().size(), static_cast<Eigen::Index>(done_phi.size()));
            for (std::size_t i = 0; i < done_phi.size(); ++i) phi.col(static_cast<Eigen::Index>(i)) = done_phi[i];
            cost.fit(phi, done_key, rng);
            std::vector<double> c_score(cands.size() - next);
            for (std::size_t i = next; i < cands.size(); ++i) {
                if (cands[i].phi.size() == 0) cands[i].phi = sequence_features(build(cands[i]), levels, cfg_.blocks);
                c_score[i - next] = cost.score(cands[i].phi);
            }
            std::vector<std::size_t> idx(c_score.size());
            std::iota(idx.begin(), idx.end(), std::size_t{0});
            std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return c_score[a] < c_score[b]; });
            std::vector<candidate> rest;
            rest.reserve(idx.size());
            for (std::size_t i : idx) rest.push_back(std::move(cands[next + i]));
            cands.resize(next);
            for (auto& c : rest) cands.push_back(std::move(c));
        }
        return ctx.result();
    }

private:
    mutable G gen_;  // a generator may keep state (e.g. a policy's buffers)
    lds_config cfg_;
};

static_assert(LevelGenerator<probability_table>);

}  // namespace l2s::search
