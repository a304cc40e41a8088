// SPDX-License-Identifier: MIT
// l2s/policy/softmax_linear.hpp: per-island multinomial logistic (softmax-linear) policy.
#pragma once
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/policy/island_policy.hpp>

namespace l2s::policy {

/// Weights of one softmax-linear head: p(l | z) = softmax(W z + b)_l.
struct softmax_linear_head {
    mat weights;  ///< L_h × F
    vec bias;     ///< L_h
};

/// Softmax-linear policy: island k with scaled features z_k gets p_k(l) = softmax(W_h z_k + b_h)_l with
/// h = head_of_island[k]; act picks the most probable level. F·L_h multiply-adds per island.
/// Scalar = double or float (weights are converted once at construction).  @see docs/policy.md#softmax_linear
template <class Scalar = double>
class softmax_linear : public detail::island_policy<softmax_linear<Scalar>, Scalar> {
    using base = detail::island_policy<softmax_linear<Scalar>, Scalar>;
    using row_matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

public:
    static constexpr const char* kind = "softmax_linear";
    softmax_linear(island_layout layout, std::vector<softmax_linear_head> heads)
        : base(std::move(layout), "l2s::policy::softmax_linear"), heads_(std::move(heads)) {
        constexpr const char* who = "l2s::policy::softmax_linear";
        const auto& lh = this->check_heads(heads_.size(), who);
        for (std::size_t h = 0; h < heads_.size(); ++h) {
            const auto& hd = heads_[h];
            require_size(who, "head weights rows", hd.weights.rows(), static_cast<Eigen::Index>(lh[h]));
            require_size(who, "head weights cols", hd.weights.cols(), static_cast<Eigen::Index>(this->num_features()));
            require_size(who, "head bias", hd.bias.size(), static_cast<Eigen::Index>(lh[h]));
            require_finite(who, "head weights", hd.weights);
            require_finite(who, "head bias", hd.bias);
            w_.push_back(hd.weights.template cast<Scalar>());
            b_.push_back(hd.bias.template cast<Scalar>());
        }
    }

    [[nodiscard]] const std::vector<softmax_linear_head>& heads() const noexcept { return heads_; }

    /// Logits s = W_h z + b_h (L_h entries).
    void head_scores(std::size_t h, const Scalar* z, Scalar* s) const noexcept { scores<1>(h, z, s); }
    /// Logits of a block of feature_map::block_width islands deciding on head h, from their scaled
    /// features z, feature-major (z[f·W + i]): s[l·W + i] = b_l + Σ_f W_lf z[f·W + i]. The decision path
    /// of island_policy: the multiply-adds run across the block's islands in vector registers, in the
    /// same order as head_scores, so both give the same logits bit for bit.
    void block_scores(std::size_t h, const Scalar* z, Scalar* s) const noexcept {
        scores<static_cast<int>(feature_map::block_width)>(h, z, s);
    }
    /// p = softmax(W_h z + b_h) (L_h entries).
    void head_probabilities(std::size_t h, const Scalar* z, Scalar* p) const noexcept {
        head_scores(h, z, p);
        detail::softmax_inplace(p, static_cast<std::size_t>(w_[h].rows()));
    }

    /// One stochastic-gradient step of −Σ_k log p_k(labels[k] | obs) with step size lr (SgdStepPolicy, used
    /// by online::uaol_policy to adapt): for island k on head h, W_h −= lr (p − e_y) zᵀ and b_h −= lr (p − e_y),
    /// with z the scaled features under the current history. Islands sharing a head each contribute a step.
    /// Allocation-free; the saved heads() follow. Labels beyond L_k or a wrong count are ignored (no step).
    void sgd_step(const dvfs::observation& o, std::span<const level_t> labels, double lr) noexcept {
        if (!valid_step(labels, lr)) return;
        std::array<Scalar, feature_map::max_features> z;
        for (std::size_t k = 0; k < this->num_islands(); ++k) {
            this->scaled_features(o, k, z);
            step_island(k, z.data(), labels[k], lr);
        }
    }
    /// The same step on stored raw features (K × F, island-major, as raw_features writes them): for an input
    /// captured at decision time, when the feature history has moved on since. Too few features: no step.
    void sgd_step_raw(std::span<const double> raw, std::span<const level_t> labels, double lr) noexcept {
        const std::size_t Fs = this->num_features();
        if (!valid_step(labels, lr) || raw.size() < this->num_islands() * Fs) return;
        std::array<Scalar, feature_map::max_features> z;
        for (std::size_t k = 0; k < this->num_islands(); ++k) {
            this->scale_features(raw.subspan(k * Fs, Fs), z);
            step_island(k, z.data(), labels[k], lr);
        }
    }

private:
    [[nodiscard]] bool valid_step(std::span<const level_t> labels, double lr) const noexcept {
        if (labels.size() != this->num_islands() || !(lr > 0.0) || !std::isfinite(lr)) return false;
        for (std::size_t k = 0; k < labels.size(); ++k)
            if (labels[k] >= this->num_levels(k)) return false;
        return true;
    }
    /// W_h −= lr (p − e_y) zᵀ, b_h −= lr (p − e_y) for island k with scaled features z and label y.
    void step_island(std::size_t k, const Scalar* z, level_t y, double lr) noexcept {
        std::array<Scalar, max_width> p;
        const std::size_t h = this->layout().head_of_island[k];
        const auto L = static_cast<std::size_t>(w_[h].rows());
        head_probabilities(h, z, p.data());
        for (std::size_t l = 0; l < L; ++l) {
            const double g = static_cast<double>(p[l]) - (l == y ? 1.0 : 0.0);
            for (Eigen::Index f = 0; f < w_[h].cols(); ++f) {
                heads_[h].weights(static_cast<Eigen::Index>(l), f) -= lr * g * static_cast<double>(z[f]);
                w_[h](static_cast<Eigen::Index>(l), f) = static_cast<Scalar>(heads_[h].weights(static_cast<Eigen::Index>(l), f));
            }
            heads_[h].bias(static_cast<Eigen::Index>(l)) -= lr * g;
            b_[h](static_cast<Eigen::Index>(l)) = static_cast<Scalar>(heads_[h].bias(static_cast<Eigen::Index>(l)));
        }
    }

    /// Logits of N islands (features feature-major, z[f·N + i]; logits level-major, s[l·N + i]): one
    /// dense layer with the feature count a compile-time constant.
    template <int N>
    void scores(std::size_t h, const Scalar* z, Scalar* s) const noexcept {
        detail::with_feature_count(this->num_features(), [&](auto n) {
            constexpr std::size_t F = decltype(n)::value;
            detail::dense_lanes<N, F>(w_[h].data(), b_[h].data(), static_cast<std::size_t>(w_[h].rows()), F, z, s,
                                      false);
        });
    }

    std::vector<softmax_linear_head> heads_;
    std::vector<row_matrix> w_;
    std::vector<vector> b_;
};

}  // namespace l2s::policy
