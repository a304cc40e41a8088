// The governor loop: on the simulator (bit-identical to sim::rollout; UaOL learns through it), on fake trees
// (restores the governor after normal exit, SIGTERM and an exception), and dry-run on this machine.
#include <doctest/doctest.h>

#include <csignal>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include <l2s/host/governor_loop.hpp>
#include <l2s/host/hotsniper.hpp>
#include <l2s/host/machine.hpp>
#include <l2s/host/sniper.hpp>
#include <l2s/host/stop_signals.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/learn/softmax_trainer.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/workload.hpp>
#include <l2s/studies/sim_machine.hpp>

#include "../policy/make_policies.hpp"
#include "fake_tree.hpp"

using namespace l2s;
using l2s_test::cf;
using l2s_test::fake_tree;

namespace {
constexpr std::size_t T = 120;
std::shared_ptr<const sim::simulator> make_sim(const char* app, std::uint64_t seed) {
    const auto chip = sim::sniper_manycore(8, 4, 8);
    return std::make_shared<const sim::simulator>(chip, sim::parsec_workload(app, chip.num_islands(), {.intervals = T, .seed = seed}),
                                                  sim::sim_config{.noise_sd = 0.02});
}

/// Records whether each UaOL decision was unseen.
template <class U>
struct unseen_log {
    U* u;
    std::vector<int> flags;
    void on_interval(const dvfs::observation&, const dvfs::action&, const dvfs::step_outcome&) { flags.push_back(u->last_unseen() ? 1 : 0); }
};

/// UaOL around a softmax policy trained on oracle labels of `app` (a seen program), its gate and conformal
/// sets calibrated on held-out states of it, as `l2s adapt` sets it up.
auto trained_uaol(const char* app, std::uint64_t seed) {
    const auto chip = sim::sniper_manycore(8, 4, 8);
    const std::vector<std::size_t> levels = chip.levels_per_island();
    rng_type rng(seed);
    sim::sequence_evaluator ev(make_sim(app, seed));
    const auto oracle = search::local().search(ev, vf_sequence{}, {.max_evaluations = 400}, rng);
    const auto obs = ev.observations(oracle.best);
    const policy::feature_map fm(chip.num_islands(), levels);
    learn::dataset train(levels), calib(levels);
    learn::append_imitation(obs, oracle.best, fm, train, 2, 0);
    learn::append_imitation(obs, oracle.best, fm, calib, 2, 1);
    std::vector<dvfs::observation> calib_obs;
    for (std::size_t t = 1; t < obs.size(); t += 2) calib_obs.push_back(obs[t]);
    online::uaol_policy_config cfg;
    cfg.seed = seed;
    online::uaol_policy<policy::softmax_linear<double>, online::island_models> u(
        learn::train_softmax_linear<double>(train), online::island_models::for_platform(chip), levels, cfg);
    const auto lt = calib.label_tensor();
    u.calibrate(calib_obs, std::span<const level_t>(lt.data(), lt.size()), rng);
    return u;
}

template <class U>
void calibrate_gate(U& uaol, const std::shared_ptr<const sim::simulator>& s, std::uint64_t seed) {
    // the gate's τ from the states UaOL meets on another run, every decision seen (as the daemon's warm-up)
    sim::dvfs_env env(s);
    rng_type rng(seed);
    std::vector<dvfs::observation> seen;
    auto p = uaol;
    dvfs::action a(env.num_islands(), 0);
    const dvfs::observation* o = &env.reset(rng);
    while (!env.done()) {
        seen.push_back(*o);
        p.act(*o, a);
        (void)env.step(a);
        o = &env.observe();
    }
    const auto blocks = online::episode_probabilities(uaol.policy(), seen, uaol.gate().block_size());
    uaol.gate().calibrate(blocks);
}
}  // namespace

TEST_CASE("host::run_governor on the simulator: decisions bit-identical to sim::rollout (plain policy and UaOL)") {
    rng_type prng(5);
    auto pol = test::random_softmax(2, 8, prng);
    const auto s = make_sim("dedup", 3);
    {
        sim::dvfs_env e1(s), e2(s);
        auto p1 = pol, p2 = pol;
        rng_type r1(11), r2(11);
        const auto ref = sim::rollout(e1, p1, r1);
        studies::sim_machine m(e2, r2);
        const auto res = host::run_governor(m, p2, {.interval = std::chrono::nanoseconds(0)});
        CHECK(res.intervals == T);
        CHECK(res.overruns == 0);
        CHECK(e2.taken() == ref.levels);
        CHECK(e2.score().energy_j == ref.score.energy_j);
        CHECK(e2.score().time_s == ref.score.time_s);
    }
    {
        const auto chip = sim::sniper_manycore(8, 4, 8);
        online::uaol_policy_config cfg;
        cfg.gate.quantile = 0.5;
        cfg.seed = 4;
        online::uaol_policy<policy::softmax_linear<double>, online::island_models> u1(pol, online::island_models::for_platform(chip), chip.levels_per_island(), cfg);
        calibrate_gate(u1, s, 21);
        auto u2 = u1;
        sim::dvfs_env e1(s), e2(s);
        rng_type r1(13), r2(13);
        const auto ref = sim::rollout(e1, u1, r1);
        studies::sim_machine m(e2, r2);
        (void)host::run_governor(m, u2, {.interval = std::chrono::nanoseconds(0)});
        CHECK(e2.taken() == ref.levels);
        CHECK(e2.score().energy_j == ref.score.energy_j);
        CHECK(u2.sgd_steps() == u1.sgd_steps());
        CHECK(u2.unseen_decisions() == u1.unseen_decisions());
    }
}

