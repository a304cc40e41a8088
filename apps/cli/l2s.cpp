// apps/cli/l2s.cpp: the l2s command-line tool. Subcommands simulate, search, train, adapt and evaluate, each
// driven by a JSON experiment file (schemas in docs/cli.md); `l2s <subcommand> --help` describes each.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <l2s/io/policy.hpp>
#include <l2s/l2s.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/search/oracle.hpp>
#include <l2s/studies.hpp>
#include <l2s/studies/json.hpp>

namespace {

using namespace l2s;
using nlohmann::json;

struct command {
    const char* summary;
    const char* help;
    int (*run)(const json&, const std::string& out);
};

json read_config(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw io_error("l2s: cannot open " + file);
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw io_error("l2s: " + file + ": " + e.what());
    }
}

void print_score(const std::string& name, const dvfs::sequence_score& s, double reference_time) {
    std::printf("%-14s EDP %.5g J*s  energy %.4f J  time %.5f s  slowdown %+.2f%%  peak %.1f C  transitions %zu\n",
                name.c_str(), s.edp(), s.energy_j, s.time_s, 100.0 * s.slowdown(reference_time), s.peak_temp_c,
                s.transitions);
}

/// "performance" | "powersave" | "ondemand" | "conservative" | "schedutil" | "static:<level>" | {"file": policy.json}
policy::any_policy make_policy(const json& spec, const sim::platform& chip) {
    std::vector<std::size_t> levels;
    for (std::size_t k = 0; k < chip.num_islands(); ++k) levels.push_back(chip.num_levels(k));
    if (spec.is_object()) {
        io::strict_reader r(spec, "policy", "l2s");
        std::string file;
        r.get("file", file);
        r.finish();
        std::ifstream in(file);
        if (!in) throw io_error("l2s: cannot open policy file " + file);
        std::stringstream text;
        text << in.rdbuf();
        auto p = io::load_any_policy(text.str());
        if (p.num_islands() != chip.num_islands())
            throw invalid_config("l2s: policy file " + file + " decides " + std::to_string(p.num_islands()) +
                                 " islands, the platform has " + std::to_string(chip.num_islands()));
        return p;
    }
    if (!spec.is_string()) throw invalid_config("l2s: policy: must be a name or {\"file\": ...}");
    const std::string name = spec.get<std::string>();
    if (name.rfind("static:", 0) == 0) {
        const int l = std::atoi(name.c_str() + 7);
        std::vector<level_t> lv(chip.num_islands());
        for (std::size_t k = 0; k < lv.size(); ++k)
            lv[k] = static_cast<level_t>(std::clamp<int>(l, 0, static_cast<int>(levels[k]) - 1));
        return policy::fixed_level(lv, levels);
    }
    throw invalid_config("l2s: policy '" + name + "' is not static:<level> or a policy file (governors: use \"governor\")");
}

template <class P>
dvfs::sequence_score run_and_report(const std::string& name, sim::dvfs_env& env, sim::sequence_evaluator& ev, P& p,
                                   rng_type& rng, const std::string& out) {
    const auto r = sim::rollout(env, p, rng);
    print_score(name, r.score, ev.reference().time_s);
    if (!out.empty()) {
        std::filesystem::create_directories(out);
        sim::trace tr;
        tr.label = name;
        (void)ev.evaluate(r.levels, tr);
        studies::write_atomically(std::filesystem::path(out) / ("trace_" + name + ".csv"), "l2s",
                                  [&](std::ostream& f) { io::write_trace_csv(f, tr); });
        studies::write_atomically(std::filesystem::path(out) / ("trace_" + name + ".svg"), "l2s",
                                  [&](std::ostream& f) { io::write_trace_svg(f, tr); });
        std::printf("wrote %s/trace_%s.csv and .svg\n", out.c_str(), name.c_str());
    }
    return r.score;
}

