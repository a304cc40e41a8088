// tests/sim/test_sensors.cpp: the observation model of platform::sensors against closed forms (window means,
// staleness, resolution), the ideal mode, the measured Odroid-XU3 resolution, and the platform-file keys.
#include <cmath>
#include <fstream>
#include <memory>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <l2s/io/armpm.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/simulator.hpp>

#include "../support/data.hpp"

using namespace l2s;

namespace {
/// One A15-like island, no leakage (power depends only on the level), a constant busy program.
sim::platform one_island(sim::sensor_spec sensors) {
    auto chip = sim::exynos5422();
    chip.islands.erase(chip.islands.begin());
    chip.islands[0].leakage.scale = 0.0;
    chip.sensors = sensors;
    return chip;
}
/// A compute phase on both islands of the Odroid-XU3, every core busy.
sim::workload busy_on_two(std::size_t T) {
    sim::workload w;
    w.name = "busy2";
    sim::phase p;
    p.intervals = T;
    w.islands = {{p}, {p}};
    return w;
}
sim::workload busy(std::size_t T) {
    sim::workload w;
    w.name = "busy";
    sim::phase p;
    p.intervals = T;
    w.islands = {{p}};
    return w;
}
}  // namespace

TEST_CASE("sensors: a rail reading is the last completed window's mean power, held until the next window ends") {
    // 10 ms intervals at fixed work; the window is 25 ms: readings change after intervals 3, 5, 8, ... (25, 50, 75 ms)
    sim::sim_config cfg;
    cfg.interval_s = 0.010;
    cfg.contention = false;
    const sim::simulator s(one_island({.power_window_s = 0.025}), busy(12), cfg);
    const auto top = static_cast<level_t>(s.num_levels(0) - 1), low = static_cast<level_t>(2);
    auto st = s.initial_state();
    const double p_start = st.sensor_power_w[0];  // the running chip's power before interval 0
    dvfs::observation o;
    o.resize(1);
    std::vector<double> true_p, time, reading;
    for (std::size_t t = 0; t < 12; ++t) {
        const level_t l = t < 4 ? top : low;  // the level drops after 4 intervals (40 ms)
        const auto r = s.step(st, &l, &o);
        true_p.push_back(r.energy_j / r.time_s);
        time.push_back(r.time_s);
        reading.push_back(o.power_w[0]);
    }
    // closed form: at the end of interval t (time τ), m = ⌊τ/W⌋ windows have completed; the reading is the
    // start power for m = 0, else (1/W)·∫ p over [(m − 1)W, mW) of the piecewise-constant interval powers
    const double W = 0.025;
    std::vector<double> start(12, 0.0);
    for (std::size_t t = 1; t < 12; ++t) start[t] = start[t - 1] + time[t - 1];
    auto integral = [&](double a, double b) {
        double e = 0.0;
        for (std::size_t t = 0; t < 12; ++t) e += true_p[t] * std::max(0.0, std::min(b, start[t] + time[t]) - std::max(a, start[t]));
        return e;
    };
    std::size_t multi = 0;
    for (std::size_t t = 0; t < 12; ++t) {
        const double tau = start[t] + time[t];
        const auto m = static_cast<std::size_t>(std::floor(tau / W + 1e-12));
        const double expected = m == 0 ? p_start : integral(static_cast<double>(m - 1) * W, static_cast<double>(m) * W) / W;
        CAPTURE(t);
        CHECK(reading[t] == doctest::Approx(expected).epsilon(1e-9));
        if (time[t] > W) ++multi;
    }
    CHECK(multi > 0);  // the low level's intervals span whole windows: their own power is read
    // the drop to the low level shows in the readings only after a window ends past it
    CHECK(reading.back() < 0.5 * reading.front());
    // chip power is the sum of the rails (one island here)
    CHECK(o.chip_power_w == doctest::Approx(o.power_w[0]));
}

