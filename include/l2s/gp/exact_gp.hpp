// SPDX-License-Identifier: MIT
// l2s/gp/exact_gp.hpp: exact Gaussian-process regression with an incrementally maintained Cholesky factor.
//
// Model (Rasmussen & Williams, Gaussian Processes for Machine Learning, MIT Press 2006, ch. 2 and 5):
//   y = f(x) + ε,  f ~ GP(m, k),  ε ~ N(0, σ_n²).
// The GP stores one point per column in preallocated storage (capacity doubles when full) and keeps the lower
// Cholesky factor L of K_y = K + σ_n² I (+ jitter), never K itself. Adding a point costs O(n²), removing
// point i costs O((n − i)²) (rank-one update of the trailing block), truncation keeps the factor in O(1).
// With standardise_y the residuals r = y − m(X) are shifted and scaled to zero mean and unit variance; the
// kernel, the noise variance and the likelihood then live in those standardised units, and every prediction
// is returned in the original units.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/detail/lbfgs.hpp>
#include <l2s/gp/concepts.hpp>
#include <l2s/gp/detail/cholesky.hpp>
#include <l2s/kernel/concepts.hpp>
#include <l2s/kernel/stationary.hpp>
#include <l2s/mean/adaptive.hpp>
#include <l2s/mean/basic.hpp>
#include <l2s/mean/concepts.hpp>

namespace l2s::gp {

/// Tunables of exact_gp.  @see docs/gp.md#exact_gp_config
struct exact_gp_config {
    double noise_variance = 1e-4;  ///< σ_n² (standardised units when standardise_y); 0 means noise-free
    std::size_t capacity = 64;     ///< initial number of points storage is reserved for (doubles when full)
    bool standardise_y = true;     ///< fit the GP to (y − m(x) − shift)/scale
    std::vector<double> jitter_ladder = {1e-10, 1e-8, 1e-6, 1e-4};  ///< retries: jitter = step · mean(diag K_y)
    std::size_t window = 0;        ///< 0: keep every point; else keep at most `window` (the oldest is dropped)

    void validate(const char* who) const {
        require_config(std::isfinite(noise_variance) && noise_variance >= 0.0, who, "noise_variance",
                       ">= 0 and finite", noise_variance);
        require_config(capacity >= 1, who, "capacity", ">= 1", static_cast<double>(capacity));
        for (double j : jitter_ladder)
            require_config(std::isfinite(j) && j > 0.0, who, "jitter_ladder", "made of finite numbers > 0", j);
        require_config(std::is_sorted(jitter_ladder.begin(), jitter_ladder.end()), who, "jitter_ladder",
                       "increasing", jitter_ladder.empty() ? 0.0 : jitter_ladder.front());
    }
};

/// Tunables of exact_gp::learn_hyperparameters. Bounds are in natural units (variances, length-scales) and
/// apply to standardised data when the GP standardises y.  @see docs/gp.md#hyperopt_config
struct hyperopt_config {
    std::array<double, 2> length_scale_bounds = {1e-2, 1e2};     ///< every ℓ_i
    std::array<double, 2> signal_variance_bounds = {1e-2, 1e2};  ///< σ_f²
    std::array<double, 2> noise_variance_bounds = {1e-6, 1.0};   ///< σ_n²
    std::array<double, 2> other_bounds = {1e-2, 1e2};            ///< exp(θ_j) of kernel parameters of kind `other`
    std::size_t random_starts = 4;   ///< log-uniform starts in the bounds, besides the current θ
    bool start_from_current = true;  ///< also start from the current θ (clamped into the bounds)
    bool learn_noise = true;         ///< false keeps σ_n² fixed
    l2s::detail::lbfgs_config lbfgs = {.max_iterations = 100};  ///< the bounded L-BFGS run from each start

