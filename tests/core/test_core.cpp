#include <doctest/doctest.h>

#include <l2s/core.hpp>

using namespace l2s;

TEST_CASE("error family: every error is an l2s::error and a std::runtime_error") {
    CHECK_THROWS_AS(throw invalid_config("l2s::x: bad"), error);
    CHECK_THROWS_AS(throw numerical_error("l2s::x: bad"), std::runtime_error);
    try {
        throw dimension_mismatch("l2s::gp::exact_gp::fit: X has size 2, expected 3");
    } catch (const error& e) {
        CHECK(std::string(e.what()).rfind("l2s::gp::exact_gp::fit:", 0) == 0);
    }
}

TEST_CASE("checks throw typed errors naming the caller") {
    vec x(3);
    x << 1.0, std::nan(""), 2.0;
    CHECK_THROWS_AS(require_finite("l2s::t", "x", x), non_finite_observation);
    CHECK_NOTHROW(require_finite("l2s::t", "x", vec::Ones(3)));
    CHECK_THROWS_WITH_AS(require_size("l2s::t", "y", 2, 3), "l2s::t: y has size 2, expected 3", dimension_mismatch);
    CHECK_THROWS_AS(require_config(false, "l2s::t", "alpha", "in (0, 1)", 2.0), invalid_config);
    CHECK_THROWS_AS(require_finite("l2s::t", "v", std::numeric_limits<double>::infinity()), non_finite_observation);
}

TEST_CASE("L2S_ASSERT throws precondition_error when enabled") {
    CHECK_THROWS_AS(L2S_ASSERT(1 + 1 == 3, "l2s::t: arithmetic"), precondition_error);
    CHECK_NOTHROW(L2S_ASSERT(1 + 1 == 2, "l2s::t: arithmetic"));
}

namespace {
struct counting {
    int events = 0, iterations = 0;
    void on_numerical_event(const numerical_event&) { ++events; }
    control on_iteration(int i) { ++iterations; return i >= 2 ? control::stop : control::proceed; }
};
struct silent {
    void on_start() {}
};
}  // namespace

TEST_CASE("observers: optional hooks, stop requests") {
    static_assert(Observer<counting>);
    static_assert(Observer<silent>);
    static_assert(!Observer<int>);
    counting c;
    silent s;
    event_log log;
    notify(numerical_event{"l2s::t", numerical_event_kind::jitter_added, 1e-8, "jitter"}, c, s, log);
    CHECK(c.events == 1);
    REQUIRE(log.events.size() == 1);
    CHECK(log.events[0].value == doctest::Approx(1e-8));
    auto call = [](int i) {
        return [i](auto& o) {
            if constexpr (requires { o.on_iteration(i); }) return o.on_iteration(i);
        };
    };
    CHECK(notify_each(call(1), c, s) == control::proceed);
    CHECK(notify_each(call(2), c, s) == control::stop);
    CHECK(c.iterations == 2);
}

TEST_CASE("prediction types") {
    prediction p{1.0, 0.25, 0.01};
    CHECK(p.noisy_variance() == doctest::Approx(0.26));
    batch_prediction b{vec::Ones(2), vec::Constant(2, 0.5), 0.1};
    CHECK(b.size() == 2);
    CHECK(b.noisy_variance()(1) == doctest::Approx(0.6));
    CHECK(b.at(0).variance == doctest::Approx(0.5));
    vf_sequence y = xt::zeros<level_t>({4, 2});
    CHECK(y.shape()[0] == 4);
}
