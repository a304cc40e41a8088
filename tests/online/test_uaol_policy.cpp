// tests/online/test_uaol_policy.cpp: the UaOL loop with a hand-written probabilistic policy and environment.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <span>
#include <type_traits>
#include <vector>

#include <l2s/online/uaol_policy.hpp>
#include <l2s/policy/concepts.hpp>

using namespace l2s;
using online::uaol_policy;
using online::uaol_policy_config;

namespace {
constexpr std::size_t K = 2, L = 3;

/// Observations whose utilisation cycles; power grows with the level, time falls with it.
struct tiny_env {
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    dvfs::observation obs;
    std::size_t t = 0;
    const dvfs::observation& reset(rng_type&) {
        obs.resize(K);
        t = 0;
        fill();
        return obs;
    }
    dvfs::step_outcome step(const dvfs::action& a) {
        ++t;
        for (std::size_t k = 0; k < K; ++k) obs.level[k] = a[k];
        fill();
        return {1.0, 1.0, 50.0, t >= 50};
    }
    const dvfs::observation& observe() const { return obs; }
    std::size_t num_islands() const { return K; }
    std::size_t num_levels(std::size_t) const { return L; }
    void fill() {
        for (std::size_t k = 0; k < K; ++k) {
            obs.utilisation[k] = 0.5 + 0.4 * std::sin(static_cast<double>(t + k));
            obs.ipc[k] = 1.0;
            obs.freq_hz[k] = 1e9;
            obs.busy_time_s[k] = 0.01;
        }
        obs.interval = t;
    }
};

/// Per-island softmax over L levels with logits W_k [u_k, 1]; sgd_step ascends log p(label).
struct tiny_softmax {
    std::array<double, K * L * 2> w{};  // all zero: uniform probabilities
    void probabilities(const dvfs::observation& o, std::span<double> out) const {
        for (std::size_t k = 0; k < K; ++k) {
            double z[L], m = -1e300, s = 0.0;
            for (std::size_t l = 0; l < L; ++l) {
                z[l] = w[(k * L + l) * 2] * o.utilisation[k] + w[(k * L + l) * 2 + 1];
                m = std::max(m, z[l]);
            }
            for (std::size_t l = 0; l < L; ++l) s += (z[l] = std::exp(z[l] - m));
            for (std::size_t l = 0; l < L; ++l) out[k * L + l] = z[l] / s;
        }
    }
    void act(const dvfs::observation& o, dvfs::action& a) const {
        std::array<double, K * L> p{};
        probabilities(o, p);
        a.resize(K);
        for (std::size_t k = 0; k < K; ++k)
            a[k] = static_cast<level_t>(std::max_element(p.begin() + k * L, p.begin() + (k + 1) * L) - (p.begin() + k * L));
    }
    void sgd_step(const dvfs::observation& o, std::span<const level_t> labels, double lr) {
        std::array<double, K * L> p{};
        probabilities(o, p);
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t l = 0; l < L; ++l) {
                const double g = (l == labels[k] ? 1.0 : 0.0) - p[k * L + l];
                w[(k * L + l) * 2] += lr * g * o.utilisation[k];
                w[(k * L + l) * 2 + 1] += lr * g;
            }
    }
};

/// Power = 1 + level, time = work / (1 + level): the fastest level is the top one.
struct tiny_model {
    dvfs::power_time estimate(const dvfs::observation& o, std::size_t k, level_t l) const {
        const double work = o.ipc[k] * o.freq_hz[k] * o.busy_time_s[k] * 1e-7;
        return {1.0 + 0.5 * l * l, work / (1.0 + l)};
    }
    std::size_t updates = 0;
    void update(const dvfs::observation&, const dvfs::action&, const dvfs::observation&) { ++updates; }
};

// The method's core (gate, sets, search, online update): every decision checked on its own, none refined.
using tiny_uaol = uaol_policy<tiny_softmax, tiny_model, online::per_interval_budget, online::keep_decision>;
static_assert(Environment<tiny_env>);
static_assert(ProbabilisticPolicy<tiny_softmax, tiny_env>);
static_assert(SgdStepPolicy<tiny_softmax>);
static_assert(LearningPolicyFor<tiny_uaol, tiny_env>);
static_assert(!tiny_uaol::replays_raw_features);  // no raw_features: replay steps on stored observations

