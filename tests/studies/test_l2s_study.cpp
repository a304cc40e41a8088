// tests/experiment/test_l2s_study.cpp: the L2S study on a small case — every strategy's oracle, every
// baseline and learned policy on training, held-out and mixed workloads, the per-application chips of the
// article's configuration, determinism, and bad configurations.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <sstream>

#include <l2s/studies/json.hpp>
#include <l2s/studies/l2s_study.hpp>

using namespace l2s;

namespace {
studies::study_config small_study() {
    studies::study_config c;
    c.platforms = {"article_4vfi", "exynos5422"};
    c.applications = {"dedup", "barnes", "streamcluster"};
    c.held_out = {"streamcluster"};
    c.mixes = {{{"dedup", "barnes"}}};
    c.intervals = 16;
    c.evaluations = 400;
    c.q_learning_episodes = 3;
    return c;
}
}  // namespace

TEST_CASE("l2s_study: oracles from every strategy, every policy on every workload, summaries per role") {
    const auto r = studies::l2s_study(small_study());
    REQUIRE(r.platforms.size() == 2);
    for (const auto& p : r.platforms) {
        CAPTURE(p.platform);
        REQUIRE(p.workloads.size() == 4);  // three programs and one mix
        CHECK(p.training_samples == 2 * 16);  // dedup and barnes, one sample per interval
        CHECK(p.training_accuracy > 0.5);
        for (const auto& w : p.workloads) {
            CAPTURE(w.name);
            CHECK(w.role == (w.name == "streamcluster" ? "held_out" : w.name == "dedup+barnes" ? "mix" : "training"));
            REQUIRE(w.oracles.size() == 5);
            std::set<std::string> strategies;
            double best = 1e300;
            for (const auto& o : w.oracles) {
                strategies.insert(o.strategy);
                CHECK(o.evaluations <= 400);
                if (o.feasible) {
                    CHECK(o.slowdown <= 0.05 + 1e-9);
                    best = std::min(best, o.edp_vs_oracle);
                }
            }
            CHECK(strategies.size() == 5);
            CHECK(best == doctest::Approx(1.0));  // the oracle is the best feasible search result
            std::set<std::string> names;
            for (const auto& run : w.runs) names.insert(run.name);
            for (const char* n : {"performance", "ondemand", "conservative", "schedutil", "dtm", "q_learning", "il_greedy",
                                  "l2s_policy", "oracle"})
                CHECK_MESSAGE(names.count(n) == 1, n);
            CHECK(names.count("l2s_per_app") == (w.role == "training" ? 1u : 0u));
            CHECK(w.runs.back().name == "oracle");
            CHECK(w.runs.back().edp_vs_oracle == 1.0);
            CHECK(w.runs.back().slowdown <= 0.05 + 1e-9);
            CHECK(w.runs.front().slowdown == doctest::Approx(0.0).epsilon(1e-9));  // performance is the all-max run
        }
        CHECK(!p.summary.empty());
    }
    // the relaxed per-interval optimum: on programs of both chips (at most 8^4 and 13 × 19 level vectors), not mixes
    for (const auto& p : r.platforms)
        for (const auto& w : p.workloads) {
            CAPTURE(w.name);
            CHECK(std::isnan(w.relaxed_edp_vs_oracle) == (w.role == "mix"));
            if (w.role != "mix") {
                CHECK(w.relaxed_edp_vs_oracle > 0.8);  // the oracle is within 20 % of the relaxed model's optimum
                CHECK(w.all_max_vs_relaxed >= 1.0);    // all-max is one of the relaxed model's choices
            }
        }
    // the article's chip: per-application island sizes (DEDUP 40/16/4/4), 64 cores each
    const auto& art = r.platforms[0].workloads;
    CHECK(art[0].island_cores == std::vector<std::size_t>{40, 16, 4, 4});
    CHECK(art[1].island_cores == std::vector<std::size_t>{22, 22, 16, 4});
    CHECK(r.platforms[1].islands == 2);
    std::ostringstream table;
    studies::write_study_table(table, r);
    CHECK(table.str().find("== article_4vfi: 4 islands") != std::string::npos);
}

TEST_CASE("l2s_study: the same config gives byte-identical results") {
    auto c = small_study();
    c.platforms = {"sniper_manycore_16"};
    c.strategies = {"greedy", "local"};
    const auto a = studies::study_result_to_json(studies::l2s_study(c), false).dump();
    const auto b = studies::study_result_to_json(studies::l2s_study(c), false).dump();
    CHECK(a == b);
}

