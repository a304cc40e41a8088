#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include <acquisition/reference_gp.hpp>
#include <l2s/acquisition.hpp>
#include <l2s/bo.hpp>
#include <l2s/opt.hpp>
#include <l2s/problems.hpp>
#include <l2s/space.hpp>

using namespace l2s;

TEST_CASE("bo designs: in the space, stratified, snapped and duplicate-free on grids") {
    rng_type rng(1);
    const space::box b(3);
    for (auto kind : {bo::design_kind::random, bo::design_kind::latin_hypercube, bo::design_kind::sobol}) {
        const mat X = bo::make_design(kind, b, 16, rng);
        CHECK(X.cols() == 16);
        for (Eigen::Index j = 0; j < X.cols(); ++j) CHECK(b.contains(X.col(j)));
        if (kind != bo::design_kind::random) {
            // One point per 1/16 stratum in each coordinate.
            for (Eigen::Index i = 0; i < 3; ++i) {
                std::set<int> strata;
                for (Eigen::Index j = 0; j < 16; ++j) strata.insert(static_cast<int>(X(i, j) * 16));
                CHECK(strata.size() == 16);
            }
        }
    }
    const space::vf_space s(2, 3);  // 9 points
    const mat G = bo::make_design(bo::design_kind::sobol, s, 9, rng);
    std::set<std::pair<double, double>> seen;
    for (Eigen::Index j = 0; j < 9; ++j) {
        CHECK(s.contains(G.col(j)));
        seen.insert({G(0, j), G(1, j)});
    }
    CHECK(seen.size() == 9);
    // Different seeds give different Sobol designs (random digital shift); the same seed the same one.
    rng_type a(5), c(5), e(6);
    CHECK(bo::make_design(bo::design_kind::sobol, b, 4, a) == bo::make_design(bo::design_kind::sobol, b, 4, c));
    CHECK(bo::make_design(bo::design_kind::sobol, b, 4, a) != bo::make_design(bo::design_kind::sobol, b, 4, e));
}

TEST_CASE("bo::optimizer: tell rejects bad input with typed errors and leaves the state unchanged") {
    auto o = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 3});
    rng_type rng(2);
    for (int i = 0; i < 4; ++i) {
        const vec x = o.ask(rng);
        o.tell(x, problems::branin{}(x));
    }
    const auto before = o.state();
    vec good(2);
    good << 1.0, 1.0;
    CHECK_THROWS_AS(o.tell(good, std::numeric_limits<double>::quiet_NaN()), non_finite_observation);
    CHECK_THROWS_AS(o.tell(good, std::numeric_limits<double>::infinity()), non_finite_observation);
    CHECK_THROWS_AS(o.tell(vec::Ones(3), 1.0), dimension_mismatch);
    vec bad(2);
    bad << 1.0, std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(o.tell(bad, 1.0), non_finite_observation);
    vec outside(2);
    outside << 20.0, 1.0;
    CHECK_THROWS_AS(o.tell(outside, 1.0), invalid_argument);
    CHECK_THROWS_AS(o.tell(good, 1.0, vec::Ones(1)), dimension_mismatch);
    mat Xb(2, 2);
    Xb << 1.0, 2.0, 1.0, 2.0;
    vec yb(2);
    yb << 1.0, std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(o.tell(Xb, yb), non_finite_observation);  // batch: nothing added
    const auto after = o.state();
    CHECK(after.X == before.X);
    CHECK(after.y == before.y);
    CHECK(after.theta == before.theta);
    CHECK(o.model().size() == 4);
    CHECK_THROWS_AS((void)o.ask_batch(0, rng), invalid_argument);
    CHECK_THROWS_AS(bo::make_default_optimizer(space::box(2), {.initial_points = 0}), invalid_config);
}

