// SPDX-License-Identifier: MIT
// l2s/io/policy.hpp: JSON save/load of every deployable policy kind (schema "l2s.policy", version 1).
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/json_util.hpp>
#include <l2s/policy.hpp>

namespace l2s::io {

/// Schema name and version written into every saved policy; load rejects any other.
inline constexpr std::string_view policy_schema = "l2s.policy";
inline constexpr int policy_schema_version = 1;

namespace detail {

template <class S>
constexpr const char* scalar_name() noexcept {
    return std::is_same_v<S, float> ? "float" : "double";
}
inline nlohmann::json matrix_to_json(const mat& m) {
    return {{"rows", m.rows()}, {"cols", m.cols()}, {"data", std::vector<double>(m.data(), m.data() + m.size())}};
}
inline mat matrix_from_json(const nlohmann::json& j) {
    const auto r = j.at("rows").get<Eigen::Index>(), c = j.at("cols").get<Eigen::Index>();
    const auto d = j.at("data").get<std::vector<double>>();
    if (r < 0 || c < 0 || static_cast<std::size_t>(r * c) != d.size())
        throw io_error("l2s::io::load_policy: matrix data does not have rows × cols entries");
    mat m(r, c);
    std::copy(d.begin(), d.end(), m.data());
    return m;
}
inline vec vector_from_json(const nlohmann::json& j) {
    const auto d = j.get<std::vector<double>>();
    return Eigen::Map<const vec>(d.data(), static_cast<Eigen::Index>(d.size()));
}
inline std::vector<double> vector_to_json(const vec& v) { return {v.data(), v.data() + v.size()}; }

inline nlohmann::json layout_to_json(const policy::island_layout& l) {
    const auto& c = l.features.cfg();
    return {{"num_features", l.features.num_features()},
            {"levels_per_island", l.features.levels_per_island()},
            {"feature_map",
             {{"ewma_alpha", c.ewma_alpha}, {"set", policy::to_string(c.set)}, {"slow_ewma_alpha", c.slow_ewma_alpha}}},
            {"scaler", {{"mean", l.scaler.mean}, {"scale", l.scaler.scale}, {"clip", l.scaler.clip}}},
            {"head_of_island", l.head_of_island}};
}
/// Files written before feature sets existed have neither "set" nor "slow_ewma_alpha": they are standard.
inline policy::island_layout layout_from_json(const nlohmann::json& j) {
    constexpr const char* who = "l2s::io::load_policy";
    const auto levels = j.at("levels_per_island").get<std::vector<std::size_t>>();
    const auto& m = j.at("feature_map");
    policy::feature_map_config fc;
    fc.ewma_alpha = m.at("ewma_alpha").get<double>();
    if (m.contains("set")) fc.set = policy::feature_set_from_string(m.at("set").get<std::string>(), who);
    if (m.contains("slow_ewma_alpha")) fc.slow_ewma_alpha = m.at("slow_ewma_alpha").get<double>();
    if (j.at("num_features").get<std::size_t>() != policy::feature_count(fc.set))
        throw io_error(std::string(who) + ": num_features " + std::to_string(j.at("num_features").get<std::size_t>()) +
                       " does not match the feature set '" + policy::to_string(fc.set) + "' (" +
                       std::to_string(policy::feature_count(fc.set)) + " features)");
    const auto& s = j.at("scaler");
    policy::standard_scaler sc{s.at("mean").get<std::vector<double>>(), s.at("scale").get<std::vector<double>>(),
                               s.at("clip").get<double>()};
    return {policy::feature_map(levels.size(), levels, fc), std::move(sc),
            j.at("head_of_island").get<std::vector<std::size_t>>()};
}

template <class S>
nlohmann::json heads_to_json(const policy::softmax_linear<S>& p) {
    auto a = nlohmann::json::array();
    for (const auto& h : p.heads()) a.push_back({{"weights", matrix_to_json(h.weights)}, {"bias", vector_to_json(h.bias)}});
    return a;
}
template <class S>
nlohmann::json heads_to_json(const policy::mlp<S>& p) {
    auto a = nlohmann::json::array();
    for (const auto& h : p.heads()) {
        auto layers = nlohmann::json::array();
        for (std::size_t i = 0; i < h.weights.size(); ++i)
            layers.push_back({{"weights", matrix_to_json(h.weights[i])}, {"bias", vector_to_json(h.biases[i])}});
        a.push_back({{"layers", layers}});
    }
    return a;
}
template <class S>
nlohmann::json heads_to_json(const policy::cart_tree<S>& p) {
    auto a = nlohmann::json::array();
    for (const auto& h : p.heads())
        a.push_back({{"feature", h.feature}, {"threshold", h.threshold}, {"left", h.left}, {"right", h.right},
                     {"probs", matrix_to_json(h.probs)}});
    return a;
}

template <class P>
P policy_from_json(const nlohmann::json& j) {
    using S = typename P::scalar_type;
    auto layout = layout_from_json(j.at("layout"));
    const auto& hs = j.at("heads");
    if (!hs.is_array()) throw io_error("l2s::io::load_policy: heads is not an array");
    if constexpr (std::is_same_v<P, policy::softmax_linear<S>>) {
        std::vector<policy::softmax_linear_head> heads;
        for (const auto& h : hs) heads.push_back({matrix_from_json(h.at("weights")), vector_from_json(h.at("bias"))});
        return P(std::move(layout), std::move(heads));
    } else if constexpr (std::is_same_v<P, policy::mlp<S>>) {
        std::vector<policy::mlp_head> heads;
        for (const auto& h : hs) {
            policy::mlp_head m;
            for (const auto& l : h.at("layers")) {
                m.weights.push_back(matrix_from_json(l.at("weights")));
                m.biases.push_back(vector_from_json(l.at("bias")));
            }
            heads.push_back(std::move(m));
        }
        return P(std::move(layout), std::move(heads));
    } else {
        std::vector<policy::cart_head> heads;
        for (const auto& h : hs)
            heads.push_back({h.at("feature").get<std::vector<std::int32_t>>(), h.at("threshold").get<std::vector<double>>(),
                             h.at("left").get<std::vector<std::uint32_t>>(), h.at("right").get<std::vector<std::uint32_t>>(),
                             matrix_from_json(h.at("probs"))});
        return P(std::move(layout), std::move(heads));
    }
}

/// Parses text, checks its digest (when it has one, or always with o.require_digest), schema and version;
/// every failure is an io_error (naming `source`, a file name, when not empty).
inline nlohmann::json parse_policy_document(std::string_view text, std::string_view source = {}, const load_options& o = {}) {
    nlohmann::json j = integrity::parse(text, "l2s::io::load_policy", source);
    integrity::verify(j, "l2s::io::load_policy", source, o);
    if (!j.is_object() || !j.contains("schema") || !j["schema"].is_string() || j["schema"].get<std::string>() != policy_schema)
        throw io_error("l2s::io::load_policy: not an l2s.policy document");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != policy_schema_version)
        throw io_error("l2s::io::load_policy: unsupported version (this library reads version " +
                       std::to_string(policy_schema_version) + ")");
    return j;
}

/// Runs f, turning JSON access errors and policy validation errors into io_error.
template <class F>
auto guarded(F&& f) {
    try {
        return f();
    } catch (const io_error&) {
        throw;
    } catch (const nlohmann::json::exception& e) {
        throw io_error(std::string("l2s::io::load_policy: wrong document shape: ") + e.what());
    } catch (const error& e) {
        throw io_error(std::string("l2s::io::load_policy: invalid policy: ") + e.what());
    }
}

}  // namespace detail

