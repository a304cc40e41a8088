// SPDX-License-Identifier: MIT
// l2s/sim/governors.hpp: deprecated umbrella, kept for one release. The cpufreq governors are in
// l2s/sim/cpufreq_governors.hpp, governor_policy and cpufreq_policies in l2s/sim/governor_policy.hpp, and
// the best static level in l2s/search/static_level.hpp (namespace l2s::search); include those instead.
#pragma once
#include <utility>

#include <l2s/search/static_level.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/governor_policy.hpp>

namespace l2s::sim {
using best_static_level_config [[deprecated("use l2s::search::best_static_level_config")]] = search::best_static_level_config;
using best_static_level_result [[deprecated("use l2s::search::best_static_level_result")]] = search::best_static_level_result;

/// Deprecated: use search::best_static_level (l2s/search/static_level.hpp).
template <Evaluator Ev, class Objective>
[[deprecated("use l2s::search::best_static_level")]] [[nodiscard]] search::best_static_level_result
best_static_level(Ev& ev, Objective objective, const search::best_static_level_config& cfg = {}) {
    return search::best_static_level(ev, std::move(objective), cfg);
}
/// Deprecated: use search::best_static_level (l2s/search/static_level.hpp).
template <Evaluator Ev>
[[deprecated("use l2s::search::best_static_level")]] [[nodiscard]] search::best_static_level_result
best_static_level(Ev& ev, const search::best_static_level_config& cfg = {}) {
    return search::best_static_level(ev, cfg);
}
}  // namespace l2s::sim
