// SPDX-License-Identifier: MIT
// l2s/core/detail/lbfgs.hpp: bounded (box-projected) limited-memory BFGS minimiser.
//
// Minimises a smooth f over the box [lo, hi]. Each iteration takes the two-loop L-BFGS direction
// (Nocedal, Math. Comp. 1980; Nocedal & Wright, Numerical Optimization, 2nd ed., alg. 7.4) restricted to the
// free variables (those not held at a bound by the sign of the gradient), projects trial points onto the box
// and accepts them with Armijo backtracking on the projected step (Bertsekas, SIAM J. Control Optim. 1982).
// Curvature pairs with sᵀy ≤ 1e-10 ‖s‖‖y‖ are skipped. Stops when the projected gradient's largest entry is
// ≤ gradient_tolerance, when the relative decrease of f is ≤ value_tolerance, or after max_iterations.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>

namespace l2s::detail {

/// Tunables of lbfgs_minimise.
struct lbfgs_config {
    std::size_t history = 10;            ///< m, number of stored curvature pairs
    std::size_t max_iterations = 200;    ///< outer iterations
    std::size_t max_evaluations = 2000;  ///< calls of f (line-search trials included)
    double gradient_tolerance = 1e-5;    ///< stop when max |projected gradient| ≤ this
    double value_tolerance = 1e-12;      ///< stop when (f_k − f_{k+1}) ≤ this · max(|f_k|, |f_{k+1}|, 1)
    double armijo = 1e-4;                ///< sufficient-decrease constant c₁
    double backtrack = 0.5;              ///< step shrink factor per failed trial
    std::size_t max_backtracks = 40;     ///< trials per line search

