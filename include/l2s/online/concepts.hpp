// SPDX-License-Identifier: MIT
// l2s/online/concepts.hpp: OnlineLearner (runtime regression models updated one sample at a time) and
// the strategy concepts of UaOL: BudgetAccount and DecisionRefinerFor (how uaol_policy enforces the slowdown
// budget over an episode and refines its decisions) and TimePooling (how its runtime models predict time).
#pragma once
#include <concepts>
#include <cstddef>
#include <span>
#include <vector>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/product_set_search.hpp>

namespace l2s::online {

/// A regression model learned one sample at a time: update(x, y) with a feature vector and a scalar target,
/// predict(x) → prediction (mean, parameter variance, noise variance), dim() → feature dimension.
/// Optional: reset() (back to the prior). Used by online::island_models for its per-island models.
/// @see docs/uaol.md#concept-onlinelearner
template <class M>
concept OnlineLearner = requires(M& m, const M& cm, const vec& x, double y) {
    m.update(x, y);
    { cm.predict(x) } -> std::convertible_to<prediction>;
    { cm.dim() } -> std::convertible_to<Eigen::Index>;
};

/// An OnlineLearner that can also be returned to its prior: reset().
template <class M>
concept ResettableOnlineLearner = OnlineLearner<M> && requires(M& m) { m.reset(); };

/// IntervalLearner moved to l2s/dvfs/concepts.hpp (namespace l2s); this name stays for one release.
using ::l2s::IntervalLearner;

}  // namespace l2s::online

namespace l2s {

/// How online::uaol_policy enforces the slowdown budget p over an episode: resize(K); open() at a new
/// episode; allowance_s(), the time a decision may add beyond (1 + p)·t̂(all islands at the top level);
/// slack_s(), what is banked; book(k, t̂_k(top), t̂_k(level)), the settled estimates of each decision; and
/// settle(after, levels, tops, p, measured_s) once the interval has run. Optional: a static constexpr bool
/// books_decisions = false when book() is unused (uaol_policy then skips the estimates).
/// Shipped: online::slack_account (default), online::per_interval_budget.  @see docs/uaol.md#budget-account
template <class A>
concept BudgetAccount = requires(A& a, const A& ca, std::size_t k, double x, const dvfs::observation& o,
                                 std::span<const level_t> l) {
    a.resize(k);
    a.open();
    { ca.allowance_s() } -> std::convertible_to<double>;
    { ca.slack_s() } -> std::convertible_to<double>;
    a.book(k, x, x);
    a.settle(o, l, l, x, x);
};

/// What online::uaol_policy does with a decision once made: resize(levels per island), then
/// refine(search, model, obs, decision, limit) → true when it changed the decision (in place) through the
/// runtime models within the time limit. Shipped: online::refine_below (default), online::keep_decision.
/// @see docs/uaol.md#refinement
template <class R, class Model>
concept DecisionRefinerFor =
    PowerPerformanceModel<Model> &&
    requires(R& r, std::span<const std::size_t> levels, online::product_set_search& s, const Model& m,
             const dvfs::observation& o, std::span<level_t> a, online::time_limit t) {
        r.resize(levels);
        { r.refine(s, m, o, a, t) } -> std::convertible_to<bool>;
    };

/// How online::basic_island_models predicts time per instruction across levels beyond each island's RLS
/// weights: resize(freq_hz tables), update(frequency each island ran at, its measured time per instruction
/// in s; 0 where nothing retired), tpi_ns(k, f_hz, out) → true and the prediction in ns when it has one,
/// reset(). Shipped: online::pooled_time (default), online::per_island_time.  @see docs/uaol.md#pooled-time
template <class T>
concept TimePooling = requires(T& t, const T& ct, const std::vector<std::vector<double>>& tables,
                               std::span<const double> x, std::size_t k, double f, double& out) {
    t.resize(tables);
    t.update(x, x);
    { ct.tpi_ns(k, f, out) } -> std::convertible_to<bool>;
    t.reset();
};

}  // namespace l2s
