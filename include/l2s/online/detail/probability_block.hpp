// SPDX-License-Identifier: MIT
// l2s/online/detail/probability_block.hpp: shape and validation of K × L_max level-probability blocks.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <l2s/core/error.hpp>

namespace l2s::online::detail {

/// Levels per island of a probability block: island k uses the first L_k of its L_max = max_k L_k entries.
struct block_shape {
    std::vector<std::size_t> levels;  ///< L_k per island
    std::size_t max_levels = 0;       ///< L_max

    block_shape() = default;
    block_shape(std::string_view who, std::vector<std::size_t> levels_per_island) : levels(std::move(levels_per_island)) {
        if (levels.empty()) throw invalid_config(std::string(who) + ": levels_per_island must not be empty");
        for (std::size_t k = 0; k < levels.size(); ++k)
            if (levels[k] == 0 || levels[k] > 256)
                throw invalid_config(std::string(who) + ": levels_per_island[" + std::to_string(k) +
                                     "] must be in [1, 256] (got " + std::to_string(levels[k]) + ")");
        max_levels = *std::max_element(levels.begin(), levels.end());
    }
    [[nodiscard]] std::size_t islands() const noexcept { return levels.size(); }
    [[nodiscard]] std::size_t block_size() const noexcept { return levels.size() * max_levels; }
    /// The L_k probabilities of island k inside one block.
    [[nodiscard]] std::span<const double> row(std::span<const double> block, std::size_t k) const noexcept {
        return block.subspan(k * max_levels, levels[k]);
    }
};

/// Validates n consecutive blocks: size a multiple of the block size (dimension_mismatch), entries finite
/// (non_finite_observation), non-negative and summing to 1 within `tolerance` per island (invalid_argument).
/// Returns n.
inline std::size_t validate_blocks(std::string_view who, const block_shape& shape, std::span<const double> blocks,
                                   double tolerance) {
    const std::size_t bs = shape.block_size();
    if (blocks.size() % bs != 0)
        throw dimension_mismatch(std::string(who) + ": probability data has size " + std::to_string(blocks.size()) +
                                 ", not a multiple of K × L_max = " + std::to_string(bs));
    const std::size_t n = blocks.size() / bs;
    for (std::size_t i = 0; i < n; ++i) {
        const auto block = blocks.subspan(i * bs, bs);
        for (std::size_t k = 0; k < shape.islands(); ++k) {
            double sum = 0.0;
            for (double p : shape.row(block, k)) {
                if (!std::isfinite(p))
                    throw non_finite_observation(std::string(who) + ": probability of sample " + std::to_string(i) +
                                                 ", island " + std::to_string(k) + " is not finite");
                if (p < 0.0)
                    throw invalid_argument(std::string(who) + ": negative probability in sample " +
                                           std::to_string(i) + ", island " + std::to_string(k) + " (" +
                                           std::to_string(p) + ")");
                sum += p;
            }
            if (std::abs(sum - 1.0) > tolerance)
                throw invalid_argument(std::string(who) + ": probabilities of sample " + std::to_string(i) +
                                       ", island " + std::to_string(k) + " sum to " + std::to_string(sum) +
                                       ", not 1");
        }
    }
    return n;
}

/// Index of the largest entry (the first one on ties).
inline std::size_t argmax(std::span<const double> p) noexcept {
    std::size_t best = 0;
    for (std::size_t l = 1; l < p.size(); ++l)
        if (p[l] > p[best]) best = l;
    return best;
}

/// The r-th smallest (1-based) of `values` (sorted in place); +∞ when r > values.size().
inline double order_statistic(std::vector<double>& values, std::size_t r) {
    if (r > values.size()) return HUGE_VAL;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(r - 1), values.end());
    return values[r - 1];
}

}  // namespace l2s::online::detail
