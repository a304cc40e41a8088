// tests/sim/test_thermal_fit.cpp: the Foster thermal fit against traces integrated from a known continuous
// network, a persistence closed form, bad input, the simulator's island/package mapping, and the held-out
// error on the measured ARMPM temperature traces (docs/calibration.md#thermal).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <l2s/io/armpm.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/simulator.hpp>
#include <l2s/sim/thermal_fit.hpp>

#include "../support/data.hpp"

using l2s::sim::thermal_trace;

namespace {
/// A trace of a 2-term network integrated by RK4 at 1 ms (independent of the fit's exact discretisation):
/// the fast term starts at its steady state over the slow one, power steps every sample.
thermal_trace integrate(double r1, double tau1, double r2, double tau2, double ambient, double slow0, std::size_t group,
                        std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0.3, 3.0), jitter(0.505, 0.512);
    thermal_trace tr;
    tr.group = group;
    double t = 0.0, th1 = 0.0, th2 = slow0;
    double p = u(rng);
    th1 = r1 * p;
    for (int s = 0; s < 60; ++s) {
        tr.time_s.push_back(t);
        tr.temp_c.push_back(ambient + th1 + th2);
        if (s % 7 == 0 && s > 0) p = u(rng);
        tr.power_w.push_back(p);
        const double dt = jitter(rng);
        const int steps = static_cast<int>(std::round(dt / 1e-3));
        const double h = dt / steps;
        auto f = [&](double x, double r, double tau) { return (r * p - x) / tau; };
        for (int k = 0; k < steps; ++k) {
            for (auto [x, r, tau] : {std::tuple<double*, double, double>{&th1, r1, tau1}, {&th2, r2, tau2}}) {
                const double k1 = f(*x, r, tau), k2 = f(*x + 0.5 * h * k1, r, tau), k3 = f(*x + 0.5 * h * k2, r, tau),
                             k4 = f(*x + h * k3, r, tau);
                *x += h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
            }
        }
        t += dt;
    }
    // the fit's convention: power_w[i] holds over [t_i, t_{i+1}); the first power sets the fast term's start
    return tr;
}
}  // namespace

TEST_CASE("thermal_fit: recovers a two-term network and per-group ambients from integrated traces") {
    std::mt19937_64 rng(7);
    std::vector<thermal_trace> traces;
    for (int i = 0; i < 6; ++i) traces.push_back(integrate(1.2, 0.7, 5.8, 17.0, i % 2 ? 31.0 : 28.0, 4.0 + i, i % 2, rng));
    const auto fit = l2s::sim::fit_thermal_model(traces);
    REQUIRE(fit.tau_s.size() == 2);
    CHECK(fit.r_k_per_w[0] == doctest::Approx(1.2).epsilon(1e-4));
    CHECK(fit.tau_s[0] == doctest::Approx(0.7).epsilon(1e-4));
    CHECK(fit.r_k_per_w[1] == doctest::Approx(5.8).epsilon(1e-4));
    CHECK(fit.tau_s[1] == doctest::Approx(17.0).epsilon(1e-4));
    CHECK(fit.ambient_c[0] == doctest::Approx(28.0).epsilon(1e-5));
    CHECK(fit.ambient_c[1] == doctest::Approx(31.0).epsilon(1e-5));
    CHECK(fit.fit.rmse_c < 1e-5);
    // the ladder of the same impedance, by hand for R = (1.2, 5.8) K/W, τ = (0.7, 17) s
    const auto l = fit.ladder();
    CHECK(l.island_c_j_per_k == doctest::Approx(0.7 * 17.0 / 24.46).epsilon(1e-3));
    CHECK(l.island_r_k_per_w + l.package_r_k_per_w == doctest::Approx(7.0).epsilon(1e-4));
    CHECK(l.island_r_k_per_w * l.package_r_k_per_w * l.package_c_j_per_k == doctest::Approx(24.46).epsilon(1e-3));
    // one term cannot follow two: a worse but finite fit
    const auto one = l2s::sim::fit_thermal_model(traces, {.terms = 1});
    CHECK(one.fit.rmse_c > 100 * fit.fit.rmse_c);
}

