// SPDX-License-Identifier: MIT
// l2s/policy/island_policy.hpp: what every learned per-island policy shares (layout, scaling, decisions).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/detail/lanes.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/scaler.hpp>

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

/// A dense layer for N inputs at once, y = W x + b (ReLU'd when relu), with x and y stored by unit then
/// input (x[c·N + i], y[r·N + i]) and W row-major (rows × cols). Each output sums in column order in two
/// chains (even and odd columns, added at the end), so every N gives the same bits for an input.
/// Cols > 0 fixes the column count at compile time (cols is then ignored), so the sums unroll.
template <int N, std::size_t Cols = 0, class Scalar>
void dense_lanes(const Scalar* w, const Scalar* b, std::size_t rows, std::size_t cols_, const Scalar* x, Scalar* y,
                 bool relu) noexcept {
    const std::size_t cols = Cols > 0 ? Cols : cols_;
    using lanes = Eigen::Array<Scalar, N, 1>;
    using row = Eigen::Map<const lanes>;
    for (std::size_t r = 0; r < rows; ++r) {
        const Scalar* wr = w + r * cols;
        lanes even = lanes::Constant(b[r]), odd = lanes::Zero();
        std::size_t c = 0;
        for (; c + 1 < cols; c += 2) {
            even += wr[c] * row(x + c * N);
            odd += wr[c + 1] * row(x + (c + 1) * N);
        }
        if (c < cols) even += wr[c] * row(x + c * N);
        lanes out = even + odd;
        if (relu) out = out.max(Scalar(0));
        Eigen::Map<lanes>(y + r * N) = out;
    }
}

/// In-place numerically stable softmax of n logits.
template <class Scalar>
void softmax_inplace(Scalar* x, std::size_t n) noexcept {
    Scalar m = x[0];
    for (std::size_t i = 1; i < n; ++i) m = std::max(m, x[i]);
    Scalar s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (x[i] = std::exp(x[i] - m));
    for (std::size_t i = 0; i < n; ++i) x[i] /= s;
}

