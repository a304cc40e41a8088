// SPDX-License-Identifier: MIT
// l2s/io/gp.hpp: JSON save/load of an exact GP's hyperparameters and data (schema "l2s.gp", version 1).
#pragma once
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/json_util.hpp>

namespace l2s::io {

inline constexpr std::string_view gp_schema = "l2s.gp";
inline constexpr int gp_schema_version = 1;

/// {"schema": "l2s.gp", "version": 1, "theta": [...], "dim": d, "x": [n·d numbers, column-major],
/// "y": [n numbers]}. θ is the GP's params() (kernel θ, log σ_n²), written with full double precision;
/// the kernel type, mean and config are the caller's (they are code, not data).
template <class K, class M>
[[nodiscard]] nlohmann::json gp_to_json(const gp::exact_gp<K, M>& g) {
    const vec t = g.params();
    const mat X = g.inputs();
    const vec y = g.targets();
    nlohmann::json j;
    j["schema"] = gp_schema;
    j["version"] = gp_schema_version;
    j["theta"] = std::vector<double>(t.data(), t.data() + t.size());
    j["dim"] = g.dim();
    j["x"] = std::vector<double>(X.data(), X.data() + X.size());
    j["y"] = std::vector<double>(y.data(), y.data() + y.size());
    return j;
}

namespace detail {
template <class K, class M>
void gp_from_json_body(const nlohmann::json& j, gp::exact_gp<K, M>& g) {
    constexpr const char* who = "l2s::io::gp_from_json";
    vec theta, y;
    mat X;
    try {
        if (j.at("schema").get<std::string>() != gp_schema) throw io_error(std::string(who) + ": not an l2s.gp document");
        if (j.at("version").get<int>() != gp_schema_version)
            throw io_error(std::string(who) + ": unsupported version " + std::to_string(j.at("version").get<int>()));
        const auto t = j.at("theta").get<std::vector<double>>();
        const auto d = j.at("dim").get<std::size_t>();
        const auto x = j.at("x").get<std::vector<double>>();
        const auto yy = j.at("y").get<std::vector<double>>();
        if (t.size() != g.num_params())
            throw io_error(std::string(who) + ": theta has " + std::to_string(t.size()) + " entries, the GP has " +
                           std::to_string(g.num_params()));
        if (d == 0 || x.size() != d * yy.size())
            throw io_error(std::string(who) + ": x does not hold dim × size(y) numbers");
        theta = Eigen::Map<const vec>(t.data(), static_cast<Eigen::Index>(t.size()));
        y = Eigen::Map<const vec>(yy.data(), static_cast<Eigen::Index>(yy.size()));
        X = Eigen::Map<const mat>(x.data(), static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(yy.size()));
    } catch (const nlohmann::json::exception& e) {
        throw io_error(std::string(who) + ": malformed document (" + e.what() + ")");
    }
    gp::exact_gp<K, M> next = g;
    next.set_params(theta);
    if (y.size() > 0) next.fit(X, y);
    g = std::move(next);
}
}  // namespace detail

/// Sets θ and refits `g` from a document written by gp_to_json or gp_to_string. Throws io_error
/// ("l2s::io::gp_from_json: ...") for a digest that does not match the content ("integrity check failed"; a
/// document without one is accepted unless `o.require_digest`), a wrong schema/version, missing or mistyped
/// fields or inconsistent sizes, leaving g unchanged; the GP's own errors (dimension_mismatch,
/// non_finite_observation, numerical_error) pass through, also leaving it unchanged.
template <class K, class M>
void gp_from_json(const nlohmann::json& j, gp::exact_gp<K, M>& g, const load_options& o = {}) {
    integrity::verify(j, "l2s::io::gp_from_json", "", o);
    detail::gp_from_json_body(j, g);
}

/// The GP's document (gp_to_json) as text, sealed with its digest (integrity::sealed).
template <class K, class M>
[[nodiscard]] std::string gp_to_string(const gp::exact_gp<K, M>& g) {
    return integrity::sealed(gp_to_json(g), "l2s::io::gp_to_string").dump();
}

/// Parses text and calls gp_from_json; a parse error (malformed or truncated text) is an io_error.
template <class K, class M>
void gp_from_string(std::string_view text, gp::exact_gp<K, M>& g, const load_options& o = {}) {
    gp_from_json(integrity::parse(text, "l2s::io::gp_from_json", ""), g, o);
}

/// Writes the GP's document (gp_to_string) to a file atomically (write_file_atomic); io_error when it cannot
/// be written, and the previous file is then intact.
template <class K, class M>
void save_gp_file(const gp::exact_gp<K, M>& g, const std::filesystem::path& file, const file_ops& ops = {}) {
    write_file_atomic(file, gp_to_string(g), "l2s::io::save_gp_file", ops);
}

/// Restores `g` from a file written by save_gp_file: errors as gp_from_json, naming the file; g unchanged.
template <class K, class M>
void load_gp_file(const std::filesystem::path& file, gp::exact_gp<K, M>& g, const load_options& o = {}) {
    constexpr const char* who = "l2s::io::load_gp_file";
    const nlohmann::json j = json_util::read_file(file, who, o);
    detail::gp_from_json_body(j, g);
}

}  // namespace l2s::io
