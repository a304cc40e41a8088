// tests/policy/test_feature_sets.cpp: the compact (8), standard (32) and extended (128) feature sets.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include <l2s/io/policy.hpp>

#include "../support/alloc_count.hpp"  // test_policy.cpp includes alloc_counter.hpp
#include "make_policies.hpp"
#include "test_env.hpp"

using namespace l2s;
using policy::feature_set;

namespace {

const double nan_v = std::numeric_limits<double>::quiet_NaN();

/// Two islands, 4 levels, hand-set readings.
dvfs::observation two_islands(std::size_t t, double u0, double u1, double ipc0, double ipc1) {
    dvfs::observation o;
    o.resize(2);
    o.interval = t;
    o.num_intervals = 10;
    o.interval_time_s = 2e-3;
    o.utilisation = {u0, u1};
    o.ipc = {ipc0, ipc1};
    o.power_w = {1.0, 3.0};
    o.level = {3, 1};
    o.busy_time_s = {1e-3, 2e-3};
    return o;
}

}  // namespace

TEST_CASE("feature sets: 8, 32 and 128 features, each set a prefix of the next along a trajectory") {
    CHECK(policy::feature_count(feature_set::compact) == 8);
    CHECK(policy::feature_count(feature_set::standard) == 32);
    CHECK(policy::feature_count(feature_set::extended) == 128);
    const std::size_t K = 5;
    const std::vector<std::size_t> levels(K, 6);
    const policy::feature_map c(K, levels, {.set = feature_set::compact}), s(K, levels), e(K, levels, {.set = feature_set::extended});
    CHECK(c.num_features() == 8);
    CHECK(s.num_features() == 32);
    CHECK(e.num_features() == 128);
    auto sc = c.make_state(), ss = s.make_state(), se = e.make_state();
    CHECK(sc.previous.empty());
    CHECK(ss.slow.empty());
    CHECK(se.slow.size() == 8 * se.stride);
    CHECK(se.stride % policy::feature_map::block_width == 0);
    CHECK(se.stride >= K);
    test::walk_env env(K, 6, 50);
    rng_type rng(3);
    auto o = env.reset(rng);
    std::vector<double> fc(K * 8), fs(K * 32), fe(K * 128);
    dvfs::action a(K);
    for (int t = 0; t < 60; ++t) {
        c.extract_all(o, sc, fc);
        s.extract_all(o, ss, fs);
        e.extract_all(o, se, fe);
        for (std::size_t k = 0; k < K; ++k) {
            for (std::size_t j = 0; j < 8; ++j) CHECK(fc[k * 8 + j] == fs[k * 32 + j]);
            for (std::size_t j = 0; j < 32; ++j) CHECK(fs[k * 32 + j] == fe[k * 128 + j]);
            for (std::size_t j = 0; j < 128; ++j) CHECK(std::isfinite(fe[k * 128 + j]));
        }
        c.commit(o, sc);
        s.commit(o, ss);
        e.commit(o, se);
        for (std::size_t k = 0; k < K; ++k) a[k] = level_t((t * 7 + k) % 6);
        o = env.step(a).done ? env.reset(rng) : env.observe();
    }
}

