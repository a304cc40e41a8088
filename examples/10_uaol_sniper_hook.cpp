// examples/10_uaol_sniper_hook.cpp: UaOL learning online inside a Sniper/HotSniper-style simulator.
//
// A softmax policy is trained on oracle labels of one program (dedup) and wrapped in online::uaol_policy,
// its gate and conformal sets calibrated on held-out states of that program. The hook (host::dvfs_hook) is
// called every epoch the way HotSniper calls its DVFS policies, on a program the policy has not seen
// (streamcluster); because UaOL has observe(), the hook tells it what each epoch's decision led to, so its
// runtime models, SGD steps and slack account run inside the simulator. l2s's simulator stands in for the
// host simulator. Prints the share of unseen decisions per episode, which falls as UaOL adapts
// (docs/host.md#sniper_hook).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

#include <l2s/host/sniper.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/learn/softmax_trainer.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/sim.hpp>

int main() {
    using namespace l2s;
    const auto chip = sim::sniper_manycore(8, 4, 8);  // 8 cores in 2 islands of 4, 8 levels
    const std::size_t K = chip.num_islands(), cores = chip.num_cores(), T = 120;
    const std::vector<std::size_t> levels = chip.levels_per_island();
    auto program = [&](const char* name, std::uint64_t seed) {
        return std::make_shared<const sim::simulator>(chip, sim::parsec_workload(name, K, {.intervals = T, .seed = seed}),
                                                      sim::sim_config{.noise_sd = 0.02});
    };

    // 1. Train on the seen program's oracle sequence; keep every other state for calibration.
    rng_type rng(1);
    sim::sequence_evaluator seen(program("dedup", 1));
    const auto oracle = search::local().search(seen, vf_sequence{}, {.max_evaluations = 400}, rng);
    const auto states = seen.observations(oracle.best);
    const policy::feature_map fm(K, levels);
    learn::dataset train(levels), calib(levels);
    learn::append_imitation(states, oracle.best, fm, train, 2, 0);
    learn::append_imitation(states, oracle.best, fm, calib, 2, 1);
    std::vector<dvfs::observation> calib_states;
    for (std::size_t t = 1; t < states.size(); t += 2) calib_states.push_back(states[t]);
    online::uaol_policy<policy::softmax_linear<double>, online::island_models> uaol(
        learn::train_softmax_linear<double>(train), online::island_models::for_platform(chip), levels, {.seed = 1});
    const auto labels = calib.label_tensor();
    uaol.calibrate(calib_states, std::span<const level_t>(labels.data(), labels.size()), rng);

    // 2. The host simulator's view: cores, islands, frequency tables in MHz; 1 ms epochs.
    std::vector<std::size_t> island_of_core, first_core(K);
    std::vector<std::vector<int>> table_mhz(K);
    for (std::size_t k = 0; k < K; ++k) {
        first_core[k] = island_of_core.size();
        island_of_core.insert(island_of_core.end(), chip.islands[k].cores, k);
        for (const auto& o : chip.islands[k].opps) table_mhz[k].push_back(static_cast<int>(std::lround(o.freq_hz * 1e-6)));
    }
    host::dvfs_hook hook(std::move(uaol), island_of_core, table_mhz, 1e-3);

    // 3. Four episodes of the unseen program, the hook called every epoch.
    sim::dvfs_env host(program("streamcluster", 2));
    std::vector<int> mhz(cores), next(cores);
    std::vector<std::uint8_t> active(cores);
    dvfs::action a(K, 0);
    for (int episode = 0; episode < 4; ++episode) {
        const dvfs::observation* o = &host.reset(rng);
        hook.reset();
        std::size_t unseen = 0, epochs = 0;
        while (!host.done()) {
            for (std::size_t c = 0; c < cores; ++c) {  // per-core readings of the last epoch
                const std::size_t k = island_of_core[c];
                active[c] = c - first_core[k] < o->active_cores[k] ? 1 : 0;
                mhz[c] = static_cast<int>(std::lround(o->freq_hz[k] * 1e-6));
                hook.set_core_counters(c, {.utilisation = active[c] ? o->utilisation[k] : 0.0, .ipc = o->ipc[k],
                                           .mem_per_instr = o->mem_per_instr[k],
                                           .power_w = o->power_w[k] / static_cast<double>(chip.islands[k].cores),
                                           .temp_c = o->temp_c[k]});
            }
            hook.decide(mhz, active, next);
            unseen += hook.policy().last_unseen() ? 1 : 0;
            ++epochs;
            for (std::size_t k = 0; k < K; ++k)  // the island's frequency → level
                a[k] = static_cast<level_t>(std::find(table_mhz[k].begin(), table_mhz[k].end(), next[first_core[k]]) -
                                            table_mhz[k].begin());
            (void)host.step(a);
            o = &host.observe();
        }
        std::printf("episode %d: %5.1f%% of decisions unseen, EDP %.4g J·s, slowdown %+.1f%%\n", episode,
                    100.0 * static_cast<double>(unseen) / static_cast<double>(epochs), host.score().edp(),
                    100.0 * host.score().slowdown(host.reference().time_s));
    }
    std::printf("UaOL took %zu SGD steps inside the simulator\n", hook.policy().sgd_steps());
    return hook.policy().sgd_steps() > 0 ? 0 : 1;
}
