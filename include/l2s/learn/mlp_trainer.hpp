// SPDX-License-Identifier: MIT
// l2s/learn/mlp_trainer.hpp: cross-entropy MLP training with Adam (own implementation on Eigen).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/mlp.hpp>

namespace l2s::learn {

/// Tunables of train_mlp. Defaults: DESIGN's F → 32 → L; the article's two networks are
/// article_2x20() and article_1x5().  @see docs/learn.md#mlp
struct mlp_trainer_config {
    training_layout_config layout{};
    std::vector<std::size_t> hidden{32};  ///< hidden widths (ReLU), each in [1, 256]; may be empty (softmax-linear)
    double learning_rate = 1e-3;          ///< Adam step size, > 0
    std::size_t batch_size = 200;         ///< minibatch size, ≥ 1 (the last batch of an epoch may be smaller)
    std::size_t epochs = 500;             ///< passes over the data, ≥ 1
    double l2 = 0.0;                      ///< weight decay λ of (λ/2)‖W‖² on weights (not biases), ≥ 0
    double beta1 = 0.9;                   ///< Adam first-moment decay, in [0, 1)
    double beta2 = 0.999;                 ///< Adam second-moment decay, in [0, 1)
    double epsilon = 1e-8;                ///< Adam denominator guard, > 0
    std::uint64_t seed = 0;               ///< initialisation and shuffling (head h uses seed + h)
    bool cost_weighted = false;           ///< weight samples by their level-cost spread (needs dataset costs)

