// SPDX-License-Identifier: MIT
// l2s/studies/json.hpp: experiment configs from JSON (strict: unknown or ill-typed keys are rejected by
// name) and results to JSON, tables and plots.  @see docs/cli.md#experiment-files
#pragma once
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/studies/l2s_study.hpp>
#include <l2s/studies/leave_one_out.hpp>
#include <l2s/studies/uaol_setup.hpp>
#include <l2s/io/strict_reader.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/io/trace.hpp>
#include <l2s/io/workload.hpp>

namespace l2s::studies {

/// A platform and a workload on it, read from JSON:
///   "platform": "<built-in name>" | {"file": path, "opp_table", "total_cores", "cores_per_island", "levels"}
///   "workload": "<PARSEC name>" | {"parsec": name, "profile_cores", "imbalance"}
///               | {"synthetic": "compute_bound"|"memory_bound"|"phase_alternating"|"bursty", "min_dwell", "max_dwell"}
///               | {"file": path to a workload file (io/workload.hpp; its own intervals, one program per island)}
///   "intervals": T (default 200), "seed": s (default 1)
/// The reader takes these keys from r (which rejects unknown ones when finished by the caller).
struct scenario {
    sim::platform platform;
    sim::workload workload;
    std::uint64_t seed = 1;
};

[[nodiscard]] inline sim::platform platform_spec_from_json(const nlohmann::json& j, const std::string& path) {
    if (j.is_string()) return sim::builtin_platform(j.get<std::string>());
    io::strict_reader r(j, path, "l2s::studies::platform_spec_from_json");
    std::string file;
    io::platform_options o;
    r.get("file", file);
    r.get("opp_table", o.opp_table);
    r.get("total_cores", o.total_cores);
    r.get("cores_per_island", o.cores_per_island);
    r.get("levels", o.levels);
    r.finish();
    if (file.empty()) r.fail(path + ".file", "missing");
    return io::load_platform(file, o);
}

[[nodiscard]] inline sim::workload workload_spec_from_json(const nlohmann::json& j, const std::string& path, std::size_t K,
                                                           std::size_t T, std::uint64_t seed) {
    if (j.is_string()) return sim::parsec_workload(j.get<std::string>(), K, {.intervals = T, .seed = seed});
    io::strict_reader r(j, path, "l2s::studies::workload_spec_from_json");
    std::string parsec, synthetic, file;
    sim::parsec_options po;
    po.intervals = T;
    po.seed = seed;
    sim::synthetic_options so;
    so.intervals = T;
    r.get("parsec", parsec);
    r.get("profile_cores", po.profile_cores);
    r.get("imbalance", po.imbalance);
    so.imbalance = po.imbalance;
    r.get("synthetic", synthetic);
    r.get("min_dwell", so.min_dwell);
    r.get("max_dwell", so.max_dwell);
    r.get("file", file);
    r.finish();
    if (int(!parsec.empty()) + int(!synthetic.empty()) + int(!file.empty()) != 1)
        r.fail(path, "needs exactly one of \"parsec\", \"synthetic\" and \"file\"");
    if (!file.empty()) {
        auto w = io::load_workload(file);
        if (w.num_islands() != K)
            r.fail(path + ".file", file + " has " + std::to_string(w.num_islands()) + " island programs, the platform " +
                                       std::to_string(K) + " islands");
        return w;
    }
    if (!parsec.empty()) return sim::parsec_workload(parsec, K, po);
    sim::synthetic_kind kind{};
    if (synthetic == "compute_bound") kind = sim::synthetic_kind::compute_bound;
    else if (synthetic == "memory_bound") kind = sim::synthetic_kind::memory_bound;
    else if (synthetic == "phase_alternating") kind = sim::synthetic_kind::phase_alternating;
    else if (synthetic == "bursty") kind = sim::synthetic_kind::bursty;
    else r.fail(path + ".synthetic", "must be compute_bound, memory_bound, phase_alternating or bursty");
    rng_type rng(seed);
    return sim::synthetic_workload(kind, K, rng, so);
}

/// Reads platform, workload, intervals and seed from r (see scenario).
[[nodiscard]] inline scenario scenario_from(io::strict_reader& r, const std::string& path) {
    scenario s;
    std::size_t T = 200;
    r.get("intervals", T);
    r.get("seed", s.seed);
    if (T < 1 || T > 1000000) r.fail(path + ".intervals", "must be in [1, 1000000]");
    const auto* p = r.child("platform");
    s.platform = p ? platform_spec_from_json(*p, path + ".platform") : sim::builtin_platform("sniper_manycore");
    const auto* w = r.child("workload");
    if (w == nullptr) r.fail(path + ".workload", "missing");
    s.workload = workload_spec_from_json(*w, path + ".workload", s.platform.num_islands(), T, s.seed);
    return s;
}

/// Reads the "objective" object: {"kind": "edp"|"ed2p"|"energy"|"energy_thermal", "max_slowdown", "t_max_c",
/// "thermal_weight", "thermal_reference_c"}.
[[nodiscard]] inline search::objective objective_from_json(const nlohmann::json& j, const std::string& path = "objective") {
    const std::string who = "l2s::studies::objective_from_json";
    io::strict_reader r(j, path, who);
    search::objective o;
    std::string kind = "edp";
    r.get("kind", kind);
    if (kind == "edp") o.kind = search::metric::edp;
    else if (kind == "ed2p") o.kind = search::metric::ed2p;
    else if (kind == "energy") o.kind = search::metric::energy;
    else if (kind == "energy_thermal") o.kind = search::metric::energy_thermal;
    else r.fail(path + ".kind", "must be edp, ed2p, energy or energy_thermal");
    r.get("max_slowdown", o.max_slowdown);
    r.get("t_max_c", o.t_max_c);
    r.get("thermal_weight", o.thermal_weight);
    r.get("thermal_reference_c", o.thermal_reference_c);
    r.finish();
    o.validate(who.c_str());
    return o;
}

/// UaOL's parts from JSON (every key optional; defaults as in uaol_setup, i.e. the library's):
///   "alpha", "gate_quantile", "budget", "learning_rate", "score": "lac" | "aps", "budget_guard", "widen_infeasible",
///   "account":    {"kind": "slack_account", "horizon": H} | {"kind": "per_interval_budget"},
///   "refinement": {"kind": "refine_below"} | {"kind": "keep_decision"},
///   "models":     {"kind": "island_models", "tolerance": x} | {"kind": "per_island_models"} | {"kind": "lookahead_model"}
/// Each `kind` names the library type the study instantiates (docs/cli.md#experiment-files).
[[nodiscard]] inline uaol_setup uaol_setup_from_json(const nlohmann::json& j, const std::string& path = "uaol") {
    constexpr const char* who = "l2s::studies::uaol_setup_from_json";
    io::strict_reader r(j, path, who);
    uaol_setup u;
    auto& p = u.policy;
    r.get("alpha", p.conformal.alpha);
    r.get("gate_quantile", p.gate.quantile);
    r.get("budget", p.search.budget);
    r.get("learning_rate", p.learning_rate);
    r.get_named("score", p.conformal.score, online::conformal_score_names);
    r.get("budget_guard", p.budget_guard);
    r.get("widen_infeasible", p.widen_infeasible);
    // a {"kind": name, ...} object: its reader (kind already read) and the kind
    auto kind_of = [&](const nlohmann::json& o, const std::string& where, std::initializer_list<const char*> kinds) {
        io::strict_reader k(o, where, who);
        std::string kind;
        k.get("kind", kind);
        std::string all;
        for (const char* n : kinds) {
            if (kind == n) return std::pair{std::move(k), kind};
            all += (all.empty() ? "" : ", ") + std::string(n);
        }
        k.fail(where + ".kind", "must be one of " + all + (kind.empty() ? " (missing)" : ", not '" + kind + "'"));
    };
    if (const auto* a = r.child("account")) {
        auto [k, kind] = kind_of(*a, path + ".account", {"slack_account", "per_interval_budget"});
        if (kind == "slack_account") {
            online::slack_account_config sc;
            k.get("horizon", sc.horizon);
            k.finish();
            try {
                u.account = online::slack_account(sc);
            } catch (const invalid_config& e) {
                k.fail(path + ".account.horizon", e.what());
            }
        } else {
            k.finish();
            u.account = online::per_interval_budget{};
        }
    }
    if (const auto* f = r.child("refinement")) {
        auto [k, kind] = kind_of(*f, path + ".refinement", {"refine_below", "keep_decision"});
        k.finish();
        if (kind == "refine_below") u.refinement = online::refine_below{};
        else u.refinement = online::keep_decision{};
    }
    if (const auto* m = r.child("models")) {
        auto [k, kind] = kind_of(*m, path + ".models", {"island_models", "per_island_models", "lookahead_model"});
        if (kind == "island_models") {
            online::pooled_time_config pc;
            k.get("tolerance", pc.tolerance);
            k.finish();
            try {
                u.models = online::pooled_time(pc);
            } catch (const invalid_config& e) {
                k.fail(path + ".models.tolerance", e.what());
            }
        } else {
            k.finish();
            if (kind == "per_island_models") u.models = online::per_island_time{};
            else u.models = lookahead_models{};
        }
    }
    r.finish();
    u.validate(std::string(who) + ": " + path);
    return u;
}

/// Reads a leave-one-out experiment config (every key optional; defaults as in loo_config).
[[nodiscard]] inline loo_config loo_config_from_json(const nlohmann::json& j, const std::string& path = "experiment") {
    io::strict_reader r(j, path, "l2s::studies::loo_config_from_json");
    loo_config c;
    r.get("platform", c.platform);
    r.get("applications", c.applications);
    r.get("held_out", c.held_out);
    r.get("intervals", c.intervals);
    r.get("seed", c.seed);
    if (const auto* o = r.child("objective")) c.objective = objective_from_json(*o, path + ".objective");
    r.get("oracle_evaluations", c.oracle_evaluations);
    r.get("softmax_l2", c.softmax_l2);
    r.get_named("features", c.features, policy::feature_set_names);
    if (const auto* u = r.child("uaol")) c.uaol = uaol_setup_from_json(*u, path + ".uaol");
    r.get("governors", c.governors);
    r.finish();
    c.validate();
    return c;
}

/// The configuration of studies::l2s_study from JSON (keys as the struct's members; "mixes" is a list of
/// two-program lists; "dtm": {"critical_temp_c", "hysteresis_k", "throttle_level"}). Strict, then validated.
[[nodiscard]] inline study_config study_config_from_json(const nlohmann::json& j, const std::string& path = "study") {
    io::strict_reader r(j, path, "l2s::studies::study_config_from_json");
    study_config c;
    r.get("platforms", c.platforms);
    r.get("applications", c.applications);
    r.get("held_out", c.held_out);
    if (const auto* m = r.child("mixes")) {
        if (!m->is_array()) r.fail(path + ".mixes", "must be a list of two-program lists");
        c.mixes.clear();
        for (const auto& pair : *m) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
                r.fail(path + ".mixes", "must be a list of two-program lists");
            c.mixes.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
        }
    }
    r.get("intervals", c.intervals);
    r.get("seed", c.seed);
    if (const auto* o = r.child("objective")) c.objective = objective_from_json(*o, path + ".objective");
    r.get("strategies", c.strategies);
    r.get("evaluations", c.evaluations);
    r.get("bo_guided_rounds", c.bo_guided_rounds);
    r.get("softmax_l2", c.softmax_l2);
    r.get_named("features", c.features, policy::feature_set_names);
    r.get("q_learning_episodes", c.q_learning_episodes);
    if (const auto* d = r.child("dtm")) {
        io::strict_reader dr(*d, path + ".dtm", "l2s::studies::study_config_from_json");
        dr.get("critical_temp_c", c.dtm.critical_temp_c);
        dr.get("hysteresis_k", c.dtm.hysteresis_k);
        dr.get("throttle_level", c.dtm.throttle_level);
        dr.finish();
    }
    r.finish();
    c.validate();
    return c;
}

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