TEST_CASE("thermal_fit: the persistence reference is the RMS of each reading's change from the first") {
    thermal_trace a{{0.0, 1.0, 2.0}, {1.0, 1.0, 1.0}, {40.0, 42.0, 39.0}, 0};
    thermal_trace b{{0.0, 0.5}, {2.0, 2.0}, {50.0, 54.0}, 3};
    const std::vector<thermal_trace> v{a, b};
    const auto e = l2s::sim::persistence_errors(v);
    CHECK(e.num_samples == 3);
    CHECK(e.rmse_c == doctest::Approx(std::sqrt((4.0 + 1.0 + 16.0) / 3.0)));
    CHECK(e.max_abs_err_c == doctest::Approx(4.0));
    CHECK(e.bias_c == doctest::Approx((-2.0 + 1.0 - 4.0) / 3.0));
}

TEST_CASE("thermal_fit: malformed traces and configs throw invalid_argument naming the function") {
    using l2s::sim::fit_thermal_model;
    auto fails = [](const std::vector<thermal_trace>& v, l2s::sim::thermal_fit_config c, const char* what) {
        try {
            (void)fit_thermal_model(v, c);
            FAIL("no error for " << what);
        } catch (const l2s::invalid_argument& e) {
            const std::string m = e.what();
            CHECK_MESSAGE(m.rfind("l2s::sim::fit_thermal_model", 0) == 0, m);
            CHECK_MESSAGE(m.find(what) != std::string::npos, m);
        }
    };
    const thermal_trace ok{{0.0, 1.0, 2.0}, {1.0, 1.0, 1.0}, {40.0, 41.0, 41.5}, 0};
    fails({}, {}, "no traces");
    fails({thermal_trace{{0.0}, {1.0}, {40.0}, 0}}, {}, "fewer than 2 samples");
    fails({thermal_trace{{0.0, 1.0}, {1.0}, {40.0, 41.0}, 0}}, {}, "same length");
    fails({thermal_trace{{0.0, 0.0}, {1.0, 1.0}, {40.0, 41.0}, 0}}, {}, "strictly increasing");
    fails({thermal_trace{{0.0, 1.0}, {-1.0, 1.0}, {40.0, 41.0}, 0}}, {}, "negative");
    fails({thermal_trace{{0.0, 1.0}, {1.0, NAN}, {40.0, 41.0}, 0}}, {}, "not finite");
    fails({thermal_trace{ok.time_s, ok.power_w, ok.temp_c, 1}}, {}, "group 0 has no trace");
    fails({ok}, {.terms = 0}, "terms");
    fails({ok}, {.min_tau_s = 2.0, .max_tau_s = 1.0}, "min_tau_s");
    fails({ok}, {.grid = 1}, "grid");
    const auto fit = l2s::sim::fit_thermal_model(std::vector<thermal_trace>{ok}, {.terms = 1});
    const std::vector<thermal_trace> other{thermal_trace{ok.time_s, ok.power_w, ok.temp_c, 5}};
    CHECK_THROWS_AS((void)fit.errors(other), l2s::invalid_argument);
    CHECK(fit.errors(other, 30.0).num_samples == 2);
}

TEST_CASE("thermal_fit: the simulator with the network's ladder has the network's step response") {
    // a one-island chip at constant power (no leakage): its step response against Σ R_i (1 − e^{−t/τ_i})·P
    l2s::sim::thermal_model_fit net;
    net.r_k_per_w = {1.2, 5.8};
    net.tau_s = {0.7, 17.0};
    net.ambient_c = {30.0};
    auto chip = l2s::sim::exynos5422();
    chip.islands.erase(chip.islands.begin());
    auto& is = chip.islands[0];
    is.leakage.scale = 0.0;
    const auto l = net.ladder();
    is.r_th_k_per_w = l.island_r_k_per_w;
    is.c_th_j_per_k = l.island_c_j_per_k;
    chip.thermal.package_r_k_per_w = l.package_r_k_per_w;
    chip.thermal.package_c_j_per_k = l.package_c_j_per_k;
    chip.thermal.ambient_c = 30.0;
    l2s::sim::workload w;
    w.name = "constant";
    l2s::sim::phase ph;
    ph.intervals = 120000;
    w.islands = {{ph}};
    l2s::sim::sim_config cfg;
    cfg.initial_package_c = 30.0;
    cfg.contention = false;
    const l2s::sim::simulator sim(chip, w, cfg);
    auto s = sim.initial_state();
    const std::vector<l2s::level_t> lv{static_cast<l2s::level_t>(sim.num_levels(0) - 1)};
    double t = 0.0, worst = 0.0, p = 0.0;
    for (std::size_t i = 0; i < sim.num_intervals(); ++i) {
        const auto r = sim.step(s, lv.data());
        t += r.time_s;
        p = s.power_w[0];
        const double foster = 30.0 + p * (1.2 * (1 - std::exp(-t / 0.7)) + 5.8 * (1 - std::exp(-t / 17.0)));
        worst = std::max(worst, std::abs(s.temp_c[0] - foster));
    }
    const double rise = p * 7.0;
    MESSAGE("step response: worst |ladder − network| " << worst << " °C of a " << rise << " °C rise over " << t << " s");
    CHECK(worst <= 0.002 * rise);  // the simulator's 1 ms splitting (island exact, package explicit)
    CHECK(s.temp_c[0] == doctest::Approx(30.0 + p * 7.0).epsilon(1e-3));  // steady state: 7 t_2 later
}

