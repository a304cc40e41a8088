// SPDX-License-Identifier: MIT
// l2s/space/product.hpp: the Cartesian product of two search spaces (coordinates concatenated).
#pragma once
#include <cstdint>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::space {

/// A × B: points are (a, b) stacked, a first. Finite when both factors are; then enumerated with A fastest.
/// @see docs/space.md#product
template <class A, class B>
class product {
    static_assert(SearchSpace<A>, "l2s::space::product<A, B>: A must model l2s::SearchSpace (see docs/concepts.md#searchspace)");
    static_assert(SearchSpace<B>, "l2s::space::product<A, B>: B must model l2s::SearchSpace (see docs/concepts.md#searchspace)");

public:
    product(A a, B b) : a_(std::move(a)), b_(std::move(b)) {}

    [[nodiscard]] std::size_t dim() const noexcept { return a_.dim() + b_.dim(); }
    [[nodiscard]] const A& first() const noexcept { return a_; }
    [[nodiscard]] const B& second() const noexcept { return b_; }

    template <class Rng>
    [[nodiscard]] vec sample(Rng& rng) const {
        return join(a_.sample(rng), b_.sample(rng));
    }
    [[nodiscard]] bool contains(const vec& x) const {
        return static_cast<std::size_t>(x.size()) == dim() && a_.contains(head(x)) && b_.contains(tail(x));
    }
    [[nodiscard]] vec project(const vec& x) const {
        require_size("l2s::space::product::project", "x", x.size(), static_cast<Eigen::Index>(dim()));
        return join(a_.project(head(x)), b_.project(tail(x)));
    }
    [[nodiscard]] std::uint64_t size() const
        requires(FiniteSpace<A> && FiniteSpace<B>)
    {
        return static_cast<std::uint64_t>(a_.size()) * static_cast<std::uint64_t>(b_.size());
    }
    [[nodiscard]] vec at(std::uint64_t i) const
        requires(FiniteSpace<A> && FiniteSpace<B>)
    {
        const std::uint64_t na = a_.size();
        return join(a_.at(i % na), b_.at(i / na));
    }

private:
    [[nodiscard]] vec head(const vec& x) const { return x.head(static_cast<Eigen::Index>(a_.dim())); }
    [[nodiscard]] vec tail(const vec& x) const { return x.tail(static_cast<Eigen::Index>(b_.dim())); }
    [[nodiscard]] static vec join(const vec& a, const vec& b) {
        vec x(a.size() + b.size());
        x << a, b;
        return x;
    }
    A a_;
    B b_;
};

}  // namespace l2s::space