/// The JSON document of a policy: {"schema", "version", "kind", "scalar", "layout", "heads"} for the
/// learned kinds, {"schema", "version", "kind", "levels", "levels_per_island"} for fixed_level.
/// Doubles are written with round-trip precision, so a loaded policy decides bit-identically.
/// @see docs/policy.md#json
template <class P>
[[nodiscard]] nlohmann::json policy_to_json(const P& p) {
    nlohmann::json j{{"schema", policy_schema}, {"version", policy_schema_version}, {"kind", P::kind}};
    if constexpr (std::is_same_v<P, policy::fixed_level>) {
        j["levels"] = p.levels();
        j["levels_per_island"] = p.levels_per_island();
    } else {
        j["scalar"] = detail::scalar_name<typename P::scalar_type>();
        j["layout"] = detail::layout_to_json(p.layout());
        j["heads"] = detail::heads_to_json(p);
    }
    return j;
}

/// The document of the policy an any_policy holds (any shipped kind and scalar); io_error for a custom
/// policy type, which has no saved form.
[[nodiscard]] inline nlohmann::json policy_to_json(const policy::any_policy& p) {
    nlohmann::json j;
    auto try_one = [&](auto tag) {
        using P = typename decltype(tag)::type;
        if (const P* q = p.target<P>(); q && j.is_null()) j = policy_to_json(*q);
    };
    try_one(std::type_identity<policy::softmax_linear<double>>{});
    try_one(std::type_identity<policy::softmax_linear<float>>{});
    try_one(std::type_identity<policy::mlp<double>>{});
    try_one(std::type_identity<policy::mlp<float>>{});
    try_one(std::type_identity<policy::cart_tree<double>>{});
    try_one(std::type_identity<policy::cart_tree<float>>{});
    try_one(std::type_identity<policy::fixed_level>{});
    if (j.is_null()) throw io_error("l2s::io::save_policy: the any_policy holds a " + p.kind() + ", which has no saved form");
    return j;
}

