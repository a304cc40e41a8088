// SPDX-License-Identifier: MIT
// l2s/learn/softmax_trainer.hpp: multinomial logistic regression (L2) emitting policy::softmax_linear.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include <l2s/core/checks.hpp>
#include <l2s/core/detail/lbfgs.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/softmax_linear.hpp>

namespace l2s::learn {

/// Tunables of train_softmax_linear.  @see docs/learn.md#softmax_linear
struct softmax_trainer_config {
    training_layout_config layout{};  ///< feature map, head sharing, clip
    double l2 = 1e-3;                 ///< λ of (λ/2)‖W‖² (biases are not penalised), ≥ 0
    std::size_t max_iterations = 500; ///< L-BFGS iterations, ≥ 1
    double gradient_tolerance = 1e-6; ///< stop when ‖∇J‖_∞ ≤ this, > 0
    std::size_t history = 10;         ///< L-BFGS memory, ≥ 1
    bool cost_weighted = false;       ///< weight samples by their level-cost spread (needs dataset costs)
};

/// J(W, b) = (1/Σw) Σ_i w_i (−log softmax(W x_i + b)_{y_i}) + (λ/2)‖W‖², θ = (vec(W) column-major, b);
/// ∇_W J = (1/Σw)(P − Y) diag(w) Xᵀ + λW, ∇_b J = (1/Σw)(P − Y) w.
class softmax_objective {
public:
    softmax_objective(const mat& X, const std::vector<int>& y, const vec& w, std::size_t levels, double l2)
        : X_(X), y_(y), w_(w), L_(static_cast<Eigen::Index>(levels)), l2_(l2) {}
    [[nodiscard]] Eigen::Index num_params() const noexcept { return L_ * (X_.rows() + 1); }
    /// J(θ) and, if grad is not null, ∇J(θ).
    double operator()(const vec& theta, vec* grad) const {
        const Eigen::Index F = X_.rows(), m = X_.cols();
        const Eigen::Map<const mat> W(theta.data(), L_, F);
        const Eigen::Map<const vec> b(theta.data() + L_ * F, L_);
        mat P = W * X_;
        P.colwise() += b;
        double loss = 0.0;
        const double sw = w_.sum();
        for (Eigen::Index i = 0; i < m; ++i) {
            const double mx = P.col(i).maxCoeff();
            P.col(i) = (P.col(i).array() - mx).exp().matrix();
            const double s = P.col(i).sum();
            P.col(i) /= s;
            loss -= w_(i) * (std::log(std::max(P(y_[std::size_t(i)], i), 1e-300)));
            P(y_[std::size_t(i)], i) -= 1.0;  // P − Y
            P.col(i) *= w_(i) / sw;
        }
        loss = loss / sw + 0.5 * l2_ * W.squaredNorm();
        if (grad) {
            grad->resize(num_params());
            Eigen::Map<mat> gW(grad->data(), L_, F);
            gW.noalias() = P * X_.transpose();
            gW += l2_ * W;
            grad->tail(L_) = P.rowwise().sum();
        }
        return loss;
    }

private:
    const mat& X_;
    const std::vector<int>& y_;
    const vec& w_;
    Eigen::Index L_;
    double l2_;
};

/// Fits one softmax-linear head per head of the layout by L-BFGS (l2s::detail::lbfgs_minimise, unbounded)
/// on softmax_objective (convex; starts at 0, so the result is deterministic). Throws invalid_config / invalid_argument / dimension_mismatch
/// on bad configuration or data.  @see docs/learn.md#softmax_linear
template <class Scalar = double>
policy::softmax_linear<Scalar> train_softmax_linear(const dataset& d, const softmax_trainer_config& c = {},
                                                    training_report* report = nullptr) {
    constexpr const char* who = "l2s::learn::train_softmax_linear";
    require_config(c.l2 >= 0.0 && std::isfinite(c.l2), who, "l2", ">= 0", c.l2);
    require_config(c.max_iterations >= 1, who, "max_iterations", ">= 1", double(c.max_iterations));
    require_config(c.gradient_tolerance > 0.0, who, "gradient_tolerance", "> 0", c.gradient_tolerance);
    require_config(c.history >= 1, who, "history", ">= 1", double(c.history));
    return detail::train_heads<policy::softmax_linear<Scalar>, policy::softmax_linear_head>(
        d, c.layout, c.cost_weighted, who, report, [&](const detail::head_data& hd, std::size_t) {
            softmax_objective obj(hd.X, hd.y, hd.w, hd.levels, c.l2);
            const auto n = obj.num_params();
            const double inf = std::numeric_limits<double>::infinity();
            l2s::detail::lbfgs_config oc;
            oc.history = c.history;
            oc.max_iterations = c.max_iterations;
            oc.max_evaluations = 20 * c.max_iterations;
            oc.gradient_tolerance = c.gradient_tolerance;
            auto r = l2s::detail::lbfgs_minimise([&](const vec& x, vec& g) { return obj(x, &g); }, vec::Zero(n),
                                                 vec::Constant(n, -inf), vec::Constant(n, inf), oc);
            const auto L = static_cast<Eigen::Index>(hd.levels), F = hd.X.rows();
            policy::softmax_linear_head head{Eigen::Map<const mat>(r.x.data(), L, F), r.x.tail(L)};
            return std::tuple{std::move(head), r.value, r.iterations};
        });
}

}  // namespace l2s::learn
