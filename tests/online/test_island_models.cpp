// tests/online/test_island_models.cpp: per-island RLS power/time models on synthetic physics.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>

#include <l2s/online/island_models.hpp>
#include <l2s/sim.hpp>
#include <l2s/sim/identification.hpp>

using namespace l2s;
using online::per_island_models;

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

dvfs::observation random_obs(rng_type& rng, std::size_t K) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    dvfs::observation o;
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

TEST_CASE("per_island_models: learns known power and time laws online") {
    rng_type rng(11);
    per_island_models m(freqs, volts, {.power_rls = {.forgetting = 1.0}, .time_rls = {.forgetting = 1.0}});
    static_assert(PowerPerformanceModel<per_island_models>);
    const truth tr;
    dvfs::observation before = random_obs(rng, 2);
    for (int t = 0; t < 300; ++t) {
        dvfs::action a(2);
        for (std::size_t k = 0; k < 2; ++k) a[k] = static_cast<level_t>(rng() % freqs[k].size());
        dvfs::observation after = random_obs(rng, 2);
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
            const double w = per_island_models::work(before, k);
            CHECK(e.time_s == doctest::Approx(tr.tpi(f, before.mem_per_instr[k]) * w).epsilon(1e-3));
        }
}

TEST_CASE("per_island_models: bad configuration and input → typed errors, state unchanged") {
    CHECK_THROWS_AS(per_island_models({}, {}), invalid_config);
    CHECK_THROWS_AS(per_island_models(freqs, {{0.9, 1.0, 1.1, 1.2}}), dimension_mismatch);
    CHECK_THROWS_AS(per_island_models({{-1.0}}, {{1.0}}), invalid_config);
    CHECK_THROWS_AS(per_island_models(freqs, volts, {.leakage_c2_k = 1.0}), invalid_config);
    CHECK_THROWS_AS(per_island_models(freqs, volts, {.power_prior = {1.0}}), dimension_mismatch);
    per_island_models m(freqs, volts);
    rng_type rng(3);
    const dvfs::observation before = random_obs(rng, 2);
    dvfs::observation after = random_obs(rng, 2);
    after.power_w = {1.0, 2.0};
    const vec w0 = m.power_model(0).weights();
    dvfs::observation bad = after;
    bad.power_w[1] = std::nan("");
    CHECK_THROWS_AS(m.update(before, dvfs::action{0, 0}, bad), non_finite_observation);
    CHECK_THROWS_AS(m.update(before, dvfs::action{0, 7}, after), invalid_argument);
    CHECK_THROWS_AS(m.update(before, dvfs::action{0}, after), dimension_mismatch);
    CHECK(m.power_model(0).weights() == w0);
    CHECK(m.power_model(0).num_updates() == 0);
    m.update(before, dvfs::action{0, 0}, after);
    CHECK(m.power_model(0).num_updates() == 1);
    m.reset();
    CHECK(m.power_model(0).num_updates() == 0);
}

TEST_CASE("per_island_models::for_platform: the chip's V/F tables, as given explicitly") {
    const auto chip = sim::builtin_platform("exynos5422");  // islands of 13 and 19 levels
    const auto levels = chip.levels_per_island();
    REQUIRE(levels.size() == chip.num_islands());
    online::island_models_config cfg;
    cfg.power_prior = {0.3, 0.2, 1e-4, 0.05};  // non-zero, so the power estimates depend on the tables
    const auto m = online::per_island_models::for_platform(chip, cfg);
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
    online::island_models_config with_switches = cfg;  // for_platform also takes the chip's switch costs
    for (const auto& is : chip.islands) {
        with_switches.transition_latency_s.push_back(is.transition_latency_s);
        with_switches.volt_slew_v_per_s.push_back(is.volt_slew_v_per_s);
    }
    const online::per_island_models explicit_tables(f, v, with_switches), no_switch_costs(f, v, cfg);
    dvfs::observation o;
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
            // o.level is 0: every other level is a switch, which costs time only with the chip's tables
            if (l > 0) CHECK(m.estimate(o, k, l).time_s > no_switch_costs.estimate(o, k, l).time_s);
        }
    }
}

