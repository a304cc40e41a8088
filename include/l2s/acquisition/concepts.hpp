// SPDX-License-Identifier: MIT
// l2s/acquisition/concepts.hpp: the acquisition context and the PointwiseAcquisition / ModelAcquisitionFor concepts.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <l2s/core/types.hpp>
#include <l2s/gp/concepts.hpp>

namespace l2s {

namespace acquisition {
/// What an acquisition may know besides the prediction. Acquisitions are maximised: the model predicts a
/// utility u (the BO driver negates costs under sense::minimize).
struct context {
    /// u*, the best feasible observed utility (or the best posterior mean for noisy objectives);
    /// −∞ when no feasible observation exists yet.
    double incumbent = -std::numeric_limits<double>::infinity();
    std::size_t iteration = 1;       ///< t ≥ 1, the number of the evaluation being chosen
    std::size_t dim = 1;             ///< input dimension d
    std::uint64_t num_candidates = 0;  ///< |D| of a finite search space, 0 for a continuous one

    [[nodiscard]] bool has_incumbent() const noexcept { return incumbent > -std::numeric_limits<double>::infinity(); }
};
}  // namespace acquisition

namespace detail {
template <class A> concept pointwise_scoring = requires(const A& a, const prediction& p, const acquisition::context& c) {
    { a(p, c) } -> std::convertible_to<double>;
};
template <class A> concept log_scoring = requires(const A& a, const prediction& p, const acquisition::context& c) {
    { a.log_value(p, c) } -> std::convertible_to<double>;
};
template <class A, class M>
concept model_scoring = requires(const A& a, const M& m, const mat& X, const acquisition::context& c, rng_type& rng) {
    { a(m, X, c, rng) } -> std::convertible_to<vec>;
};
}  // namespace detail

/// A function of one prediction, maximised: `a(prediction, context) → double`. Optional: `log_value(prediction,
/// context)`, the natural log of a positive acquisition, used where products of probabilities are formed.
/// @see docs/acquisition.md#pointwiseacquisition
template <class A>
concept PointwiseAcquisition = std::copyable<A> && detail::pointwise_scoring<A>;

/// An acquisition that needs the whole model (e.g. a joint posterior draw): `a(model, X, context, rng) → vec`,
/// one score per column of X, maximised.  @see docs/acquisition.md#modelacquisitionfor
template <class A, class M>
concept ModelAcquisitionFor = std::copyable<A> && Surrogate<M> && detail::model_scoring<A, M>;

}  // namespace l2s