TEST_CASE("bo::optimizer: a restored state makes the same suggestions for the same seed") {
    auto run_some = [](auto& o, rng_type& rng, int n) {
        for (int i = 0; i < n; ++i) {
            const vec x = o.ask(rng);
            o.tell(x, problems::branin{}(x));
        }
    };
    SUBCASE("continuous box, multistart, relearning") {
        auto a = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 5, .relearn_every = 3});
        rng_type rng(11);
        run_some(a, rng, 12);
        const vec pending = a.ask(rng);  // one pending point is part of the state
        auto b = bo::make_default_optimizer(problems::branin::domain());
        b.restore(a.state());
        CHECK(b.state().pending == a.state().pending);
        rng_type ra(99), rb(99);
        for (int i = 0; i < 3; ++i) {
            const vec xa = a.ask(ra), xb = b.ask(rb);
            CHECK(xa == xb);
            a.tell(xa, problems::branin{}(xa));
            b.tell(xb, problems::branin{}(xb));
        }
        CHECK(pending.size() == 2);
    }
    SUBCASE("finite grid, exhaustive") {
        const space::grid g = space::grid::uniform(2, 15);
        auto f = [](const vec& u) { return problems::branin{}(problems::branin::domain().from_unit(u)); };
        auto a = bo::make_default_optimizer(g, {.initial_points = 4});
        rng_type rng(12);
        for (int i = 0; i < 8; ++i) {
            const vec x = a.ask(rng);
            a.tell(x, f(x));
        }
        auto b = bo::make_default_optimizer(g);
        b.restore(a.state());
        rng_type ra(7), rb(7);
        CHECK(a.ask_batch(3, ra) == b.ask_batch(3, rb));
    }
    SUBCASE("bad states are rejected and leave the optimizer unchanged") {
        auto a = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 3});
        rng_type rng(13);
        run_some(a, rng, 4);
        auto s = a.state();
        s.y(1) = std::numeric_limits<double>::quiet_NaN();
        CHECK_THROWS_AS(a.restore(s), non_finite_observation);
        s = a.state();
        s.X.conservativeResize(3, s.X.cols());
        CHECK_THROWS_AS(a.restore(s), dimension_mismatch);
        s = a.state();
        s.design_next = 1000;
        CHECK_THROWS_AS(a.restore(s), invalid_argument);
        CHECK(a.size() == 4);
    }
}

TEST_CASE("bo::optimizer: batches by kriging believer are distinct and stay pending until told") {
    const space::vf_space s(3, 6);
    auto f = [](const vec& x) { return (x.array() - 0.4).square().sum(); };
    auto o = bo::make_default_optimizer(s, {.initial_points = 5});
    rng_type rng(3);
    const mat d = o.ask_batch(5, rng);  // the whole design
    CHECK(o.pending().cols() == 5);
    for (Eigen::Index j = 0; j < 5; ++j) o.tell(d.col(j), f(d.col(j)));
    CHECK(o.pending().cols() == 0);
    const mat b = o.ask_batch(4, rng);
    CHECK(o.pending().cols() == 4);
    for (Eigen::Index i = 0; i < 4; ++i)
        for (Eigen::Index j = i + 1; j < 4; ++j) CHECK(b.col(i) != b.col(j));
    o.tell(b.col(2), f(b.col(2)));
    CHECK(o.pending().cols() == 3);
}

TEST_CASE("bo::optimizer: Forrester and a V/F grid reach their optimum quickly") {
    {
        auto o = bo::make_default_optimizer(problems::forrester::domain(), {.initial_points = 4});
        rng_type rng(4);
        const auto r = o.run(problems::forrester{}, 15, rng);
        CHECK(r.best_value - problems::forrester::optimum_value < 1e-3);
    }
    {
        const space::vf_space s(4, 8);
        vec target(4);
        target << 3.0 / 7.0, 5.0 / 7.0, 1.0 / 7.0, 6.0 / 7.0;
        auto f = [&](const vec& x) { return (x - target).squaredNorm() + 0.3 * std::sin(5.0 * x.sum()); };
        double best = std::numeric_limits<double>::infinity();
        for (std::uint64_t i = 0; i < s.size(); ++i) best = std::min(best, f(s.at(i)));
        auto o = bo::make_default_optimizer(s);
        rng_type rng(5);
        const auto r = o.run(f, 40, rng);
        CHECK(r.best_value - best < 0.05);
    }
}

