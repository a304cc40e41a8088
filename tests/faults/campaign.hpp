// tests/faults/campaign.hpp: the fault-injection campaign over every persisted document kind: valid documents
// saved by the library, single faults (bit flips, byte deletions, truncations, field swaps), and the outcome of
// loading each: detected (a typed l2s::error, target unchanged), benign (the loaded object is identical to the
// original) or silent corruption (anything else).  @see docs/reliability.md#fault-injection
#pragma once
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/bo.hpp>
#include <l2s/core/error.hpp>
#include <l2s/gp.hpp>
#include <l2s/io/bo.hpp>
#include <l2s/io/gp.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/io/policy.hpp>
#include <l2s/io/workload.hpp>
#include <l2s/problems.hpp>
#include <l2s/sim.hpp>

#include "policy/make_policies.hpp"

namespace l2s::test::faults {

enum class outcome { detected, benign, silent };

/// One persisted kind: its valid document, and a loader that returns the identity of what it loaded (a
/// canonical text of the object) or throws; `target_unchanged` says whether the object a failed load was
/// given is as before (loaders that return a new object have none: always true).
struct subject {
    std::string kind;
    std::string text;                                       ///< the valid document, as saved
    std::string identity;                                   ///< identity of the original object
    std::function<std::string(const std::string&)> load;    ///< identity of the loaded object, or throws
    std::function<bool()> target_unchanged = [] { return true; };
};

/// The counts of one (kind, fault type).
struct tally {
    std::size_t injections = 0, detected = 0, benign = 0, silent = 0;
    std::vector<std::string> examples;  ///< the first few silent corruptions, for the failure message
};

/// Runs one injected document through the subject's loader and classifies the outcome.
inline outcome classify(const subject& s, const std::string& doc, std::string* why) {
    try {
        const std::string id = s.load(doc);
        if (id == s.identity) return outcome::benign;
        *why = "loaded a different object";
        return outcome::silent;
    } catch (const l2s::error& e) {
        if (s.target_unchanged()) return outcome::detected;
        *why = std::string("typed error but the target changed: ") + e.what();
        return outcome::silent;
    } catch (const std::exception& e) {
        *why = std::string("untyped exception: ") + e.what();
        return outcome::silent;
    }
}

/// Campaign sizes: 0 (or at least the number of positions) means every position (the long form); otherwise
/// that many positions drawn with replacement from a fixed-seed generator.
struct plan {
    std::size_t bit_flips = 0;       ///< sampled (byte, bit) positions; 0: all 8·size
    std::size_t deletions = 0;       ///< sampled byte positions; 0: all
    std::size_t truncation_step = 1; ///< truncate at every step-th length (1: every length)
    std::size_t swaps = 0;           ///< sampled sibling pairs; 0: all
    std::uint64_t seed = 28;
};

/// Every (container pointer, i, j) pair of sibling members of an object (all pairs) or of an array (adjacent
/// elements) in the document, except the digest itself.
inline void sibling_pairs(const nlohmann::json& j, const nlohmann::json::json_pointer& at,
                          std::vector<std::pair<nlohmann::json::json_pointer, std::pair<std::string, std::string>>>& out) {
    if (j.is_object()) {
        std::vector<std::string> keys;
        for (const auto& [k, v] : j.items())
            if (!(at.empty() && k == io::integrity::digest_key)) keys.push_back(k);
        for (std::size_t a = 0; a < keys.size(); ++a)
            for (std::size_t b = a + 1; b < keys.size(); ++b) out.push_back({at, {keys[a], keys[b]}});
        for (const auto& k : keys) sibling_pairs(j.at(k), at / k, out);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i + 1 < j.size(); ++i) out.push_back({at, {std::to_string(i), std::to_string(i + 1)}});
        for (std::size_t i = 0; i < j.size(); ++i) sibling_pairs(j[i], at / i, out);
    }
}

