// SPDX-License-Identifier: MIT
// l2s/opt/random_search.hpp: best of uniform samples (plus any given start points).
#pragma once
#include <algorithm>
#include <cmath>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/space/box.hpp>

namespace l2s::opt {

namespace detail {
/// Keeps the best column of a scored batch in r.
inline void keep_best(maximize_result& r, const mat& X, const vec& s) {
    for (Eigen::Index i = 0; i < X.cols(); ++i)
        if (s(i) > r.value || (r.x.size() == 0 && !std::isnan(s(i)))) {
            r.value = s(i);
            r.x = X.col(i);
        }
    r.evaluations += static_cast<std::size_t>(X.cols());
}
}  // namespace detail

/// Random search: `samples` uniform draws of the space (and the given start points), scored chunk at a time.
/// @see docs/bo.md#random_search
struct random_search {
    std::size_t samples = 1000;  ///< ≥ 1
    std::size_t chunk = 1024;    ///< ≥ 1

    template <class F, SearchSpace S, class Rng>
    [[nodiscard]] maximize_result maximize(F&& f, const S& space, Rng& rng, const mat& starts = mat()) const {
        constexpr const char* who = "l2s::opt::random_search";
        require_config(samples >= 1, who, "samples", ">= 1", static_cast<double>(samples));
        require_config(chunk >= 1, who, "chunk", ">= 1", static_cast<double>(chunk));
        const auto d = static_cast<Eigen::Index>(space.dim());
        maximize_result r;
        if (starts.cols() > 0) {
            require_size("l2s::opt::random_search::maximize", "start rows", starts.rows(), d);
            detail::keep_best(r, starts, f(starts));
        }
        for (std::size_t done = 0; done < samples;) {
            const auto m = static_cast<Eigen::Index>(std::min(chunk, samples - done));
            mat X(d, m);
            for (Eigen::Index i = 0; i < m; ++i) X.col(i) = space.sample(rng);
            detail::keep_best(r, X, f(static_cast<const mat&>(X)));
            done += static_cast<std::size_t>(m);
        }
        if (r.x.size() == 0) r.x = space.sample(rng);
        return r;
    }
};
static_assert(AcquisitionOptimizerFor<random_search, space::box>);

}  // namespace l2s::opt
