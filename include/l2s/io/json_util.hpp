// SPDX-License-Identifier: MIT
// l2s/io/json_util.hpp: Eigen vectors/matrices to and from JSON, JSON files (sealed with a digest, saved
// atomically), with io_error on malformed input.
#pragma once
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/integrity.hpp>

namespace l2s::io::json_util {

/// {"rows": r, "cols": c, "data": [column-major entries]}. Doubles are written with 17 significant digits, so
/// they read back bit-identical.
[[nodiscard]] inline nlohmann::json from_matrix(const mat& m) {
    return {{"rows", m.rows()}, {"cols", m.cols()}, {"data", std::vector<double>(m.data(), m.data() + m.size())}};
}
/// The entries as a JSON array.
[[nodiscard]] inline nlohmann::json from_vector(const vec& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

/// Reads a matrix written by from_matrix; io_error("<who>: ...") when it is malformed.
[[nodiscard]] inline mat to_matrix(const nlohmann::json& j, const std::string& who, const char* field) {
    if (!j.is_object() || !j.contains("rows") || !j.contains("cols") || !j.contains("data"))
        throw io_error(who + ": field '" + field + "' is not a {rows, cols, data} matrix");
    const auto& jr = j.at("rows");
    const auto& jc = j.at("cols");
    if (!jr.is_number_integer() || !jc.is_number_integer() || jr.get<long long>() < 0 || jc.get<long long>() < 0)
        throw io_error(who + ": field '" + field + "' has invalid rows/cols");
    const auto r = static_cast<Eigen::Index>(jr.get<long long>()), c = static_cast<Eigen::Index>(jc.get<long long>());
    const auto& d = j.at("data");
    if (!d.is_array() || d.size() != static_cast<std::size_t>(r * c))
        throw io_error(who + ": field '" + field + "' does not hold rows × cols numbers");
    mat m(r, c);
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (!d[i].is_number()) throw io_error(who + ": field '" + field + "' holds a non-number");
        m.data()[i] = d[i].get<double>();
    }
    return m;
}
/// Reads a vector written by from_vector.
[[nodiscard]] inline vec to_vector(const nlohmann::json& j, const std::string& who, const char* field) {
    if (!j.is_array()) throw io_error(who + ": field '" + field + "' is not an array of numbers");
    vec v(static_cast<Eigen::Index>(j.size()));
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_number()) throw io_error(who + ": field '" + field + "' holds a non-number");
        v(static_cast<Eigen::Index>(i)) = j[i].get<double>();
    }
    return v;
}
/// The member `key` of object j; io_error when j is not an object or lacks it.
[[nodiscard]] inline const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& who) {
    if (!j.is_object() || !j.contains(key)) throw io_error(who + ": missing field '" + key + "'");
    return j.at(key);
}
/// Reads member `key` as T; io_error on a missing field or a wrong type.
template <class T>
[[nodiscard]] T get(const nlohmann::json& j, const char* key, const std::string& who) {
    const auto& v = member(j, key, who);
    try {
        return v.get<T>();
    } catch (const nlohmann::json::exception&) {
        throw io_error(who + ": field '" + key + "' has the wrong type");
    }
}

/// The whole content of a file; io_error naming `who` and the file when it cannot be read.
[[nodiscard]] inline std::string read_text(const std::filesystem::path& file, const std::string& who) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error(who + ": cannot open " + file.string());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io_error(who + ": cannot read " + file.string());
    return text;
}

/// Parses a JSON file and checks its digest when it has one (integrity::verify; `o.require_digest` makes
/// one mandatory); io_error naming `who` and the file when it cannot be opened, is not JSON or fails the
/// integrity check.
[[nodiscard]] inline nlohmann::json read_file(const std::filesystem::path& file, const std::string& who,
                                              const load_options& o = {}) {
    nlohmann::json j = integrity::parse(read_text(file, who), who, file.string());
    integrity::verify(j, who, file.string(), o);
    return j;
}

/// Writes j to a file (indented by `indent`; -1 for compact), sealed with its digest when j is an object
/// (integrity::sealed), atomically (write_file_atomic: the previous file survives any failure). io_error
/// naming `who` when it cannot be written.
inline void write_file(const nlohmann::json& j, const std::filesystem::path& file, const std::string& who, int indent = 1,
                       const file_ops& ops = {}) {
    std::string text;
    try {
        text = (j.is_object() ? integrity::sealed(j, who) : j).dump(indent) + "\n";
    } catch (const nlohmann::json::exception& e) {
        throw io_error(who + ": cannot write " + file.string() + " (" + e.what() + ")");
    }
    write_file_atomic(file, text, who, ops);
}

}  // namespace l2s::io::json_util
