// tests/studies/test_leave_one_out.cpp: the leave-one-out pipeline end to end on a small case, its
// determinism (byte-identical results JSON), and bad configurations.
#include <doctest/doctest.h>

#include <l2s/studies.hpp>
#include <l2s/studies/json.hpp>

#include <variant>

using namespace l2s;

namespace {
studies::loo_config small_loo() {
    studies::loo_config c;
    c.platform = "sniper_manycore_16";
    c.applications = {"dedup", "barnes", "streamcluster"};
    c.held_out = "streamcluster";
    c.intervals = 30;
    c.oracle_evaluations = 2000;
    return c;
}
}  // namespace

TEST_CASE("leave_one_out: every policy runs; the oracle is feasible and best among feasible runs") {
    const auto r = studies::leave_one_out(small_loo());
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

TEST_CASE("leave_one_out: the article's 4-VFI chip runs each program on the islands sized for it") {
    auto c = small_loo();
    c.platform = "article_4vfi";
    c.held_out = "dedup";
    const auto r = studies::leave_one_out(c);
    CHECK(r.islands == 4);
    CHECK(r.levels == 8);
    CHECK(r.island_cores == std::vector<std::size_t>{40, 16, 4, 4});  // the article's DEDUP sizes
    CHECK(r.platform == "article_4vfi_40_16_4_4");
    REQUIRE(r.runs.size() == 8);
    CHECK(r.runs.back().slowdown <= 0.05 + 1e-9);
    for (const auto& p : r.runs) CHECK(p.score.energy_j > 0.0);
    // the held-out program's chip is the one the runs saw: 64 cores of power in every run
    const auto j = studies::loo_result_to_json(r, false);
    CHECK(j.at("island_cores") == nlohmann::json::array({40, 16, 4, 4}));
}

TEST_CASE("leave_one_out: with thread roles every policy, UaOL included, runs on the programs' serial sections") {
    auto c = small_loo();
    c.platform = "article_4vfi";
    c.held_out = "dedup";
    const auto uniform = studies::leave_one_out(c);
    c.thread_roles = true;
    const auto roles = studies::leave_one_out(c);
    REQUIRE(roles.runs.size() == uniform.runs.size());
    CHECK(roles.runs.back().slowdown <= 0.05 + 1e-9);
    for (std::size_t i = 0; i < roles.runs.size(); ++i) {
        CAPTURE(roles.runs[i].name);
        CHECK(roles.runs[i].score.energy_j > 0.0);
        CHECK(roles.runs[i].score.energy_j != uniform.runs[i].score.energy_j);  // another world
    }
    CHECK(studies::loo_config_from_json(nlohmann::json::parse(R"({"thread_roles": true})")).thread_roles);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(nlohmann::json::parse(R"({"thread_roles": 1})")),
                         doctest::Contains("experiment.thread_roles: has the wrong type"), invalid_config);
}

TEST_CASE("leave_one_out: the same config gives byte-identical results") {
    const auto a = studies::loo_result_to_json(studies::leave_one_out(small_loo()), false).dump();
    const auto b = studies::loo_result_to_json(studies::leave_one_out(small_loo()), false).dump();
    CHECK(a == b);
}

TEST_CASE("leave_one_out: UaOL variants (exact models, APS sets) run and stay in their roles") {
    auto c = small_loo();
    c.uaol.policy.gate.quantile = 0.01;  // most decisions go through the sets and the search
    const auto base = studies::leave_one_out(c);
    c.uaol.models = studies::lookahead_models{};
    c.uaol.policy.conformal.score = online::conformal_score::aps;
    c.uaol.policy.conformal.alpha = 0.01;  // sets of several levels
    const auto exact = studies::leave_one_out(c);
    auto uaol = [](const studies::loo_result& r) { return r.runs[r.runs.size() - 2]; };
    for (const auto* r : {&base, &exact}) {
        CHECK(uaol(*r).name == "uaol");
        CHECK(uaol(*r).trace.num_intervals() == 30);
        // everything but UaOL is the same run
        CHECK(r->runs.back().score.edp() == base.runs.back().score.edp());
        CHECK(r->runs[r->runs.size() - 3].score.edp() == base.runs[base.runs.size() - 3].score.edp());
    }
    MESSAGE("UaOL EDP x oracle: island_models/LAC " << uaol(base).edp_vs_oracle << ", lookahead/APS "
                                                   << uaol(exact).edp_vs_oracle << "; unseen " << base.uaol_unseen_total
                                                   << ", " << exact.uaol_unseen_total);
    // exact next-interval costs over wider sets keep UaOL within the slowdown budget
    CHECK(uaol(exact).slowdown <= 0.05 + 1e-9);
    CHECK(uaol(exact).score.edp() != uaol(base).score.edp());
}