    void validate(const char* who) const {
        auto pair = [&](const std::array<double, 2>& b, const char* field) {
            require_config(std::isfinite(b[0]) && std::isfinite(b[1]) && b[0] > 0.0 && b[0] <= b[1], who, field,
                           "0 < lower <= upper, finite", b[0]);
        };
        pair(length_scale_bounds, "length_scale_bounds");
        pair(signal_variance_bounds, "signal_variance_bounds");
        pair(noise_variance_bounds, "noise_variance_bounds");
        pair(other_bounds, "other_bounds");
        require_config(random_starts + (start_from_current ? 1 : 0) >= 1, who, "random_starts",
                       ">= 1 when start_from_current is false", static_cast<double>(random_starts));
        lbfgs.validate();
    }
};

/// Outcome of a hyperparameter search.
struct hyperopt_result {
    vec theta;                          ///< the best θ_gp = (kernel θ, log σ_n²), now set on the GP
    double log_marginal_likelihood = 0; ///< its log marginal likelihood
    std::size_t evaluations = 0;        ///< likelihood (+ gradient) evaluations over all starts
    std::size_t starts = 0;             ///< L-BFGS runs
};

/// Leave-one-out predictive distribution of each training target (noisy: includes σ_n²).
struct loo_prediction {
    vec mean;
    vec variance;
};

/// Log marginal likelihood and its gradient with respect to θ_gp.
struct lml_value {
    double value = 0.0;
    vec gradient;
};

/// Exact GP regression.  K models l2s::Kernel (DifferentiableKernel for likelihood gradients and
/// hyperparameter learning), M models l2s::MeanFunction.  @see docs/gp.md#exact_gp
template <Kernel K, MeanFunction M = mean::zero>
class exact_gp {
public:
    using config = exact_gp_config;
    using kernel_type = K;
    using mean_type = M;

    explicit exact_gp(K k = {}, M m = {}, config c = {}) : kernel_(std::move(k)), mean_(std::move(m)), cfg_(std::move(c)) {
        cfg_.validate("l2s::gp::exact_gp");
        log_noise_ = std::log(cfg_.noise_variance);
        allocate(0, cfg_.capacity);
    }

    // ---- data ----------------------------------------------------------------------------------------

    /// Replaces all data by X (d × n, one point per column) and y (n). Observers get jitter events.
    template <class... Obs>
    void fit(const mat& X, const vec& y, Obs&... obs) {
        constexpr const char* who = "l2s::gp::exact_gp::fit";
        require_size(who, "y", y.size(), X.cols());
        check_inputs(who, X, false);
        require_finite(who, "y", y);
        if (cfg_.window > 0 && static_cast<std::size_t>(X.cols()) > cfg_.window) {
            const Eigen::Index keep = static_cast<Eigen::Index>(cfg_.window);
            fit(mat(X.rightCols(keep)), vec(y.tail(keep)), obs...);
            return;
        }
        std::vector<numerical_event> ev;
        mat L;
        const double jitter = factorise(X, kernel_, log_noise_, L, who, ev);
        const Eigen::Index n = X.cols();
        allocate(X.rows(), std::max<std::size_t>(cfg_.capacity, static_cast<std::size_t>(n)));
        d_ = X.rows();
        n_ = n;
        jitter_ = jitter;
        X_.leftCols(n) = X;
        y_.head(n) = y;
        mu0_.head(n) = mean_values(mean_, X);
        L_.topLeftCorner(n, n) = L;
        refresh_targets();
        events_ = std::move(ev);
        report(events_, obs...);
    }

    /// Appends one observation in O(n²) (a new row of L). With a window, the oldest point is dropped first.
    template <class... Obs>
    void add(const vec& x, double y, Obs&... obs) {
        constexpr const char* who = "l2s::gp::exact_gp::add";
        check_inputs(who, x, false);
        require_finite(who, "y", y);
        if (n_ == 0) {
            fit(mat(x), vec::Constant(1, y), obs...);
            return;
        }
        if (cfg_.window > 0 && static_cast<std::size_t>(n_) >= cfg_.window) {
            exact_gp next = *this;  // strong guarantee across the two steps
            next.drop_oldest_then_add(x, y);
            *this = std::move(next);
            report(events_, obs...);
            return;
        }
        std::vector<numerical_event> ev;
        append(x, y, ev);
        events_ = std::move(ev);
        report(events_, obs...);
    }

    /// Removes point i (0-based; later points move down by one) in O((n − i)²): the rows/columns of i are
    /// dropped and the trailing block of L is repaired by the rank-one update L₃₃′L₃₃′ᵀ = L₃₃L₃₃ᵀ + l₃₂l₃₂ᵀ.
    void remove(std::size_t i) {
        constexpr const char* who = "l2s::gp::exact_gp::remove";
        if (i >= size())
            throw invalid_argument(std::string(who) + ": index " + std::to_string(i) + " out of range (size " +
                                   std::to_string(size()) + ")");
        remove_factor(static_cast<Eigen::Index>(i));
        refresh_targets();
        events_.clear();
    }

