// tests/sim/test_io_sim.cpp: platform files against the built-in platforms, the built-in PARSEC profiles
// against the shared JSON, workload files, trace CSV/JSON/SVG, and malformed input.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <l2s/io/platform.hpp>
#include <l2s/io/trace.hpp>
#include <l2s/io/workload.hpp>
#include <l2s/sim.hpp>
#include <l2s/studies/json.hpp>

#include "support/data.hpp"

using namespace l2s;
using doctest::Approx;

namespace {
void check_same(const sim::platform& a, const sim::platform& b) {
    REQUIRE(a.num_islands() == b.num_islands());
    for (std::size_t k = 0; k < a.num_islands(); ++k) {
        const auto &x = a.islands[k], &y = b.islands[k];
        CAPTURE(x.name);
        CHECK(x.name == y.name);
        CHECK(x.cores == y.cores);
        REQUIRE(x.opps.size() == y.opps.size());
        for (std::size_t l = 0; l < x.opps.size(); ++l) {
            CHECK(x.opps[l].freq_hz == Approx(y.opps[l].freq_hz));
            CHECK(x.opps[l].volt_v == Approx(y.opps[l].volt_v));
        }
        CHECK(x.c_core_f == Approx(y.c_core_f));
        CHECK(x.c_cluster_f == Approx(y.c_cluster_f));
        CHECK(x.leakage.scale == Approx(y.leakage.scale));
        CHECK(x.leakage.c2_k == Approx(y.leakage.c2_k));
        CHECK(x.transition_latency_s == Approx(y.transition_latency_s));
        CHECK(x.capacity == Approx(y.capacity));
    }
    CHECK(a.thermal.ambient_c == Approx(b.thermal.ambient_c));
    CHECK(a.thermal.t_max_c == Approx(b.thermal.t_max_c));
    CHECK(a.thermal.package_r_k_per_w == Approx(b.thermal.package_r_k_per_w));
    CHECK(a.thermal.package_c_j_per_k == Approx(b.thermal.package_c_j_per_k));
}
nlohmann::json read_json(const std::filesystem::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}
}  // namespace

TEST_CASE("io::load_platform: the shared platform files give the built-in platforms") {
    const auto dir = test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!dir) return;
    check_same(io::load_platform(*dir / "exynos5422.json", {.opp_table = "asv_board_b"}), sim::exynos5422("asv_board_b"));
    check_same(io::load_platform(*dir / "exynos5422.json"), sim::exynos5422("mainline"));
    check_same(io::load_platform(*dir / "rk3399.json"), sim::rk3399());
    check_same(io::load_platform(*dir / "intel_scc48.json"), sim::intel_scc48());
    check_same(io::load_platform(*dir / "sniper_manycore.json"), sim::sniper_manycore(64, 4, 8));
    check_same(io::load_platform(*dir / "sniper_manycore.json", {.opp_table = "", .total_cores = 256, .cores_per_island = 8}),
               sim::sniper_manycore(256, 8, 8));
}

TEST_CASE("io::platform_from_json: bad files name the field and throw invalid_config") {
    const auto dir = test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!dir) return;
    const auto good = read_json(*dir / "rk3399.json");
    auto expect = [&](nlohmann::json j, const char* what) {
        CAPTURE(what);
        CHECK_THROWS_WITH_AS((void)io::platform_from_json(j), doctest::Contains(what), invalid_config);
    };
    auto j = good;
    j["schema"] = "l2s-platform-v0";
    expect(j, "schema");
    j = good;
    j["colour"] = 1;
    expect(j, "platform.colour: unknown field");
    j = good;
    j["islands"][1]["turbo"] = true;
    expect(j, "islands[1].turbo: unknown field");
    j = good;
    j["islands"][0].erase("power_model");
    expect(j, "islands[0].power_model: missing field");
    j = good;
    j["islands"][1]["opp_tables"]["mainline"]["opps"][2]["freq_mhz"] = 100;
    expect(j, "opps[2].freq_mhz");
    j = good;
    j["islands"][0]["opp_tables"]["mainline"]["opps"][5]["voltage_mv"] = 1300;
    expect(j, "exceeds voltage_max_mv");
    j = good;
    j["islands"] = nlohmann::json::array();
    expect(j, "islands");
    j = good;
    j["islands"][0]["cores"] = 0;
    expect(j, "islands[0].cores");
    j = good;
    j["islands"][0]["cores"] = "four";
    CHECK_THROWS_AS((void)io::platform_from_json(j), invalid_config);
    CHECK_THROWS_AS((void)io::platform_from_json(good, {.opp_table = "turbo"}), invalid_config);
    CHECK_THROWS_AS((void)io::load_platform("/nonexistent/platform.json"), io_error);
}

