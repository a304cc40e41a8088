// SPDX-License-Identifier: MIT
// l2s/space/concepts.hpp: the SearchSpace and FiniteSpace concepts.
#pragma once
#include <concepts>
#include <cstdint>

#include <l2s/core/types.hpp>

namespace l2s {

namespace detail {
template <class S> concept has_dimension = requires(const S& s) {
    { s.dim() } -> std::convertible_to<std::size_t>;
};
template <class S> concept samplable = requires(const S& s, rng_type& rng) {
    { s.sample(rng) } -> std::convertible_to<vec>;
};
template <class S> concept membership = requires(const S& s, const vec& x) {
    { s.contains(x) } -> std::convertible_to<bool>;
    { s.project(x) } -> std::convertible_to<vec>;
};
template <class S> concept enumerable = requires(const S& s, std::uint64_t i) {
    { s.size() } -> std::convertible_to<std::uint64_t>;
    { s.at(i) } -> std::convertible_to<vec>;
};
}  // namespace detail

/// A set of points in R^d that can be sampled, tested and projected onto.  @see docs/concepts.md#searchspace
template <class S>
concept SearchSpace = std::copyable<S> && detail::has_dimension<S> && detail::samplable<S> && detail::membership<S>;

/// A SearchSpace with finitely many points, enumerable by index.  @see docs/concepts.md#finitespace
template <class S>
concept FiniteSpace = SearchSpace<S> && detail::enumerable<S>;

}  // namespace l2s
