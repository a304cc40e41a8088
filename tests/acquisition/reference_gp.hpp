// tests/acquisition/reference_gp.hpp: a small dense GP (fixed SE kernel, refit from scratch on every change),
// an independent Surrogate for testing acquisitions, inner optimisers and the BO driver.
#pragma once
#include <cmath>
#include <stdexcept>

#include <Eigen/Cholesky>

#include <l2s/core/checks.hpp>
#include <l2s/gp/concepts.hpp>

namespace l2s::test {

struct reference_gp {
    double length_scale = 0.3;
    double signal_variance = 1.0;
    double noise_variance = 1e-6;
    std::size_t input_dim = 1;

    mat X = mat(0, 0);
    vec y = vec(0);

    [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(y.size()); }
    [[nodiscard]] std::size_t dim() const noexcept { return input_dim; }

    void fit(const mat& Xn, const vec& yn) {
        require_size("reference_gp::fit", "y", yn.size(), Xn.cols());
        require_finite("reference_gp::fit", "y", yn);
        X = Xn;
        y = yn;
        refactor();
    }
    void add(const vec& x, double v) {
        require_finite("reference_gp::add", "y", v);
        mat Xn(x.size(), X.cols() + 1);
        if (X.cols() > 0) Xn.leftCols(X.cols()) = X;
        Xn.col(X.cols()) = x;
        vec yn(y.size() + 1);
        yn << y, v;
        X = std::move(Xn);
        y = std::move(yn);
        refactor();
    }
    void truncate(std::size_t n) {
        X.conservativeResize(X.rows(), static_cast<Eigen::Index>(n));
        y.conservativeResize(static_cast<Eigen::Index>(n));
        refactor();
    }
    [[nodiscard]] double k(const vec& a, const vec& b) const {
        return signal_variance * std::exp(-0.5 * (a - b).squaredNorm() / (length_scale * length_scale));
    }
    [[nodiscard]] mat cross(const mat& A, const mat& B) const {
        mat K(A.cols(), B.cols());
        for (Eigen::Index i = 0; i < A.cols(); ++i)
            for (Eigen::Index j = 0; j < B.cols(); ++j) K(i, j) = k(A.col(i), B.col(j));
        return K;
    }
    [[nodiscard]] joint_posterior posterior(const mat& Z) const {
        joint_posterior p{vec::Zero(Z.cols()), cross(Z, Z)};
        if (size() == 0) return p;
        const mat Ks = cross(X, Z);
        p.mean = Ks.transpose() * alpha_;
        const mat V = llt_.matrixL().solve(Ks);
        p.covariance -= V.transpose() * V;
        return p;
    }
    [[nodiscard]] batch_prediction predict(const mat& Z) const {
        const joint_posterior p = posterior(Z);
        return {p.mean, p.covariance.diagonal().cwiseMax(0.0), noise_variance};
    }
    [[nodiscard]] prediction predict(const vec& x) const {
        const batch_prediction b = predict(mat(x));
        return b.at(0);
    }

    void refactor() {
        if (size() == 0) return;
        mat K = cross(X, X);
        K.diagonal().array() += noise_variance;
        llt_.compute(K);
        alpha_ = llt_.solve(y);
    }
    Eigen::LLT<mat> llt_{};
    vec alpha_{};
};
static_assert(Surrogate<reference_gp>);

}  // namespace l2s::test