TEST_CASE("sensors: an interval longer than the window reports its own power; resolutions truncate power and round temperature") {
    sim::sim_config cfg;
    cfg.interval_s = 0.5;
    const sim::simulator s(one_island({.power_window_s = 0.1, .power_resolution_w = 0.01, .temp_resolution_c = 1.0}), busy(3), cfg);
    auto exact_cfg = cfg;
    exact_cfg.ideal_sensors = true;
    const sim::simulator x(one_island({.power_window_s = 0.1, .power_resolution_w = 0.01, .temp_resolution_c = 1.0}), busy(3),
                           exact_cfg);
    auto st = s.initial_state();
    auto sx = x.initial_state();
    dvfs::observation o, ox;
    o.resize(1);
    ox.resize(1);
    const auto l = static_cast<level_t>(5);
    for (int t = 0; t < 3; ++t) {
        const auto r = s.step(st, &l, &o);
        (void)x.step(sx, &l, &ox);
        const double p = r.energy_j / r.time_s;
        CHECK(ox.power_w[0] == doctest::Approx(p).epsilon(1e-12));  // ideal: exact
        CHECK(ox.temp_c[0] == doctest::Approx(sx.temp_c[0]));
        CHECK(o.power_w[0] == doctest::Approx(std::floor(p / 0.01) * 0.01).epsilon(1e-12));
        CHECK(o.temp_c[0] == std::round(st.temp_c[0]));
        CHECK(o.max_temp_c == o.temp_c[0]);
    }
}

TEST_CASE("sensors: a window far shorter than the interval costs one update, not one per window") {
    sim::sim_config cfg;
    cfg.interval_s = 0.5;
    const sim::simulator s(one_island({.power_window_s = 1e-12}), busy(2), cfg);  // 5·10^11 windows per interval
    auto st = s.initial_state();
    dvfs::observation o;
    o.resize(1);
    const auto l = static_cast<level_t>(3);
    for (int t = 0; t < 2; ++t) {
        const auto r = s.step(st, &l, &o);
        CHECK(o.power_w[0] == doctest::Approx(r.energy_j / r.time_s).epsilon(1e-12));
        CHECK(st.sensor_elapsed_s < 1e-12);
    }
}

TEST_CASE("sensors: the Odroid-XU3 reports what its measured logs show, 1 mW power steps and whole degrees") {
    const auto chip = sim::odroid_xu3();
    CHECK(chip.sensors.power_window_s == doctest::Approx(0.263808));
    sim::sim_config cfg;
    cfg.interval_s = 0.01;
    auto s = std::make_shared<const sim::simulator>(chip, sim::parsec_workload("barnes", 2, {.intervals = 200}), cfg);
    sim::dvfs_env env(s);
    rng_type rng(1);
    dvfs::observation o = env.reset(rng);
    std::size_t changes = 0;
    double last = o.power_w[1];
    const std::vector<level_t> lv{12, 18};
    while (!env.done()) {
        (void)env.step(lv);
        o = env.observe();
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK(std::abs(o.power_w[k] * 1000.0 - std::round(o.power_w[k] * 1000.0)) < 1e-6);
            CHECK(o.temp_c[k] == std::round(o.temp_c[k]));
        }
        if (o.power_w[1] != last) ++changes, last = o.power_w[1];
    }
    // 2 s of 10 ms intervals: the reading changes at most once per 263.8 ms window (7 windows end in 2 s)
    CHECK(changes <= 7);
    CHECK(changes >= 5);
}

