// tests/sim/test_governors.cpp: the cpufreq governor step machines against every fixture case.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/governor_policy.hpp>

#include "../support/data.hpp"

namespace {
using nlohmann::json;
using namespace l2s::sim;

cpufreq_policy policy_of(const json& c) {
    cpufreq_policy p;
    p.opp_khz = c.at("opp_khz").get<std::vector<khz_t>>();
    p.policy_min_khz = c.at("policy_min_khz").get<khz_t>();
    p.policy_max_khz = c.at("policy_max_khz").get<khz_t>();
    p.num_cpus = c.at("num_cpus").get<std::size_t>();
    if (c.contains("capacity")) p.capacity = c.at("capacity").get<std::int64_t>();
    return p;
}
template <class T> T tun(const json& t, const char* key, T def) { return t.contains(key) ? t.at(key).get<T>() : def; }

dbs_window window_of(const json& s) {
    return {s.at("window_samples").get<int>(), s.at("window_busy_pct").get<std::vector<int>>(),
            s.at("prev_load_pct").get<std::vector<int>>()};
}
void check_window(const dbs_window& w, const json& e) {
    CHECK(w.window_samples == e.at("window_samples").get<int>());
    CHECK(w.window_busy_pct == e.at("window_busy_pct").get<std::vector<int>>());
    CHECK(w.prev_load_pct == e.at("prev_load_pct").get<std::vector<int>>());
}
std::vector<std::uint8_t> bools(const json& a) {
    std::vector<std::uint8_t> v;
    for (const auto& b : a) v.push_back(b.get<bool>() ? 1 : 0);
    return v;
}

/// Runs one case; returns the number of samples checked.
std::size_t run_case(const json& c) {
    const std::string gov = c.at("governor");
    const auto p = policy_of(c);
    const json& t = c.at("tunables");
    const json& init = c.at("initial_state");
    const json& steps = c.at("steps");
    REQUIRE(steps.size() == c.at("num_steps").get<std::size_t>());
    std::size_t i = 0;
    auto loads = [](const json& in) { return in.at("load_pct").get<std::vector<int>>(); };
    auto deferred = [](const json& in) { return in.contains("deferred") && in.at("deferred").get<bool>(); };
    if (gov == "performance" || gov == "powersave") {
        performance_governor perf(p);
        powersave_governor save(p);
        for (const auto& s : steps) {
            CAPTURE(i);
            const auto l = loads(s.at("input"));
            const bool ev = gov == "performance" ? perf.step(l) : save.step(l);
            const khz_t f = gov == "performance" ? perf.freq_khz() : save.freq_khz();
            CHECK(ev == s.at("expected").at("evaluated").get<bool>());
            CHECK(f == s.at("expected").at("freq_khz").get<khz_t>());
            ++i;
        }
    } else if (gov == "ondemand") {
        ondemand_governor g(p, {.up_threshold = tun(t, "up_threshold", 95), .sampling_down_factor = tun(t, "sampling_down_factor", 1)},
                            ondemand_state{init.at("freq_khz").get<khz_t>(), init.at("rate_mult").get<int>(), window_of(init)});
        for (const auto& s : steps) {
            CAPTURE(i);
            const auto& e = s.at("expected");
            CHECK(g.step(loads(s.at("input")), deferred(s.at("input"))) == e.at("evaluated").get<bool>());
            CHECK(g.freq_khz() == e.at("freq_khz").get<khz_t>());
            CHECK(g.state().rate_mult == e.at("rate_mult").get<int>());
            check_window(g.state().window, e);
            ++i;
        }
    } else if (gov == "conservative") {
        conservative_governor g(p,
                                {.up_threshold = tun(t, "up_threshold", 80), .down_threshold = tun(t, "down_threshold", 20),
                                 .freq_step = tun(t, "freq_step", 5), .sampling_down_factor = tun(t, "sampling_down_factor", 1)},
                                conservative_state{init.at("freq_khz").get<khz_t>(), init.at("requested_freq_khz").get<khz_t>(),
                                                   init.at("down_skip").get<int>(), window_of(init)});
        for (const auto& s : steps) {
            CAPTURE(i);
            const auto& e = s.at("expected");
            CHECK(g.step(loads(s.at("input")), deferred(s.at("input"))) == e.at("evaluated").get<bool>());
            CHECK(g.freq_khz() == e.at("freq_khz").get<khz_t>());
            CHECK(g.state().requested_freq_khz == e.at("requested_freq_khz").get<khz_t>());
            CHECK(g.state().down_skip == e.at("down_skip").get<int>());
            check_window(g.state().window, e);
            ++i;
        }
    } else if (gov == "schedutil") {
        auto since = [](const json& s) {
            const auto& v = s.at("samples_since_change");
            return v.is_null() ? std::optional<int>{} : std::optional<int>{v.get<int>()};
        };
        schedutil_governor g(p, {.rate_limit_samples = tun(t, "rate_limit_samples", 1)},
                             schedutil_state{init.at("freq_khz").get<khz_t>(), init.at("next_freq_khz").get<khz_t>(), since(init),
                                             bools(init.at("idle_since_eval"))});
        for (const auto& s : steps) {
            CAPTURE(i);
            const auto& in = s.at("input");
            const auto& e = s.at("expected");
            const auto util = in.at("util").get<std::vector<std::int64_t>>();
            const auto idle = bools(in.at("idle"));
            CHECK(g.step(util, idle) == e.at("evaluated").get<bool>());
            CHECK(g.freq_khz() == e.at("freq_khz").get<khz_t>());
            CHECK(g.state().next_freq_khz == e.at("next_freq_khz").get<khz_t>());
            CHECK(g.state().samples_since_change == since(e));
            CHECK(g.state().idle_since_eval == bools(e.at("idle_since_eval")));
            ++i;
        }
    } else {
        FAIL("unknown governor " << gov);
    }
    return i;
}
}  // namespace