namespace {
/// Two islands of four cores, four levels, one phase per island over the whole run and no memory contention:
/// the time-per-instruction law is then exactly the models' [1/f, memory accesses per instruction, 1] form.
std::shared_ptr<const sim::simulator> one_phase_sim(std::size_t T = 40) {
    const auto chip = sim::sniper_manycore(8, 4, 4);
    sim::workload w;
    w.name = "one_phase";
    w.islands = {{{.cpi_core = 1.3, .mem_per_instr = 0.004, .intervals = T}},
                 {{.cpi_core = 0.8, .mem_per_instr = 0.010, .intervals = T}}};
    return std::make_shared<const sim::simulator>(chip, w, sim::sim_config{.contention = false});
}
}  // namespace

TEST_CASE("per_island_models: a switch costs the transition stall and, upwards, the ramp at the old speed — as in the simulator") {
    const auto s = one_phase_sim();
    const auto& chip = s->chip();
    const std::size_t K = chip.num_islands();
    // exact time weights of each island (cycles per instruction, ns per memory access, 0); power is not checked
    std::vector<per_island_models> exact_of;
    for (std::size_t k = 0; k < K; ++k)
        exact_of.push_back(per_island_models::for_platform(
            chip, {.time_prior = {s->program().islands[k][0].cpi_core / chip.islands[k].capacity, 80.0, 0.0}}));
    auto no_switch_cost = per_island_models::for_platform(
        chip, {.time_prior = {1.3, 80.0, 0.0},
               .transition_latency_s = std::vector<double>(K, 0.0),
               .volt_slew_v_per_s = std::vector<double>(K, std::numeric_limits<double>::infinity())});
    for (level_t now = 0; now < 4; ++now) {
        sim::dvfs_env env(s);
        rng_type rng(1);
        (void)env.reset(rng);
        env.step(dvfs::action(K, now));
        env.step(dvfs::action(K, now));
        const dvfs::observation o = env.observe();
        sim::lookahead_model exact(s);
        exact.update(o, dvfs::action(K, now), o);  // advance its state to the same interval
        exact.update(o, dvfs::action(K, now), o);
        for (std::size_t k = 0; k < K; ++k)
            for (level_t l = 0; l < 4; ++l) {
                CAPTURE(now);
                CAPTURE(k);
                CAPTURE(l);
                CHECK(exact_of[k].estimate(o, k, l).time_s == doctest::Approx(exact.estimate(o, k, l).time_s).epsilon(1e-9));
                // settled: as if the island already ran at l — the budget's reference, no switch in it
                const double settled = exact.settled_estimate(o, k, l).time_s;
                CHECK(exact_of[k].settled_estimate(o, k, l).time_s == doctest::Approx(settled).epsilon(1e-9));
                CHECK(settled_estimate(exact_of[k], o, k, l).time_s == doctest::Approx(settled).epsilon(1e-9));
                if (l == now) CHECK(settled == doctest::Approx(exact.estimate(o, k, l).time_s).epsilon(1e-12));
                else CHECK(settled < exact.estimate(o, k, l).time_s);
            }
        // without switch costs the estimate is the work at the new speed alone
        const double w = per_island_models::work(o, 0), lat = chip.islands[0].transition_latency_s;
        for (level_t l = 0; l < 4; ++l) {
            const double plain = no_switch_cost.estimate(o, 0, l).time_s;
            if (l == now) CHECK(plain == doctest::Approx(exact.estimate(o, 0, l).time_s).epsilon(1e-9));
            else if (l < now) CHECK(plain + lat == doctest::Approx(exact.estimate(o, 0, l).time_s).epsilon(1e-9));
            else CHECK(plain + lat < exact.estimate(o, 0, l).time_s);  // the ramp retires some work at the old speed
            CHECK(plain == doctest::Approx(w * (1.3e-9 / chip.islands[0].opps[l].freq_hz * 1e9 + 0.004 * 80e-9)).epsilon(1e-9));
        }
    }
}

