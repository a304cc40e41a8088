// examples/07_uaol_unseen_application.cpp: UaOL on an application the policy never saw. A softmax policy
// is trained by imitating oracle sequences of two PARSEC programs; UaOL wraps it with an entropy gate,
// conformal sets and a bounded search through runtime-learned power/performance models, and runs on a third
// program. Prints the EDP of the policy alone and of UaOL, and how many decisions UaOL flagged unseen.
#include <cstdio>
#include <memory>

#include <l2s/l2s.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/search/oracle.hpp>

int main() {
    using namespace l2s;
    const auto chip = sim::sniper_manycore(16, 4, 8);  // 4 islands x 4 cores, 8 levels
    const std::size_t K = chip.num_islands(), T = 60;
    const std::vector<std::size_t> levels = chip.levels_per_island();
    // 1. oracles and imitation data on the seen programs; runtime models identified on them (random levels)
    const policy::feature_map fm(K, levels);
    learn::dataset data(levels);
    auto models = online::island_models::for_platform(chip);
    std::vector<dvfs::observation> calib;
    std::vector<level_t> labels;
    rng_type rng(3);
    for (const char* app : {"dedup", "barnes"}) {
        const auto seen = std::make_shared<const sim::simulator>(chip, sim::parsec_workload(app, K, {.intervals = T}));
        (void)sim::identify(models, *seen, rng);
        sim::sequence_evaluator ev(seen);
        const auto oracle = search::oracle().search(ev, vf_sequence{}, {.max_evaluations = 6000}, rng);
        const auto obs = ev.observations(oracle.best);
        learn::append_imitation(obs, oracle.best, fm, data);
        calib.insert(calib.end(), obs.begin(), obs.end());
        labels.insert(labels.end(), oracle.best.begin(), oracle.best.end());
        std::printf("oracle for %-8s EDP %.4f vs all-max %.4f\n", app, oracle.score.edp(), oracle.reference.edp());
    }
    const auto policy = learn::train_softmax_linear<double>(data);
    // 2. UaOL around it (the library's defaults: slack account, refinement, pooled time), calibrated on the
    //    seen programs' states
    online::uaol_policy uaol(policy, models, levels);
    uaol.calibrate(calib, labels, rng);
    // 3. the unseen program
    auto unseen = std::make_shared<const sim::simulator>(chip, sim::parsec_workload("streamcluster", K, {.intervals = T}));
    sim::dvfs_env env(unseen);
    auto alone = policy;
    const auto a = sim::rollout(env, alone, rng);
    const auto u = sim::rollout(env, uaol, rng);
    std::printf("streamcluster: policy alone EDP %.4f (slowdown %+.1f%%), UaOL EDP %.4f (slowdown %+.1f%%)\n",
                a.score.edp(), 100.0 * a.slowdown, u.score.edp(), 100.0 * u.slowdown);
    std::printf("UaOL flagged %.1f%% of %zu decisions unseen and took %zu SGD steps\n", 100.0 * uaol.unseen_fraction(),
                uaol.decisions(), uaol.sgd_steps());
    return uaol.decisions() == T ? 0 : 1;
}