TEST_CASE("governors: every fixture case matches at every sample") {
    const auto dir = l2s::test::data_dir("L2S_GOVERNOR_FIXTURES", "fixtures/governors");
    if (!dir) return;
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(*dir))
        if (f.path().extension() == ".json") files.push_back(f.path());
    std::sort(files.begin(), files.end());
    REQUIRE(!files.empty());
    std::size_t samples = 0;
    for (const auto& f : files) {
        CAPTURE(f.filename().string());
        std::ifstream in(f);
        const json c = json::parse(in);
        REQUIRE(c.at("schema").get<std::string>() == "l2s-governor-fixture/1");
        CHECK(c.at("id").get<std::string>() == f.stem().string());
        samples += run_case(c);
    }
    MESSAGE(files.size() << " governor cases, " << samples << " samples checked");
}

TEST_CASE("governors: resolve relations, ties and limits") {
    cpufreq_policy p{.opp_khz = {408000, 600000, 816000, 1008000}, .policy_min_khz = 600000, .policy_max_khz = 816000};
    CHECK(p.resolve(100, relation::closest) == 600000);
    CHECK(p.resolve(2000000, relation::lowest_at_or_above) == 816000);
    CHECK(p.resolve(700000, relation::lowest_at_or_above) == 816000);
    CHECK(p.resolve(700000, relation::highest_at_or_below) == 600000);
    CHECK(p.resolve(708000, relation::closest) == 600000);  // exactly halfway → lower
    CHECK(p.resolve(708001, relation::closest) == 816000);
    CHECK(p.resolve(816000, relation::highest_at_or_below) == 816000);
}

TEST_CASE("governors: invalid configurations throw invalid_config naming the field") {
    const cpufreq_policy ok{.opp_khz = {200000, 400000, 800000}};
    auto msg = [](auto&& f) {
        try { f(); } catch (const l2s::invalid_config& e) { return std::string(e.what()); }
        return std::string("no throw");
    };
    CHECK(msg([&] { cpufreq_policy p{.opp_khz = {400000, 200000}}; performance_governor g(p); }).find("opp_khz") != std::string::npos);
    CHECK(msg([&] { cpufreq_policy p{.opp_khz = {200000, 400000}, .policy_max_khz = 300000}; powersave_governor g(p); })
              .find("policy_max_khz") != std::string::npos);
    CHECK(msg([&] { ondemand_governor g(ok, {.up_threshold = 0}, 200000); }).find("l2s::sim::ondemand_governor: up_threshold") == 0);
    CHECK(msg([&] { ondemand_governor g(ok, {}, 300000); }).find("freq_khz") != std::string::npos);
    CHECK(msg([&] { conservative_governor g(ok, {.up_threshold = 20, .down_threshold = 20}, 200000); }).find("up_threshold") !=
          std::string::npos);
    CHECK(msg([&] { conservative_governor g(ok, {.sampling_down_factor = 11}, 200000); }).find("sampling_down_factor") !=
          std::string::npos);
    CHECK(msg([&] { schedutil_governor g(ok, {.rate_limit_samples = 0}, 200000); }).find("rate_limit_samples") != std::string::npos);
    CHECK(msg([&] { schedutil_governor g(ok, {}, schedutil_state{200000, 400000, std::nullopt, {1}}); })
              .find("samples_since_change") != std::string::npos);
    CHECK(msg([&] { ondemand_governor g(ok, {}, ondemand_state{200000, 1, dbs_window{0, {0, 0}, {0}}}); })
              .find("window_busy_pct") != std::string::npos);
    CHECK(msg([&] { userspace_governor g(ok, 300000); }) == "no throw");
}

