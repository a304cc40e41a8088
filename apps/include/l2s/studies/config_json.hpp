// SPDX-License-Identifier: MIT
// l2s/studies/config_json.hpp: the studies' configuration files (scenarios, objectives, UaOL's parts, the
// leave-one-out and L2S-study configs) from JSON; strict: unknown or ill-typed keys are rejected by name.
// @see docs/cli.md#experiment-files
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/io/strict_reader.hpp>
#include <l2s/io/workload.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/thread_roles.hpp>
#include <l2s/studies/l2s_study.hpp>
#include <l2s/studies/leave_one_out.hpp>
#include <l2s/studies/uaol_setup.hpp>

namespace l2s::studies {

/// A platform and a workload on it, read from JSON:
///   "platform": "<built-in name>" | {"file": path, "opp_table", "total_cores", "cores_per_island", "levels"}
///   "workload": "<PARSEC name>" | {"parsec": name, "profile_cores", "imbalance", "thread_roles"}
///               | {"synthetic": "compute_bound"|"memory_bound"|"phase_alternating"|"bursty", "min_dwell", "max_dwell"}
///               | {"file": path to a workload file (io/workload.hpp; its own intervals, one program per island)}
///   "intervals": T (default 200), "seed": s (default 1)
/// The reader takes these keys from r (which rejects unknown ones when finished by the caller).
struct scenario {
    sim::platform platform;
    std::string builtin;  ///< the built-in platform name when the scenario named one (empty: a platform file)
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

/// With thread roles, the serial sections run on the fastest island of `chip` when given (else island 0).
[[nodiscard]] inline sim::workload workload_spec_from_json(const nlohmann::json& j, const std::string& path, std::size_t K,
                                                           std::size_t T, std::uint64_t seed,
                                                           const sim::platform* chip = nullptr) {
    if (j.is_string()) return sim::parsec_workload(j.get<std::string>(), K, {.intervals = T, .seed = seed});
    io::strict_reader r(j, path, "l2s::studies::workload_spec_from_json");
    std::string parsec, synthetic, file;
    bool roles = false;
    sim::parsec_options po;
    po.intervals = T;
    po.seed = seed;
    sim::synthetic_options so;
    so.intervals = T;
    r.get("parsec", parsec);
    r.get("profile_cores", po.profile_cores);
    r.get("imbalance", po.imbalance);
    r.get("thread_roles", roles);
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
    if (roles && parsec.empty()) r.fail(path + ".thread_roles", "applies to \"parsec\" programs only");
    if (!parsec.empty()) {
        auto w = sim::parsec_workload(parsec, K, po);
        if (!roles) return w;
        const std::size_t serial = chip != nullptr && chip->num_islands() == K ? sim::fastest_island(*chip, 0, K) : 0;
        return sim::with_thread_roles(
            w, {.measured_cores = po.profile_cores, .serial_island = serial, .imbalance = po.imbalance, .seed = seed});
    }
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
    const auto* w = r.child("workload");
    if (w == nullptr) r.fail(path + ".workload", "missing");
    // a built-in name is built for the program (article_4vfi sizes its islands per application)
    std::string program;
    if (w->is_string()) program = w->get<std::string>();
    else if (w->is_object() && w->contains("parsec") && (*w)["parsec"].is_string()) program = (*w)["parsec"].get<std::string>();
    s.builtin = p == nullptr ? "sniper_manycore" : p->is_string() ? p->get<std::string>() : "";
    s.platform = p == nullptr      ? sim::builtin_platform("sniper_manycore")
                 : p->is_string() ? sim::builtin_platform_for(p->get<std::string>(), program)
                                  : platform_spec_from_json(*p, path + ".platform");
    s.workload = workload_spec_from_json(*w, path + ".workload", s.platform.num_islands(), T, s.seed, &s.platform);
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
    r.get("thread_roles", c.thread_roles);
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
    r.get("thread_roles", c.thread_roles);
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

}  // namespace l2s::studies