TEST_CASE("leave_one_out: budget safety (guard, widening) changes only UaOL's run") {
    auto c = small_loo();
    c.uaol.policy.gate.quantile = 0.01;
    const auto base = studies::leave_one_out(c);  // guard and widening (the defaults)
    c.uaol.policy.budget_guard = false;
    c.uaol.policy.widen_infeasible = false;
    c.uaol.refinement = online::keep_decision{};  // refinement would take the place of the guard
    const auto before = studies::leave_one_out(c);
    auto uaol = [](const studies::loo_result& r) { return r.runs[r.runs.size() - 2]; };
    for (std::size_t i = 0; i + 2 < base.runs.size(); ++i) CHECK(base.runs[i].score.edp() == before.runs[i].score.edp());
    CHECK(base.runs.back().score.edp() == before.runs.back().score.edp());
    CHECK(uaol(base).score.edp() != uaol(before).score.edp());
    MESSAGE("UaOL EDP x oracle (slowdown): defaults " << uaol(base).edp_vs_oracle << " (" << uaol(base).slowdown
                                                     << "), without guard, widening and refinement "
                                                     << uaol(before).edp_vs_oracle << " (" << uaol(before).slowdown << ")");
}

TEST_CASE("leave_one_out: the slack account, refinement and pooled time change only UaOL's run") {
    auto c = small_loo();
    const auto base = studies::leave_one_out(c);  // island_models (pooled), slack_account, refine_below: the defaults
    c.uaol.models = online::per_island_time{};
    c.uaol.account = online::per_interval_budget{};
    c.uaol.refinement = online::keep_decision{};
    const auto method = studies::leave_one_out(c);
    auto uaol = [](const studies::loo_result& r) { return r.runs[r.runs.size() - 2]; };
    for (std::size_t i = 0; i + 2 < base.runs.size(); ++i) CHECK(base.runs[i].score.edp() == method.runs[i].score.edp());
    CHECK(base.runs.back().score.edp() == method.runs.back().score.edp());
    CHECK(uaol(base).score.edp() != uaol(method).score.edp());
    CHECK(uaol(base).slowdown <= 0.05);
    MESSAGE("UaOL EDP x oracle (slowdown): defaults " << uaol(base).edp_vs_oracle << " (" << uaol(base).slowdown
                                                     << "), per-island models, per-interval budget, argmax when seen "
                                                     << uaol(method).edp_vs_oracle << " (" << uaol(method).slowdown << ")");
}

