// SPDX-License-Identifier: MIT
// l2s/search/sequence_space.hpp: V/F decision sequences as a search space for bo::optimizer, with the
// model's inputs either the levels scaled to [0, 1] or the sequence features φ(Y).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/detail/xtensor_compat.hpp>
#include <l2s/search/features.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::search {

/// What the surrogate sees of a sequence (sequence_space::to_unit).
enum class sequence_encoding {
    levels,    ///< every entry y(t, k) / (L_k − 1): T·K inputs (for the Hamming kernel)
    features,  ///< φ(Y) of sequence_features: mean level per island per block, change rates, a constant
};

/// The sequences of T intervals × K islands with L_k levels on island k, one point per sequence: the
/// vector of its levels in row order (x[t·K + k] = y(t, k)). `to_unit` gives the surrogate's inputs in
/// [0, 1] by the encoding; bo::optimizer calls it when normalise_inputs is set.  @see docs/l2s.md#bo_guided
class sequence_space {
public:
    sequence_space(std::size_t intervals, std::vector<std::size_t> levels,
                   sequence_encoding encoding = sequence_encoding::features, std::size_t feature_blocks = 8)
        : T_(intervals), levels_(std::move(levels)), encoding_(encoding), blocks_(feature_blocks) {
        constexpr const char* who = "l2s::search::sequence_space";
        require_config(T_ >= 1, who, "intervals", ">= 1", double(T_));
        require_config(!levels_.empty(), who, "levels", "non-empty", 0.0);
        for (auto l : levels_) require_config(l >= 1, who, "levels", ">= 1 per island", double(l));
    }

    [[nodiscard]] std::size_t dim() const noexcept { return T_ * levels_.size(); }
    [[nodiscard]] std::size_t num_intervals() const noexcept { return T_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return levels_[k]; }
    [[nodiscard]] const std::vector<std::size_t>& levels() const noexcept { return levels_; }
    [[nodiscard]] sequence_encoding encoding() const noexcept { return encoding_; }

    /// Every entry uniform over its island's levels.
    template <class Rng>
    [[nodiscard]] vec sample(Rng& rng) const {
        vec x(static_cast<Eigen::Index>(dim()));
        for (std::size_t i = 0; i < dim(); ++i)
            x(static_cast<Eigen::Index>(i)) = double(std::uniform_int_distribution<std::size_t>(0, level_count(i) - 1)(rng));
        return x;
    }
    [[nodiscard]] bool contains(const vec& x) const {
        if (static_cast<std::size_t>(x.size()) != dim()) return false;
        for (std::size_t i = 0; i < dim(); ++i) {
            const double v = x(static_cast<Eigen::Index>(i));
            if (!(v >= 0.0 && v <= double(level_count(i) - 1) && v == std::round(v))) return false;
        }
        return true;
    }
    /// Rounds every entry to the nearest level in range.
    [[nodiscard]] vec project(const vec& x) const {
        vec p(static_cast<Eigen::Index>(dim()));
        for (std::size_t i = 0; i < dim(); ++i) {
            const double v = i < static_cast<std::size_t>(x.size()) ? x(static_cast<Eigen::Index>(i)) : 0.0;
            p(static_cast<Eigen::Index>(i)) = std::clamp(std::round(std::isfinite(v) ? v : 0.0), 0.0, double(level_count(i) - 1));
        }
        return p;
    }
    /// The surrogate's inputs: scaled levels (T·K entries) or φ(Y) (sequence_feature_dim entries).
    [[nodiscard]] vec to_unit(const vec& x) const {
        if (encoding_ == sequence_encoding::features) return sequence_features(to_sequence(x), levels_, blocks_);
        vec u(x.size());
        for (std::size_t i = 0; i < dim(); ++i) {
            const std::size_t L = level_count(i);
            u(static_cast<Eigen::Index>(i)) = L > 1 ? x(static_cast<Eigen::Index>(i)) / double(L - 1) : 0.0;
        }
        return u;
    }
    /// Input dimension of the surrogate under the encoding.
    [[nodiscard]] std::size_t unit_dim() const {
        return encoding_ == sequence_encoding::features ? sequence_feature_dim(T_, levels_.size(), blocks_) : dim();
    }

    [[nodiscard]] vf_sequence to_sequence(const vec& x) const {
        vf_sequence y = xt::zeros<level_t>({T_, levels_.size()});
        for (std::size_t i = 0; i < dim(); ++i) y.data()[i] = static_cast<level_t>(x(static_cast<Eigen::Index>(i)));
        return y;
    }
    [[nodiscard]] vec from_sequence(const vf_sequence& y) const {
        vec x(static_cast<Eigen::Index>(dim()));
        for (std::size_t i = 0; i < dim(); ++i) x(static_cast<Eigen::Index>(i)) = double(y.data()[i]);
        return x;
    }

private:
    [[nodiscard]] std::size_t level_count(std::size_t i) const noexcept { return levels_[i % levels_.size()]; }

    std::size_t T_;
    std::vector<std::size_t> levels_;
    sequence_encoding encoding_;
    std::size_t blocks_;
};
static_assert(SearchSpace<sequence_space>);

}  // namespace l2s::search