TEST_CASE("host::run_governor on the simulator: UaOL learns online (SGD steps, unseen fraction falls)") {
    auto uaol = trained_uaol("dedup", 1);  // seen: dedup; run on: streamcluster
    sim::dvfs_env env(make_sim("streamcluster", 2));
    rng_type rng(17);
    studies::sim_machine m(env, rng);
    unseen_log<decltype(uaol)> log{&uaol, {}};
    std::vector<double> per_episode;
    for (int episode = 0; episode < 4; ++episode) {
        log.flags.clear();
        (void)host::run_governor(m, uaol, {.interval = std::chrono::nanoseconds(0)}, log);
        double n = 0;
        for (int f : log.flags) n += f;
        per_episode.push_back(n / double(log.flags.size()));
    }
    MESSAGE("loop: unseen fraction per episode " << per_episode[0] << " " << per_episode[1] << " " << per_episode[2] << " "
                                                 << per_episode[3] << ", SGD steps " << uaol.sgd_steps());
    CHECK(uaol.sgd_steps() > 0);
    CHECK(per_episode.back() < per_episode.front());
}

namespace {
/// A policy that always picks the given levels, and throws at interval `throw_at` (when > 0).
struct scripted_policy {
    dvfs::action levels;
    std::size_t throw_at = 0, calls = 0;
    void act(const dvfs::observation&, dvfs::action& a) {
        if (throw_at && ++calls == throw_at) throw std::runtime_error("injected");
        a = levels;
    }
};
struct raise_at {
    std::size_t at, n = 0;
    void on_interval(const dvfs::observation&, const dvfs::action&, const dvfs::step_outcome&) {
        if (++n == at) std::raise(SIGTERM);
    }
};
void odroid_ondemand(const fake_tree& t) {
    t.policy(0, "0-3", "cpufreq-dt", "ondemand", "200000 600000 1000000 1400000", 200000, 1400000, 600000);
    t.policy(4, "4-7", "cpufreq-dt", "ondemand", "200000 1000000 1800000 2000000", 200000, 2000000, 1800000);
    t.stat({{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}});
}
}  // namespace

TEST_CASE("host daemon on a fake tree: the governor is restored after normal exit, SIGTERM and an exception") {
    fake_tree t("daemon");
    odroid_ondemand(t);
    host::cpufreq_control c({.root = t.root});
    auto run = [&](scripted_policy p, std::size_t intervals, auto&... obs) {
        host::cpufreq_session session(c);
        host::linux_machine m(host::sampler(c.sampler_domains(), {.root = t.root, .use_pmu = false}), &c, false);
        return host::run_governor(m, p, {.interval = std::chrono::microseconds(200), .max_intervals = intervals}, obs...);
    };
    // normal exit
    const auto r = run({{3, 2}}, 5);
    CHECK(r.intervals == 5);
    CHECK(t.get(cf + "policy0/scaling_governor") == "ondemand");
    CHECK(t.get(cf + "policy0/scaling_setspeed") == "1400000");  // it did write
    // SIGTERM at the end of interval 3
    {
        host::stop_signals sig;
        raise_at ra{3};
        const auto r2 = run({{1, 1}}, 1000, ra, sig);
        CHECK(r2.stopped);
        CHECK(r2.intervals == 3);
    }
    CHECK(t.get(cf + "policy4/scaling_governor") == "ondemand");
    CHECK(t.get(cf + "policy4/scaling_setspeed") == "1000000");
    // an exception from the policy
    CHECK_THROWS_WITH(run({{0, 0}, 4}, 100), "injected");
    CHECK(t.get(cf + "policy0/scaling_governor") == "ondemand");
    CHECK(t.get(cf + "policy4/scaling_governor") == "ondemand");
}

