// SPDX-License-Identifier: MIT
// l2s/acquisition/thompson.hpp: Thompson sampling, one joint posterior draw over a finite candidate set.
#pragma once
#include <algorithm>
#include <cstddef>
#include <random>
#include <string>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <l2s/acquisition/concepts.hpp>
#include <l2s/core/error.hpp>

namespace l2s::acquisition {

/// A draw f ~ N(μ, Σ) of the latent posterior jointly at the candidates (Thompson, Biometrika 1933;
/// Russo & Van Roy et al., "A Tutorial on Thompson Sampling", 2018). The maximiser of the draw is the pick.
/// Needs the model's optional `posterior(Z) → joint_posterior`. Σ is factorised by Cholesky with a jitter ladder
/// {0, 1e-12, 1e-10, 1e-8, 1e-6}·mean(diag Σ); if that fails, by a symmetric eigendecomposition with negative
/// eigenvalues set to zero.  @see docs/acquisition.md#thompson
struct thompson {
    std::size_t max_candidates = 2048;  ///< the draw costs O(m³); more candidates throw invalid_argument

    template <class M, class Rng>
        requires requires(const M& m, const mat& X) { { m.posterior(X) } -> std::convertible_to<joint_posterior>; }
    [[nodiscard]] vec operator()(const M& model, const mat& X, const context&, Rng& rng) const {
        if (static_cast<std::size_t>(X.cols()) > max_candidates)
            throw invalid_argument("l2s::acquisition::thompson: " + std::to_string(X.cols()) + " candidates exceed max_candidates = " +
                                   std::to_string(max_candidates));
        const joint_posterior post = model.posterior(X);
        return draw(post, rng);
    }

    /// One draw of N(post.mean, post.covariance).
    template <class Rng>
    [[nodiscard]] static vec draw(const joint_posterior& post, Rng& rng) {
        const Eigen::Index m = post.mean.size();
        std::normal_distribution<double> n01;
        vec eps(m);
        for (Eigen::Index i = 0; i < m; ++i) eps(i) = n01(rng);
        if (m == 0) return eps;
        const double scale = std::max(post.covariance.diagonal().mean(), 1e-300);
        for (double rel : {0.0, 1e-12, 1e-10, 1e-8, 1e-6}) {
            mat c = post.covariance;
            c.diagonal().array() += rel * scale;
            Eigen::LLT<mat> llt(c);
            if (llt.info() == Eigen::Success) return post.mean + llt.matrixL() * eps;
        }
        Eigen::SelfAdjointEigenSolver<mat> es(post.covariance);
        const vec root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
        return post.mean + es.eigenvectors() * root.cwiseProduct(eps);
    }
};

}  // namespace l2s::acquisition