TEST_CASE("sim::parsec_workload: built-in profiles follow the shared workload file") {
    const auto dir = test::data_dir("L2S_WORKLOAD_DIR", "data/workloads");
    if (!dir) return;
    const auto j = read_json(*dir / "parsec_xu3_phases.json");
    std::size_t checked = 0;
    for (const auto& p : j.at("profiles")) {
        const std::string name = p.at("benchmark").get<std::string>().substr(p.at("benchmark").get<std::string>().find('.') + 1);
        const int cores = p.at("cores").get<int>();
        const auto w = sim::parsec_workload(name, 1, {.intervals = 400, .profile_cores = cores});
        REQUIRE(w.islands[0].size() == p.at("phases").size());
        for (std::size_t i = 0; i < w.islands[0].size(); ++i) {
            const auto& ph = p.at("phases")[i];
            const double ipc = ph.at("ipc")[2].get<double>(), beta = std::clamp(ph.at("beta_mem_busy").get<double>(), 0.0, 1.0);
            const auto& x = w.islands[0][i];
            // time per instruction at 1.8 GHz reproduces the measured CPI / f
            CHECK(x.cpi_core / 1.8e9 + x.mem_per_instr * x.t_mem_s == Approx(1.0 / ipc / 1.8e9).epsilon(1e-4));
            CHECK(x.cpi_core == Approx((1.0 - beta) / ipc).epsilon(1e-4));
            CHECK(x.active_fraction == Approx(std::clamp(ph.at("util")[2].get<double>(), 0.0, 1.0)).epsilon(1e-4));
            ++checked;
        }
    }
    CHECK(checked == 61);
}

TEST_CASE("io trace: CSV round trip, JSON shape, SVG plots; malformed CSV is rejected") {
    const auto p = sim::sniper_manycore(16, 4, 8);
    sim::sequence_evaluator ev(p, sim::parsec_workload("dedup", 4, {.intervals = 30}));
    vf_sequence y({30, 4});
    for (std::size_t t = 0; t < 30; ++t)
        for (std::size_t k = 0; k < 4; ++k) y(t, k) = static_cast<level_t>((t + k) % 8);
    sim::trace tr;
    tr.label = "round <robin>";
    const auto s = ev.evaluate(y, tr);
    CHECK(xt::sum(tr.energy_j)() == Approx(s.energy_j));
    CHECK(xt::sum(tr.time_s)() == Approx(s.time_s));
    CHECK(tr.level(3, 1) == 4.0);
    CHECK(tr.freq_hz(3, 1) == Approx(ev.sim().frequency(1, 4)));

    std::stringstream csv;
    io::write_trace_csv(csv, tr);
    const auto back = io::read_trace_csv(csv);
    CHECK(back.level == tr.level);
    CHECK(back.power_w == tr.power_w);
    CHECK(back.temp_c == tr.temp_c);
    CHECK(back.time_s == tr.time_s);

    const auto j = io::trace_to_json(tr);
    CHECK(j.at("level").size() == 30);
    CHECK(j.at("level")[0].size() == 4);
    std::stringstream svg;
    io::write_trace_svg(svg, tr);
    const std::string text = svg.str();
    CHECK(text.find("round &lt;robin&gt;") != std::string::npos);
    std::size_t lines = 0;
    for (std::size_t at = text.find("<polyline"); at != std::string::npos; at = text.find("<polyline", at + 1)) ++lines;
    CHECK(lines == 8);
    std::stringstream bars;
    io::write_bar_svg(bars, {{"ondemand", 2.0}, {"l2s", 1.5}}, "EDP");
    CHECK(bars.str().find("<rect") != std::string::npos);
    CHECK_THROWS_AS(io::write_bar_svg(bars, {}, "EDP"), invalid_argument);

    auto bad = [](const std::string& doc, const char* what) {
        std::stringstream in(doc);
        CAPTURE(doc);
        CHECK_THROWS_WITH_AS((void)io::read_trace_csv(in), doctest::Contains(what), io_error);
    };
    const std::string header = "interval,island,level,freq_hz,power_w,temp_c,interval_time_s,interval_energy_j\n";
    bad("", "header");
    bad("a,b\n", "header");
    bad(header, "no rows");
    bad(header + "0,0,1,2,3,4,5\n", "line 2");
    bad(header + "0,0,1,2,3,4,5,6,7\n", "line 2");
    bad(header + "0,0,1,2,3,nan,5,6\n", "non-finite");
    bad(header + "0,0,1,2,3,4,5,6\n0,1,1,2,3,4,5,6\n1,0,1,2,3,4,5,6\n", "do not fill");
    bad(header + "0,0,1,2,3,4,5,6\n0,0,1,2,3,4,5,6\n", "do not fill");
    bad(header + "-1,0,1,2,3,4,5,6\n", "line 2");
}

