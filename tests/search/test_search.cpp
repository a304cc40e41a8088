// SPDX-License-Identifier: MIT
// tests/search/test_search.cpp: oracle search strategies against brute force on small V/F problems.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <span>
#include <limits>
#include <random>

#include <l2s/problems/vf_toy.hpp>
#include <l2s/search.hpp>

using namespace l2s;
using problems::vf_toy;
using problems::vf_toy_config;

namespace {

/// The same problem without reevaluate (tests the evaluate-only path).
struct evaluate_only {
    vf_toy toy;
    dvfs::sequence_score evaluate(const vf_sequence& y) { return toy.evaluate(y); }
    [[nodiscard]] std::size_t num_intervals() const { return toy.num_intervals(); }
    [[nodiscard]] std::size_t num_islands() const { return toy.num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const { return toy.num_levels(k); }
};
static_assert(Evaluator<evaluate_only>);

vf_toy_config small(std::size_t T, std::size_t K, std::size_t L, unsigned seed) {
    vf_toy_config c;
    c.intervals = T;
    c.islands = K;
    c.levels = L;
    c.seed = seed;
    return c;
}

/// Independent brute force: every sequence with a fresh evaluate, ranked lexicographically.
struct brute_result {
    search::ranked best;
    vf_sequence y;
    bool any_feasible = false;
};
brute_result brute_force(const vf_toy_config& c, const search::objective& obj) {
    vf_toy ev(c);
    const double ref = ev.evaluate(search::all_max(ev)).time_s;
    const std::size_t n = c.intervals * c.islands;
    std::size_t total = 1;
    for (std::size_t i = 0; i < n; ++i) total *= c.levels;
    brute_result out;
    vf_sequence y = vf_sequence::from_shape({c.intervals, c.islands});
    for (std::size_t code = 0; code < total; ++code) {
        std::size_t x = code;
        for (std::size_t i = 0; i < n; ++i) {
            y(i / c.islands, i % c.islands) = static_cast<level_t>(x % c.levels);
            x /= c.levels;
        }
        const search::ranked r = search::rank(obj, ev.evaluate(y), ref);
        out.any_feasible = out.any_feasible || r.feasible();
        if (r.better_than(out.best)) {
            out.best = r;
            out.y = y;
        }
    }
    return out;
}

struct stop_after {
    std::size_t n = 0;
    std::size_t seen = 0, iterations = 0;
    control on_evaluation(const search::search_progress& p) {
        seen = p.evaluations;
        return p.evaluations >= n ? control::stop : control::proceed;
    }
    void on_iteration(const search::search_progress&) { ++iterations; }
};

const vf_sequence empty_start{};

}  // namespace

TEST_CASE("vf_toy: reevaluate from t0 equals a full evaluation") {
    vf_toy a(small(12, 3, 4, 5)), b(small(12, 3, 4, 5));
    rng_type rng(3);
    std::uniform_int_distribution<int> lvl(0, 3);
    vf_sequence y = search::all_max(a);
    (void)a.evaluate(y);
    for (int rep = 0; rep < 50; ++rep) {
        const std::size_t t0 = static_cast<std::size_t>(rng() % 12);
        for (std::size_t t = t0; t < 12; ++t)
            for (std::size_t k = 0; k < 3; ++k) y(t, k) = static_cast<level_t>(lvl(rng));
        const auto r = a.reevaluate(y, t0), f = b.evaluate(y);
        CHECK(r.energy_j == doctest::Approx(f.energy_j).epsilon(1e-12));
        CHECK(r.time_s == doctest::Approx(f.time_s).epsilon(1e-12));
        CHECK(r.peak_temp_c == doctest::Approx(f.peak_temp_c).epsilon(1e-12));
        CHECK(r.transitions == f.transitions);
    }
    CHECK(a.simulated_intervals() < 12 + 50 * 12);
    // Lower levels are slower and use less dynamic power; the barrier couples islands.
    vf_sequence lo = y;
    lo.fill(0);
    const auto smax = b.evaluate(search::all_max(b)), smin = b.evaluate(lo);
    CHECK(smin.time_s > smax.time_s);
    CHECK(smin.peak_temp_c < smax.peak_temp_c);
}

TEST_CASE("vf_toy: typed errors") {
    CHECK_THROWS_AS(vf_toy(small(0, 2, 3, 1)), invalid_config);
    CHECK_THROWS_AS(vf_toy(small(4, 2, 1, 1)), invalid_config);
    vf_toy ev(small(4, 2, 3, 1));
    vf_sequence wrong = vf_sequence::from_shape({3, 2});
    wrong.fill(0);
    CHECK_THROWS_AS((void)ev.evaluate(wrong), dimension_mismatch);
    vf_sequence y = search::all_max(ev);
    y(0, 0) = 3;
    CHECK_THROWS_AS((void)ev.evaluate(y), invalid_argument);
    CHECK_THROWS_AS((void)ev.reevaluate(search::all_max(ev), 5), invalid_argument);
}

TEST_CASE("search: objective, ranking and features") {
    search::objective obj;
    dvfs::sequence_score s{2.0, 3.0, 60.0, 0.0, 0};
    CHECK(obj.value(s) == doctest::Approx(6.0));
    obj.kind = search::metric::ed2p;
    CHECK(obj.value(s) == doctest::Approx(18.0));
    obj.kind = search::metric::energy;
    CHECK(obj.value(s) == doctest::Approx(2.0));
    obj.kind = search::metric::energy_thermal;
    CHECK(obj.value(s) == doctest::Approx(6.0 * (1.0 + 0.5 * 15.0 / 35.0)));
    obj.kind = search::metric::edp;
    // Feasible beats infeasible whatever the value; infeasible ordered by violation.
    const auto feas = search::rank(obj, {10.0, 3.1, 60.0, 0.0, 0}, 3.0);
    const auto slow = search::rank(obj, {1.0, 3.3, 60.0, 0.0, 0}, 3.0);
    const auto hot = search::rank(obj, {1.0, 3.0, 95.0, 0.0, 0}, 3.0);
    CHECK(feas.feasible());
    CHECK_FALSE(slow.feasible());
    CHECK(feas.better_than(slow));
    CHECK_FALSE(slow.better_than(feas));
    CHECK(slow.violation == doctest::Approx(3.3 / 3.15 - 1.0));
    CHECK(hot.violation == doctest::Approx(15.0 / 80.0));
    CHECK(slow.better_than(hot));
    obj.max_slowdown = -0.1;
    CHECK_THROWS_AS(search::greedy(search::greedy_config{obj}), invalid_config);

    vf_sequence y = vf_sequence::from_shape({16, 2});
    y.fill(0);
    for (std::size_t t = 8; t < 16; ++t) y(t, 1) = 3;
    const vec phi = search::sequence_features(y, {4, 4});
    REQUIRE(phi.size() == static_cast<Eigen::Index>(search::sequence_feature_dim(16, 2)));
    CHECK(phi(8 + 3) == doctest::Approx(0.0));
    CHECK(phi(8 + 4) == doctest::Approx(1.0));
    CHECK(phi(16 + 1) == doctest::Approx(1.0 / 15.0));
    CHECK(phi(phi.size() - 1) == 1.0);
    CHECK_THROWS_AS((void)search::sequence_features(y, {4}), dimension_mismatch);
}

TEST_CASE("search: linear_ranker learns a linear order by pairwise hinge loss") {
    rng_type rng(11);
    std::normal_distribution<double> n01;
    const Eigen::Index d = 5, n = 200;
    mat x(d, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < d; ++i) x(i, j) = n01(rng);
    vec w(d);
    w << 1.0, -2.0, 0.5, 0.0, 3.0;
    std::vector<double> key(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) key[static_cast<std::size_t>(j)] = w.dot(x.col(j));
    search::linear_ranker r({50, 0.01, 1e-4, 1.0});
    CHECK(r.score(x.col(0)) == 0.0);
    r.fit(x, key, rng);
    std::size_t agree = 0, total = 0;
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = i + 1; j < n; ++j, ++total)
            agree += ((key[std::size_t(i)] < key[std::size_t(j)]) == (r.score(x.col(i)) < r.score(x.col(j)))) ? 1 : 0;
    CHECK(double(agree) / double(total) > 0.95);
    CHECK_THROWS_AS(r.fit(x, std::vector<double>(3), rng), dimension_mismatch);
    CHECK_THROWS_AS(search::linear_ranker({0, 0.01, 0.0, 1.0}), invalid_config);
}

