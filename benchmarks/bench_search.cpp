// SPDX-License-Identifier: MIT
// benchmarks/bench_search.cpp: evaluations per second and wall time per strategy on a T = 100, K = 16 toy.
#include <benchmark/benchmark.h>

#include <l2s/problems/vf_toy.hpp>
#include <l2s/search.hpp>

using namespace l2s;

namespace {

problems::vf_toy_config toy_config() {
    problems::vf_toy_config c;
    c.intervals = 100;
    c.islands = 16;
    c.levels = 8;
    c.seed = 9;
    return c;
}

template <class S>
void run(benchmark::State& state, const S& strategy, std::size_t max_evaluations) {
    problems::vf_toy ev(toy_config());
    rng_type rng(1);
    std::size_t evaluations = 0;
    double ratio = 0.0;
    for (auto _ : state) {
        const search::search_result r = strategy.search(ev, vf_sequence{}, {max_evaluations, 0.0}, rng);
        evaluations += r.evaluations;
        ratio = r.value / r.reference.edp();
        benchmark::DoNotOptimize(r.value);
    }
    state.counters["evals/s"] = benchmark::Counter(double(evaluations), benchmark::Counter::kIsRate);
    state.counters["evals"] = double(evaluations) / double(state.iterations());
    state.counters["edp/allmax"] = ratio;
}

void bm_evaluate_full(benchmark::State& state) {
    problems::vf_toy ev(toy_config());
    const vf_sequence y = search::all_max(ev);
    for (auto _ : state) benchmark::DoNotOptimize(ev.evaluate(y).energy_j);
    state.counters["evals/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
void bm_reevaluate_last_quarter(benchmark::State& state) {
    problems::vf_toy ev(toy_config());
    const vf_sequence y = search::all_max(ev);
    (void)ev.evaluate(y);
    for (auto _ : state) benchmark::DoNotOptimize(ev.reevaluate(y, 75).energy_j);
    state.counters["evals/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
void bm_greedy(benchmark::State& state) { run(state, search::greedy(), 1000000); }
void bm_local(benchmark::State& state) { run(state, search::local(), 20000); }
void bm_beam(benchmark::State& state) { run(state, search::beam(), 1000000); }
void bm_lds(benchmark::State& state) {
    problems::vf_toy probe(toy_config());
    rng_type rng(1);
    const auto g = search::greedy().search(probe, vf_sequence{}, {1000000, 0.0}, rng);
    run(state, search::lds(search::probability_table::centred(g.best, 8)), 5000);
}

void bm_bo_guided(benchmark::State& state) {
    problems::vf_toy probe(toy_config());
    rng_type rng(1);
    const auto g = search::greedy().search(probe, vf_sequence{}, {1000000, 0.0}, rng);
    run(state, search::bo_guided(), g.evaluations + 60);
}

}  // namespace

BENCHMARK(bm_evaluate_full);
BENCHMARK(bm_reevaluate_last_quarter);
BENCHMARK(bm_greedy)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_local)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_beam)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_lds)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_bo_guided)->Unit(benchmark::kMillisecond);