    /// Keeps the first n points (e.g. drops fantasies appended after them). The factor is kept as is in O(1);
    /// α and the likelihood are recomputed in O(n²).
    void truncate(std::size_t n) {
        if (n > size())
            throw invalid_argument("l2s::gp::exact_gp::truncate: n = " + std::to_string(n) + " exceeds size " +
                                   std::to_string(size()));
        n_ = static_cast<Eigen::Index>(n);
        refresh_targets();
        events_.clear();
    }

    // ---- prediction -----------------------------------------------------------------------------------

    /// Predictive mean, latent variance and noise variance at x (original units).
    template <class... Obs>
    [[nodiscard]] prediction predict(const vec& x, Obs&... obs) const {
        return predict(mat(x), obs...).at(0);
    }

    /// Any other Eigen expression (X.col(j), X.leftCols(n), ...): a column expression (one column at compile
    /// time) predicts one point, any other a batch.
    template <class Derived, class... Obs>
    [[nodiscard]] auto predict(const Eigen::MatrixBase<Derived>& Z, Obs&... obs) const {
        if constexpr (Derived::ColsAtCompileTime == 1) return predict(vec(Z), obs...);
        else return predict(mat(Z), obs...);
    }

    /// Batch prediction at the columns of Z: one cross-kernel product and one multi-RHS triangular solve.
    /// Negative latent variances (rounding) are clamped to 0 and reported as variance_clamped.
    template <class... Obs>
    [[nodiscard]] batch_prediction predict(const mat& Z, Obs&... obs) const {
        constexpr const char* who = "l2s::gp::exact_gp::predict";
        require_ready(who);
        check_inputs(who, Z, true);
        mat V = cross(kernel_, X_.leftCols(n_), Z);
        batch_prediction p;
        p.mean = latent_mean(Z, V);
        solve_factor(V);
        p.variance = gram_diag(kernel_, Z) - V.colwise().squaredNorm().transpose();
        clamp_variance(p.variance, obs...);
        p.variance *= scale_ * scale_;
        p.noise_variance = noise_variance();
        return p;
    }

    /// As predict(Z), with the columns of Z split into contiguous blocks over `threads` threads (0: one per
    /// hardware thread; never more than one per 64 columns, and one block runs on the calling thread). Each
    /// block's cross-kernel, means and triangular solve run on their own thread against the shared factor;
    /// the prior mean and the observers run on the calling thread. The kernel's const members must be safe
    /// to call concurrently (every kernel in l2s::kernel is). Same results as predict(Z) up to rounding in
    /// the last bits (docs/gp.md#parallel-prediction).
    template <class... Obs>
    [[nodiscard]] batch_prediction predict_parallel(const mat& Z, std::size_t threads, Obs&... obs) const {
        constexpr const char* who = "l2s::gp::exact_gp::predict_parallel";
        require_ready(who);
        check_inputs(who, Z, true);
        const Eigen::Index m = Z.cols();
        if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
        const auto blocks = static_cast<Eigen::Index>(
            std::min<std::size_t>(threads, static_cast<std::size_t>(std::max<Eigen::Index>(1, m / 64))));
        batch_prediction p;
        p.mean = mean_values(mean_, Z);
        p.mean.array() += shift_;
        p.variance.resize(m);
        auto block = [&](Eigen::Index c0, Eigen::Index c1) {
            const mat Zb = Z.middleCols(c0, c1 - c0);
            mat V = cross(kernel_, X_.leftCols(n_), Zb);
            p.mean.segment(c0, c1 - c0).noalias() += scale_ * (V.transpose() * alpha_.head(n_));
            solve_factor(V);
            p.variance.segment(c0, c1 - c0) = gram_diag(kernel_, Zb) - V.colwise().squaredNorm().transpose();
        };
        std::vector<std::exception_ptr> failed(static_cast<std::size_t>(blocks));
        {
            std::vector<std::jthread> pool;
            pool.reserve(static_cast<std::size_t>(blocks));
            for (Eigen::Index b = 1; b < blocks; ++b)
                pool.emplace_back([&, b] {
                    try {
                        block(b * m / blocks, (b + 1) * m / blocks);
                    } catch (...) {
                        failed[static_cast<std::size_t>(b)] = std::current_exception();
                    }
                });
            try {
                block(0, m / blocks);
            } catch (...) {
                failed[0] = std::current_exception();
            }
        }  // joins
        for (const auto& e : failed)
            if (e) std::rethrow_exception(e);
        clamp_variance(p.variance, obs...);
        p.variance *= scale_ * scale_;
        p.noise_variance = noise_variance();
        return p;
    }

