// SPDX-License-Identifier: MIT
// l2s/online/product_set_search.hpp: bounded EDP search over the product of per-island candidate sets.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/detail/probability_block.hpp>

namespace l2s::online {

/// What product_set_search does when the product of the sets exceeds the budget.
enum class search_strategy {
    sweep,       ///< exact: a sweep over the time thresholds, at most Σ_k |C_k| candidates (docs/uaol.md#bounded-search)
    coordinate,  ///< coordinate descent from the start, islands in the given order, until B candidates
    beam         ///< beam over islands in the given order, width max(1, ⌊B / L_max⌋)
};

/// Tunables of product_set_search.
struct product_set_search_config {
    std::size_t budget = 256;       ///< B: at most this many candidates are scored per search, ≥ 1
    double slowdown = 0.05;         ///< p: feasible when t̂ ≤ (1 + p)·t̂(all islands at their top level), ≥ 0
    search_strategy strategy = search_strategy::sweep;
};

/// The time limit of a search: feasible when t̂ ≤ (1 + p)·reference + allowance. reference NaN: t̂(all-max)
/// from the search's own tables (the top level's estimate of each island, switch included); the model
/// overload fills it from the models' settled estimates (no switch: as the performance governor runs).
/// allowance: extra time granted by the caller, e.g. banked slack (docs/uaol.md#slack-account); negative
/// tightens the limit.
struct time_limit {
    double reference_s = std::numeric_limits<double>::quiet_NaN();
    double allowance_s = 0.0;
};

/// Outcome of one search (the configuration itself is written into caller storage).
struct product_search_result {
    double power_w = 0.0;         ///< P̂ = Σ_k P̂_k(l_k)
    double time_s = 0.0;          ///< t̂ = max_k t̂_k(l_k)
    double edp = 0.0;             ///< P̂·t̂²
    bool feasible = false;        ///< t̂ ≤ (1 + p)·reference + allowance (time_limit)
    bool exhaustive = false;      ///< the whole product was enumerated
    bool exact = false;           ///< the choice is optimal over the whole product (exhaustive or sweep)
    std::size_t evaluated = 0;    ///< candidates scored (≤ B, or ≤ Σ_k |C_k| for the sweep)
};

/// Bounded search of UaOL (DESIGN §g step 4) over S = ∏_k C_k.
///
/// The caller provides per-island tables P̂_k(l), t̂_k(l) (K × L_max, island-major) for the levels in the
/// sets and for each island's top level L_k − 1 (taken as the fastest). A candidate costs O(K):
/// P̂ = Σ P̂_k, t̂ = max t̂_k (islands run in parallel to a barrier), EDP = P̂·t̂² (energy P̂·t̂ times delay t̂).
/// Choice: the lowest EDP among candidates with t̂ ≤ (1 + p)·t̂(all-max), else the fastest scored.
/// If |S| ≤ B every candidate is scored; otherwise, by `strategy`:
/// - sweep (default, exact): for a time threshold τ, the best configuration with t̂ ≤ τ takes each island's
///   lowest-power member with t̂_k ≤ τ, so the optimum is one of these threshold configurations and τ need
///   only range over the members' times. Sorting the Σ|C_k| members by time and sweeping once, keeping each
///   island's lowest power so far and their sum, scores each threshold in O(1): O(M log M) for M = Σ|C_k|,
///   exact for any objective increasing in P̂ and t̂ (EDP, energy), B not needed;
/// - coordinate descent (first improvement, passes over the islands in `order` until no move improves or B
///   candidates are scored) — it cannot lower balanced islands together (lowering one alone raises t̂ for
///   all), so it stops at the start in such states;
/// - a beam over the islands in `order`.
/// All working storage is allocated by the constructor; search() allocates nothing.
class product_set_search {
public:
    using config = product_set_search_config;

