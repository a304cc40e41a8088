// SPDX-License-Identifier: MIT
// l2s/space/grid.hpp: a finite grid, the Cartesian product of a sorted value list per dimension.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::space {

/// The grid V_1 × … × V_d. Points are enumerated in mixed radix, dimension 0 fastest.
/// Neighbours of a point differ by one step of the value list in one dimension.  @see docs/space.md#grid
class grid {
public:
    /// Throws invalid_config unless every list is non-empty, finite and strictly increasing,
    /// and the number of points fits in 64 bits.
    explicit grid(std::vector<std::vector<double>> values) : values_(std::move(values)) {
        const std::string who = "l2s::space::grid";
        if (values_.empty()) throw invalid_config(who + ": at least one dimension is required");
        size_ = 1;
        for (std::size_t j = 0; j < values_.size(); ++j) {
            const auto& v = values_[j];
            const std::string field = "values[" + std::to_string(j) + "]";
            if (v.empty()) throw invalid_config(who + ": " + field + " is empty");
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (!std::isfinite(v[i])) throw invalid_config(who + ": " + field + " contains NaN or Inf");
                if (i > 0 && !(v[i] > v[i - 1])) throw invalid_config(who + ": " + field + " must be strictly increasing");
            }
            if (size_ > std::numeric_limits<std::uint64_t>::max() / v.size())
                throw invalid_config(who + ": more than 2^64 points");
            size_ *= v.size();
        }
    }
    /// n evenly spaced values in [0, 1] in each of d dimensions (n ≥ 2).
    static grid uniform(std::size_t d, std::size_t n) {
        if (n < 2) throw invalid_config("l2s::space::grid::uniform: n must be ≥ 2");
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i) / static_cast<double>(n - 1);
        return grid(std::vector<std::vector<double>>(d, v));
    }

    [[nodiscard]] std::size_t dim() const noexcept { return values_.size(); }
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    [[nodiscard]] const std::vector<double>& values(std::size_t j) const { return values_.at(j); }
    [[nodiscard]] std::size_t num_values(std::size_t j) const { return values_.at(j).size(); }

    /// Point number i (0 ≤ i < size()).
    [[nodiscard]] vec at(std::uint64_t i) const {
        if (i >= size_) throw invalid_argument("l2s::space::grid::at: index " + std::to_string(i) + " ≥ size " + std::to_string(size_));
        vec x(static_cast<Eigen::Index>(dim()));
        for (std::size_t j = 0; j < dim(); ++j) {
            const auto n = values_[j].size();
            x(static_cast<Eigen::Index>(j)) = values_[j][i % n];
            i /= n;
        }
        return x;
    }
    /// Per-dimension value indices of x (exact members only), or nullopt.
    [[nodiscard]] std::optional<std::vector<std::size_t>> indices_of(const vec& x) const {
        if (static_cast<std::size_t>(x.size()) != dim()) return std::nullopt;
        std::vector<std::size_t> idx(dim());
        for (std::size_t j = 0; j < dim(); ++j) {
            const std::size_t k = nearest(j, x(static_cast<Eigen::Index>(j)));
            if (std::abs(values_[j][k] - x(static_cast<Eigen::Index>(j))) > tolerance(j)) return std::nullopt;
            idx[j] = k;
        }
        return idx;
    }
    /// The enumeration index of x, or nullopt when x is not a grid point.
    [[nodiscard]] std::optional<std::uint64_t> index_of(const vec& x) const {
        auto idx = indices_of(x);
        if (!idx) return std::nullopt;
        std::uint64_t i = 0, stride = 1;
        for (std::size_t j = 0; j < dim(); ++j) {
            i += (*idx)[j] * stride;
            stride *= values_[j].size();
        }
        return i;
    }
    /// The point with the given per-dimension value indices.
    [[nodiscard]] vec point(const std::vector<std::size_t>& idx) const {
        require_size("l2s::space::grid::point", "idx", static_cast<Eigen::Index>(idx.size()), static_cast<Eigen::Index>(dim()));
        vec x(static_cast<Eigen::Index>(dim()));
        for (std::size_t j = 0; j < dim(); ++j) x(static_cast<Eigen::Index>(j)) = values_[j].at(idx[j]);
        return x;
    }

    template <class Rng>
    [[nodiscard]] vec sample(Rng& rng) const {
        vec x(static_cast<Eigen::Index>(dim()));
        for (std::size_t j = 0; j < dim(); ++j) {
            std::uniform_int_distribution<std::size_t> u(0, values_[j].size() - 1);
            x(static_cast<Eigen::Index>(j)) = values_[j][u(rng)];
        }
        return x;
    }
    [[nodiscard]] bool contains(const vec& x) const { return indices_of(x).has_value(); }
    /// The nearest grid point (nearest value in every dimension).
    [[nodiscard]] vec project(const vec& x) const {
        require_size("l2s::space::grid::project", "x", x.size(), static_cast<Eigen::Index>(dim()));
        vec p(x.size());
        for (std::size_t j = 0; j < dim(); ++j) p(static_cast<Eigen::Index>(j)) = values_[j][nearest(j, x(static_cast<Eigen::Index>(j)))];
        return p;
    }
    /// Calls f(y) for each neighbour y of x: one value-list step up or down in one dimension (x is projected first).
    template <class F>
    void for_each_neighbour(const vec& x, F&& f) const {
        vec y = project(x);
        for (std::size_t j = 0; j < dim(); ++j) {
            const auto e = static_cast<Eigen::Index>(j);
            const std::size_t k = nearest(j, y(e));
            const double keep = y(e);
            if (k > 0) { y(e) = values_[j][k - 1]; f(static_cast<const vec&>(y)); }
            if (k + 1 < values_[j].size()) { y(e) = values_[j][k + 1]; f(static_cast<const vec&>(y)); }
            y(e) = keep;
        }
    }

private:
    [[nodiscard]] std::size_t nearest(std::size_t j, double v) const {
        const auto& vals = values_[j];
        auto it = std::lower_bound(vals.begin(), vals.end(), v);
        if (it == vals.end()) return vals.size() - 1;
        if (it == vals.begin()) return 0;
        const auto hi = static_cast<std::size_t>(it - vals.begin());
        return (v - vals[hi - 1] <= vals[hi] - v) ? hi - 1 : hi;
    }
    [[nodiscard]] double tolerance(std::size_t j) const {
        const auto& v = values_[j];
        const double scale = std::max(std::abs(v.front()), std::abs(v.back()));
        return 1e-12 * std::max(1.0, scale);
    }

    std::vector<std::vector<double>> values_;
    std::uint64_t size_ = 0;
};
static_assert(FiniteSpace<grid>);

}  // namespace l2s::space