TEST_CASE("bo::optimizer: observers, progress printer, stop criteria") {
    struct counter {
        int starts = 0, evals = 0, finishes = 0;
        void on_start() { ++starts; }
        void on_evaluation(const bo::evaluation&) { ++evals; }
        control on_iteration(const bo::iteration& it) { return it.evaluations >= 7 ? control::stop : control::proceed; }
        void on_finish() { ++finishes; }
    } c;
    std::ostringstream out;
    bo::progress_printer p{&out};
    auto o = bo::make_default_optimizer(problems::forrester::domain(), {.initial_points = 3});
    rng_type rng(6);
    const auto r = o.run(problems::forrester{}, 20, rng, c, p);
    CHECK(r.evaluations == 7);
    CHECK(r.stopped_early);
    CHECK(c.starts == 1);
    CHECK(c.evals == 7);
    CHECK(c.finishes == 1);
    CHECK(out.str().find("[design]") != std::string::npos);
    std::size_t lines = 0;
    for (char ch : out.str()) lines += ch == '\n';
    CHECK(lines >= 7);

    auto t = bo::make_default_optimizer(problems::forrester::domain(), {.initial_points = 3, .target_value = 0.0});
    const auto rt = t.run(problems::forrester{}, 30, rng);
    CHECK(rt.best_value <= 0.0);
    CHECK(rt.evaluations < 30);
    CHECK_THROWS_AS((void)bo::make_default_optimizer(space::box(1)).best_x(), not_ready);
}

TEST_CASE("bo::optimizer: constrained minimisation finds the best feasible point") {
    // Minimise x0 + x1 on a 12 × 12 grid subject to g = 1 − (x0² + x1²)·2 ≤ 0 (outside a quarter disc).
    const space::grid g = space::grid::uniform(2, 12);
    struct outcome {
        double value;
        vec constraints;
    };
    auto f = [](const vec& x) { return outcome{x.sum(), vec::Constant(1, 1.0 - 2.0 * x.squaredNorm())}; };
    double best = std::numeric_limits<double>::infinity();
    for (std::uint64_t i = 0; i < g.size(); ++i)
        if (f(g.at(i)).constraints(0) <= 0.0) best = std::min(best, f(g.at(i)).value);
    auto o = bo::make_default_optimizer(g, {.initial_points = 6, .num_constraints = 1});
    rng_type rng(8);
    const auto r = o.run(f, 30, rng);
    CHECK(o.has_feasible());
    CHECK(f(r.best_x).constraints(0) <= 0.0);
    CHECK(r.best_value - best < 0.1);
}

TEST_CASE("bo::optimizer works with any Surrogate, pointwise or model acquisitions and any inner optimiser") {
    const space::grid g = space::grid::uniform(1, 41);
    auto f = [](const vec& x) { return problems::forrester{}(x); };
    bo::optimizer o(g, test::reference_gp{.length_scale = 0.1}, acquisition::thompson{}, opt::exhaustive{},
                    {.initial_points = 4});
    rng_type rng(9);
    const auto r = o.run(f, 14, rng);
    CHECK(r.best_value < -5.0);
    bo::optimizer u(g, test::reference_gp{.length_scale = 0.1}, acquisition::gp_ucb{}, opt::discrete_local_search{},
                    {.goal = sense::minimize, .initial_points = 4});
    CHECK(u.run(f, 14, rng).best_value < -5.0);
}

TEST_CASE("bo smoke: default optimizer on Branin, 30 evaluations") {
    auto o = bo::make_default_optimizer(problems::branin::domain());
    rng_type rng(10);
    const auto r = o.run(problems::branin{}, 30, rng);
    MESSAGE("Branin regret after 30 evaluations (seed 10): " << r.best_value - problems::branin::optimum_value);
    CHECK(r.best_value - problems::branin::optimum_value < 0.05);
}

TEST_CASE("detail::sobol_sequence: the published first points and the (0, m, 2)-net property") {
    detail::sobol_sequence s(3);
    const double expect[4][3] = {{0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.375, 0.375, 0.625}};
    for (const auto& e : expect) {
        const vec x = s.next();
        for (int j = 0; j < 3; ++j) CHECK(x(j) == e[j]);
    }
    // With the origin, the first 2^m points of dimensions 1-2 put exactly one point in each 2^-a × 2^-(m-a) box.
    detail::sobol_sequence t(2, false);
    std::set<std::pair<int, int>> boxes;
    for (int i = 0; i < 64; ++i) {
        const vec x = t.next();
        boxes.insert({static_cast<int>(x(0) * 8), static_cast<int>(x(1) * 8)});
    }
    CHECK(boxes.size() == 64);
    CHECK_THROWS_AS(detail::sobol_sequence(22), invalid_argument);
    CHECK_THROWS_AS(detail::sobol_sequence(0), invalid_argument);
    CHECK_NOTHROW(detail::sobol_sequence(21).next());
}
