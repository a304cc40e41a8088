// SPDX-License-Identifier: MIT
// l2s/opt/concepts.hpp: the result of an inner (acquisition) optimiser and the AcquisitionOptimizerFor concept.
#pragma once
#include <concepts>
#include <limits>

#include <l2s/core/types.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s {

namespace opt {
/// The best point an inner optimiser found and its score.
struct maximize_result {
    vec x;
    double value = -std::numeric_limits<double>::infinity();
    std::size_t evaluations = 0;  ///< number of points scored
};
}  // namespace opt

namespace detail {
/// Stands for any batch scorer: columns of a d × m matrix in, m scores out (larger is better).
struct batch_scorer_archetype {
    vec operator()(const mat& X) const { return vec::Zero(X.cols()); }
};
template <class O, class S> concept maximizes_over = requires(const O& o, const batch_scorer_archetype& f, const S& s,
                                                               rng_type& rng) {
    { o.maximize(f, s, rng) } -> std::convertible_to<opt::maximize_result>;
};
}  // namespace detail

/// An inner optimiser of acquisitions over the space S: `maximize(f, space, rng) → maximize_result`, where
/// `f(const mat& X) → vec` scores a batch of candidate columns. Optional: `maximize(f, space, rng, starts)`
/// taking extra start points (columns, e.g. the incumbent).  @see docs/bo.md#acquisitionoptimizerfor
template <class O, class S>
concept AcquisitionOptimizerFor = std::copyable<O> && SearchSpace<S> && detail::maximizes_over<O, S>;

}  // namespace l2s