void run(tiny_uaol& pol, tiny_env& env, int steps) {
    rng_type rng(1);
    const dvfs::observation* o = &env.reset(rng);
    dvfs::action a;
    for (int i = 0; i < steps; ++i) {
        pol.act(*o, a);
        const dvfs::step_outcome r = env.step(a);
        o = &env.observe();
        pol.observe(*o, a, r);  // the observation that follows the step, as sim::rollout passes it
    }
}
}  // namespace

TEST_CASE("uaol_policy: uncalibrated gate → every state seen, argmax decisions, reservoir fills") {
    // without the budget guard: the uniform policy's argmax (level 0) is over the budget by tiny_model
    tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L}, {.budget_guard = false});
    tiny_env env;
    run(pol, env, 20);
    CHECK(pol.decisions() == 20);
    CHECK(pol.unseen_decisions() == 0);
    CHECK(pol.unseen_fraction() == 0.0);
    CHECK(pol.reservoir_size() == 20);
    CHECK(pol.sgd_steps() == 0);
    CHECK(pol.model().updates == 19);
}

TEST_CASE("uaol_policy: unseen states use the bounded search, and SGD turns them seen") {
    tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L},
                  {.search = {.budget = 64, .slowdown = 1.0}, .learning_rate = 0.5, .replay_capacity = 0});
    pol.gate().set_threshold(0.5);
    tiny_env env;
    rng_type rng(1);
    const dvfs::observation first = env.reset(rng);
    dvfs::action a;
    pol.act(first, a);
    REQUIRE(pol.last_unseen());  // uniform probabilities: g = 1 > 0.5
    // Uncalibrated conformal sets hold every level. t_ref = work/3; feasible t ≤ 2 t_ref → levels ≥ 1 on both;
    // EDP = P t²: (1,1): P 3, t w/2 → 0.75 w²; (2,2): P 6, t w/3 → 0.667 w²; (1,2): t w/2 → worse than (2,2).
    CHECK(a == dvfs::action{2, 2});
    CHECK(pol.last_search().exhaustive);
    const dvfs::step_outcome r0 = env.step(a);
    pol.observe(env.observe(), a, r0);
    CHECK(pol.sgd_steps() == 1);
    run(pol, env, 60);
    CHECK(pol.unseen_decisions() < pol.decisions());
    CHECK(pol.last_unseen() == false);  // the pseudo-labels made the policy confident
}

TEST_CASE("uaol_policy: deferred slow path applies the step at the next act") {
    tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L}, {.slow_path = online::slow_path_mode::deferred});
    pol.gate().set_threshold(0.5);
    tiny_env env;
    rng_type rng(1);
    const dvfs::observation first = env.reset(rng);
    dvfs::action a;
    pol.act(first, a);
    const dvfs::step_outcome r0 = env.step(a);
    pol.observe(env.observe(), a, r0);
    CHECK(pol.sgd_steps() == 0);
    pol.act(env.observe(), a);
    CHECK(pol.sgd_steps() == 1);
}

TEST_CASE("uaol_policy: calibration and bad input") {
    tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L});
    std::vector<dvfs::observation> held(10);
    tiny_env env;
    rng_type rng(2);
    for (auto& o : held) {
        o = env.reset(rng);
        env.step(dvfs::action{0, 0});
        o = env.observe();
    }
    std::vector<level_t> labels(held.size() * K, 0);
    pol.calibrate(held, labels, rng);
    CHECK(pol.gate().calibrated());
    CHECK(pol.calibrator().calibrated());
    const double tau = pol.gate().threshold();
    CHECK_THROWS_AS(pol.calibrate(held, std::vector<level_t>(3, 0), rng), dimension_mismatch);
    CHECK(pol.gate().threshold() == tau);
    dvfs::observation bad;
    bad.resize(3);
    dvfs::action a;
    CHECK_THROWS_AS(pol.act(bad, a), dimension_mismatch);
    CHECK_THROWS_AS(tiny_uaol(tiny_softmax{}, tiny_model{}, {L, L}, {.learning_rate = 0.0}), invalid_config);
}