    void validate() const {
        constexpr const char* who = "l2s::detail::lbfgs_config";
        require_config(history >= 1, who, "history", ">= 1", static_cast<double>(history));
        require_config(max_iterations >= 1, who, "max_iterations", ">= 1", static_cast<double>(max_iterations));
        require_config(max_evaluations >= 1, who, "max_evaluations", ">= 1", static_cast<double>(max_evaluations));
        require_config(gradient_tolerance >= 0.0, who, "gradient_tolerance", ">= 0", gradient_tolerance);
        require_config(value_tolerance >= 0.0, who, "value_tolerance", ">= 0", value_tolerance);
        require_config(armijo > 0.0 && armijo < 0.5, who, "armijo", "in (0, 0.5)", armijo);
        require_config(backtrack > 0.0 && backtrack < 1.0, who, "backtrack", "in (0, 1)", backtrack);
        require_config(max_backtracks >= 1, who, "max_backtracks", ">= 1", static_cast<double>(max_backtracks));
    }
};

/// Result of lbfgs_minimise: the best point found and its value.
struct lbfgs_result {
    vec x;
    double value = std::numeric_limits<double>::infinity();
    std::size_t iterations = 0;
    std::size_t evaluations = 0;
    bool converged = false;  ///< true when a tolerance (not an iteration/evaluation limit) stopped the run
};

/// Projected gradient of f at x in [lo, hi]: P(x − g) − x.
[[nodiscard]] inline vec projected_gradient(const vec& x, const vec& g, const vec& lo, const vec& hi) {
    return (x - g).cwiseMax(lo).cwiseMin(hi) - x;
}

/// Minimises f over [lo, hi] from x0 (projected onto the box). `f(x, grad)` returns f(x) and writes ∇f(x)
/// into grad (already sized). A non-finite value counts as a failed line-search trial.
template <class F>
[[nodiscard]] lbfgs_result lbfgs_minimise(F&& f, const vec& x0, const vec& lo, const vec& hi,
                                          const lbfgs_config& cfg = {}) {
    constexpr const char* who = "l2s::detail::lbfgs_minimise";
    cfg.validate();
    require_size(who, "lower bound", lo.size(), x0.size());
    require_size(who, "upper bound", hi.size(), x0.size());
    if (!(lo.array() <= hi.array()).all()) throw invalid_argument(std::string(who) + ": lower bound above upper bound");
    const Eigen::Index n = x0.size();
    lbfgs_result r;
    r.x = x0.cwiseMax(lo).cwiseMin(hi);
    vec g = vec::Zero(n);
    r.value = f(r.x, g);
    r.evaluations = 1;
    if (!std::isfinite(r.value) || !g.allFinite())
        throw numerical_error(std::string(who) + ": objective or gradient not finite at the starting point");

    std::deque<vec> S, Y;
    std::deque<double> rho;
    vec xn(n), gn(n), d(n), q(n);
    Eigen::VectorXd alpha_hist(static_cast<Eigen::Index>(cfg.history));
    const double tiny = std::numeric_limits<double>::epsilon();

    auto free_mask = [&](const vec& x, const vec& grad) {
        vec m = vec::Ones(n);
        for (Eigen::Index i = 0; i < n; ++i)
            if ((x(i) <= lo(i) && grad(i) > 0.0) || (x(i) >= hi(i) && grad(i) < 0.0)) m(i) = 0.0;
        return m;
    };

    for (r.iterations = 0; r.iterations < cfg.max_iterations;) {
        if (projected_gradient(r.x, g, lo, hi).lpNorm<Eigen::Infinity>() <= cfg.gradient_tolerance) {
            r.converged = true;
            break;
        }
        // Two-loop recursion on the free variables.
        const vec mask = free_mask(r.x, g);
        q = g.cwiseProduct(mask);
        const auto k = static_cast<Eigen::Index>(S.size());
        for (Eigen::Index j = k - 1; j >= 0; --j) {
            const auto u = static_cast<std::size_t>(j);
            alpha_hist(j) = rho[u] * S[u].cwiseProduct(mask).dot(q);
            q -= alpha_hist(j) * Y[u].cwiseProduct(mask);
        }
        if (k > 0) {
            const auto u = static_cast<std::size_t>(k - 1);
            const double yy = Y[u].squaredNorm();
            q *= (yy > 0.0) ? S[u].dot(Y[u]) / yy : 1.0;
        } else {
            // First step: length one in the largest coordinate.
            q /= std::max(g.cwiseProduct(mask).lpNorm<Eigen::Infinity>(), 1.0);
        }
        for (Eigen::Index j = 0; j < k; ++j) {
            const auto u = static_cast<std::size_t>(j);
            const double beta = rho[u] * Y[u].cwiseProduct(mask).dot(q);
            q += (alpha_hist(j) - beta) * S[u].cwiseProduct(mask);
        }
        d = -q.cwiseProduct(mask);
        if (!(g.dot(d) < 0.0)) {  // not a descent direction: steepest descent on the free set
            d = -g.cwiseProduct(mask);
            S.clear(); Y.clear(); rho.clear();
        }
        // Projected backtracking (Armijo on the actual projected step).
        double t = 1.0, fn = 0.0;
        bool accepted = false;
        for (std::size_t b = 0; b < cfg.max_backtracks && r.evaluations < cfg.max_evaluations; ++b, t *= cfg.backtrack) {
            xn = (r.x + t * d).cwiseMax(lo).cwiseMin(hi);
            if ((xn - r.x).lpNorm<Eigen::Infinity>() <= tiny * (1.0 + r.x.lpNorm<Eigen::Infinity>())) break;
            fn = f(xn, gn);
            ++r.evaluations;
            if (std::isfinite(fn) && gn.allFinite() && fn <= r.value + cfg.armijo * g.dot(xn - r.x)) {
                accepted = true;
                break;
            }
        }
        ++r.iterations;
        if (!accepted) {
            if (S.empty()) break;  // even a steepest-descent step failed: no further progress possible
            S.clear(); Y.clear(); rho.clear();
            continue;
        }
        const vec s = xn - r.x, y = gn - g;
        const double sy = s.dot(y);
        if (sy > 1e-10 * s.norm() * y.norm()) {
            if (S.size() == cfg.history) { S.pop_front(); Y.pop_front(); rho.pop_front(); }
            S.push_back(s); Y.push_back(y); rho.push_back(1.0 / sy);
        }
        const double decrease = r.value - fn;
        r.x = xn;
        g = gn;
        r.value = fn;
        if (decrease <= cfg.value_tolerance * std::max({std::abs(r.value), std::abs(fn + decrease), 1.0})) {
            r.converged = true;
            break;
        }
        if (r.evaluations >= cfg.max_evaluations) break;
    }
    return r;
}

}  // namespace l2s::detail
