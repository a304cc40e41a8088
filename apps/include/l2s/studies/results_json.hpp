// SPDX-License-Identifier: MIT
// l2s/studies/results_json.hpp: the studies' results as JSON documents, text tables, trace CSVs and SVG plots.
#pragma once
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/io/atomic_file.hpp>
#include <l2s/io/trace.hpp>
#include <l2s/studies/l2s_study.hpp>
#include <l2s/studies/leave_one_out.hpp>

namespace l2s::studies {

[[nodiscard]] inline nlohmann::json score_to_json(const dvfs::sequence_score& s) {
    return {{"energy_j", s.energy_j},   {"time_s", s.time_s},         {"edp", s.edp()},
            {"ed2p", s.ed2p()},         {"peak_temp_c", s.peak_temp_c}, {"time_over_limit_s", s.time_over_limit_s},
            {"transitions", s.transitions}};
}

/// One policy's episode: its score, name, slowdown, EDP against the oracle, and the mean decision time when
/// asked (the one part that differs between runs).
[[nodiscard]] inline nlohmann::json policy_run_to_json(const policy_run& run, bool with_latency) {
    nlohmann::json e = score_to_json(run.score);
    e["name"] = run.name;
    e["slowdown"] = run.slowdown;
    e["edp_vs_oracle"] = run.edp_vs_oracle;
    if (with_latency) e["decision_ns"] = run.decision_ns;
    return e;
}

/// A search result (schema l2s.sequence v1): score, feasibility, evaluations and the T × K levels; the wall
/// time only when asked, because it is the one part that differs between runs.
[[nodiscard]] inline nlohmann::json search_result_to_json(const search::search_result& r, bool with_time = false) {
    nlohmann::json doc;
    doc["schema"] = "l2s.sequence";
    doc["version"] = 1;
    doc["score"] = score_to_json(r.score);
    doc["reference"] = score_to_json(r.reference);
    doc["value"] = r.value;
    doc["feasible"] = r.feasible;
    if (!r.feasible) doc["infeasibility"] = r.infeasibility;
    doc["evaluations"] = r.evaluations;
    if (with_time) doc["time_s"] = r.time_s;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t t = 0; t < r.best.shape()[0]; ++t) {
        nlohmann::json row = nlohmann::json::array();
        for (std::size_t k = 0; k < r.best.shape()[1]; ++k) row.push_back(r.best(t, k));
        rows.push_back(std::move(row));
    }
    doc["levels"] = std::move(rows);
    return doc;
}

/// The study's results document (schema l2s.study_result v1); wall times (search seconds, decision
/// latencies, total) only when asked, because they are the part that differs between runs.
[[nodiscard]] inline nlohmann::json study_result_to_json(const study_result& r, bool with_time = true) {
    nlohmann::json j;
    j["schema"] = "l2s.study_result";
    j["version"] = 1;
    if (with_time) j["seconds"] = r.seconds;
    nlohmann::json plats = nlohmann::json::array();
    for (const auto& p : r.platforms) {
        nlohmann::json pj;
        pj["platform"] = p.platform;
        pj["islands"] = p.islands;
        pj["intervals"] = p.intervals;
        pj["training_samples"] = p.training_samples;
        pj["training_accuracy"] = p.training_accuracy;
        pj["il_greedy_accuracy"] = p.il_greedy_accuracy;
        pj["oracle_edp_vs_ondemand"] = p.oracle_edp_vs_ondemand;
        nlohmann::json ws = nlohmann::json::array();
        for (const auto& w : p.workloads) {
            nlohmann::json wj;
            wj["name"] = w.name;
            wj["role"] = w.role;
            wj["island_cores"] = w.island_cores;
            if (!std::isnan(w.relaxed_edp_vs_oracle)) {  // JSON has no NaN: absent when not computed
                wj["relaxed_edp_vs_oracle"] = w.relaxed_edp_vs_oracle;
                wj["all_max_vs_relaxed"] = w.all_max_vs_relaxed;
            }
            nlohmann::json os = nlohmann::json::array();
            for (const auto& o : w.oracles) {
                nlohmann::json e = score_to_json(o.score);
                e["strategy"] = o.strategy;
                e["slowdown"] = o.slowdown;
                e["edp_vs_oracle"] = o.edp_vs_oracle;
                e["evaluations"] = o.evaluations;
                e["feasible"] = o.feasible;
                if (with_time) e["seconds"] = o.seconds;
                os.push_back(std::move(e));
            }
            wj["oracles"] = std::move(os);
            nlohmann::json runs = nlohmann::json::array();
            for (const auto& run : w.runs) runs.push_back(policy_run_to_json(run, with_time));
            wj["runs"] = std::move(runs);
            ws.push_back(std::move(wj));
        }
        pj["workloads"] = std::move(ws);
        nlohmann::json sum = nlohmann::json::array();
        for (const auto& s : p.summary)
            sum.push_back({{"policy", s.policy}, {"role", s.role}, {"mean_edp_vs_oracle", s.mean_edp_vs_oracle},
                           {"mean_slowdown", s.mean_slowdown}, {"worst_slowdown", s.worst_slowdown}, {"workloads", s.workloads}});
        pj["summary"] = std::move(sum);
        plats.push_back(std::move(pj));
    }
    j["platforms"] = std::move(plats);
    return j;
}

