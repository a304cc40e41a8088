// SPDX-License-Identifier: MIT
// l2s/opt/exhaustive.hpp: score every point of a finite space, in chunks.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/space/grid.hpp>

namespace l2s::opt {

/// Exhaustive maximisation over a finite space of at most max_points points, scored chunk columns at a time
/// (one batch prediction per chunk). Ties keep the lowest index. Exact and deterministic.
/// @see docs/bo.md#exhaustive
struct exhaustive {
    std::uint64_t max_points = std::uint64_t{1} << 16;  ///< larger spaces throw invalid_argument
    std::size_t chunk = 1024;                            ///< columns per call of f (≥ 1)

    template <class F, FiniteSpace S, class Rng>
    [[nodiscard]] maximize_result maximize(F&& f, const S& space, Rng&) const {
        constexpr const char* who = "l2s::opt::exhaustive::maximize";
        require_config(chunk >= 1, "l2s::opt::exhaustive", "chunk", ">= 1", static_cast<double>(chunk));
        const std::uint64_t n = space.size();
        if (n > max_points)
            throw invalid_argument(std::string(who) + ": the space has " + std::to_string(n) + " points, more than max_points = " +
                                   std::to_string(max_points));
        const auto d = static_cast<Eigen::Index>(space.dim());
        maximize_result r;
        mat X(d, static_cast<Eigen::Index>(std::min<std::uint64_t>(chunk, n)));
        for (std::uint64_t start = 0; start < n; start += chunk) {
            const auto m = static_cast<Eigen::Index>(std::min<std::uint64_t>(chunk, n - start));
            if (X.cols() != m) X.resize(d, m);
            for (Eigen::Index i = 0; i < m; ++i) X.col(i) = space.at(start + static_cast<std::uint64_t>(i));
            const vec s = f(static_cast<const mat&>(X));
            require_size(who, "scores", s.size(), m);
            for (Eigen::Index i = 0; i < m; ++i)
                if (s(i) > r.value || (r.x.size() == 0 && !std::isnan(s(i)))) {
                    r.value = s(i);
                    r.x = X.col(i);
                }
            r.evaluations += static_cast<std::size_t>(m);
        }
        if (r.x.size() == 0) r.x = space.at(0);  // every score NaN: return the first point
        return r;
    }
    template <class F, FiniteSpace S, class Rng>
    [[nodiscard]] maximize_result maximize(F&& f, const S& space, Rng& rng, const mat&) const {
        return maximize(std::forward<F>(f), space, rng);
    }
};
static_assert(AcquisitionOptimizerFor<exhaustive, space::grid>);

}  // namespace l2s::opt
