// SPDX-License-Identifier: MIT
// l2s/policy/concepts.hpp: the ProbabilisticPolicy and SgdStepPolicy concepts.
#pragma once
#include <span>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s {

/// A PolicyFor<P, E> that also reports its level probabilities: probabilities(obs, out) writes
/// K × L_max numbers, island-major (out[k * L_max + l] = p_k(l | obs)); each island's row sums to 1 over
/// its own L_k levels and is zero beyond them.  @see docs/concepts.md#probabilisticpolicy
template <class P, class E>
concept ProbabilisticPolicy =
    PolicyFor<P, E> && requires(const P& p, const typename E::observation_type& o, std::span<double> out) {
        p.probabilities(o, out);
    };

/// Optional capability of a policy: one stochastic-gradient step of its log-likelihood towards per-island
/// level labels, sgd_step(obs, labels, lr) (labels: K levels). online::uaol_policy uses it to adapt.
/// @see docs/uaol.md#concept-sgdsteppolicy
template <class P>
concept SgdStepPolicy = requires(P& p, const dvfs::observation& o, std::span<const level_t> labels, double lr) {
    p.sgd_step(o, labels, lr);
};

}  // namespace l2s