    explicit product_set_search(std::vector<std::size_t> levels_per_island, config cfg = {})
        : shape_(who_ctor, std::move(levels_per_island)), cfg_(cfg) {
        require_config(cfg_.budget >= 1, who_ctor, "budget", ">= 1", static_cast<double>(cfg_.budget));
        require_config(cfg_.slowdown >= 0.0, who_ctor, "slowdown", ">= 0", cfg_.slowdown);
        const std::size_t K = shape_.islands();
        width_ = std::max<std::size_t>(1, cfg_.budget / shape_.max_levels);
        cur_.resize(K);
        cand_.resize(K);
        idx_.resize(K);
        beam_.resize(width_ * K);
        next_.resize(width_ * shape_.max_levels * K);
        next_score_.resize(width_ * shape_.max_levels);
        beam_score_.resize(width_);
        rank_.resize(width_ * shape_.max_levels);
        power_tab_.resize(shape_.block_size());
        time_tab_.resize(shape_.block_size());
        members_.resize(shape_.block_size());
        lowest_.resize(K);
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return shape_.islands(); }
    [[nodiscard]] std::size_t max_levels() const noexcept { return shape_.max_levels; }
    /// Beam width max(1, ⌊B / L_max⌋).
    [[nodiscard]] std::size_t beam_width() const noexcept { return width_; }

    /// Searches with caller tables. sets: K × L_max (island k's members in its first sizes[k] entries, each
    /// < L_k, sizes[k] ≥ 1); power_w, time_s: K × L_max estimates; start: K levels, start[k] ∈ C_k (e.g. the
    /// argmax); order: a permutation of the islands (e.g. by decreasing entropy). Writes the choice into out
    /// (K levels). Inputs are not validated (decision path); noexcept, no allocation.
    product_search_result search(std::span<const level_t> sets, std::span<const std::size_t> sizes,
                                 std::span<const double> power_w, std::span<const double> time_s,
                                 std::span<const level_t> start, std::span<const std::size_t> order,
                                 std::span<level_t> out, time_limit limit = {}) noexcept {
        const std::size_t K = shape_.islands();
        tables_ = {power_w, time_s};
        set_reference(time_s, limit);
        evaluated_ = 0;
        // |S| with saturation at B + 1.
        std::size_t total = 1;
        for (std::size_t k = 0; k < K && total <= cfg_.budget; ++k) total *= sizes[k];
        product_search_result r;
        if (total <= cfg_.budget) {
            r = exhaustive(sets, sizes, out);
            r.exhaustive = r.exact = true;
        } else if (cfg_.strategy == search_strategy::sweep) {
            r = sweep(sets, sizes, start, out);
            r.exact = evaluated_ > 0;  // 0: some island had no finite estimate
        } else if (cfg_.strategy == search_strategy::coordinate) {
            r = coordinate(sets, sizes, start, order, out);
        } else {
            r = beam(sets, sizes, start, order, out);
        }
        r.evaluated = evaluated_;
        return r;
    }

    /// As search() with the tables filled from a PowerPerformanceModel at observation obs (estimates for the
    /// set members and each island's top level only).
    template <class Model>
        requires PowerPerformanceModel<Model>
    product_search_result search(const Model& model, const dvfs::observation& obs, std::span<const level_t> sets,
                                 std::span<const std::size_t> sizes, std::span<const level_t> start,
                                 std::span<const std::size_t> order, std::span<level_t> out,
                                 time_limit limit = {}) {
        const std::size_t Lm = shape_.max_levels;
        const bool fill_reference = std::isnan(limit.reference_s);
        if (fill_reference) limit.reference_s = 0.0;
        for (std::size_t k = 0; k < shape_.islands(); ++k) {
            auto fill = [&](level_t l) {
                const dvfs::power_time e = model.estimate(obs, k, l);
                power_tab_[k * Lm + l] = e.power_w;
                time_tab_[k * Lm + l] = e.time_s;
            };
            for (std::size_t j = 0; j < sizes[k]; ++j) fill(sets[k * Lm + j]);
            const auto top = static_cast<level_t>(shape_.levels[k] - 1);
            fill(top);
            if (fill_reference) limit.reference_s = std::max(limit.reference_s, settled_estimate(model, obs, k, top).time_s);
        }
        return search(sets, sizes, power_tab_, time_tab_, start, order, out, limit);
    }

    /// Scores one full configuration against the given tables (t̂(all-max) from the same tables).
    [[nodiscard]] product_search_result score(std::span<const double> power_w, std::span<const double> time_s,
                                              std::span<const level_t> levels, time_limit limit = {}) noexcept {
        tables_ = {power_w, time_s};
        set_reference(time_s, limit);
        return eval(levels);
    }

