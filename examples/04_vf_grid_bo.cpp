// examples/04_vf_grid_bo.cpp: BO over a finite V/F grid (3 islands × 6 levels) with a slowdown constraint.
#include <iostream>

#include <l2s/bo.hpp>
#include <l2s/problems.hpp>

int main() {
    using namespace l2s;
    // Energy-delay product of a 3-island chip; at most 25 % slower than running every island flat out.
    const problems::vf_edp chip({.islands = 3, .levels = 6, .max_slowdown = 1.25});
    // One constraint model (slowdown − 1.25 ≤ 0); the acquisition becomes log EI + log P(feasible).
    auto optimizer = bo::make_default_optimizer(chip.domain(), {.initial_points = 8, .num_constraints = 1});
    rng_type rng(1);
    const auto result = optimizer.run([&](const vec& x) { return chip.evaluate(x); }, 30, rng);

    const auto levels = chip.domain().decode(result.best_x);
    const auto [best_x, best_edp] = chip.brute_force_optimum();
    std::cout << "levels:";
    for (auto l : levels) std::cout << ' ' << int(l);
    std::cout << "\nEDP " << result.best_value << " J·s after " << result.evaluations << " of " << chip.domain().size()
              << " configurations (brute-force optimum " << best_edp << ")\n";
    return result.best_value <= 1.05 * best_edp ? 0 : 1;
}
