// SPDX-License-Identifier: MIT
// l2s/online/rls.hpp: recursive least squares with exponential forgetting (Joseph-stabilised covariance).
#pragma once
#include <cmath>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/online/concepts.hpp>

namespace l2s::online {

/// Tunables of rls.
struct rls_config {
    double forgetting = 0.995;        ///< λ ∈ (0, 1]; memory ≈ 1/(1 − λ) samples (λ = 1: no forgetting)
    double initial_variance = 1e4;    ///< P₀ = initial_variance · I (prior variance of each weight), > 0
    double max_trace = 1e8;           ///< reset P to P₀ when trace(P) exceeds this (reported as model_reset), > 0
    double noise_forgetting = 0.99;   ///< forgetting of the running noise-variance estimate, in (0, 1)
};

/// Recursive least squares with forgetting factor λ (Haykin, "Adaptive Filter Theory", ch. 10).
///
/// Model y = θᵀx + ε. With P⁻ = P/λ, h = P⁻x, s = xᵀh, gain k = h/(1 + s):
///   θ ← θ + k (y − θᵀx),   P ← P⁻ − k hᵀ − h kᵀ + (1 + s) k kᵀ.
/// The covariance step is the Joseph form (I − kxᵀ)P⁻(I − kxᵀ)ᵀ + kkᵀ expanded to O(F²); it is symmetric by
/// construction and keeps P positive semi-definite under rounding, unlike the textbook P⁻ − k hᵀ. P is also
/// symmetrised after each step. Without forgetting (λ = 1) θ equals the batch ridge solution
/// (XᵀX + P₀⁻¹)⁻¹(Xᵀy + P₀⁻¹θ₀), i.e. batch least squares as P₀ → ∞. With λ < 1, directions not excited by the
/// data make P grow like λ⁻ⁿ (wind-up); when trace(P) > max_trace, P is reset to P₀ (θ kept) and a
/// numerical_event of kind model_reset is sent to the observers of that update.
/// update() allocates nothing after construction.
class rls {
public:
    using config = rls_config;

    /// dim features, θ₀ = 0.
    explicit rls(Eigen::Index dim, config cfg = {}) : rls(vec::Zero(dim < 0 ? 0 : dim), cfg) {}

    /// Prior weights θ₀ (e.g. fitted offline).
    explicit rls(const vec& theta0, config cfg = {}) : cfg_(cfg) {
        require_config(cfg_.forgetting > 0.0 && cfg_.forgetting <= 1.0, who_ctor, "forgetting", "in (0, 1]",
                       cfg_.forgetting);
        require_config(cfg_.initial_variance > 0.0 && std::isfinite(cfg_.initial_variance), who_ctor,
                       "initial_variance", "finite and > 0", cfg_.initial_variance);
        require_config(cfg_.max_trace > 0.0, who_ctor, "max_trace", "> 0", cfg_.max_trace);
        require_config(cfg_.noise_forgetting > 0.0 && cfg_.noise_forgetting < 1.0, who_ctor, "noise_forgetting",
                       "in (0, 1)", cfg_.noise_forgetting);
        if (theta0.size() < 1) throw invalid_config(std::string(who_ctor) + ": dimension must be at least 1");
        require_finite(who_ctor, "theta0", theta0);
        theta0_ = theta0;
        h_.resize(theta0.size());
        k_.resize(theta0.size());
        reset();
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] Eigen::Index dim() const noexcept { return theta_.size(); }
    [[nodiscard]] const vec& weights() const noexcept { return theta_; }
    [[nodiscard]] const mat& covariance() const noexcept { return p_; }
    /// Running estimate of the noise variance (exponentially weighted a-priori squared residuals).
    [[nodiscard]] double noise_variance() const noexcept { return noise_var_; }
    [[nodiscard]] long long num_updates() const noexcept { return n_; }
    /// How many times P was reset after exceeding max_trace.
    [[nodiscard]] long long num_resets() const noexcept { return resets_; }

    /// Back to the prior: θ = θ₀, P = P₀, no samples.
    void reset() {
        theta_ = theta0_;
        p_ = mat::Identity(theta0_.size(), theta0_.size()) * cfg_.initial_variance;
        noise_var_ = 0.0;
        n_ = 0;
    }

    /// Mean θᵀx; noise-scaled parameter variance σ̂²·xᵀPx; noise variance σ̂².
    [[nodiscard]] prediction predict(const Eigen::Ref<const vec>& x) const {
        require_size(who_pred, "x", x.size(), dim());
        return predict_unchecked(x);
    }
    /// predict() without the size check (noexcept, for decision paths that built x themselves).
    [[nodiscard]] prediction predict_unchecked(const Eigen::Ref<const vec>& x) const noexcept {
        const double q = x.dot(p_ * x);
        return {theta_.dot(x), noise_var_ * (q > 0.0 ? q : 0.0), noise_var_};
    }
    /// θᵀx only (noexcept, no allocation).
    [[nodiscard]] double predict_mean(const Eigen::Ref<const vec>& x) const noexcept { return theta_.dot(x); }

    /// One RLS step with sample (x, y). Throws dimension_mismatch or non_finite_observation (state unchanged).
    /// Returns true when P was reset (see the class comment).
    template <class... Obs>
    bool update(const Eigen::Ref<const vec>& x, double y, Obs&... observers) {
        require_size(who_upd, "x", x.size(), dim());
        require_finite(who_upd, "x", x);
        require_finite(who_upd, "y", y);
        const double inv_lambda = 1.0 / cfg_.forgetting;
        h_.noalias() = p_ * x;
        h_ *= inv_lambda;
        const double s = x.dot(h_);
        k_ = h_ / (1.0 + s);
        const double residual = y - theta_.dot(x);
        theta_ += k_ * residual;
        p_ *= inv_lambda;
        p_.noalias() -= k_ * h_.transpose();
        p_.noalias() -= h_ * k_.transpose();
        p_.noalias() += (1.0 + s) * k_ * k_.transpose();
        for (Eigen::Index j = 0; j < p_.cols(); ++j)
            for (Eigen::Index i = 0; i < j; ++i) p_(i, j) = p_(j, i) = 0.5 * (p_(i, j) + p_(j, i));
        noise_var_ = n_ == 0 ? residual * residual
                             : cfg_.noise_forgetting * noise_var_ + (1.0 - cfg_.noise_forgetting) * residual * residual;
        ++n_;
        const double tr = p_.trace();
        if (!(tr <= cfg_.max_trace)) {
            p_.setIdentity();
            p_ *= cfg_.initial_variance;
            ++resets_;
            if constexpr (sizeof...(Obs) > 0)
                notify(numerical_event{who_upd, numerical_event_kind::model_reset, tr,
                                       "covariance trace exceeded max_trace; reset to the prior"},
                       observers...);
            return true;
        }
        return false;
    }

private:
    static constexpr const char* who_ctor = "l2s::online::rls";
    static constexpr const char* who_upd = "l2s::online::rls::update";
    static constexpr const char* who_pred = "l2s::online::rls::predict";
    config cfg_;
    vec theta0_, theta_, h_, k_;
    mat p_;
    double noise_var_ = 0.0;
    long long n_ = 0;
    long long resets_ = 0;
};

static_assert(ResettableOnlineLearner<rls>);

}  // namespace l2s::online