    /// Predictive means only (no triangular solve).
    [[nodiscard]] vec predict_mean(const mat& Z) const {
        constexpr const char* who = "l2s::gp::exact_gp::predict_mean";
        require_ready(who);
        check_inputs(who, Z, true);
        return latent_mean(Z, cross(kernel_, X_.leftCols(n_), Z));
    }

    /// Joint latent posterior at the columns of Z: mean and K** − K*ᵀ K_y⁻¹ K* (original units, no noise).
    [[nodiscard]] joint_posterior posterior(const mat& Z) const {
        constexpr const char* who = "l2s::gp::exact_gp::posterior";
        require_ready(who);
        check_inputs(who, Z, true);
        mat V = cross(kernel_, X_.leftCols(n_), Z);
        joint_posterior p;
        p.mean = latent_mean(Z, V);
        solve_factor(V);
        p.covariance = gram(kernel_, Z);
        p.covariance.noalias() -= V.transpose() * V;
        p.covariance *= scale_ * scale_;
        return p;
    }

    /// The largest posterior mean over the training inputs (maximisation convention), a noise-robust
    /// incumbent for acquisitions.
    [[nodiscard]] double best_posterior_mean() const {
        require_ready("l2s::gp::exact_gp::best_posterior_mean");
        return posterior_mean_at_data().maxCoeff();
    }

    /// Posterior means at the training inputs, μ(X) = m(X) + shift + scale · (K_y − σ_n² I − jitter I) α.
    [[nodiscard]] vec posterior_mean_at_data() const {
        require_ready("l2s::gp::exact_gp::posterior_mean_at_data");
        const vec a = alpha_.head(n_);
        // K α = K_y α − (σ_n² + jitter) α = z − (σ_n² + jitter) α.
        const vec f = z_.head(n_) - (std::exp(log_noise_) + jitter_) * a;
        return mu0_.head(n_).array() + shift_ + scale_ * f.array();
    }

    /// Leave-one-out predictive mean and (noisy) variance of every training target in closed form:
    /// μ_i = y_i − α_i / [K_y⁻¹]_ii, σ_i² = 1 / [K_y⁻¹]_ii (Rasmussen & Williams eq. 5.12), original units.
    [[nodiscard]] loo_prediction leave_one_out() const {
        require_ready("l2s::gp::exact_gp::leave_one_out");
        const vec kinv_diag = detail::inverse_from_cholesky(L_.topLeftCorner(n_, n_)).diagonal();
        loo_prediction r;
        r.mean = y_.head(n_).array() - scale_ * alpha_.head(n_).array() / kinv_diag.array();
        r.variance = (scale_ * scale_) / kinv_diag.array();
        return r;
    }

    // ---- likelihood and hyperparameters ---------------------------------------------------------------

    /// log p(z) = −½ zᵀα − Σ log L_ii − (n/2) log 2π of the (standardised) targets z, cached per fit.
    [[nodiscard]] double log_marginal_likelihood() const {
        require_ready("l2s::gp::exact_gp::log_marginal_likelihood");
        return lml_;
    }

    /// ∂ log p / ∂θ_gp = ½ Σ W ∘ ∂K_y/∂θ_j with W = ααᵀ − K_y⁻¹ (K_y⁻¹ from a triangular inverse and a
    /// triangular product); the noise entry is ½ σ_n² tr(W).
    [[nodiscard]] vec log_marginal_likelihood_gradient() const
        requires DifferentiableKernel<K>
    {
        require_ready("l2s::gp::exact_gp::log_marginal_likelihood_gradient");
        return likelihood_gradient(kernel_, log_noise_, X_.leftCols(n_), L_.topLeftCorner(n_, n_), alpha_.head(n_));
    }

