// examples/03_custom_kernel.cpp: a user-defined kernel (rational quadratic) in an exact GP, plus a
// composite kernel built from library parts.
#include <cmath>
#include <cstdio>
#include <random>

#include <l2s/gp.hpp>

/// Rational quadratic k = σ_f² (1 + r²/(2a))^(−a), isotropic, a = 1 fixed. θ = (log ℓ, log σ_f²).
/// Only k, num_params, params and set_params are required (l2s::Kernel); gradient makes it a
/// DifferentiableKernel, so likelihood gradients and hyperparameter learning work too.
struct rational_quadratic {
    double log_length_scale = 0.0;
    double log_signal_variance = 0.0;

    [[nodiscard]] double operator()(const l2s::vec& x, const l2s::vec& y) const {
        const double r2 = (x - y).squaredNorm() * std::exp(-2.0 * log_length_scale);
        return std::exp(log_signal_variance) / (1.0 + 0.5 * r2);
    }
    [[nodiscard]] l2s::vec gradient(const l2s::vec& x, const l2s::vec& y) const {
        const double r2 = (x - y).squaredNorm() * std::exp(-2.0 * log_length_scale);
        const double k = std::exp(log_signal_variance) / (1.0 + 0.5 * r2);
        // ∂k/∂log ℓ = σ_f² r² / (1 + r²/2)²; ∂k/∂log σ_f² = k.
        return l2s::vec{{k * r2 / (1.0 + 0.5 * r2), k}};
    }
    [[nodiscard]] std::size_t num_params() const { return 2; }
    [[nodiscard]] l2s::vec params() const { return l2s::vec{{log_length_scale, log_signal_variance}}; }
    void set_params(const l2s::vec& t) {
        log_length_scale = t(0);
        log_signal_variance = t(1);
    }
};
static_assert(l2s::DifferentiableKernel<rational_quadratic>);

int main() {
    using namespace l2s;
    rng_type rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    mat X(2, 40);
    vec y(40);
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        X(0, j) = u(rng);
        X(1, j) = u(rng);
        y(j) = std::sin(4.0 * X(0, j)) * std::cos(3.0 * X(1, j));
    }
    const vec x_test{{0.3, 0.6}};
    const double truth = std::sin(1.2) * std::cos(1.8);

    gp::exact_gp custom(rational_quadratic{std::log(0.3), 0.0});
    custom.fit(X, y);
    const auto r1 = custom.learn_hyperparameters(rng);
    const auto p1 = custom.predict(x_test);
    std::printf("rational quadratic: LML %.3f, prediction %.4f (truth %.4f)\n", r1.log_marginal_likelihood, p1.mean, truth);

    // Library parts: an SE kernel on coordinate 0 plus a Matérn 5/2 on both coordinates.
    using composite = kernel::sum<kernel::on_dims<kernel::se_ard>, kernel::matern52_ard>;
    gp::exact_gp mixed(composite{{{0}, kernel::se_ard::from(vec::Constant(1, 0.3))},
                                 kernel::matern52_ard::from(vec::Constant(2, 0.3), 0.5)});
    mixed.fit(X, y);
    const auto r2 = mixed.learn_hyperparameters(rng);
    const auto p2 = mixed.predict(x_test);
    std::printf("SE(x0) + Matern52:  LML %.3f, prediction %.4f (truth %.4f)\n", r2.log_marginal_likelihood, p2.mean, truth);
    return (std::abs(p1.mean - truth) < 0.05 && std::abs(p2.mean - truth) < 0.05) ? 0 : 1;
}
