// SPDX-License-Identifier: MIT
// l2s/studies/uaol_setup.hpp: UaOL as a study composes it. Every variant is a library type (a budget
// account, a refiner, a runtime-model family); the study holds one of each and instantiates
// online::uaol_policy with the chosen types. The defaults are the library's defaults.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/online/budget_account.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/refinement.hpp>
#include <l2s/online/time_pooling.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/sim/lookahead_model.hpp>
#include <l2s/sim/simulator.hpp>

namespace l2s::studies {

/// The simulator's exact next-interval costs (sim::lookahead_model) as UaOL's models: not deployable (it
/// reads the workload's future), an upper bound that isolates the runtime models' share of the gap to the
/// oracle (docs/results/uaol.md).
struct lookahead_models {};

/// UaOL's parts, each a library type; JSON names them by a `kind` key (studies/json.hpp).
struct uaol_setup {
    online::uaol_policy_config policy{};  ///< gate, conformal sets, search, learning rate, guard, widening
    std::variant<online::slack_account, online::per_interval_budget> account{};
    std::variant<online::refine_below, online::keep_decision> refinement{};
    /// The runtime models' time pooling (online::island_models or online::per_island_models), or the
    /// simulator's exact costs.
    std::variant<online::pooled_time, online::per_island_time, lookahead_models> models{};

    /// Throws invalid_config naming `who` and the field (alpha, gate_quantile, budget, learning_rate).
    void validate(const std::string& who) const {
        const auto& p = policy;
        require_config(p.conformal.alpha > 0.0 && p.conformal.alpha < 1.0, who, "alpha", "in (0, 1)",
                       p.conformal.alpha);
        require_config(p.gate.quantile > 0.0 && p.gate.quantile <= 1.0, who, "gate_quantile", "in (0, 1]",
                       p.gate.quantile);
        require_config(p.search.budget >= 1, who, "budget", ">= 1", static_cast<double>(p.search.budget));
        require_config(p.learning_rate > 0.0, who, "learning_rate", "> 0", p.learning_rate);
    }
};

/// Runtime models learned online for the setup's model family: island_models (pooled time) or
/// per_island_models; lookahead_models pretrain island_models too (unused at run time).
using runtime_models = std::variant<online::island_models, online::per_island_models>;

/// The runtime models of `setup` for a chip (any platform-shaped type island_models::for_platform takes).
template <class Chip>
[[nodiscard]] runtime_models make_runtime_models(const uaol_setup& setup, const Chip& chip) {
    if (const auto* p = std::get_if<online::per_island_time>(&setup.models))
        return online::per_island_models::for_platform(chip, {}, *p);
    if (const auto* p = std::get_if<online::pooled_time>(&setup.models))
        return online::island_models::for_platform(chip, {}, *p);
    return online::island_models::for_platform(chip);
}

/// Calls f(uaol) with an online::uaol_policy around `policy` composed from `setup`'s types: the budget
/// account, the refiner, and the pretrained runtime models (or sim::lookahead_model over `exact`).
template <class P, class F>
void with_uaol(const uaol_setup& setup, const P& policy, const runtime_models& models,
               std::shared_ptr<const sim::simulator> exact, const std::vector<std::size_t>& levels,
               const online::uaol_policy_config& cfg, F&& f) {
    auto with_model = [&](auto&& run) {
        if (std::holds_alternative<lookahead_models>(setup.models)) run(sim::lookahead_model(std::move(exact)));
        else std::visit([&](const auto& m) { run(m); }, models);
    };
    with_model([&](auto model) {
        std::visit(
            [&](const auto& account, const auto& refiner) {
                online::uaol_policy<P, decltype(model), std::decay_t<decltype(account)>, std::decay_t<decltype(refiner)>>
                    uaol(policy, std::move(model), levels, cfg, account, refiner);
                f(uaol);
            },
            setup.account, setup.refinement);
    });
}

}  // namespace l2s::studies
