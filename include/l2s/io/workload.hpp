// SPDX-License-Identifier: MIT
// l2s/io/workload.hpp: workload descriptions (a phase program per island) to and from JSON, schema
// "l2s-workload-v1". Reading is strict: unknown keys, wrong types and unusable values are rejected naming
// the field.  @see docs/sim.md#workload-files
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/io/json_util.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/strict_reader.hpp>
#include <l2s/sim/workload.hpp>

namespace l2s::io {

/// The JSON form of a workload (every phase field written, so the file documents itself):
/// {"schema": "l2s-workload-v1", "name": ..., "work_scale": [...] and "program_of_island": [...] (only when set),
///  "islands": [[{"cpi_core", "mem_per_instr", "t_mem_s", "activity", "active_fraction", "intervals", "threads",
///   "work_scale"}, ...], ...]}
[[nodiscard]] inline nlohmann::json workload_to_json(const sim::workload& w) {
    nlohmann::json j;
    j["schema"] = "l2s-workload-v1";
    j["name"] = w.name;
    if (!w.work_scale.empty()) j["work_scale"] = w.work_scale;
    if (!w.program_of_island.empty()) j["program_of_island"] = w.program_of_island;
    nlohmann::json islands = nlohmann::json::array();
    for (const auto& prog : w.islands) {
        nlohmann::json phases = nlohmann::json::array();
        for (const auto& p : prog)
            phases.push_back({{"cpi_core", p.cpi_core},
                              {"mem_per_instr", p.mem_per_instr},
                              {"t_mem_s", p.t_mem_s},
                              {"activity", p.activity},
                              {"active_fraction", p.active_fraction},
                              {"intervals", p.intervals},
                              {"threads", p.threads},
                              {"work_scale", p.work_scale}});
        islands.push_back(std::move(phases));
    }
    j["islands"] = std::move(islands);
    return j;
}

namespace detail {
inline sim::workload workload_from_json_body(const nlohmann::json& j) {
    const std::string who = "l2s::io::workload_from_json";
    detail::strict_reader r(j, "workload", who);
    std::string schema;
    sim::workload w;
    r.get("schema", schema);
    r.get("name", w.name);
    (void)r.child(integrity::digest_key);  // checked by the caller
    const auto* scale = r.child("work_scale");
    const auto* programs = r.child("program_of_island");
    const auto* islands = r.child("islands");
    r.finish();
    if (schema != "l2s-workload-v1") r.fail("workload.schema", "expected \"l2s-workload-v1\"");
    if (scale != nullptr) {
        if (!scale->is_array()) r.fail("workload.work_scale", "must be an array of numbers");
        for (const auto& x : *scale) {
            if (!x.is_number()) r.fail("workload.work_scale", "must be an array of numbers");
            w.work_scale.push_back(x.get<double>());
        }
    }
    if (programs != nullptr) {
        if (!programs->is_array()) r.fail("workload.program_of_island", "must be an array of program numbers");
        for (const auto& x : *programs) {
            if (!x.is_number_integer() || x.get<long long>() < 0) r.fail("workload.program_of_island", "must be an array of program numbers");
            w.program_of_island.push_back(x.get<std::size_t>());
        }
    }
    if (islands == nullptr) r.fail("workload.islands", "missing");
    if (!islands->is_array() || islands->empty()) r.fail("workload.islands", "must be a non-empty array of phase lists");
    for (std::size_t k = 0; k < islands->size(); ++k) {
        const auto& prog = (*islands)[k];
        const std::string at = "workload.islands[" + std::to_string(k) + "]";
        if (!prog.is_array() || prog.empty()) r.fail(at, "must be a non-empty array of phases");
        std::vector<sim::phase> phases;
        for (std::size_t i = 0; i < prog.size(); ++i) {
            const std::string pat = at + "[" + std::to_string(i) + "]";
            detail::strict_reader pr(prog[i], pat, who);
            sim::phase p;
            pr.get("cpi_core", p.cpi_core);
            pr.get("mem_per_instr", p.mem_per_instr);
            pr.get("t_mem_s", p.t_mem_s);
            pr.get("activity", p.activity);
            pr.get("active_fraction", p.active_fraction);
            pr.get("intervals", p.intervals);
            pr.get("threads", p.threads);
            pr.get("work_scale", p.work_scale);
            pr.finish();
            phases.push_back(p);
        }
        w.islands.push_back(std::move(phases));
    }
    try {
        w.validate(w.num_islands());
    } catch (const invalid_config& e) {
        throw invalid_config(who + ": " + e.what());
    }
    return w;
}
}  // namespace detail

/// Reads a workload written by workload_to_json or save_workload (or by hand: a phase field that is absent
/// takes its default from sim::phase; "name", "work_scale", "program_of_island" and "digest" are optional). A "digest" is checked
/// (integrity::verify; io_error "... integrity check failed" on a mismatch, or when it is absent and
/// `o.require_digest` is set). The result is validated as sim::workload::validate does for its own number of
/// islands. Throws invalid_config naming the field ("l2s::io::workload_from_json: islands[1][0].activity: ...").
[[nodiscard]] inline sim::workload workload_from_json(const nlohmann::json& j, const load_options& o = {}) {
    integrity::verify(j, "l2s::io::workload_from_json", "", o);
    return detail::workload_from_json_body(j);
}

/// Reads a workload file (io_error naming the file when it cannot be read, is not JSON or fails its integrity
/// check; invalid_config as workload_from_json).
[[nodiscard]] inline sim::workload load_workload(const std::filesystem::path& file, const load_options& o = {}) {
    return detail::workload_from_json_body(json_util::read_file(file, "l2s::io::load_workload", o));
}

/// Writes a workload file, sealed with its digest, atomically (io_error when it cannot be written; the
/// previous file is then intact).
inline void save_workload(const sim::workload& w, const std::filesystem::path& file, const file_ops& ops = {}) {
    json_util::write_file(workload_to_json(w), file, "l2s::io::save_workload", 1, ops);
}

}  // namespace l2s::io