    /// The article's larger network: 2 hidden layers of 20 ReLU units, Adam 1e-3, batch 200, 500 epochs.
    [[nodiscard]] static mlp_trainer_config article_2x20() {
        mlp_trainer_config c;
        c.hidden = {20, 20};
        return c;
    }
    /// The article's small network: 1 hidden layer of 5 units, Adam 3e-3, batch 20, 200 epochs.
    [[nodiscard]] static mlp_trainer_config article_1x5() {
        mlp_trainer_config c;
        c.hidden = {5};
        c.learning_rate = 3e-3;
        c.batch_size = 20;
        c.epochs = 200;
        return c;
    }
};

/// Mean weighted cross-entropy of an MLP head on columns of X plus (λ/2)Σ‖W_i‖², and its gradient by
/// backpropagation: δ_last = (P − Y) diag(w)/Σw, ∇W_i = δ_i a_iᵀ + λW_i, ∇b_i = δ_i 1,
/// δ_{i−1} = (W_iᵀ δ_i) ∘ 1[z_{i−1} > 0].
inline double mlp_loss(const policy::mlp_head& net, const mat& X, const std::vector<int>& y, const vec& w,
                       double l2, policy::mlp_head* grad) {
    const std::size_t n = net.weights.size();
    std::vector<mat> act(n + 1);  // act[0] = X, act[i] = ReLU(z_i) for hidden, act[n] = P
    act[0] = X;
    for (std::size_t i = 0; i < n; ++i) {
        mat z = net.weights[i] * act[i];
        z.colwise() += net.biases[i];
        act[i + 1] = i + 1 < n ? mat(z.cwiseMax(0.0)) : z;
    }
    mat& P = act[n];
    const double sw = w.sum();
    double loss = 0.0;
    for (Eigen::Index c = 0; c < P.cols(); ++c) {
        const double mx = P.col(c).maxCoeff();
        P.col(c) = (P.col(c).array() - mx).exp().matrix();
        P.col(c) /= P.col(c).sum();
        const auto yc = y[std::size_t(c)];
        loss -= w(c) * std::log(std::max(P(yc, c), 1e-300));
        P(yc, c) -= 1.0;
        P.col(c) *= w(c) / sw;
    }
    loss /= sw;
    for (const auto& W : net.weights) loss += 0.5 * l2 * W.squaredNorm();
    if (grad) {
        grad->weights.resize(n);
        grad->biases.resize(n);
        mat delta = std::move(P);
        for (std::size_t i = n; i-- > 0;) {
            grad->weights[i].noalias() = delta * act[i].transpose();
            grad->weights[i] += l2 * net.weights[i];
            grad->biases[i] = delta.rowwise().sum();
            if (i > 0) {
                mat back = net.weights[i].transpose() * delta;
                delta = back.cwiseProduct((act[i].array() > 0.0).cast<double>().matrix());
            }
        }
    }
    return loss;
}

/// Trains one MLP head per layout head with minibatch Adam (Kingma & Ba, ICLR 2015) on mlp_loss; He
/// initialisation (normal, variance 2/fan_in), biases 0; fixed seed → identical weights.
template <class Scalar = double>
policy::mlp<Scalar> train_mlp(const dataset& d, const mlp_trainer_config& c = {}, training_report* report = nullptr) {
    constexpr const char* who = "l2s::learn::train_mlp";
    for (auto hw : c.hidden) require_config(hw >= 1 && hw <= policy::max_width, who, "hidden", "in [1, 256]", double(hw));
    require_config(c.learning_rate > 0.0 && std::isfinite(c.learning_rate), who, "learning_rate", "> 0", c.learning_rate);
    require_config(c.batch_size >= 1, who, "batch_size", ">= 1", double(c.batch_size));
    require_config(c.epochs >= 1, who, "epochs", ">= 1", double(c.epochs));
    require_config(c.l2 >= 0.0, who, "l2", ">= 0", c.l2);
    require_config(c.beta1 >= 0.0 && c.beta1 < 1.0, who, "beta1", "in [0, 1)", c.beta1);
    require_config(c.beta2 >= 0.0 && c.beta2 < 1.0, who, "beta2", "in [0, 1)", c.beta2);
    require_config(c.epsilon > 0.0, who, "epsilon", "> 0", c.epsilon);
    return detail::train_heads<policy::mlp<Scalar>, policy::mlp_head>(
        d, c.layout, c.cost_weighted, who, report, [&](const detail::head_data& hd, std::size_t h) {
            rng_type rng(c.seed + h);
            policy::mlp_head net;
            std::vector<std::size_t> widths = c.hidden;
            widths.push_back(hd.levels);
            Eigen::Index in = hd.X.rows();
            for (auto wd : widths) {
                const auto out = static_cast<Eigen::Index>(wd);
                std::normal_distribution<double> init(0.0, std::sqrt(2.0 / double(in)));
                mat W(out, in);
                for (Eigen::Index j = 0; j < in; ++j)
                    for (Eigen::Index i = 0; i < out; ++i) W(i, j) = init(rng);
                net.weights.push_back(std::move(W));
                net.biases.push_back(vec::Zero(out));
                in = out;
            }
            policy::mlp_head m1 = net, m2 = net, g;  // Adam moments
            for (std::size_t i = 0; i < net.weights.size(); ++i) {
                m1.weights[i].setZero(); m2.weights[i].setZero(); m1.biases[i].setZero(); m2.biases[i].setZero();
            }
            const auto m = static_cast<std::size_t>(hd.X.cols());
            std::vector<std::size_t> idx(m);
            std::iota(idx.begin(), idx.end(), std::size_t{0});
            const std::size_t B = std::min(c.batch_size, m);
            mat Xb(hd.X.rows(), static_cast<Eigen::Index>(B));
            std::vector<int> yb(B);
            vec wb(static_cast<Eigen::Index>(B));
            double t = 0.0, last = 0.0;
            for (std::size_t e = 0; e < c.epochs; ++e) {
                for (std::size_t i = m; i > 1; --i) std::swap(idx[i - 1], idx[static_cast<std::size_t>(rng() % i)]);
                for (std::size_t s = 0; s < m; s += B) {
                    const std::size_t nb = std::min(B, m - s);
                    if (static_cast<std::size_t>(Xb.cols()) != nb) {
                        Xb.resize(Xb.rows(), static_cast<Eigen::Index>(nb));
                        yb.resize(nb);
                        wb.resize(static_cast<Eigen::Index>(nb));
                    }
                    for (std::size_t j = 0; j < nb; ++j) {
                        const auto col = static_cast<Eigen::Index>(idx[s + j]);
                        Xb.col(static_cast<Eigen::Index>(j)) = hd.X.col(col);
                        yb[j] = hd.y[idx[s + j]];
                        wb(static_cast<Eigen::Index>(j)) = hd.w(col);
                    }
                    last = mlp_loss(net, Xb, yb, wb, c.l2, &g);
                    t += 1.0;
                    const double c1 = 1.0 - std::pow(c.beta1, t), c2 = 1.0 - std::pow(c.beta2, t);
                    auto adam = [&](auto& p, auto& mm, auto& vv, const auto& gg) {
                        mm = c.beta1 * mm + (1.0 - c.beta1) * gg;
                        vv = c.beta2 * vv + (1.0 - c.beta2) * gg.cwiseProduct(gg);
                        p.array() -= c.learning_rate * (mm.array() / c1) / ((vv.array() / c2).sqrt() + c.epsilon);
                    };
                    for (std::size_t i = 0; i < net.weights.size(); ++i) {
                        adam(net.weights[i], m1.weights[i], m2.weights[i], g.weights[i]);
                        adam(net.biases[i], m1.biases[i], m2.biases[i], g.biases[i]);
                    }
                }
            }
            for (const auto& W : net.weights)
                if (!W.allFinite()) throw numerical_error(std::string(who) + ": training diverged (non-finite weights)");
            return std::tuple{std::move(net), last, c.epochs};
        });
}

}  // namespace l2s::learn
