// SPDX-License-Identifier: MIT
// l2s/acquisition/constrained.hpp: constrained improvement, EI × Π_c P(g_c(x) ≤ 0), in log form.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <l2s/acquisition/improvement.hpp>
#include <l2s/acquisition/score.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/detail/normal.hpp>

namespace l2s::acquisition {

/// log P(g ≤ 0) = log Φ(−μ_g/σ_g) for a constraint predicted N(μ_g, σ_g²) (latent); σ_g = 0: 0 or −∞.
[[nodiscard]] inline double log_probability_feasible(const prediction& g) noexcept {
    const double s = std::sqrt(std::max(g.variance, 0.0));
    if (!(s > 0.0)) return g.mean <= 0.0 ? 0.0 : -std::numeric_limits<double>::infinity();
    return detail::log_normal_cdf(-g.mean / s);
}

/// The best utility among feasible observations: max u_j over columns j of G (c × n, g ≤ 0 feasible) whose
/// entries are all ≤ 0; −∞ when none is feasible. With no constraints (c = 0) every observation is feasible.
[[nodiscard]] inline double feasible_incumbent(const vec& utility, const mat& constraint_values) {
    if (constraint_values.rows() > 0)
        require_size("l2s::acquisition::feasible_incumbent", "constraint columns", constraint_values.cols(), utility.size());
    double best = -std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < utility.size(); ++j)
        if (constraint_values.rows() == 0 || (constraint_values.col(j).array() <= 0.0).all()) best = std::max(best, utility(j));
    return best;
}

/// Constrained acquisition (Gardner, Kusner, Xu, Weinberger & Cunningham, ICML 2014; Schonlau et al. 1998):
/// log a(x) + Σ_c log P(g_c(x) ≤ 0), one surrogate per constraint, with the incumbent the best *feasible*
/// utility (context::incumbent, see feasible_incumbent). Until a feasible point exists (no incumbent) the value
/// is Σ_c log P(g_c(x) ≤ 0), the log probability of feasibility. Maximised.  @see docs/acquisition.md#constrained
template <class A = log_ei>
struct constrained {
    static_assert(PointwiseAcquisition<A>,
                  "l2s::acquisition::constrained<A>: A must model l2s::PointwiseAcquisition (see docs/acquisition.md#pointwiseacquisition)");
    A objective{};  ///< the acquisition of the objective (its log form is used)

    /// The log-form value from one objective prediction and one prediction per constraint.
    [[nodiscard]] double log_value(const prediction& p, std::span<const prediction> constraint_predictions,
                                   const context& c) const {
        double v = c.has_incumbent() ? acquisition::log_value(objective, p, c) : 0.0;
        for (const auto& g : constraint_predictions) v += log_probability_feasible(g);
        return v;
    }

    /// Scores every column of X with the objective model and the constraint models (all models take d-dim inputs).
    template <class M, class C>
    [[nodiscard]] vec operator()(const M& model, std::span<const C> constraint_models, const mat& X, const context& c) const {
        const batch_prediction p = model.predict(X);
        std::vector<batch_prediction> g;
        g.reserve(constraint_models.size());
        for (const auto& cm : constraint_models) g.push_back(cm.predict(X));
        vec s(X.cols());
        std::vector<prediction> gi(g.size());
        for (Eigen::Index i = 0; i < X.cols(); ++i) {
            for (std::size_t k = 0; k < g.size(); ++k) gi[k] = g[k].at(i);
            s(i) = log_value(p.at(i), gi, c);
        }
        return s;
    }
};

}  // namespace l2s::acquisition
