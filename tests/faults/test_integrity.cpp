// tests/faults/test_integrity.cpp: digests of persisted documents: canonical form, verification by every loader,
// documents without a digest, require_digest.  @see docs/reliability.md#integrity
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <l2s/io/json_util.hpp>

#include "faults/campaign.hpp"
#include "support/files.hpp"

using namespace l2s;
namespace fs = std::filesystem;

namespace {
using test::has;
using test::slurp;
void put(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
/// Changes the first occurrence of `from` after the digest-free part of the text into `to` (a valid JSON edit
/// the digest does not cover).
std::string edit(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("integrity: FNV-1a 64 reference values, and a digest that ignores indentation, key order and its own member") {
    using namespace io::integrity;
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
    const auto j = nlohmann::json::parse(R"({"b": [1, 2.5, -0.0], "a": {"y": "z", "x": null}})");
    const auto k = nlohmann::json::parse("{\"a\":{\"x\":null,\"y\":\"z\"},\n\n \"b\":[1,2.50,-0.0]}");
    CHECK(digest(j) == digest(k));
    CHECK(digest(j).rfind("fnv1a64:", 0) == 0);
    CHECK(digest(j).size() == 8 + 16);
    const auto s = sealed(j);
    CHECK(digest(s) == digest(j));  // the digest member is not part of the canonical text
    CHECK(io::integrity::verify(s, "who", ""));
    CHECK_FALSE(io::integrity::verify(j, "who", ""));  // no digest: accepted
    CHECK_THROWS_WITH_AS(io::integrity::verify(j, "who", "f.json", {.require_digest = true}),
                         has("who: f.json: integrity check failed"), io_error);
    auto t = s;
    t["b"][1] = 2.4;
    CHECK_THROWS_WITH_AS(io::integrity::verify(t, "who", ""), has("integrity check failed"), io_error);
    t = s;
    t["digest"] = 7;
    CHECK_THROWS_WITH_AS(io::integrity::verify(t, "who", ""), has("integrity check failed"), io_error);
    t["digest"] = "sha256:00";
    CHECK_THROWS_WITH_AS(io::integrity::verify(t, "who", ""), has("integrity check failed"), io_error);
    CHECK_THROWS_AS((void)sealed(nlohmann::json::array()), io_error);
}

TEST_CASE("integrity: every saver seals, every loader verifies and names the file, unsealed documents load unless required") {
    test::temp_dir tmp("l2s_integrity_");
    test::faults::subjects S;
    const io::load_options strict{.require_digest = true};

    // Policies: text and file loaders.
    rng_type rng(3);
    const auto p = test::random_softmax<double>(2, 3, rng);
    const std::string text = io::save_policy(p);
    const auto j = nlohmann::json::parse(text);
    REQUIRE(j.contains("digest"));
    auto tampered = j;
    tampered["heads"][0]["weights"]["data"][0] = p.heads()[0].weights(0, 0) + 1e-9;
    CHECK_THROWS_WITH_AS((void)io::load_any_policy(tampered.dump(1)), has("integrity check failed"), io_error);
    CHECK_THROWS_WITH_AS((void)io::load_policy<policy::softmax_linear<double>>(tampered.dump()),
                         has("l2s::io::load_policy: integrity check failed"), io_error);
    put(tmp.path / "p.json", tampered.dump(1));
    CHECK_THROWS_WITH_AS((void)io::load_policy_file<policy::softmax_linear<double>>(tmp.path / "p.json"),
                         has((tmp.path / "p.json").string() + ": integrity check failed"), io_error);
    CHECK_THROWS_WITH_AS((void)io::load_any_policy_file(tmp.path / "p.json"), has("integrity check failed"),
                         io_error);
    auto unsealed = j;
    unsealed.erase("digest");
    CHECK(io::save_policy(io::load_any_policy(unsealed.dump())) == text);
    CHECK_THROWS_WITH_AS((void)io::load_any_policy(unsealed.dump(), strict), has("integrity check failed"),
                         io_error);
    CHECK(io::save_policy(io::load_any_policy(text, strict)) == text);
    io::save_policy(p, tmp.path / "p.json");
    CHECK(io::save_policy(io::load_policy_file<policy::softmax_linear<double>>(tmp.path / "p.json", strict)) == text);

    // GP state: text, json and file.
    auto& g = S.gp;
    const std::string gtext = io::gp_to_string(g.original);
    auto gj = nlohmann::json::parse(gtext);
    gj["y"][3] = gj["y"][3].get<double>() * (1 + 1e-15);
    CHECK_THROWS_WITH_AS(io::gp_from_json(gj, g.target), has("integrity check failed"), io_error);
    CHECK(io::gp_to_string(g.target) == g.target_before);
    io::save_gp_file(g.original, tmp.path / "gp.json");
    put(tmp.path / "gp_bad.json", gj.dump());
    CHECK_THROWS_WITH_AS(io::load_gp_file(tmp.path / "gp_bad.json", g.target),
                         has((tmp.path / "gp_bad.json").string() + ": integrity check failed"), io_error);
    CHECK(io::gp_to_string(g.target) == g.target_before);
    auto g2 = g.target;
    io::load_gp_file(tmp.path / "gp.json", g2, strict);
    CHECK(io::gp_to_string(g2) == gtext);
    gj = nlohmann::json::parse(gtext);
    gj.erase("digest");
    CHECK_THROWS_AS(io::gp_from_json(gj, g2, strict), io_error);
    io::gp_from_json(gj, g2);
    CHECK(io::gp_to_string(g2) == gtext);

    // BO state: text and file.
    auto& b = S.bo;
    const std::string btext = io::save_bo(b.original);
    put(tmp.path / "bo_bad.json", edit(btext, "\"relearn_every\":4", "\"relearn_every\":5"));
    CHECK_THROWS_WITH_AS(io::load_bo_file(b.target, tmp.path / "bo_bad.json"),
                         has((tmp.path / "bo_bad.json").string() + ": integrity check failed"), io_error);
    CHECK(io::save_bo(b.target) == b.target_before);
    auto bj = nlohmann::json::parse(btext);
    bj.erase("digest");
    CHECK_THROWS_WITH_AS(io::load_bo(b.target, bj.dump(), strict), has("integrity check failed"), io_error);
    CHECK_THROWS_AS((void)io::bo_state_from_json(bj, strict), io_error);
    CHECK(io::save_bo(b.target) == b.target_before);
    io::save_bo_file(b.original, tmp.path / "bo.json");
    io::load_bo_file(b.target, tmp.path / "bo.json", strict);
    CHECK(io::save_bo(b.target) == btext);

    // Workload files.
    const auto wl = test::faults::sample_workload();
    io::save_workload(wl, tmp.path / "w.json");
    CHECK(nlohmann::json::parse(slurp(tmp.path / "w.json")).contains("digest"));
    CHECK(io::workload_to_json(io::load_workload(tmp.path / "w.json", strict)) == io::workload_to_json(wl));
    put(tmp.path / "w_bad.json", edit(slurp(tmp.path / "w.json"), "\"intervals\": 5", "\"intervals\": 6"));
    CHECK_THROWS_WITH_AS((void)io::load_workload(tmp.path / "w_bad.json"),
                         has((tmp.path / "w_bad.json").string() + ": integrity check failed"), io_error);
    auto wj = io::workload_to_json(wl);
    CHECK(io::workload_to_json(io::workload_from_json(wj)) == wj);  // written by hand: no digest
    CHECK_THROWS_AS((void)io::workload_from_json(wj, strict), io_error);

    // Platform files (written by hand; sealed with integrity::sealed when a host wants them checked).
    const auto pj = test::faults::sample_platform_json();
    put(tmp.path / "pl.json", pj.dump(2));
    const auto pl = io::load_platform(tmp.path / "pl.json", {}, strict);
    auto pj_bad = pj;
    pj_bad["islands"][1]["cores"] = 3;
    put(tmp.path / "pl_bad.json", pj_bad.dump(2));
    CHECK_THROWS_WITH_AS((void)io::load_platform(tmp.path / "pl_bad.json"),
                         has((tmp.path / "pl_bad.json").string() + ": integrity check failed"), io_error);
    pj_bad.erase("digest");
    CHECK(io::platform_from_json(pj_bad).islands[1].cores == 3);
    CHECK_THROWS_AS((void)io::platform_from_json(pj_bad, {}, strict), io_error);
    CHECK(test::faults::platform_identity(pl) == test::faults::platform_identity(io::platform_from_json(pj)));

    // Any JSON file written through json_util.
    io::json_util::write_file({{"a", 1}}, tmp.path / "any.json", "test");
    CHECK(io::json_util::read_file(tmp.path / "any.json", "test", strict)["a"] == 1);
    put(tmp.path / "any_bad.json", edit(slurp(tmp.path / "any.json"), "\"a\": 1", "\"a\": 2"));
    CHECK_THROWS_WITH_AS((void)io::json_util::read_file(tmp.path / "any_bad.json", "test"),
                         has("integrity check failed"), io_error);
}
