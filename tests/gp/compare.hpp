// tests/gp/compare.hpp: how far apart two GPs holding the same data are.
#pragma once
#include <algorithm>
#include <cmath>

#include <l2s/core/types.hpp>

namespace l2s::test {

/// Largest absolute difference of predicted means and variances at Z, of the LML and of its gradient.
template <class GP>
double max_difference(const GP& a, const GP& b, const mat& Z) {
    const auto pa = a.predict(Z), pb = b.predict(Z);
    double m = (pa.mean - pb.mean).cwiseAbs().maxCoeff();
    m = std::max(m, (pa.variance - pb.variance).cwiseAbs().maxCoeff());
    m = std::max(m, std::abs(a.log_marginal_likelihood() - b.log_marginal_likelihood()));
    return std::max(m, (a.log_marginal_likelihood_gradient() - b.log_marginal_likelihood_gradient()).cwiseAbs().maxCoeff());
}

}  // namespace l2s::test
