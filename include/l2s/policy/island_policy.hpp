// SPDX-License-Identifier: MIT
// l2s/policy/island_policy.hpp: what every learned per-island policy shares (layout, scaling, decisions).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/policy/feature_map.hpp>
#include <l2s/sim/observation.hpp>

namespace l2s::policy {

/// How observations become model inputs: the feature map (K islands, L_k levels each), the fitted scaler,
/// and which head decides each island (islands with identical operating points may share a head).
/// @see docs/policy.md#island_layout
struct island_layout {
    feature_map features;                    ///< K islands, L_k levels
    standard_scaler scaler;                  ///< F = features.num_features() entries
    std::vector<std::size_t> head_of_island; ///< K entries in [0, H)

    /// All islands on one head (they must have the same number of levels).
    [[nodiscard]] static island_layout shared(feature_map fm, standard_scaler sc) {
        std::vector<std::size_t> h(fm.num_islands(), 0);
        return {std::move(fm), std::move(sc), std::move(h)};
    }
    /// One head per island.
    [[nodiscard]] static island_layout per_island(feature_map fm, standard_scaler sc) {
        std::vector<std::size_t> h(fm.num_islands());
        for (std::size_t k = 0; k < h.size(); ++k) h[k] = k;
        return {std::move(fm), std::move(sc), std::move(h)};
    }
    [[nodiscard]] std::size_t num_heads() const noexcept {
        std::size_t h = 0;
        for (auto x : head_of_island) h = std::max(h, x + 1);
        return h;
    }
    /// Levels of each head (throws dimension_mismatch if islands sharing a head differ in L_k).
    [[nodiscard]] std::vector<std::size_t> levels_of_head(std::string_view who) const {
        validate(who);
        std::vector<std::size_t> l(num_heads(), 0);
        for (std::size_t k = 0; k < head_of_island.size(); ++k) {
            auto& lh = l[head_of_island[k]];
            const auto lk = features.levels_per_island()[k];
            if (lh != 0 && lh != lk)
                throw dimension_mismatch(std::string(who) + ": islands sharing head " +
                                         std::to_string(head_of_island[k]) + " have different numbers of levels");
            lh = lk;
        }
        for (std::size_t h = 0; h < l.size(); ++h)
            if (l[h] == 0) throw invalid_argument(std::string(who) + ": head " + std::to_string(h) + " decides no island");
        return l;
    }
    void validate(std::string_view who) const {
        scaler.validate(who);
        require_size(who, "scaler", static_cast<Eigen::Index>(scaler.size()),
                     static_cast<Eigen::Index>(features.num_features()));
        require_size(who, "head_of_island", static_cast<Eigen::Index>(head_of_island.size()),
                     static_cast<Eigen::Index>(features.num_islands()));
    }
};

namespace detail {

/// CRTP base of softmax_linear, mlp and cart_tree. Derived provides
/// `void head_probabilities(std::size_t h, const Scalar* z, Scalar* p) const noexcept` writing the L_h
/// level probabilities of head h for scaled features z, and optionally `head_scores` (same signature)
/// writing scores with the same argmax (logits), which act uses to skip the exponentials. Decisions use stack arrays of max_width entries:
/// no allocation, no shared scratch (const calls are safe from several threads; act and reset are not).
template <class Derived, class Scalar>
class island_policy {
public:
    using scalar_type = Scalar;

    [[nodiscard]] const island_layout& layout() const noexcept { return layout_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return layout_.features.num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return layout_.features.levels_per_island()[k]; }
    [[nodiscard]] std::size_t max_levels() const noexcept { return lmax_; }
    [[nodiscard]] std::size_t num_features() const noexcept { return F_; }
    /// Number of input values that were NaN/Inf or clamped to the scaler's ±clip since construction/reset_counts().
    [[nodiscard]] std::uint64_t clamped_inputs() const noexcept { return clamped_.get(); }
    void reset_counts() noexcept { clamped_.clear(); }

    /// Forgets the feature history (call at the start of an episode; interval == 0 also restarts it).
    void reset() noexcept { state_.primed = false; }

    /// Writes argmax_l p_k(l | obs) into a[k] for every island k < min(K, a.size()) and advances the
    /// feature history. Never allocates; a is not resized (size it to K once).
    void act(const sim::observation& o, sim::action& a) noexcept {
        const auto chip = layout_.features.summarise(o);
        std::array<Scalar, max_width> p;  // written before read
        std::array<double, feature_map::max_features> raw;
        std::array<Scalar, feature_map::max_features> z;
        std::size_t bad = 0;  // added to the shared counter once per decision
        for (std::size_t k = 0; k < num_islands(); ++k) {
            layout_.features.extract(o, state_, chip, k, raw);
            bad += scale(raw.data(), z.data());
            layout_.features.commit_island(raw, k, state_);  // island k's history is not read again this call
            const auto& d = static_cast<const Derived&>(*this);
            const std::size_t h = layout_.head_of_island[k];
            if constexpr (requires { d.head_scores(h, z.data(), p.data()); }) d.head_scores(h, z.data(), p.data());
            else d.head_probabilities(h, z.data(), p.data());
            const std::size_t L = num_levels(k);
            std::size_t best = 0;
            Scalar top = p[0];  // the running maximum in a register: no load that waits on best
            for (std::size_t l = 1; l < L; ++l)
                if (p[l] > top) {
                    top = p[l];
                    best = l;
                }
            if (k < a.size()) a[k] = static_cast<level_t>(best);
        }
        state_.primed = true;
        clamped_.add(bad);
    }

