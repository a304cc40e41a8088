// SPDX-License-Identifier: MIT
// l2s/policy/feature_set.hpp: the feature sets (compact, standard, extended), their names, sizes and the
// offsets of each feature group.  @see docs/policy.md#feature_map
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <l2s/core/error.hpp>

namespace l2s::policy {

/// Largest width (features, hidden units, levels) a decision may use: decisions keep their working
/// vectors on the stack in arrays of this size, so they neither allocate nor share scratch memory.
inline constexpr std::size_t max_width = 256;

/// Which features a feature_map computes. Each set is a prefix of the next (compact = the first 8 of
/// standard, standard = the first 32 of extended), so a model's inputs keep their meaning across sets.
/// @see docs/policy.md#feature_map
enum class feature_set : std::uint8_t {
    compact,   ///< F = 8: the island's own base signals
    standard,  ///< F = 32: + deltas, EWMAs, level, active cores, chip aggregates (DESIGN §f)
    extended,  ///< F = 128: + slow EWMAs, EW standard deviations, chip spreads, level and quadratic interactions
};

/// Where each group of features starts in a feature vector (see feature_map's table); a group ends where
/// the next begins. Every set is a prefix: compact ends at `delta`, standard at `slow_ewma`, extended at `end`.
struct feature_offsets {
    static constexpr std::size_t num_base = 8;         ///< base signals per island
    static constexpr std::size_t base = 0;             ///< s_t, the 8 base signals
    static constexpr std::size_t delta = 8;            ///< s_t − s_{t−1}
    static constexpr std::size_t ewma = 16;            ///< EWMAs of s
    static constexpr std::size_t level_fraction = 24;  ///< current level / (L_k − 1)
    static constexpr std::size_t active_cores = 25;    ///< active cores
    static constexpr std::size_t chip = 26;            ///< 6 chip aggregates
    static constexpr std::size_t num_chip = 6;
    static constexpr std::size_t slow_ewma = 32;       ///< extended: slow EWMAs of s
    static constexpr std::size_t ewstd = 40;           ///< EW standard deviations of s
    static constexpr std::size_t chip_mean = 48;       ///< means of s over islands
    static constexpr std::size_t chip_max = 56;        ///< maxima of s over islands
    static constexpr std::size_t chip_min = 64;        ///< minima of s over islands
    static constexpr std::size_t level_product = 72;   ///< s_t × level fraction
    static constexpr std::size_t quadratic = 80;       ///< s_i s_j, i ≤ j, in row order
    static constexpr std::size_t num_quadratic = num_base * (num_base + 1) / 2;
    static constexpr std::size_t abs_delta = 116;      ///< |s_t − s_{t−1}|
    static constexpr std::size_t chip_std = 124;       ///< 4 standard deviations over islands
    static constexpr std::size_t num_chip_std = 4;
    static constexpr std::size_t end = 128;            ///< F of the extended set
};
static_assert(feature_offsets::chip + feature_offsets::num_chip == feature_offsets::slow_ewma);
static_assert(feature_offsets::quadratic + feature_offsets::num_quadratic == feature_offsets::abs_delta);
static_assert(feature_offsets::chip_std + feature_offsets::num_chip_std == feature_offsets::end);

/// Number of features of a set: 8, 32 or 128.
[[nodiscard]] constexpr std::size_t feature_count(feature_set s) noexcept {
    return s == feature_set::compact    ? feature_offsets::delta
           : s == feature_set::standard ? feature_offsets::slow_ewma
                                        : feature_offsets::end;
}
/// The name of every set, as configuration files spell it.
inline constexpr std::array<std::pair<const char*, feature_set>, 3> feature_set_names{
    {{"compact", feature_set::compact}, {"standard", feature_set::standard}, {"extended", feature_set::extended}}};
/// "compact", "standard" or "extended".
[[nodiscard]] constexpr const char* to_string(feature_set s) noexcept {
    for (const auto& [name, v] : feature_set_names)
        if (v == s) return name;
    return "?";
}
/// The set named name; throws invalid_config naming `who` for any other name.
[[nodiscard]] inline feature_set feature_set_from_string(std::string_view name, std::string_view who) {
    for (const auto& [n, v] : feature_set_names)
        if (name == n) return v;
    throw invalid_config(std::string(who) + ": unknown feature set '" + std::string(name) +
                         "' (compact, standard, extended)");
}

}  // namespace l2s::policy

namespace l2s::policy::detail {

/// Calls fn(std::integral_constant<std::size_t, F>{}) for the feature count F of a set (8, 32 or 128), so
/// per-feature loops run with a compile-time trip count.
template <class Fn>
decltype(auto) with_feature_count(std::size_t F, Fn&& fn) {
    if (F == feature_count(feature_set::compact)) return fn(std::integral_constant<std::size_t, feature_count(feature_set::compact)>{});
    if (F == feature_count(feature_set::standard)) return fn(std::integral_constant<std::size_t, feature_count(feature_set::standard)>{});
    return fn(std::integral_constant<std::size_t, feature_count(feature_set::extended)>{});
}

}  // namespace l2s::policy::detail
