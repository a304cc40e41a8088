// SPDX-License-Identifier: MIT
// l2s/learn/cart_trainer.hpp: CART classification trees (Gini, depth-limited, Laplace-smoothed leaves).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/cart_tree.hpp>

namespace l2s::learn {

/// Tunables of train_cart.  @see docs/learn.md#cart
struct cart_trainer_config {
    training_layout_config layout{};
    std::size_t max_depth = 8;          ///< deepest leaf (root = depth 0), in [0, 30]
    std::size_t min_samples_split = 2;  ///< a node with fewer samples becomes a leaf, ≥ 2
    std::size_t min_samples_leaf = 1;   ///< every child keeps at least this many samples, ≥ 1
    double min_impurity_decrease = 0.0; ///< split only if weighted Gini falls by more than this, ≥ 0
    double laplace_alpha = 1.0;         ///< leaf p_l = (w_l + α) / (w + α L), > 0
    bool cost_weighted = false;         ///< weight samples by their level-cost spread (needs dataset costs)
};

namespace detail {

/// Builds one tree (Breiman et al., Classification and Regression Trees, 1984): greedy binary splits
/// z_j ≤ θ minimising weighted Gini impurity, θ the midpoint between consecutive distinct values;
/// nodes numbered in preorder (children after parents). Ties go to the lowest feature, then threshold.
class cart_builder {
public:
    cart_builder(const head_data& hd, const cart_trainer_config& c) : hd_(hd), c_(c), L_(hd.levels) {}

    policy::cart_head build() {
        std::vector<std::size_t> idx(static_cast<std::size_t>(hd_.X.cols()));
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        grow(idx, 0);
        t_.probs.resize(static_cast<Eigen::Index>(L_), static_cast<Eigen::Index>(probs_.size() / L_));
        std::copy(probs_.begin(), probs_.end(), t_.probs.data());
        return std::move(t_);
    }

private:
    std::uint32_t grow(std::vector<std::size_t>& idx, std::size_t depth) {
        const auto node = static_cast<std::uint32_t>(t_.feature.size());
        std::vector<double> counts(L_, 0.0);
        double total = 0.0;
        for (auto i : idx) {
            counts[static_cast<std::size_t>(hd_.y[i])] += hd_.w(static_cast<Eigen::Index>(i));
            total += hd_.w(static_cast<Eigen::Index>(i));
        }
        t_.feature.push_back(-1);
        t_.threshold.push_back(0.0);
        t_.left.push_back(0);
        t_.right.push_back(0);
        for (std::size_t l = 0; l < L_; ++l)
            probs_.push_back((counts[l] + c_.laplace_alpha) / (total + c_.laplace_alpha * double(L_)));
        const double g = gini(counts, total);
        if (depth >= c_.max_depth || idx.size() < c_.min_samples_split || g <= 0.0) return node;
        int best_f = -1;
        double best_thr = 0.0, best_score = g * total - c_.min_impurity_decrease * total;
        std::vector<std::size_t> order = idx;
        std::vector<double> lc(L_);
        for (Eigen::Index f = 0; f < hd_.X.rows(); ++f) {
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                const double xa = hd_.X(f, static_cast<Eigen::Index>(a)), xb = hd_.X(f, static_cast<Eigen::Index>(b));
                return xa < xb || (xa == xb && a < b);
            });
            std::fill(lc.begin(), lc.end(), 0.0);
            double lw = 0.0;
            for (std::size_t s = 0; s + 1 < order.size(); ++s) {
                const auto i = order[s];
                lc[static_cast<std::size_t>(hd_.y[i])] += hd_.w(static_cast<Eigen::Index>(i));
                lw += hd_.w(static_cast<Eigen::Index>(i));
                const double x0 = hd_.X(f, static_cast<Eigen::Index>(i));
                const double x1 = hd_.X(f, static_cast<Eigen::Index>(order[s + 1]));
                if (!(x1 > x0) || s + 1 < c_.min_samples_leaf || order.size() - s - 1 < c_.min_samples_leaf) continue;
                double rg = 0.0, lg = 0.0;
                const double rw = total - lw;
                for (std::size_t l = 0; l < L_; ++l) {
                    lg += lc[l] * lc[l];
                    const double r = counts[l] - lc[l];
                    rg += r * r;
                }
                const double score = (lw - lg / std::max(lw, 1e-300)) + (rw - rg / std::max(rw, 1e-300));
                if (score < best_score - 1e-12 * total) {
                    best_score = score;
                    best_f = static_cast<int>(f);
                    best_thr = 0.5 * (x0 + x1);
                }
            }
        }
        if (best_f < 0) return node;
        std::vector<std::size_t> li, ri;
        for (auto i : idx) (hd_.X(best_f, static_cast<Eigen::Index>(i)) <= best_thr ? li : ri).push_back(i);
        idx.clear();
        idx.shrink_to_fit();
        t_.feature[node] = static_cast<std::int32_t>(best_f);
        t_.threshold[node] = best_thr;
        const auto l = grow(li, depth + 1);
        const auto r = grow(ri, depth + 1);
        t_.left[node] = l;
        t_.right[node] = r;
        return node;
    }
    /// Gini impurity 1 − Σ p_l² of weighted counts.
    static double gini(const std::vector<double>& counts, double total) {
        if (total <= 0.0) return 0.0;
        double s = 0.0;
        for (double x : counts) s += (x / total) * (x / total);
        return 1.0 - s;
    }

    const head_data& hd_;
    const cart_trainer_config& c_;
    std::size_t L_;
    policy::cart_head t_;
    std::vector<double> probs_;
};

}  // namespace detail

/// Trains one CART tree per layout head on the scaled features (deterministic: no randomness).
template <class Scalar = double>
policy::cart_tree<Scalar> train_cart(const dataset& d, const cart_trainer_config& c = {}, training_report* report = nullptr) {
    constexpr const char* who = "l2s::learn::train_cart";
    require_config(c.max_depth <= 30, who, "max_depth", "in [0, 30]", double(c.max_depth));
    require_config(c.min_samples_split >= 2, who, "min_samples_split", ">= 2", double(c.min_samples_split));
    require_config(c.min_samples_leaf >= 1, who, "min_samples_leaf", ">= 1", double(c.min_samples_leaf));
    require_config(c.min_impurity_decrease >= 0.0, who, "min_impurity_decrease", ">= 0", c.min_impurity_decrease);
    require_config(c.laplace_alpha > 0.0, who, "laplace_alpha", "> 0", c.laplace_alpha);
    return detail::train_heads<policy::cart_tree<Scalar>, policy::cart_head>(
        d, c.layout, c.cost_weighted, who, report, [&](const detail::head_data& hd, std::size_t) {
            auto t = detail::cart_builder(hd, c).build();
            const std::size_t nodes = t.size();
            return std::tuple{std::move(t), 0.0, nodes};  // loss: none; iterations: nodes
        });
}

}  // namespace l2s::learn
