// SPDX-License-Identifier: MIT
// l2s/acquisition/kriging_believer.hpp: a batch of q points by sequential picks on fantasised observations.
#pragma once
#include <cstddef>
#include <string>
#include <utility>

#include <l2s/acquisition/concepts.hpp>
#include <l2s/core/checks.hpp>

namespace l2s::acquisition {

/// Kriging believer (Ginsbourger, Le Riche & Carraro, "Kriging is well-suited to parallelize optimization",
/// 2010): pick x₁ by the acquisition, add the fantasy observation y = μ(x₁) to a copy of the model, pick x₂ on
/// the updated model, and so on q times. The fantasies shrink the variance around earlier picks, which spreads
/// the batch.  @see docs/acquisition.md#kriging_believer
struct kriging_believer {
    std::size_t q = 2;  ///< batch size ≥ 1

    /// Returns the d × q batch. `pick(const M&) → vec` chooses one point on the given (fantasised) model.
    template <class M, class Pick>
    [[nodiscard]] mat select(M model, Pick&& pick) const {
        static_assert(Surrogate<M>, "l2s::acquisition::kriging_believer: M must model l2s::Surrogate (see docs/concepts.md#surrogate)");
        return select(std::move(model), std::forward<Pick>(pick), [](M& m, const vec& x) { m.add(x, m.predict(x).mean); });
    }

    /// The same loop over any fantasy state (for example an objective model with its constraint models, or
    /// models over transformed inputs): `pick(const State&) → vec` chooses a point, `believe(State&, x)` adds
    /// the fantasy observations at x. believe is not called after the last pick.
    template <class State, class Pick, class Believe>
    [[nodiscard]] mat select(State state, Pick&& pick, Believe&& believe) const {
        require_config(q >= 1, "l2s::acquisition::kriging_believer", "q", ">= 1", static_cast<double>(q));
        mat batch;
        for (std::size_t i = 0; i < q; ++i) {
            const vec x = pick(static_cast<const State&>(state));
            if (i == 0) batch.resize(x.size(), static_cast<Eigen::Index>(q));
            batch.col(static_cast<Eigen::Index>(i)) = x;
            if (i + 1 < q) believe(state, x);
        }
        return batch;
    }
};

}  // namespace l2s::acquisition