TEST_CASE("search: exact strategies return the brute-force optimum") {
    struct inst {
        std::size_t T, K, L;
        unsigned seed;
        search::metric m;
    };
    for (const inst& in : {inst{4, 2, 3, 1, search::metric::edp}, inst{4, 2, 3, 2, search::metric::edp},
                           inst{4, 2, 3, 3, search::metric::ed2p}, inst{3, 3, 2, 4, search::metric::edp},
                           inst{2, 2, 4, 5, search::metric::energy}, inst{4, 2, 3, 6, search::metric::energy_thermal}}) {
        CAPTURE(in.seed);
        const vf_toy_config c = small(in.T, in.K, in.L, in.seed);
        search::objective obj;
        obj.kind = in.m;
        const brute_result ref = brute_force(c, obj);
        REQUIRE(ref.any_feasible);
        rng_type rng(in.seed);
        const search::search_budget big{100000, 0.0};
        {
            vf_toy ev(c);
            const auto r = search::exhaustive({obj}).search(ev, empty_start, big, rng);
            CHECK(r.feasible);
            CHECK(r.value == doctest::Approx(ref.best.value).epsilon(1e-12));
            CHECK(r.best == ref.y);
            CHECK(r.infeasibility.empty());
            CHECK(ev.simulated_intervals() < r.evaluations * in.T);  // prefixes were reused
        }
        {
            evaluate_only ev{vf_toy(c)};
            const auto r = search::exhaustive({obj}).search(ev, empty_start, big, rng);
            CHECK(r.value == doctest::Approx(ref.best.value).epsilon(1e-12));
        }
        {
            vf_toy ev(c);
            const auto r = search::beam({obj, 100000, 1e9}).search(ev, empty_start, big, rng);
            CHECK(r.feasible);
            CHECK(r.value == doctest::Approx(ref.best.value).epsilon(1e-12));
        }
        {
            vf_toy ev(c);
            auto table = search::probability_table::centred(search::all_max(ev), in.L);
            search::lds_config lc{obj};
            lc.positions = in.T * in.K;
            lc.max_discrepancies = in.T * in.K * (in.L - 1);
            const auto r = search::lds(table, lc).search(ev, empty_start, big, rng);
            CHECK(r.feasible);
            CHECK(r.value == doctest::Approx(ref.best.value).epsilon(1e-12));
        }
        // Heuristics: feasible and never better than the optimum.
        for (int which = 0; which < 4; ++which) {
            vf_toy ev(c);
            search::search_result r;
            if (which == 0) r = search::greedy({obj}).search(ev, empty_start, big, rng);
            if (which == 1) r = search::local({obj}).search(ev, empty_start, {3000, 0.0}, rng);
            if (which == 2) r = search::beam({obj}).search(ev, empty_start, big, rng);
            if (which == 3) {
                vf_toy probe(c);
                const auto g = search::greedy({obj}).search(probe, empty_start, big, rng);
                r = search::lds(search::probability_table::centred(g.best, in.L), {obj}).search(ev, empty_start, big, rng);
            }
            CAPTURE(which);
            CHECK(r.feasible);
            CHECK(r.value >= ref.best.value * (1 - 1e-12));
            CHECK(r.value <= r.reference.edp() * 1e6);
            // The returned score is the sequence's true score.
            vf_toy check(c);
            const auto s = check.evaluate(r.best);
            CHECK(search::rank(obj, s, r.reference.time_s).feasible());
            CHECK(s.energy_j == doctest::Approx(r.score.energy_j));
        }
    }
}

