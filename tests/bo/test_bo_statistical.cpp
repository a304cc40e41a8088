// Statistical BO quality (DESIGN §i): default optimizer, 50 evaluations (10 initial Sobol points), 10 seeds.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <l2s/bo.hpp>
#include <l2s/problems.hpp>

using namespace l2s;

namespace {
template <class P>
std::vector<double> regrets(const P& problem, std::size_t budget, int seeds, double& seconds_per_run) {
    std::vector<double> r;
    const auto t0 = std::chrono::steady_clock::now();
    for (int s = 0; s < seeds; ++s) {
        auto o = bo::make_default_optimizer(problem.domain(), {.initial_points = 10});
        rng_type rng(static_cast<std::uint64_t>(1000 + s));
        const auto res = o.run(problem, budget, rng);
        r.push_back(res.best_value - P::optimum_value);
    }
    seconds_per_run = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / seeds;
    return r;
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return 0.5 * (v[(v.size() - 1) / 2] + v[v.size() / 2]);
}
}  // namespace

// Thresholds: DESIGN §i asks for median simple regret ≤ 1e-3 on Branin and ≤ 0.2 on Hartmann-6 after 50
// evaluations. A GP with learned Matérn-5/2 hyperparameters models Branin (smooth, 2-D) almost exactly after
// ~25 points, so log-EI then polishes the incumbent; Hartmann-6 has a narrow global basin and one broad local
// one (f ≈ −3.20, regret ≈ 0.12), so a median below 0.2 means most runs find at least that basin.
TEST_CASE("bo statistical: Branin, default optimizer, 50 evaluations, 10 seeds" * doctest::test_suite("slow")) {
    double sec = 0.0;
    const auto r = regrets(problems::branin{}, 50, 10, sec);
    MESSAGE("Branin simple regrets: " << r[0] << " " << r[1] << " " << r[2] << " " << r[3] << " " << r[4] << " " << r[5]
                                      << " " << r[6] << " " << r[7] << " " << r[8] << " " << r[9]);
    MESSAGE("Branin median simple regret " << median(r) << ", " << sec << " s per run");
    CHECK(median(r) <= 1e-3);
}

TEST_CASE("bo statistical: Hartmann-6, default optimizer, 50 evaluations, 10 seeds" * doctest::test_suite("slow")) {
    double sec = 0.0;
    const auto r = regrets(problems::hartmann6{}, 50, 10, sec);
    MESSAGE("Hartmann-6 simple regrets: " << r[0] << " " << r[1] << " " << r[2] << " " << r[3] << " " << r[4] << " "
                                          << r[5] << " " << r[6] << " " << r[7] << " " << r[8] << " " << r[9]);
    MESSAGE("Hartmann-6 median simple regret " << median(r) << ", " << sec << " s per run");
    CHECK(median(r) <= 0.2);
}
