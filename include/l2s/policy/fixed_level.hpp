// SPDX-License-Identifier: MIT
// l2s/policy/fixed_level.hpp: a policy that always chooses the same level per island (baselines, tests).
#pragma once
#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::policy {

/// Always level[k] on island k (probability 1). fixed_level::max(L) is the "performance" baseline.
/// @see docs/policy.md#fixed_level
class fixed_level {
public:
    static constexpr const char* kind = "fixed_level";
    fixed_level(std::vector<level_t> levels, std::vector<std::size_t> levels_per_island)
        : levels_(std::move(levels)), num_levels_(std::move(levels_per_island)) {
        constexpr const char* who = "l2s::policy::fixed_level";
        require_size(who, "levels_per_island", static_cast<Eigen::Index>(num_levels_.size()),
                     static_cast<Eigen::Index>(levels_.size()));
        if (levels_.empty()) throw invalid_argument(std::string(who) + ": no islands");
        for (std::size_t k = 0; k < levels_.size(); ++k)
            if (num_levels_[k] < 1 || levels_[k] >= num_levels_[k])
                throw invalid_argument(std::string(who) + ": level of island " + std::to_string(k) + " out of range");
        lmax_ = *std::max_element(num_levels_.begin(), num_levels_.end());
    }
    /// Every island at its highest level.
    [[nodiscard]] static fixed_level max(std::vector<std::size_t> levels_per_island) {
        std::vector<level_t> l(levels_per_island.size());
        for (std::size_t k = 0; k < l.size(); ++k) l[k] = static_cast<level_t>(levels_per_island[k] ? levels_per_island[k] - 1 : 0);
        return {std::move(l), std::move(levels_per_island)};
    }

    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return num_levels_[k]; }
    [[nodiscard]] std::size_t max_levels() const noexcept { return lmax_; }
    [[nodiscard]] const std::vector<level_t>& levels() const noexcept { return levels_; }
    [[nodiscard]] const std::vector<std::size_t>& levels_per_island() const noexcept { return num_levels_; }

    void reset() noexcept {}
    void act(const dvfs::observation&, dvfs::action& a) const noexcept {
        for (std::size_t k = 0; k < std::min(a.size(), levels_.size()); ++k) a[k] = levels_[k];
    }
    void probabilities(const dvfs::observation&, std::span<double> out) const noexcept {
        for (std::size_t k = 0; k < levels_.size(); ++k)
            for (std::size_t l = 0; l < lmax_; ++l)
                if (k * lmax_ + l < out.size()) out[k * lmax_ + l] = l == levels_[k] ? 1.0 : 0.0;
    }

private:
    std::vector<level_t> levels_;
    std::vector<std::size_t> num_levels_;
    std::size_t lmax_ = 0;
};

}  // namespace l2s::policy
