// examples/01_gp_regression.cpp: fit an exact GP to noisy 1-D data, learn its hyperparameters, predict.
#include <cmath>
#include <cstdio>
#include <random>

#include <l2s/gp.hpp>

int main() {
    using namespace l2s;
    rng_type rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.1);
    auto f = [](double x) { return std::sin(6.0 * x) + 0.5 * x; };

    // 30 noisy observations, one point per column.
    mat X(1, 30);
    vec y(30);
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        X(0, j) = u(rng);
        y(j) = f(X(0, j)) + noise(rng);
    }

    gp::exact_gp model(kernel::matern52_ard::from(vec::Constant(1, 0.3)));  // y standardised by default
    model.fit(X, y);
    std::printf("before learning: log marginal likelihood %.3f\n", model.log_marginal_likelihood());
    const auto r = model.learn_hyperparameters(rng);
    std::printf("after learning:  log marginal likelihood %.3f (%zu evaluations, %zu starts)\n",
                r.log_marginal_likelihood, r.evaluations, r.starts);
    std::printf("length-scale %.3f, noise variance %.4f (true 0.01)\n",
                std::exp(model.kernel().log_length_scale(0)), model.noise_variance());

    // Batch prediction on a grid; count how often the truth lies in the 95% band of a new observation.
    mat Z(1, 11);
    for (Eigen::Index j = 0; j < Z.cols(); ++j) Z(0, j) = 0.1 * static_cast<double>(j);
    const auto p = model.predict(Z);
    const vec sd = p.noisy_variance().cwiseSqrt();
    int inside = 0;
    for (Eigen::Index j = 0; j < Z.cols(); ++j) {
        const double truth = f(Z(0, j));
        std::printf("x = %.1f  mean %+.3f  sd %.3f  truth %+.3f\n", Z(0, j), p.mean(j), sd(j), truth);
        inside += std::abs(p.mean(j) - truth) <= 1.96 * sd(j) ? 1 : 0;
    }
    // Add one point online (O(n²)) and check it moved the prediction towards it.
    model.add(vec::Constant(1, 0.5), f(0.5));
    const double err = std::abs(model.predict(vec(vec::Constant(1, 0.5))).mean - f(0.5));
    std::printf("%d of 11 truths inside the 95%% band; error at an added point %.4f\n", inside, err);
    return (inside >= 9 && err < 0.1) ? 0 : 1;
}
