// SPDX-License-Identifier: MIT
// l2s/detail/lanes.hpp: N values of one type processed together in vector registers.
//
// lanes<T, N> holds N doubles or floats as an array of the widest vector registers the compiler targets
// (GCC/Clang vector extensions: 16, 32 or 64 bytes by -m flags; plain scalars with other compilers) and
// gives them element-wise arithmetic, comparisons that return masks, and a branch-free select. The
// policies' decision path uses it for blocks of islands: written this way every operation is one vector
// instruction per register, where the auto-vectoriser turned the same loops into transposes and, for
// selections between floating-point values (which may trap), into branches.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace l2s::detail {

/// Bytes of the widest vector register the compiler targets.
inline constexpr std::size_t simd_bytes =
#if defined(__AVX512F__)
    64;
#elif defined(__AVX__)
    32;
#else
    16;
#endif

#if defined(__GNUC__)
/// The vector type of Bytes bytes of T (T = double or float) and its mask (same-width signed integers).
template <class T, std::size_t Bytes>
struct vector_unit;
template <std::size_t Bytes>
struct vector_unit<double, Bytes> {
    typedef double type __attribute__((vector_size(Bytes)));
    typedef std::int64_t mask __attribute__((vector_size(Bytes)));
};
template <std::size_t Bytes>
struct vector_unit<float, Bytes> {
    typedef float type __attribute__((vector_size(Bytes)));
    typedef std::int32_t mask __attribute__((vector_size(Bytes)));
};
#endif

/// Whether the compiler has GCC's vector extensions (GCC and Clang).
inline constexpr bool has_vector_extensions =
#if defined(__GNUC__)
    true;
#else
    false;
#endif

/// Register type, mask type and values per register of basic_lanes: vector registers, or one scalar.
template <class T, std::size_t N, bool Vector>
struct lanes_units {
    using unit = T;
    using mask_unit = bool;
    static constexpr std::size_t per_unit = 1;
};
#if defined(__GNUC__)
template <class T, std::size_t N>
struct lanes_units<T, N, true> {
    static constexpr std::size_t bytes = std::min(simd_bytes, N * sizeof(T));
    using unit = typename vector_unit<T, bytes>::type;
    using mask_unit = typename vector_unit<T, bytes>::mask;
    static constexpr std::size_t per_unit = bytes / sizeof(T);
};
#endif

/// N values of T (double or float) with element-wise operations, in vector registers (Vector) or one
/// scalar at a time. N must be a multiple of the values per register (8 always is).
template <class T, std::size_t N, bool Vector>
struct basic_lanes {
    static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>);
    using unit = typename lanes_units<T, N, Vector>::unit;
    using mask_unit = typename lanes_units<T, N, Vector>::mask_unit;
    static constexpr std::size_t per_unit = lanes_units<T, N, Vector>::per_unit;
    using lanes = basic_lanes;
    static constexpr std::size_t units = N / per_unit;
    static_assert(units * per_unit == N);

    /// Lane-wise truth values of a comparison.
    struct mask {
        std::array<mask_unit, units> m;
        friend mask operator&(mask a, const mask& b) noexcept {
            for (std::size_t i = 0; i < units; ++i) a.m[i] = a.m[i] & b.m[i];
            return a;
        }
    };

    std::array<unit, units> u;

    // One copy per register: a single copy of the whole array is split into pieces that the register
    // loads then wait on (store forwarding fails).
    [[nodiscard]] static lanes load(const T* p) noexcept {
        lanes r;
        for (std::size_t i = 0; i < units; ++i) std::memcpy(&r.u[i], p + i * per_unit, sizeof(unit));
        return r;
    }
    void store(T* p) const noexcept {
        for (std::size_t i = 0; i < units; ++i) std::memcpy(p + i * per_unit, &u[i], sizeof(unit));
    }
    [[nodiscard]] static lanes broadcast(T x) noexcept {
        lanes r;
        for (auto& v : r.u) v = unit{} + x;
        return r;
    }

#define L2S_LANES_OP(op)                                                                     \
    friend lanes operator op(lanes a, const lanes& b) noexcept {                            \
        for (std::size_t i = 0; i < units; ++i) a.u[i] = a.u[i] op b.u[i];                  \
        return a;                                                                            \
    }                                                                                        \
    friend lanes operator op(lanes a, T b) noexcept {                                        \
        for (std::size_t i = 0; i < units; ++i) a.u[i] = a.u[i] op b;                        \
        return a;                                                                            \
    }                                                                                        \
    friend lanes operator op(T a, lanes b) noexcept {                                        \
        for (std::size_t i = 0; i < units; ++i) b.u[i] = a op b.u[i];                        \
        return b;                                                                            \
    }
    L2S_LANES_OP(+)
    L2S_LANES_OP(-)
    L2S_LANES_OP(*)
#undef L2S_LANES_OP
#define L2S_LANES_CMP(op)                                                                    \
    friend mask operator op(const lanes& a, const lanes& b) noexcept {                      \
        mask r;                                                                              \
        for (std::size_t i = 0; i < units; ++i) r.m[i] = a.u[i] op b.u[i];                  \
        return r;                                                                            \
    }
    L2S_LANES_CMP(<)
    L2S_LANES_CMP(>)
    L2S_LANES_CMP(==)
    L2S_LANES_CMP(!=)
#undef L2S_LANES_CMP

    /// m ? a : b lane by lane, on bits (both sides computed, no branch).
    [[nodiscard]] friend lanes select(const mask& m, const lanes& a, const lanes& b) noexcept {
        lanes r;
        for (std::size_t i = 0; i < units; ++i) {
            if constexpr (Vector) r.u[i] = (unit)(((mask_unit)a.u[i] & m.m[i]) | ((mask_unit)b.u[i] & ~m.m[i]));
            else r.u[i] = m.m[i] ? a.u[i] : b.u[i];
        }
        return r;
    }
    /// Lanes holding a finite value (x − x is 0 exactly then, NaN for ±Inf and NaN).
    [[nodiscard]] friend mask finite(const lanes& x) noexcept { return (x - x) == broadcast(T(0)); }
    /// |x| (−0 stays −0).
    [[nodiscard]] friend lanes abs(const lanes& x) noexcept { return select(x < broadcast(T(0)), T(0) - x, x); }
    /// √x lane by lane (std::sqrt on each value).
    [[nodiscard]] friend lanes sqrt(const lanes& x) noexcept {
        std::array<T, N> v;
        x.store(v.data());
        for (auto& e : v) e = std::sqrt(e);
        return load(v.data());
    }
};

/// N values of T in the widest vector registers the compiler offers (scalars without vector extensions).
template <class T, std::size_t N>
using lanes = basic_lanes<T, N, has_vector_extensions>;

}  // namespace l2s::detail
