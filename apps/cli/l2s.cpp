// apps/cli/l2s.cpp: the l2s command-line tool. Subcommands simulate, search, train, adapt, evaluate and study,
// each driven by a JSON experiment file (schemas in docs/cli.md), and governor, the DVFS daemon driven by
// flags; `l2s <subcommand> --help` describes each.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <l2s/host.hpp>
#include <l2s/io/policy.hpp>
#include <l2s/l2s.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/search/oracle.hpp>
#include <l2s/studies.hpp>
#include <l2s/studies/json.hpp>
#include <l2s/studies/sim_machine.hpp>

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
/// Oracle imitation data of apps[i] on chips[i] (one chip shape: the policy's).
learn::dataset oracle_data(const std::vector<sim::platform>& chips, const std::vector<std::string>& apps, std::size_t T,
                           const search::objective& obj, std::size_t evaluations, std::uint64_t seed,
                           const policy::feature_map_config& features) {
    const auto levels = chips.front().levels_per_island();
    const policy::feature_map fm(levels.size(), levels, features);
    learn::dataset d(levels, fm.num_features());
    rng_type rng(seed);
    for (std::size_t i = 0; i < apps.size(); ++i) {
        if (chips[i].levels_per_island() != levels)
            throw invalid_config("l2s train: the platform gives " + apps[i] + " other islands or levels than " + apps[0]);
        sim::sequence_evaluator ev(chips[i], sim::parsec_workload(apps[i], levels.size(), {.intervals = T, .seed = seed + 1000 * i}));
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
    // one chip per program: a built-in name is built for each (article_4vfi sizes its islands per application)
    std::vector<sim::platform> chips;
    for (const auto& app : apps)
        chips.push_back(p == nullptr      ? sim::builtin_platform("sniper_manycore")
                        : p->is_string() ? sim::builtin_platform_for(p->get<std::string>(), app)
                                         : studies::platform_spec_from_json(*p, "train.platform"));
    if (chips.empty()) r.fail("train.applications", "must name at least one program");
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
    const auto d = oracle_data(chips, apps, T, obj, evaluations, seed, features);
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
        // a built-in platform is built for each program (article_4vfi sizes its islands per application)
        const sim::platform seen_chip = sc.builtin.empty() ? chip : sim::builtin_platform_for(sc.builtin, calib_apps[i]);
        if (seen_chip.levels_per_island() != levels)
            throw invalid_config("l2s adapt: the platform gives " + calib_apps[i] + " other islands or levels than the workload");
        std::printf("calibration on %s (%s)\n", calib_apps[i].c_str(), seen_chip.name.c_str());
        const auto seen = std::make_shared<const sim::simulator>(
            seen_chip, sim::parsec_workload(calib_apps[i], K, {.intervals = T, .seed = sc.seed + 7 * i}));
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


// ---- l2s governor: the DVFS daemon (docs/cli.md#governor, docs/host.md#governor_loop) ----

struct governor_args {
    std::string policy, log, simulate, sensors, root = "/";
    bool uaol = false, dry_run = false;
    double interval_ms = 10.0;
    std::size_t intervals = 0, warmup = 100;
    std::uint32_t grid_step_mhz = 100;
};

const char* governor_help =
    "l2s governor --policy POLICY.json [options]\n"
    "  runs a saved policy as the DVFS governor of this machine (or of the simulator with --simulate)\n"
    "  --policy FILE        saved policy (l2s train); with --uaol a softmax policy\n"
    "  --uaol               wrap it in UaOL (runtime models learn online; the gate's threshold is calibrated\n"
    "                       on the first --uaol-warmup intervals, default 100)\n"
    "  --interval-ms MS     decision interval (default 10); each interval has this deadline\n"
    "  --intervals N        stop after N intervals (default: until SIGINT/SIGTERM; the simulator: the workload)\n"
    "  --dry-run            read sensors and decide, never write (forced when the machine has no cpufreq)\n"
    "  --log FILE.csv       one row per interval: readings, decision, decision time, overruns\n"
    "  --sensors FILE.json  {\"power\": [[spec, ...] per domain], \"temperature\": [[...]], \"pmu\": true,\n"
    "                       \"active_threshold\": 0.05} (specs in docs/host.md#power_meter)\n"
    "  --root DIR           prefix of /proc and /sys (a fake tree; default /)\n"
    "  --grid-step-mhz S    level spacing for drivers without a frequency table (default 100; a policy's\n"
    "                       level count wins when it differs)\n"
    "  --simulate CONFIG    feed the same loop from the simulator (keys: platform, workload, intervals, seed)";

/// Writes one CSV row per interval.
struct csv_log {
    std::FILE* f = nullptr;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    void header(std::size_t K) const {
        std::fprintf(f, "interval,elapsed_s,interval_s,decide_us,apply_us,late_us,overrun,chip_power_w,max_temp_c");
        for (std::size_t k = 0; k < K; ++k)
            std::fprintf(f, ",util_%zu,active_%zu,ipc_%zu,mem_per_instr_%zu,power_w_%zu,temp_c_%zu,freq_hz_%zu,level_%zu,decision_%zu", k, k, k,
                         k, k, k, k, k, k);
        std::fprintf(f, "\n");
    }
    void on_interval(const dvfs::observation& o, const dvfs::action& a, const dvfs::step_outcome& r, const host::interval_record& rec) const {
        if (!f) return;
        std::fprintf(f, "%zu,%.6f,%.6f,%.3f,%.3f,%.3f,%d,%.6g,%.4g", rec.index,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), r.time_s, 1e6 * rec.decide_s,
                     1e6 * rec.apply_s, 1e6 * rec.late_s, rec.overrun ? 1 : 0, o.chip_power_w, o.max_temp_c);
        for (std::size_t k = 0; k < o.num_islands(); ++k)
            std::fprintf(f, ",%.4f,%u,%.4g,%.4g,%.6g,%.4g,%.6g,%u,%u", o.utilisation[k], o.active_cores[k], o.ipc[k], o.mem_per_instr[k],
                         o.power_w[k], o.temp_c[k], o.freq_hz[k], unsigned(o.level[k]), unsigned(a[k]));
        std::fprintf(f, "\n");
    }
};

/// UaOL on a host has no held-out data: the gate's τ is calibrated on the policy's probabilities over the
/// first n states of the run (every decision until then is seen: the policy's argmax, refined).
template <class U>
struct gate_warmup {
    U* u;
    std::size_t n;
    std::vector<dvfs::observation> seen{};
    bool done = false;
    void on_interval(const dvfs::observation& o, const dvfs::action&, const dvfs::step_outcome&) {
        if (done || n == 0) return;
        seen.push_back(o);
        if (seen.size() < n) return;
        auto q = u->policy();  // a copy: episode_probabilities resets its history
        u->gate().calibrate(online::episode_probabilities(q, seen, u->gate().block_size()));
        done = true;
        std::fprintf(stderr, "l2s governor: UaOL gate calibrated on %zu states (threshold %.4f)\n", seen.size(), u->gate().threshold());
        seen = {};
    }
};

template <class P>
void print_uaol(const P& p) {
    if constexpr (requires { p.unseen_fraction(); })
        std::printf("UaOL: %.1f%% of decisions unseen, %zu SGD steps, slack %.4g s\n", 100.0 * p.unseen_fraction(), p.sgd_steps(),
                    p.slack_s());
}

/// Runs p on machine m with the log, the UaOL warm-up (when p is UaOL) and extra observers; prints a summary.
template <class M, class P, class... Extra>
host::governor_loop_result run_daemon(M& m, P& p, const governor_args& a, std::chrono::nanoseconds interval, Extra&... extra) {
    csv_log log;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
    if (!a.log.empty()) {
        file.reset(std::fopen(a.log.c_str(), "w"));
        if (!file) throw io_error("l2s governor: cannot write " + a.log);
        log.f = file.get();
        log.header(m.num_islands());
    }
    const host::governor_loop_config cfg{.interval = interval, .max_intervals = a.intervals};
    host::governor_loop_result res;
    if constexpr (requires { p.gate(); }) {
        gate_warmup<P> w{&p, a.warmup};
        res = host::run_governor(m, p, cfg, log, w, extra...);
    } else {
        res = host::run_governor(m, p, cfg, log, extra...);
    }
    std::printf("%zu intervals, %zu overruns, decision time mean %.2f us, max %.2f us%s\n", res.intervals, res.overruns,
                1e6 * res.mean_decide_s, 1e6 * res.max_decide_s, res.stopped ? " (stopped by a signal)" : "");
    print_uaol(p);
    if (!a.log.empty()) std::printf("wrote %s\n", a.log.c_str());
    return res;
}

/// Nominal voltages for UaOL's power model on a host, which does not publish them: a linear ramp from 0.7 V at
/// a domain's lowest to 1.2 V at its highest frequency (the RLS weights absorb the scale; docs/host.md#uaol).
std::vector<std::vector<double>> nominal_volts(const std::vector<std::vector<double>>& freq_hz) {
    std::vector<std::vector<double>> v(freq_hz.size());
    for (std::size_t k = 0; k < freq_hz.size(); ++k) {
        const double lo = freq_hz[k].front(), hi = freq_hz[k].back();
        for (double f : freq_hz[k]) v[k].push_back(hi > lo ? 0.7 + 0.5 * (f - lo) / (hi - lo) : 1.0);
    }
    return v;
}

template <class F>
void with_policy(const governor_args& a, F&& f) {
    if (a.uaol) f(io::load_policy_file<policy::softmax_linear<double>>(a.policy));
    else {
        std::ifstream in(a.policy);
        if (!in) throw io_error("l2s governor: cannot open policy file " + a.policy);
        std::stringstream text;
        text << in.rdbuf();
        f(io::load_any_policy(text.str()));
    }
}

template <class P>
std::vector<std::size_t> policy_levels(const P& p) {
    std::vector<std::size_t> l(p.num_islands());
    for (std::size_t k = 0; k < l.size(); ++k) {
        if constexpr (requires { p.num_levels(k); }) l[k] = p.num_levels(k);
        else l[k] = p.max_levels();
    }
    return l;
}

int governor_simulate(const governor_args& a) {
    const json j = read_config(a.simulate);
    io::strict_reader r(j, "governor", "l2s governor");
    const auto sc = studies::scenario_from(r, "governor");
    r.finish();
    const auto& chip = sc.platform;
    auto sim = std::make_shared<const sim::simulator>(chip, sc.workload);
    sim::dvfs_env env(sim);
    rng_type rng(sc.seed);
    studies::sim_machine m(env, rng);
    std::printf("l2s governor: simulator %s, workload %s, %zu islands, %zu intervals\n", chip.name.c_str(), sc.workload.name.c_str(),
                chip.num_islands(), sim->num_intervals());
    for (std::size_t k = 0; k < chip.num_islands(); ++k)
        std::printf("  island %zu: %zu levels, %.0f-%.0f MHz\n", k, chip.num_levels(k), 1e-6 * chip.islands[k].opps.front().freq_hz,
                    1e-6 * chip.islands[k].opps.back().freq_hz);
    with_policy(a, [&](auto pol) {
        if (pol.num_islands() != chip.num_islands())
            throw invalid_config("l2s governor: the policy decides " + std::to_string(pol.num_islands()) + " islands, the platform has " +
                                 std::to_string(chip.num_islands()));
        auto run = [&](auto& p) {
            (void)run_daemon(m, p, a, std::chrono::nanoseconds(0));
            std::printf("energy %.4g J, time %.4g s, slowdown %.2f%%\n", env.score().energy_j, env.score().time_s,
                        100.0 * env.score().slowdown(env.reference().time_s));
        };
        if constexpr (std::is_same_v<decltype(pol), policy::softmax_linear<double>>) {
            if (a.uaol) {
                online::uaol_policy<policy::softmax_linear<double>, online::island_models> u(
                    pol, online::island_models::for_platform(chip), chip.levels_per_island(), online::uaol_policy_config{.seed = sc.seed});
                run(u);
                return;
            }
        }
        run(pol);
    });
    return 0;
}

int governor_host(const governor_args& a) {
    int status = 0;
    with_policy(a, [&](auto pol) {
        const auto levels = policy_levels(pol);
        const std::size_t K = pol.num_islands();
        std::unique_ptr<host::cpufreq_control> control;
        std::vector<host::sampler_domain> domains;
        bool dry = a.dry_run;
        try {
            control = std::make_unique<host::cpufreq_control>(
                host::cpufreq_control_config{.root = a.root, .grid_step_khz = 1000 * a.grid_step_mhz, .grid_levels = levels});
            domains = control->sampler_domains();
        } catch (const io_error& e) {
            std::printf("no cpufreq (%s):\n  read-only pseudo-domains over /proc/stat with nominal levels; dry run\n", e.what());
            std::vector<std::vector<double>> grid(K);
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t l = 0; l < levels[k]; ++l) grid[k].push_back(2e9 * double(l + 1) / double(levels[k]));
            domains = host::domains_without_cpufreq(a.root, grid);
            dry = true;
        }
        if (domains.size() != K)
            throw invalid_config("l2s governor: the policy decides " + std::to_string(K) + " islands, this machine has " +
                                 std::to_string(domains.size()) + " frequency domains");
        for (std::size_t k = 0; k < K; ++k)
            if (domains[k].freq_hz.size() != levels[k])
                throw invalid_config("l2s governor: domain " + domains[k].name + " has " + std::to_string(domains[k].freq_hz.size()) +
                                     " frequencies, the policy decides " + std::to_string(levels[k]) + " levels for island " +
                                     std::to_string(k));
        host::sampler_config sc{.root = a.root};
        if (!a.sensors.empty()) {
            const json j = read_config(a.sensors);
            io::strict_reader r(j, "sensors", "l2s governor");
            // per domain, a list of sensor specs: [["hwmon:ina231_arm:power1"], [...]]
            auto specs = [&](const char* key, std::vector<std::vector<std::string>>& out) {
                const json* v = r.child(key);
                if (!v) return;
                if (!v->is_array()) r.fail(std::string("sensors.") + key, "must be a list (one list of specs per domain)");
                for (const auto& d : *v) {
                    if (!d.is_array()) r.fail(std::string("sensors.") + key, "must be a list of lists of strings");
                    out.emplace_back();
                    for (const auto& e : d) {
                        if (!e.is_string()) r.fail(std::string("sensors.") + key, "must be a list of lists of strings");
                        out.back().push_back(e.get<std::string>());
                    }
                }
            };
            specs("power", sc.power);
            specs("temperature", sc.temperature);
            r.get("pmu", sc.use_pmu);
            r.get("active_threshold", sc.active_threshold);
            r.finish();
        }
        host::linux_machine m(host::sampler(domains, sc), control.get(), dry);
        // startup report
        std::printf("l2s governor: %zu domains, interval %.3g ms, %s\n", K, a.interval_ms,
                    m.dry_run() ? "dry run (nothing is written)" : "writing frequencies");
        for (std::size_t k = 0; k < K; ++k) {
            const auto& d = domains[k];
            std::string driver = "none", how = "read-only";
            if (control) {
                driver = control->domain(k).driver;
                how = control->domain(k).how == host::freq_interface::setspeed ? "userspace/scaling_setspeed" : "scaling_min/max_freq";
            }
            std::printf("  %s: cpus", d.name.c_str());
            for (unsigned c : d.cpus) std::printf(" %u", c);
            std::printf("; driver %s via %s; %zu levels %.0f-%.0f MHz\n", driver.c_str(), how.c_str(), d.freq_hz.size(), 1e-6 * d.freq_hz.front(),
                        1e-6 * d.freq_hz.back());
        }
        const auto& rep = m.sensors().report();
        std::printf("  sensors: /proc/stat yes; PMU %s", rep.pmu ? "yes\n" : "no\n");
        if (!rep.pmu) std::printf("    %s\n", rep.pmu_reason.c_str());
        const auto missing = rep.missing_fields();
        std::printf("  fields that stay 0 (reduced features):");
        for (const auto& f : missing) std::printf(" %s", f.c_str());
        std::printf("%s\n", missing.empty() ? " none" : "");
        std::fflush(stdout);
        host::stop_signals stop;
        std::unique_ptr<host::cpufreq_session> session;
        if (!m.dry_run()) session = std::make_unique<host::cpufreq_session>(*control);
        const auto interval = std::chrono::nanoseconds(static_cast<long long>(a.interval_ms * 1e6));
        auto run = [&](auto& p) { (void)run_daemon(m, p, a, interval, stop); };
        if constexpr (std::is_same_v<decltype(pol), policy::softmax_linear<double>>) {
            if (a.uaol) {
                std::vector<std::vector<double>> f;
                for (const auto& d : domains) f.push_back(d.freq_hz);
                const auto v = nominal_volts(f);
                online::uaol_policy<policy::softmax_linear<double>, online::island_models> u(pol, online::island_models(f, v), levels);
                run(u);
                return;
            }
        }
        run(pol);
        if (session) {
            session->restore();
            for (const auto& e : session->restore_errors()) std::fprintf(stderr, "%s\n", e.c_str());
            if (!session->restore_errors().empty()) status = 1;
        }
    });
    return status;
}