/// The study as text: per platform, EDP / oracle (slowdown) of every policy on every workload, the oracle
/// searches (EDP / best, evaluations, seconds), and the means per role.
inline void write_study_table(std::ostream& out, const study_result& r) {
    char buf[512];
    for (const auto& p : r.platforms) {
        std::snprintf(buf, sizeof buf,
                      "== %s: %zu islands, T = %zu; %zu training samples, imitation accuracy %.3f (il_greedy %.3f); "
                      "oracle EDP / ondemand EDP %.3f\n",
                      p.platform.c_str(), p.islands, p.intervals, p.training_samples, p.training_accuracy,
                      p.il_greedy_accuracy, p.oracle_edp_vs_ondemand);
        out << buf << "EDP / oracle EDP (slowdown):\n";
        for (const auto& w : p.workloads) {
            std::snprintf(buf, sizeof buf, "%-26s %-9s", w.name.c_str(), w.role.c_str());
            out << buf;
            for (const auto& run : w.runs) {
                std::snprintf(buf, sizeof buf, " %s %.3f (%+.1f%%)", run.name.c_str(), run.edp_vs_oracle, 100.0 * run.slowdown);
                out << buf;
            }
            out << "\n";
        }
        out << "oracle searches (EDP / best, slowdown, evaluations, seconds):\n";
        for (const auto& w : p.workloads) {
            std::snprintf(buf, sizeof buf, "%-26s", w.name.c_str());
            out << buf;
            for (const auto& o : w.oracles) {
                std::snprintf(buf, sizeof buf, " %s %.3f (%+.1f%%%s, %zu, %.2f s)", o.strategy.c_str(), o.edp_vs_oracle,
                              100.0 * o.slowdown, o.feasible ? "" : ", infeasible", o.evaluations, o.seconds);
                out << buf;
            }
            out << "\n";
        }
        bool relaxed = false;
        for (const auto& w : p.workloads) relaxed = relaxed || !std::isnan(w.relaxed_edp_vs_oracle);
        if (relaxed) {
            out << "relaxed per-interval optimum (couplings relaxed; EDP / oracle, all-max EDP / relaxed EDP):\n";
            for (const auto& w : p.workloads)
                if (!std::isnan(w.relaxed_edp_vs_oracle)) {
                    std::snprintf(buf, sizeof buf, "%-26s %.3f %.3f\n", w.name.c_str(), w.relaxed_edp_vs_oracle,
                                  w.all_max_vs_relaxed);
                    out << buf;
                }
        }
        out << "means per role (EDP / oracle, mean slowdown, worst slowdown, workloads):\n";
        for (const auto& s : p.summary) {
            std::snprintf(buf, sizeof buf, "%-12s %-9s %.3f %+6.1f%% %+6.1f%% %zu\n", s.policy.c_str(), s.role.c_str(),
                          s.mean_edp_vs_oracle, 100.0 * s.mean_slowdown, 100.0 * s.worst_slowdown, s.workloads);
            out << buf;
        }
        out << "\n";
    }
}