TEST_CASE("uaol_policy: the budget guard sends a seen argmax that the models put over the budget to the search") {
    tiny_env env;
    rng_type rng(1);
    const dvfs::observation first = env.reset(rng);
    dvfs::action a;
    SUBCASE("guard on (default)") {
        tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L});
        pol.act(first, a);  // the gate is uncalibrated (every state seen); argmax (0, 0) takes 3 × t(all top)
        CHECK(pol.last_guarded());
        CHECK(pol.last_unseen());
        CHECK(pol.guarded_decisions() == 1);
        CHECK(pol.unseen_decisions() == 1);
        CHECK(a == dvfs::action{2, 2});  // the only configuration within 5 % of the top levels' time
        CHECK(pol.last_search().feasible);
        CHECK(pol.reservoir_size() == 0);  // an over-budget argmax is not replayed as a seen example
        const dvfs::step_outcome r = env.step(a);
        pol.observe(env.observe(), a, r);
        CHECK(pol.sgd_steps() == 1);  // and the policy steps towards the feasible choice
    }
    SUBCASE("guard off") {
        tiny_uaol pol(tiny_softmax{}, tiny_model{}, {L, L}, {.budget_guard = false});
        pol.act(first, a);
        CHECK_FALSE(pol.last_guarded());
        CHECK(pol.guarded_decisions() == 0);
        CHECK(a == dvfs::action{0, 0});
    }
    SUBCASE("a feasible argmax passes") {
        tiny_softmax confident;
        for (std::size_t k = 0; k < K; ++k) confident.w[(k * L + 2) * 2 + 1] = 5.0;  // argmax = top level
        tiny_uaol pol(confident, tiny_model{}, {L, L});
        pol.act(first, a);
        CHECK_FALSE(pol.last_guarded());
        CHECK_FALSE(pol.last_unseen());
        CHECK(a == dvfs::action{2, 2});
    }
}

TEST_CASE("uaol_policy: an infeasible conformal product is widened to every level") {
    tiny_softmax slow;  // confident in level 0, which tiny_model puts at 3 × the top levels' time
    for (std::size_t k = 0; k < K; ++k) slow.w[(k * L + 0) * 2 + 1] = 5.0;
    tiny_env env;
    rng_type rng(3);
    std::vector<dvfs::observation> held(20);
    for (auto& o : held) {
        (void)env.reset(rng);
        env.step(dvfs::action{0, 0});
        o = env.observe();
    }
    const std::vector<level_t> labels(held.size() * K, 0);  // calibrated on level 0: the sets hold only it
    for (bool widen : {true, false}) {
        CAPTURE(widen);
        tiny_uaol pol(slow, tiny_model{}, {L, L}, {.budget_guard = false, .widen_infeasible = widen});
        pol.calibrate(held, labels, rng);
        pol.gate().set_threshold(0.0);  // every state unseen
        const dvfs::observation first = env.reset(rng);
        dvfs::action a;
        pol.act(first, a);
        REQUIRE(pol.last_unseen());
        std::array<double, K * L> probs{};
        slow.probabilities(first, probs);
        std::array<level_t, L> set{};
        REQUIRE(pol.calibrator().set(probs, 0, set) == 1);  // C_0 = {0}, and likewise C_1
        REQUIRE(set[0] == 0);
        CHECK(pol.last_widened() == widen);
        CHECK(pol.widened_searches() == (widen ? 1u : 0u));
        CHECK(pol.last_search().feasible == widen);
        CHECK(a == (widen ? dvfs::action{2, 2} : dvfs::action{0, 0}));
    }
}