    /// True when a is preferred to b: feasible beats infeasible; among feasible the lower EDP, among
    /// infeasible the lower time (then the lower EDP).
    [[nodiscard]] static bool better(const product_search_result& a, const product_search_result& b) noexcept {
        if (a.feasible != b.feasible) return a.feasible;
        if (a.feasible) return a.edp < b.edp;
        return a.time_s < b.time_s || (a.time_s == b.time_s && a.edp < b.edp);
    }

private:
    /// The reference (given, or t̂(all-max) from the time table) and the limit (1 + p)·reference + allowance.
    void set_reference(std::span<const double> time_s, time_limit limit) noexcept {
        t_ref_ = limit.reference_s;
        if (std::isnan(t_ref_)) {
            t_ref_ = 0.0;
            for (std::size_t k = 0; k < shape_.islands(); ++k)
                t_ref_ = std::max(t_ref_, time_s[k * shape_.max_levels + shape_.levels[k] - 1]);
        }
        t_max_ = (1.0 + cfg_.slowdown) * t_ref_ + limit.allowance_s;
    }

    struct tables {
        std::span<const double> power_w, time_s;
    };
    struct member {
        double time_s, power_w;
        std::size_t island;
        level_t level;
    };

    product_search_result eval(std::span<const level_t> levels) noexcept {
        const std::size_t Lm = shape_.max_levels;
        double p = 0.0, t = 0.0;
        for (std::size_t k = 0; k < shape_.islands(); ++k) {
            p += tables_.power_w[k * Lm + levels[k]];
            t = std::max(t, tables_.time_s[k * Lm + levels[k]]);
        }
        ++evaluated_;
        product_search_result r;
        r.power_w = p;
        r.time_s = t;
        r.edp = p * t * t;
        r.feasible = t <= t_max_;
        return r;
    }

    product_search_result exhaustive(std::span<const level_t> sets, std::span<const std::size_t> sizes,
                                     std::span<level_t> out) noexcept {
        const std::size_t K = shape_.islands(), Lm = shape_.max_levels;
        std::fill(idx_.begin(), idx_.end(), std::size_t{0});
        product_search_result best;
        bool have = false;
        while (true) {
            for (std::size_t k = 0; k < K; ++k) cand_[k] = sets[k * Lm + idx_[k]];
            const product_search_result r = eval(cand_);
            if (!have || better(r, best)) {
                best = r;
                have = true;
                std::copy(cand_.begin(), cand_.end(), out.begin());
            }
            std::size_t k = 0;
            while (k < K && ++idx_[k] == sizes[k]) idx_[k++] = 0;
            if (k == K) break;
        }
        return best;
    }

    product_search_result sweep(std::span<const level_t> sets, std::span<const std::size_t> sizes,
                                std::span<const level_t> start, std::span<level_t> out) noexcept {
        const std::size_t K = shape_.islands(), Lm = shape_.max_levels;
        std::size_t m = 0;
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t j = 0; j < sizes[k]; ++j) {
                const level_t l = sets[k * Lm + j];
                const double t = tables_.time_s[k * Lm + l], pw = tables_.power_w[k * Lm + l];
                if (std::isfinite(t) && std::isfinite(pw)) members_[m++] = {t, pw, k, l};  // NaN would break the sort
            }
        std::sort(members_.begin(), members_.begin() + static_cast<std::ptrdiff_t>(m),
                  [](const member& a, const member& b) { return a.time_s < b.time_s; });
        std::fill(lowest_.begin(), lowest_.end(), std::numeric_limits<double>::infinity());
        std::size_t covered = 0;
        double power = 0.0;
        const double t_max = t_max_;
        product_search_result best;
        bool have = false;
        for (std::size_t i = 0; i < m; ++i) {
            const member& e = members_[i];
            if (!(e.power_w < lowest_[e.island])) continue;  // the threshold adds nothing to this island
            if (lowest_[e.island] == std::numeric_limits<double>::infinity()) {
                ++covered;
                power += e.power_w;
            } else {
                power += e.power_w - lowest_[e.island];
            }
            lowest_[e.island] = e.power_w;
            cur_[e.island] = e.level;
            if (covered < K) continue;
            // the island that just moved has the largest time of the configuration: t̂ = e.time_s
            product_search_result r;
            r.power_w = power;
            r.time_s = e.time_s;
            r.edp = power * e.time_s * e.time_s;
            r.feasible = e.time_s <= t_max;
            ++evaluated_;
            if (!have || better(r, best)) {
                best = r;
                have = true;
                std::copy(cur_.begin(), cur_.end(), out.begin());
            }
            if (!r.feasible) break;  // later thresholds are slower still
        }
        // the running sum drifts from a fresh one by rounding: report the exact score of the choice; with no
        // finite estimate for some island, the start is the choice
        if (!have) std::copy(start.begin(), start.end(), out.begin());
        const std::size_t kept = evaluated_;
        best = eval(std::span<const level_t>(out.data(), K));
        evaluated_ = kept;
        return best;
    }

