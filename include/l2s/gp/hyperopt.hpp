// SPDX-License-Identifier: MIT
// l2s/gp/hyperopt.hpp: hyperparameter learning for a GP by maximising its log marginal likelihood.
//
// The search runs the bounded L-BFGS of l2s/core/detail/lbfgs.hpp on θ_gp = (kernel θ, log σ_n²) from the current
// θ and log-uniform random starts in the bounds (Rasmussen & Williams, Gaussian Processes for Machine
// Learning, MIT Press 2006, §5.4), and sets the best θ found on the GP.
#pragma once
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/detail/lbfgs.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/kernel/concepts.hpp>

namespace l2s::gp {

/// Tunables of learn_hyperparameters. Bounds are in natural units (variances, length-scales) and apply to
/// standardised data when the GP standardises y.  @see docs/gp.md#learn_hyperparameters
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

/// A GP whose likelihood can be evaluated at any θ_gp: what learn_hyperparameters needs.
/// @see docs/gp.md#learn_hyperparameters
template <class G>
concept TunableGP = requires(G& g, const G& cg, const vec& t) {
    typename G::kernel_type;
    { cg.kernel() } -> std::convertible_to<const typename G::kernel_type&>;
    { cg.params() } -> std::convertible_to<vec>;
    { cg.size() } -> std::convertible_to<std::size_t>;
    { cg.evaluate_log_marginal_likelihood(t).value } -> std::convertible_to<double>;
    { cg.log_marginal_likelihood() } -> std::convertible_to<double>;
    g.set_params(t);
};

namespace detail {
/// Lets learn_hyperparameters put its restart_failed events in front of the GP's last_events().
struct hyperopt_access {
    template <class G>
    static auto events(G& g) noexcept -> decltype((g.events_)) {
        return g.events_;
    }
};

/// Log-space bounds of θ_gp (the kernel's parameters by kind, then log σ_n² when learnt).
template <class K>
[[nodiscard]] std::pair<vec, vec> log_bounds(const K& kernel, const hyperopt_config& hc) {
    const auto kinds = param_kinds(kernel);
    const auto p = static_cast<Eigen::Index>(kinds.size()) + (hc.learn_noise ? 1 : 0);
    vec lo(p), hi(p);
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(kinds.size()); ++j) {
        const auto kind = kinds[static_cast<std::size_t>(j)];
        const auto& b = kind == param_kind::log_length_scale      ? hc.length_scale_bounds
                        : kind == param_kind::log_signal_variance ? hc.signal_variance_bounds
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
}  // namespace detail

/// Maximises gp's log marginal likelihood over θ_gp within the bounds of `hc` with the bounded L-BFGS of
/// l2s/core/detail/lbfgs.hpp, from the current θ and `random_starts` log-uniform draws; the best is set on gp.
/// A start whose factorisation fails is reported as restart_failed and skipped. Throws invalid_config for
/// a bad `hc`, not_ready on a GP without data, numerical_error when every start fails (gp unchanged).
/// `exact_gp::learn_hyperparameters(rng, hc, obs...)` forwards here.
template <TunableGP G, class Rng, class... Obs>
    requires DifferentiableKernel<typename G::kernel_type>
hyperopt_result learn_hyperparameters(G& gp, Rng& rng, const hyperopt_config& hc = {}, Obs&... obs) {
    constexpr const char* who = "l2s::gp::learn_hyperparameters";
    hc.validate(who);
    if (gp.size() == 0) throw not_ready(std::string(who) + ": the GP holds no data (call fit or add first)");
    const auto [lo, hi] = detail::log_bounds(gp.kernel(), hc);
    const Eigen::Index p = lo.size();
    const vec current = gp.params();
    const double fixed_noise = current(current.size() - 1);
    std::vector<numerical_event> ev;
    hyperopt_result best;
    best.log_marginal_likelihood = -std::numeric_limits<double>::infinity();
    vec full(current.size());
    auto full_theta = [&](const vec& t) -> const vec& {
        full.head(p) = t;
        if (!hc.learn_noise) full(p) = fixed_noise;
        return full;
    };
    auto objective = [&](const vec& t, vec& g) {
        ++best.evaluations;
        try {
            const auto v = gp.evaluate_log_marginal_likelihood(full_theta(t));
            g = -v.gradient.head(p);
            return -v.value;
        } catch (const numerical_error&) {
            return std::numeric_limits<double>::infinity();
        }
    };
    std::vector<vec> starts;
    if (hc.start_from_current) starts.push_back(current.head(p).cwiseMax(lo).cwiseMin(hi));
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
    gp.set_params(best.theta);
    best.log_marginal_likelihood = gp.log_marginal_likelihood();
    if constexpr (requires { detail::hyperopt_access::events(gp); }) {  // the GP keeps its last events
        auto& events = detail::hyperopt_access::events(gp);
        ev.insert(ev.end(), events.begin(), events.end());
        events = std::move(ev);
        if constexpr (sizeof...(Obs) > 0)
            for (const auto& e : events) notify(e, obs...);
    } else if constexpr (sizeof...(Obs) > 0) {
        for (const auto& e : ev) notify(e, obs...);
    }
    return best;
}

}  // namespace l2s::gp