TEST_CASE("search: local search with restarts finds the optimum on small instances") {
    std::size_t hits = 0;
    for (unsigned seed = 1; seed <= 6; ++seed) {
        const vf_toy_config c = small(4, 2, 3, seed);
        const brute_result ref = brute_force(c, {});
        vf_toy ev(c);
        rng_type rng(seed);
        const auto r = search::local().search(ev, empty_start, {5000, 0.0}, rng);
        hits += r.value <= ref.best.value * (1 + 1e-12) ? 1 : 0;
    }
    CHECK(hits >= 5);
}

TEST_CASE("search: infeasibility is reported when all-max breaks T_max") {
    search::objective obj;
    obj.t_max_c = 46.0;
    vf_toy_config c = small(4, 2, 3, 1);
    c.t_max_c = 46.0;
    const brute_result ref = brute_force(c, obj);
    rng_type rng(1);
    vf_toy ev(c);
    const auto r = search::exhaustive({obj}).search(ev, empty_start, {100000, 0.0}, rng);
    CHECK(r.reference.peak_temp_c > 46.0);
    REQUIRE_FALSE(ref.any_feasible);
    CHECK_FALSE(r.feasible);
    CHECK(r.violation > 0.0);
    CHECK(r.infeasibility.find("no feasible sequence") != std::string::npos);
    CHECK(r.infeasibility.find("all-max sequence itself breaks T_max") != std::string::npos);
    CHECK(r.violation == doctest::Approx(ref.best.violation));
    // A slowdown of 0 with every level slower than max: only all-max-like sequences are feasible.
    vf_toy ev2(small(4, 2, 3, 2));
    search::objective tight;
    tight.max_slowdown = 0.0;
    const auto r2 = search::greedy({tight}).search(ev2, empty_start, {100000, 0.0}, rng);
    CHECK(r2.feasible);
    CHECK(r2.score.time_s <= r2.reference.time_s * (1 + 1e-12));
}

