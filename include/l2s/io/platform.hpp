// SPDX-License-Identifier: MIT
// l2s/io/platform.hpp: platform descriptions in the schema l2s-platform-v1 (device-tree units) → sim::platform
// (SI units).  @see docs/sim.md#platform-files
#pragma once
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/json_util.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/platform.hpp>

namespace l2s::io {

/// Choices a platform file leaves open. Attribute table: docs/sim.md#platform-files.
struct platform_options {
    std::string opp_table;              ///< table name; empty: the island's default_opp_table
    std::size_t total_cores = 64;       ///< template platforms: cores in all
    std::size_t cores_per_island = 4;   ///< template platforms: cores per island
    std::size_t levels = 8;             ///< template platforms with a vf_rule: levels spread over the rule's range
    double default_c_core_pf = 100.0;   ///< used where the file has no dynamic-power coefficient (value null)
    double default_leakage_fraction = 0.3;
};

namespace detail {

inline const nlohmann::json& field(const nlohmann::json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key))
        throw invalid_config("l2s::io::platform_from_json: " + where + "." + key + ": missing field");
    return j.at(key);
}
/// A number, or the `value` of a value object; NaN for null.
inline double number(const nlohmann::json& j, const std::string& where) {
    const nlohmann::json& v = j.is_object() ? field(j, "value", where) : j;
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) throw invalid_config("l2s::io::platform_from_json: " + where + ": not a number");
    const double x = v.get<double>();
    if (!std::isfinite(x)) throw invalid_config("l2s::io::platform_from_json: " + where + ": not finite");
    return x;
}
inline void only_keys(const nlohmann::json& j, std::initializer_list<const char*> allowed, const std::string& where) {
    if (!j.is_object()) throw invalid_config("l2s::io::platform_from_json: " + where + ": must be an object");
    for (const auto& item : j.items()) {
        const std::string& k = item.key();
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }))
            throw invalid_config("l2s::io::platform_from_json: " + where + "." + k + ": unknown field");
    }
}

}  // namespace detail