TEST_CASE("io workload files: exact round trip; a loaded workload simulates identically") {
    const auto chip = sim::sniper_manycore(16, 4, 8);
    rng_type rng(7);
    const std::vector<sim::workload> ws = {
        sim::parsec_workload("facesim", chip.num_islands(), {.intervals = 40}),
        sim::synthetic_workload(sim::synthetic_kind::bursty, chip.num_islands(), rng, {.intervals = 40})};
    const auto dir = std::filesystem::temp_directory_path() / "l2s_test_io_workload";
    std::filesystem::create_directories(dir);
    for (const auto& w : ws) {
        CAPTURE(w.name);
        const auto file = dir / (w.name + ".json");
        io::save_workload(w, file);
        const auto back = io::load_workload(file);
        CHECK(back.name == w.name);
        CHECK(back.work_scale == w.work_scale);
        REQUIRE(back.num_islands() == w.num_islands());
        for (std::size_t k = 0; k < w.num_islands(); ++k) {
            REQUIRE(back.islands[k].size() == w.islands[k].size());
            for (std::size_t i = 0; i < w.islands[k].size(); ++i) {
                const auto &a = back.islands[k][i], &b = w.islands[k][i];
                CHECK(a.cpi_core == b.cpi_core);  // bit for bit: doubles are written in round-trip precision
                CHECK(a.mem_per_instr == b.mem_per_instr);
                CHECK(a.t_mem_s == b.t_mem_s);
                CHECK(a.activity == b.activity);
                CHECK(a.active_fraction == b.active_fraction);
                CHECK(a.intervals == b.intervals);
            }
        }
        sim::sequence_evaluator e1(chip, w), e2(chip, back);
        const auto y = sim::all_max_sequence(e1.sim());
        CHECK(e1.evaluate(y).edp() == e2.evaluate(y).edp());
        CHECK(io::workload_to_json(back) == io::workload_to_json(w));
    }
    // A hand-written file: absent phase fields take sim::phase's defaults.
    const auto hand = io::workload_from_json(nlohmann::json::parse(
        R"({"schema": "l2s-workload-v1", "islands": [[{"cpi_core": 2.0, "intervals": 3}], [{"active_fraction": 0, "intervals": 3}]]})"));
    CHECK(hand.num_intervals() == 3);
    CHECK(hand.islands[0][0].cpi_core == 2.0);
    CHECK(hand.islands[0][0].activity == sim::phase{}.activity);
    CHECK(hand.islands[1][0].active_fraction == 0.0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("io workload files: bad files name the field") {
    auto rejects = [](const char* text, const char* where) {
        CAPTURE(text);
        try {
            (void)io::workload_from_json(nlohmann::json::parse(text));
            FAIL("accepted");
        } catch (const invalid_config& e) {
            const std::string m = e.what();
            CHECK(m.rfind("l2s::io::workload_from_json: ", 0) == 0);
            CHECK_MESSAGE(m.find(where) != std::string::npos, m);
        }
    };
    rejects(R"({"islands": [[{"intervals": 1}]]})", "workload.schema");
    rejects(R"({"schema": "l2s-workload-v2", "islands": [[{"intervals": 1}]]})", "workload.schema");
    rejects(R"({"schema": "l2s-workload-v1"})", "workload.islands");
    rejects(R"({"schema": "l2s-workload-v1", "islands": []})", "workload.islands");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": 1}]], "phases": 1})", "workload.phases: unknown key");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": 1}], [{"intervals": 1, "cpi": 1}]]})",
            "workload.islands[1][0].cpi: unknown key");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": -1}]]})", "workload.islands[0][0].intervals: has the wrong type");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"activity": "high"}]]})", "workload.islands[0][0].activity: has the wrong type");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"activity": 1.5}]]})", "activity must be in [0, 1]");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": 2}], [{"intervals": 3}]]})", "lasts 3 intervals");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": 1}]], "work_scale": [0]})", "work_scale");
    rejects(R"({"schema": "l2s-workload-v1", "islands": [[{"intervals": 1}]], "work_scale": ["1"]})", "workload.work_scale");
    rejects(R"([1, 2])", "workload: must be an object");
    // Unreadable and truncated files are io_error naming the loader.
    const auto file = std::filesystem::temp_directory_path() / "l2s_test_truncated_workload.json";
    std::ofstream(file) << R"({"schema": "l2s-workload-v1", "islands": [[{"interv)";
    CHECK_THROWS_WITH_AS(io::load_workload(file), doctest::Contains("l2s::io::load_workload: "), io_error);
    std::filesystem::remove(file);
    CHECK_THROWS_WITH_AS(io::load_workload(file), doctest::Contains("cannot open"), io_error);
}

