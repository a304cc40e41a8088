// SPDX-License-Identifier: MIT
// l2s/io/bo.hpp: save and load a BO optimizer's whole state as JSON (schema "l2s.bo_state", version 1).
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <l2s/bo/optimizer_state.hpp>
#include <l2s/core/error.hpp>
#include <l2s/io/json_util.hpp>

namespace l2s::io {

/// Schema name and version written into every saved BO state; loading rejects any other.
inline constexpr std::string_view bo_state_schema = "l2s.bo_state";
inline constexpr int bo_state_schema_version = 1;

/// The state as a JSON document. NaN target_value is written as null.  @see docs/bo.md#saving-and-loading
[[nodiscard]] inline nlohmann::json bo_state_to_json(const bo::optimizer_state& s) {
    using namespace json_util;
    const auto& c = s.config;
    nlohmann::json cfg = {{"goal", c.goal == sense::minimize ? "minimize" : "maximize"},
                          {"initial_points", c.initial_points},
                          {"initial_design", bo::to_string(c.initial_design)},
                          {"relearn_every", c.relearn_every},
                          {"num_constraints", c.num_constraints},
                          {"noisy_objective", c.noisy_objective},
                          {"normalise_inputs", c.normalise_inputs},
                          {"avoid_duplicates", c.avoid_duplicates},
                          {"target_value", nullptr},
                          {"patience", c.patience}};
    if (!std::isnan(c.target_value)) cfg["target_value"] = c.target_value;
    auto ct = nlohmann::json::array();
    for (const vec& t : s.constraint_theta) ct.push_back(from_vector(t));
    return {{"schema", bo_state_schema},
            {"version", bo_state_schema_version},
            {"config", cfg},
            {"X", from_matrix(s.X)},
            {"y", from_vector(s.y)},
            {"constraints", from_matrix(s.constraints)},
            {"pending", from_matrix(s.pending)},
            {"design", from_matrix(s.design)},
            {"design_next", s.design_next},
            {"learned_at", s.learned_at},
            {"theta", from_vector(s.theta)},
            {"constraint_theta", ct}};
}

/// Reads a state written by bo_state_to_json; io_error for a wrong schema or version, a missing field or a
/// field of the wrong type or shape.
[[nodiscard]] inline bo::optimizer_state bo_state_from_json(const nlohmann::json& j) {
    using namespace json_util;
    const std::string who = "l2s::io::load_bo_state";
    if (!j.is_object()) throw io_error(who + ": the document is not a JSON object");
    if (get<std::string>(j, "schema", who) != bo_state_schema) throw io_error(who + ": not an l2s.bo_state document");
    if (get<int>(j, "version", who) != bo_state_schema_version)
        throw io_error(who + ": unsupported version " + std::to_string(get<int>(j, "version", who)));
    const auto& jc = member(j, "config", who);
    bo::optimizer_state s;
    auto& c = s.config;
    const auto goal = get<std::string>(jc, "goal", who);
    if (goal != "minimize" && goal != "maximize") throw io_error(who + ": goal must be minimize or maximize");
    c.goal = goal == "minimize" ? sense::minimize : sense::maximize;
    c.initial_points = get<std::size_t>(jc, "initial_points", who);
    const auto design = get<std::string>(jc, "initial_design", who);
    const auto kind = std::find_if(bo::design_kind_names.begin(), bo::design_kind_names.end(),
                                   [&](const auto& nv) { return design == nv.first; });
    if (kind == bo::design_kind_names.end()) throw io_error(who + ": unknown initial_design '" + design + "'");
    c.initial_design = kind->second;
    c.relearn_every = get<std::size_t>(jc, "relearn_every", who);
    c.num_constraints = get<std::size_t>(jc, "num_constraints", who);
    c.noisy_objective = get<bool>(jc, "noisy_objective", who);
    c.normalise_inputs = get<bool>(jc, "normalise_inputs", who);
    c.avoid_duplicates = get<bool>(jc, "avoid_duplicates", who);
    const auto& tv = member(jc, "target_value", who);
    if (tv.is_null()) c.target_value = std::numeric_limits<double>::quiet_NaN();
    else c.target_value = get<double>(jc, "target_value", who);
    c.patience = get<std::size_t>(jc, "patience", who);
    s.X = to_matrix(member(j, "X", who), who, "X");
    s.y = to_vector(member(j, "y", who), who, "y");
    s.constraints = to_matrix(member(j, "constraints", who), who, "constraints");
    s.pending = to_matrix(member(j, "pending", who), who, "pending");
    s.design = to_matrix(member(j, "design", who), who, "design");
    s.design_next = get<std::size_t>(j, "design_next", who);
    s.learned_at = get<std::size_t>(j, "learned_at", who);
    s.theta = to_vector(member(j, "theta", who), who, "theta");
    const auto& ct = member(j, "constraint_theta", who);
    if (!ct.is_array()) throw io_error(who + ": constraint_theta is not an array");
    for (const auto& t : ct) s.constraint_theta.push_back(to_vector(t, who, "constraint_theta"));
    return s;
}

/// The optimizer's state as JSON text.
template <class Opt>
[[nodiscard]] std::string save_bo(const Opt& o) {
    return bo_state_to_json(o.state()).dump();
}

/// Restores the optimizer from JSON text. Any problem (unparsable or truncated text, wrong schema or version,
/// a state inconsistent with the optimizer's space or model) throws io_error and leaves the optimizer unchanged.
template <class Opt>
void load_bo(Opt& o, std::string_view text) {
    const std::string who = "l2s::io::load_bo";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw io_error(who + ": malformed JSON (" + e.what() + ")");
    }
    const bo::optimizer_state s = bo_state_from_json(j);
    try {
        o.restore(s);
    } catch (const io_error&) {
        throw;
    } catch (const error& e) {
        throw io_error(who + ": the state does not fit this optimizer (" + e.what() + ")");
    }
}

/// Writes the optimizer's state to a file; io_error if it cannot be written.
template <class Opt>
void save_bo_file(const Opt& o, const std::filesystem::path& path) {
    std::ofstream out(path);
    if (!out) throw io_error("l2s::io::save_bo_file: cannot open " + path.string());
    out << save_bo(o);
    if (!out) throw io_error("l2s::io::save_bo_file: cannot write " + path.string());
}

/// Restores the optimizer from a file written by save_bo; io_error if it cannot be read or is invalid.
template <class Opt>
void load_bo_file(Opt& o, const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw io_error("l2s::io::load_bo_file: cannot open " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    load_bo(o, std::string_view(ss.str()));
}

}  // namespace l2s::io