TEST_CASE("study_config: bad configurations are rejected naming the key") {
    auto rejects = [](studies::study_config c, const char* what) {
        CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains(what), invalid_config);
    };
    auto c = small_study();
    c.platforms = {"cray"};
    CHECK_THROWS_AS(c.validate(), invalid_config);
    c = small_study();
    c.held_out = {"vips"};
    rejects(c, "held_out");
    c = small_study();
    c.held_out = c.applications;
    rejects(c, "every application is held out");
    c = small_study();
    c.mixes = {{{"dedup", "canneal"}}};
    rejects(c, "mixes");
    c = small_study();
    c.strategies = {"local", "annealing"};
    rejects(c, "annealing");
    c = small_study();
    c.strategies = {"local"};
    rejects(c, "greedy");
    c = small_study();
    c.intervals = 3;
    rejects(c, "intervals");
    c = small_study();
    c.dtm.hysteresis_k = -1.0;
    rejects(c, "hysteresis_k");

    using nlohmann::json;
    const auto ok = studies::study_config_from_json(json::parse(
        R"({"platforms": ["exynos5422"], "mixes": [["dedup", "fmm"]], "dtm": {"critical_temp_c": 70}, "evaluations": 100})"));
    CHECK(ok.mixes.size() == 1);
    CHECK(ok.dtm.critical_temp_c == 70.0);
    CHECK(!ok.thread_roles);
    CHECK(studies::study_config_from_json(json::parse(R"({"thread_roles": true})")).thread_roles);
    CHECK_THROWS_WITH_AS((void)studies::study_config_from_json(json::parse(R"({"platform": "exynos5422"})")),
                         doctest::Contains("study.platform: unknown key"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::study_config_from_json(json::parse(R"({"mixes": [["dedup"]]})")),
                         doctest::Contains("study.mixes"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::study_config_from_json(json::parse(R"({"dtm": {"critical": 70}})")),
                         doctest::Contains("study.dtm.critical: unknown key"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::study_config_from_json(json::parse(R"({"evaluations": "many"})")),
                         doctest::Contains("study.evaluations: has the wrong type"), invalid_config);
}

TEST_CASE("l2s_study: with thread roles the oracle gains more over all-max, within budget (docs/results/where_the_gain_is.md)") {
    // The ordering docs/results/where_the_gain_is.md reports, on a small fixed-seed case: serial sections and
    // per-phase imbalance leave islands waiting, so the all-max run's EDP over the oracle's grows.
    auto c = small_study();
    c.platforms = {"sniper_manycore", "exynos5422"};
    c.applications = {"facesim", "barnes", "water_nsquared"};
    c.held_out = {"water_nsquared"};
    c.mixes = {};
    c.intervals = 40;
    c.strategies = {"greedy", "local"};
    c.evaluations = 1500;
    auto mean_of = [](const studies::platform_study& p, const std::string& run, bool slowdown) {
        double s = 0.0;
        for (const auto& w : p.workloads)
            for (const auto& r : w.runs)
                if (r.name == run) s += slowdown ? r.slowdown : r.edp_vs_oracle;
        return s / static_cast<double>(p.workloads.size());
    };
    const auto uniform = studies::l2s_study(c);
    c.thread_roles = true;
    const auto roles = studies::l2s_study(c);
    for (std::size_t p = 0; p < 2; ++p) {
        CAPTURE(roles.platforms[p].platform);
        const double u = mean_of(uniform.platforms[p], "performance", false), r = mean_of(roles.platforms[p], "performance", false);
        MESSAGE("all-max EDP / oracle EDP: uniform " << u << ", thread roles " << r << "; ondemand slowdown "
                << mean_of(uniform.platforms[p], "ondemand", true) << " -> " << mean_of(roles.platforms[p], "ondemand", true));
        CHECK(r > u);
        // ondemand's sampling period spans several serial/parallel switches of the compressed programs
        CHECK(mean_of(uniform.platforms[p], "ondemand", true) < 0.05);
        CHECK(mean_of(roles.platforms[p], "ondemand", true) > 0.05);
        for (const auto& w : roles.platforms[p].workloads) CHECK(w.runs.back().slowdown <= 0.05 + 1e-9);
    }
}