/// CRTP base of softmax_linear, mlp and cart_tree. Derived provides
/// `void head_probabilities(std::size_t h, const Scalar* z, Scalar* p) const noexcept` writing the L_h
/// level probabilities of head h for scaled features z, and optionally: `head_scores` (same signature)
/// writing scores with the same argmax (logits), which act uses to skip the exponentials;
/// `block_scores(h, z, s)`, the logits of a block of 8 islands at once (z[f·8 + i], s[l·8 + i]); or
/// `lane_probabilities(h, z, stride, p)`, head_probabilities on features stored every `stride` values.
/// Decisions run on blocks of 8 islands (features, scaling, then the model) in stack arrays: no
/// allocation, no shared scratch (const calls are safe from several threads; act and reset are not).
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
    void act(const dvfs::observation& o, dvfs::action& a) noexcept {
        std::size_t bad = 0;  // added to the shared counter once per decision
        for_each_block(o, [&](std::size_t k0, const double* raw, const Scalar* z, std::size_t n) {
            layout_.features.commit_block(raw, k0, state_);  // this block's history is not read again this call
            block_scores(
                k0, z, n,
                [&](std::size_t h, std::uint32_t lanes_of_h, const Scalar* s) {
                    // argmax over levels for the whole block at once: one compare and two selects per level
                    using lanes = l2s::detail::lanes<Scalar, block_w>;
                    auto top = lanes::load(s), best = lanes::broadcast(Scalar(0));
                    for (std::size_t l = 1; l < levels_of_head_[h]; ++l) {
                        const auto x = lanes::load(s + l * block_w);
                        const auto up = x > top;
                        top = select(up, x, top);
                        best = select(up, lanes::broadcast(static_cast<Scalar>(l)), best);
                    }
                    std::array<Scalar, block_w> b;
                    best.store(b.data());
                    for (std::size_t i = 0; i < n; ++i)
                        if ((lanes_of_h >> i & 1u) && k0 + i < a.size()) a[k0 + i] = static_cast<level_t>(b[i]);
                },
                [&](std::size_t k, const Scalar* s, bool) {
                    std::size_t best = 0;
                    Scalar top = s[0];  // the running maximum in a register: no load that waits on best
                    for (std::size_t l = 1; l < num_levels(k); ++l)
                        if (s[l] > top) {
                            top = s[l];
                            best = l;
                        }
                    if (k < a.size()) a[k] = static_cast<level_t>(best);
                });
        }, bad);
        state_.primed = true;
        clamped_.add(bad);
    }

    /// Advances the feature history past o without deciding (what act does besides the model): for hosts
    /// that read probabilities() and decide elsewhere, e.g. online::uaol_policy. Never allocates.
    void advance(const dvfs::observation& o) noexcept { layout_.features.commit(o, state_); }

    /// Writes K × L_max probabilities, island-major (out[k·L_max + l]), zero beyond L_k; uses but does not
    /// advance the feature history. Writes only what fits in out.
    void probabilities(const dvfs::observation& o, std::span<double> out) const noexcept {
        std::size_t bad = 0;
        const auto write = [&](std::size_t k, Scalar* p, bool logits) {
            const std::size_t L = num_levels(k);
            if (logits) softmax_inplace(p, L);
            for (std::size_t l = 0; l < lmax_; ++l) {
                const std::size_t i = k * lmax_ + l;
                if (i < out.size()) out[i] = l < L ? static_cast<double>(p[l]) : 0.0;
            }
        };
        for_each_block(o, [&](std::size_t k0, const double*, const Scalar* z, std::size_t n) {
            block_scores(
                k0, z, n,
                [&](std::size_t h, std::uint32_t lanes_of_h, const Scalar* s) {
                    std::array<Scalar, max_width> p;  // written before read
                    for (std::size_t i = 0; i < n; ++i) {
                        if (!(lanes_of_h >> i & 1u)) continue;
                        for (std::size_t l = 0; l < levels_of_head_[h]; ++l) p[l] = s[l * block_w + i];
                        write(k0 + i, p.data(), true);
                    }
                },
                [&](std::size_t k, Scalar* p, bool logits) { write(k, p, logits); });
        }, bad);
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
    void raw_features(const dvfs::observation& o, std::span<double> out) const noexcept {
        layout_.features.extract_all(o, state_, out);
    }
    /// Scaled features of island k for raw features (F values) (for training steps on stored inputs).
    void scale_features(std::span<const double> raw, std::span<Scalar> z) const noexcept { scale(raw.data(), z.data()); }

    /// Scaled features of island k for obs given the current history (for tests and tools).
    void scaled_features(const dvfs::observation& o, std::size_t k, std::span<Scalar> z) const noexcept {
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
    static constexpr std::size_t block_w = feature_map::block_width;  ///< islands per block
    /// Calls fn(k0, raw, z, n) for each block of block_w islands from k0 (n of them real) with its raw features
    /// and scaled features, feature-major (z[f·block_w + i]), under the current history; adds clamped inputs of
    /// real islands to bad.
    template <class Fn>
    void for_each_block(const dvfs::observation& o, Fn&& fn, std::size_t& bad) const noexcept {
        const auto chip = layout_.features.summarise(o);
        alignas(64) feature_map::block raw;
        alignas(64) std::array<Scalar, feature_map::max_features * block_w> z;
        for (std::size_t k0 = 0; k0 < num_islands(); k0 += block_w) {
            const std::size_t n = std::min(block_w, num_islands() - k0);
            layout_.features.extract_block(o, state_, chip, k0, raw.data());
            bad += with_feature_count(F_, [&](auto c) { return scale_block<decltype(c)::value>(raw.data(), z.data(), n); });
            fn(k0, raw.data(), z.data(), n);
        }
    }
    /// Scores of the n islands of the block at k0 from their scaled features z. With a model that has
    /// block_scores, calls group(h, lanes, s) once per head h present in the block, with the logits of the
    /// whole block on that head (s[l·block_w + i], l < L_h) and the bit mask of the lanes i that decide on it;
    /// otherwise calls single(k, p, logits) for each island k with its scores p[l], l < L_k: logits when
    /// `logits`, else probabilities (models without head_scores).
    template <class Group, class Single>
    void block_scores(std::size_t k0, const Scalar* z, std::size_t n, Group&& group, Single&& single) const noexcept {
        const auto& d = static_cast<const Derived&>(*this);
        if constexpr (requires { d.block_scores(std::size_t{0}, z, static_cast<Scalar*>(nullptr)); }) {
            alignas(64) std::array<Scalar, max_width * block_w> s;
            std::uint32_t done = 0;  // lanes already delivered
            for (std::size_t i = 0; i < n; ++i) {
                if (done >> i & 1u) continue;
                const std::size_t h = layout_.head_of_island[k0 + i];
                std::uint32_t lanes_of_h = 0;
                for (std::size_t j = i; j < n; ++j)
                    if (layout_.head_of_island[k0 + j] == h) lanes_of_h |= 1u << j;
                d.block_scores(h, z, s.data());
                group(h, lanes_of_h, s.data());
                done |= lanes_of_h;
            }
        } else {
            std::array<Scalar, feature_map::max_features> zk;
            std::array<Scalar, max_width> p;
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t hk = layout_.head_of_island[k0 + i];
                if constexpr (requires { d.lane_probabilities(hk, z, block_w, p.data()); }) {
                    d.lane_probabilities(hk, z + i, block_w, p.data());  // reads the few features it needs
                    single(k0 + i, p.data(), false);
                    continue;
                }
                for (std::size_t f = 0; f < F_; ++f) zk[f] = z[f * block_w + i];
                constexpr bool logits = requires { d.head_scores(hk, zk.data(), p.data()); };
                if constexpr (logits) d.head_scores(hk, zk.data(), p.data());
                else d.head_probabilities(hk, zk.data(), p.data());
                single(k0 + i, p.data(), logits);
            }
        }
    }
    /// Scales a block feature-major with standard_scaler::scale_one's operations, lane by lane (kept in step
    /// with it: the block-equals-island tests compare the two bit for bit); counts the clamped or
    /// non-finite inputs of the first n lanes.
    template <std::size_t F>
    std::size_t scale_block(const double* raw, Scalar* z, std::size_t n) const noexcept {
        using lanes = l2s::detail::lanes<double, block_w>;
        const double clip = layout_.scaler.clip;
        const auto lo = lanes::broadcast(-clip), hi = lanes::broadcast(clip), zero = lanes::broadcast(0.0),
                   one = lanes::broadcast(1.0);
        std::array<lanes, 2> count{zero, zero};  // two chains of adds over even and odd features (F is even)
        for (std::size_t f0 = 0; f0 < F; f0 += 2)
            for (std::size_t u = 0; u < 2; ++u) {
                const std::size_t f = f0 + u;
                const auto v = (lanes::load(raw + f * block_w) - layout_.scaler.mean[f]) * inv_scale_[f];
                auto c = select(v < lo, lo, v);
                c = select(c > hi, hi, c);
                const auto ok = v == v;  // false for NaN
                const auto out = select(ok, c, zero);
                if constexpr (std::is_same_v<Scalar, double>) {
                    out.store(z + f * block_w);
                } else {
                    std::array<double, block_w> zd;
                    out.store(zd.data());
                    for (std::size_t i = 0; i < block_w; ++i) z[f * block_w + i] = static_cast<Scalar>(zd[i]);
                }
                count[u] = count[u] + select(ok & (c == v), zero, one);  // 1 where clamped or not finite
            }
        std::array<double, block_w> c;
        (count[0] + count[1]).store(c.data());
        double bad = 0.0;
        for (std::size_t i = 0; i < n; ++i) bad += c[i];
        return static_cast<std::size_t>(bad);
    }
    island_layout layout_;
    std::vector<std::size_t> levels_of_head_;
    std::size_t lmax_ = 0;
    std::size_t F_ = 0;  ///< features per island
    std::vector<double> inv_scale_;
    feature_state state_;
    counter clamped_;
};

}  // namespace detail
}  // namespace l2s::policy
