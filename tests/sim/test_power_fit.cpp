// tests/sim/test_power_fit.cpp: power-model fitting against an exact synthetic model and the ARMPM reference fit.
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <l2s/sim/power_fit.hpp>

#include "../support/data.hpp"

using l2s::sim::fit_power_model;
using l2s::sim::power_sample;

TEST_CASE("power_fit: recovers the coefficients of noise-free data exactly") {
    std::vector<power_sample> rows;
    const double c_core = 310e-12, c_cl = 150e-12, p0 = 0.12;
    for (double f : {0.6e9, 1.0e9, 1.4e9, 1.8e9})
        for (double n : {1.0, 2.0, 4.0}) {
            const double v = 0.8 + 0.2 * f / 1e9;
            rows.push_back({v, f, n, (c_core * n + c_cl) * v * v * f + p0});
        }
    const auto r = fit_power_model(rows, {.cluster_term = true});
    CHECK(r.c_core_f == doctest::Approx(c_core).epsilon(1e-9));
    CHECK(r.c_cluster_f == doctest::Approx(c_cl).epsilon(1e-9));
    CHECK(r.static_w == doctest::Approx(p0).epsilon(1e-9));
    CHECK(r.rmse_w < 1e-12);
    CHECK(r.predict_w(1.0, 1e9, 2.0) == doctest::Approx((2 * c_core + c_cl) * 1e9 + p0));
    const auto r1 = fit_power_model(rows, {.cluster_term = false, .intercept = false});
    CHECK(r1.static_w == 0.0);
    CHECK(r1.c_cluster_f == 0.0);
    CHECK(r1.rmse_w > 0.0);
}

TEST_CASE("power_fit: bad input throws invalid_argument") {
    std::vector<power_sample> one{{1.0, 1e9, 1, 1.0}};
    CHECK_THROWS_AS((void)fit_power_model(one), l2s::invalid_argument);
    std::vector<power_sample> same{{1.0, 1e9, 1, 1.0}, {1.0, 1e9, 1, 1.1}, {1.0, 1e9, 1, 1.2}};
    CHECK_THROWS_WITH_AS((void)fit_power_model(same), doctest::Contains("l2s::sim::fit_power_model: rank-deficient"), l2s::invalid_argument);
    std::vector<power_sample> bad{{1.0, 1e9, 1, 1.0}, {1.0, NAN, 1, 1.0}};
    CHECK_THROWS_AS((void)fit_power_model(bad), l2s::invalid_argument);
    std::vector<power_sample> neg{{1.0, 1e9, 1, 1.0}, {-1.0, 2e9, 1, 1.0}};
    CHECK_THROWS_AS((void)fit_power_model(neg), l2s::invalid_argument);
}

TEST_CASE("power_fit: recovers the reference fit of targets.json on its points") {
    const auto dir = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    if (!dir) return;
    std::ifstream in(*dir / "targets.json");
    REQUIRE(in.good());
    const auto t = nlohmann::json::parse(in);
    const auto& fits = t.at("power_fit");
    const auto& tables = t.at("voltage_tables_v");
    int checked = 0;
    for (auto it = fits.begin(); it != fits.end(); ++it) {
        const std::string table = it.key();
        CAPTURE(table);
        std::vector<power_sample> rows;
        for (const auto& p : t.at("points")) {
            const auto mhz = p.at("freq_mhz").get<int>();
            const auto& vt = tables.at(table);
            const double v = vt.is_object() ? vt.at(std::to_string(mhz)).get<double>() : p.at("rail_voltage_v_mean").get<double>();
            rows.push_back({v, mhz * 1e6, p.at("cores").get<double>(), p.at("power_w").get<double>()});
        }
        const auto& ref = it.value();
        REQUIRE(rows.size() == ref.at("n_points").get<std::size_t>());
        const auto r = fit_power_model(rows);
        // 1 µW/MHz/V² = 1 pF; the reference is printed to 5 significant digits.
        CHECK(r.c_core_f * 1e12 == doctest::Approx(ref.at("C_uW_per_MHz_V2").get<double>()).epsilon(2e-4));
        CHECK(r.static_w == doctest::Approx(ref.at("P0_w").get<double>()).epsilon(2e-4));
        CHECK(r.rmse_w == doctest::Approx(ref.at("rmse_w").get<double>()).epsilon(2e-4));
        CHECK(r.max_abs_err_w == doctest::Approx(ref.at("max_abs_err_w").get<double>()).epsilon(2e-4));
        if (ref.contains("two_term")) {
            const auto& tt = ref.at("two_term");
            const auto r2 = fit_power_model(rows, {.cluster_term = true});
            CHECK(r2.c_core_f * 1e12 == doctest::Approx(tt.at("C_core_uW_per_MHz_V2").get<double>()).epsilon(2e-4));
            CHECK(r2.c_cluster_f * 1e12 == doctest::Approx(tt.at("C_cluster_uW_per_MHz_V2").get<double>()).epsilon(2e-4));
            CHECK(r2.static_w == doctest::Approx(tt.at("P0_w").get<double>()).epsilon(1e-3).scale(0.01));
            CHECK(r2.rmse_w == doctest::Approx(tt.at("rmse_w").get<double>()).epsilon(2e-4));
        }
        ++checked;
    }
    CHECK(checked > 0);
    MESSAGE(checked << " reference power fits recovered");
}
