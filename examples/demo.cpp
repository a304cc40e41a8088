// examples/demo.cpp: the l2s demo — Bayesian optimisation of a static V/F assignment for a 4-island chip
// (8 levels per island, 4096 configurations) minimising the energy-delay product under a slowdown limit.
// Deterministic for a given seed (first argument, default 1); runs in well under a second.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

#include <l2s/bo.hpp>
#include <l2s/problems.hpp>

int main(int argc, char** argv) {
    using namespace l2s;
    const std::uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
    const problems::vf_edp chip({.islands = 4, .levels = 8, .max_slowdown = 1.2});
    const auto space = chip.domain();
    std::cout << "l2s demo: BO over " << space.size() << " V/F configurations (4 islands x 8 levels), "
              << "minimise EDP subject to slowdown <= 1.2, seed " << seed << "\n\n";

    auto optimizer = bo::make_default_optimizer(space, {.initial_points = 10, .num_constraints = 1});
    bo::progress_printer progress{&std::cout, 1};
    rng_type rng(seed);
    const std::size_t budget = 60;
    const auto result = optimizer.run([&](const vec& x) { return chip.evaluate(x); }, budget, rng, progress);

    const auto [opt_x, opt_edp] = chip.brute_force_optimum();
    const auto best = chip.evaluate(result.best_x);
    const auto flat_out = chip.evaluate(vec::Ones(4));
    auto levels = [&](const vec& x) {
        std::string s;
        for (auto l : space.decode(x)) s += std::to_string(int(l)) + ' ';
        return s;
    };
    std::cout << "\n" << std::left << std::setw(26) << "configuration" << std::setw(12) << "levels" << std::right
              << std::setw(12) << "EDP (J*s)" << std::setw(12) << "energy (J)" << std::setw(10) << "time (s)"
              << std::setw(10) << "slowdown" << '\n';
    auto row = [&](const char* name, const vec& x, const problems::vf_edp_outcome& o) {
        std::cout << std::left << std::setw(26) << name << std::setw(12) << levels(x) << std::right << std::fixed
                  << std::setprecision(4) << std::setw(12) << o.value << std::setw(12) << o.energy_j << std::setw(10)
                  << o.time_s << std::setw(10) << o.slowdown << '\n';
    };
    row("all islands at max", vec::Ones(4), flat_out);
    row("BO best (60 evaluations)", result.best_x, best);
    row("brute force (4096 evals)", opt_x, chip.evaluate(opt_x));
    std::cout << "\nBO found " << std::setprecision(2) << 100.0 * (1.0 - best.value / flat_out.value)
              << " % lower EDP than running flat out, within " << 100.0 * (best.value / opt_edp - 1.0)
              << " % of the optimum, using " << result.evaluations << " of " << space.size() << " evaluations.\n";
    return 0;
}