namespace detail {
inline sim::platform platform_from_json_unchecked(const nlohmann::json& j, const platform_options& o) {
    using detail::field;
    using detail::number;
    const std::string who = "l2s::io::platform_from_json";
    detail::only_keys(j, {"digest", "schema", "name", "description", "sources", "islands", "instantiation", "chip", "thermal", "sensors", "validation"},
                      "platform");
    const auto& schema = field(j, "schema", "platform");
    if (!schema.is_string() || schema.get<std::string>() != "l2s-platform-v1")
        throw invalid_config(who + ": platform.schema: expected \"l2s-platform-v1\"");
    sim::platform p;
    const auto& name = field(j, "name", "platform");
    if (!name.is_string()) throw invalid_config(who + ": platform.name: must be a string");
    p.name = name.get<std::string>();
    const auto& islands = field(j, "islands", "platform");
    if (!islands.is_array() || islands.empty()) throw invalid_config(who + ": platform.islands: must be a non-empty array");
    for (std::size_t i = 0; i < islands.size(); ++i) {
        const auto& js = islands[i];
        const std::string at = "islands[" + std::to_string(i) + "]";
        detail::only_keys(js, {"name", "core_type", "cores", "count", "cpu_ids", "opp_tables", "default_opp_table",
                               "realistic_opp_table", "voltage_max_mv", "transition_latency_ns",
                               "dynamic_power_coefficient_uw_per_mhz_v2", "capacity_dmips_mhz", "regulator", "power_model",
                               "frequency_domains", "frequency_rule", "voltage_levels", "voltage_transition_latency_cycles",
                               "transition_rules", "vf_rule", "vf_points_45nm", "suggested_transition_model",
                               "dvfs_epoch_us", "note"},
                          at);
        const bool templ = field(js, "cores", at).is_null();
        std::size_t count = 1, cores = 0;
        if (templ) {
            if (o.cores_per_island == 0 || o.total_cores == 0 || o.total_cores % o.cores_per_island != 0)
                throw invalid_config(who + ": " + at + ": template island needs total_cores a multiple of cores_per_island");
            cores = o.cores_per_island;
            count = o.total_cores / o.cores_per_island;
        } else {
            const double c = number(field(js, "cores", at), at + ".cores");
            if (!(c >= 1.0 && c == std::floor(c))) throw invalid_config(who + ": " + at + ".cores: must be an integer >= 1");
            cores = static_cast<std::size_t>(c);
            if (js.contains("count") && !js.at("count").is_null()) {
                const double n = number(js.at("count"), at + ".count");
                if (!(n >= 1.0 && n == std::floor(n))) throw invalid_config(who + ": " + at + ".count: must be an integer >= 1");
                count = static_cast<std::size_t>(n);
            }
        }
        // operating points
        const auto& tables = field(js, "opp_tables", at);
        std::string tname = o.opp_table;
        if (tname.empty()) tname = field(js, "default_opp_table", at).get<std::string>();
        if (!tables.is_object() || !tables.contains(tname))
            throw invalid_config(who + ": " + at + ".opp_tables." + tname + ": no such table");
        const auto& opps_j = field(tables.at(tname), "opps", at + ".opp_tables." + tname);
        if (!opps_j.is_array() || opps_j.empty())
            throw invalid_config(who + ": " + at + ".opp_tables." + tname + ".opps: must be a non-empty array");
        std::vector<sim::opp> opps;
        const double vmax = js.contains("voltage_max_mv") ? number(js.at("voltage_max_mv"), at + ".voltage_max_mv")
                                                          : std::numeric_limits<double>::quiet_NaN();
        for (std::size_t l = 0; l < opps_j.size(); ++l) {
            const std::string ol = at + ".opp_tables." + tname + ".opps[" + std::to_string(l) + "]";
            const double f = number(field(opps_j[l], "freq_mhz", ol), ol + ".freq_mhz");
            const double mv = number(field(opps_j[l], "voltage_mv", ol), ol + ".voltage_mv");
            if (!(f > 0.0)) throw invalid_config(who + ": " + ol + ".freq_mhz: must be > 0");
            if (!opps.empty() && !(f * 1e6 > opps.back().freq_hz))
                throw invalid_config(who + ": " + ol + ".freq_mhz: frequencies must be strictly ascending");
            if (!(mv > 0.0)) throw invalid_config(who + ": " + ol + ".voltage_mv: must be > 0");
            if (std::isfinite(vmax) && mv > vmax)
                throw invalid_config(who + ": " + ol + ".voltage_mv: " + std::to_string(mv) + " exceeds voltage_max_mv " +
                                     std::to_string(vmax));
            opps.push_back({f * 1e6, mv * 1e-3});
        }
        if (js.contains("vf_rule") && templ) {  // template: `levels` points evenly spread over the rule's range
            const auto& r = js.at("vf_rule");
            const double lo = number(field(r, "f_min_mhz", at + ".vf_rule"), at + ".vf_rule.f_min_mhz");
            const double hi = number(field(r, "f_max_mhz", at + ".vf_rule"), at + ".vf_rule.f_max_mhz");
            if (o.levels < 2 || o.levels > 31) throw invalid_config(who + ": options.levels: must be in [2, 31]");
            std::vector<sim::opp> picked;
            for (std::size_t l = 0; l < o.levels; ++l) {
                const double mhz =
                    std::round((lo + (hi - lo) * static_cast<double>(l) / static_cast<double>(o.levels - 1)) / 100.0) * 100.0;
                const auto it = std::find_if(opps.begin(), opps.end(), [&](const sim::opp& x) { return std::abs(x.freq_hz - mhz * 1e6) < 1.0; });
                if (it == opps.end()) throw invalid_config(who + ": " + at + ".vf_rule: " + std::to_string(mhz) + " MHz is not in the table");
                picked.push_back(*it);
            }
            opps = picked;
        }
        // power model
        const auto& pm = field(js, "power_model", at);
        double c_core = number(field(pm, "c_core_uw_per_mhz_v2", at + ".power_model"), at + ".power_model.c_core_uw_per_mhz_v2");
        if (std::isnan(c_core)) c_core = o.default_c_core_pf;
        const double rel = pm.contains("c_cluster_rel_to_core")
                               ? number(pm.at("c_cluster_rel_to_core"), at + ".power_model.c_cluster_rel_to_core")
                               : 0.75;
        double latency_s = 0.0;
        if (js.contains("transition_latency_ns")) {
            const double ns = number(js.at("transition_latency_ns"), at + ".transition_latency_ns");
            if (!std::isnan(ns)) latency_s = ns * 1e-9;
            else if (js.contains("voltage_transition_latency_cycles"))
                latency_s = number(field(js.at("voltage_transition_latency_cycles"), "emulator", at), at + ".voltage_transition_latency_cycles.emulator") /
                            opps.back().freq_hz;
        }
        if (latency_s == 0.0 && js.contains("suggested_transition_model")) {
            const auto& range = field(js.at("suggested_transition_model"), "fixed_ns_range", at + ".suggested_transition_model");
            if (!range.is_array() || range.size() != 2) throw invalid_config(who + ": " + at + ".suggested_transition_model.fixed_ns_range: expected [lo, hi]");
            latency_s = 0.5 * (number(range[0], at) + number(range[1], at)) * 1e-9;
        }
        for (std::size_t c = 0; c < count; ++c) {
            const std::string nm = field(js, "name", at).get<std::string>() + (count > 1 || templ ? std::to_string(c) : "");
            auto is = sim::detail::make_island(nm, js.value("core_type", std::string("generic")), cores, opps, c_core, rel, latency_s);
            if (js.contains("capacity_dmips_mhz")) {
                const double cap = number(js.at("capacity_dmips_mhz"), at + ".capacity_dmips_mhz");
                if (!std::isnan(cap)) is.capacity = cap / 1024.0;
            }
            if (pm.contains("static_power_per_core_w")) {  // leakage meets the static power at the top point, 70 °C
                const auto& pts = field(pm.at("static_power_per_core_w"), "points", at + ".power_model.static_power_per_core_w");
                const double w = number(field(pts.back(), "w", at), at + ".power_model.static_power_per_core_w.points[].w");
                is.leakage.scale = 1.0;
                is.leakage.scale = w * static_cast<double>(cores) / is.leakage.power_w(is.opps.back().volt_v, 70.0);
            } else if (pm.contains("leakage")) {
                const auto& lk = pm.at("leakage");
                const std::string model = field(lk, "model", at + ".power_model.leakage").get<std::string>();
                if (model == "xu3_current") {
                    is.leakage.c1_a_per_k2 = number(field(lk, "c1_a_per_k2", at), at + ".power_model.leakage.c1_a_per_k2");
                    is.leakage.c2_k = number(field(lk, "c2_k", at), at + ".power_model.leakage.c2_k");
                    is.leakage.i_gate_a = number(field(lk, "i_gate_a", at), at + ".power_model.leakage.i_gate_a");
                } else if (model == "fraction") {
                    sim::detail::leakage_fraction(is, lk.contains("fraction") ? number(lk.at("fraction"), at) : o.default_leakage_fraction);
                } else {
                    throw invalid_config(who + ": " + at + ".power_model.leakage.model: unknown model '" + model + "'");
                }
            }
            p.islands.push_back(std::move(is));
        }
    }
    if (j.contains("thermal")) {
        const auto& th = j.at("thermal");
        if (th.contains("ambient_c")) p.thermal.ambient_c = number(th.at("ambient_c"), "thermal.ambient_c");
        if (th.contains("t_max_c")) p.thermal.t_max_c = number(th.at("t_max_c"), "thermal.t_max_c");
        if (th.contains("package") && th.at("package").contains("convection")) {
            const auto& cv = th.at("package").at("convection");
            p.thermal.package_r_k_per_w = number(field(cv, "r_k_per_w", "thermal.package.convection"), "thermal.package.convection.r_k_per_w");
            p.thermal.package_c_j_per_k = number(field(cv, "c_j_per_k", "thermal.package.convection"), "thermal.package.convection.c_j_per_k");
        }
    }
    if (j.contains("sensors")) {  // optional: the board's sensors (absent: exact readings)
        const auto& se = j.at("sensors");
        detail::only_keys(se, {"power_window_s", "power_resolution_w", "temp_resolution_c", "counter_noise", "sources"},
                          "sensors");
        if (se.contains("power_window_s")) p.sensors.power_window_s = number(se.at("power_window_s"), "sensors.power_window_s");
        if (se.contains("power_resolution_w"))
            p.sensors.power_resolution_w = number(se.at("power_resolution_w"), "sensors.power_resolution_w");
        if (se.contains("temp_resolution_c"))
            p.sensors.temp_resolution_c = number(se.at("temp_resolution_c"), "sensors.temp_resolution_c");
        if (se.contains("counter_noise")) p.sensors.counter_noise = number(se.at("counter_noise"), "sensors.counter_noise");
    }
    p.thermal.grid_columns = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(p.islands.size()))));
    if (p.islands.size() <= 2) p.thermal.grid_columns = 0;
    try {
        p.validate();
    } catch (const invalid_config& e) {
        throw invalid_config(who + ": " + e.what());
    }
    return p;
}
}  // namespace detail

