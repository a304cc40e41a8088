// tests/sim/test_validation.cpp: the simulator's power and performance equations (DESIGN §e), with the
// shipped Exynos 5422 A15 parameters and the asv_board_b voltages, against the measured ARMPM energy and
// EDP ratios relative to the highest measured frequency.
//
// This checks the model equations and parameters the simulator uses, evaluated independently here:
//   P(f) = (n·u·C_core + C_cluster)·V²·f + V·(c1·T²·e^{c2/T} + I_gate),   T(f) = T_ref·((1 − β)·f_ref/f + β)
// with n cores, u the measured utilisation, β the measured frequency-insensitive share and T the measured
// mean die temperature of each point. Everything is read from the two JSON files, so another board's
// platform file and ARMPM targets work unchanged.
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "../support/data.hpp"

namespace {
using nlohmann::json;
json load(const std::filesystem::path& p) {
    std::ifstream in(p);
    REQUIRE_MESSAGE(in.good(), "cannot open " << p.string());
    return json::parse(in);
}
}  // namespace

TEST_CASE("validation: model equations reproduce the measured energy and EDP ratios within 10 %") {
    const auto armpm = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    const auto platforms = l2s::test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!armpm || !platforms) return;
    const json targets = load(*armpm / "targets.json");
    const json plat = load(*platforms / "exynos5422.json");
    // The A15 ("big") island and its asv_board_b table.
    const json* island = nullptr;
    for (const auto& isl : plat.at("islands"))
        if (isl.at("core_type").get<std::string>() == "cortex-a15") island = &isl;
    REQUIRE(island != nullptr);
    const auto& pm = island->at("power_model");
    const double c_core = pm.at("c_core_uw_per_mhz_v2").at("value").get<double>() * 1e-12;
    const double c_cluster = pm.at("c_cluster_rel_to_core").at("value").get<double>() * c_core;
    const auto& lk = pm.at("leakage");
    const double c1 = lk.at("c1_a_per_k2").get<double>(), c2 = lk.at("c2_k").get<double>(), ig = lk.at("i_gate_a").get<double>();
    std::map<int, double> volt_v;
    for (const auto& o : island->at("opp_tables").at("asv_board_b").at("opps"))
        volt_v[o.at("freq_mhz").get<int>()] = o.at("voltage_mv").get<double>() * 1e-3;

    std::map<std::tuple<std::string, int>, double> beta;
    for (const auto& b : targets.at("beta_mem"))
        beta[{b.at("benchmark").get<std::string>(), b.at("cores").get<int>()}] = std::max(0.0, b.at("beta_mem").get<double>());
    std::map<std::tuple<std::string, int, int>, json> pts;
    for (const auto& p : targets.at("points"))
        pts[{p.at("benchmark").get<std::string>(), p.at("cores").get<int>(), p.at("freq_mhz").get<int>()}] = p;
    const int f_ref = targets.at("reference_freq_mhz").get<int>();

    auto energy_time = [&](const json& p, double b) {
        const int mhz = p.at("freq_mhz").get<int>();
        REQUIRE(volt_v.count(mhz) == 1);
        const double v = volt_v.at(mhz), f = mhz * 1e6, tk = p.at("temp_c_mean").get<double>() + 273.15;
        const double n = p.at("cores").get<double>(), u = p.at("util").get<double>();
        const double power = (n * u * c_core + c_cluster) * v * v * f + v * (c1 * tk * tk * std::exp(c2 / tk) + ig);
        const double time = (1.0 - b) * f_ref / mhz + b;  // relative to the reference run time
        return std::pair{power * time, time};
    };
    int checked = 0;
    double worst_e = 0.0, worst_edp = 0.0;
    for (const auto& [key, p] : pts) {
        const auto& [bench, cores, mhz] = key;
        if (mhz == f_ref) continue;
        CAPTURE(bench);
        CAPTURE(cores);
        CAPTURE(mhz);
        const double b = beta.at({bench, cores});
        const auto [e, t] = energy_time(p, b);
        const auto [e_ref, t_ref] = energy_time(pts.at({bench, cores, f_ref}), b);
        const double de = (e / e_ref) / p.at("energy_rel").get<double>() - 1.0;
        const double dedp = (e * t) / (e_ref * t_ref) / p.at("edp_rel").get<double>() - 1.0;
        CHECK(std::abs(de) < 0.10);
        CHECK(std::abs(dedp) < 0.10);
        worst_e = std::max(worst_e, std::abs(de));
        worst_edp = std::max(worst_edp, std::abs(dedp));
        ++checked;
    }
    CHECK(checked > 0);
    MESSAGE(checked << " (benchmark, cores, frequency) points; worst |error| energy ratio " << worst_e << ", EDP ratio " << worst_edp);
}