TEST_CASE("governors: userspace holds its resolved level; schedutil settles at 1.25 util rounded up") {
    const cpufreq_policy p{.opp_khz = {200000, 400000, 800000, 1000000}};
    userspace_governor u(p, 300000);
    CHECK(u.freq_khz() == 400000);
    schedutil_governor s(p, {}, 1000000);
    const std::vector<std::int64_t> util{400};  // 400 + 100 = 500 → 1e6·500/1024 = 488281 → 800000
    const std::vector<std::uint8_t> idle{1};
    for (int i = 0; i < 5; ++i) s.step(util, idle);
    CHECK(s.freq_khz() == 800000);
}

namespace {
/// A minimal environment: one island whose busy fraction is a fixed demand (cycles at f_max) / f.
struct demand_env {
    using observation_type = l2s::dvfs::observation;
    using action_type = l2s::dvfs::action;
    std::vector<double> freq_hz{2e8, 4e8, 8e8, 1e9};
    double demand = 0.3;  // busy fraction at the top frequency
    observation_type o;
    const observation_type& reset(l2s::rng_type&) {
        o.resize(1);
        o.interval = 0;
        o.level[0] = 3;
        return o;
    }
    l2s::dvfs::step_outcome step(const action_type& a) {
        o.level[0] = a[0];
        o.freq_hz[0] = freq_hz[a[0]];
        o.utilisation[0] = std::min(1.0, demand * freq_hz.back() / o.freq_hz[0]);
        ++o.interval;
        return {};
    }
    const observation_type& observe() const { return o; }
    std::size_t num_islands() const { return 1; }
    std::size_t num_levels(std::size_t) const { return freq_hz.size(); }
};
static_assert(l2s::Environment<demand_env>);
static_assert(l2s::PolicyFor<l2s::sim::governor_policy, demand_env>);

std::vector<l2s::level_t> roll(l2s::sim::governor_policy& g, demand_env& env, int T) {
    l2s::rng_type rng(1);
    g.reset();
    l2s::dvfs::action a(1);
    std::vector<l2s::level_t> out;
    g.act(env.reset(rng), a);
    for (int t = 0; t < T; ++t) {
        out.push_back(a[0]);
        env.step(a);
        g.act(env.observe(), a);
    }
    return out;
}
}  // namespace

TEST_CASE("governors: governor_policy drives an environment with kernel-like readings and cadence") {
    demand_env env;
    auto tables = std::vector<std::vector<double>>{env.freq_hz};
    SUBCASE("schedutil settles at the lowest level with capacity for 1.25 x util") {
        auto g = governor_policy::from_tables(tables, {1}, {.kind = governor_kind::schedutil});
        const auto lv = roll(g, env, 20);
        // util = 0.3·1024 = 307 → 383 → raw 374 MHz → 400 MHz (level 1): busy 0.75 there, util stays 307.
        CHECK(lv.back() == 1);
        CHECK(g.period_intervals() == 1);
    }
    SUBCASE("ondemand on the mainline cadence decides every 8 intervals, same cadence every interval") {
        auto g = governor_policy::from_tables(tables, {4}, {.kind = governor_kind::ondemand});
        CHECK(g.period_intervals() == 8);
        const auto lv = roll(g, env, 17);
        for (int t = 0; t < 8; ++t) CHECK(lv[static_cast<std::size_t>(t)] == 3);  // first decision after 8 intervals
        // load 30 % → 200 + 0.30·800 = 440 MHz → closest 400 MHz
        CHECK(lv[8] == 1);
        CHECK(lv[16] == 2);  // at 400 MHz the load is 75 % → 800 MHz: ondemand oscillates on this demand
        auto h = governor_policy::from_tables(tables, {4}, {.kind = governor_kind::ondemand, .cadence = governor_cadence::every_interval});
        CHECK(h.period_intervals() == 1);
        CHECK(roll(h, env, 3)[1] == 1);
    }
    SUBCASE("performance, powersave and userspace") {
        CHECK(roll(*std::make_unique<governor_policy>(governor_policy::from_tables(tables, {1}, {.kind = governor_kind::powersave})), env, 3)
                  .back() == 0);
        auto p = governor_policy::from_tables(tables, {1}, {.kind = governor_kind::performance});
        CHECK(roll(p, env, 3).back() == 3);
        auto u = governor_policy::from_tables(tables, {1}, {.kind = governor_kind::userspace, .userspace_level = {2}});
        CHECK(roll(u, env, 3).back() == 2);
    }
    SUBCASE("bad adapter configurations") {
        CHECK_THROWS_AS(governor_policy::from_tables(tables, {1}, {.kind = governor_kind::userspace}), l2s::invalid_config);
        CHECK_THROWS_AS(governor_policy::from_tables(tables, {1, 2}, {}), l2s::invalid_config);
        CHECK_THROWS_AS(governor_policy::from_tables(tables, {1}, {.dbs_period_intervals = 0}), l2s::invalid_config);
        CHECK_THROWS_AS(governor_policy::from_tables(tables, {1}, {.kind = governor_kind::ondemand, .ondemand = {.up_threshold = 101}}),
                        l2s::invalid_config);
    }
}