TEST_CASE("loo_config: bad configurations are rejected naming the key") {
    auto c = small_loo();
    c.held_out = "vips";
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("held_out"), invalid_config);
    c = small_loo();
    c.platform = "cray";
    CHECK_THROWS_AS(c.validate(), invalid_config);
    c = small_loo();
    c.governors = {"turbo"};
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("turbo"), invalid_config);
    c = small_loo();
    c.uaol.policy.conformal.alpha = 1.5;
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("uaol: alpha"), invalid_config);
    c = small_loo();
    c.uaol.policy.search.budget = 0;
    CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("uaol: budget"), invalid_config);

    using nlohmann::json;
    CHECK_NOTHROW((void)studies::loo_config_from_json(json::parse(R"({"held_out": "dedup", "intervals": 50,
        "objective": {"kind": "ed2p", "max_slowdown": 0.1}})")));
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"intervalz": 50})")),
                         doctest::Contains("experiment.intervalz: unknown key"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"intervals": "many"})")),
                         doctest::Contains("experiment.intervals: has the wrong type"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"intervals": -5})")),
                         doctest::Contains("experiment.intervals"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"objective": {"kind": "speed"}})")),
                         doctest::Contains("experiment.objective.kind"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"objective": {"slack": 1}})")),
                         doctest::Contains("experiment.objective.slack: unknown key"), invalid_config);
    CHECK_THROWS_AS((void)studies::loo_config_from_json(json::parse("[1, 2]")), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"uaol": {"score": "widest"}})")),
                         doctest::Contains("experiment.uaol.score"), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(R"({"features": "all"})")),
                         doctest::Contains("experiment.features"), invalid_config);
    const auto read = studies::loo_config_from_json(json::parse(
        R"({"features": "compact", "uaol": {"score": "aps", "models": {"kind": "lookahead_model"}, "budget_guard": false,
            "widen_infeasible": false, "account": {"kind": "per_interval_budget"}, "refinement": {"kind": "keep_decision"},
            "alpha": 0.2, "gate_quantile": 0.5, "budget": 32, "learning_rate": 0.1}})"));
    CHECK(std::holds_alternative<online::per_interval_budget>(read.uaol.account));
    CHECK(std::holds_alternative<online::keep_decision>(read.uaol.refinement));
    CHECK(std::holds_alternative<studies::lookahead_models>(read.uaol.models));
    CHECK_FALSE(read.uaol.policy.budget_guard);
    CHECK_FALSE(read.uaol.policy.widen_infeasible);
    CHECK(read.uaol.policy.conformal.score == online::conformal_score::aps);
    CHECK(read.uaol.policy.conformal.alpha == 0.2);
    CHECK(read.uaol.policy.gate.quantile == 0.5);
    CHECK(read.uaol.policy.search.budget == 32);
    CHECK(read.uaol.policy.learning_rate == 0.1);
    const auto defaults = studies::loo_config_from_json(json::parse("{}"));
    CHECK(std::holds_alternative<online::slack_account>(defaults.uaol.account));
    CHECK(std::holds_alternative<online::refine_below>(defaults.uaol.refinement));
    CHECK(std::holds_alternative<online::pooled_time>(defaults.uaol.models));
    const auto slack = studies::loo_config_from_json(json::parse(
        R"({"uaol": {"account": {"kind": "slack_account", "horizon": 3.5}, "models": {"kind": "island_models", "tolerance": 0.05}}})"));
    CHECK(std::get<online::slack_account>(slack.uaol.account).cfg().horizon == 3.5);
    CHECK(std::get<online::pooled_time>(slack.uaol.models).cfg().tolerance == 0.05);
    CHECK(std::holds_alternative<online::per_island_time>(
        studies::loo_config_from_json(json::parse(R"({"uaol": {"models": {"kind": "per_island_models"}}})")).uaol.models));
    for (const char* bad : {R"({"uaol": {"account": {"kind": "yearly"}}})", R"({"uaol": {"account": {}}})",
                            R"({"uaol": {"account": {"kind": "slack_account", "horizon": 0}}})",
                            R"({"uaol": {"account": {"kind": "per_interval_budget", "horizon": 2}}})",
                            R"({"uaol": {"refinement": {"kind": "refine_above"}}})",
                            R"({"uaol": {"models": {"kind": "island_models", "tolerance": -1}}})",
                            R"({"uaol": {"models": {"kind": "anchored"}}})", R"({"uaol": {"budget_guard": "yes"}})",
                            R"({"uaol": {"alpha": 1.5}})", R"({"uaol_refine": false})"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS((void)studies::loo_config_from_json(json::parse(bad)), doctest::Contains("experiment.uaol"),
                             invalid_config);
    }
    CHECK(read.features == policy::feature_set::compact);
}
