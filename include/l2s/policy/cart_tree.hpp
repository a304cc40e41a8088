// SPDX-License-Identifier: MIT
// l2s/policy/cart_tree.hpp: per-island classification-tree policy stored in flat arrays.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/types.hpp>
#include <l2s/policy/island_policy.hpp>

namespace l2s::policy {

/// One tree in flat arrays, node 0 the root. Node i is a leaf when feature[i] < 0; otherwise the walk goes
/// to left[i] when z[feature[i]] ≤ threshold[i], else to right[i]. Children have larger indices than their
/// parent (no cycles). Column i of probs holds the (Laplace-smoothed) level distribution of node i.
struct cart_head {
    std::vector<std::int32_t> feature;
    std::vector<double> threshold;
    std::vector<std::uint32_t> left;
    std::vector<std::uint32_t> right;
    mat probs;  ///< L_h × nodes

    [[nodiscard]] std::size_t size() const noexcept { return feature.size(); }
    /// Depth of the deepest leaf (root alone = 0).
    [[nodiscard]] std::size_t depth() const {
        std::vector<std::size_t> d(size(), 0);
        std::size_t m = 0;
        for (std::size_t i = 0; i < size(); ++i)
            if (feature[i] >= 0) d[left[i]] = d[right[i]] = d[i] + 1;
            else m = std::max(m, d[i]);
        return m;
    }
};

/// CART policy: one tree per head; at most depth comparisons per island. Scalar = double or float
/// (thresholds converted once).  @see docs/policy.md#cart_tree
template <class Scalar = double>
class cart_tree : public detail::island_policy<cart_tree<Scalar>, Scalar> {
    using base = detail::island_policy<cart_tree<Scalar>, Scalar>;

public:
    static constexpr const char* kind = "cart_tree";
    cart_tree(island_layout layout, std::vector<cart_head> heads)
        : base(std::move(layout), "l2s::policy::cart_tree"), heads_(std::move(heads)) {
        constexpr const char* who = "l2s::policy::cart_tree";
        const auto& lh = this->check_heads(heads_.size(), who);
        for (std::size_t h = 0; h < heads_.size(); ++h) {
            const auto& t = heads_[h];
            const auto n = static_cast<Eigen::Index>(t.size());
            if (n < 1) throw invalid_argument(std::string(who) + ": a tree has no nodes");
            require_size(who, "threshold", static_cast<Eigen::Index>(t.threshold.size()), n);
            require_size(who, "left", static_cast<Eigen::Index>(t.left.size()), n);
            require_size(who, "right", static_cast<Eigen::Index>(t.right.size()), n);
            require_size(who, "probs rows", t.probs.rows(), static_cast<Eigen::Index>(lh[h]));
            require_size(who, "probs cols", t.probs.cols(), n);
            require_finite(who, "probs", t.probs);
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (t.feature[i] < 0) {
                    const double s = t.probs.col(static_cast<Eigen::Index>(i)).sum();
                    if (t.probs.col(static_cast<Eigen::Index>(i)).minCoeff() < 0.0 || std::abs(s - 1.0) > 1e-9)
                        throw invalid_argument(std::string(who) + ": leaf probabilities must be >= 0 and sum to 1");
                    continue;
                }
                if (static_cast<std::size_t>(t.feature[i]) >= this->num_features() || !(t.left[i] > i) ||
                    !(t.right[i] > i) || t.left[i] >= t.size() || t.right[i] >= t.size() ||
                    !std::isfinite(t.threshold[i]))
                    throw invalid_argument(std::string(who) + ": malformed node " + std::to_string(i));
            }
            for (std::size_t i = 0; i < t.size(); ++i) thr_.push_back(static_cast<Scalar>(t.threshold[i]));
            probs_.push_back(t.probs.template cast<Scalar>());
            offset_.push_back(thr_.size() - t.size());
        }
    }

    [[nodiscard]] const std::vector<cart_head>& heads() const noexcept { return heads_; }

    void head_probabilities(std::size_t h, const Scalar* z, Scalar* p) const noexcept { lane_probabilities(h, z, 1, p); }
    /// head_probabilities for features stored every `stride` values (z[f·stride]): island_policy's blocks,
    /// from which a tree reads only the features on its path.
    void lane_probabilities(std::size_t h, const Scalar* z, std::size_t stride, Scalar* p) const noexcept {
        const auto& t = heads_[h];
        const Scalar* thr = thr_.data() + offset_[h];
        std::size_t i = 0;
        while (t.feature[i] >= 0) i = z[static_cast<std::size_t>(t.feature[i]) * stride] <= thr[i] ? t.left[i] : t.right[i];
        const auto& P = probs_[h];
        for (Eigen::Index l = 0; l < P.rows(); ++l) p[l] = P(l, static_cast<Eigen::Index>(i));
    }

private:
    std::vector<cart_head> heads_;
    std::vector<Scalar> thr_;
    std::vector<std::size_t> offset_;
    std::vector<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>> probs_;
};

}  // namespace l2s::policy
