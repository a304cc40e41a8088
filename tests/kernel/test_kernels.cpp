// tests/kernel/test_kernels.cpp: conformance of every kernel (symmetry, PSD Gram, gradient vs central
// differences, batched forms vs per-pair loops, parameter round trip) and closed forms.
#include <cmath>
#include <random>

#include <doctest/doctest.h>
#include <Eigen/Eigenvalues>

#include <l2s/kernel.hpp>
#include <support/fd_gradient.hpp>

using namespace l2s;

namespace {

constexpr Eigen::Index dim = 3;

mat random_inputs(Eigen::Index n, rng_type& rng, bool categorical) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<int> c(0, 2);
    mat X(dim, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < dim; ++i) X(i, j) = categorical ? c(rng) : u(rng);
    return X;
}

struct se_case { static kernel::se_ard make() { return {vec{{0.3, -0.5, 0.1}}, 0.4}; } static constexpr bool cat = false; };
struct m32_case { static kernel::matern32_ard make() { return {vec{{-0.2, 0.5, -1.0}}, -0.3}; } static constexpr bool cat = false; };
struct m52_case { static kernel::matern52_ard make() { return {vec{{0.0, -0.7, 0.2}}, 0.2}; } static constexpr bool cat = false; };
struct hamming_case { static kernel::hamming make() { return {vec{{0.1, -0.4, 0.6}}, 0.3}; } static constexpr bool cat = true; };
struct sum_case {
    static kernel::sum<kernel::se_ard, kernel::matern52_ard> make() { return {se_case::make(), m52_case::make()}; }
    static constexpr bool cat = false;
};
struct product_case {
    static kernel::product<kernel::matern32_ard, kernel::on_dims<kernel::se_ard>> make() {
        return {m32_case::make(), {{0, 2}, kernel::se_ard{vec{{0.2, -0.1}}, -0.2}}};
    }
    static constexpr bool cat = false;
};
struct ordinal_case {
    static kernel::ordinal<> make() {
        return {{{0.0, 0.3, 0.55, 1.0}, {0.0, 0.5, 1.0}, {0.0, 0.2, 0.4, 0.7, 1.0}},
                kernel::matern52_ard{vec{{-0.5, 0.0, -0.3}}, 0.1}};
    }
    static constexpr bool cat = true;  // level indices 0..2 are valid for every coordinate
};

}  // namespace

TEST_CASE_TEMPLATE("kernel conformance", C, se_case, m32_case, m52_case, hamming_case, sum_case, product_case, ordinal_case) {
    rng_type rng(7);
    auto k = C::make();
    static_assert(DifferentiableKernel<decltype(k)>);
    const mat X = random_inputs(12, rng, C::cat), Z = random_inputs(5, rng, C::cat);

    SUBCASE("cross() equals the per-pair loop, gram() is symmetric and PSD, diag() matches") {
        // 5 columns take the stationary kernels' direct r² path, 20 their GEMM path.
        for (const mat& Zc : {Z, random_inputs(20, rng, C::cat)}) {
            const mat C1 = cross(k, X, Zc);
            REQUIRE(C1.rows() == X.cols());
            REQUIRE(C1.cols() == Zc.cols());
            for (Eigen::Index a = 0; a < X.cols(); ++a)
                for (Eigen::Index b = 0; b < Zc.cols(); ++b)
                    CHECK(C1(a, b) == doctest::Approx(k(vec(X.col(a)), vec(Zc.col(b)))).epsilon(1e-12));
        }
        const mat G = gram(k, X);
        CHECK((G - G.transpose()).cwiseAbs().maxCoeff() == 0.0);
        Eigen::SelfAdjointEigenSolver<mat> es(G);
        CHECK(es.eigenvalues().minCoeff() > -1e-10 * es.eigenvalues().maxCoeff());
        const vec dg = gram_diag(k, Z);
        for (Eigen::Index b = 0; b < Z.cols(); ++b) CHECK(dg(b) == doctest::Approx(k(vec(Z.col(b)), vec(Z.col(b)))));
        for (Eigen::Index a = 0; a < X.cols(); ++a)
            CHECK(k(vec(X.col(a)), vec(X.col(0))) == doctest::Approx(k(vec(X.col(0)), vec(X.col(a)))).epsilon(1e-14));
    }
    SUBCASE("gradient matches central differences in θ") {
        for (Eigen::Index a = 0; a < 4; ++a) {
            const vec x = X.col(a), y = X.col(a + 1);
            const vec theta = k.params();
            auto kk = k;
            const vec fd = test::fd_gradient([&](const vec& t) { kk.set_params(t); return kk(x, y); }, theta, 1e-6);
            const vec g = k.gradient(x, y);
            REQUIRE(g.size() == theta.size());
            CHECK((g - fd).cwiseAbs().maxCoeff() < 1e-8);
        }
    }
    SUBCASE("gram_gradient_dot equals the explicit sum of W ∘ ∂K/∂θ_j") {
        mat W = mat::Random(X.cols(), X.cols());
        W = (W + W.transpose()).eval();
        const vec fused = gram_gradient_dot(k, X, W);
        vec loop = vec::Zero(static_cast<Eigen::Index>(k.num_params()));
        for (Eigen::Index a = 0; a < X.cols(); ++a)
            for (Eigen::Index b = 0; b < X.cols(); ++b) loop += W(a, b) * k.gradient(vec(X.col(a)), vec(X.col(b)));
        CHECK((fused - loop).cwiseAbs().maxCoeff() < 1e-10 * std::max(1.0, loop.cwiseAbs().maxCoeff()));
    }
    SUBCASE("params round trip and wrong sizes") {
        const vec t = k.params();
        REQUIRE(static_cast<std::size_t>(t.size()) == k.num_params());
        auto k2 = k;
        vec t2 = t.array() + 0.25;
        k2.set_params(t2);
        CHECK(k2.params() == t2);
        k2.set_params(t);
        CHECK(k2.params() == t);
        CHECK(param_kinds(k).size() == k.num_params());
        CHECK_THROWS_AS(k2.set_params(vec::Zero(t.size() + 1)), dimension_mismatch);
        CHECK(k2.params() == t);  // unchanged after the failed call
    }
}

