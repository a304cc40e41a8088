// SPDX-License-Identifier: MIT
// l2s/io/strict_reader.hpp: typed reads of JSON object members that reject unknown keys and wrong
// types naming the key's path (experiment files, workload files).
#pragma once
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>

namespace l2s::io {

/// Reads typed members of a JSON object, rejecting unknown keys and wrong types with the key's path: the
/// reader of every io loader, public for applications that read their own files by the same rules.
class strict_reader {
public:
    strict_reader(const nlohmann::json& j, std::string path, std::string who)
        : j_(j), path_(std::move(path)), who_(std::move(who)) {
        if (!j_.is_object()) fail(path_, "must be an object");
    }
    template <class T>
    void get(const char* key, T& out) {
        seen_.push_back(key);
        if (!j_.contains(key)) return;
        const auto& v = j_.at(key);
        try {
            if constexpr (std::is_same_v<T, bool>) {
                if (!v.is_boolean()) throw std::invalid_argument("");
            } else if constexpr (std::is_integral_v<T>) {
                if (!v.is_number_integer() || (std::is_unsigned_v<T> && v.get<long long>() < 0)) throw std::invalid_argument("");
            } else if constexpr (std::is_floating_point_v<T>) {
                if (!v.is_number()) throw std::invalid_argument("");
            } else if constexpr (std::is_same_v<T, std::string>) {
                if (!v.is_string()) throw std::invalid_argument("");
            } else {
                if (!v.is_array()) throw std::invalid_argument("");
                for (const auto& e : v)
                    if (!e.is_string()) throw std::invalid_argument("");
            }
            out = v.get<T>();
        } catch (const std::exception&) {
            fail(path_ + "." + key, "has the wrong type");
        }
    }
    /// Reads an enumeration by name: names lists (name, value) pairs; any other string fails naming them.
    template <class E, std::size_t N>
    void get_named(const char* key, E& out, const std::array<std::pair<const char*, E>, N>& names) {
        std::string name;
        for (const auto& [n, v] : names)
            if (v == out) name = n;
        get(key, name);
        std::string all;
        for (const auto& [n, v] : names) {
            if (name == n) {
                out = v;
                return;
            }
            all += (all.empty() ? "" : ", ") + std::string(n);
        }
        fail(path_ + "." + key, "must be one of " + all);
    }
    const nlohmann::json* child(const char* key) {
        seen_.push_back(key);
        return j_.contains(key) ? &j_.at(key) : nullptr;
    }
    /// Throws for any key that was not read.
    void finish() const {
        for (const auto& [k, v] : j_.items()) {
            (void)v;
            if (std::find(seen_.begin(), seen_.end(), k) == seen_.end()) fail(path_ + "." + k, "unknown key");
        }
    }
    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw invalid_config(who_ + ": " + where + ": " + what);
    }

private:
    const nlohmann::json& j_;
    std::string path_, who_;
    std::vector<std::string> seen_;
};

namespace detail {
using io::strict_reader;  // its former name, for the loaders that still say detail::strict_reader
}  // namespace detail

}  // namespace l2s::io