    /// θ_gp = (kernel θ, log σ_n²).
    [[nodiscard]] vec params() const {
        const vec kt = kernel_.params();
        vec t(kt.size() + 1);
        t << kt, log_noise_;
        return t;
    }
    [[nodiscard]] std::size_t num_params() const { return kernel_.num_params() + 1; }

    /// Sets θ_gp and refactorises (jitter ladder); object unchanged if it throws.
    template <class... Obs>
    void set_params(const vec& theta, Obs&... obs) {
        constexpr const char* who = "l2s::gp::exact_gp::set_params";
        require_size(who, "theta", theta.size(), static_cast<Eigen::Index>(num_params()));
        require_finite(who, "theta", theta.head(theta.size() - 1));
        if (std::isnan(theta(theta.size() - 1)) || theta(theta.size() - 1) == std::numeric_limits<double>::infinity())
            throw non_finite_observation(std::string(who) + ": log noise variance is NaN or +Inf");
        K k = kernel_;
        k.set_params(theta.head(theta.size() - 1));
        const double ln = theta(theta.size() - 1);
        std::vector<numerical_event> ev;
        mat L;
        double jitter = 0.0;
        if (n_ > 0) jitter = factorise(X_.leftCols(n_), k, ln, L, who, ev);
        kernel_ = std::move(k);
        log_noise_ = ln;
        jitter_ = jitter;
        if (n_ > 0) {
            L_.topLeftCorner(n_, n_) = L;
            refresh_targets();
        }
        events_ = std::move(ev);
        report(events_, obs...);
    }

    /// Log marginal likelihood and gradient at θ_gp without changing the GP (+∞-free: throws
    /// numerical_error if the ladder is exhausted).
    [[nodiscard]] lml_value evaluate_log_marginal_likelihood(const vec& theta) const
        requires DifferentiableKernel<K>
    {
        constexpr const char* who = "l2s::gp::exact_gp::evaluate_log_marginal_likelihood";
        require_ready(who);
        require_size(who, "theta", theta.size(), static_cast<Eigen::Index>(num_params()));
        K k = kernel_;
        k.set_params(theta.head(theta.size() - 1));
        std::vector<numerical_event> ev;
        return likelihood_at(k, theta(theta.size() - 1), who, ev);
    }

    /// Maximises the log marginal likelihood over θ_gp within the bounds of `hc` with the bounded L-BFGS of
    /// l2s/detail/lbfgs.hpp, from the current θ and `random_starts` log-uniform draws; the best is set.
    /// A start whose factorisation fails is reported as restart_failed and skipped.
    template <class Rng, class... Obs>
    hyperopt_result learn_hyperparameters(Rng& rng, const hyperopt_config& hc = {}, Obs&... obs)
        requires DifferentiableKernel<K>
    {
        constexpr const char* who = "l2s::gp::exact_gp::learn_hyperparameters";
        hc.validate(who);
        require_ready(who);
        const auto [lo, hi] = log_bounds(hc);
        const Eigen::Index p = lo.size();
        const double fixed_noise = log_noise_;
        std::vector<numerical_event> ev;
        hyperopt_result best;
        best.log_marginal_likelihood = -std::numeric_limits<double>::infinity();
        auto full_theta = [&](const vec& t) {
            if (hc.learn_noise) return t;
            vec f(p + 1);
            f << t, fixed_noise;
            return f;
        };
        auto objective = [&](const vec& t, vec& g) {
            ++best.evaluations;
            const vec f = full_theta(t);
            K k = kernel_;
            k.set_params(f.head(f.size() - 1));
            std::vector<numerical_event> local;
            try {
                const lml_value v = likelihood_at(k, f(f.size() - 1), who, local);
                g = -v.gradient.head(p);
                return -v.value;
            } catch (const numerical_error&) {
                return std::numeric_limits<double>::infinity();
            }
        };
        std::vector<vec> starts;
        if (hc.start_from_current) starts.push_back(params().head(p).cwiseMax(lo).cwiseMin(hi));
        std::uniform_real_distribution<double> u01(0.0, 1.0);
        for (std::size_t s = 0; s < hc.random_starts; ++s) {
            vec t(p);
            for (Eigen::Index j = 0; j < p; ++j) t(j) = lo(j) + (hi(j) - lo(j)) * u01(rng);
            starts.push_back(t);
        }
        for (const vec& s : starts) {
            ++best.starts;
            try {
                const auto r = l2s::detail::lbfgs_minimise(objective, s, lo, hi, hc.lbfgs);
                if (-r.value > best.log_marginal_likelihood) {
                    best.log_marginal_likelihood = -r.value;
                    best.theta = full_theta(r.x);
                }
            } catch (const numerical_error& e) {
                ev.push_back({who, numerical_event_kind::restart_failed, 0.0, e.what()});
            }
        }
        if (best.theta.size() == 0)
            throw numerical_error(std::string(who) + ": every start failed (no factorisable θ found)");
        set_params(best.theta);
        best.log_marginal_likelihood = lml_;
        ev.insert(ev.end(), events_.begin(), events_.end());
        events_ = std::move(ev);
        report(events_, obs...);
        return best;
    }