int cmd_simulate(const json& j, const std::string& out) {
    io::strict_reader r(j, "simulate", "l2s simulate");
    const auto sc = studies::scenario_from(r, "simulate");
    std::vector<std::string> governors;
    r.get("governors", governors);
    const json* pol = r.child("policy");
    r.finish();
    auto sim = std::make_shared<const sim::simulator>(sc.platform, sc.workload);
    sim::sequence_evaluator ev(sim);
    sim::dvfs_env env(sim);
    rng_type rng(sc.seed);
    std::printf("%s on %s: %zu islands, %zu intervals\n", sc.workload.name.c_str(), sc.platform.name.c_str(),
                sc.platform.num_islands(), sim->num_intervals());
    for (const auto& g : governors) {
        sim::governor_policy gov(sim::cpufreq_policies(sc.platform), {.kind = studies::loo_config::governor_kind_of(g)});
        (void)run_and_report(g, env, ev, gov, rng, out);
    }
    if (pol) {
        auto p = make_policy(*pol, sc.platform);
        (void)run_and_report(std::string(p.kind()), env, ev, p, rng, out);
    }
    if (governors.empty() && !pol) std::printf("nothing to run: give \"governors\" and/or \"policy\"\n");
    return 0;
}

int cmd_search(const json& j, const std::string& out) {
    io::strict_reader r(j, "search", "l2s search");
    const auto sc = studies::scenario_from(r, "search");
    search::objective obj;
    if (const auto* o = r.child("objective")) obj = studies::objective_from_json(*o, "search.objective");
    std::string strategy = "greedy";
    std::size_t evaluations = 20000, beam_width = 16;
    r.get("strategy", strategy);
    r.get("evaluations", evaluations);
    r.get("beam_width", beam_width);
    r.finish();
    sim::sequence_evaluator ev(sc.platform, sc.workload);
    rng_type rng(sc.seed);
    const search::search_budget budget{.max_evaluations = evaluations};
    search::search_result res;
    if (strategy == "greedy") res = search::greedy({.obj = obj}).search(ev, vf_sequence{}, budget, rng);
    else if (strategy == "local") {
        search::local_config lc;
        lc.obj = obj;
        res = search::local(lc).search(ev, vf_sequence{}, budget, rng);
    } else if (strategy == "beam") {
        search::beam_config bc;
        bc.obj = obj;
        bc.width = beam_width;
        res = search::beam(bc).search(ev, vf_sequence{}, budget, rng);
    } else {
        r.fail("search.strategy", "must be greedy, local or beam");
    }
    print_score("all-max", res.reference, res.reference.time_s);
    print_score(strategy, res.score, res.reference.time_s);
    std::printf("%zu evaluations in %.2f s; %s\n", res.evaluations, res.time_s,
                res.feasible ? "feasible" : res.infeasibility.c_str());
    if (!out.empty()) {
        io::json_util::write_file(studies::search_result_to_json(res, true), out, "l2s search", -1);
        std::printf("wrote %s\n", out.c_str());
    }
    return res.feasible ? 0 : 3;
}

/// Oracle sequences for apps; appends imitation data.
learn::dataset oracle_data(const sim::platform& chip, const std::vector<std::string>& apps, std::size_t T,
                           const search::objective& obj, std::size_t evaluations, std::uint64_t seed,
                           const policy::feature_map_config& features) {
    const auto levels = chip.levels_per_island();
    const policy::feature_map fm(chip.num_islands(), levels, features);
    learn::dataset d(levels, fm.num_features());
    rng_type rng(seed);
    for (std::size_t i = 0; i < apps.size(); ++i) {
        sim::sequence_evaluator ev(chip, sim::parsec_workload(apps[i], chip.num_islands(), {.intervals = T, .seed = seed + 1000 * i}));
        const auto o = search::oracle({.obj = obj}).search(ev, vf_sequence{}, {.max_evaluations = evaluations}, rng);
        std::printf("oracle %-15s EDP %.4g (all-max %.4g), slowdown %+.2f%%\n", apps[i].c_str(), o.score.edp(),
                    o.reference.edp(), 100.0 * o.score.slowdown(o.reference.time_s));
        learn::append_imitation(ev.observations(o.best), o.best, fm, d);
    }
    return d;
}