int cmd_governor(int argc, char** argv) {
    governor_args a;
    for (int i = 2; i < argc; ++i) {
        const std::string s = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw invalid_argument("l2s governor: " + s + " needs a value");
            return argv[++i];
        };
        auto number = [&](double lo, double hi) {
            const std::string v = value();
            char* end = nullptr;
            const double x = std::strtod(v.c_str(), &end);
            if (end == v.c_str() || *end != '\0' || !(x >= lo && x <= hi))
                throw invalid_argument("l2s governor: " + s + " must be a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
            return x;
        };
        if (s == "--help" || s == "-h") {
            std::printf("%s\n", governor_help);
            return 0;
        }
        if (s == "--policy") a.policy = value();
        else if (s == "--uaol") a.uaol = true;
        else if (s == "--dry-run") a.dry_run = true;
        else if (s == "--interval-ms") a.interval_ms = number(0.01, 60000);
        else if (s == "--intervals") a.intervals = static_cast<std::size_t>(number(1, 1e12));
        else if (s == "--uaol-warmup") a.warmup = static_cast<std::size_t>(number(0, 1e9));
        else if (s == "--log") a.log = value();
        else if (s == "--sensors") a.sensors = value();
        else if (s == "--root") a.root = value();
        else if (s == "--grid-step-mhz") a.grid_step_mhz = static_cast<std::uint32_t>(number(1, 10000));
        else if (s == "--simulate") a.simulate = value();
        else throw invalid_argument("l2s governor: unexpected argument '" + s + "'\n" + governor_help);
    }
    if (a.policy.empty()) throw invalid_argument(std::string("l2s governor: --policy is missing\n") + governor_help);
    return a.simulate.empty() ? governor_host(a) : governor_simulate(a);
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
        {"governor", {"run a saved policy (optionally UaOL) as this machine's DVFS governor, or on the simulator", governor_help, nullptr}},
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
    std::fprintf(f, "usage: l2s <subcommand> CONFIG.json [--out PATH]\n       l2s governor --policy POLICY.json [options]\n\nsubcommands:\n");
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
    if (sub == "governor") {
        try {
            return cmd_governor(argc, argv);
        } catch (const l2s::error& e) {
            std::fprintf(stderr, "%s\n", e.what());
            return 1;
        }
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