TEST_CASE("search: budgets and observers") {
    const vf_toy_config big = small(100, 16, 8, 9);
    rng_type rng(2);
    {
        vf_toy ev(big);
        const auto r = search::local().search(ev, empty_start, {500, 0.0}, rng);
        CHECK(r.evaluations <= 500);
        CHECK(r.reason == search::stop_reason::evaluation_budget);
        CHECK(r.feasible);
    }
    {
        vf_toy ev(big);
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = search::local().search(ev, empty_start, {100000000, 0.05}, rng);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        CHECK(r.reason == search::stop_reason::time_budget);
        CHECK(wall < 1.0);
    }
    {
        vf_toy ev(big);
        stop_after obs{37};
        const auto r = search::beam().search(ev, empty_start, {100000, 0.0}, rng, obs);
        CHECK(r.evaluations == 37);
        CHECK(obs.seen == 37);
        CHECK(r.reason == search::stop_reason::observer);
    }
    {
        vf_toy ev(small(6, 2, 3, 1));
        stop_after obs{1000000};
        const auto r = search::greedy().search(ev, empty_start, {100000, 0.0}, rng, obs);
        CHECK(obs.iterations == 6);  // one per interval
        CHECK(r.reason == search::stop_reason::completed);
    }
    vf_toy ev(small(4, 2, 3, 1));
    CHECK_THROWS_AS((void)search::greedy().search(ev, empty_start, {0, 0.0}, rng), invalid_config);
    vf_sequence wrong = vf_sequence::from_shape({3, 2});
    wrong.fill(0);
    CHECK_THROWS_AS((void)search::local().search(ev, wrong, {10, 0.0}, rng), dimension_mismatch);
    CHECK_THROWS_AS((void)search::exhaustive({{}, 10.0}).search(ev, empty_start, {10, 0.0}, rng), invalid_argument);
    CHECK_THROWS_AS(search::beam({{}, 0}), invalid_config);
    CHECK_THROWS_AS(search::local({{}, {1}}), invalid_config);
}

