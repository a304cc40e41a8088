// tests/policy/test_policy.cpp: feature map, inference policies, allocation-free decisions, errors.
#include <doctest/doctest.h>

#include <thread>

#include "../support/alloc_counter.hpp"
#include "make_policies.hpp"
#include "test_env.hpp"

using namespace l2s;
using test::walk_env;

static_assert(ProbabilisticPolicy<policy::softmax_linear<double>, walk_env>);
static_assert(ProbabilisticPolicy<policy::softmax_linear<float>, walk_env>);
static_assert(ProbabilisticPolicy<policy::mlp<double>, walk_env>);
static_assert(ProbabilisticPolicy<policy::mlp<float>, walk_env>);
static_assert(ProbabilisticPolicy<policy::cart_tree<double>, walk_env>);
static_assert(ProbabilisticPolicy<policy::cart_tree<float>, walk_env>);
static_assert(ProbabilisticPolicy<policy::fixed_level, walk_env>);
static_assert(ProbabilisticPolicy<policy::any_policy, walk_env>);
static_assert(!ProbabilisticPolicy<int, walk_env>);

namespace {

template <class P>
void check_probabilities_and_act(P& p, std::size_t K, std::size_t L) {
    walk_env env(K, L, 30);
    rng_type rng(7);
    auto obs = env.reset(rng);
    std::vector<double> pr(K * p.max_levels());
    dvfs::action a(K);
    for (int t = 0; t < 20; ++t) {
        p.probabilities(obs, pr);
        for (std::size_t k = 0; k < K; ++k) {
            double s = 0.0;
            std::size_t best = 0;
            for (std::size_t l = 0; l < L; ++l) {
                CHECK(pr[k * L + l] >= 0.0);
                s += pr[k * L + l];
                if (pr[k * L + l] > pr[k * L + best]) best = l;
            }
            CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
            dvfs::action b(K);
            auto copy = p;
            copy.act(obs, b);
            CHECK(std::size_t(b[k]) == best);
        }
        p.act(obs, a);
        for (auto l : a) CHECK(std::size_t(l) < L);
        obs = env.step(a).done ? env.reset(rng) : env.observe();
    }
}

template <class P>
long long allocations_for_decisions(P& p, std::size_t K, int n) {
    walk_env env(K, 8, 1000);
    rng_type rng(3);
    const auto& obs = env.reset(rng);
    std::vector<double> pr(K * p.max_levels());
    dvfs::action a(K);
    const auto before = test::allocations();
    for (int i = 0; i < n; ++i) {
        p.act(obs, a);
        p.probabilities(obs, pr);
    }
    return test::allocations() - before;
}

}  // namespace

TEST_CASE("feature_map: deltas and EWMAs follow their closed forms, interval 0 restarts the history") {
    policy::feature_map fm(2, {4, 4}, {.ewma_alpha = 0.5});
    auto st = fm.make_state();
    dvfs::observation o;
    o.resize(2);
    o.interval_time_s = 1e-3;
    std::array<double, 32> f{};
    const double u[3] = {0.2, 0.6, 0.4};
    double m = u[0];
    for (std::size_t t = 0; t < 3; ++t) {
        o.interval = t;
        o.utilisation = {u[t], 0.0};
        o.level = {3, 1};
        fm.extract(o, st, fm.summarise(o), 0, f);
        if (t > 0) m = 0.5 * u[t] + 0.5 * m;
        CHECK(f[0] == doctest::Approx(u[t]));
        CHECK(f[8] == doctest::Approx(t == 0 ? 0.0 : u[t] - u[t - 1]));
        CHECK(f[16] == doctest::Approx(m));
        CHECK(f[24] == doctest::Approx(1.0));
        CHECK(f[29] == doctest::Approx((u[t] + 0.0) / 2.0));
        fm.commit(o, st);
    }
    o.interval = 0;
    fm.extract(o, st, fm.summarise(o), 0, f);
    CHECK(f[8] == 0.0);
    CHECK(f[16] == doctest::Approx(u[2]));
    fm.extract(o, st, fm.summarise(o), 1, f);
    CHECK(f[24] == doctest::Approx(1.0 / 3.0));
    CHECK_THROWS_AS(policy::feature_map(2, {4, 4}, {.ewma_alpha = 0.0}), invalid_config);
    CHECK_THROWS_AS(policy::feature_map(0), invalid_config);
    CHECK_THROWS_AS(policy::feature_map(2, {4}), dimension_mismatch);
}

