// SPDX-License-Identifier: MIT
// l2s/sim/power_fit.hpp: least-squares fit of the island power model to measured (V, f, cores, power) rows.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>

#include <Eigen/Dense>

#include <l2s/core/error.hpp>

namespace l2s::sim {

/// One measured operating point of an island.
struct power_sample {
    double volt_v = 0.0;        ///< rail voltage
    double freq_hz = 0.0;       ///< clock frequency
    double active_cores = 1.0;  ///< cores running (may be fractional: a mean over a run)
    double power_w = 0.0;       ///< measured island power
};

/// Which terms the fit has.
struct power_fit_config {
    bool cluster_term = false;  ///< add C_cluster·V²f (shared logic switching with any active core)
    bool intercept = true;      ///< add a constant P0 (static and uncore power at the measured temperatures)
};

/// Result: P = (C_core·n + C_cluster)·V²·f + P0, with fit diagnostics.
struct power_fit_result {
    double c_core_f = 0.0;     ///< per-core effective switched capacitance, F (1 pF = 1 µW/MHz/V²)
    double c_cluster_f = 0.0;  ///< cluster capacitance, F (0 unless cluster_term)
    double static_w = 0.0;     ///< P0, W (0 unless intercept)
    double rmse_w = 0.0;       ///< root mean square residual
    double max_abs_err_w = 0.0;
    std::size_t num_samples = 0;
    [[nodiscard]] double predict_w(double volt_v, double freq_hz, double active_cores) const noexcept {
        return (c_core_f * active_cores + c_cluster_f) * volt_v * volt_v * freq_hz + static_w;
    }
};

/// Ordinary least squares of P on the regressors n·V²f, [V²f], [1] (column-pivoted QR of the column-scaled
/// design, so the 1e9-scale V²f columns do not hurt conditioning). This is the calibration users run on
/// their own board: the dynamic-power law P = a·C·V²·f (Weste & Harris, CMOS VLSI Design §5) per core and
/// per cluster, with static power folded into P0.
/// Throws invalid_argument if there are fewer rows than terms, a value is non-finite or negative, or the
/// design is rank deficient (e.g. every row at one V²f).  @see docs/sim.md#power-fit
[[nodiscard]] inline power_fit_result fit_power_model(std::span<const power_sample> rows, const power_fit_config& c = {}) {
    const std::string who = "l2s::sim::fit_power_model: ";
    const Eigen::Index p = 1 + (c.cluster_term ? 1 : 0) + (c.intercept ? 1 : 0);
    const auto n = static_cast<Eigen::Index>(rows.size());
    if (n < p) throw invalid_argument(who + "need at least " + std::to_string(p) + " rows, got " + std::to_string(n));
    Eigen::MatrixXd A(n, p);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        if (!std::isfinite(r.volt_v) || !std::isfinite(r.freq_hz) || !std::isfinite(r.active_cores) || !std::isfinite(r.power_w))
            throw invalid_argument(who + "row " + std::to_string(i) + " is not finite");
        if (r.volt_v <= 0 || r.freq_hz <= 0 || r.active_cores < 0)
            throw invalid_argument(who + "row " + std::to_string(i) + " has a non-positive voltage or frequency or negative cores");
        const double v2f = r.volt_v * r.volt_v * r.freq_hz;
        Eigen::Index j = 0;
        A(i, j++) = r.active_cores * v2f;
        if (c.cluster_term) A(i, j++) = v2f;
        if (c.intercept) A(i, j++) = 1.0;
        y(i) = r.power_w;
    }
    const Eigen::VectorXd scale = A.colwise().norm().transpose().cwiseMax(1e-300);
    const Eigen::MatrixXd As = A * scale.cwiseInverse().asDiagonal();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(As);
    qr.setThreshold(1e-10);
    if (qr.rank() < p) throw invalid_argument(who + "rank-deficient design: the rows do not separate the model terms");
    const Eigen::VectorXd x = (qr.solve(y).array() / scale.array()).matrix();
    power_fit_result out;
    Eigen::Index j = 0;
    out.c_core_f = x(j++);
    if (c.cluster_term) out.c_cluster_f = x(j++);
    if (c.intercept) out.static_w = x(j++);
    const Eigen::VectorXd res = A * x - y;
    out.rmse_w = std::sqrt(res.squaredNorm() / static_cast<double>(n));
    out.max_abs_err_w = res.cwiseAbs().maxCoeff();
    out.num_samples = rows.size();
    return out;
}

}  // namespace l2s::sim
