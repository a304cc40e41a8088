// SPDX-License-Identifier: MIT
// l2s/learn/evaluate.hpp: accuracy of a learned policy on a stored dataset.
#pragma once
#include <array>
#include <cstddef>

#include <l2s/core/error.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/island_policy.hpp>

namespace l2s::learn {

/// Fraction of (sample, island) pairs whose most probable level equals the label. P is a learned
/// per-island policy (softmax_linear, mlp, cart_tree) with feature_probabilities(raw, k, p).
template <class P>
double accuracy(const P& policy, const dataset& d) {
    if (d.empty()) throw invalid_argument("l2s::learn::accuracy: empty dataset");
    if (d.num_islands() != policy.num_islands() || d.num_features() != policy.num_features())
        throw dimension_mismatch("l2s::learn::accuracy: dataset and policy differ in islands or features");
    std::array<typename P::scalar_type, policy::max_width> p{};
    std::size_t hit = 0, total = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
        for (std::size_t k = 0; k < d.num_islands(); ++k) {
            policy.feature_probabilities(d.features(i, k), k, p.data());
            std::size_t best = 0;
            for (std::size_t l = 1; l < policy.num_levels(k); ++l)
                if (p[l] > p[best]) best = l;
            hit += best == d.label(i, k);
            ++total;
        }
    return double(hit) / double(total);
}

}  // namespace l2s::learn