TEST_CASE("policies: probabilities are distributions and act picks their argmax") {
    rng_type rng(1);
    SUBCASE("softmax_linear shared") { auto p = test::random_softmax(16, 8, rng); check_probabilities_and_act(p, 16, 8); }
    SUBCASE("softmax_linear per island") { auto p = test::random_softmax(4, 8, rng, false); check_probabilities_and_act(p, 4, 8); }
    SUBCASE("mlp 2x20") { auto p = test::random_mlp(4, 8, rng, {20, 20}); check_probabilities_and_act(p, 4, 8); }
    SUBCASE("mlp 1x5") { auto p = test::random_mlp(4, 3, rng, {5}); check_probabilities_and_act(p, 4, 3); }
    SUBCASE("cart_tree") { auto p = test::random_tree(4, 8, rng, 6); check_probabilities_and_act(p, 4, 8); }
    SUBCASE("fixed_level") {
        auto p = policy::fixed_level({1, 2, 0}, {3, 3, 3});
        check_probabilities_and_act(p, 3, 3);
    }
    SUBCASE("any_policy") {
        policy::any_policy p = test::random_mlp(4, 8, rng);
        CHECK(p.kind() == "mlp");
        CHECK(p.target<policy::mlp<double>>() != nullptr);
        CHECK(p.target<policy::cart_tree<double>>() == nullptr);
        check_probabilities_and_act(p, 4, 8);
    }
}

TEST_CASE("policies: 10^5 decisions allocate nothing (K = 16, L = 8, F = 32)") {
    rng_type rng(2);
    constexpr int n = 100000;
    {
        auto p = test::random_softmax(16, 8, rng);
        CHECK(allocations_for_decisions(p, 16, n) == 0);
        auto pf = test::random_softmax<float>(16, 8, rng);
        CHECK(allocations_for_decisions(pf, 16, n) == 0);
    }
    {
        auto p = test::random_mlp(16, 8, rng, {32});
        CHECK(allocations_for_decisions(p, 16, n) == 0);
        auto p2 = test::random_mlp<float>(16, 8, rng, {20, 20});
        CHECK(allocations_for_decisions(p2, 16, n) == 0);
    }
    {
        auto p = test::random_tree(16, 8, rng);
        CHECK(allocations_for_decisions(p, 16, n) == 0);
        auto pf = test::random_tree<float>(16, 8, rng);
        CHECK(allocations_for_decisions(pf, 16, n) == 0);
    }
    auto f = policy::fixed_level::max(std::vector<std::size_t>(16, 8));
    CHECK(allocations_for_decisions(f, 16, n) == 0);
}

TEST_CASE("policies: float and double variants agree") {
    rng_type r1(5), r2(5);
    auto pd = test::random_mlp<double>(4, 8, r1, {20, 20});
    auto pf = test::random_mlp<float>(4, 8, r2, {20, 20});
    walk_env env(4, 8, 20);
    rng_type rng(9);
    const auto& obs = env.reset(rng);
    std::vector<double> a(32), b(32);
    pd.probabilities(obs, a);
    pf.probabilities(obs, b);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i] == doctest::Approx(a[i]).epsilon(1e-4));
}

