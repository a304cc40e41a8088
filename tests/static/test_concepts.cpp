// Static concept tests: minimal conforming types model each concept; near misses do not.
#include <doctest/doctest.h>

#include <span>

#include <l2s/core.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/gp/concepts.hpp>
#include <l2s/policy/concepts.hpp>
#include <l2s/problems/vf_toy.hpp>
#include <l2s/search/beam.hpp>
#include <l2s/search/bo_guided.hpp>
#include <l2s/search/exhaustive.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/lds.hpp>
#include <l2s/search/local.hpp>
#include <l2s/space.hpp>

using namespace l2s;

namespace {
// ---- spaces
struct line {
    std::size_t dim() const { return 1; }
    vec sample(rng_type&) const { return vec::Zero(1); }
    bool contains(const vec&) const { return true; }
    vec project(const vec& x) const { return x; }
};
struct finite_line : line {
    std::uint64_t size() const { return 3; }
    vec at(std::uint64_t i) const { return vec::Constant(1, static_cast<double>(i)); }
};
struct no_project {
    std::size_t dim() const { return 1; }
    vec sample(rng_type&) const { return vec::Zero(1); }
    bool contains(const vec&) const { return true; }
};

// ---- surrogates
struct mean_model {
    void fit(const mat&, const vec&) {}
    void add(const vec&, double) {}
    prediction predict(const vec&) const { return {}; }
    batch_prediction predict(const mat&) const { return {}; }
    std::size_t size() const { return 0; }
    std::size_t dim() const { return 1; }
};
struct no_batch {
    void fit(const mat&, const vec&) {}
    void add(const vec&, double) {}
    prediction predict(const vec&) const { return {}; }
    std::size_t size() const { return 0; }
    std::size_t dim() const { return 1; }
};

// ---- environments, policies, evaluators, models
struct tiny_env {
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    const observation_type& reset(rng_type&) { return o_; }
    dvfs::step_outcome step(const action_type&) { return {}; }
    const observation_type& observe() const { return o_; }
    std::size_t num_islands() const { return 1; }
    std::size_t num_levels(std::size_t) const { return 2; }
    observation_type o_;
};
struct env_without_observe {
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    const observation_type& reset(rng_type&) { return o_; }
    dvfs::step_outcome step(const action_type&) { return {}; }
    std::size_t num_islands() const { return 1; }
    std::size_t num_levels(std::size_t) const { return 2; }
    observation_type o_;
};
struct max_policy {
    void act(const dvfs::observation& o, dvfs::action& a) const { a.assign(o.num_islands(), 1); }
};
struct uniform_policy : max_policy {
    void probabilities(const dvfs::observation&, std::span<double> out) const {
        for (auto& p : out) p = 0.5;
    }
};
struct learner : max_policy {
    void observe(const dvfs::observation&, const dvfs::action&, const dvfs::step_outcome&) {}
};
struct toy_evaluator {
    dvfs::sequence_score evaluate(const vf_sequence&) { return {}; }
    std::size_t num_intervals() const { return 4; }
    std::size_t num_islands() const { return 2; }
    std::size_t num_levels(std::size_t) const { return 3; }
};
struct constant_model {
    dvfs::power_time estimate(const dvfs::observation&, std::size_t, level_t) const { return {1.0, 1e-3}; }
};
}  // namespace

static_assert(SearchSpace<line> && !FiniteSpace<line>);
static_assert(FiniteSpace<finite_line>);
static_assert(!SearchSpace<no_project> && !SearchSpace<int>);
static_assert(SearchSpace<space::box> && FiniteSpace<space::grid> && FiniteSpace<space::vf_space>);

static_assert(Surrogate<mean_model>);
static_assert(!Surrogate<no_batch> && !Surrogate<int>);

static_assert(Environment<tiny_env>);
static_assert(!Environment<env_without_observe> && !Environment<int>);
static_assert(PolicyFor<max_policy, tiny_env> && !PolicyFor<int, tiny_env>);
static_assert(ProbabilisticPolicy<uniform_policy, tiny_env> && !ProbabilisticPolicy<max_policy, tiny_env>);
static_assert(LearningPolicyFor<learner, tiny_env> && !LearningPolicyFor<max_policy, tiny_env>);
static_assert(Evaluator<toy_evaluator> && !Evaluator<tiny_env>);
static_assert(PowerPerformanceModel<constant_model> && !PowerPerformanceModel<max_policy>);
static_assert(Observer<event_log> && !Observer<line>);

TEST_CASE("static concept checks compiled") {
    // The checks above are compile-time; this case exercises the minimal types once at run time.
    tiny_env env;
    rng_type rng(1);
    const auto& o = env.reset(rng);
    dvfs::action a;
    max_policy{}.act(o, a);
    CHECK(a.empty());  // the observation was never sized, so the action has no island
}

// ---- the shipped search strategies on the V/F toy problem (kept here so search/ does not include problems/)
static_assert(SearchStrategy<search::greedy, problems::vf_toy>);
static_assert(SearchStrategy<search::local, problems::vf_toy>);
static_assert(SearchStrategy<search::beam, problems::vf_toy>);
static_assert(SearchStrategy<search::exhaustive, problems::vf_toy>);
static_assert(SearchStrategy<search::lds<search::probability_table>, problems::vf_toy>);
static_assert(SearchStrategy<search::bo_guided, problems::vf_toy>);
static_assert(!SearchStrategy<int, problems::vf_toy>);
