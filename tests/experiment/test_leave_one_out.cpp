// tests/experiment/test_leave_one_out.cpp: the leave-one-out pipeline end to end on a small case, its
// determinism (byte-identical results JSON), and bad configurations.
#include <doctest/doctest.h>

#include <l2s/experiment.hpp>
#include <l2s/io/experiment.hpp>

using namespace l2s;

namespace {
experiment::loo_config small() {
    experiment::loo_config c;
    c.platform = "sniper_manycore_16";
    c.applications = {"dedup", "barnes", "streamcluster"};
    c.held_out = "streamcluster";
    c.intervals = 30;
    c.oracle_evaluations = 2000;
    return c;
}
}  // namespace

TEST_CASE("leave_one_out: every policy runs; the oracle is feasible and best among feasible runs") {
    const auto r = experiment::leave_one_out(small());
    REQUIRE(r.runs.size() == 8);
    CHECK(r.training == std::vector<std::string>{"dedup", "barnes"});
    CHECK(r.islands == 4);
    const auto& oracle = r.runs.back();
    CHECK(oracle.name == "oracle");
    CHECK(oracle.slowdown <= 0.05 + 1e-9);
    CHECK(oracle.edp_vs_oracle == doctest::Approx(1.0));
    for (const auto& p : r.runs) {
        CAPTURE(p.name);
        CHECK(p.trace.num_intervals() == 30);
        CHECK(p.score.energy_j > 0.0);
        if (p.slowdown <= 0.05) CHECK(p.edp_vs_oracle >= 0.999);  // nothing feasible beats the oracle...
    }
    // ...and the oracle beats running flat out.
    CHECK(r.runs.front().name == "performance");
    CHECK(r.runs.front().edp_vs_oracle > 1.02);
    CHECK(r.training_accuracy > 0.5);
    CHECK(r.window_fraction.size() == 10);
    CHECK(r.unseen_fraction.size() == 10);
}

TEST_CASE("leave_one_out: the same config gives byte-identical results") {
    const auto a = io::loo_result_to_json(experiment::leave_one_out(small()), false).dump();
    const auto b = io::loo_result_to_json(experiment::leave_one_out(small()), false).dump();
    CHECK(a == b);
}

TEST_CASE("loo_config: bad configurations are rejected naming the key") {
    auto c = small();
    c.held_out = "vips";
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("held_out"), invalid_config);
    c = small();
    c.platform = "cray";
    CHECK_THROWS_AS(c.validate(), invalid_config);
    c = small();
    c.governors = {"turbo"};
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("turbo"), invalid_config);
    c = small();
    c.uaol_alpha = 1.5;
    CHECK_THROWS_AS(c.validate(), invalid_config);

    using nlohmann::json;
    CHECK_NOTHROW((void)io::loo_config_from_json(json::parse(R"({"held_out": "dedup", "intervals": 50,
        "objective": {"kind": "ed2p", "max_slowdown": 0.1}})")));
    CHECK_THROWS_WITH_AS((void)io::loo_config_from_json(json::parse(R"({"intervalz": 50})")),
                         doctest::Contains("experiment.intervalz: unknown key"), invalid_config);
    CHECK_THROWS_WITH_AS((void)io::loo_config_from_json(json::parse(R"({"intervals": "many"})")),
                         doctest::Contains("experiment.intervals: has the wrong type"), invalid_config);
    CHECK_THROWS_WITH_AS((void)io::loo_config_from_json(json::parse(R"({"intervals": -5})")),
                         doctest::Contains("experiment.intervals"), invalid_config);
    CHECK_THROWS_WITH_AS((void)io::loo_config_from_json(json::parse(R"({"objective": {"kind": "speed"}})")),
                         doctest::Contains("experiment.objective.kind"), invalid_config);
    CHECK_THROWS_WITH_AS((void)io::loo_config_from_json(json::parse(R"({"objective": {"slack": 1}})")),
                         doctest::Contains("experiment.objective.slack: unknown key"), invalid_config);
    CHECK_THROWS_AS((void)io::loo_config_from_json(json::parse("[1, 2]")), invalid_config);
}
