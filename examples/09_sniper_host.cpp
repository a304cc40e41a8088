// examples/09_sniper_host.cpp: a Sniper/HotSniper-style host driving a DVFS policy through host::dvfs_hook.
//
// HotSniper calls its DVFS policy every epoch with each core's frequency (MHz) and whether it is active, and
// applies the per-core frequencies it returns. Here l2s's own simulator stands in for the host simulator:
// every epoch the host hands the hook per-core frequencies, activity and counters, and turns the returned
// frequencies back into its own V/F settings. The policy inside the hook is ondemand; any policy with
// act(observation, action) (a saved L2S policy, UaOL) plugs in the same way (docs/host.md#sniper_hook).
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <l2s/host/sniper.hpp>
#include <l2s/sim.hpp>

int main() {
    using namespace l2s;
    const auto chip = sim::sniper_manycore(16, 4, 8);  // 16 cores in 4 islands of 4, 8 levels
    const std::size_t K = chip.num_islands(), cores = chip.num_cores();
    // The host's view: which island each core belongs to, and each island's frequency table in MHz.
    std::vector<std::size_t> island_of_core, first_core(K);
    std::vector<std::vector<int>> table_mhz(K);
    for (std::size_t k = 0; k < K; ++k) {
        first_core[k] = island_of_core.size();
        island_of_core.insert(island_of_core.end(), chip.islands[k].cores, k);
        for (const auto& o : chip.islands[k].opps) table_mhz[k].push_back(static_cast<int>(std::lround(o.freq_hz * 1e-6)));
    }
    host::dvfs_hook hook(sim::governor_policy(sim::cpufreq_policies(chip), {.kind = sim::governor_kind::ondemand}),
                         island_of_core, table_mhz);

    auto program = std::make_shared<const sim::simulator>(chip, sim::parsec_workload("dedup", K, {.intervals = 200}));
    sim::dvfs_env host(program);
    rng_type rng(1);
    dvfs::observation obs = host.reset(rng);
    std::vector<int> mhz(cores);
    std::vector<bool> active(cores);
    dvfs::action levels(K);
    double energy = 0.0, time = 0.0;
    std::size_t epochs = 0, changes = 0;
    while (!host.done()) {
        // One epoch as HotSniper sees it: per-core frequency and activity, per-core counters.
        for (std::size_t c = 0; c < cores; ++c) {
            const std::size_t k = island_of_core[c], n = chip.islands[k].cores;
            mhz[c] = static_cast<int>(std::lround(obs.freq_hz[k] * 1e-6));
            active[c] = c - first_core[k] < obs.active_cores[k];
            hook.set_core_counters(c, {.utilisation = active[c] ? obs.utilisation[k] : 0.0,
                                       .ipc = obs.ipc[k],
                                       .mem_per_instr = obs.mem_per_instr[k],
                                       .power_w = obs.power_w[k] / static_cast<double>(n),
                                       .temp_c = obs.temp_c[k]});
        }
        const std::vector<int> next = hook.get_frequencies(mhz, active);
        // The host applies the new frequencies: back to its own level per island.
        for (std::size_t k = 0; k < K; ++k) {
            const int f = next[first_core[k]];
            for (std::size_t l = 0; l < table_mhz[k].size(); ++l)
                if (table_mhz[k][l] == f) levels[k] = static_cast<level_t>(l);
            changes += f != mhz[first_core[k]];
        }
        const auto r = host.step(levels);
        energy += r.energy_j;
        time += r.time_s;
        obs = host.observe();
        ++epochs;
    }
    std::printf("%zu epochs of %zu cores in %zu islands: %.3f J in %.2f ms (EDP %.4g J*s), %zu island frequency changes\n",
                epochs, cores, K, energy, time * 1e3, energy * time, changes);
    return epochs == program->num_intervals() && energy > 0.0 ? 0 : 1;
}