TEST_CASE("search: local improves on greedy on a coupled instance and uses reevaluate") {
    vf_toy_config c = small(40, 4, 6, 3);
    rng_type rng(5);
    vf_toy e1(c), e2(c);
    const auto g = search::greedy().search(e1, empty_start, {100000, 0.0}, rng);
    const auto l = search::local().search(e2, empty_start, {4000, 0.0}, rng);
    CHECK(g.feasible);
    CHECK(l.feasible);
    CHECK(l.value <= g.value * (1 + 1e-12));
    CHECK(l.value < l.reference.edp());
    // Local moves re-simulate only the suffix from the first changed interval.
    CHECK(double(e2.simulated_intervals()) < 0.75 * double(l.evaluations * c.intervals));
}

TEST_CASE("search: bo_guided is feasible, within budget and not worse than its greedy start") {
    for (const auto& c : {small(4, 2, 3, 1), small(24, 4, 5, 2)}) {
        rng_type rng(4);
        vf_toy e1(c), e2(c);
        const auto g = search::greedy().search(e1, empty_start, {100000, 0.0}, rng);
        stop_after obs{1000000};
        const std::size_t budget = g.evaluations + 40;
        const auto r = search::bo_guided().search(e2, empty_start, {budget, 0.0}, rng, obs);
        CHECK(r.feasible);
        CHECK(r.evaluations <= budget);
        CHECK(r.value <= g.value * (1 + 1e-12));
        CHECK(obs.iterations > 0);
        if (c.intervals == 4) CHECK(r.value >= brute_force(c, {}).best.value * (1 - 1e-12));
    }
    CHECK_THROWS_AS(search::bo_guided({{}, 8, 4, 2}), invalid_config);
}

namespace {
/// A two-island environment whose observation carries the interval index.
struct counting_env {
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    dvfs::observation obs;
    std::vector<dvfs::action> taken;
    const dvfs::observation& reset(rng_type&) {
        obs.resize(2);
        obs.interval = 0;
        taken.clear();
        return obs;
    }
    dvfs::step_outcome step(const dvfs::action& a) {
        taken.push_back(a);
        ++obs.interval;
        obs.level.assign(a.begin(), a.end());
        return {1.0, 1.0, 50.0, obs.interval >= 5};
    }
    [[nodiscard]] const dvfs::observation& observe() const { return obs; }
    [[nodiscard]] std::size_t num_islands() const { return 2; }
    [[nodiscard]] std::size_t num_levels(std::size_t) const { return 3; }
};
/// Prefers level (interval + k) mod 3 with probability 0.6 and splits the rest.
struct cyclic_policy {
    void probabilities(const dvfs::observation& o, std::span<double> out) const {
        for (std::size_t k = 0; k < 2; ++k)
            for (std::size_t l = 0; l < 3; ++l) out[k * 3 + l] = l == (o.interval + k) % 3 ? 0.6 : 0.2;
    }
    void act(const dvfs::observation& o, dvfs::action& a) const {
        for (std::size_t k = 0; k < 2; ++k) a[k] = static_cast<level_t>((o.interval + k) % 3);
    }
};
static_assert(ProbabilisticPolicy<cyclic_policy, counting_env>);
}  // namespace

TEST_CASE("search: rollout_probabilities records a policy's probabilities along its own trajectory") {
    counting_env env;
    cyclic_policy pol;
    rng_type rng(1);
    const auto table = search::rollout_probabilities<counting_env>(pol, env, 4, rng);
    REQUIRE(env.taken.size() == 4);
    for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK(env.taken[t][k] == (t + k) % 3);
            std::array<double, 3> p{};
            table(t, k, p);
            CHECK(p[(t + k) % 3] == doctest::Approx(0.6));
            CHECK(p[(t + k + 1) % 3] == doctest::Approx(0.2));
        }
    std::array<double, 3> p{};
    CHECK_THROWS_AS(table(4, 0, p), invalid_argument);
    CHECK_THROWS_AS(search::probability_table(0, 1, 1), invalid_argument);
    // lds around this table's most probable levels evaluates the policy's own sequence first.
    vf_toy ev(small(4, 2, 3, 1));
    stop_after obs{2};
    const auto r = search::lds(table).search(ev, empty_start, {100, 0.0}, rng, obs);
    CHECK(r.evaluations == 2);  // reference + the base sequence
}