TEST_CASE("stationary kernels: closed forms at a known distance") {
    const vec x = vec::Zero(2), y{{0.3, 0.4}};  // r = 0.5 with ℓ = 1
    const double sf2 = 2.0;
    const auto se = kernel::se_ard::from(vec::Ones(2), sf2);
    const auto m32 = kernel::matern32_ard::from(vec::Ones(2), sf2);
    const auto m52 = kernel::matern52_ard::from(vec::Ones(2), sf2);
    CHECK(se(x, y) == doctest::Approx(sf2 * std::exp(-0.125)).epsilon(1e-15));
    const double r3 = std::sqrt(3.0) * 0.5, r5 = std::sqrt(5.0) * 0.5;
    CHECK(m32(x, y) == doctest::Approx(sf2 * (1 + r3) * std::exp(-r3)).epsilon(1e-15));
    CHECK(m52(x, y) == doctest::Approx(sf2 * (1 + r5 + r5 * r5 / 3) * std::exp(-r5)).epsilon(1e-15));
    CHECK(se(x, x) == sf2);
}

TEST_CASE("hamming and ordinal: semantics") {
    const kernel::hamming h{vec::Zero(2), 0.0};
    CHECK(h(vec{{1, 2}}, vec{{1, 2}}) == 1.0);
    CHECK(h(vec{{1, 2}}, vec{{1, 0}}) == doctest::Approx(std::exp(-1.0)));
    CHECK(h(vec{{1, 2}}, vec{{1, 0}}) == h(vec{{1, 2}}, vec{{1, 1}}));  // unordered: every mismatch alike
    const kernel::ordinal<> o{{{0.0, 0.25, 0.5, 1.0}}, kernel::matern52_ard{vec::Zero(1), 0.0}};
    CHECK(o(vec{{0}}, vec{{1}}) > o(vec{{0}}, vec{{2}}));  // ordered: nearer levels correlate more
    CHECK_THROWS_AS((void)o(vec{{0}}, vec{{4}}), invalid_argument);
    CHECK_THROWS_AS((void)o(vec{{0, 1}}, vec{{0, 1}}), dimension_mismatch);
}

TEST_CASE("kernel factories reject non-positive length-scales and variances") {
    CHECK_THROWS_AS((void)kernel::se_ard::from(vec{{1.0, 0.0}}), invalid_config);
    CHECK_THROWS_AS((void)kernel::matern52_ard::from(vec{{-1.0}}), invalid_config);
    CHECK_THROWS_AS((void)kernel::matern32_ard::from(vec{{1.0}}, 0.0), invalid_config);
    CHECK_THROWS_AS((void)kernel::se_ard::from(vec{{std::nan("")}}), invalid_config);
    try {
        (void)kernel::se_ard::from(vec{{1.0, -2.0}});
    } catch (const invalid_config& e) {
        CHECK(std::string(e.what()).rfind("l2s::kernel::se_ard::from: length_scale", 0) == 0);
    }
    auto k = kernel::se_ard::from(vec::Ones(2));
    CHECK_THROWS_AS((void)cross(k, mat::Zero(3, 2), mat::Zero(3, 2)), dimension_mismatch);
}