int cmd_train(const json& j, const std::string& out) {
    io::strict_reader r(j, "train", "l2s train");
    std::uint64_t seed = 1;
    std::size_t T = 200, evaluations = 60000, epochs = 200;
    std::vector<std::string> apps = sim::parsec_names();
    std::string model = "softmax";
    std::vector<double> hidden_d{20, 20};
    r.get("seed", seed);
    r.get("intervals", T);
    r.get("evaluations", evaluations);
    r.get("applications", apps);
    r.get("model", model);
    r.get("epochs", epochs);
    policy::feature_map_config features;
    r.get_named("features", features.set, policy::feature_set_names);
    const auto* hid = r.child("hidden");
    search::objective obj;
    if (const auto* o = r.child("objective")) obj = studies::objective_from_json(*o, "train.objective");
    const auto* p = r.child("platform");
    const sim::platform chip = p ? studies::platform_spec_from_json(*p, "train.platform") : sim::builtin_platform("sniper_manycore");
    r.finish();
    std::vector<std::size_t> hidden{20, 20};
    if (hid) {
        if (!hid->is_array()) r.fail("train.hidden", "must be an array of widths");
        hidden.clear();
        for (const auto& h : *hid) {
            if (!h.is_number_unsigned() || h.get<std::size_t>() == 0) r.fail("train.hidden", "widths must be integers >= 1");
            hidden.push_back(h.get<std::size_t>());
        }
    }
    if (out.empty()) throw invalid_config("l2s train: --out policy.json is required");
    const auto d = oracle_data(chip, apps, T, obj, evaluations, seed, features);
    std::string text;
    double acc = 0.0;
    if (model == "softmax") {
        learn::softmax_trainer_config sc;
        sc.layout.features = features;
        const auto pol = learn::train_softmax_linear<double>(d, sc);
        acc = learn::accuracy(pol, d);
        text = io::save_policy(pol);
    } else if (model == "mlp") {
        learn::mlp_trainer_config mc;
        mc.hidden = hidden;
        mc.epochs = epochs;
        mc.seed = seed;
        mc.layout.features = features;
        const auto pol = learn::train_mlp<double>(d, mc);
        acc = learn::accuracy(pol, d);
        text = io::save_policy(pol);
    } else if (model == "tree") {
        learn::cart_trainer_config cc;
        cc.layout.features = features;
        const auto pol = learn::train_cart<double>(d, cc);
        acc = learn::accuracy(pol, d);
        text = io::save_policy(pol);
    } else {
        r.fail("train.model", "must be softmax, mlp or tree");
    }
    io::write_file_atomic(out, text, "l2s train");
    std::printf("trained %s on %zu samples, accuracy %.3f; wrote %s\n", model.c_str(), d.size(), acc, out.c_str());
    return 0;
}

