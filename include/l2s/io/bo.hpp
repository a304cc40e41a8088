// SPDX-License-Identifier: MIT
// l2s/io/bo.hpp: save and load a BO optimizer's whole state as JSON (schema "l2s.bo_state", version 1).
#pragma once
#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <l2s/bo/optimizer_state.hpp>
#include <l2s/core/error.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/integrity.hpp>
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

namespace detail {
[[nodiscard]] inline bo::optimizer_state bo_state_from_json_body(const nlohmann::json& j) {
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

template <class Opt>
void load_bo_text(Opt& o, std::string_view text, std::string_view source, const load_options& lo) {
    const std::string who = "l2s::io::load_bo";
    const nlohmann::json j = integrity::parse(text, who, source);
    integrity::verify(j, who, source, lo);
    const bo::optimizer_state s = bo_state_from_json_body(j);
    try {
        o.restore(s);
    } catch (const io_error&) {
        throw;
    } catch (const error& e) {
        throw io_error(who + ": the state does not fit this optimizer (" + e.what() + ")");
    }
}
}  // namespace detail

/// Reads a state written by bo_state_to_json or save_bo; io_error for a digest that does not match the
/// content ("integrity check failed"; a document without one is accepted unless `o.require_digest`), a wrong
/// schema or version, a missing field or a field of the wrong type or shape.
[[nodiscard]] inline bo::optimizer_state bo_state_from_json(const nlohmann::json& j, const load_options& o = {}) {
    integrity::verify(j, "l2s::io::load_bo_state", "", o);
    return detail::bo_state_from_json_body(j);
}

/// The optimizer's state as JSON text, sealed with its digest (integrity::sealed).
template <class Opt>
[[nodiscard]] std::string save_bo(const Opt& o) {
    return integrity::sealed(bo_state_to_json(o.state()), "l2s::io::save_bo").dump();
}

/// Restores the optimizer from JSON text. Any problem (unparsable or truncated text, a digest that does not
/// match the content, a missing digest when `lo.require_digest`, wrong schema or version, a state inconsistent
/// with the optimizer's space or model) throws io_error and leaves the optimizer unchanged.
template <class Opt>
void load_bo(Opt& o, std::string_view text, const load_options& lo = {}) {
    detail::load_bo_text(o, text, {}, lo);
}

/// Writes the optimizer's state (save_bo) to a file atomically (write_file_atomic); io_error if it cannot be
/// written, and the previous file is then intact.
template <class Opt>
void save_bo_file(const Opt& o, const std::filesystem::path& path, const file_ops& ops = {}) {
    write_file_atomic(path, save_bo(o), "l2s::io::save_bo_file", ops);
}

/// Restores the optimizer from a file written by save_bo_file; io_error naming the file if it cannot be read or
/// is invalid (as load_bo), the optimizer unchanged.
template <class Opt>
void load_bo_file(Opt& o, const std::filesystem::path& path, const load_options& lo = {}) {
    detail::load_bo_text(o, json_util::read_text(path, "l2s::io::load_bo_file"), path.string(), lo);
}

}  // namespace l2s::io
