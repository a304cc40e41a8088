// SPDX-License-Identifier: MIT
// l2s/space/box.hpp: an axis-aligned box [lower, upper] ⊂ R^d (the unit cube by default).
#pragma once
#include <random>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::space {

/// The box {x : lower ≤ x ≤ upper}.  @see docs/space.md#box
class box {
public:
    /// The unit cube [0, 1]^d.
    explicit box(std::size_t d = 1) : lower_(vec::Zero(static_cast<Eigen::Index>(d))), upper_(vec::Ones(static_cast<Eigen::Index>(d))) {
        if (d == 0) throw invalid_config("l2s::space::box: dimension must be ≥ 1");
    }
    /// The box [lower, upper]; throws invalid_config unless sizes agree, bounds are finite and lower < upper.
    box(vec lower, vec upper) : lower_(std::move(lower)), upper_(std::move(upper)) {
        const char* who = "l2s::space::box";
        if (lower_.size() == 0) throw invalid_config(std::string(who) + ": dimension must be ≥ 1");
        require_size(who, "upper", upper_.size(), lower_.size());
        require_finite(who, "lower", lower_);
        require_finite(who, "upper", upper_);
        if (!(lower_.array() < upper_.array()).all())
            throw invalid_config(std::string(who) + ": lower must be < upper in every dimension");
    }

    [[nodiscard]] std::size_t dim() const noexcept { return static_cast<std::size_t>(lower_.size()); }
    [[nodiscard]] const vec& lower() const noexcept { return lower_; }
    [[nodiscard]] const vec& upper() const noexcept { return upper_; }

    /// A uniform draw.
    template <class Rng>
    [[nodiscard]] vec sample(Rng& rng) const {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        vec x(lower_.size());
        for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = lower_(i) + u(rng) * (upper_(i) - lower_(i));
        return x;
    }
    [[nodiscard]] bool contains(const vec& x) const noexcept {
        return x.size() == lower_.size() && (x.array() >= lower_.array()).all() && (x.array() <= upper_.array()).all();
    }
    /// The nearest point of the box (coordinate-wise clamp).
    [[nodiscard]] vec project(const vec& x) const {
        require_size("l2s::space::box::project", "x", x.size(), lower_.size());
        return x.cwiseMax(lower_).cwiseMin(upper_);
    }
    /// Maps x from the box to the unit cube.
    [[nodiscard]] vec to_unit(const vec& x) const { return (x - lower_).cwiseQuotient(upper_ - lower_); }
    /// Maps u from the unit cube to the box.
    [[nodiscard]] vec from_unit(const vec& u) const { return lower_ + u.cwiseProduct(upper_ - lower_); }

private:
    vec lower_, upper_;
};
static_assert(SearchSpace<box>);

}  // namespace l2s::space
