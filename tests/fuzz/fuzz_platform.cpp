// Fuzzes io::platform_from_json (platform files, schema l2s-platform-v1); a loaded platform must simulate.
#include <l2s/io/platform.hpp>
#include <l2s/sim/sequence_evaluator.hpp>

#include "fuzz_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run_json(data, size, [](const nlohmann::json& j) {
        const auto p = l2s::io::platform_from_json(j, {.opp_table = "", .total_cores = 8, .cores_per_island = 4, .levels = 4});
        if (p.num_islands() > 64) return;
        l2s::sim::sequence_evaluator ev(p, l2s::sim::parsec_workload("dedup", p.num_islands(), {.intervals = 5}));
        (void)ev.evaluate(l2s::sim::all_max_sequence(ev.sim()));
    });
}
