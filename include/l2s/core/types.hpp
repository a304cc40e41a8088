// SPDX-License-Identifier: MIT
// l2s/core/types.hpp: vector/matrix aliases, V/F level types, predictions, optimisation sense, RNG.
#pragma once
#include <cstdint>
#include <random>

#include <Eigen/Core>

#include <l2s/detail/xtensor_compat.hpp>

namespace l2s {

/// Dense column vector of doubles (Eigen). One point of an input space is one `vec`.
using vec = Eigen::VectorXd;
/// Dense column-major matrix of doubles (Eigen). A set of n points in d dimensions is d × n: one point per column.
using mat = Eigen::MatrixXd;

/// Index of a V/F level on one island: 0 is the lowest frequency, L − 1 the highest.
using level_t = std::uint8_t;
/// A decision sequence: T intervals × K islands of levels (row t holds the levels of every island at interval t).
using vf_sequence = xt::xtensor<level_t, 2>;

/// The random engine used throughout the examples and tests. Every randomised function takes its engine
/// by reference (there is no global RNG); any UniformRandomBitGenerator works.
using rng_type = std::mt19937_64;

/// Whether an objective is minimised (costs, the default) or maximised (utilities).
enum class sense : std::uint8_t { minimize, maximize };

/// Prediction of a surrogate at one point: mean, latent variance (of f) and observation-noise variance.
/// The variance of a new noisy observation y = f + ε is `variance + noise_variance`.
struct prediction {
    double mean = 0.0;
    double variance = 0.0;        ///< latent variance of f(x), ≥ 0
    double noise_variance = 0.0;  ///< variance of the observation noise ε

    [[nodiscard]] double noisy_variance() const noexcept { return variance + noise_variance; }
};

/// Predictions at n points (one entry per point / column of the query matrix).
struct batch_prediction {
    vec mean;                     ///< n predictive means
    vec variance;                 ///< n latent variances
    double noise_variance = 0.0;  ///< observation-noise variance (homoscedastic)

    [[nodiscard]] vec noisy_variance() const { return variance.array() + noise_variance; }
    [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(mean.size()); }
    [[nodiscard]] prediction at(Eigen::Index i) const { return {mean(i), variance(i), noise_variance}; }
};

}  // namespace l2s