/// Runs the campaign on one subject; results[fault type] += counts. The document is re-written for field swaps
/// with the indentation `indent` it was saved with (-1 compact), keeping its original digest.
inline void run(const subject& s, const plan& p, int indent, std::map<std::string, tally>& results) {
    std::mt19937_64 rng(p.seed);
    const std::size_t n = s.text.size();
    auto record = [&](const char* type, const std::string& doc, const std::string& what) {
        auto& t = results[type];
        ++t.injections;
        std::string why;
        switch (classify(s, doc, &why)) {
            case outcome::detected: ++t.detected; break;
            case outcome::benign: ++t.benign; break;
            case outcome::silent:
                ++t.silent;
                if (t.examples.size() < 5) t.examples.push_back(s.kind + " " + what + ": " + why);
                break;
        }
    };
    // single-bit flips
    const std::size_t bits = 8 * n;
    const bool every_flip = p.bit_flips == 0 || p.bit_flips >= bits;
    for (std::size_t i = 0; i < (every_flip ? bits : p.bit_flips); ++i) {
        const std::size_t b = every_flip ? i : static_cast<std::size_t>(rng() % bits);
        std::string d = s.text;
        d[b / 8] = static_cast<char>(static_cast<unsigned char>(d[b / 8]) ^ (1u << (b % 8)));
        record("bit flip", d, "bit " + std::to_string(b));
    }
    // byte deletions
    const bool every_deletion = p.deletions == 0 || p.deletions >= n;
    for (std::size_t i = 0; i < (every_deletion ? n : p.deletions); ++i) {
        const std::size_t at = every_deletion ? i : static_cast<std::size_t>(rng() % n);
        std::string d = s.text;
        d.erase(at, 1);
        record("byte deletion", d, "deleting byte " + std::to_string(at));
    }
    // truncations at every length (or every step-th)
    for (std::size_t len = 0; len < n; len += p.truncation_step) record("truncation", s.text.substr(0, len), "truncating to " + std::to_string(len));
    // field swaps: two members of one object, or two adjacent array elements, exchange values
    const auto doc = nlohmann::json::parse(s.text);
    std::vector<std::pair<nlohmann::json::json_pointer, std::pair<std::string, std::string>>> pairs;
    sibling_pairs(doc, nlohmann::json::json_pointer(), pairs);
    const bool every_swap = p.swaps == 0 || p.swaps >= pairs.size();
    for (std::size_t i = 0; i < (every_swap ? pairs.size() : p.swaps); ++i) {
        const auto& [at, keys] = pairs[every_swap ? i : static_cast<std::size_t>(rng() % pairs.size())];
        nlohmann::json d = doc;
        auto& c = d[at];
        const auto pa = nlohmann::json::json_pointer("/" + keys.first), pb = nlohmann::json::json_pointer("/" + keys.second);
        std::swap(c[pa], c[pb]);
        record("field swap", d.dump(indent), "swapping " + at.to_string() + " " + keys.first + " <-> " + keys.second);
    }
}

// ---- the subjects: one per persisted kind ----

template <class P>
subject policy_subject(const std::string& kind, const P& p, bool sealed = true) {
    subject s;
    s.kind = kind;
    s.text = sealed ? io::save_policy(p) : io::policy_to_json(p).dump(1);
    s.identity = io::save_policy(p);
    s.load = [](const std::string& d) { return io::save_policy(io::load_any_policy(d)); };
    return s;
}

using gp_type = gp::exact_gp<kernel::matern52_ard>;

/// A GP state (12 points in 2-D, learned hyperparameters) loaded into a target GP holding other data.
struct gp_case {
    gp_type original{kernel::matern52_ard::from(vec::Constant(2, 0.3))};
    gp_type target{kernel::matern52_ard::from(vec::Constant(2, 1.0))};
    std::string target_before;
    gp_case() {
        rng_type rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        mat X(2, 12);
        vec y(12);
        for (Eigen::Index j = 0; j < 12; ++j) {
            X(0, j) = u(rng);
            X(1, j) = u(rng);
            y(j) = std::sin(5.0 * X(0, j)) + X(1, j);
        }
        original.fit(X, y);
        (void)original.learn_hyperparameters(rng);
        target.fit(X.leftCols(4), y.head(4));
        target_before = io::gp_to_string(target);
    }
    subject make(bool sealed = true) {
        subject s;
        s.kind = "GP state";
        s.text = sealed ? io::gp_to_string(original) : io::gp_to_json(original).dump();
        s.identity = io::gp_to_string(original);
        // Loaded into the target itself, so the strong guarantee is checked on it; a successful load is undone
        // before the next injection.
        s.load = [this](const std::string& d) {
            io::gp_from_string(d, target);
            std::string id = io::gp_to_string(target);
            io::gp_from_string(target_before, target);  // back to the pre-load state for the next injection
            return id;
        };
        s.target_unchanged = [this] { return io::gp_to_string(target) == target_before; };
        return s;
    }
};

