// SPDX-License-Identifier: MIT
// l2s/bo/run.hpp: the evaluation loop around an ask/tell optimizer: ask, evaluate, tell, notify observers,
// stop on budget, target, patience or an observer's control::stop.
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <l2s/bo/observers.hpp>
#include <l2s/bo/optimizer_state.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>

namespace l2s::bo {

/// Evaluates `objective(x)` up to budget times through the ask/tell optimizer `opt` (bo::optimizer, or any type
/// with its ask, tell, best_index, observed_x/y, in_design_phase, cfg and model). The objective returns a
/// double, or, with constraints, anything with members `value` (double) and `constraints` (vec). Observers get
/// on_start, on_evaluation(const evaluation&), on_numerical_event (from the model's last_events()),
/// on_iteration(const iteration&) (may return control::stop) and on_finish. Stops early when an observer asks,
/// when the best feasible value reaches cfg().target_value, or after cfg().patience evaluations without
/// improvement.  @see docs/bo.md#run
template <class Opt, class F, class Rng, class... Obs>
run_result run(Opt& opt, F&& objective, std::size_t budget, Rng& rng, Obs&... obs) {
    constexpr bool observed = sizeof...(Obs) > 0;
    const auto& cfg = opt.cfg();
    auto utility = [&cfg](double y) { return cfg.goal == sense::minimize ? -y : y; };
    if constexpr (observed)
        (void)notify_each([](auto& o) { if constexpr (requires { o.on_start(); }) o.on_start(); }, obs...);
    run_result r;
    std::size_t since_improvement = 0;
    double best_u = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < budget; ++i) {
        const bool from_design = opt.in_design_phase();
        const vec x = opt.ask(rng);
        vec g;
        double y = 0.0;
        const auto out = objective(x);
        if constexpr (std::is_convertible_v<decltype(out), double>) {
            y = static_cast<double>(out);
        } else {
            y = out.value;
            g = out.constraints;
        }
        opt.tell(x, y, g);
        if constexpr (observed && requires { opt.model().last_events(); })
            for (const auto& e : opt.model().last_events()) notify(e, obs...);
        ++r.evaluations;
        const Eigen::Index b = opt.best_index();
        const double best = b >= 0 ? opt.observed_y()(b)
                                   : (cfg.goal == sense::minimize ? 1.0 : -1.0) * std::numeric_limits<double>::infinity();
        control c = control::proceed;
        if constexpr (observed) {
            const evaluation ev{i, &x, y, &g, best, from_design};
            (void)notify_each([&ev](auto& o) { if constexpr (requires { o.on_evaluation(ev); }) o.on_evaluation(ev); }, obs...);
            const iteration it{r.evaluations, best};
            c = notify_each([&it](auto& o) {
                if constexpr (requires { o.on_iteration(it); }) return o.on_iteration(it);
            }, obs...);
        } else {
            (void)from_design;
        }
        if (b >= 0 && utility(best) > best_u) {
            best_u = utility(best);
            since_improvement = 0;
        } else {
            ++since_improvement;
        }
        const bool target_hit = b >= 0 && !std::isnan(cfg.target_value) && utility(best) >= utility(cfg.target_value);
        const bool patience_out = cfg.patience > 0 && since_improvement >= cfg.patience;
        if (c == control::stop || target_hit || patience_out) {
            r.stopped_early = i + 1 < budget;
            break;
        }
    }
    if (const Eigen::Index b = opt.best_index(); b >= 0) {
        r.best_x = opt.observed_x().col(b);
        r.best_value = opt.observed_y()(b);
    } else {
        r.best_value = std::numeric_limits<double>::quiet_NaN();
    }
    if constexpr (observed)
        (void)notify_each([](auto& o) { if constexpr (requires { o.on_finish(); }) o.on_finish(); }, obs...);
    return r;
}

}  // namespace l2s::bo