    // ---- accessors --------------------------------------------------------------------------------------

    [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(n_); }
    [[nodiscard]] std::size_t dim() const noexcept { return static_cast<std::size_t>(d_); }
    [[nodiscard]] std::size_t capacity() const noexcept { return static_cast<std::size_t>(X_.cols()); }
    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] const K& kernel() const noexcept { return kernel_; }
    [[nodiscard]] const M& mean_function() const noexcept { return mean_; }
    /// σ_n² in the original units of y (scale² × the model's σ_n²).
    [[nodiscard]] double noise_variance() const noexcept { return scale_ * scale_ * std::exp(log_noise_); }
    /// log σ_n² of the model (standardised units when standardise_y).
    [[nodiscard]] double log_noise_variance() const noexcept { return log_noise_; }
    /// Diagonal jitter currently added to K_y (0 unless the ladder was needed).
    [[nodiscard]] double jitter() const noexcept { return jitter_; }
    /// Shift and scale of the standardisation: z = (y − m(x) − shift) / scale.
    [[nodiscard]] double y_shift() const noexcept { return shift_; }
    [[nodiscard]] double y_scale() const noexcept { return scale_; }
    /// The training inputs (d × n) and targets (n), original units.
    [[nodiscard]] auto inputs() const { return X_.leftCols(n_); }
    [[nodiscard]] auto targets() const { return y_.head(n_); }
    /// Numerical events of the last call that factorised (fit, add, set_params, learn_hyperparameters).
    [[nodiscard]] const std::vector<numerical_event>& last_events() const noexcept { return events_; }

private:
    K kernel_;
    M mean_;
    config cfg_;
    double log_noise_ = 0.0;
    double jitter_ = 0.0;
    Eigen::Index d_ = 0, n_ = 0;
    mat X_, L_;
    vec y_, mu0_, z_, alpha_;
    double shift_ = 0.0, scale_ = 1.0, lml_ = 0.0;
    std::vector<numerical_event> events_;

    void allocate(Eigen::Index d, std::size_t cap) {
        const auto c = static_cast<Eigen::Index>(cap);
        X_.resize(d, c);
        L_.resize(c, c);
        y_.resize(c);
        mu0_.resize(c);
        z_.resize(c);
        alpha_.resize(c);
    }
    void grow() {
        const Eigen::Index c = 2 * std::max<Eigen::Index>(X_.cols(), 1);
        X_.conservativeResize(Eigen::NoChange, c);
        L_.conservativeResize(c, c);
        y_.conservativeResize(c);
        mu0_.conservativeResize(c);
        z_.conservativeResize(c);
        alpha_.conservativeResize(c);
    }
    [[nodiscard]] auto factor() const { return L_.topLeftCorner(n_, n_).template triangularView<Eigen::Lower>(); }
    /// B ← L⁻¹ B for the current factor (recursive blocked solve; a vector solve for one column).
    void solve_factor(mat& B) const { detail::lower_solve_in_place(L_.topLeftCorner(n_, n_), B); }
    [[nodiscard]] auto factor_transpose() const {
        return L_.topLeftCorner(n_, n_).transpose().template triangularView<Eigen::Upper>();
    }

    void require_ready(const char* who) const {
        if (n_ == 0) throw not_ready(std::string(who) + ": the GP holds no data (call fit or add first)");
    }
    /// Rows must equal the data dimension (or the kernel's dim() when it has one); entries finite.
    void check_inputs(const char* who, const mat& X, bool need_data) const {
        Eigen::Index expected = -1;
        if (n_ > 0 && (need_data || d_ > 0)) expected = d_;
        if constexpr (requires { kernel_.dim(); }) expected = static_cast<Eigen::Index>(kernel_.dim());
        if (expected >= 0) require_size(who, "input dimension", X.rows(), expected);
        if (X.rows() == 0) throw dimension_mismatch(std::string(who) + ": inputs have 0 rows");
        require_finite(who, "input", X);
    }

