// tests/learn/test_trainers.cpp: datasets, softmax-linear / MLP / CART trainers, gradients, errors.
#include <doctest/doctest.h>

#include <random>

#include <l2s/learn.hpp>

#include "support/fd_gradient.hpp"

using namespace l2s;

namespace {

/// n samples, K islands, 32 standard-normal features; label(x) = rule(x) for each island.
template <class Rule>
learn::dataset synthetic(std::size_t n, std::size_t K, std::size_t L, rng_type& rng, Rule rule) {
    learn::dataset d(std::vector<std::size_t>(K, L));
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> f(K * 32);
    std::vector<level_t> y(K);
    for (std::size_t i = 0; i < n; ++i) {
        for (auto& x : f) x = g(rng);
        for (std::size_t k = 0; k < K; ++k) {
            f[k * 32 + 5] = 3.0 * f[k * 32 + 5] + 10.0;  // an offset, scaled feature: the scaler must handle it
            y[k] = static_cast<level_t>(rule(std::span<const double>(f.data() + k * 32, 32)));
        }
        d.append(f, y);
    }
    return d;
}

/// Linearly separable with margin: argmax of three fixed linear scores.
int linear_rule(std::span<const double> x) {
    const double s[3] = {x[0] + 0.5 * x[1], -x[0] + x[2], 0.3 * (x[5] - 10.0) - x[1]};
    return int(std::max_element(s, s + 3) - s);
}
int xor_rule(std::span<const double> x) { return (x[0] > 0.0) != (x[1] > 0.0) ? 1 : 0; }
/// XOR of two parallel half-spaces (a band |x0| < 0.67): not linearly separable, and unlike the
/// two-feature XOR its first split already lowers the Gini impurity, so greedy CART finds it.
int band_rule(std::span<const double> x) { return (x[0] > -0.67) != (x[0] > 0.67) ? 1 : 0; }

}  // namespace