    product_search_result coordinate(std::span<const level_t> sets, std::span<const std::size_t> sizes,
                                     std::span<const level_t> start, std::span<const std::size_t> order,
                                     std::span<level_t> out) noexcept {
        const std::size_t Lm = shape_.max_levels;
        std::copy(start.begin(), start.end(), cur_.begin());
        product_search_result best = eval(cur_);
        bool improved = true;
        while (improved && evaluated_ < cfg_.budget) {
            improved = false;
            for (std::size_t k : order) {
                for (std::size_t j = 0; j < sizes[k] && evaluated_ < cfg_.budget; ++j) {
                    const level_t l = sets[k * Lm + j];
                    if (l == cur_[k]) continue;
                    const level_t keep = cur_[k];
                    cur_[k] = l;
                    const product_search_result r = eval(cur_);
                    if (better(r, best)) {
                        best = r;
                        improved = true;
                    } else {
                        cur_[k] = keep;
                    }
                }
            }
        }
        std::copy(cur_.begin(), cur_.end(), out.begin());
        return best;
    }

    product_search_result beam(std::span<const level_t> sets, std::span<const std::size_t> sizes,
                               std::span<const level_t> start, std::span<const std::size_t> order,
                               std::span<level_t> out) noexcept {
        const std::size_t K = shape_.islands(), Lm = shape_.max_levels;
        std::copy(start.begin(), start.end(), beam_.begin());
        beam_score_[0] = eval(std::span<const level_t>(beam_.data(), K));
        std::size_t width = 1;
        product_search_result best = beam_score_[0];
        std::copy(start.begin(), start.end(), out.begin());
        for (std::size_t k : order) {
            if (evaluated_ >= cfg_.budget) break;
            std::size_t n = 0;
            for (std::size_t b = 0; b < width; ++b) {
                const level_t* parent = &beam_[b * K];
                for (std::size_t j = 0; j < sizes[k] && evaluated_ < cfg_.budget; ++j) {
                    level_t* child = &next_[n * K];
                    std::copy(parent, parent + K, child);
                    child[k] = sets[k * Lm + j];
                    // The parent's own level repeats the parent: reuse its score.
                    next_score_[n] = child[k] == parent[k] ? beam_score_[b] : eval(std::span<const level_t>(child, K));
                    ++n;
                }
            }
            for (std::size_t i = 0; i < n; ++i) rank_[i] = i;
            const std::size_t keep = std::min(width_, n);
            std::partial_sort(rank_.begin(), rank_.begin() + static_cast<std::ptrdiff_t>(keep),
                              rank_.begin() + static_cast<std::ptrdiff_t>(n),
                              [this](std::size_t a, std::size_t b) { return better(next_score_[a], next_score_[b]); });
            for (std::size_t i = 0; i < keep; ++i) {
                std::copy(&next_[rank_[i] * K], &next_[rank_[i] * K] + K, &beam_[i * K]);
                beam_score_[i] = next_score_[rank_[i]];
            }
            width = keep;
            if (better(beam_score_[0], best)) {
                best = beam_score_[0];
                std::copy(&beam_[0], &beam_[0] + K, out.begin());
            }
        }
        return best;
    }

    static constexpr const char* who_ctor = "l2s::online::product_set_search";
    detail::block_shape shape_;
    config cfg_;
    std::size_t width_ = 1;
    std::vector<level_t> cur_, cand_, beam_, next_;
    std::vector<std::size_t> idx_, rank_;
    std::vector<product_search_result> next_score_, beam_score_;
    std::vector<double> power_tab_, time_tab_;
    std::vector<member> members_;
    std::vector<double> lowest_;  ///< sweep: each island's lowest power so far
    tables tables_{};
    double t_ref_ = 0.0, t_max_ = 0.0;
    std::size_t evaluated_ = 0;
};

}  // namespace l2s::online