TEST_CASE("policies: NaN, Inf and out-of-range readings are clamped and counted") {
    rng_type rng(4);
    auto p = test::random_softmax(2, 4, rng);
    dvfs::observation o;
    o.resize(2);
    o.interval_time_s = 1e-3;
    dvfs::action a(2);
    p.act(o, a);
    const auto base = p.clamped_inputs();
    o.utilisation[0] = std::numeric_limits<double>::quiet_NaN();
    o.temp_c[1] = 1e30;
    o.ipc[0] = std::numeric_limits<double>::infinity();
    std::vector<double> pr(8);
    p.probabilities(o, pr);
    for (double x : pr) CHECK(std::isfinite(x));
    CHECK(p.clamped_inputs() > base);
    p.act(o, a);
    CHECK(a[0] < 4);
    // an observation with fewer islands than the policy: missing readings count as NaN
    dvfs::observation small;
    small.resize(1);
    const auto c0 = p.clamped_inputs();
    p.act(small, a);
    CHECK(p.clamped_inputs() > c0);
    p.reset_counts();
    CHECK(p.clamped_inputs() == 0);
}

TEST_CASE("policies: const decisions from several threads match serial ones" * doctest::test_suite("concurrency")) {
    rng_type rng(6);
    const auto p = test::random_mlp(16, 8, rng, {20, 20});
    walk_env env(16, 8, 100);
    rng_type r(1);
    std::vector<dvfs::observation> obs;
    obs.push_back(env.reset(r));
    dvfs::action a(16, 3);
    for (int t = 0; t < 40; ++t) {
        env.step(a);
        obs.push_back(env.observe());
    }
    std::vector<std::vector<double>> serial(obs.size(), std::vector<double>(128));
    for (std::size_t i = 0; i < obs.size(); ++i) p.probabilities(obs[i], serial[i]);
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> th;
    for (int w = 0; w < 4; ++w)
        th.emplace_back([&, w] {
            std::vector<double> out(128);
            for (int rep = 0; rep < 200; ++rep)
                for (std::size_t i = 0; i < obs.size(); ++i) {
                    p.probabilities(obs[i], out);
                    if (out != serial[i]) ++mismatches[std::size_t(w)];
                }
        });
    for (auto& t : th) t.join();
    for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("policies: malformed weights and layouts are typed errors") {
    rng_type rng(8);
    auto lay = test::random_layout(4, 8, true);
    using policy::softmax_linear_head;
    CHECK_THROWS_AS(policy::softmax_linear<>(lay, {}), dimension_mismatch);
    CHECK_THROWS_AS(policy::softmax_linear<>(lay, {softmax_linear_head{mat::Zero(7, 32), vec::Zero(7)}}),
                    dimension_mismatch);
    CHECK_THROWS_AS(policy::softmax_linear<>(lay, {softmax_linear_head{mat::Zero(8, 31), vec::Zero(8)}}),
                    dimension_mismatch);
    mat w = mat::Zero(8, 32);
    w(0, 0) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(policy::softmax_linear<>(lay, {softmax_linear_head{w, vec::Zero(8)}}), non_finite_observation);
    auto bad = lay;
    bad.head_of_island = {0, 0, 1};
    CHECK_THROWS_AS(policy::softmax_linear<>(bad, {softmax_linear_head{mat::Zero(8, 32), vec::Zero(8)}}),
                    dimension_mismatch);
    bad = lay;
    bad.scaler.scale[3] = 0.0;
    CHECK_THROWS_AS(policy::softmax_linear<>(bad, {softmax_linear_head{mat::Zero(8, 32), vec::Zero(8)}}),
                    invalid_argument);
    // islands with different L cannot share a head
    policy::island_layout mixed = policy::island_layout::shared(policy::feature_map(2, {4, 8}),
                                                                policy::standard_scaler::identity(32));
    CHECK_THROWS_AS(policy::softmax_linear<>(mixed, {softmax_linear_head{mat::Zero(8, 32), vec::Zero(8)}}),
                    dimension_mismatch);
    policy::mlp_head mh{{mat::Zero(5, 32), mat::Zero(8, 4)}, {vec::Zero(5), vec::Zero(8)}};
    CHECK_THROWS_AS(policy::mlp<>(lay, {mh}), dimension_mismatch);
    auto tree = test::random_tree(4, 8, rng, 2);
    auto th = tree.heads()[0];
    th.left[0] = 0;  // cycle
    CHECK_THROWS_AS(policy::cart_tree<>(lay, {th}), invalid_argument);
    th = tree.heads()[0];
    th.probs(0, 3) += 0.5;  // leaf distribution no longer sums to 1
    CHECK_THROWS_AS(policy::cart_tree<>(lay, {th}), invalid_argument);
    CHECK(tree.heads()[0].depth() == 2);
    CHECK_THROWS_AS(policy::fixed_level({8}, {8}), invalid_argument);
    CHECK_THROWS_AS(policy::fixed_level({1, 2}, {8}), dimension_mismatch);
}

TEST_CASE("softmax_linear::sgd_step: the loss falls at the rate of the squared gradient norm (first order)") {
    static_assert(SgdStepPolicy<policy::softmax_linear<double>>);
    rng_type rng(4);
    auto p = test::random_softmax(3, 5, rng, false);  // one head per island: island losses are separable
    walk_env env(3, 5, 30);
    const auto obs = env.reset(rng);
    const std::vector<level_t> labels{1, 4, 0};
    auto loss = [&](const policy::softmax_linear<double>& q) {
        std::vector<double> pr(3 * 5);
        q.probabilities(obs, pr);
        double l = 0.0;
        for (std::size_t k = 0; k < 3; ++k) l -= std::log(pr[k * 5 + labels[k]]);
        return l;
    };
    // ‖∇‖² = Σ_k ‖p_k − e_y‖² (‖z_k‖² + 1)
    double g2 = 0.0;
    std::vector<double> pr(15);
    p.probabilities(obs, pr);
    for (std::size_t k = 0; k < 3; ++k) {
        std::array<double, policy::feature_map::max_features> z{};
        p.scaled_features(obs, k, z);
        double zz = 1.0, pe = 0.0;
        for (double v : z) zz += v * v;
        for (std::size_t l = 0; l < 5; ++l) pe += std::pow(pr[k * 5 + l] - (l == labels[k] ? 1.0 : 0.0), 2);
        g2 += pe * zz;
    }
    const double before = loss(p), lr = 1e-7;
    auto q = p;
    q.sgd_step(obs, labels, lr);
    CHECK((before - loss(q)) / lr == doctest::Approx(g2).epsilon(1e-3));
    CHECK(q.heads()[0].bias(1) != p.heads()[0].bias(1));  // the saved heads follow
    // larger steps move the argmax to the labels
    for (int i = 0; i < 200; ++i) q.sgd_step(obs, labels, 0.05);
    dvfs::action a(3);
    q.reset();
    q.act(obs, a);
    CHECK(a == dvfs::action{1, 4, 0});
    // ignored: wrong label count, out-of-range label, bad step size
    auto r = p;
    r.sgd_step(obs, std::vector<level_t>{1, 2}, 0.1);
    r.sgd_step(obs, std::vector<level_t>{1, 2, 9}, 0.1);
    r.sgd_step(obs, labels, std::nan(""));
    CHECK(r.heads()[0].weights == p.heads()[0].weights);
}

TEST_CASE("softmax_linear::sgd_step_raw: a step on captured features equals sgd_step under the history of capture") {
    rng_type rng(6);
    auto p = test::random_softmax(3, 5, rng, false);
    walk_env env(3, 5, 30);
    const auto o1 = env.reset(rng);
    dvfs::action a(3);
    p.act(o1, a);  // primes the feature history
    env.step(a);
    const auto o2 = env.observe();
    const std::vector<level_t> labels{2, 0, 4};
    std::vector<double> raw(3 * 32);
    p.raw_features(o2, raw);
    // the same step as sgd_step on o2 with the history of the moment, bit for bit
    auto q = p, r = p;
    q.sgd_step(o2, labels, 0.05);
    r.sgd_step_raw(raw, labels, 0.05);
    for (std::size_t h = 0; h < 3; ++h) {
        CHECK(r.heads()[h].weights == q.heads()[h].weights);
        CHECK(r.heads()[h].bias == q.heads()[h].bias);
    }
    // after the history moves on, sgd_step on o2 sees other features; the captured input does not change
    auto s = p, t = p;
    s.advance(o2);
    t.advance(o2);
    t.sgd_step(o2, labels, 0.05);
    s.sgd_step_raw(raw, labels, 0.05);
    CHECK(s.heads()[0].weights == r.heads()[0].weights);
    CHECK(t.heads()[0].weights != r.heads()[0].weights);
    // ignored: too few features, wrong label count, out-of-range label, bad step size
    auto u = p;
    u.sgd_step_raw(std::span<const double>(raw).first(raw.size() - 1), labels, 0.05);
    u.sgd_step_raw(raw, std::vector<level_t>{1, 2}, 0.05);
    u.sgd_step_raw(raw, std::vector<level_t>{1, 2, 9}, 0.05);
    u.sgd_step_raw(raw, labels, -1.0);
    CHECK(u.heads()[0].weights == p.heads()[0].weights);
}

namespace {
/// Along a trajectory: probabilities() (block path) equal feature_probabilities() on each island's raw
/// features (one island at a time) bit for bit, and act() picks their argmax.
template <class P>
void check_blocks_match_islands(P& p, std::size_t K, std::size_t L, rng_type& rng) {
    const std::size_t F = p.num_features();
    walk_env env(K, L, 40);
    auto obs = env.reset(rng);
    std::vector<double> pr(K * L), raw(K * F);
    std::array<typename P::scalar_type, 256> q{};
    dvfs::action a(K);
    for (int t = 0; t < 25; ++t) {
        p.probabilities(obs, pr);
        p.raw_features(obs, raw);
        for (std::size_t k = 0; k < K; ++k) {
            p.feature_probabilities(std::span<const double>(raw).subspan(k * F, F), k, q.data());
            std::size_t best = 0;
            for (std::size_t l = 0; l < L; ++l) {
                CHECK(pr[k * L + l] == static_cast<double>(q[l]));
                if (q[l] > q[best]) best = l;
            }
            auto copy = p;
            dvfs::action b(K);
            copy.act(obs, b);
            CHECK(std::size_t(b[k]) == best);
        }
        p.act(obs, a);
        obs = env.step(a).done ? env.reset(rng) : env.observe();
    }
}
}  // namespace

TEST_CASE_TEMPLATE("policies: block decisions equal island-by-island ones (13 islands, heads mixed within blocks)", S,
                   double, float) {
    // 13 islands = one full block of 8 and a partial one of 5. Softmax-linear: three heads alternate within
    // each block, so the block path scores every block once per head present; MLP: one head per island.
    const std::size_t K = 13, L = 6;
    for (auto set : {policy::feature_set::compact, policy::feature_set::standard, policy::feature_set::extended}) {
        CAPTURE(policy::to_string(set));
        rng_type rng(21);
        auto lay = test::random_layout(K, L, true, set);
        for (std::size_t k = 0; k < K; ++k) lay.head_of_island[k] = k % 3;
        const auto F = Eigen::Index(lay.features.num_features());
        std::vector<policy::softmax_linear_head> heads(3);
        for (auto& h : heads) h = {test::random_mat(Eigen::Index(L), F, rng, 0.3), test::random_mat(Eigen::Index(L), 1, rng)};
        policy::softmax_linear<S> p(lay, heads);
        check_blocks_match_islands(p, K, L, rng);
        auto m = test::random_mlp<S>(K, L, rng, {20, 5}, false, set);
        check_blocks_match_islands(m, K, L, rng);
        auto c = test::random_tree<S>(K, L, rng, 6, true, set);
        check_blocks_match_islands(c, K, L, rng);
    }
}
