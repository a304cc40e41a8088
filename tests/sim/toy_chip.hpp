// tests/sim/toy_chip.hpp: a chip whose power and time follow by hand, for the simulator's closed-form tests.
#pragma once
#include <cstddef>
#include <string>

#include <l2s/sim/platform.hpp>
#include <l2s/sim/simulator.hpp>

namespace l2s::test {

/// `islands` islands of `cores` cores, two OPPs (1 GHz at 1 V, 2 GHz at 1.2 V), 100 pF per core, 50 pF
/// cluster, no leakage, package frozen (huge heat capacity) unless told otherwise.
inline sim::platform toy_platform(std::size_t islands = 1, std::size_t cores = 2, double latency_s = 0.0) {
    sim::platform p;
    p.name = "toy";
    for (std::size_t k = 0; k < islands; ++k) {
        sim::island_spec is;
        is.name = "i" + std::to_string(k);
        is.cores = cores;
        is.opps = {{1e9, 1.0}, {2e9, 1.2}};
        is.c_core_f = 100e-12;
        is.c_cluster_f = 50e-12;
        is.leakage.scale = 0.0;
        is.transition_latency_s = latency_s;
        is.r_th_k_per_w = 2.0;
        is.c_th_j_per_k = 1e-3;
        p.islands.push_back(is);
    }
    p.thermal.package_c_j_per_k = 1e12;
    p.thermal.lateral_r_k_per_w = 0.0;
    return p;
}

/// No memory contention and a package at 45 °C: the closed forms of the tests hold exactly.
inline sim::sim_config exact_cfg() {
    sim::sim_config c;
    c.contention = false;
    c.initial_package_c = 45.0;
    return c;
}

}  // namespace l2s::test