    /// Advances the feature history past o without deciding (what act does besides the model): for hosts
    /// that read probabilities() and decide elsewhere, e.g. online::uaol_policy. Never allocates.
    void advance(const sim::observation& o) noexcept {
        const auto chip = layout_.features.summarise(o);
        std::array<double, feature_map::max_features> raw;
        for (std::size_t k = 0; k < num_islands(); ++k) {
            layout_.features.extract(o, state_, chip, k, raw);
            layout_.features.commit_island(raw, k, state_);
        }
        state_.primed = true;
    }
    /// Writes K × L_max probabilities, island-major (out[k·L_max + l]), zero beyond L_k; uses but does not
    /// advance the feature history. Writes only what fits in out.
    void probabilities(const sim::observation& o, std::span<double> out) const noexcept {
        const auto chip = layout_.features.summarise(o);
        std::array<Scalar, max_width> p;  // written before read
        std::size_t bad = 0;
        for (std::size_t k = 0; k < num_islands(); ++k) {
            bad += island_probabilities(o, chip, k, p.data());
            for (std::size_t l = 0; l < lmax_; ++l) {
                const std::size_t i = k * lmax_ + l;
                if (i < out.size()) out[i] = l < num_levels(k) ? static_cast<double>(p[l]) : 0.0;
            }
        }
        clamped_.add(bad);
    }

    /// Level probabilities (L_k entries into p) of island k for raw features (F values): the scaler and
    /// model without the feature map, for evaluating on stored datasets. Clamps but does not count.
    void feature_probabilities(std::span<const double> raw, std::size_t k, Scalar* p) const noexcept {
        std::array<Scalar, feature_map::max_features> z;
        scale(raw.data(), z.data());
        static_cast<const Derived&>(*this).head_probabilities(layout_.head_of_island[k], z.data(), p);
    }

    /// Raw (unscaled) features of every island for o under the current history, island-major
    /// (out[k·F + f], F = num_features()): a decision's input captured before the history moves on, for
    /// sgd_step_raw and feature_probabilities later. Writes only whole islands that fit. Never allocates.
    void raw_features(const sim::observation& o, std::span<double> out) const noexcept {
        layout_.features.extract_all(o, state_, out);
    }
    /// Scaled features of island k for raw features (F values) (for training steps on stored inputs).
    void scale_features(std::span<const double> raw, std::span<Scalar> z) const noexcept { scale(raw.data(), z.data()); }

    /// Scaled features of island k for obs given the current history (for tests and tools).
    void scaled_features(const sim::observation& o, std::size_t k, std::span<Scalar> z) const noexcept {
        std::array<double, feature_map::max_features> raw;
        layout_.features.extract(o, state_, layout_.features.summarise(o), k, raw);
        scale(raw.data(), z.data());
    }

protected:
    island_policy(island_layout layout, std::string_view who)
        : layout_(std::move(layout)), levels_of_head_(layout_.levels_of_head(who)) {
        lmax_ = *std::max_element(levels_of_head_.begin(), levels_of_head_.end());
        F_ = layout_.features.num_features();
        state_ = layout_.features.make_state();
        for (double sc : layout_.scaler.scale) inv_scale_.push_back(1.0 / sc);
    }
    [[nodiscard]] const std::vector<std::size_t>& levels_of_head() const noexcept { return levels_of_head_; }
    /// Checks that a model supplies one head per layout head; returns the levels of each head.
    [[nodiscard]] const std::vector<std::size_t>& check_heads(std::size_t count, std::string_view who) const {
        require_size(who, "heads", static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(levels_of_head_.size()));
        return levels_of_head_;
    }

private:
    std::size_t scale(const double* raw, Scalar* z) const noexcept {
        return with_feature_count(F_, [&](auto n) { return scale_n<decltype(n)::value>(raw, z); });
    }
    template <std::size_t F>
    std::size_t scale_n(const double* raw, Scalar* z) const noexcept {
        std::size_t bad = 0;
        const double* m = layout_.scaler.mean.data();
        const double* inv = inv_scale_.data();
        const double clip = layout_.scaler.clip;
        if constexpr (std::is_same_v<Scalar, double>) {
            for (std::size_t j = 0; j < F; ++j) bad += standard_scaler::scale_one(raw[j], m[j], inv[j], clip, z[j]);
        } else {  // scale in double, then convert: each loop vectorises on its own, the mixed one does not
            std::array<double, F> zd;
            for (std::size_t j = 0; j < F; ++j) bad += standard_scaler::scale_one(raw[j], m[j], inv[j], clip, zd[j]);
            for (std::size_t j = 0; j < F; ++j) z[j] = static_cast<Scalar>(zd[j]);
        }
        return bad;
    }
    /// Level probabilities of island k into p; returns the number of clamped inputs.
    std::size_t island_probabilities(const sim::observation& o, const feature_map::chip_summary& chip, std::size_t k,
                                     Scalar* p) const noexcept {
        std::array<double, feature_map::max_features> raw;
        std::array<Scalar, feature_map::max_features> z;
        layout_.features.extract(o, state_, chip, k, raw);
        const std::size_t bad = scale(raw.data(), z.data());
        static_cast<const Derived&>(*this).head_probabilities(layout_.head_of_island[k], z.data(), p);
        return bad;
    }
    island_layout layout_;
    std::vector<std::size_t> levels_of_head_;
    std::size_t lmax_ = 0;
    std::size_t F_ = 0;  ///< features per island
    std::vector<double> inv_scale_;
    feature_state state_;
    counter clamped_;
};

/// In-place numerically stable softmax of n logits.
template <class Scalar>
void softmax_inplace(Scalar* x, std::size_t n) noexcept {
    Scalar m = x[0];
    for (std::size_t i = 1; i < n; ++i) m = std::max(m, x[i]);
    Scalar s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (x[i] = std::exp(x[i] - m));
    for (std::size_t i = 0; i < n; ++i) x[i] /= s;
}

}  // namespace detail
}  // namespace l2s::policy