/// Writes results.json, table.txt, edp.svg, and per policy trace_<name>.csv and trace_<name>.svg into dir
/// (created if needed). Returns the files written. Throws io_error when a file cannot be written.
inline std::vector<std::filesystem::path> write_loo_outputs(const loo_result& r, const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw io_error("l2s::studies::write_loo_outputs: cannot create " + dir.string() + ": " + ec.message());
    std::vector<std::filesystem::path> files;
    auto open = [&](const std::string& name) {
        files.push_back(dir / name);
        std::ofstream f(files.back());
        if (!f) throw io_error("l2s::studies::write_loo_outputs: cannot write " + files.back().string());
        return f;
    };
    open("results.json") << loo_result_to_json(r).dump(2) << "\n";
    {
        auto f = open("table.txt");
        write_loo_table(f, r);
    }
    std::vector<std::pair<std::string, double>> bars;
    for (const auto& p : r.runs) bars.emplace_back(p.name, p.score.edp());
    {
        auto f = open("edp.svg");
        io::write_bar_svg(f, bars, "EDP (J*s) on " + r.held_out + ", " + r.platform);
    }
    for (const auto& p : r.runs) {
        {
            auto f = open("trace_" + p.name + ".csv");
            io::write_trace_csv(f, p.trace);
        }
        auto f = open("trace_" + p.name + ".svg");
        io::write_trace_svg(f, p.trace);
    }
    return files;
}

}  // namespace l2s::studies
