// tests/support/fd_gradient.hpp: central finite differences for gradient checks.
#pragma once
#include <l2s/core/types.hpp>

namespace l2s::test {

/// Central-difference gradient of f at x with step h (relative to max(1, |x_i|)).
template <class F>
vec fd_gradient(F&& f, const vec& x, double h = 1e-6) {
    vec g(x.size());
    vec xp = x;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double step = h * std::max(1.0, std::abs(x(i)));
        xp(i) = x(i) + step;
        const double fp = f(xp);
        xp(i) = x(i) - step;
        const double fm = f(xp);
        xp(i) = x(i);
        g(i) = (fp - fm) / (2.0 * step);
    }
    return g;
}

}  // namespace l2s::test