TEST_CASE("feature sets: the extended features follow their closed forms") {
    const double a = 0.5, as = 0.25;
    policy::feature_map fm(2, {4, 4}, {.ewma_alpha = a, .set = feature_set::extended, .slow_ewma_alpha = as});
    auto st = fm.make_state();
    std::array<double, 128> f{}, g{};
    const double u[3] = {0.2, 0.6, 0.4}, ipc[3] = {1.0, 1.5, 0.5};
    double m = u[0], ms = u[0], v = 0.0;
    for (std::size_t t = 0; t < 3; ++t) {
        const auto o = two_islands(t, u[t], 0.9, ipc[t], 2.0);
        const auto chip = fm.summarise(o);
        fm.extract(o, st, chip, 0, f);
        fm.extract(o, st, chip, 1, g);
        if (t > 0) {
            v = (1.0 - a) * (v + a * (u[t] - m) * (u[t] - m));  // uses m_{t−1}
            m = a * u[t] + (1.0 - a) * m;
            ms = as * u[t] + (1.0 - as) * ms;
        }
        CHECK(f[16] == doctest::Approx(m));
        CHECK(f[32] == doctest::Approx(ms));
        CHECK(f[40] == doctest::Approx(std::sqrt(v)));
        CHECK(f[48] == doctest::Approx((u[t] + 0.9) / 2.0));  // chip mean utilisation
        CHECK(f[56] == doctest::Approx(std::max(u[t], 0.9)));  // chip max
        CHECK(f[64] == doctest::Approx(std::min(u[t], 0.9)));  // chip min
        CHECK(f[49] == doctest::Approx((ipc[t] + 2.0) / 2.0));
        CHECK(f[72] == doctest::Approx(u[t] * 1.0));    // level 3 of 4 → fraction 1
        CHECK(g[72] == doctest::Approx(0.9 / 3.0));     // level 1 of 4 → fraction 1/3
        CHECK(f[80] == doctest::Approx(u[t] * u[t]));   // (0, 0)
        CHECK(f[81] == doctest::Approx(u[t] * ipc[t])); // (0, 1)
        CHECK(f[88] == doctest::Approx(ipc[t] * ipc[t]));  // (1, 1)
        CHECK(f[115] == doctest::Approx(0.5 * 0.5));    // (7, 7): busy fraction 1e-3 / 2e-3
        CHECK(f[116] == doctest::Approx(t == 0 ? 0.0 : std::abs(u[t] - u[t - 1])));
        CHECK(f[124] == doctest::Approx(std::abs(u[t] - 0.9) / 2.0));  // population sd of two values
        CHECK(f[126] == doctest::Approx(1.0));                        // powers 1 and 3
        CHECK(f[127] == doctest::Approx((1.0 - 1.0 / 3.0) / 2.0));
        CHECK(g[124] == f[124]);
        fm.commit(o, st);
    }
    // interval 0 restarts every history
    fm.extract(two_islands(0, 0.3, 0.9, 1.0, 2.0), st, fm.summarise(two_islands(0, 0.3, 0.9, 1.0, 2.0)), 0, f);
    CHECK(f[32] == doctest::Approx(0.3));
    CHECK(f[40] == 0.0);
    CHECK(f[116] == 0.0);
}

TEST_CASE("feature sets: chip statistics skip a missing reading and the EW variance recovers after it") {
    policy::feature_map fm(2, {4, 4}, {.set = feature_set::extended});
    auto st = fm.make_state();
    std::array<double, 128> f{}, g{};
    auto o = two_islands(0, 0.4, 0.8, 1.0, 1.0);
    fm.commit(o, st);
    o = two_islands(1, 0.4, nan_v, 1.0, 1.0);
    const auto chip = fm.summarise(o);
    fm.extract(o, st, chip, 0, f);
    fm.extract(o, st, chip, 1, g);
    CHECK(f[48] == doctest::Approx(0.4));  // mean over the one finite reading
    CHECK(f[56] == doctest::Approx(0.4));
    CHECK(f[124] == 0.0);
    CHECK(std::isnan(g[0]));
    CHECK(std::isnan(g[40]));
    fm.commit(o, st);
    o = two_islands(2, 0.4, 0.6, 1.0, 1.0);
    fm.extract(o, st, fm.summarise(o), 1, g);
    CHECK(g[40] == 0.0);  // the variance restarts rather than staying NaN
    CHECK(g[16] == doctest::Approx(0.6));
    CHECK(std::isnan(fm.summarise(two_islands(0, nan_v, nan_v, 1.0, 1.0)).spread[0]));
}