namespace {
/// Memory-bound islands: one level down costs 1 % of time and saves a third of the power; a switch costs
/// `switch_s` on top (settled_estimate leaves it out).
struct memory_bound_model {
    double switch_s = 0.0;
    dvfs::power_time settled_estimate(const dvfs::observation& o, std::size_t k, level_t l) const {
        return {1.0 + static_cast<double>(l), o.busy_time_s[k] * (1.0 + 0.01 * (2.0 - static_cast<double>(l)))};
    }
    dvfs::power_time estimate(const dvfs::observation& o, std::size_t k, level_t l) const {
        dvfs::power_time e = settled_estimate(o, k, l);
        if (l != o.level[k]) e.time_s += switch_s;
        return e;
    }
};
using mb_uaol = uaol_policy<tiny_softmax, memory_bound_model, online::per_interval_budget, online::keep_decision>;
using mb_refined = uaol_policy<tiny_softmax, memory_bound_model, online::per_interval_budget, online::refine_below>;
using mb_default = uaol_policy<tiny_softmax, memory_bound_model>;  // slack_account + refine_below
static_assert(std::is_same_v<mb_default, uaol_policy<tiny_softmax, memory_bound_model, online::slack_account, online::refine_below>>);

tiny_softmax confident_top() {
    tiny_softmax s;
    for (std::size_t k = 0; k < K; ++k) s.w[(k * L + 2) * 2 + 1] = 5.0;  // argmax = top level, low entropy
    return s;
}
/// An observation of both islands at `level`, busy for `busy` seconds.
dvfs::observation islands_at(level_t level, double busy, std::size_t interval = 1) {
    dvfs::observation o;
    o.resize(K);
    o.interval = interval;
    for (std::size_t k = 0; k < K; ++k) {
        o.level[k] = level;
        o.busy_time_s[k] = busy;
        o.ipc[k] = 1.0;
        o.freq_hz[k] = 1e9;
    }
    return o;
}
}  // namespace

TEST_CASE("uaol_policy: refine lowers a confident argmax when the models find a lower EDP within the limit") {
    const dvfs::observation o = islands_at(2, 0.01);
    dvfs::action a;
    SUBCASE("keep_decision: the argmax") {
        mb_uaol pol(confident_top(), memory_bound_model{}, {L, L});
        pol.act(o, a);
        CHECK_FALSE(pol.last_unseen());
        CHECK(a == dvfs::action{2, 2});
        CHECK(pol.refined_decisions() == 0);
    }
    SUBCASE("on, p = 5 %: level 0 (2 % slower, a third of the power)") {
        mb_refined pol(confident_top(), memory_bound_model{}, {L, L});
        pol.act(o, a);
        CHECK_FALSE(pol.last_unseen());  // still a seen decision: no SGD step, the argmax goes to the reservoir
        CHECK(pol.last_refined());
        CHECK(pol.refined_decisions() == 1);
        CHECK(a == dvfs::action{0, 0});
        CHECK(pol.reservoir_size() == 1);
        pol.observe(islands_at(0, 0.0102), a, {1.0, 0.0102, 50.0, false});
        CHECK(pol.sgd_steps() == 0);
    }
    SUBCASE("on, p = 1.5 %: level 1 (1 % slower) is the lowest within the limit") {
        uaol_policy_config c;
        c.search.slowdown = 0.015;
        mb_refined pol(confident_top(), memory_bound_model{}, {L, L}, c);
        pol.act(o, a);
        CHECK(a == dvfs::action{1, 1});
    }
    SUBCASE("on, p = 0.5 %: nothing below the argmax meets the limit — the argmax stays") {
        uaol_policy_config c;
        c.search.slowdown = 0.005;
        mb_refined pol(confident_top(), memory_bound_model{}, {L, L}, c);
        pol.act(o, a);
        CHECK_FALSE(pol.last_refined());
        CHECK(a == dvfs::action{2, 2});
    }
}