TEST_CASE("sim::identify: random levels teach the models the simulator's exact times, ramp intervals included") {
    const auto s = one_phase_sim(300);
    const auto& chip = s->chip();
    const std::size_t K = chip.num_islands();
    auto m = per_island_models::for_platform(chip, {.time_rls = {.forgetting = 1.0, .initial_variance = 1e8}});
    rng_type rng(5);
    static_assert(online::IntervalLearner<per_island_models>);
    CHECK(sim::identify(m, *s, rng) == 300);
    // predict from states the models did not learn on: every (current level, next level) pair
    for (level_t now = 0; now < 4; ++now) {
        sim::dvfs_env env(s);
        (void)env.reset(rng);
        env.step(dvfs::action(K, now));
        const dvfs::observation o = env.observe();
        sim::lookahead_model exact(s);
        exact.update(o, dvfs::action(K, now), o);
        for (std::size_t k = 0; k < K; ++k)
            for (level_t l = 0; l < 4; ++l)
                CHECK(m.estimate(o, k, l).time_s == doctest::Approx(exact.estimate(o, k, l).time_s).epsilon(1e-6));
    }
}

TEST_CASE("per_island_models: transition tables are validated") {
    const auto chip = sim::sniper_manycore(8, 4, 4);
    CHECK_THROWS_AS(per_island_models::for_platform(chip, {.transition_latency_s = {1e-5}}), dimension_mismatch);
    CHECK_THROWS_AS(per_island_models::for_platform(chip, {.transition_latency_s = {1e-5, -1.0}}), invalid_config);
    CHECK_THROWS_AS(per_island_models::for_platform(chip, {.volt_slew_v_per_s = {1e4, 0.0}}), invalid_config);
    CHECK_THROWS_AS(per_island_models(freqs, volts, {.transition_latency_s = {0.0, std::nan("")}}), invalid_config);
    const auto m = per_island_models::for_platform(chip);
    REQUIRE(m.cfg().transition_latency_s.size() == 2);
    CHECK(m.cfg().transition_latency_s[1] == chip.islands[1].transition_latency_s);
    CHECK(m.cfg().volt_slew_v_per_s[0] == chip.islands[0].volt_slew_v_per_s);
}

namespace {
/// Four islands with one V/F table; island k ran at level a[k] with time per instruction c/f + m (ns, GHz).
struct pooled_case {
    std::vector<std::vector<double>> f = std::vector<std::vector<double>>(4, {1.0e9, 1.5e9, 2.0e9});
    std::vector<std::vector<double>> v = std::vector<std::vector<double>>(4, {0.8, 0.9, 1.0});
    dvfs::observation before, after;
    pooled_case() {
        before.resize(4);
        after.resize(4);
    }
    /// Sets the interval: levels a, tpi = c/f + m (optionally × (1 + noise[k])), busy 1 ms.
    void run(const dvfs::action& a, double c, double m, std::vector<double> noise = {}) {
        for (std::size_t k = 0; k < 4; ++k) {
            for (auto* o : {&before, &after}) {
                o->level[k] = a[k];  // no switch: the measured tpi is busy / W
                o->freq_hz[k] = f[k][a[k]];
                o->temp_c[k] = 50.0;
                o->active_cores[k] = 2;
                o->power_w[k] = 1.0;
                o->mem_per_instr[k] = 0.01;
            }
            const double tpi_ns = (c / (f[k][a[k]] * 1e-9) + m) * (noise.empty() ? 1.0 : 1.0 + noise[k]);
            after.ipc[k] = 1.0 / (tpi_ns * 1e-9 * f[k][a[k]]);
            after.busy_time_s[k] = 1e-3;
        }
    }
};
}  // namespace