/// A BO state (Branin, 8 evaluations, one pending point) loaded into an optimizer holding another run.
struct bo_case {
    using opt_type = decltype(bo::make_default_optimizer(problems::branin::domain()));
    opt_type original = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 4, .relearn_every = 4});
    opt_type target = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 3});
    std::string target_before;
    bo_case() {
        const problems::branin f;
        rng_type rng(21);
        for (int i = 0; i < 8; ++i) {
            const vec x = original.ask(rng);
            original.tell(x, f(x));
        }
        (void)original.ask(rng);
        for (int i = 0; i < 3; ++i) {
            const vec x = target.ask(rng);
            target.tell(x, f(x));
        }
        target_before = io::save_bo(target);
    }
    subject make(bool sealed = true) {
        subject s;
        s.kind = "BO state";
        s.text = sealed ? io::save_bo(original) : io::bo_state_to_json(original.state()).dump();
        s.identity = io::save_bo(original);
        s.load = [this](const std::string& d) {
            io::load_bo(target, d);
            std::string id = io::save_bo(target);
            io::load_bo(target, target_before);
            return id;
        };
        s.target_unchanged = [this] { return io::save_bo(target) == target_before; };
        return s;
    }
};

inline sim::workload sample_workload() {
    sim::workload w;
    w.name = "two phases";
    w.work_scale = {0.25, 0.75};
    w.islands = {{{.cpi_core = 1.2, .mem_per_instr = 0.01, .t_mem_s = 80e-9, .activity = 0.9, .intervals = 3},
                  {.cpi_core = 0.8, .mem_per_instr = 0.002, .t_mem_s = 80e-9, .activity = 0.5, .intervals = 2}},
                 {{.cpi_core = 2.0, .mem_per_instr = 0.03, .t_mem_s = 90e-9, .activity = 0.7, .active_fraction = 0.5,
                   .intervals = 5}}};
    return w;
}

inline subject workload_subject(bool sealed = true) {
    subject s;
    s.kind = "workload";
    const auto w = io::workload_to_json(sample_workload());
    const auto j = sealed ? io::integrity::sealed(w) : w;
    s.text = j.dump(1) + "\n";  // as save_workload writes it
    s.identity = io::workload_to_json(sample_workload()).dump();
    s.load = [](const std::string& d) {
        return io::workload_to_json(io::workload_from_json(io::integrity::parse(d, "load", ""))).dump();
    };
    return s;
}

/// A two-island platform file in the l2s-platform-v1 schema, sealed with its digest (unless `sealed` is false).
inline nlohmann::json sample_platform_json(bool sealed = true) {
    auto island = [](const char* name, int cores, std::vector<std::pair<int, int>> opps, double c, double latency_ns) {
        nlohmann::json o = nlohmann::json::array();
        for (auto [f, mv] : opps) o.push_back({{"freq_mhz", f}, {"voltage_mv", mv}});
        return nlohmann::json{{"name", name},
                              {"core_type", "generic"},
                              {"cores", cores},
                              {"opp_tables", {{"main", {{"opps", o}}}}},
                              {"default_opp_table", "main"},
                              {"voltage_max_mv", {{"value", 1300}}},
                              {"transition_latency_ns", {{"value", latency_ns}}},
                              {"capacity_dmips_mhz", {{"value", 512}}},
                              {"power_model",
                               {{"c_core_uw_per_mhz_v2", {{"value", c}}},
                                {"c_cluster_rel_to_core", {{"value", 0.75}}},
                                {"leakage", {{"model", "fraction"}, {"fraction", 0.3}}}}}};
    };
    nlohmann::json j{{"schema", "l2s-platform-v1"},
                     {"name", "fault campaign board"},
                     {"islands",
                      {island("little", 4, {{400, 800}, {800, 900}, {1200, 1000}}, 100.0, 40000.0),
                       island("big", 2, {{600, 850}, {1200, 1000}, {1800, 1150}, {2000, 1250}}, 450.5, 20000.0)}},
                     {"thermal", {{"ambient_c", 40.0}, {"t_max_c", 85.0}}}};
    return sealed ? io::integrity::sealed(j) : j;
}

/// Every number of a platform, printed exactly (hex floats), as its identity.
inline std::string platform_identity(const sim::platform& p) {
    std::string s = p.name + "|";
    char buf[64];
    auto num = [&](double v) {
        std::snprintf(buf, sizeof buf, "%a,", v);
        s += buf;
    };
    for (const auto& i : p.islands) {
        s += i.name + "|" + i.core_type + "|" + std::to_string(i.cores) + "|";
        for (const auto& o : i.opps) {
            num(o.freq_hz);
            num(o.volt_v);
        }
        for (double v : {i.c_core_f, i.c_cluster_f, i.leakage.c1_a_per_k2, i.leakage.c2_k, i.leakage.i_gate_a, i.leakage.scale,
                         i.transition_latency_s, i.volt_slew_v_per_s, i.r_th_k_per_w, i.c_th_j_per_k, i.capacity})
            num(v);
    }
    for (double v : {p.thermal.ambient_c, p.thermal.t_max_c, p.thermal.package_r_k_per_w, p.thermal.package_c_j_per_k,
                     p.thermal.lateral_r_k_per_w, p.mem_bandwidth_accesses_per_s})
        num(v);
    s += std::to_string(p.thermal.grid_columns);
    return s;
}