int cmd_adapt(const json& j, const std::string& out) {
    io::strict_reader r(j, "adapt", "l2s adapt");
    const auto sc = studies::scenario_from(r, "adapt");
    std::string file;
    std::vector<std::string> calib_apps{"dedup", "barnes"};
    studies::uaol_setup setup;  // the library's UaOL, as `l2s evaluate` runs it (docs/cli.md#adapt)
    std::size_t evaluations = 20000;
    r.get("policy_file", file);
    r.get("calibration_applications", calib_apps);
    if (const auto* u = r.child("uaol")) setup = studies::uaol_setup_from_json(*u, "adapt.uaol");
    r.get("evaluations", evaluations);
    r.finish();
    if (file.empty()) r.fail("adapt.policy_file", "missing");
    const auto pol = io::load_policy_file<policy::softmax_linear<double>>(file);
    const auto& chip = sc.platform;
    const std::size_t K = chip.num_islands(), T = sc.workload.num_intervals();
    const std::vector<std::size_t> levels = chip.levels_per_island();
    online::uaol_policy_config uc = setup.policy;
    uc.seed = sc.seed;
    auto models = studies::make_runtime_models(setup, chip);
    // runtime models identified, and the gate and sets calibrated on oracle states, on seen applications
    std::vector<dvfs::observation> cal;
    std::vector<level_t> labels;
    rng_type rng(sc.seed);
    for (std::size_t i = 0; i < calib_apps.size(); ++i) {
        const auto seen = std::make_shared<const sim::simulator>(
            chip, sim::parsec_workload(calib_apps[i], K, {.intervals = T, .seed = sc.seed + 7 * i}));
        std::visit([&](auto& m) { (void)sim::identify(m, *seen, rng); }, models);
        sim::sequence_evaluator ev(seen);
        const auto o = search::oracle().search(ev, vf_sequence{}, {.max_evaluations = evaluations}, rng);
        const auto obs = ev.observations(o.best);
        cal.insert(cal.end(), obs.begin(), obs.end());
        labels.insert(labels.end(), o.best.begin(), o.best.end());
    }
    auto sim = std::make_shared<const sim::simulator>(chip, sc.workload);
    sim::sequence_evaluator ev(sim);
    sim::dvfs_env env(sim);
    auto alone = pol;
    (void)run_and_report("policy", env, ev, alone, rng, out);
    studies::with_uaol(setup, pol, models, sim, levels, uc, [&](auto& uaol) {
        uaol.calibrate(cal, labels, rng);
        (void)run_and_report("uaol", env, ev, uaol, rng, out);
        std::printf("UaOL: %.1f%% of decisions unseen, %zu SGD steps\n", 100.0 * uaol.unseen_fraction(), uaol.sgd_steps());
    });
    return 0;
}

int cmd_evaluate(const json& j, const std::string& out) {
    const auto cfg = studies::loo_config_from_json(j, "evaluate");
    const auto res = studies::leave_one_out(cfg, [](const std::string& s) { std::fprintf(stderr, "  %s\n", s.c_str()); });
    studies::write_loo_table(std::cout, res);
    if (!out.empty()) {
        const auto files = studies::write_loo_outputs(res, out);
        std::printf("wrote %zu files to %s\n", files.size(), out.c_str());
    }
    return 0;
}

int cmd_study(const json& j, const std::string& out) {
    const auto cfg = studies::study_config_from_json(j, "study");
    const auto res = studies::l2s_study(cfg, [](const std::string& s) { std::fprintf(stderr, "  %s\n", s.c_str()); });
    studies::write_study_table(std::cout, res);
    std::printf("study took %.1f s\n", res.seconds);
    if (!out.empty()) {
        std::filesystem::create_directories(out);
        io::json_util::write_file(studies::study_result_to_json(res), std::filesystem::path(out) / "study.json", "l2s study");
        studies::write_atomically(std::filesystem::path(out) / "study.txt", "l2s study",
                                  [&](std::ostream& f) { studies::write_study_table(f, res); });
        std::printf("wrote study.json and study.txt to %s\n", out.c_str());
    }
    return 0;
}

