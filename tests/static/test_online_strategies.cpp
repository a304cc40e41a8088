// Static concept tests of UaOL's strategy types: the shipped budget accounts, refiners and time poolings
// model their concepts; near misses do not; uaol_policy's defaults are the published configuration.
#include <doctest/doctest.h>

#include <span>
#include <type_traits>
#include <vector>

#include <l2s/online.hpp>
#include <l2s/search/oracle.hpp>
#include <l2s/sim/lookahead_model.hpp>
#include <l2s/sim/sequence_evaluator.hpp>

using namespace l2s;

namespace {
struct no_settle {  // an account that never learns what an interval took
    void resize(std::size_t) {}
    void open() {}
    double allowance_s() const { return 0.0; }
    double slack_s() const { return 0.0; }
    void book(std::size_t, double, double) {}
};
struct no_refine_result {  // a refiner that does not say whether it changed the decision
    void resize(std::span<const std::size_t>) {}
    void refine(online::product_set_search&, const online::island_models&, const dvfs::observation&, std::span<level_t>,
                online::time_limit) {}
};
struct no_reset_pooling {
    void resize(const std::vector<std::vector<double>>&) {}
    bool tpi_ns(std::size_t, double, double&) const { return false; }
    void update(std::span<const double>, std::span<const double>) {}
};
struct softmax_like {};
}  // namespace

static_assert(BudgetAccount<online::slack_account>);
static_assert(BudgetAccount<online::per_interval_budget>);
static_assert(!BudgetAccount<no_settle>);
static_assert(DecisionRefinerFor<online::refine_below, online::island_models>);
static_assert(DecisionRefinerFor<online::keep_decision, online::island_models>);
static_assert(DecisionRefinerFor<online::refine_below, sim::lookahead_model>);
static_assert(!DecisionRefinerFor<no_refine_result, online::island_models>);
static_assert(TimePooling<online::pooled_time>);
static_assert(TimePooling<online::per_island_time>);
static_assert(!TimePooling<no_reset_pooling>);
static_assert(std::is_same_v<online::island_models, online::basic_island_models<online::pooled_time>>);
static_assert(std::is_same_v<online::uaol_policy<softmax_like, online::island_models>,
                             online::uaol_policy<softmax_like, online::island_models, online::slack_account, online::refine_below>>);
static_assert(SearchStrategy<search::oracle, sim::sequence_evaluator>);

TEST_CASE("static: UaOL's strategy concepts (compile-time checks above)") { CHECK(true); }
