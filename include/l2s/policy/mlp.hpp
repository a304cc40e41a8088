// SPDX-License-Identifier: MIT
// l2s/policy/mlp.hpp: per-island multilayer-perceptron policy (ReLU hidden layers, softmax output).
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/policy/island_policy.hpp>

namespace l2s::policy {

/// Layers of one MLP head: a_0 = z, a_{i+1} = ReLU(W_i a_i + b_i) for hidden layers, p = softmax(W_last a + b_last).
struct mlp_head {
    std::vector<mat> weights;  ///< layer i: out_i × in_i (in_0 = F, out_last = L_h)
    std::vector<vec> biases;   ///< layer i: out_i
};

/// MLP policy with any number of ReLU hidden layers of width ≤ max_width (the article's 2 × 20 and 1 × 5,
/// DESIGN's F → 32 → L). Scalar = double or float.  @see docs/policy.md#mlp
template <class Scalar = double>
class mlp : public detail::island_policy<mlp<Scalar>, Scalar> {
    using base = detail::island_policy<mlp<Scalar>, Scalar>;
    using row_matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

public:
    static constexpr const char* kind = "mlp";
    mlp(island_layout layout, std::vector<mlp_head> heads)
        : base(std::move(layout), "l2s::policy::mlp"), heads_(std::move(heads)) {
        constexpr const char* who = "l2s::policy::mlp";
        const auto& lh = this->check_heads(heads_.size(), who);
        w_.resize(heads_.size());
        b_.resize(heads_.size());
        for (std::size_t h = 0; h < heads_.size(); ++h) {
            const auto& hd = heads_[h];
            if (hd.weights.empty()) throw invalid_argument(std::string(who) + ": a head has no layers");
            require_size(who, "head biases", static_cast<Eigen::Index>(hd.biases.size()),
                         static_cast<Eigen::Index>(hd.weights.size()));
            Eigen::Index in = static_cast<Eigen::Index>(this->num_features());
            for (std::size_t i = 0; i < hd.weights.size(); ++i) {
                require_size(who, "layer input width", hd.weights[i].cols(), in);
                require_size(who, "layer bias", hd.biases[i].size(), hd.weights[i].rows());
                if (hd.weights[i].rows() < 1 || static_cast<std::size_t>(hd.weights[i].rows()) > max_width)
                    throw invalid_argument(std::string(who) + ": layer width must be in [1, 256]");
                require_finite(who, "layer weights", hd.weights[i]);
                require_finite(who, "layer bias", hd.biases[i]);
                in = hd.weights[i].rows();
                w_[h].push_back(hd.weights[i].template cast<Scalar>());
                b_[h].push_back(hd.biases[i].template cast<Scalar>());
            }
            require_size(who, "output layer width", in, static_cast<Eigen::Index>(lh[h]));
        }
    }

    [[nodiscard]] const std::vector<mlp_head>& heads() const noexcept { return heads_; }

    /// Output-layer logits (L_h entries).
    void head_scores(std::size_t h, const Scalar* z, Scalar* p) const noexcept { scores<1>(h, z, p); }
    /// Logits of a block of feature_map::block_width islands on head h (z feature-major, z[f·W + i];
    /// s[l·W + i]): every layer for the block's islands at once, in the order head_scores uses.
    void block_scores(std::size_t h, const Scalar* z, Scalar* s) const noexcept {
        scores<static_cast<int>(feature_map::block_width)>(h, z, s);
    }
    /// p = softmax(logits) (L_h entries).
    void head_probabilities(std::size_t h, const Scalar* z, Scalar* p) const noexcept {
        head_scores(h, z, p);
        detail::softmax_inplace(p, static_cast<std::size_t>(w_[h].back().rows()));
    }

private:
    /// Logits of N islands through every layer (activations stored by unit then island).
    template <int N>
    void scores(std::size_t h, const Scalar* z, Scalar* out) const noexcept {
        std::array<Scalar, max_width * N> a, b;  // written before read
        const Scalar* in = z;
        const auto& W = w_[h];
        const auto& B = b_[h];
        for (std::size_t i = 0; i < W.size(); ++i) {
            const bool last = i + 1 == W.size();
            Scalar* y = last ? out : (i % 2 == 0 ? a.data() : b.data());
            detail::dense_lanes<N>(W[i].data(), B[i].data(), static_cast<std::size_t>(W[i].rows()),
                                   static_cast<std::size_t>(W[i].cols()), in, y, !last);
            in = y;
        }
    }

    std::vector<mlp_head> heads_;
    std::vector<std::vector<row_matrix>> w_;
    std::vector<std::vector<vector>> b_;
};

}  // namespace l2s::policy
