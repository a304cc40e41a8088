// SPDX-License-Identifier: MIT
// l2s/space/vf_space.hpp: the V/F configurations of K islands, ordinally encoded.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/space/concepts.hpp>
#include <l2s/space/grid.hpp>

namespace l2s::space {

/// Ordinal encoding of a level: f_l / f_max of its island (frequencies ascending), or l / (L − 1)
/// when frequencies are not given. V/F levels are ordered, so a stationary kernel on this encoding
/// treats neighbouring levels as similar.  @see docs/space.md#vf_space
[[nodiscard]] inline std::vector<double> ordinal_encoding(std::span<const double> freq_hz) {
    if (freq_hz.empty()) throw invalid_config("l2s::space::ordinal_encoding: no frequencies");
    std::vector<double> e(freq_hz.size());
    for (std::size_t l = 0; l < e.size(); ++l) {
        if (!(freq_hz[l] > 0.0)) throw invalid_config("l2s::space::ordinal_encoding: frequencies must be > 0");
        if (l > 0 && !(freq_hz[l] > freq_hz[l - 1]))
            throw invalid_config("l2s::space::ordinal_encoding: frequencies must be strictly increasing");
        e[l] = freq_hz[l] / freq_hz.back();
    }
    return e;
}

/// K islands with L_k levels each. A point holds one encoded level per island (see ordinal_encoding);
/// neighbours change one island by one level.  @see docs/space.md#vf_space
class vf_space {
public:
    /// K islands with the same L levels, encoded as l / (L − 1) (L ≥ 2, L ≤ 256).
    vf_space(std::size_t islands, std::size_t levels) : vf_space(std::vector<std::size_t>(islands, levels)) {}
    /// Island k has levels[k] levels, encoded as l / (L_k − 1).
    explicit vf_space(const std::vector<std::size_t>& levels) : grid_(make_uniform(levels)) {}
    /// Island k has the ascending frequencies freq_hz[k], encoded as f / f_max.
    explicit vf_space(const std::vector<std::vector<double>>& freq_hz) : grid_(make_from_freq(freq_hz)) {}

    [[nodiscard]] std::size_t num_islands() const noexcept { return grid_.dim(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const { return grid_.num_values(k); }
    [[nodiscard]] const grid& as_grid() const noexcept { return grid_; }

    [[nodiscard]] std::size_t dim() const noexcept { return grid_.dim(); }
    [[nodiscard]] std::uint64_t size() const noexcept { return grid_.size(); }
    [[nodiscard]] vec at(std::uint64_t i) const { return grid_.at(i); }
    template <class Rng>
    [[nodiscard]] vec sample(Rng& rng) const { return grid_.sample(rng); }
    [[nodiscard]] bool contains(const vec& x) const { return grid_.contains(x); }
    [[nodiscard]] vec project(const vec& x) const { return grid_.project(x); }
    template <class F>
    void for_each_neighbour(const vec& x, F&& f) const { grid_.for_each_neighbour(x, std::forward<F>(f)); }

    /// The encoded point of a level vector (one level per island).
    [[nodiscard]] vec encode(std::span<const level_t> levels) const {
        if (levels.size() != dim())
            throw dimension_mismatch("l2s::space::vf_space::encode: " + std::to_string(levels.size()) + " levels for " +
                                     std::to_string(dim()) + " islands");
        std::vector<std::size_t> idx(levels.begin(), levels.end());
        for (std::size_t k = 0; k < idx.size(); ++k)
            if (idx[k] >= num_levels(k))
                throw invalid_argument("l2s::space::vf_space::encode: level " + std::to_string(idx[k]) + " of island " +
                                       std::to_string(k) + " is out of range");
        return grid_.point(idx);
    }
    /// The level vector of a point (projected to the nearest configuration first).
    [[nodiscard]] std::vector<level_t> decode(const vec& x) const {
        const auto idx = grid_.indices_of(grid_.project(x));
        std::vector<level_t> l(dim());
        for (std::size_t k = 0; k < dim(); ++k) l[k] = static_cast<level_t>((*idx)[k]);
        return l;
    }

private:
    static grid make_uniform(const std::vector<std::size_t>& levels) {
        if (levels.empty()) throw invalid_config("l2s::space::vf_space: at least one island is required");
        std::vector<std::vector<double>> v;
        for (std::size_t k = 0; k < levels.size(); ++k) {
            const auto n = levels[k];
            if (n < 2 || n > 256)
                throw invalid_config("l2s::space::vf_space: levels[" + std::to_string(k) + "] must be in [2, 256] (got " +
                                     std::to_string(n) + ")");
            std::vector<double> e(n);
            for (std::size_t l = 0; l < n; ++l) e[l] = static_cast<double>(l) / static_cast<double>(n - 1);
            v.push_back(std::move(e));
        }
        return grid(std::move(v));
    }
    static grid make_from_freq(const std::vector<std::vector<double>>& freq_hz) {
        if (freq_hz.empty()) throw invalid_config("l2s::space::vf_space: at least one island is required");
        std::vector<std::vector<double>> v;
        for (const auto& f : freq_hz) {
            if (f.size() < 2 || f.size() > 256) throw invalid_config("l2s::space::vf_space: each island needs 2 to 256 levels");
            v.push_back(ordinal_encoding(f));
        }
        return grid(std::move(v));
    }

    grid grid_;
};
static_assert(FiniteSpace<vf_space>);

}  // namespace l2s::space