TEST_CASE("feature sets: names are unique and index-stable; bad sets and indices are typed errors") {
    const policy::feature_map e(1, {}, {.set = feature_set::extended});
    std::set<std::string> names;
    for (std::size_t i = 0; i < 128; ++i) names.insert(e.feature_name(i));
    CHECK(names.size() == 128);
    CHECK(e.feature_name(0) == "utilisation");
    CHECK(e.feature_name(17) == "ewma_ipc");
    CHECK(e.feature_name(81) == "utilisation*ipc");
    CHECK(e.feature_name(115) == "busy_fraction*busy_fraction");
    CHECK(e.feature_name(127) == "chip_std_level_fraction");
    CHECK_THROWS_AS((void)policy::feature_map(1).feature_name(32), invalid_argument);
    CHECK(policy::feature_set_from_string("compact", "t") == feature_set::compact);
    CHECK_THROWS_WITH_AS((void)policy::feature_set_from_string("huge", "l2s::x"),
                         doctest::Contains("l2s::x: unknown feature set 'huge'"), invalid_config);
    CHECK_THROWS_AS(policy::feature_map(2, {4, 4}, {.slow_ewma_alpha = 0.0}), invalid_config);
    CHECK_THROWS_AS(policy::feature_map(2, {4, 4}, {.set = static_cast<feature_set>(7)}), invalid_config);
    // a layout whose scaler does not match its map's feature count
    policy::island_layout bad = policy::island_layout::shared(policy::feature_map(2, {4, 4}, {.set = feature_set::extended}),
                                                              policy::standard_scaler::identity(32));
    std::vector<policy::softmax_linear_head> heads{{mat::Zero(4, 128), vec::Zero(4)}};
    CHECK_THROWS_AS(policy::softmax_linear<double>(bad, heads), dimension_mismatch);
    auto good = bad;
    good.scaler = policy::standard_scaler::identity(128);
    CHECK_NOTHROW(policy::softmax_linear<double>(good, heads));
    heads[0].weights = mat::Zero(4, 32);
    CHECK_THROWS_AS(policy::softmax_linear<double>(good, heads), dimension_mismatch);
}

TEST_CASE_TEMPLATE("feature sets: every policy kind decides on 8 and 128 features without allocating", S, double, float) {
    rng_type rng(5);
    for (auto set : {feature_set::compact, feature_set::extended}) {
        CAPTURE(policy::to_string(set));
        auto s = test::random_softmax<S>(4, 8, rng, true, set);
        auto m = test::random_mlp<S>(4, 8, rng, {20, 20}, true, set);
        auto t = test::random_tree<S>(4, 8, rng, 6, true, set);
        CHECK(s.num_features() == policy::feature_count(set));
        test::walk_env env(4, 8, 1000);
        rng_type r2(3);
        auto o = env.reset(r2);
        dvfs::action a(4);
        std::vector<double> pr(4 * 8);
        const auto before = test::allocations();
        for (int i = 0; i < 2000; ++i) {
            s.act(o, a);
            m.act(o, a);
            t.act(o, a);
            s.probabilities(o, pr);
        }
        CHECK(test::allocations() - before == 0);
        // act is the argmax of probabilities
        auto copy = s;
        copy.probabilities(o, pr);
        copy.act(o, a);
        for (std::size_t k = 0; k < 4; ++k) {
            std::size_t best = 0;
            for (std::size_t l = 1; l < 8; ++l)
                if (pr[k * 8 + l] > pr[k * 8 + best]) best = l;
            CHECK(a[k] == best);
        }
    }
}

TEST_CASE("feature sets: io round trips keep the set; a count that contradicts the set is io_error") {
    rng_type rng(6);
    const auto p = test::random_softmax<double>(3, 5, rng, true, feature_set::extended);
    const auto text = io::save_policy(p);
    const auto q = io::load_policy<policy::softmax_linear<double>>(text);
    CHECK(q.layout().features.set() == feature_set::extended);
    CHECK(q.layout().features.cfg().slow_ewma_alpha == p.layout().features.cfg().slow_ewma_alpha);
    test::walk_env env(3, 5, 100);
    rng_type r2(2);
    auto o = env.reset(r2);
    std::vector<double> a(15), b(15);
    p.probabilities(o, a);
    q.probabilities(o, b);
    CHECK(a == b);
    auto j = nlohmann::json::parse(text);
    j.erase("digest");  // hand-edited documents below carry no digest, so they reach the schema checks
    auto j2 = j;
    j2["layout"]["num_features"] = 32;
    CHECK_THROWS_WITH_AS((void)io::load_policy<policy::softmax_linear<double>>(j2.dump()),
                         doctest::Contains("does not match the feature set 'extended'"), io_error);
    j2 = j;
    j2["layout"]["feature_map"]["set"] = "huge";
    CHECK_THROWS_AS((void)io::load_policy<policy::softmax_linear<double>>(j2.dump()), io_error);
    // files from before feature sets (no "set") load as standard
    const auto old = test::random_softmax<double>(3, 5, rng);
    auto jo = nlohmann::json::parse(io::save_policy(old));
    jo["layout"]["feature_map"].erase("set");
    jo["layout"]["feature_map"].erase("slow_ewma_alpha");
    jo.erase("digest");  // files from before feature sets had no digest either
    CHECK(io::load_policy<policy::softmax_linear<double>>(jo.dump()).layout().features.set() == feature_set::standard);
}