TEST_CASE("uaol_policy: the cumulative account banks unspent slack, lends it to later decisions and is paid back") {
    // p = 0.4 %, H = 0.5: slack banked by one interval at the top level (0.4 % of 10 ms = 40 µs) admits one
    // level down (+1 % = 100 µs ≤ 40 µs + 80 µs); running there overdraws the account, which then admits
    // only the argmax again.
    uaol_policy_config c;
    c.search.slowdown = 0.004;
    mb_default pol(confident_top(), memory_bound_model{}, {L, L}, c, online::slack_account({.horizon = 0.5}));
    dvfs::action a;
    pol.act(islands_at(2, 0.01), a);
    CHECK(a == dvfs::action{2, 2});  // nothing banked yet: 1 % > 0.4 %
    pol.observe(islands_at(2, 0.01), a, {1.0, 0.01, 50.0, false});
    CHECK(pol.slack_s() == doctest::Approx(0.004 * 0.01).epsilon(1e-12));  // ran at the top: reference = busy
    pol.act(islands_at(2, 0.01), a);
    CHECK(pol.last_refined());
    CHECK(a == dvfs::action{1, 1});
    // measured 10.1 ms at level 1; reference = busy · t̂(top)/t̂(level 1) = 10.1 ms / 1.01 = 10 ms
    pol.observe(islands_at(1, 0.0101), a, {1.0, 0.0101, 50.0, false});
    CHECK(pol.slack_s() == doctest::Approx(0.004 * 0.01 + 1.004 * 0.01 - 0.0101).epsilon(1e-9));
    CHECK(pol.slack_s() < 0.0);
    pol.act(islands_at(1, 0.0101), a);
    CHECK_FALSE(pol.last_refined());
    CHECK(a == dvfs::action{2, 2});
    pol.act(islands_at(2, 0.01, 0), a);  // a new episode: a new account
    CHECK(pol.slack_s() == 0.0);

    SUBCASE("per_interval_budget never lends: the argmax every time") {
        uaol_policy_config d;
        d.search.slowdown = 0.004;
        mb_refined per(confident_top(), memory_bound_model{}, {L, L}, d);
        for (int i = 0; i < 3; ++i) {
            per.act(islands_at(2, 0.01), a);
            CHECK(a == dvfs::action{2, 2});
            per.observe(islands_at(2, 0.01), a, {1.0, 0.01, 50.0, false});
        }
        CHECK(per.slack_s() == 0.0);
    }
    SUBCASE("the reference is settled: a switch's cost is not part of the all-top time") {
        // islands at level 1, 1 ms switch cost: t̂(top) with the switch is 11 ms, settled 10 ms. The budget is
        // 5 % of the settled 10 ms = 10.5 ms, so staying at level 1 (10.1 ms, no switch) is within it
        // and going up (11 ms) is not — the search keeps level 1 with lower power, and so does the guard.
        memory_bound_model m{.switch_s = 0.001};
        mb_refined g(confident_top(), m, {L, L});
        g.act(islands_at(1, 0.01), a);
        CHECK_FALSE(g.last_guarded());
        CHECK(a == dvfs::action{1, 1});
    }
    CHECK_THROWS_WITH_AS(mb_default(confident_top(), memory_bound_model{}, {L, L}, {}, online::slack_account({.horizon = 0.0})),
                         doctest::Contains("l2s::online::slack_account"), invalid_config);
}

TEST_CASE("uaol_policy: refine lowers an unseen decision's choice too, and the pseudo-label is the refined choice") {
    // the gate sends every state to the search; the LAC sets hold only the argmax (top), so the search alone
    // keeps the top levels; refinement finds level 0 (2 % slower, a third of the power)
    tiny_env env;
    rng_type rng(4);
    std::vector<dvfs::observation> held(20);
    for (auto& o : held) {
        (void)env.reset(rng);
        env.step(dvfs::action{2, 2});
        o = env.observe();
    }
    const std::vector<level_t> labels(held.size() * K, 2);
    auto check = [&](auto pol, bool refine) {
        CAPTURE(refine);
        pol.calibrate(held, labels, rng);
        pol.gate().set_threshold(0.0);
        dvfs::action a;
        pol.act(islands_at(2, 0.01), a);
        REQUIRE(pol.last_unseen());
        CHECK(pol.last_search().feasible);
        CHECK(pol.last_refined() == refine);
        CHECK(a == (refine ? dvfs::action{0, 0} : dvfs::action{2, 2}));
    };
    check(mb_uaol(confident_top(), memory_bound_model{}, {L, L}), false);
    check(mb_refined(confident_top(), memory_bound_model{}, {L, L}), true);
}

TEST_CASE("uaol_policy: the defaults are the published configuration (slack account, refinement, tau at q = 0.2, B = 64, eta = 0.05)") {
    const uaol_policy_config c;
    CHECK(c.gate.quantile == 0.2);
    CHECK(c.search.budget == 64);
    CHECK(c.learning_rate == 0.05);
    CHECK(c.budget_guard);
    CHECK(c.widen_infeasible);
    CHECK(online::slack_account{}.cfg().horizon == 8.0);
    mb_default pol(confident_top(), memory_bound_model{}, {L, L});
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(pol.account())>, online::slack_account>);
}
