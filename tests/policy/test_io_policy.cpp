// tests/policy/test_io_policy.cpp: JSON save/load of every policy kind: bit-identical decisions, typed errors.
#include <doctest/doctest.h>

#include <filesystem>

#include <l2s/io/policy.hpp>

#include "make_policies.hpp"
#include "test_env.hpp"

using namespace l2s;

namespace {

/// Runs two copies of a policy side by side over a trajectory; probabilities and actions must be equal bit for bit.
template <class A, class B>
void check_identical(A a, B b, std::size_t K) {
    test::walk_env env(K, 8, 40);
    rng_type rng(11);
    const dvfs::observation* o = &env.reset(rng);
    std::vector<double> pa(K * a.max_levels()), pb(K * b.max_levels());
    dvfs::action xa(K), xb(K);
    for (int t = 0; t < 40; ++t) {
        a.probabilities(*o, pa);
        b.probabilities(*o, pb);
        CHECK(pa == pb);
        a.act(*o, xa);
        b.act(*o, xb);
        CHECK(xa == xb);
        if (env.step(xa).done) break;
        o = &env.observe();
    }
}

template <class P>
void round_trip(const P& p, std::size_t K) {
    const std::string text = io::save_policy(p);
    auto q = io::load_policy<P>(text);
    check_identical(p, q, K);
    CHECK(io::save_policy(q) == text);
    auto any = io::load_any_policy(text);
    CHECK(any.kind() == std::string(P::kind));
    check_identical(p, any, K);
    CHECK(io::save_policy(any) == text);  // an any_policy saves what it holds
}

}  // namespace

TEST_CASE("io::policy: save/load round trips give bit-identical decisions for every kind and scalar") {
    rng_type rng(1);
    round_trip(test::random_softmax<double>(4, 8, rng), 4);
    round_trip(test::random_softmax<float>(4, 8, rng, false), 4);
    round_trip(test::random_mlp<double>(4, 8, rng, {20, 20}), 4);
    round_trip(test::random_mlp<float>(4, 8, rng, {5}), 4);
    round_trip(test::random_tree<double>(4, 8, rng, 5), 4);
    round_trip(test::random_tree<float>(4, 8, rng, 3, false), 4);
    round_trip(policy::fixed_level({1, 7, 3, 0}, {8, 8, 8, 8}), 4);
}

TEST_CASE("io::policy: files round trip; unreadable paths are io_error") {
    rng_type rng(2);
    const auto p = test::random_mlp(2, 8, rng);
    const auto file = std::filesystem::temp_directory_path() / "l2s_test_policy_io.json";
    io::save_policy(p, file);
    check_identical(p, io::load_policy_file<policy::mlp<double>>(file), 2);
    std::filesystem::remove(file);
    CHECK_THROWS_AS((void)io::load_policy_file<policy::mlp<double>>(file), io_error);
    CHECK_THROWS_AS(io::save_policy(p, std::filesystem::path("/nonexistent-dir/x/p.json")), io_error);
}

TEST_CASE("io::policy: malformed documents, other schemas, versions, kinds and shapes are io_error") {
    rng_type rng(3);
    const auto p = test::random_softmax(2, 8, rng);
    const auto good = io::policy_to_json(p);
    auto bad = [&](auto edit) {
        auto j = good;
        edit(j);
        return j.dump();
    };
    using S = policy::softmax_linear<double>;
    CHECK_THROWS_AS((void)io::load_policy<S>("{not json"), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(good.dump().substr(0, 100)), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>("[]"), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["schema"] = "other"; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["version"] = 2; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j.erase("version"); })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<policy::mlp<double>>(good.dump()), io_error);
    CHECK_THROWS_AS((void)io::load_policy<policy::softmax_linear<float>>(good.dump()), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["heads"][0]["weights"]["rows"] = 7; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["heads"][0]["bias"] = {1.0, 2.0}; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["heads"].push_back(j["heads"][0]); })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["layout"]["scaler"]["mean"][0] = "x"; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["layout"]["scaler"]["scale"][0] = -1.0; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["layout"]["num_features"] = 16; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["layout"]["head_of_island"] = {0}; })), io_error);
    CHECK_THROWS_AS((void)io::load_policy<S>(bad([](auto& j) { j["layout"].erase("scaler"); })), io_error);
    CHECK_THROWS_AS((void)io::load_any_policy(bad([](auto& j) { j["kind"] = "mystery"; })), io_error);
    CHECK_THROWS_AS((void)io::load_any_policy(bad([](auto& j) { j["scalar"] = "half"; })), io_error);
    CHECK_THROWS_AS((void)io::save_policy(policy::any_policy{}), io_error);
    const auto t = io::policy_to_json(test::random_tree(2, 8, rng, 3));
    auto jt = t;
    jt["heads"][0]["left"][0] = 0;  // a cycle
    CHECK_THROWS_AS((void)io::load_policy<policy::cart_tree<double>>(jt.dump()), io_error);
    auto jf = io::policy_to_json(policy::fixed_level({1}, {4}));
    jf["levels"] = {9};
    CHECK_THROWS_AS((void)io::load_policy<policy::fixed_level>(jf.dump()), io_error);
}
