// SPDX-License-Identifier: MIT
// l2s/problems/analytic.hpp: analytic optimisation test functions with known minima (Branin, Hartmann-6, ...).
//
// Each problem is an aggregate with `dim()`, `domain()` (an l2s::space::box), `operator()(x)` (the value to
// minimise), `optimum_value` and `minimizers()` (every global minimiser, to the digits published). They are
// shared by tests, benchmarks and examples.  @see docs/problems.md
#pragma once
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/space/box.hpp>

namespace l2s::problems {

namespace detail {
inline vec make_vec(std::initializer_list<double> v) {
    vec x(static_cast<Eigen::Index>(v.size()));
    Eigen::Index i = 0;
    for (double e : v) x(i++) = e;
    return x;
}
}  // namespace detail

/// Branin–Hoo on [−5, 10] × [0, 15]:
/// f(x) = (x₂ − b x₁² + c x₁ − r)² + s (1 − t) cos x₁ + s with b = 5.1/(4π²), c = 5/π, r = 6, s = 10, t = 1/(8π).
/// Three global minima f* = 5/(4π) ≈ 0.397887 at (−π, 12.275), (π, 2.275), (3π, 2.475).
/// Dixon & Szegő, Towards Global Optimisation 2, 1978.  @see docs/problems.md#branin
struct branin {
    static constexpr double optimum_value = 0.39788735772973816;
    [[nodiscard]] static constexpr std::size_t dim() noexcept { return 2; }
    [[nodiscard]] static space::box domain() { return {detail::make_vec({-5.0, 0.0}), detail::make_vec({10.0, 15.0})}; }
    [[nodiscard]] double operator()(const vec& x) const {
        require_size("l2s::problems::branin", "x", x.size(), 2);
        constexpr double pi = std::numbers::pi;
        constexpr double b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, r = 6.0, s = 10.0, t = 1.0 / (8.0 * pi);
        const double u = x(1) - b * x(0) * x(0) + c * x(0) - r;
        return u * u + s * (1.0 - t) * std::cos(x(0)) + s;
    }
    [[nodiscard]] static std::vector<vec> minimizers() {
        constexpr double pi = std::numbers::pi;
        return {detail::make_vec({-pi, 12.275}), detail::make_vec({pi, 2.275}), detail::make_vec({3.0 * pi, 2.475})};
    }
};

/// Hartmann-6 on [0, 1]⁶: f(x) = −Σ_{i=1}^{4} α_i exp(−Σ_j A_ij (x_j − P_ij)²) with the published α, A, P.
/// Global minimum f* ≈ −3.32237 at ≈ (0.20169, 0.15001, 0.47687, 0.27533, 0.31165, 0.65730).
/// Hartman, Naval Research Logistics Quarterly 1973; Dixon & Szegő 1978.  @see docs/problems.md#hartmann6
struct hartmann6 {
    static constexpr double optimum_value = -3.3223680114155147;
    [[nodiscard]] static constexpr std::size_t dim() noexcept { return 6; }
    [[nodiscard]] static space::box domain() { return space::box(6); }
    [[nodiscard]] double operator()(const vec& x) const {
        require_size("l2s::problems::hartmann6", "x", x.size(), 6);
        static constexpr std::array<double, 4> alpha{1.0, 1.2, 3.0, 3.2};
        static constexpr std::array<std::array<double, 6>, 4> A{{{10.0, 3.0, 17.0, 3.5, 1.7, 8.0},
                                                                 {0.05, 10.0, 17.0, 0.1, 8.0, 14.0},
                                                                 {3.0, 3.5, 1.7, 10.0, 17.0, 8.0},
                                                                 {17.0, 8.0, 0.05, 10.0, 0.1, 14.0}}};
        static constexpr std::array<std::array<double, 6>, 4> P{{{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                                                                 {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                                                                 {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                                                                 {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}}};
        double f = 0.0;
        for (std::size_t i = 0; i < 4; ++i) {
            double e = 0.0;
            for (std::size_t j = 0; j < 6; ++j) {
                const double d = x(static_cast<Eigen::Index>(j)) - P[i][j];
                e += A[i][j] * d * d;
            }
            f -= alpha[i] * std::exp(-e);
        }
        return f;
    }
    [[nodiscard]] static std::vector<vec> minimizers() {
        return {detail::make_vec({0.20168951265373, 0.15001069271431, 0.47687397898770, 0.27533243186912,
                                  0.31165161984032, 0.65730053880363})};
    }
};

/// Forrester et al.'s 1-D function on [0, 1]: f(x) = (6x − 2)² sin(12x − 4).
/// Global minimum f* ≈ −6.02074 at x ≈ 0.757249. Forrester, Sóbester & Keane, Engineering Design via
/// Surrogate Modelling, Wiley 2008.  @see docs/problems.md#forrester
struct forrester {
    static constexpr double optimum_value = -6.020740055767083;
    [[nodiscard]] static constexpr std::size_t dim() noexcept { return 1; }
    [[nodiscard]] static space::box domain() { return space::box(1); }
    [[nodiscard]] double operator()(const vec& x) const {
        require_size("l2s::problems::forrester", "x", x.size(), 1);
        const double u = 6.0 * x(0) - 2.0;
        return u * u * std::sin(12.0 * x(0) - 4.0);
    }
    [[nodiscard]] static std::vector<vec> minimizers() { return {detail::make_vec({0.7572487144081974})}; }
};

/// Six-hump camel on [−3, 3] × [−2, 2]: f(x) = (4 − 2.1x₁² + x₁⁴/3) x₁² + x₁x₂ + (−4 + 4x₂²) x₂².
/// Two global minima f* ≈ −1.031628 at ±(0.0898420, −0.7126564). Dixon & Szegő 1978.
/// @see docs/problems.md#six_hump_camel
struct six_hump_camel {
    static constexpr double optimum_value = -1.0316284534898774;
    [[nodiscard]] static constexpr std::size_t dim() noexcept { return 2; }
    [[nodiscard]] static space::box domain() { return {detail::make_vec({-3.0, -2.0}), detail::make_vec({3.0, 2.0})}; }
    [[nodiscard]] double operator()(const vec& x) const {
        require_size("l2s::problems::six_hump_camel", "x", x.size(), 2);
        const double a = x(0) * x(0), b = x(1) * x(1);
        return (4.0 - 2.1 * a + a * a / 3.0) * a + x(0) * x(1) + (-4.0 + 4.0 * b) * b;
    }
    [[nodiscard]] static std::vector<vec> minimizers() {
        return {detail::make_vec({0.08984201368301331, -0.7126564032704135}),
                detail::make_vec({-0.08984201368301331, 0.7126564032704135})};
    }
};

/// Rosenbrock in d ≥ 2 dimensions on [−2.048, 2.048]^d: f(x) = Σ_{i<d} 100 (x_{i+1} − x_i²)² + (1 − x_i)².
/// Global minimum 0 at (1, …, 1). Rosenbrock, The Computer Journal 1960. Also has an analytic gradient.
/// @see docs/problems.md#rosenbrock
struct rosenbrock {
    std::size_t dimension = 2;  ///< d ≥ 2
    static constexpr double optimum_value = 0.0;
    [[nodiscard]] std::size_t dim() const noexcept { return dimension; }
    [[nodiscard]] space::box domain() const {
        check();
        const auto d = static_cast<Eigen::Index>(dimension);
        return {vec::Constant(d, -2.048), vec::Constant(d, 2.048)};
    }
    [[nodiscard]] double operator()(const vec& x) const {
        check();
        require_size("l2s::problems::rosenbrock", "x", x.size(), static_cast<Eigen::Index>(dimension));
        double f = 0.0;
        for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
            const double a = x(i + 1) - x(i) * x(i), b = 1.0 - x(i);
            f += 100.0 * a * a + b * b;
        }
        return f;
    }
    /// ∇f(x).
    [[nodiscard]] vec gradient(const vec& x) const {
        check();
        require_size("l2s::problems::rosenbrock::gradient", "x", x.size(), static_cast<Eigen::Index>(dimension));
        vec g = vec::Zero(x.size());
        for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
            const double a = x(i + 1) - x(i) * x(i);
            g(i) += -400.0 * x(i) * a - 2.0 * (1.0 - x(i));
            g(i + 1) += 200.0 * a;
        }
        return g;
    }
    [[nodiscard]] std::vector<vec> minimizers() const {
        check();
        return {vec::Ones(static_cast<Eigen::Index>(dimension))};
    }

private:
    void check() const {
        require_config(dimension >= 2, "l2s::problems::rosenbrock", "dimension", ">= 2", static_cast<double>(dimension));
    }
};

}  // namespace l2s::problems
