// tests/online/test_island_models.cpp: per-island RLS power/time models on synthetic physics.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include <l2s/online/island_models.hpp>

using namespace l2s;
using online::island_models;

namespace {
const std::vector<std::vector<double>> freqs = {{0.5e9, 1.0e9, 1.5e9, 2.0e9}, {0.4e9, 0.8e9, 1.2e9}};
const std::vector<std::vector<double>> volts = {{0.9, 1.0, 1.1, 1.2}, {0.85, 0.95, 1.05}};

struct truth {
    double ceff = 0.4e-9, ccl = 0.1e-9, leak = 2e-4, stat = 0.05;  // power weights
    double cpi = 1.2, lat_s = 20e-9;                              // time per instruction = cpi/f + m·lat
    double power(double n, double v, double f, double t_c) const {
        const double t = t_c + 273.15;
        return ceff * n * v * v * f + ccl * v * v * f + leak * v * t * t * std::exp(-2660.0 / t) + stat;
    }
    double tpi(double f, double m) const { return cpi / f + m * lat_s; }
};

sim::observation random_obs(rng_type& rng, std::size_t K) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    sim::observation o;
    o.resize(K);
    for (std::size_t k = 0; k < K; ++k) {
        o.active_cores[k] = 1 + static_cast<std::uint32_t>(u(rng) * 4);
        o.temp_c[k] = 40.0 + 40.0 * u(rng);
        o.mem_per_instr[k] = 0.05 * u(rng);
        o.level[k] = 0;
        o.freq_hz[k] = freqs[k][0];
        o.ipc[k] = 1.0;
        o.busy_time_s[k] = 0.01;
    }
    return o;
}
}  // namespace

TEST_CASE("island_models: learns known power and time laws online") {
    rng_type rng(11);
    island_models m(freqs, volts, {.power_rls = {.forgetting = 1.0}, .time_rls = {.forgetting = 1.0}});
    static_assert(PowerPerformanceModel<island_models>);
    const truth tr;
    sim::observation before = random_obs(rng, 2);
    for (int t = 0; t < 300; ++t) {
        sim::action a(2);
        for (std::size_t k = 0; k < 2; ++k) a[k] = static_cast<level_t>(rng() % freqs[k].size());
        sim::observation after = random_obs(rng, 2);
        for (std::size_t k = 0; k < 2; ++k) {
            const double f = freqs[k][a[k]], v = volts[k][a[k]];
            after.power_w[k] = tr.power(before.active_cores[k], v, f, before.temp_c[k]);
            after.freq_hz[k] = f;
            after.ipc[k] = 1.0 / (tr.tpi(f, before.mem_per_instr[k]) * f);
        }
        m.update(before, a, after);
        before = after;
    }
    for (std::size_t k = 0; k < 2; ++k)
        for (level_t l = 0; l < freqs[k].size(); ++l) {
            const auto e = m.estimate(before, k, l);
            const double f = freqs[k][l], v = volts[k][l];
            CHECK(e.power_w == doctest::Approx(tr.power(before.active_cores[k], v, f, before.temp_c[k])).epsilon(1e-3));
            const double w = island_models::work(before, k);
            CHECK(e.time_s == doctest::Approx(tr.tpi(f, before.mem_per_instr[k]) * w).epsilon(1e-3));
        }
}

TEST_CASE("island_models: bad configuration and input → typed errors, state unchanged") {
    CHECK_THROWS_AS(island_models({}, {}), invalid_config);
    CHECK_THROWS_AS(island_models(freqs, {{0.9, 1.0, 1.1, 1.2}}), dimension_mismatch);
    CHECK_THROWS_AS(island_models({{-1.0}}, {{1.0}}), invalid_config);
    CHECK_THROWS_AS(island_models(freqs, volts, {.leakage_c2_k = 1.0}), invalid_config);
    CHECK_THROWS_AS(island_models(freqs, volts, {.power_prior = {1.0}}), dimension_mismatch);
    island_models m(freqs, volts);
    rng_type rng(3);
    const sim::observation before = random_obs(rng, 2);
    sim::observation after = random_obs(rng, 2);
    after.power_w = {1.0, 2.0};
    const vec w0 = m.power_model(0).weights();
    sim::observation bad = after;
    bad.power_w[1] = std::nan("");
    CHECK_THROWS_AS(m.update(before, sim::action{0, 0}, bad), non_finite_observation);
    CHECK_THROWS_AS(m.update(before, sim::action{0, 7}, after), invalid_argument);
    CHECK_THROWS_AS(m.update(before, sim::action{0}, after), dimension_mismatch);
    CHECK(m.power_model(0).weights() == w0);
    CHECK(m.power_model(0).num_updates() == 0);
    m.update(before, sim::action{0, 0}, after);
    CHECK(m.power_model(0).num_updates() == 1);
    m.reset();
    CHECK(m.power_model(0).num_updates() == 0);
}

TEST_CASE("island_models::for_platform: the chip's V/F tables, as given explicitly") {
    const auto chip = sim::builtin_platform("exynos5422");  // islands of 13 and 19 levels
    const auto levels = chip.levels_per_island();
    REQUIRE(levels.size() == chip.num_islands());
    online::island_models_config cfg;
    cfg.power_prior = {0.3, 0.2, 1e-4, 0.05};  // non-zero, so the power estimates depend on the tables
    const auto m = online::island_models::for_platform(chip, cfg);
    REQUIRE(m.num_islands() == chip.num_islands());
    std::vector<std::vector<double>> f(chip.num_islands()), v(chip.num_islands());
    for (std::size_t k = 0; k < chip.num_islands(); ++k) {
        CHECK(levels[k] == chip.islands[k].opps.size());
        CHECK(m.num_levels(k) == levels[k]);
        for (const auto& op : chip.islands[k].opps) {
            f[k].push_back(op.freq_hz);
            v[k].push_back(op.volt_v);
        }
    }
    const online::island_models explicit_tables(f, v, cfg);
    sim::observation o;
    o.resize(chip.num_islands());
    for (std::size_t k = 0; k < chip.num_islands(); ++k) {
        o.active_cores[k] = 4;
        o.temp_c[k] = 50.0;
        o.ipc[k] = 1.0;
        o.freq_hz[k] = f[k].back();
        o.busy_time_s[k] = 0.01;
        for (level_t l = 0; l < levels[k]; ++l) {
            CHECK(m.estimate(o, k, l).power_w > 0.0);
            CHECK(m.estimate(o, k, l).power_w == explicit_tables.estimate(o, k, l).power_w);
            CHECK(m.estimate(o, k, l).time_s == explicit_tables.estimate(o, k, l).time_s);
        }
    }
}