TEST_CASE("host daemon dry-run on this machine: 200 intervals at 1 ms with the documented fallbacks") {
    // This build machine may have no cpufreq and no PMU: take the fallbacks (pseudo-domains over /proc/stat,
    // no perf counters) and run read-and-decide only.
    std::vector<host::sampler_domain> domains;
    std::unique_ptr<host::cpufreq_control> c;
    try {
        c = std::make_unique<host::cpufreq_control>();
        domains = c->sampler_domains();
    } catch (const io_error& e) {
        MESSAGE(std::string(e.what()));
        domains = host::domains_without_cpufreq("/", {{1e9, 2e9}});
    }
    host::linux_machine m(host::sampler(domains, {}), c.get(), true);
    MESSAGE("PMU: " << (m.sensors().report().pmu ? "yes" : m.sensors().report().pmu_reason));
    dvfs::action top(m.num_islands());
    for (std::size_t k = 0; k < top.size(); ++k) top[k] = static_cast<level_t>(m.num_levels(k) - 1);
    scripted_policy p{top};
    std::size_t seen = 0;
    double util_sum = 0.0;
    struct counter {
        std::size_t* n;
        double* u;
        void on_interval(const dvfs::observation& o, const dvfs::action&, const dvfs::step_outcome& r) {
            ++*n;
            *u += o.utilisation[0];
            CHECK(r.time_s > 0.0);
            CHECK(o.utilisation[0] >= 0.0);
            CHECK(o.utilisation[0] <= 1.0);
        }
    } cnt{&seen, &util_sum};
    const auto r = host::run_governor(m, p, {.interval = std::chrono::milliseconds(1), .max_intervals = 200}, cnt);
    CHECK(r.intervals == 200);
    CHECK(seen == 200);
    CHECK(m.observe().interval == 200);
    MESSAGE("overruns " << r.overruns << ", mean decide " << r.mean_decide_s * 1e6 << " us, mean utilisation " << util_sum / 200);
}

namespace {
/// HotSniper's PerformanceCounters as the simulator would fill them: the last epoch's per-core readings.
struct sim_counters {
    const dvfs::observation* o = nullptr;
    [[nodiscard]] std::size_t island(int c) const { return static_cast<std::size_t>(c) / 4; }
    [[nodiscard]] bool active(int c) const { return static_cast<std::size_t>(c % 4) < o->active_cores[island(c)]; }
    [[nodiscard]] double getPowerOfCore(int c) const { return o->power_w[island(c)] / 4.0; }
    [[nodiscard]] double getTemperatureOfCore(int c) const { return o->temp_c[island(c)]; }
    [[nodiscard]] double getUtilizationOfCore(int c) const { return active(c) ? o->utilisation[island(c)] : 0.0; }
    [[nodiscard]] double getCPIOfCore(int c) const { return o->ipc[island(c)] > 0.0 ? 1.0 / o->ipc[island(c)] : 0.0; }
    [[nodiscard]] double getMemoryAccessesPerInstructionOfCore(int c) const { return o->mem_per_instr[island(c)]; }
};
}  // namespace

TEST_CASE("host::hotsniper_policy: UaOL learns inside a simulator that calls it through HotSniper's interface") {
    const auto chip = sim::sniper_manycore(8, 4, 8);
    auto uaol = trained_uaol("dedup", 1);
    const std::size_t K = chip.num_islands(), C = 8;
    std::vector<std::size_t> island_of_core(C);
    std::vector<std::vector<int>> mhz(K);
    for (std::size_t c = 0; c < C; ++c) island_of_core[c] = c / 4;
    for (std::size_t k = 0; k < K; ++k)
        for (const auto& op : chip.islands[k].opps) mhz[k].push_back(static_cast<int>(std::lround(op.freq_hz * 1e-6)));
    sim_counters counters;
    host::hotsniper_policy<decltype(uaol), sim_counters> policy(&counters, uaol, island_of_core, mhz, 1e-3);
    sim::dvfs_env env(make_sim("streamcluster", 2));
    rng_type rng(17);
    std::vector<int> old(C);
    std::vector<bool> active(C);
    dvfs::action a(K, 0);
    std::vector<int> unseen;
    std::vector<double> per_episode;
    for (int episode = 0; episode < 4; ++episode) {
        counters.o = &env.reset(rng);
        policy.hook().reset();
        const std::size_t before = unseen.size();
        while (!env.done()) {
            for (std::size_t c = 0; c < C; ++c) {  // the host's per-core state of the last epoch
                active[c] = counters.active(static_cast<int>(c));
                old[c] = static_cast<int>(std::lround(counters.o->freq_hz[c / 4] * 1e-6));
            }
            const std::vector<int> out = policy.getFrequencies(old, active);
            unseen.push_back(policy.policy().last_unseen() ? 1 : 0);
            for (std::size_t k = 0; k < K; ++k)
                a[k] = static_cast<level_t>(std::find(mhz[k].begin(), mhz[k].end(), out[k * 4]) - mhz[k].begin());
            (void)env.step(a);
            counters.o = &env.observe();
        }
        double n = 0;
        for (std::size_t i = before; i < unseen.size(); ++i) n += unseen[i];
        per_episode.push_back(n / double(unseen.size() - before));
    }
    const auto& u = policy.policy();
    CHECK(u.decisions() == unseen.size());
    CHECK(u.sgd_steps() > 0);
    MESSAGE("hotsniper_policy: unseen fraction per episode " << per_episode[0] << " " << per_episode[1] << " " << per_episode[2] << " "
                                                 << per_episode[3] << ", SGD steps " << u.sgd_steps());
    CHECK(per_episode.back() < per_episode.front());
}
