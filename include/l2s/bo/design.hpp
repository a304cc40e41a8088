// SPDX-License-Identifier: MIT
// l2s/bo/design.hpp: initial designs (random, Latin hypercube, Sobol), snapped to finite spaces.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/detail/sobol.hpp>
#include <l2s/core/error.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::bo {

/// Kind of initial design.  @see docs/bo.md#designs
enum class design_kind : std::uint8_t {
    random,           ///< uniform draws of the space
    latin_hypercube,  ///< one point per stratum of each coordinate (McKay, Beckman & Conover, Technometrics 1979)
    sobol,            ///< digitally shifted Sobol points (Joe & Kuo 2008), LHS above 21 dimensions
};

/// The name of every design kind, as configuration and state files spell it.
inline constexpr std::array<std::pair<const char*, design_kind>, 3> design_kind_names{
    {{"random", design_kind::random}, {"latin_hypercube", design_kind::latin_hypercube}, {"sobol", design_kind::sobol}}};

/// "random", "latin_hypercube" or "sobol" ("unknown" for a value outside the enumeration).
[[nodiscard]] constexpr const char* to_string(design_kind k) noexcept {
    for (const auto& [name, v] : design_kind_names)
        if (v == k) return name;
    return "unknown";
}

namespace detail {
template <class S> concept unit_mappable = requires(const S& s, const vec& u) {
    { s.from_unit(u) } -> std::convertible_to<vec>;
};
template <class S> concept per_dimension_values = requires(const S& s, std::size_t j) {
    { s.values(j) } -> std::convertible_to<std::vector<double>>;
};
template <class S> concept wraps_grid = requires(const S& s) { s.as_grid(); };

/// Maps u ∈ [0, 1)^d into the space: from_unit for boxes, value number ⌊u_j n_j⌋ for grids, else nullopt-like
/// failure signalled by returning false.
template <class S>
[[nodiscard]] bool from_unit(const S& space, const vec& u, vec& x) {
    if constexpr (unit_mappable<S>) {
        x = space.from_unit(u);
        return true;
    } else if constexpr (per_dimension_values<S>) {
        x.resize(u.size());
        for (Eigen::Index j = 0; j < u.size(); ++j) {
            const auto& v = space.values(static_cast<std::size_t>(j));
            const auto n = static_cast<double>(v.size());
            const auto k = std::min(v.size() - 1, static_cast<std::size_t>(std::max(0.0, u(j) * n)));
            x(j) = v[k];
        }
        return true;
    } else if constexpr (wraps_grid<S>) {
        return from_unit(space.as_grid(), u, x);
    } else {
        return false;
    }
}
}  // namespace detail

/// n points (columns) of an initial design in the space. On a finite space points are snapped to elements and
/// duplicates are redrawn uniformly (while the space has unused points). Spaces without a unit-cube map
/// (neither from_unit nor per-dimension value lists) get uniform draws whatever the kind.
template <SearchSpace S, class Rng>
[[nodiscard]] mat make_design(design_kind kind, const S& space, std::size_t n, Rng& rng) {
    const auto d = static_cast<Eigen::Index>(space.dim());
    mat U(d, static_cast<Eigen::Index>(n));
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    if (kind == design_kind::sobol && space.dim() > l2s::detail::sobol_sequence::max_dim) kind = design_kind::latin_hypercube;
    switch (kind) {
        case design_kind::random:
            for (Eigen::Index i = 0; i < U.size(); ++i) U.data()[i] = unif(rng);
            break;
        case design_kind::latin_hypercube: {
            std::vector<std::size_t> perm(n);
            for (Eigen::Index j = 0; j < d; ++j) {
                std::iota(perm.begin(), perm.end(), std::size_t{0});
                std::shuffle(perm.begin(), perm.end(), rng);
                for (std::size_t i = 0; i < n; ++i)
                    U(j, static_cast<Eigen::Index>(i)) = (static_cast<double>(perm[i]) + unif(rng)) / static_cast<double>(n);
            }
            break;
        }
        case design_kind::sobol: {
            l2s::detail::sobol_sequence seq(space.dim(), false);
            std::uniform_int_distribution<std::uint32_t> word;
            for (std::size_t j = 0; j < space.dim(); ++j) seq.set_shift(j, word(rng));
            for (std::size_t i = 0; i < n; ++i) U.col(static_cast<Eigen::Index>(i)) = seq.next();
            break;
        }
    }
    mat X(d, static_cast<Eigen::Index>(n));
    vec x;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<Eigen::Index>(i);
        X.col(c) = detail::from_unit(space, U.col(c), x) ? space.project(x) : space.sample(rng);
    }
    if constexpr (FiniteSpace<S>) {
        const auto size = static_cast<std::uint64_t>(space.size());
        for (std::size_t i = 1; i < n; ++i) {
            const auto c = static_cast<Eigen::Index>(i);
            auto duplicate = [&] {
                for (Eigen::Index k = 0; k < c; ++k)
                    if (X.col(k) == X.col(c)) return true;
                return false;
            };
            for (std::size_t attempt = 0; i < size && attempt < 1000 && duplicate(); ++attempt) X.col(c) = space.sample(rng);
        }
    }
    return X;
}

}  // namespace l2s::bo
