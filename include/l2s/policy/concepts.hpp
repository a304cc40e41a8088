// SPDX-License-Identifier: MIT
// l2s/policy/concepts.hpp: the ProbabilisticPolicy concept.
#pragma once
#include <span>

#include <l2s/sim/concepts.hpp>

namespace l2s {

/// A PolicyFor<P, E> that also reports its level probabilities: probabilities(obs, out) writes
/// K × L_max numbers, island-major (out[k * L_max + l] = p_k(l | obs)); each island's row sums to 1 over
/// its own L_k levels and is zero beyond them.  @see docs/concepts.md#probabilisticpolicy
template <class P, class E>
concept ProbabilisticPolicy =
    PolicyFor<P, E> && requires(const P& p, const typename E::observation_type& o, std::span<double> out) {
        p.probabilities(o, out);
    };

}  // namespace l2s
