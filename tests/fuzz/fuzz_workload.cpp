// Fuzzes io::workload_from_json (workload files, schema l2s-workload-v1); a loaded workload must simulate
// and write back to the same document.
#include <l2s/io/workload.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/sequence_evaluator.hpp>

#include "fuzz_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run_json(data, size, [](const nlohmann::json& j) {
        const auto w = l2s::io::workload_from_json(j);
        if (w.num_islands() > 64 || w.num_intervals() > 10000) return;
        if (l2s::io::workload_from_json(l2s::io::workload_to_json(w)).num_intervals() != w.num_intervals()) __builtin_trap();
        l2s::sim::sequence_evaluator ev(l2s::sim::sniper_manycore(4 * w.num_islands(), 4, 4), w);
        (void)ev.evaluate(l2s::sim::all_max_sequence(ev.sim()));
    });
}
