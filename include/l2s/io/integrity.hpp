// SPDX-License-Identifier: MIT
// l2s/io/integrity.hpp: the digest a persisted document carries (64-bit FNV-1a over its canonical JSON text),
// sealing a document and verifying it on load.  @see docs/reliability.md#integrity
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>

namespace l2s::io {

/// Options of every loader of a persisted document (policy, GP, BO state, workload, platform).
struct load_options {
    bool require_digest = false;  ///< a document without a "digest" member is rejected (io_error)
};

namespace integrity {

/// The member of a document's top-level object that holds its digest.
inline constexpr const char* digest_key = "digest";
/// The prefix of the digest's value, naming the algorithm: "fnv1a64:<16 lowercase hex digits>".
inline constexpr std::string_view algorithm = "fnv1a64";

/// 64-bit FNV-1a of `bytes`. Each step (xor a byte, multiply by an odd prime modulo 2^64) is a bijection of
/// the state, so two texts of the same length that differ in one byte always hash differently.
[[nodiscard]] constexpr std::uint64_t fnv1a64(std::string_view bytes) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// The canonical text of a document: the document without its digest member, written compactly by
/// nlohmann::json::dump() (object keys sorted, no whitespace, numbers in their shortest round-trip form), so
/// it does not depend on the indentation, key order or number spelling of the file it was read from.
/// io_error ("<who>: ...") if it cannot be written (a string that is not UTF-8).
[[nodiscard]] inline std::string canonical(const nlohmann::json& j, std::string_view who = "l2s::io::integrity") {
    try {
        if (j.is_object() && j.contains(digest_key)) {
            nlohmann::json c = j;
            c.erase(digest_key);
            return c.dump();
        }
        return j.dump();
    } catch (const nlohmann::json::exception& e) {
        throw io_error(std::string(who) + ": cannot write the canonical form of the document (" + e.what() + ")");
    }
}

/// The digest of a document: "fnv1a64:" and the 16 hex digits of fnv1a64(canonical(j)).
[[nodiscard]] inline std::string digest(const nlohmann::json& j, std::string_view who = "l2s::io::integrity") {
    const std::uint64_t h = fnv1a64(canonical(j, who));
    static constexpr char hex[] = "0123456789abcdef";
    std::string s(algorithm);
    s += ':';
    for (int shift = 60; shift >= 0; shift -= 4) s += hex[(h >> shift) & 0xF];
    return s;
}

/// The document with its digest member set (replacing any previous one). j must be a JSON object
/// (io_error otherwise): every persisted document is one.
[[nodiscard]] inline nlohmann::json sealed(nlohmann::json j, std::string_view who = "l2s::io::integrity") {
    if (!j.is_object()) throw io_error(std::string(who) + ": only a JSON object can carry a digest");
    const std::string d = digest(j, who);
    j[digest_key] = d;
    return j;
}

/// Checks the digest of a document read from `source` (a file name, or empty for text in memory).
/// Returns true when the document carries a digest and it matches, false when it carries none and
/// `o.require_digest` is off. Throws io_error "<who>: <source>: integrity check failed (...)" when the digest
/// does not match the content, is not a string of the known form, or is missing while required.
inline bool verify(const nlohmann::json& j, std::string_view who, std::string_view source, const load_options& o = {}) {
    const auto fail = [&](const std::string& why) {
        std::string m(who);
        m += ": ";
        if (!source.empty()) m += std::string(source) + ": ";
        return io_error(m + "integrity check failed (" + why + ")");
    };
    const bool has = j.is_object() && j.contains(digest_key);
    if (!has) {
        if (o.require_digest) throw fail("the document has no \"digest\" and the load options require one");
        return false;
    }
    const auto& d = j.at(digest_key);
    if (!d.is_string()) throw fail("\"digest\" is not a string");
    const auto& stored = d.get_ref<const std::string&>();
    if (stored.size() != algorithm.size() + 17 || stored.compare(0, algorithm.size(), algorithm) != 0 ||
        stored[algorithm.size()] != ':')
        throw fail("\"digest\" is not of the form " + std::string(algorithm) + ":<16 hex digits>");
    const std::string actual = digest(j, who);
    if (stored != actual) throw fail("stored digest " + stored + ", content digest " + actual);
    return true;
}

/// Parses text as JSON; io_error "<who>: <source>: malformed JSON (...)" when it is not.
[[nodiscard]] inline nlohmann::json parse(std::string_view text, std::string_view who, std::string_view source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        std::string m(who);
        m += ": ";
        if (!source.empty()) m += std::string(source) + ": ";
        throw io_error(m + "malformed JSON (" + e.what() + ")");
    }
}

}  // namespace integrity

}  // namespace l2s::io
