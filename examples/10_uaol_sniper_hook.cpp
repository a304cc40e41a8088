// examples/10_uaol_sniper_hook.cpp: UaOL learning online inside a Sniper/HotSniper-style simulator.
//
// A softmax policy is trained on oracle labels of one program (dedup) and wrapped in online::uaol_policy,
// its gate and conformal sets calibrated on held-out states of that program. It runs behind HotSniper's own
// DVFS-policy interface (host::hotsniper_policy: constructed with the simulator's performance counters, called
// as getFrequencies(oldFrequencies, activeCores) every epoch) on a program the policy has not seen
// (streamcluster); because UaOL has observe(), it is told what each epoch's decision led to, so its runtime
// models, SGD steps and slack account run inside the simulator. l2s's simulator stands in for the host
// simulator and fills the counters. Prints the share of unseen decisions per episode, which falls as UaOL
// adapts (docs/host.md#hotsniper).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

#include <l2s/host/hotsniper.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/learn/softmax_trainer.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/uaol_policy.hpp>
#include <l2s/search/local.hpp>
#include <l2s/sim.hpp>

/// HotSniper's PerformanceCounters as the host simulator fills them every epoch: per-core power, temperature,
/// utilisation and CPI (here from l2s's simulator's last observation; cores in islands of `per_island`).
struct host_counters {
    const l2s::dvfs::observation* last = nullptr;
    std::size_t per_island = 4;
    [[nodiscard]] std::size_t island(int c) const { return static_cast<std::size_t>(c) / per_island; }
    [[nodiscard]] bool active(int c) const { return static_cast<std::size_t>(c) % per_island < last->active_cores[island(c)]; }
    [[nodiscard]] double getPowerOfCore(int c) const { return last->power_w[island(c)] / static_cast<double>(per_island); }
    [[nodiscard]] double getTemperatureOfCore(int c) const { return last->temp_c[island(c)]; }
    [[nodiscard]] double getUtilizationOfCore(int c) const { return active(c) ? last->utilisation[island(c)] : 0.0; }
    [[nodiscard]] double getCPIOfCore(int c) const { return last->ipc[island(c)] > 0.0 ? 1.0 / last->ipc[island(c)] : 0.0; }
    // not in HotSniper's class: the adapter uses it when present (else memory intensity reads as 0)
    [[nodiscard]] double getMemoryAccessesPerInstructionOfCore(int c) const { return last->mem_per_instr[island(c)]; }
};

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

    // 2. The host simulator's view: cores, islands, frequency tables in MHz; 1 ms epochs; its counters.
    std::vector<std::size_t> island_of_core;
    std::vector<std::vector<int>> table_mhz(K);
    for (std::size_t k = 0; k < K; ++k) {
        island_of_core.insert(island_of_core.end(), chip.islands[k].cores, k);
        for (const auto& o : chip.islands[k].opps) table_mhz[k].push_back(static_cast<int>(std::lround(o.freq_hz * 1e-6)));
    }
    host_counters counters;
    host::hotsniper_policy<decltype(uaol), host_counters> policy(&counters, std::move(uaol), island_of_core, table_mhz, 1e-3);

    // 3. Four episodes of the unseen program, the policy called every epoch as HotSniper calls its DVFS policies.
    sim::dvfs_env host(program("streamcluster", 2));
    std::vector<int> mhz(cores);
    std::vector<bool> active(cores);
    dvfs::action a(K, 0);
    for (int episode = 0; episode < 4; ++episode) {
        counters.last = &host.reset(rng);
        policy.hook().reset();
        std::size_t unseen = 0, epochs = 0;
        while (!host.done()) {
            for (std::size_t c = 0; c < cores; ++c) {  // the host's per-core state of the last epoch
                active[c] = counters.active(static_cast<int>(c));
                mhz[c] = static_cast<int>(std::lround(counters.last->freq_hz[island_of_core[c]] * 1e-6));
            }
            const std::vector<int> next = policy.getFrequencies(mhz, active);
            unseen += policy.policy().last_unseen() ? 1 : 0;
            ++epochs;
            for (std::size_t k = 0; k < K; ++k) {  // the island's frequency → level
                const int f = next[static_cast<std::size_t>(std::find(island_of_core.begin(), island_of_core.end(), k) -
                                                            island_of_core.begin())];
                a[k] = static_cast<level_t>(std::find(table_mhz[k].begin(), table_mhz[k].end(), f) - table_mhz[k].begin());
            }
            (void)host.step(a);
            counters.last = &host.observe();
        }
        std::printf("episode %d: %5.1f%% of decisions unseen, EDP %.4g J·s, slowdown %+.1f%%\n", episode,
                    100.0 * static_cast<double>(unseen) / static_cast<double>(epochs), host.score().edp(),
                    100.0 * host.score().slowdown(host.reference().time_s));
    }
    std::printf("UaOL took %zu SGD steps inside the simulator\n", policy.policy().sgd_steps());
    return policy.policy().sgd_steps() > 0 ? 0 : 1;
}
