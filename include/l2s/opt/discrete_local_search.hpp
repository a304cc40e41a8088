// SPDX-License-Identifier: MIT
// l2s/opt/discrete_local_search.hpp: best-improvement hill climbing over neighbours of a finite space.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/opt/random_search.hpp>
#include <l2s/space/grid.hpp>

namespace l2s::opt {

namespace detail {
template <class S> concept has_neighbours = requires(const S& s, const vec& x) {
    s.for_each_neighbour(x, [](const vec&) {});
};
}  // namespace detail

/// Discrete local search: from `starts` start points (the given ones, e.g. the incumbent, then uniform samples),
/// move to the best-scoring neighbour (space.for_each_neighbour: ±1 level or Hamming-1 moves) while it improves,
/// at most max_steps moves per start. For finite spaces too large for exhaustive scoring.
/// @see docs/bo.md#discrete_local_search
struct discrete_local_search {
    std::size_t starts = 8;       ///< number of climbs, ≥ 1 (given starts count first)
    std::size_t max_steps = 100;  ///< moves per climb, ≥ 1

    template <class F, SearchSpace S, class Rng>
        requires detail::has_neighbours<S>
    [[nodiscard]] maximize_result maximize(F&& f, const S& space, Rng& rng, const mat& given = mat()) const {
        constexpr const char* who = "l2s::opt::discrete_local_search";
        require_config(starts >= 1, who, "starts", ">= 1", static_cast<double>(starts));
        require_config(max_steps >= 1, who, "max_steps", ">= 1", static_cast<double>(max_steps));
        const auto d = static_cast<Eigen::Index>(space.dim());
        if (given.cols() > 0) require_size("l2s::opt::discrete_local_search::maximize", "start rows", given.rows(), d);
        maximize_result r;
        std::vector<vec> nb;
        for (std::size_t c = 0; c < starts; ++c) {
            vec x = c < static_cast<std::size_t>(given.cols()) ? space.project(given.col(static_cast<Eigen::Index>(c)))
                                                              : space.sample(rng);
            mat cur(x);
            double value = f(static_cast<const mat&>(cur))(0);
            ++r.evaluations;
            for (std::size_t step = 0; step < max_steps; ++step) {
                nb.clear();
                space.for_each_neighbour(x, [&](const vec& y) { nb.push_back(y); });
                if (nb.empty()) break;
                mat N(d, static_cast<Eigen::Index>(nb.size()));
                for (std::size_t i = 0; i < nb.size(); ++i) N.col(static_cast<Eigen::Index>(i)) = nb[i];
                const vec s = f(static_cast<const mat&>(N));
                r.evaluations += nb.size();
                Eigen::Index best = 0;
                const double bv = s.maxCoeff(&best);
                if (!(bv > value)) break;
                value = bv;
                x = N.col(best);
            }
            if (value > r.value || r.x.size() == 0) {
                r.value = value;
                r.x = x;
            }
        }
        return r;
    }
};
static_assert(AcquisitionOptimizerFor<discrete_local_search, space::grid>);

}  // namespace l2s::opt
