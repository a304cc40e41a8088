// SPDX-License-Identifier: MIT
// l2s/online/online_gp.hpp: RLS plus a windowed exact GP on its residuals (the online_gp runtime model).
#pragma once
#include <cstddef>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/kernel/stationary.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/online/rls.hpp>

namespace l2s::online {

/// Tunables of online_gp.
struct online_gp_config {
    std::size_t window = 128;         ///< W: the GP keeps the last W residuals, ≥ 1
    double noise_variance = 1e-2;     ///< GP noise variance (standardised residual units), ≥ 0
    rls_config linear{};              ///< the parametric part
};

/// y = θᵀx + r(x) + ε: an online::rls for θ and a windowed exact GP (gp::exact_gp, window W) on the a-priori
/// residuals r_i = y_i − θ_{i−1}ᵀx_i. An add costs O(W²) (a new row of the Cholesky factor; the oldest point is
/// dropped by a rank-one repair). predict() returns the RLS mean plus the GP mean, the GP's latent variance
/// plus the RLS parameter variance, and the GP's noise variance. Kernel hyperparameters are fixed (set them
/// offline, e.g. with exact_gp::learn_hyperparameters on recorded residuals). Too slow for B = 256 within
/// 20 µs per decision; pair it with a smaller budget or the deferred slow path (DESIGN §g).
template <class Kernel = kernel::matern52_ard>
class online_gp {
public:
    using config = online_gp_config;

    online_gp(const vec& theta0, Kernel k, config cfg = {})
        : cfg_(validated(cfg)), rls_(theta0, cfg.linear),
          gp_(std::move(k), {}, gp::exact_gp_config{.noise_variance = cfg.noise_variance, .capacity = cfg.window,
                                                     .window = cfg.window}) {}

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] Eigen::Index dim() const noexcept { return rls_.dim(); }
    [[nodiscard]] const rls& linear() const noexcept { return rls_; }
    [[nodiscard]] std::size_t window_size() const noexcept { return gp_.size(); }

    /// Adds (x, y). Throws dimension_mismatch / non_finite_observation (state unchanged).
    void update(const vec& x, double y) {
        require_size(who_upd, "x", x.size(), dim());
        require_finite(who_upd, "x", x);
        require_finite(who_upd, "y", y);
        gp_.add(x, y - rls_.predict_mean(x));  // strong guarantee inside exact_gp::add
        rls_.update(x, y);                     // validated above: cannot throw
    }

    [[nodiscard]] prediction predict(const vec& x) const {
        prediction p = rls_.predict(x);
        if (gp_.size() == 0) return p;
        const prediction r = gp_.predict(x);
        return {p.mean + r.mean, p.variance + r.variance, r.noise_variance};
    }

    /// Back to θ₀ with an empty window.
    void reset() {
        rls_.reset();
        gp_.truncate(0);
    }

private:
    static config validated(const config& c) {
        require_config(c.window >= 1, "l2s::online::online_gp", "window", ">= 1", static_cast<double>(c.window));
        return c;
    }
    static constexpr const char* who_upd = "l2s::online::online_gp::update";
    config cfg_;
    rls rls_;
    gp::exact_gp<Kernel> gp_;
};

static_assert(ResettableOnlineLearner<online_gp<>>);

}  // namespace l2s::online
