#include <cstdio>

#include <l2s/search.hpp>
#include <l2s/sim.hpp>

int main() {
    using namespace l2s;
    // A 16-core chip in 4 islands of 4 cores (8 V/F levels) running PARSEC's streamcluster for 100 ms.
    const auto chip = sim::sniper_manycore(16, 4, 8);
    sim::sequence_evaluator ev(chip, sim::parsec_workload("streamcluster", chip.num_islands(), {.intervals = 100}));
    // Search a V/F sequence (per interval, per island) minimising EDP within a 5 % slowdown.
    rng_type rng(1);
    const auto best = search::greedy().search(ev, vf_sequence{}, {.max_evaluations = 20000}, rng);
    const auto& flat_out = ev.reference();  // every island at its top level
    std::printf("EDP %.4f J*s at the top levels, %.4f with the searched sequence (%.1f %% lower), slowdown %.1f %%\n",
                flat_out.edp(), best.score.edp(), 100.0 * (1.0 - best.score.edp() / flat_out.edp()),
                100.0 * best.score.slowdown(flat_out.time_s));
    return best.feasible && best.score.edp() < flat_out.edp() ? 0 : 1;
}