/// The results document (schema l2s.loo_result v1); decision latencies are included only when asked,
/// because they are the one part that differs between runs.
[[nodiscard]] inline nlohmann::json loo_result_to_json(const loo_result& r, bool with_latency = true) {
    nlohmann::json j;
    j["schema"] = "l2s.loo_result";
    j["version"] = 1;
    j["platform"] = r.platform;
    j["held_out"] = r.held_out;
    j["islands"] = r.islands;
    j["island_cores"] = r.island_cores;
    j["levels"] = r.levels;
    j["intervals"] = r.intervals;
    j["training"] = r.training;
    j["training_accuracy"] = r.training_accuracy;
    j["training_oracle_edp_gain"] = r.training_oracle_edp_gain;
    j["training_samples"] = r.training_samples;
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& p : r.runs) runs.push_back(policy_run_to_json(p, with_latency));
    j["runs"] = std::move(runs);
    j["adaptation"] = {{"window_end_fraction", r.window_fraction},
                       {"uaol_edp_gap", r.uaol_window_gap},
                       {"policy_edp_gap", r.policy_window_gap},
                       {"uaol_unseen_fraction", r.unseen_fraction},
                       {"uaol_unseen_total", r.uaol_unseen_total}};
    if (with_latency) j["seconds"] = r.seconds;
    return j;
}

/// The comparison table: one row per policy.
inline void write_loo_table(std::ostream& out, const loo_result& r) {
    char line[256];
    std::snprintf(line, sizeof line, "%-13s %10s %9s %9s %9s %9s %10s %12s\n", "policy", "EDP (J*s)", "vs oracle",
                  "energy J", "time s", "slowdown", "peak T (C)", "decision us");
    out << line;
    for (const auto& p : r.runs) {
        std::snprintf(line, sizeof line, "%-13s %10.4g %9.3f %9.3f %9.4f %+8.1f%% %10.1f %12.2f\n", p.name.c_str(),
                      p.score.edp(), p.edp_vs_oracle, p.score.energy_j, p.score.time_s, 100.0 * p.slowdown,
                      p.score.peak_temp_c, p.decision_ns * 1e-3);
        out << line;
    }
}

/// Writes what `write(std::ostream&)` produces to `file` atomically (io::write_file_atomic: a temporary file,
/// fsync, rename), so an interrupted run never leaves a truncated file where a complete one was.
template <class Write>
void write_atomically(const std::filesystem::path& file, const std::string& who, Write&& write) {
    std::ostringstream text;
    write(text);
    io::write_file_atomic(file, text.str(), who);
}

/// Writes results.json, table.txt, edp.svg, and per policy trace_<name>.csv and trace_<name>.svg into dir
/// (created if needed), each atomically. Returns the files written. Throws io_error when a file cannot be
/// written.
inline std::vector<std::filesystem::path> write_loo_outputs(const loo_result& r, const std::filesystem::path& dir) {
    constexpr const char* who = "l2s::studies::write_loo_outputs";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw io_error(std::string(who) + ": cannot create " + dir.string() + ": " + ec.message());
    std::vector<std::filesystem::path> files;
    auto put = [&](const std::string& name, auto&& write) {
        files.push_back(dir / name);
        write_atomically(files.back(), who, write);
    };
    put("results.json", [&](std::ostream& f) { f << loo_result_to_json(r).dump(2) << "\n"; });
    put("table.txt", [&](std::ostream& f) { write_loo_table(f, r); });
    std::vector<std::pair<std::string, double>> bars;
    for (const auto& p : r.runs) bars.emplace_back(p.name, p.score.edp());
    put("edp.svg", [&](std::ostream& f) { io::write_bar_svg(f, bars, "EDP (J*s) on " + r.held_out + ", " + r.platform); });
    for (const auto& p : r.runs) {
        put("trace_" + p.name + ".csv", [&](std::ostream& f) { io::write_trace_csv(f, p.trace); });
        put("trace_" + p.name + ".svg", [&](std::ostream& f) { io::write_trace_svg(f, p.trace); });
    }
    return files;
}

}  // namespace l2s::studies
