// examples/05_governor_baselines.cpp: the Linux governors as baselines on the simulator. Runs performance,
// powersave, ondemand, conservative and schedutil on every island of the built-in 64-core manycore with a
// PARSEC program, plus the best static level within a 5 % slowdown budget, and prints an EDP table.
#include <cstdio>
#include <limits>
#include <memory>

#include <l2s/search/static_level.hpp>
#include <l2s/sim.hpp>

int main() {
    using namespace l2s;
    const auto chip = sim::sniper_manycore();  // 16 islands x 4 cores, 8 levels
    auto simulator = std::make_shared<const sim::simulator>(
        chip, sim::parsec_workload("facesim", chip.num_islands(), {.intervals = 200}));
    sim::dvfs_env env(simulator);
    sim::sequence_evaluator ev(simulator);
    rng_type rng(1);
    std::printf("facesim on %s, %zu intervals\n%-14s %10s %9s %9s %10s\n", chip.name.c_str(), ev.num_intervals(),
                "governor", "EDP (J*s)", "energy J", "slowdown", "transitions");
    const std::pair<const char*, sim::governor_kind> kinds[] = {
        {"performance", sim::governor_kind::performance}, {"powersave", sim::governor_kind::powersave},
        {"ondemand", sim::governor_kind::ondemand},       {"conservative", sim::governor_kind::conservative},
        {"schedutil", sim::governor_kind::schedutil}};
    double perf_edp = 0.0, ondemand_edp = 0.0;
    for (const auto& [name, kind] : kinds) {
        sim::governor_policy gov(sim::cpufreq_policies(chip), {.kind = kind});
        const auto r = sim::rollout(env, gov, rng);
        std::printf("%-14s %10.4f %9.3f %+8.1f%% %10zu\n", name, r.score.edp(), r.score.energy_j, 100.0 * r.slowdown,
                    r.score.transitions);
        if (kind == sim::governor_kind::performance) perf_edp = r.score.edp();
        if (kind == sim::governor_kind::ondemand) ondemand_edp = r.score.edp();
    }
    const double budget = 1.05 * ev.reference().time_s;  // the best uniform level within a 5 % slowdown
    const auto best = search::best_static_level(ev, [&](const dvfs::sequence_score& s) {
        return s.time_s <= budget ? s.edp() : std::numeric_limits<double>::infinity();
    });
    std::printf("%-14s %10.4f %9.3f %+8.1f%%            (level %d on every island)\n", "best static",
                best.score.edp(), best.score.energy_j, 100.0 * best.score.slowdown(ev.reference().time_s),
                static_cast<int>(best.levels.front()));
    // sanity for the test suite: ondemand never does worse than running flat out on EDP here
    return ondemand_edp <= perf_edp * 1.0001 ? 0 : 1;
}
