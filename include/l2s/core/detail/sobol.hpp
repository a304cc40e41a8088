// SPDX-License-Identifier: MIT
// l2s/core/detail/sobol.hpp: Sobol low-discrepancy points in up to 21 dimensions (Joe–Kuo direction numbers).
//
// Direction numbers: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30 (2008), table new-joe-kuo-6.21201 (dimensions 2..21; dimension 1 is
// van der Corput). Points are generated in Gray-code order (Antonov & Saleev 1979) with 32-bit integers.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>

namespace l2s::detail {

/// Sobol generator in d ≤ 21 dimensions. next() returns the next point in [0, 1)^d, starting with the origin
/// unless skip_origin (the unshifted origin is a poor design point; with a digital shift, keep it so that the
/// first 2^m points form a (t, m, d)-net). An optional digital shift (XOR with one random 32-bit word per dimension) randomises the set while
/// keeping its stratification.
class sobol_sequence {
public:
    static constexpr std::size_t max_dim = 21;
    static constexpr int bits = 32;

    explicit sobol_sequence(std::size_t d, bool skip_origin = true) : d_(d), emit_origin_(!skip_origin) {
        if (d == 0 || d > max_dim)
            throw invalid_argument("l2s::detail::sobol_sequence: dimension must be in [1, 21] (got " + std::to_string(d) + ")");
        struct poly { unsigned s, a; std::array<std::uint32_t, 7> m; };
        static constexpr std::array<poly, max_dim - 1> table{{
            {1, 0, {1}}, {2, 1, {1, 3}}, {3, 1, {1, 3, 1}}, {3, 2, {1, 1, 1}}, {4, 1, {1, 1, 3, 3}},
            {4, 4, {1, 3, 5, 13}}, {5, 2, {1, 1, 5, 5, 17}}, {5, 4, {1, 1, 5, 5, 5}}, {5, 7, {1, 1, 7, 11, 19}},
            {5, 11, {1, 1, 5, 1, 1}}, {5, 13, {1, 1, 1, 3, 11}}, {5, 14, {1, 3, 5, 5, 31}},
            {6, 1, {1, 3, 3, 9, 7, 49}}, {6, 13, {1, 1, 1, 15, 21, 21}}, {6, 16, {1, 3, 1, 13, 27, 49}},
            {6, 19, {1, 1, 1, 15, 7, 5}}, {6, 22, {1, 3, 1, 15, 13, 25}}, {6, 25, {1, 1, 5, 5, 19, 61}},
            {7, 1, {1, 3, 7, 11, 23, 15, 103}}, {7, 4, {1, 3, 7, 13, 13, 15, 69}}}};
        for (int k = 0; k < bits; ++k) v_[0][static_cast<std::size_t>(k)] = std::uint32_t{1} << (bits - 1 - k);
        for (std::size_t j = 1; j < d_; ++j) {
            const poly& p = table[j - 1];
            auto& v = v_[j];
            for (unsigned k = 0; k < p.s; ++k) v[k] = p.m[k] << (bits - 1 - static_cast<int>(k));
            for (unsigned k = p.s; k < static_cast<unsigned>(bits); ++k) {
                std::uint32_t x = v[k - p.s] ^ (v[k - p.s] >> p.s);
                for (unsigned i = 1; i < p.s; ++i)
                    if ((p.a >> (p.s - 1 - i)) & 1u) x ^= v[k - i];
                v[k] = x;
            }
        }
    }

    /// Sets the digital shift of dimension j (0 = none).
    void set_shift(std::size_t j, std::uint32_t shift) { shift_.at(j) = shift; }
    [[nodiscard]] std::size_t dim() const noexcept { return d_; }

    /// The next point (the origin is skipped). Throws numerical_error after 2^32 − 1 points.
    [[nodiscard]] vec next() {
        if (emit_origin_) {
            emit_origin_ = false;
            vec x(static_cast<Eigen::Index>(d_));
            for (std::size_t j = 0; j < d_; ++j) x(static_cast<Eigen::Index>(j)) = static_cast<double>(shift_[j]) * 0x1p-32;
            return x;
        }
        if (index_ == ~std::uint32_t{0}) throw numerical_error("l2s::detail::sobol_sequence::next: sequence exhausted");
        // Gray code: flip the direction number of the lowest zero bit of the current index.
        int c = 0;
        for (std::uint32_t i = index_; i & 1u; i >>= 1) ++c;
        ++index_;
        vec x(static_cast<Eigen::Index>(d_));
        for (std::size_t j = 0; j < d_; ++j) {
            state_[j] ^= v_[j][static_cast<std::size_t>(c)];
            x(static_cast<Eigen::Index>(j)) = static_cast<double>(state_[j] ^ shift_[j]) * 0x1p-32;
        }
        return x;
    }

private:
    std::size_t d_;
    bool emit_origin_ = false;
    std::uint32_t index_ = 0;
    std::array<std::array<std::uint32_t, bits>, max_dim> v_{};
    std::array<std::uint32_t, max_dim> state_{};
    std::array<std::uint32_t, max_dim> shift_{};
};

}  // namespace l2s::detail