TEST_CASE("dataset: append, merge, split and tensors; bad input is a typed error, dataset unchanged") {
    rng_type rng(1);
    auto d = synthetic(100, 2, 3, rng, linear_rule);
    CHECK(d.size() == 100);
    auto t = d.feature_tensor();
    CHECK(t.shape()[0] == 100);
    CHECK(t.shape()[1] == 2);
    CHECK(t.shape()[2] == 32);
    CHECK(t(7, 1, 3) == d.features(7, 1)[3]);
    CHECK(d.label_tensor()(9, 1) == d.label(9, 1));
    auto [a, b] = d.split(0.7, rng);
    CHECK(a.size() == 70);
    CHECK(b.size() == 30);
    a.merge(b);
    CHECK(a.size() == 100);
    double sa = 0.0, sd = 0.0;
    for (std::size_t i = 0; i < 100; ++i) {
        sa += a.features(i, 0)[0];
        sd += d.features(i, 0)[0];
    }
    CHECK(sa == doctest::Approx(sd));

    std::vector<double> f(64, 0.0);
    std::vector<level_t> y{0, 1};
    f[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(d.append(f, y), non_finite_observation);
    f[3] = 0.0;
    y[1] = 3;
    CHECK_THROWS_AS(d.append(f, y), invalid_argument);
    y[1] = 0;
    CHECK_THROWS_AS(d.append(std::span<const double>(f.data(), 63), y), dimension_mismatch);
    CHECK_THROWS_AS(d.append(f, std::span<const level_t>(y.data(), 1)), dimension_mismatch);
    CHECK(d.size() == 100);
    learn::dataset other({3, 3, 3});
    CHECK_THROWS_AS(d.merge(other), dimension_mismatch);
    CHECK_THROWS_AS((void)d.split(1.5, rng), invalid_argument);
    CHECK_THROWS_AS(learn::dataset({}), invalid_argument);

    learn::dataset empty({3, 3});
    CHECK_THROWS_AS(learn::train_softmax_linear(empty), invalid_argument);
    CHECK_THROWS_AS(learn::train_mlp(empty), invalid_argument);
    CHECK_THROWS_AS(learn::train_cart(empty), invalid_argument);
    learn::dataset narrow({3}, 8);
    narrow.append(std::vector<double>(8, 0.0), std::vector<level_t>{1});
    CHECK_THROWS_AS(learn::train_softmax_linear(narrow), dimension_mismatch);
    CHECK_THROWS_AS(learn::train_softmax_linear(d, {.l2 = -1.0}), invalid_config);
    CHECK_THROWS_AS(learn::train_mlp(d, {.learning_rate = 0.0}), invalid_config);
    CHECK_THROWS_AS(learn::train_mlp(d, {.hidden = {0}}), invalid_config);
    CHECK_THROWS_AS(learn::train_cart(d, {.laplace_alpha = 0.0}), invalid_config);
}

TEST_CASE("softmax_objective: gradient matches central differences") {
    rng_type rng(2);
    std::normal_distribution<double> g(0.0, 1.0);
    mat X(6, 40);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = g(rng);
    std::vector<int> y(40);
    vec w(40);
    for (std::size_t i = 0; i < 40; ++i) {
        y[i] = int(rng() % 4);
        w(Eigen::Index(i)) = 0.5 + double(i % 3);
    }
    learn::softmax_objective obj(X, y, w, 4, 0.1);
    vec th(obj.num_params());
    for (Eigen::Index i = 0; i < th.size(); ++i) th(i) = 0.3 * g(rng);
    vec grad;
    obj(th, &grad);
    const vec fd = test::fd_gradient([&](const vec& t) { return obj(t, nullptr); }, th);
    CHECK((grad - fd).lpNorm<Eigen::Infinity>() < 1e-7);
}

TEST_CASE("mlp_loss: backpropagated gradient matches central differences") {
    rng_type rng(3);
    std::normal_distribution<double> g(0.0, 1.0);
    auto rnd = [&](Eigen::Index r, Eigen::Index c) {
        mat m(r, c);
        for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = 0.7 * g(rng);
        return m;
    };
    policy::mlp_head net{{rnd(5, 4), rnd(3, 5), rnd(3, 3)}, {rnd(5, 1), rnd(3, 1), rnd(3, 1)}};
    const mat X = rnd(4, 25);
    std::vector<int> y(25);
    for (auto& v : y) v = int(rng() % 3);
    const vec w = vec::LinSpaced(25, 0.5, 2.0);
    policy::mlp_head grad;
    learn::mlp_loss(net, X, y, w, 0.05, &grad);
    // flatten all parameters, perturb each through a copy
    auto flat = [](const policy::mlp_head& n) {
        std::vector<double> v;
        for (std::size_t i = 0; i < n.weights.size(); ++i) {
            v.insert(v.end(), n.weights[i].data(), n.weights[i].data() + n.weights[i].size());
            v.insert(v.end(), n.biases[i].data(), n.biases[i].data() + n.biases[i].size());
        }
        return vec(Eigen::Map<vec>(v.data(), Eigen::Index(v.size())));
    };
    auto unflat = [&](const vec& t) {
        policy::mlp_head n = net;
        Eigen::Index o = 0;
        for (std::size_t i = 0; i < n.weights.size(); ++i) {
            std::copy_n(t.data() + o, n.weights[i].size(), n.weights[i].data());
            o += n.weights[i].size();
            std::copy_n(t.data() + o, n.biases[i].size(), n.biases[i].data());
            o += n.biases[i].size();
        }
        return n;
    };
    const vec fd = test::fd_gradient([&](const vec& t) { return learn::mlp_loss(unflat(t), X, y, w, 0.05, nullptr); },
                                     flat(net));
    CHECK((flat(grad) - fd).lpNorm<Eigen::Infinity>() < 1e-6);
}

TEST_CASE("trainers: separable data is learned to high accuracy by every model") {
    rng_type rng(4);
    auto train = synthetic(600, 2, 3, rng, linear_rule);
    auto test = synthetic(400, 2, 3, rng, linear_rule);
    learn::training_report rep;
    auto sl = learn::train_softmax_linear(train, {}, &rep);
    CHECK(rep.final_loss.size() == 1);  // identical islands share one head
    CHECK(learn::accuracy(sl, train) > 0.97);
    CHECK(learn::accuracy(sl, test) > 0.93);
    auto cfg = learn::mlp_trainer_config::article_1x5();
    cfg.epochs = 60;
    auto m = learn::train_mlp(train, cfg);
    CHECK(learn::accuracy(m, test) > 0.9);
    auto tree = learn::train_cart(train);
    CHECK(tree.heads()[0].depth() <= 8);
    CHECK(learn::accuracy(tree, train) > 0.9);
    CHECK(learn::accuracy(tree, test) > 0.75);
    // per-island heads
    auto sl2 = learn::train_softmax_linear(train, {.layout = {.share_heads = false}}, &rep);
    CHECK(rep.final_loss.size() == 2);
    CHECK(learn::accuracy(sl2, test) > 0.9);
}

TEST_CASE("trainers: XOR-like data is learned by the MLP and CART but not by softmax-linear") {
    rng_type rng(5);
    auto train = synthetic(3000, 1, 2, rng, xor_rule);
    auto test = synthetic(400, 1, 2, rng, xor_rule);
    const double lin = learn::accuracy(learn::train_softmax_linear(train), test);
    auto cfg = learn::mlp_trainer_config::article_2x20();
    const double mlp_acc = learn::accuracy(learn::train_mlp(train, cfg), test);
    MESSAGE("XOR test accuracy: softmax-linear " << lin << ", mlp 2x20 " << mlp_acc);
    CHECK(lin < 0.65);
    CHECK(mlp_acc > 0.9);

    auto btrain = synthetic(1000, 1, 2, rng, band_rule);
    auto btest = synthetic(400, 1, 2, rng, band_rule);
    const double blin = learn::accuracy(learn::train_softmax_linear(btrain), btest);
    auto c5 = learn::mlp_trainer_config::article_1x5();
    const double bmlp = learn::accuracy(learn::train_mlp(btrain, c5), btest);
    const double btree = learn::accuracy(learn::train_cart(btrain, {.max_depth = 4}), btest);
    MESSAGE("band test accuracy: softmax-linear " << blin << ", mlp 1x5 " << bmlp << ", cart " << btree);
    CHECK(blin < 0.65);
    CHECK(bmlp > 0.9);
    CHECK(btree > 0.95);
}

TEST_CASE("trainers: fixed seeds give identical weights, other seeds differ") {
    rng_type rng(6);
    auto d = synthetic(200, 2, 3, rng, linear_rule);
    learn::mlp_trainer_config c;
    c.hidden = {8};
    c.epochs = 5;
    c.batch_size = 32;
    auto a = learn::train_mlp(d, c), b = learn::train_mlp(d, c);
    c.seed = 1;
    auto e = learn::train_mlp(d, c);
    CHECK(a.heads()[0].weights[0] == b.heads()[0].weights[0]);
    CHECK(a.heads()[0].weights[1] == b.heads()[0].weights[1]);
    CHECK(a.heads()[0].weights[0] != e.heads()[0].weights[0]);
    auto s1 = learn::train_softmax_linear(d), s2 = learn::train_softmax_linear(d);
    CHECK(s1.heads()[0].weights == s2.heads()[0].weights);
    auto t1 = learn::train_cart(d), t2 = learn::train_cart(d);
    CHECK(t1.heads()[0].threshold == t2.heads()[0].threshold);
    CHECK(t1.heads()[0].probs == t2.heads()[0].probs);
}

TEST_CASE("cart: Laplace-smoothed leaves and a closed-form split") {
    // one informative feature: label 1 iff x0 > 0.5; depth 1 must split there with smoothed leaves
    learn::dataset d({2});
    std::vector<double> f(32, 0.0);
    for (int i = 0; i < 10; ++i) {
        f[0] = double(i) / 10.0;
        d.append(f, std::vector<level_t>{level_t(f[0] > 0.5)});
    }
    auto t = learn::train_cart(d, {.max_depth = 1, .laplace_alpha = 1.0});
    const auto& h = t.heads()[0];
    REQUIRE(h.size() == 3);
    CHECK(h.feature[0] == 0);
    // six zeros (0.0 … 0.5) on the left → (6 + 1) / (6 + 2)
    CHECK(h.probs(0, h.left[0]) == doctest::Approx(7.0 / 8.0));
    CHECK(h.probs(1, h.right[0]) == doctest::Approx(5.0 / 6.0));
    CHECK(learn::accuracy(t, d) == 1.0);
}

TEST_CASE("cost-sensitive training weights samples by their cost spread") {
    // two conflicting groups with identical features: the costlier mistakes win
    learn::dataset d({2});
    std::vector<double> f(32, 0.0);
    for (int i = 0; i < 30; ++i) {
        f[1] = (i % 2) ? 1e-3 : -1e-3;  // keep a non-constant feature
        const bool cheap = i < 20;       // 20 samples say level 0 with small regret, 10 say level 1 with large
        std::vector<double> c = cheap ? std::vector<double>{0.0, 0.1} : std::vector<double>{5.0, 0.0};
        d.append(f, std::vector<level_t>{level_t(cheap ? 0 : 1)}, c);
    }
    auto plain = learn::train_softmax_linear(d, {.l2 = 1e-1});
    auto weighted = learn::train_softmax_linear(d, {.l2 = 1e-1, .cost_weighted = true});
    std::array<double, 256> p{};
    plain.feature_probabilities(d.features(0, 0), 0, p.data());
    CHECK(p[0] > 0.5);
    weighted.feature_probabilities(d.features(0, 0), 0, p.data());
    CHECK(p[1] > 0.5);
}

TEST_CASE("trained policies see at decision time exactly the features they were trained on") {
    // record features with a separate feature map along a trajectory (as dagger does), train, then
    // replay the trajectory through the policy: probabilities from observations == from stored features
    policy::feature_map fm(3, {4, 4, 4});
    auto st = fm.make_state();
    learn::dataset d({4, 4, 4});
    std::vector<dvfs::observation> traj;
    rng_type rng(9);
    std::normal_distribution<double> g(0.0, 1.0);
    dvfs::observation o;
    o.resize(3);
    o.num_intervals = 40;
    o.interval_time_s = 1e-3;
    std::vector<double> f(3 * 32);
    for (std::size_t t = 0; t < 40; ++t) {
        o.interval = t;
        for (std::size_t k = 0; k < 3; ++k) {
            o.utilisation[k] = 0.5 + 0.3 * g(rng);
            o.ipc[k] = 1.0 + 0.2 * g(rng);
            o.temp_c[k] = 60.0 + 5.0 * g(rng);
            o.level[k] = level_t(t % 4);
        }
        const auto chip = fm.summarise(o);
        std::vector<level_t> y(3);
        for (std::size_t k = 0; k < 3; ++k) {
            fm.extract(o, st, chip, k, std::span<double>(f.data() + k * 32, 32));
            y[k] = level_t(o.utilisation[k] > 0.5 ? 3 : 0);
        }
        fm.commit(o, st);
        d.append(f, y);
        traj.push_back(o);
    }
    auto p = learn::train_softmax_linear(d);
    CHECK(learn::accuracy(p, d) > 0.9);
    std::vector<double> pr(12);
    dvfs::action a(3);
    std::array<double, 256> q{};
    for (std::size_t t = 0; t < traj.size(); ++t) {
        p.probabilities(traj[t], pr);
        for (std::size_t k = 0; k < 3; ++k) {
            p.feature_probabilities(d.features(t, k), k, q.data());
            for (std::size_t l = 0; l < 4; ++l) CHECK(pr[k * 4 + l] == q[l]);
        }
        p.act(traj[t], a);
    }
}

TEST_CASE("trainers: the article's MLP settings, full length, are reproducible and accurate" * doctest::test_suite("slow")) {
    rng_type rng(10);
    auto train = synthetic(2000, 2, 3, rng, linear_rule);
    auto test = synthetic(500, 2, 3, rng, linear_rule);
    for (const auto& cfg : {learn::mlp_trainer_config::article_2x20(), learn::mlp_trainer_config::article_1x5()}) {
        auto a = learn::train_mlp(train, cfg), b = learn::train_mlp(train, cfg);
        for (std::size_t i = 0; i < a.heads()[0].weights.size(); ++i)
            CHECK(a.heads()[0].weights[i] == b.heads()[0].weights[i]);
        const double acc = learn::accuracy(a, test);
        MESSAGE("hidden " << cfg.hidden.size() << " x " << cfg.hidden[0] << ": held-out accuracy " << acc);
        CHECK(acc > 0.93);
    }
}

TEST_CASE("feature sets: the extended set's quadratic terms make an XOR of two signals linear for softmax") {
    // label = [(u − 0.5)(ipc − 1) > 0] = [u·ipc − u − 0.5·ipc + 0.5 > 0]: linear in (u·ipc, u, ipc), which
    // the extended set has (features 0, 1, 81) and the standard set does not
    auto record = [](policy::feature_set set, std::size_t n, std::uint64_t seed) {
        const policy::feature_map fm(2, {2, 2}, {.set = set});
        auto st = fm.make_state();
        learn::dataset d({2, 2}, fm.num_features());
        rng_type rng(seed);
        std::uniform_real_distribution<double> u01(0.0, 1.0);
        dvfs::observation o;
        o.resize(2);
        o.interval_time_s = 1e-3;
        std::vector<double> f(2 * fm.num_features());
        std::vector<level_t> y(2);
        for (std::size_t t = 0; t < n; ++t) {
            o.interval = t;
            for (std::size_t k = 0; k < 2; ++k) {
                o.utilisation[k] = u01(rng);
                o.ipc[k] = 2.0 * u01(rng);
                y[k] = level_t((o.utilisation[k] - 0.5) * (o.ipc[k] - 1.0) > 0.0 ? 1 : 0);
            }
            fm.extract_all(o, st, f);
            fm.commit(o, st);
            d.append(f, y);
        }
        return d;
    };
    double acc[2];
    int i = 0;
    for (auto set : {policy::feature_set::standard, policy::feature_set::extended}) {
        const auto train = record(set, 2000, 1), test = record(set, 500, 2);
        learn::softmax_trainer_config c;
        c.layout.features.set = set;
        c.l2 = 1e-4;
        acc[i++] = learn::accuracy(learn::train_softmax_linear(train, c), test);
        if (set == policy::feature_set::extended) {  // trained with the wrong set named: a typed error
            CHECK_THROWS_WITH_AS((void)learn::train_softmax_linear(train), doctest::Contains("dataset has 128 features"),
                                 dimension_mismatch);
            learn::mlp_trainer_config mc = learn::mlp_trainer_config::article_1x5();
            mc.layout.features.set = set;
            mc.epochs = 20;
            CHECK(learn::train_mlp(train, mc).num_features() == 128);
            learn::cart_trainer_config cc;
            cc.layout.features.set = set;
            CHECK(learn::train_cart(train, cc).num_features() == 128);
        }
    }
    MESSAGE("XOR of two signals, softmax test accuracy: standard " << acc[0] << ", extended " << acc[1]);
    CHECK(acc[0] < 0.7);
    CHECK(acc[1] > 0.95);
}