TEST_CASE("sensors: platform files take an optional sensors object, strictly") {
    const auto dir = test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!dir) return;
    std::ifstream in(*dir / "rk3399.json");
    auto j = nlohmann::json::parse(in);
    j.erase("digest");
    const auto plain = io::platform_from_json(j);
    CHECK(plain.sensors.ideal());
    j["sensors"] = {{"power_window_s", 0.25}, {"power_resolution_w", 0.001}, {"temp_resolution_c", 1}, {"sources", "test"}};
    const auto p = io::platform_from_json(j);
    CHECK(p.sensors.power_window_s == 0.25);
    CHECK(p.sensors.power_resolution_w == 0.001);
    CHECK(p.sensors.temp_resolution_c == 1.0);
    CHECK(p.sensors.counter_noise == 0.0);
    j["sensors"]["counter_noise"] = 0.0035;
    CHECK(io::platform_from_json(j).sensors.counter_noise == 0.0035);
    j["sensors"]["counter_noise"] = 0.7;
    CHECK_THROWS_WITH_AS((void)io::platform_from_json(j), doctest::Contains("sensors.counter_noise must be in [0, 0.5)"),
                         invalid_config);
    j["sensors"]["counter_noise"] = 0.0;
    j["sensors"]["colour"] = 1;
    CHECK_THROWS_WITH_AS((void)io::platform_from_json(j), doctest::Contains("sensors.colour: unknown field"), invalid_config);
    j["sensors"].erase("colour");
    j["sensors"]["power_window_s"] = -1;
    CHECK_THROWS_WITH_AS((void)io::platform_from_json(j), doctest::Contains("sensors.power_window_s"), invalid_config);
    j["sensors"]["power_window_s"] = "slow";
    CHECK_THROWS_WITH_AS((void)io::platform_from_json(j), doctest::Contains("sensors.power_window_s"), invalid_config);
}

TEST_CASE("sensors: the Odroid-XU3's counter noise is the spread of its logged cycle counts") {
    // The board's value (sim::odroid_xu3) is the relative standard deviation of CPU_CYCLES per 0.5 s perf
    // interval over the 1-core rows whose core was saturated (above 90 % of f × 0.5 s).
    const auto dir = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    if (!dir) return;
    const auto t = io::read_armpm_file(*dir / "xu3_cset_perfcpu_PARSEC_eMMC_1core_big.data");
    const auto& cycles = t.column("CPU_CYCLES");
    const auto& mhz = t.column("Frequency(MHz)", true);
    std::vector<double> x;
    for (std::size_t i = 0; i < t.num_rows(); ++i)
        if (const double r = cycles[i] / (mhz[i] * 1e6 * 0.5); r > 0.9) x.push_back(r);
    double mean = 0.0, var = 0.0;
    for (double v : x) mean += v / static_cast<double>(x.size());
    for (double v : x) var += (v - mean) * (v - mean) / static_cast<double>(x.size());
    const double rel = std::sqrt(var) / mean;
    MESSAGE("saturated 1-core rows: " << x.size() << ", relative spread of cycles per interval " << rel);
    CHECK(x.size() > 4000);
    CHECK(sim::odroid_xu3().sensors.counter_noise == doctest::Approx(rel).epsilon(0.02));
    // the environment draws it into the utilisation readings; the exact mode and the evaluator's
    // observations stay noise-free
    sim::sim_config cfg;
    cfg.interval_s = 0.01;
    auto s = std::make_shared<const sim::simulator>(sim::odroid_xu3(), busy_on_two(400), cfg);
    sim::dvfs_env env(s);
    rng_type rng(5);
    (void)env.reset(rng);
    const std::vector<level_t> slow_little{0, 18};  // the A15 waits for the A7: its utilisation is below 1
    double n = 0.0, sum = 0.0, sum2 = 0.0;
    while (!env.done()) {
        (void)env.step(slow_little);
        const double u = env.observe().utilisation[1];
        n += 1.0, sum += u, sum2 += u * u;
    }
    const double mean_u = sum / n, rel_sd = std::sqrt(sum2 / n - mean_u * mean_u) / mean_u;
    CHECK(mean_u < 0.9);
    CHECK(rel_sd == doctest::Approx(0.0035).epsilon(0.15));  // 400 draws: the spread's own error is about 4 %
    cfg.ideal_sensors = true;
    sim::dvfs_env exact(std::make_shared<const sim::simulator>(sim::odroid_xu3(), busy_on_two(10), cfg));
    (void)exact.reset(rng);
    for (int i = 0; i < 3; ++i) {
        (void)exact.step(slow_little);
        const auto& o = exact.observe();
        CHECK(o.utilisation[1] == o.busy_time_s[1] / o.interval_time_s);
    }
}
