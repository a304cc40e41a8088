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
// Storage is reused: fit and set_params factorise in place into a second factor buffer that is swapped in on
// success (the strong guarantee without a copy), and the const paths take their scratch from a workspace
// (l2s/gp/workspace.hpp), so calls at a size the model has reached allocate no n × n matrix.
// The marginal likelihood is l2s/gp/likelihood.hpp, hyperparameter learning l2s/gp/hyperopt.hpp, the threaded
// split of predict_parallel l2s/detail/parallel.hpp.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/detail/parallel.hpp>
#include <l2s/gp/concepts.hpp>
#include <l2s/gp/detail/cholesky.hpp>
#include <l2s/gp/hyperopt.hpp>
#include <l2s/gp/likelihood.hpp>
#include <l2s/gp/workspace.hpp>
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

/// Leave-one-out predictive distribution of each training target (noisy: includes σ_n²).
struct loo_prediction {
    vec mean;
    vec variance;
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
        const Eigen::Index n = X.cols();
        const auto cap = static_cast<Eigen::Index>(std::max<std::size_t>(cfg_.capacity, static_cast<std::size_t>(n)));
        const double jitter = factorise_spare(X, kernel_, log_noise_, cap, who, ev);
        allocate(X.rows(), cap);
        L_.swap(spare_.m);  // the new factor, computed in place; the old one becomes the spare
        d_ = X.rows();
        n_ = n;
        jitter_ = jitter;
        X_.leftCols(n) = X;
        y_.head(n) = y;
        mu0_.head(n) = mean_values(mean_, X);
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
        return scratch_.with([&](workspace& ws) { return predict(Z, ws, obs...); });
    }

    /// As predict(Z), with the n × m cross-covariances in the caller's workspace `ws` (one per thread when
    /// several threads predict from one GP).
    template <class... Obs>
    [[nodiscard]] batch_prediction predict(const mat& Z, workspace& ws, Obs&... obs) const {
        constexpr const char* who = "l2s::gp::exact_gp::predict";
        require_ready(who);
        check_inputs(who, Z, true);
        auto V = ws.matrix(0, n_, Z.cols());
        cross_into(kernel_, X_.leftCols(n_), Z, V);
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
        const std::size_t blocks = l2s::detail::parallel_block_count(static_cast<std::size_t>(m), threads, 64);
        batch_prediction p;
        p.mean = mean_values(mean_, Z);
        p.mean.array() += shift_;
        p.variance.resize(m);
        l2s::detail::parallel_blocks(static_cast<std::size_t>(m), blocks, [&](std::size_t b0, std::size_t b1) {
            const auto c0 = static_cast<Eigen::Index>(b0), c1 = static_cast<Eigen::Index>(b1);
            const mat Zb = Z.middleCols(c0, c1 - c0);
            mat V = cross(kernel_, X_.leftCols(n_), Zb);
            p.mean.segment(c0, c1 - c0).noalias() += scale_ * (V.transpose() * alpha_.head(n_));
            solve_factor(V);
            p.variance.segment(c0, c1 - c0) = gram_diag(kernel_, Zb) - V.colwise().squaredNorm().transpose();
        });
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
        const vec kinv_diag = scratch_.with([&](workspace& ws) {
            auto A = ws.matrix(1, n_, n_);
            A = L_.topLeftCorner(n_, n_);
            detail::inverse_from_cholesky_in_place(A, ws.matrix(3, n_, 64));
            return vec(A.diagonal());
        });
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
        return scratch_.with([&](workspace& ws) { return log_marginal_likelihood_gradient(ws); });
    }
    /// As above, with the n × n scratch in the caller's workspace.
    [[nodiscard]] vec log_marginal_likelihood_gradient(workspace& ws) const
        requires DifferentiableKernel<K>
    {
        require_ready("l2s::gp::exact_gp::log_marginal_likelihood_gradient");
        auto A = ws.matrix(1, n_, n_);
        A.template triangularView<Eigen::Lower>() = L_.topLeftCorner(n_, n_);
        return lml_gradient_from_factor(kernel_, log_noise_, X_.leftCols(n_), A, alpha_.head(n_), ws);
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
        double jitter = 0.0;
        if (n_ > 0) jitter = factorise_spare(X_.leftCols(n_), k, ln, L_.rows(), who, ev);
        kernel_ = std::move(k);
        log_noise_ = ln;
        jitter_ = jitter;
        if (n_ > 0) {
            L_.swap(spare_.m);
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
        return scratch_.with([&](workspace& ws) { return evaluate_log_marginal_likelihood(theta, ws); });
    }
    /// As above, with the n × n scratch in the caller's workspace.
    [[nodiscard]] lml_value evaluate_log_marginal_likelihood(const vec& theta, workspace& ws) const
        requires DifferentiableKernel<K>
    {
        constexpr const char* who = "l2s::gp::exact_gp::evaluate_log_marginal_likelihood";
        require_ready(who);
        require_size(who, "theta", theta.size(), static_cast<Eigen::Index>(num_params()));
        K k = kernel_;
        k.set_params(theta.head(theta.size() - 1));
        std::vector<numerical_event> ev;
        return evaluate_lml(k, theta(theta.size() - 1), X_.leftCols(n_), z_.head(n_), cfg_.jitter_ladder, who, ev, ws);
    }

    /// Hyperparameter learning: forwards to gp::learn_hyperparameters(*this, rng, hc, obs...)
    /// (l2s/gp/hyperopt.hpp), which maximises the log marginal likelihood with bounded L-BFGS from the
    /// current θ and `random_starts` log-uniform draws and sets the best θ.
    template <class Rng, class... Obs>
    hyperopt_result learn_hyperparameters(Rng& rng, const hyperopt_config& hc = {}, Obs&... obs)
        requires DifferentiableKernel<K>
    {
        return gp::learn_hyperparameters(*this, rng, hc, obs...);
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
    detail::scratch_matrix spare_;  ///< the next factor (fit, set_params, a refactoring add), swapped with L_
    vec spare_diag_;                ///< K_y's diagonal while the spare is factorised (jitter retries)
    detail::workspace_slot scratch_;  ///< scratch of the const paths

    friend struct detail::hyperopt_access;

    void allocate(Eigen::Index d, std::size_t cap) {
        const auto c = static_cast<Eigen::Index>(cap);
        X_.resize(d, c);
        L_.resize(c, c);
        y_.resize(c);
        mu0_.resize(c);
        z_.resize(c);
        alpha_.resize(c);
    }
    /// Doubles the capacity. Only the factor's lower triangle is copied into the new block (half the pages
    /// of a full copy are touched); the spare is released and takes the new size at its next use.
    void grow() {
        const Eigen::Index c = 2 * std::max<Eigen::Index>(X_.cols(), 1);
        X_.conservativeResize(Eigen::NoChange, c);
        mat L(c, c);
        for (Eigen::Index j = 0; j < n_; ++j) L.col(j).segment(j, n_ - j) = L_.col(j).segment(j, n_ - j);
        L_.swap(L);
        spare_.m.resize(0, 0);
        y_.conservativeResize(c);
        mu0_.conservativeResize(c);
        z_.conservativeResize(c);
        alpha_.conservativeResize(c);
    }
    [[nodiscard]] auto factor() const { return L_.topLeftCorner(n_, n_).template triangularView<Eigen::Lower>(); }
    /// B ← L⁻¹ B for the current factor (recursive blocked solve; a vector solve for one column).
    void solve_factor(Eigen::Ref<mat> B) const { detail::lower_solve_in_place(L_.topLeftCorner(n_, n_), B); }
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

    /// Factorises K_y = K(X, X) + σ_n² I (+ jitter) in place in the top-left corner of the spare factor
    /// (cap × cap); returns the jitter. The model's state is untouched, so a throw leaves it unchanged.
    double factorise_spare(const Eigen::Ref<const mat>& X, const K& k, double log_noise, Eigen::Index cap,
                           const char* who, std::vector<numerical_event>& ev) {
        const Eigen::Index n = X.cols();
        if (spare_.m.rows() != cap || spare_.m.cols() != cap) spare_.m.resize(cap, cap);
        if (spare_diag_.size() < n) spare_diag_.resize(cap);
        return factorise_covariance(k, X, log_noise, spare_.m.topLeftCorner(n, n), spare_diag_.head(n), cfg_.jitter_ladder,
                                    who, ev);
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
        lml_ = lml_from_factor(L_.topLeftCorner(n_, n_), z_.head(n_), a);
    }

    [[nodiscard]] vec latent_mean(const mat& Z, const Eigen::Ref<const mat>& Ks) const {
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
        if (n_ == X_.cols()) grow();  // before the commit: a throw below leaves a larger but unchanged GP
        vec l(n_);
        cross_into(kernel_, X_.leftCols(n_), x, l);
        const double kxx = gram_diag(kernel_, mat(x))(0) + std::exp(log_noise_) + jitter_;
        factor().solveInPlace(l);
        const double pivot = kxx - l.squaredNorm();
        double jitter = jitter_;
        const bool refactor = !detail::usable_pivot(pivot, kxx);
        if (refactor) {
            mat Xn(d_, n_ + 1);
            Xn << X_.leftCols(n_), x;
            ev.push_back({who, numerical_event_kind::refactored, pivot, "new pivot not positive; refactorising"});
            jitter = factorise_spare(Xn, kernel_, log_noise_, L_.rows(), who, ev);
        }
        X_.col(n_) = x;
        y_(n_) = y;
        mu0_(n_) = mean_(x);
        if (refactor) {
            L_.swap(spare_.m);
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
};

static_assert(Surrogate<exact_gp<kernel::matern52_ard>>);
static_assert(Surrogate<exact_gp<kernel::se_ard, mean::constant>>);
static_assert(Surrogate<exact_gp<kernel::matern52_ard, mean::data_mean>>);

}  // namespace l2s::gp
