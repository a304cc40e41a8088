// SPDX-License-Identifier: MIT
// l2s/search/features.hpp: sequence features φ(Y) and a linear ranker trained by pairwise hinge loss.
#pragma once
#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>

namespace l2s::search {

/// Number of features of sequence_features for T intervals, K islands, `blocks` blocks.
[[nodiscard]] inline std::size_t sequence_feature_dim(std::size_t T, std::size_t K, std::size_t blocks = 8) {
    const std::size_t b = std::max<std::size_t>(1, std::min(blocks, T));
    const std::size_t len = (T + b - 1) / b;
    return K * ((T + len - 1) / len) + K + 1;
}

/// φ(Y) (DESIGN.md §f): the mean level per island per block of ⌈T/blocks⌉ intervals, scaled to [0, 1] by
/// L_k − 1, then each island's fraction of intervals with a level change, then a constant 1.
/// `levels[k]` is L_k.
[[nodiscard]] inline vec sequence_features(const vf_sequence& y, const std::vector<std::size_t>& levels,
                                           std::size_t blocks = 8) {
    const std::size_t T = y.shape()[0], K = y.shape()[1];
    if (levels.size() != K)
        throw dimension_mismatch("l2s::search::sequence_features: levels has size " + std::to_string(levels.size()) +
                                 ", expected " + std::to_string(K));
    const std::size_t b = std::max<std::size_t>(1, std::min(blocks, T));
    const std::size_t len = (T + b - 1) / b, nb = (T + len - 1) / len;
    vec phi = vec::Zero(static_cast<Eigen::Index>(K * nb + K + 1));
    for (std::size_t k = 0; k < K; ++k) {
        const double scale = levels[k] > 1 ? 1.0 / static_cast<double>(levels[k] - 1) : 0.0;
        for (std::size_t j = 0; j < nb; ++j) {
            const std::size_t t0 = j * len, t1 = std::min(T, t0 + len);
            double s = 0.0;
            for (std::size_t t = t0; t < t1; ++t) s += y(t, k);
            phi(static_cast<Eigen::Index>(k * nb + j)) = s * scale / static_cast<double>(t1 - t0);
        }
        std::size_t changes = 0;
        for (std::size_t t = 1; t < T; ++t) changes += y(t, k) != y(t - 1, k) ? 1u : 0u;
        phi(static_cast<Eigen::Index>(K * nb + k)) = T > 1 ? double(changes) / double(T - 1) : 0.0;
    }
    phi(phi.size() - 1) = 1.0;
    return phi;
}

/// Tunables of linear_ranker training.
struct linear_ranker_config {
    std::size_t epochs = 20;      ///< passes of n random pairs each
    double learning_rate = 0.05;  ///< SGD step
    double l2 = 1.0e-4;           ///< weight decay per step
    double margin = 1.0;          ///< hinge margin
};

/// A linear scoring function s(φ) = w·φ where lower means better, trained by SGD on the pairwise hinge loss
/// Σ_{(i,j): key_i < key_j} max(0, margin − (s(φ_j) − s(φ_i))) + l2/2·‖w‖² (RankSVM-style; Joachims, KDD 2002).
/// Used as the cost function C of HC-Search (`lds`) and the start heuristic H of `bo_guided`.
class linear_ranker {
public:
    using config = linear_ranker_config;
    explicit linear_ranker(const linear_ranker_config& c = {}) : cfg_(c) {
        require_config(c.epochs >= 1, "l2s::search::linear_ranker", "epochs", ">= 1", double(c.epochs));
        require_config(c.learning_rate > 0, "l2s::search::linear_ranker", "learning_rate", "> 0", c.learning_rate);
        require_config(c.l2 >= 0, "l2s::search::linear_ranker", "l2", ">= 0", c.l2);
        require_config(c.margin > 0, "l2s::search::linear_ranker", "margin", "> 0", c.margin);
    }
    [[nodiscard]] const linear_ranker_config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] const vec& weights() const noexcept { return w_; }
    [[nodiscard]] bool trained() const noexcept { return w_.size() > 0; }

    /// Score of φ (lower = better); 0 before training.
    [[nodiscard]] double score(const vec& phi) const {
        if (!trained()) return 0.0;
        require_size("l2s::search::linear_ranker::score", "phi", phi.size(), w_.size());
        return w_.dot(phi);
    }

    /// Fits on the columns of `features` (d × n) with targets `keys` (lower = better). Warm-starts from the
    /// current weights when the dimension matches.
    void fit(const mat& features, const std::vector<double>& keys, rng_type& rng) {
        const auto n = features.cols();
        require_size("l2s::search::linear_ranker::fit", "keys", static_cast<Eigen::Index>(keys.size()), n);
        require_finite("l2s::search::linear_ranker::fit", "features", features);
        if (w_.size() != features.rows()) w_ = vec::Zero(features.rows());
        if (n < 2) return;
        std::uniform_int_distribution<Eigen::Index> pick(0, n - 1);
        for (std::size_t e = 0; e < cfg_.epochs; ++e)
            for (Eigen::Index s = 0; s < n; ++s) {
                Eigen::Index i = pick(rng), j = pick(rng);
                if (keys[std::size_t(i)] == keys[std::size_t(j)]) continue;
                if (keys[std::size_t(i)] > keys[std::size_t(j)]) std::swap(i, j);  // i better than j
                w_ *= 1.0 - cfg_.learning_rate * cfg_.l2;
                const double gap = w_.dot(features.col(j) - features.col(i));
                if (gap < cfg_.margin) w_ += cfg_.learning_rate * (features.col(j) - features.col(i));
            }
    }

private:
    linear_ranker_config cfg_;
    vec w_;
};

}  // namespace l2s::search