inline subject platform_subject(const std::string& kind, const nlohmann::json& sealed_doc) {
    subject s;
    s.kind = kind;
    s.text = sealed_doc.dump(1) + "\n";
    s.identity = platform_identity(io::platform_from_json(sealed_doc));
    s.load = [](const std::string& d) { return platform_identity(io::platform_from_json(io::integrity::parse(d, "load", ""))); };
    return s;
}

/// Prints the per-(kind, fault) table as Markdown; returns the total of silent corruptions.
inline std::size_t report(const std::vector<std::pair<std::string, std::map<std::string, tally>>>& all, const char* title) {
    std::printf("\n%s\n\n| kind | fault | injections | detected | benign | silent corruptions |\n|---|---|---:|---:|---:|---:|\n",
                title);
    tally total;
    for (const auto& [kind, by_fault] : all)
        for (const auto& [fault, t] : by_fault) {
            std::printf("| %s | %s | %zu | %zu | %zu | %zu |\n", kind.c_str(), fault.c_str(), t.injections, t.detected,
                        t.benign, t.silent);
            total.injections += t.injections;
            total.detected += t.detected;
            total.benign += t.benign;
            total.silent += t.silent;
            for (const auto& e : t.examples) std::printf("  silent: %s\n", e.c_str());
        }
    std::printf("| **all** | | **%zu** | **%zu** | **%zu** | **%zu** |\n\n", total.injections, total.detected, total.benign,
                total.silent);
    std::fflush(stdout);
    return total.silent;
}

/// Every subject of the campaign, built from fixed seeds. `sealed` false gives the same documents without their
/// digest (the baseline: what the loaders' other checks alone catch).
struct subjects {
    gp_case gp;
    bo_case bo;
    std::vector<std::pair<subject, int>> all;  ///< subject, indentation of its saved text
    explicit subjects(bool sealed = true) {
        rng_type rng(2028);
        all.push_back({policy_subject("policy softmax_linear<double>", random_softmax<double>(2, 4, rng, false), sealed), 1});
        all.push_back({policy_subject("policy softmax_linear<float>", random_softmax<float>(2, 3, rng), sealed), 1});
        all.push_back({policy_subject("policy mlp<double>", random_mlp<double>(2, 3, rng, {4}), sealed), 1});
        all.push_back({policy_subject("policy cart_tree<double>", random_tree<double>(2, 3, rng, 2), sealed), 1});
        all.push_back({policy_subject("policy fixed_level", policy::fixed_level({1, 3}, {4, 5}), sealed), 1});
        all.push_back({gp.make(sealed), -1});
        all.push_back({bo.make(sealed), -1});
        all.push_back({workload_subject(sealed), 1});
        all.push_back({platform_subject("platform", sample_platform_json(sealed)), 1});
    }
    subjects(const subjects&) = delete;  // the GP and BO subjects point into this object
    subjects& operator=(const subjects&) = delete;
};

/// Outcome counts of one campaign: per kind, per fault type.
using campaign_result = std::vector<std::pair<std::string, std::map<std::string, tally>>>;

/// Runs plan p over every subject of S. With `assert_clean`, checks per kind and fault type that no injection
/// was a silent corruption and that each ended in exactly one outcome; otherwise keeps the counts only (the
/// baseline without digests).
inline campaign_result run_campaign(const subjects& S, const plan& p, bool assert_clean) {
    campaign_result all;
    for (const auto& [s, indent] : S.all) {
        std::map<std::string, tally> r;
        run(s, p, indent, r);
        for (auto& [fault, t] : r) {
            if (assert_clean) {
                CAPTURE(s.kind);
                CAPTURE(fault);
                INFO((t.examples.empty() ? std::string() : t.examples.front()));
                CHECK(t.silent == 0);
                CHECK(t.injections == t.detected + t.benign + t.silent);
            } else {
                t.examples.clear();
            }
        }
        all.push_back({s.kind, std::move(r)});
    }
    return all;
}

}  // namespace l2s::test::faults