const std::map<std::string, command>& commands() {
    static const std::map<std::string, command> c{
        {"simulate",
         {"run governors and saved or static policies on one workload",
          "l2s simulate CONFIG.json [--out DIR]\n"
          "  keys: platform, workload, intervals, seed (see docs/cli.md#scenario),\n"
          "        governors: [\"ondemand\", ...], policy: \"static:<level>\" | {\"file\": \"policy.json\"}\n"
          "  --out DIR writes trace_<policy>.csv and .svg",
          cmd_simulate}},
        {"search",
         {"find a near-optimal V/F sequence for one workload",
          "l2s search CONFIG.json [--out SEQUENCE.json]\n"
          "  keys: platform, workload, intervals, seed, objective {kind, max_slowdown, t_max_c, ...},\n"
          "        strategy: greedy | local | beam, evaluations, beam_width\n"
          "  exit status 3 when no feasible sequence was found",
          cmd_search}},
        {"train",
         {"learn a deployable policy from oracle sequences",
          "l2s train CONFIG.json --out POLICY.json\n"
          "  keys: platform, applications [names], intervals, seed, objective, evaluations,\n"
          "        model: softmax | mlp | tree, hidden [widths] (mlp), epochs (mlp),\n"
          "        features: compact | standard | extended (8, 32 or 128 per island)",
          cmd_train}},
        {"adapt",
         {"run UaOL around a saved softmax policy on a workload",
          "l2s adapt CONFIG.json [--out DIR]\n"
          "  keys: platform, workload, intervals, seed, policy_file, calibration_applications, evaluations,\n"
          "        uaol: as in l2s evaluate (docs/cli.md#uaol): alpha, gate_quantile, budget, learning_rate, score,\n"
          "        budget_guard, widen_infeasible, account {kind}, refinement {kind}, models {kind}",
          cmd_adapt}},
        {"evaluate",
         {"the leave-one-out comparison (governors, L2S, UaOL, oracle)",
          "l2s evaluate CONFIG.json [--out DIR]\n"
          "  keys: as studies::loo_config (docs/results/leave_one_out.md#loo_config): platform, applications, held_out,\n"
          "        intervals, seed, objective, oracle_evaluations, softmax_l2, features, governors,\n"
          "        uaol {alpha, gate_quantile, budget, learning_rate, score, budget_guard, widen_infeasible,\n"
          "              account {kind: slack_account | per_interval_budget, horizon},\n"
          "              refinement {kind: refine_below | keep_decision},\n"
          "              models {kind: island_models | per_island_models | lookahead_model, tolerance}}",
          cmd_evaluate}},
        {"study",
         {"the L2S study across platforms (oracles per strategy, baselines, learned policies)",
          "l2s study CONFIG.json [--out DIR]\n"
          "  keys: as studies::study_config (docs/results/l2s_study.md#study_config): platforms, applications, held_out,\n"
          "        mixes, intervals, seed, objective, strategies, evaluations, bo_guided_rounds, softmax_l2, features,\n"
          "        q_learning_episodes, dtm\n"
          "  --out DIR writes study.json and study.txt",
          cmd_study}},
    };
    return c;
}

int usage(std::FILE* f) {
    std::fprintf(f, "usage: l2s <subcommand> CONFIG.json [--out PATH]\n\nsubcommands:\n");
    for (const auto& [name, c] : commands()) std::fprintf(f, "  %-9s %s\n", name.c_str(), c.summary);
    std::fprintf(f, "\n`l2s <subcommand> --help` describes each; schemas in docs/cli.md\n");
    return f == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage(stderr);
    const std::string sub = argv[1];
    if (sub == "--help" || sub == "-h" || sub == "help") return usage(stdout);
    const auto it = commands().find(sub);
    if (it == commands().end()) {
        std::fprintf(stderr, "l2s: unknown subcommand '%s'\n", sub.c_str());
        return usage(stderr);
    }
    std::string config, out;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::printf("%s\n", it->second.help);
            return 0;
        }
        if (a == "--out" && i + 1 < argc) out = argv[++i];
        else if (config.empty() && a.rfind("--", 0) != 0) config = a;
        else {
            std::fprintf(stderr, "l2s %s: unexpected argument '%s'\n%s\n", sub.c_str(), a.c_str(), it->second.help);
            return 2;
        }
    }
    if (config.empty()) {
        std::fprintf(stderr, "l2s %s: missing CONFIG.json\n%s\n", sub.c_str(), it->second.help);
        return 2;
    }
    try {
        return it->second.run(read_config(config), out);
    } catch (const l2s::error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
