// tests/detail/test_lanes.cpp: lanes<T, N> against the same operations on each value.
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include <l2s/detail/lanes.hpp>

using l2s::detail::basic_lanes;
using l2s::detail::lanes;

namespace {
template <class T, bool Vector>
struct kind {
    using type = T;
    static constexpr bool vector = Vector;
};
}  // namespace

// Both implementations: vector registers (GCC/Clang) and the scalar one other compilers get.
TEST_CASE_TEMPLATE("lanes: arithmetic, comparisons, select, finite, abs and sqrt lane by lane", K, kind<double, true>,
                   kind<float, true>, kind<double, false>, kind<float, false>) {
    using T = typename K::type;
    constexpr std::size_t N = 8;
    using L = basic_lanes<T, N, K::vector && l2s::detail::has_vector_extensions>;
    constexpr T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const std::vector<T> a{1.5f, -2.0f, 0.0f, -0.0f, inf, -inf, nan, 3.25f};
    const std::vector<T> b{2.0f, -2.0f, 1.0f, 5.0f, 1.0f, 2.0f, 1.0f, -1.0f};
    const auto x = L::load(a.data()), y = L::load(b.data());
    std::vector<T> out(N);
    const auto same = [](T u, T v) { return (std::isnan(u) && std::isnan(v)) || u == v; };

    (x + y).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], a[i] + b[i]));
    (x - y).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], a[i] - b[i]));
    (x * T(3)).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], a[i] * T(3)));
    (T(1) - x).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], T(1) - a[i]));

    // select on each comparison reproduces the scalar ternary, NaN lanes included
    select(x < y, x, y).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], a[i] < b[i] ? a[i] : b[i]));
    select(x > y, x, y).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], a[i] > b[i] ? a[i] : b[i]));
    select(x == y, L::broadcast(T(1)), L::broadcast(T(0))).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(out[i] == (a[i] == b[i] ? T(1) : T(0)));
    select(x != x, L::broadcast(T(1)), L::broadcast(T(0))).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(out[i] == (std::isnan(a[i]) ? T(1) : T(0)));
    select(finite(x), L::broadcast(T(1)), L::broadcast(T(0))).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(out[i] == (std::isfinite(a[i]) ? T(1) : T(0)));
    select(finite(x) & (x < y), L::broadcast(T(1)), L::broadcast(T(0))).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(out[i] == (std::isfinite(a[i]) && a[i] < b[i] ? T(1) : T(0)));

    abs(x).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(same(out[i], std::abs(a[i])));
    sqrt(y * y).store(out.data());
    for (std::size_t i = 0; i < N; ++i) CHECK(out[i] == std::abs(b[i]));
    L::broadcast(T(-7.5)).store(out.data());
    for (auto v : out) CHECK(v == T(-7.5));
}

TEST_CASE("lanes: unaligned loads and stores touch exactly N values") {
    std::vector<double> buf(11, -1.0);
    for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = double(i);
    const auto v = lanes<double, 8>::load(buf.data() + 1);  // not 32-byte aligned
    std::vector<double> out(10, 99.0);
    (v * 2.0).store(out.data() + 1);
    CHECK(out[0] == 99.0);
    for (std::size_t i = 0; i < 8; ++i) CHECK(out[i + 1] == 2.0 * double(i + 1));
    CHECK(out[9] == 99.0);
}