TEST_CASE("governors: on random inputs every frequency is an OPP within the policy limits") {
    l2s::rng_type rng(42);
    std::uniform_int_distribution<int> load(0, 100), u(0, 1100), coin(0, 3);
    const cpufreq_policy p{.opp_khz = {408000, 600000, 816000, 1008000, 1200000, 1416000, 1608000, 1800000},
                           .policy_min_khz = 600000, .policy_max_khz = 1608000, .num_cpus = 2};
    ondemand_governor od(p, {.up_threshold = 80, .sampling_down_factor = 3}, 1008000);
    conservative_governor cs(p, {.freq_step = 7, .sampling_down_factor = 2}, 1008000);
    schedutil_governor su(p, {.rate_limit_samples = 2}, 1008000);
    auto ok = [&](khz_t f) {
        return std::binary_search(p.opp_khz.begin(), p.opp_khz.end(), f) && f >= p.min_khz() && f <= p.max_khz();
    };
    for (int i = 0; i < 20000; ++i) {
        const bool idle_policy = coin(rng) == 0;
        const std::vector<int> l = idle_policy ? std::vector<int>{0, 0} : std::vector<int>{load(rng), load(rng)};
        const bool deferred = idle_policy && coin(rng) != 0;
        od.step(l, deferred);
        cs.step(l, deferred);
        const std::vector<std::int64_t> util{u(rng), u(rng)};
        const std::vector<std::uint8_t> idle{std::uint8_t(coin(rng) == 0), std::uint8_t(coin(rng) == 0)};
        su.step(util, idle);
        REQUIRE(ok(od.freq_khz()));
        REQUIRE(ok(cs.freq_khz()));
        REQUIRE(ok(su.freq_khz()));
        REQUIRE(od.state().rate_mult >= 1);
        REQUIRE(su.state().samples_since_change.has_value());
    }
}

TEST_CASE("governors: on a bursty load performance >= ondemand >= conservative in mean frequency") {
    demand_env env;
    env.freq_hz = {2e8, 4e8, 6e8, 8e8, 1e9, 1.2e9, 1.4e9, 1.6e9, 1.8e9, 2e9};
    const auto tables = std::vector<std::vector<double>>{env.freq_hz};
    auto mean_freq = [&](governor_kind kind) {
        auto g = governor_policy::from_tables(tables, {4}, {.kind = kind, .cadence = governor_cadence::every_interval});
        l2s::rng_type rng(3);
        l2s::dvfs::action a(1);
        g.act(env.reset(rng), a);
        double sum = 0.0;
        const int T = 2000;
        for (int t = 0; t < T; ++t) {
            env.demand = (t / 25) % 2 ? 0.85 : 0.05;  // bursts of 25 intervals
            env.step(a);
            g.act(env.observe(), a);
            sum += env.freq_hz[a[0]];
        }
        return sum / T;
    };
    const double perf = mean_freq(governor_kind::performance), od = mean_freq(governor_kind::ondemand),
                 cs = mean_freq(governor_kind::conservative), save = mean_freq(governor_kind::powersave);
    CHECK(perf >= od);
    CHECK(od >= cs);
    CHECK(cs >= save);
    MESSAGE("mean frequency (GHz): performance " << perf / 1e9 << ", ondemand " << od / 1e9 << ", conservative " << cs / 1e9
                                               << ", powersave " << save / 1e9);
}