namespace detail {
inline sim::platform platform_from_json_checked(const nlohmann::json& j, const platform_options& o) {
    try {
        return detail::platform_from_json_unchecked(j, o);
    } catch (const nlohmann::json::exception& e) {
        throw invalid_config(std::string("l2s::io::platform_from_json: ill-typed field: ") + e.what());
    }
}
}  // namespace detail

/// Converts a platform file (schema l2s-platform-v1). Throws invalid_config naming the offending field:
/// wrong schema, missing or unknown fields, fields of the wrong type, frequencies not ascending, voltages
/// above voltage_max_mv, empty islands or tables; the result is also validated (sim::platform::validate).
/// A "digest" member is checked (integrity::verify; io_error "... integrity check failed" on a mismatch, or
/// when it is absent and `lo.require_digest` is set).
[[nodiscard]] inline sim::platform platform_from_json(const nlohmann::json& j, const platform_options& o = {},
                                                      const load_options& lo = {}) {
    integrity::verify(j, "l2s::io::platform_from_json", "", lo);
    return detail::platform_from_json_checked(j, o);
}

/// Reads and converts a platform file; io_error naming the file when it cannot be read, is not JSON or fails
/// its integrity check.
[[nodiscard]] inline sim::platform load_platform(const std::filesystem::path& file, const platform_options& o = {},
                                                 const load_options& lo = {}) {
    return detail::platform_from_json_checked(json_util::read_file(file, "l2s::io::load_platform", lo), o);
}


}  // namespace l2s::io