TEST_CASE("thermal_fit: fitted on the ARMPM training programs, it predicts the held-out programs' die temperature") {
    const auto dir = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    if (!dir) return;
    // the measurement's own train/test split; one ambient per session (the el1/el2 files: the merged files
    // average two sessions)
    const auto split = l2s::io::read_armpm_split(*dir / "PARSEC_split.data");
    std::vector<l2s::io::armpm_table> sessions;
    for (auto& t : l2s::io::read_armpm_folder(*dir))
        if (t.source.find("_el") != std::string::npos) sessions.push_back(std::move(t));
    std::vector<thermal_trace> fit_on, held_out;
    for (auto& x : l2s::io::armpm_thermal_traces(sessions))
        (split.is_train(x.benchmark) ? fit_on : held_out).push_back(std::move(x.trace));
    REQUIRE(!fit_on.empty());
    REQUIRE(!held_out.empty());
    const auto fit = l2s::sim::fit_thermal_model(fit_on);
    const auto test = fit.errors(held_out);
    const auto flat = l2s::sim::persistence_errors(held_out);
    MESSAGE("Foster fit on " << fit_on.size() << " executions: R " << fit.r_k_per_w[0] << ", " << fit.r_k_per_w[1]
                             << " K/W, tau " << fit.tau_s[0] << ", " << fit.tau_s[1] << " s; training RMSE "
                             << fit.fit.rmse_c << " °C");
    MESSAGE("held out (" << held_out.size() << " executions, " << test.num_samples << " readings): RMSE " << test.rmse_c
                         << " °C, max |error| " << test.max_abs_err_c << " °C, bias " << test.bias_c
                         << " °C; persistence RMSE " << flat.rmse_c << " °C, max " << flat.max_abs_err_c << " °C");
    CHECK(test.rmse_c < 1.0);
    CHECK(test.rmse_c < 0.5 * flat.rmse_c);
    CHECK(test.max_abs_err_c < 4.5);
    CHECK(std::abs(test.bias_c) < 0.3);
    // the fitted network is physical: a fast die term under a slow board term
    CHECK(fit.tau_s[0] < 5.0);
    CHECK(fit.tau_s[1] > 5.0);
    const auto l = fit.ladder();
    MESSAGE("as the simulator's ladder: island r " << l.island_r_k_per_w << " K/W, c " << l.island_c_j_per_k
                                                    << " J/K; package R " << l.package_r_k_per_w << " K/W, C "
                                                    << l.package_c_j_per_k << " J/K; ambients (°C):");
    for (double a : fit.ambient_c) MESSAGE(a);
    // the built-in board carries these numbers (its sources say so): guard them
    const auto xu3 = l2s::sim::odroid_xu3();
    CHECK(xu3.islands[1].r_th_k_per_w == doctest::Approx(l.island_r_k_per_w).epsilon(2e-3));
    CHECK(xu3.islands[1].c_th_j_per_k == doctest::Approx(l.island_c_j_per_k).epsilon(2e-3));
    CHECK(xu3.thermal.package_r_k_per_w == doctest::Approx(l.package_r_k_per_w).epsilon(2e-3));
    CHECK(xu3.thermal.package_c_j_per_k == doctest::Approx(l.package_c_j_per_k).epsilon(2e-3));
    const double mean_ambient =
        std::accumulate(fit.ambient_c.begin(), fit.ambient_c.end(), 0.0) / static_cast<double>(fit.ambient_c.size());
    CHECK(xu3.thermal.ambient_c == doctest::Approx(mean_ambient).epsilon(1e-3));
}