TEST_CASE("io scenario specs: a workload file in an experiment file; exactly one workload source") {
    const auto file = std::filesystem::temp_directory_path() / "l2s_test_scenario_workload.json";
    const auto w = sim::parsec_workload("dedup", 4, {.intervals = 20});
    io::save_workload(w, file);
    using nlohmann::json;
    const auto loaded = studies::workload_spec_from_json(json{{"file", file.string()}}, "scenario.workload", 4, 200, 1);
    CHECK(io::workload_to_json(loaded) == io::workload_to_json(w));
    CHECK(loaded.num_intervals() == 20);  // the file's own length, not the scenario's intervals
    CHECK_THROWS_WITH_AS((void)studies::workload_spec_from_json(json{{"file", file.string()}}, "scenario.workload", 16, 200, 1),
                         doctest::Contains("scenario.workload.file: "), invalid_config);
    CHECK_THROWS_WITH_AS((void)studies::workload_spec_from_json(json{{"file", file.string()}, {"parsec", "dedup"}}, "scenario.workload", 4, 200, 1),
                         doctest::Contains("exactly one of"), invalid_config);
    std::filesystem::remove(file);
    // thread roles: the experiment file's switch builds the same workload as the library call
    const auto roles = studies::workload_spec_from_json(json{{"parsec", "freqmine"}, {"thread_roles", true}},
                                                        "scenario.workload", 4, 120, 3);
    const auto direct = sim::with_thread_roles(sim::parsec_workload("freqmine", 4, {.intervals = 120, .seed = 3}),
                                               {.seed = 3});
    CHECK(io::workload_to_json(roles) == io::workload_to_json(direct));
    CHECK(roles.islands[0].front().threads == 1);
    CHECK_THROWS_WITH_AS((void)studies::workload_spec_from_json(json{{"synthetic", "bursty"}, {"thread_roles", true}},
                                                               "scenario.workload", 4, 120, 3),
                         "l2s::studies::workload_spec_from_json: scenario.workload.thread_roles: applies to \"parsec\" programs only",
                         invalid_config);
}
