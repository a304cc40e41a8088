// SPDX-License-Identifier: MIT
// l2s/opt/multistart.hpp: raw random samples, then bounded L-BFGS from the best few (finite-difference gradients).
#pragma once
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/detail/lbfgs.hpp>
#include <l2s/core/error.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/opt/random_search.hpp>
#include <l2s/space/box.hpp>

namespace l2s::opt {

namespace detail {
template <class S> concept bounded_space = requires(const S& s) {
    { s.lower() } -> std::convertible_to<vec>;
    { s.upper() } -> std::convertible_to<vec>;
};
}  // namespace detail

/// Multistart: score raw_samples uniform draws (and the given starts), then refine the best `refine` of them with
/// bounded L-BFGS (l2s/core/detail/lbfgs.hpp) on −f. Gradients are central differences with step
/// fd_step·(upper − lower), computed in one batch call of f (2d + 1 columns) per L-BFGS evaluation. Refinements
/// that fail (non-finite scores) are skipped. The space must expose lower() and upper() (a box).
/// @see docs/bo.md#multistart
struct multistart {
    std::size_t raw_samples = 512;   ///< ≥ 1
    std::size_t refine = 8;          ///< number of L-BFGS runs (≤ raw_samples + starts)
    double fd_step = 1e-6;           ///< relative central-difference step, > 0
    l2s::detail::lbfgs_config lbfgs{.max_iterations = 50, .max_evaluations = 200, .gradient_tolerance = 1e-7,
                                    .value_tolerance = 1e-10};

    template <class F, SearchSpace S, class Rng>
        requires detail::bounded_space<S>
    [[nodiscard]] maximize_result maximize(F&& f, const S& space, Rng& rng, const mat& starts = mat()) const {
        constexpr const char* who = "l2s::opt::multistart";
        require_config(raw_samples >= 1, who, "raw_samples", ">= 1", static_cast<double>(raw_samples));
        require_config(fd_step > 0.0, who, "fd_step", "> 0", fd_step);
        const auto d = static_cast<Eigen::Index>(space.dim());
        const vec lo = space.lower(), hi = space.upper();
        const Eigen::Index ns = starts.cols();
        if (ns > 0) require_size("l2s::opt::multistart::maximize", "start rows", starts.rows(), d);
        mat X(d, static_cast<Eigen::Index>(raw_samples) + ns);
        for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(raw_samples); ++i) X.col(i) = space.sample(rng);
        if (ns > 0) X.rightCols(ns) = starts;
        const vec s = f(static_cast<const mat&>(X));
        require_size("l2s::opt::multistart::maximize", "scores", s.size(), X.cols());
        maximize_result r;
        detail::keep_best(r, X, s);

        std::vector<Eigen::Index> order(static_cast<std::size_t>(X.cols()));
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        const std::size_t k = std::min(refine, order.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                          [&](Eigen::Index a, Eigen::Index b) { return s(a) > s(b); });
        const vec h = fd_step * (hi - lo);
        mat P(d, 2 * d + 1);
        auto objective = [&](const vec& x, vec& grad) {
            P.col(0) = x;
            for (Eigen::Index j = 0; j < d; ++j) {
                P.col(1 + 2 * j) = x;
                P.col(2 + 2 * j) = x;
                P(j, 1 + 2 * j) = std::min(x(j) + h(j), hi(j));
                P(j, 2 + 2 * j) = std::max(x(j) - h(j), lo(j));
            }
            const vec v = f(static_cast<const mat&>(P));
            r.evaluations += static_cast<std::size_t>(P.cols());
            for (Eigen::Index j = 0; j < d; ++j)
                grad(j) = -(v(1 + 2 * j) - v(2 + 2 * j)) / (P(j, 1 + 2 * j) - P(j, 2 + 2 * j));
            return -v(0);
        };
        for (std::size_t i = 0; i < k; ++i) {
            if (!std::isfinite(s(order[i]))) continue;
            try {
                const auto res = l2s::detail::lbfgs_minimise(objective, X.col(order[i]), lo, hi, lbfgs);
                if (-res.value > r.value) {
                    r.value = -res.value;
                    r.x = res.x;
                }
            } catch (const numerical_error&) {
                // a start whose neighbourhood scores are not finite: keep the raw-sample result
            }
        }
        return r;
    }
};
static_assert(AcquisitionOptimizerFor<multistart, space::box>);

}  // namespace l2s::opt