TEST_CASE("island_models (pooled_time, the default): islands at two frequencies identify the phase's c/f + m exactly") {
    pooled_case pc;
    online::island_models m(pc.f, pc.v);
    pc.run({0, 2, 0, 2}, 1.4, 0.6);
    m.update(pc.before, {0, 2, 0, 2}, pc.after);
    REQUIRE(m.pooling().of(0).valid);
    CHECK(m.pooling().of(3).c_ns_ghz == doctest::Approx(1.4).epsilon(1e-12));
    CHECK(m.pooling().of(3).m_ns == doctest::Approx(0.6).epsilon(1e-12));
    // every level of every island predicted from the fit: W (1/f_l·c + m), W = ipc·f·busy of the island
    for (std::size_t k = 0; k < 4; ++k)
        for (level_t l = 0; l < 3; ++l) {
            const double w = per_island_models::work(pc.after, k);
            const double want = w * (1.4 / (pc.f[k][l] * 1e-9) + 0.6) * 1e-9;
            CHECK(m.settled_estimate(pc.after, k, l).time_s == doctest::Approx(want).epsilon(1e-12));
            if (l == pc.after.level[k]) CHECK(m.estimate(pc.after, k, l).time_s == doctest::Approx(want).epsilon(1e-12));
        }
    // the learned weights alone (per_island_models) know nothing of this phase yet
    per_island_models plain(pc.f, pc.v);
    plain.update(pc.before, {0, 2, 0, 2}, pc.after);
    CHECK(std::abs(plain.settled_estimate(pc.after, 0, 1).time_s / m.settled_estimate(pc.after, 0, 1).time_s - 1.0) > 1e-2);

    SUBCASE("one frequency: the fit stays while it explains the measurements, and is dropped when not") {
        pc.run({1, 1, 1, 1}, 1.4, 0.6);  // same phase, one level
        m.update(pc.before, {1, 1, 1, 1}, pc.after);
        CHECK(m.pooling().of(0).valid);
        CHECK(m.pooling().of(0).c_ns_ghz == doctest::Approx(1.4).epsilon(1e-12));
        pc.run({1, 1, 1, 1}, 2.0, 0.6);  // a new phase: 1.4/1.5 + 0.6 → 2.0/1.5 + 0.6 is 28 % slower
        m.update(pc.before, {1, 1, 1, 1}, pc.after);
        CHECK_FALSE(m.pooling().of(0).valid);
    }
    SUBCASE("a fit that does not explain the islands (residual over the tolerance) is not used") {
        pc.run({0, 2, 0, 2}, 1.4, 0.6, {0.1, -0.1, -0.1, 0.1});
        m.update(pc.before, {0, 2, 0, 2}, pc.after);
        CHECK_FALSE(m.pooling().of(0).valid);
        online::island_models loose(pc.f, pc.v, {}, online::pooled_time({.tolerance = 0.2}));
        loose.update(pc.before, {0, 2, 0, 2}, pc.after);
        CHECK(loose.pooling().of(0).valid);
    }
    SUBCASE("a negative memory part is clamped: the fit goes through the origin") {
        pc.run({0, 2, 0, 2}, 1.0, 0.0, {0.0, -0.004, 0.0, -0.004});
        m.update(pc.before, {0, 2, 0, 2}, pc.after);
        REQUIRE(m.pooling().of(0).valid);
        CHECK(m.pooling().of(0).m_ns == 0.0);
        CHECK(m.pooling().of(0).c_ns_ghz > 0.99);
    }
    SUBCASE("reset forgets the fit") {
        m.reset();
        CHECK_FALSE(m.pooling().of(0).valid);
    }
    CHECK_THROWS_WITH_AS(online::pooled_time({.tolerance = 0.0}), doctest::Contains("l2s::online::pooled_time"), invalid_config);
}

TEST_CASE("island_models (pooled_time, the default): islands with different V/F tables are fitted apart") {
    std::vector<std::vector<double>> f = {{1e9, 2e9}, {1e9, 2e9}, {0.5e9, 1e9}, {0.5e9, 1e9}};
    std::vector<std::vector<double>> v = {{0.8, 1.0}, {0.8, 1.0}, {0.7, 0.9}, {0.7, 0.9}};
    online::island_models m(f, v);
    dvfs::observation b, a;
    b.resize(4);
    a.resize(4);
    const dvfs::action lv{0, 1, 0, 1};
    const double c[4] = {1.0, 1.0, 2.0, 2.0}, mm[4] = {0.5, 0.5, 0.1, 0.1};  // big and little cores
    for (std::size_t k = 0; k < 4; ++k) {
        for (auto* o : {&b, &a}) {
            o->level[k] = lv[k];
            o->freq_hz[k] = f[k][lv[k]];
        }
        a.ipc[k] = 1.0 / ((c[k] / (f[k][lv[k]] * 1e-9) + mm[k]) * 1e-9 * f[k][lv[k]]);
        a.busy_time_s[k] = 1e-3;
    }
    m.update(b, lv, a);
    REQUIRE(m.pooling().of(0).valid);
    REQUIRE(m.pooling().of(2).valid);
    CHECK(m.pooling().of(1).c_ns_ghz == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(m.pooling().of(1).m_ns == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(m.pooling().of(3).c_ns_ghz == doctest::Approx(2.0).epsilon(1e-12));
    CHECK(m.pooling().of(3).m_ns == doctest::Approx(0.1).epsilon(1e-12));
}
