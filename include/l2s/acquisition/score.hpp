// SPDX-License-Identifier: MIT
// l2s/acquisition/score.hpp: one entry point scoring a batch of candidates with any acquisition.
#pragma once
#include <string>

#include <l2s/acquisition/concepts.hpp>
#include <l2s/core/checks.hpp>

namespace l2s::acquisition {

/// Scores every column of X (d × m): a pointwise acquisition is applied to the model's batch prediction,
/// a model acquisition is called directly. The result has one entry per column; larger is better.
template <class A, class M, class Rng>
[[nodiscard]] vec score(const A& a, const M& model, const mat& X, const context& c, Rng& rng) {
    static_assert(Surrogate<M>, "l2s::acquisition::score: M must model l2s::Surrogate (see docs/concepts.md#surrogate)");
    if constexpr (PointwiseAcquisition<A>) {
        (void)rng;
        const batch_prediction p = model.predict(X);
        vec s(X.cols());
        for (Eigen::Index i = 0; i < X.cols(); ++i) s(i) = a(p.at(i), c);
        return s;
    } else {
        static_assert(requires { { a(model, X, c, rng) } -> std::convertible_to<vec>; },
                      "l2s::acquisition::score: A must model l2s::PointwiseAcquisition or l2s::ModelAcquisitionFor<A, M> "
                      "(see docs/acquisition.md#pointwiseacquisition)");
        return a(model, X, c, rng);
    }
}

/// The natural log of a pointwise acquisition's value: its log_value when it has one, else log(max(a, 0)).
template <PointwiseAcquisition A>
[[nodiscard]] double log_value(const A& a, const prediction& p, const context& c) {
    if constexpr (detail::log_scoring<A>) return a.log_value(p, c);
    else {
        const double v = a(p, c);
        return v > 0.0 ? std::log(v) : -std::numeric_limits<double>::infinity();
    }
}

}  // namespace l2s::acquisition