    template <class KK>
    double factorise(const Eigen::Ref<const mat>& X, const KK& k, double log_noise, mat& L,
                                   const char* who, std::vector<numerical_event>& ev) const {
        mat Ky = gram(k, mat(X));
        Ky.diagonal().array() += std::exp(log_noise);
        return detail::cholesky_with_ladder(Ky, L, cfg_.jitter_ladder, who, ev);
    }

    /// z = standardised residuals, α = K_y⁻¹ z, cached log marginal likelihood.
    void refresh_targets() {
        if (n_ == 0) {
            if constexpr (requires { mean_.update(vec()); }) mean_.update(vec());
            shift_ = 0.0;
            scale_ = 1.0;
            lml_ = 0.0;
            return;
        }
        if constexpr (requires { mean_.update(y_.head(n_)); }) {  // data-dependent prior means
            mean_.update(y_.head(n_));
            mu0_.head(n_) = mean_values(mean_, X_.leftCols(n_));
        }
        const vec r = y_.head(n_) - mu0_.head(n_);
        shift_ = 0.0;
        scale_ = 1.0;
        if (cfg_.standardise_y) {
            shift_ = r.mean();
            if (n_ >= 2) {
                const double sd = std::sqrt((r.array() - shift_).square().mean());
                if (std::isfinite(sd) && sd > 0.0) scale_ = sd;
            }
        }
        z_.head(n_) = (r.array() - shift_) / scale_;
        auto a = alpha_.head(n_);
        a = z_.head(n_);
        factor().solveInPlace(a);
        factor_transpose().solveInPlace(a);
        lml_ = -0.5 * z_.head(n_).dot(a) - L_.topLeftCorner(n_, n_).diagonal().array().log().sum() -
               0.5 * static_cast<double>(n_) * std::log(2.0 * std::numbers::pi);
    }

    [[nodiscard]] vec latent_mean(const mat& Z, const mat& Ks) const {
        vec m = mean_values(mean_, Z);
        m.array() += shift_;
        m.noalias() += scale_ * (Ks.transpose() * alpha_.head(n_));
        return m;
    }

    template <class... Obs>
    void clamp_variance(vec& v, Obs&... obs) const {
        const double lowest = v.minCoeff();
        if (lowest < 0.0) {
            v = v.cwiseMax(0.0);
            if constexpr (sizeof...(Obs) > 0)
                notify(numerical_event{"l2s::gp::exact_gp::predict", numerical_event_kind::variance_clamped, lowest,
                                       "negative latent variance clamped to 0"},
                       obs...);
        }
    }

    template <class... Obs>
    static void report(const std::vector<numerical_event>& ev, Obs&... obs) {
        if constexpr (sizeof...(Obs) > 0)
            for (const auto& e : ev) notify(e, obs...);
    }

    /// Appends (x, y): new row l = L⁻¹k(X, x), pivot √(k(x,x) + σ_n² + jitter − lᵀl); a refactor with the
    /// ladder when the pivot is unusable. Strong guarantee: storage only grows before the commit.
    void append(const vec& x, double y, std::vector<numerical_event>& ev) {
        constexpr const char* who = "l2s::gp::exact_gp::add";
        vec l = cross(kernel_, X_.leftCols(n_), mat(x)).col(0);
        const double kxx = gram_diag(kernel_, mat(x))(0) + std::exp(log_noise_) + jitter_;
        factor().solveInPlace(l);
        const double pivot = kxx - l.squaredNorm();
        mat Lnew;
        double jitter = jitter_;
        const bool refactor = !detail::usable_pivot(pivot, kxx);
        if (refactor) {
            mat Xn(d_, n_ + 1);
            Xn << X_.leftCols(n_), x;
            ev.push_back({who, numerical_event_kind::refactored, pivot, "new pivot not positive; refactorising"});
            jitter = factorise(Xn, kernel_, log_noise_, Lnew, who, ev);
        }
        if (n_ == X_.cols()) grow();
        X_.col(n_) = x;
        y_(n_) = y;
        mu0_(n_) = mean_(x);
        if (refactor) {
            L_.topLeftCorner(n_ + 1, n_ + 1) = Lnew;
            jitter_ = jitter;
        } else {
            L_.row(n_).head(n_) = l.transpose();
            L_(n_, n_) = std::sqrt(pivot);
        }
        ++n_;
        refresh_targets();
    }