/// Serialises p (see policy_to_json) to a string, sealed with the document's digest (integrity::sealed).
template <class P>
[[nodiscard]] std::string save_policy(const P& p) {
    return integrity::sealed(policy_to_json(p), "l2s::io::save_policy").dump(1);
}
/// Writes p (save_policy) to a file atomically (write_file_atomic): io_error when the file cannot be
/// written, and the previous file is then intact.
template <class P>
void save_policy(const P& p, const std::filesystem::path& file, const file_ops& ops = {}) {
    write_file_atomic(file, save_policy(p), "l2s::io::save_policy", ops);
}

namespace detail {
template <class P>
[[nodiscard]] P load_policy_document(const nlohmann::json& j) {
    return detail::guarded([&]() -> P {
        if (j.at("kind").get<std::string>() != P::kind)
            throw io_error("l2s::io::load_policy: the document holds a " + j.at("kind").get<std::string>() +
                           ", not a " + P::kind);
        if constexpr (std::is_same_v<P, policy::fixed_level>) {
            return P(j.at("levels").get<std::vector<level_t>>(), j.at("levels_per_island").get<std::vector<std::size_t>>());
        } else {
            using S = typename P::scalar_type;
            if (j.at("scalar").get<std::string>() != detail::scalar_name<S>())
                throw io_error("l2s::io::load_policy: the document holds a " + j.at("scalar").get<std::string>() +
                               " policy, not a " + detail::scalar_name<S>() + " one");
            return detail::policy_from_json<P>(j);
        }
    });
}

[[nodiscard]] inline policy::any_policy load_any_policy_document(const nlohmann::json& j) {
    const auto kind = detail::guarded([&] { return j.at("kind").get<std::string>(); });
    const auto scalar = kind == policy::fixed_level::kind ? std::string("double")
                                                          : detail::guarded([&] { return j.at("scalar").get<std::string>(); });
    const bool f = scalar == "float";
    if (!f && scalar != "double") throw io_error("l2s::io::load_any_policy: unknown scalar type " + scalar);
    if (kind == policy::fixed_level::kind) return load_policy_document<policy::fixed_level>(j);
    if (kind == "softmax_linear")
        return f ? policy::any_policy(load_policy_document<policy::softmax_linear<float>>(j))
                 : policy::any_policy(load_policy_document<policy::softmax_linear<double>>(j));
    if (kind == "mlp")
        return f ? policy::any_policy(load_policy_document<policy::mlp<float>>(j))
                 : policy::any_policy(load_policy_document<policy::mlp<double>>(j));
    if (kind == "cart_tree")
        return f ? policy::any_policy(load_policy_document<policy::cart_tree<float>>(j))
                 : policy::any_policy(load_policy_document<policy::cart_tree<double>>(j));
    throw io_error("l2s::io::load_any_policy: unknown policy kind " + kind);
}
}  // namespace detail

/// Loads a policy of type P (softmax_linear<S>, mlp<S>, cart_tree<S> or fixed_level). Throws io_error
/// for malformed JSON, a digest that does not match the content ("integrity check failed"; a document
/// without a digest loads unless `o.require_digest`), another schema or version, another kind, or weights of
/// the wrong shape.
template <class P>
[[nodiscard]] P load_policy(std::string_view text, const load_options& o = {}) {
    return detail::load_policy_document<P>(detail::parse_policy_document(text, {}, o));
}

/// Loads any saved kind into an any_policy (the scalar type recorded in the file is kept); errors as load_policy.
[[nodiscard]] inline policy::any_policy load_any_policy(std::string_view text, const load_options& o = {}) {
    return detail::load_any_policy_document(detail::parse_policy_document(text, {}, o));
}

/// Reads a file and loads it as P; io_error naming the file when it is unreadable or fails (load_policy).
template <class P>
[[nodiscard]] P load_policy_file(const std::filesystem::path& file, const load_options& o = {}) {
    const std::string text = json_util::read_text(file, "l2s::io::load_policy_file");
    return detail::load_policy_document<P>(detail::parse_policy_document(text, file.string(), o));
}

/// Reads a file and loads it into an any_policy; errors as load_policy_file.
[[nodiscard]] inline policy::any_policy load_any_policy_file(const std::filesystem::path& file, const load_options& o = {}) {
    const std::string text = json_util::read_text(file, "l2s::io::load_any_policy_file");
    return detail::load_any_policy_document(detail::parse_policy_document(text, file.string(), o));
}

}  // namespace l2s::io