    void drop_oldest_then_add(const vec& x, double y) {
        remove_factor(0);
        std::vector<numerical_event> ev;
        append(x, y, ev);
        events_ = std::move(ev);
    }

    /// Deletes row/column i of the data and the factor (no α refresh).
    void remove_factor(Eigen::Index i) {
        const Eigen::Index m = n_ - i - 1;  // points after i
        vec l32 = L_.col(i).segment(i + 1, m);
        for (Eigen::Index j = i; j < n_ - 1; ++j) {
            X_.col(j) = X_.col(j + 1);
            y_(j) = y_(j + 1);
            mu0_(j) = mu0_(j + 1);
        }
        for (Eigen::Index j = 0; j < i; ++j)  // L₃₁ moves up one row
            for (Eigen::Index r = i; r < n_ - 1; ++r) L_(r, j) = L_(r + 1, j);
        for (Eigen::Index j = 0; j < m; ++j)  // L₃₃ moves up-left
            for (Eigen::Index r = j; r < m; ++r) L_(i + r, i + j) = L_(i + 1 + r, i + 1 + j);
        detail::cholesky_rank_one_update(L_.block(i, i, m, m), l32);
        --n_;
    }

    [[nodiscard]] std::pair<vec, vec> log_bounds(const hyperopt_config& hc) const {
        const auto kinds = param_kinds(kernel_);
        const auto p = static_cast<Eigen::Index>(kinds.size()) + (hc.learn_noise ? 1 : 0);
        vec lo(p), hi(p);
        for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(kinds.size()); ++j) {
            const auto& b = kinds[static_cast<std::size_t>(j)] == param_kind::log_length_scale ? hc.length_scale_bounds
                            : kinds[static_cast<std::size_t>(j)] == param_kind::log_signal_variance
                                ? hc.signal_variance_bounds
                                : hc.other_bounds;
            lo(j) = std::log(b[0]);
            hi(j) = std::log(b[1]);
        }
        if (hc.learn_noise) {
            lo(p - 1) = std::log(hc.noise_variance_bounds[0]);
            hi(p - 1) = std::log(hc.noise_variance_bounds[1]);
        }
        return {lo, hi};
    }

    /// LML and gradient for kernel k and log σ_n² on the current data (no state change).
    [[nodiscard]] lml_value likelihood_at(const K& k, double log_noise, const char* who,
                                          std::vector<numerical_event>& ev) const {
        mat L;
        factorise(X_.leftCols(n_), k, log_noise, L, who, ev);
        vec a = z_.head(n_);
        L.template triangularView<Eigen::Lower>().solveInPlace(a);
        L.transpose().template triangularView<Eigen::Upper>().solveInPlace(a);
        lml_value v;
        v.value = -0.5 * z_.head(n_).dot(a) - L.diagonal().array().log().sum() -
                  0.5 * static_cast<double>(n_) * std::log(2.0 * std::numbers::pi);
        v.gradient = likelihood_gradient(k, log_noise, X_.leftCols(n_), L, a);
        return v;
    }

    [[nodiscard]] static vec likelihood_gradient(const K& k, double log_noise, const Eigen::Ref<const mat>& X,
                                                 const Eigen::Ref<const mat>& L, const Eigen::Ref<const vec>& a) {
        mat W = detail::inverse_from_cholesky(L);
        W = -W;
        W.noalias() += a * a.transpose();
        const vec gk = gram_gradient_dot(k, mat(X), W);
        vec g(gk.size() + 1);
        g << 0.5 * gk, 0.5 * std::exp(log_noise) * W.trace();
        return g;
    }
};

static_assert(Surrogate<exact_gp<kernel::matern52_ard>>);
static_assert(Surrogate<exact_gp<kernel::se_ard, mean::constant>>);
static_assert(Surrogate<exact_gp<kernel::matern52_ard, mean::data_mean>>);

}  // namespace l2s::gp
