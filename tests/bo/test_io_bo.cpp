#include <doctest/doctest.h>

#include <filesystem>

#include <l2s/bo.hpp>
#include <l2s/io/bo.hpp>
#include <l2s/problems.hpp>
#include <l2s/space.hpp>

using namespace l2s;

namespace {
template <class Opt, class F>
void advance(Opt& o, F f, rng_type& rng, int n) {
    for (int i = 0; i < n; ++i) {
        const vec x = o.ask(rng);
        o.tell(x, f(x));
    }
}
}  // namespace

TEST_CASE("io::save_bo / load_bo: a loaded optimizer makes the same next suggestions for the same seed") {
    const problems::branin f;
    auto a = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 5, .relearn_every = 4, .patience = 9});
    rng_type rng(21);
    advance(a, f, rng, 13);
    (void)a.ask(rng);  // one pending point
    const std::string text = io::save_bo(a);
    auto b = bo::make_default_optimizer(problems::branin::domain());
    io::load_bo(b, text);
    CHECK(b.cfg().patience == 9);
    CHECK(b.cfg().relearn_every == 4);
    CHECK(std::isnan(b.cfg().target_value));
    CHECK(b.state().theta == a.state().theta);  // bit-identical doubles
    CHECK(io::save_bo(b) == text);
    rng_type ra(5), rb(5);
    for (int i = 0; i < 4; ++i) {
        const vec xa = a.ask(ra), xb = b.ask(rb);
        CHECK(xa == xb);
        a.tell(xa, f(xa));
        b.tell(xb, f(xb));
    }
    // Through a file, on a finite V/F space with constraints.
    const space::vf_space s(3, 5);
    auto c = bo::make_default_optimizer(s, {.initial_points = 4, .num_constraints = 1, .target_value = -1.0});
    for (int i = 0; i < 7; ++i) {
        const vec x = c.ask(rng);
        c.tell(x, x.sum(), vec::Constant(1, 0.5 - x(0)));
    }
    const auto path = std::filesystem::temp_directory_path() / "l2s_test_io_bo.json";
    io::save_bo_file(c, path);
    auto d = bo::make_default_optimizer(s);
    io::load_bo_file(d, path);
    std::filesystem::remove(path);
    CHECK(d.cfg().num_constraints == 1);
    CHECK(d.cfg().target_value == -1.0);
    rng_type rc(8), rd(8);
    CHECK(c.ask_batch(2, rc) == d.ask_batch(2, rd));
}

TEST_CASE("io::load_bo: malformed, truncated, wrong-version or inconsistent documents throw io_error, object unchanged") {
    auto a = bo::make_default_optimizer(problems::branin::domain(), {.initial_points = 3});
    rng_type rng(22);
    advance(a, problems::branin{}, rng, 5);
    const std::string good = io::save_bo(a);
    const std::string before = good;
    auto check_bad = [&](const std::string& text) {
        CHECK_THROWS_AS(io::load_bo(a, text), io_error);
        CHECK(io::save_bo(a) == before);
    };
    check_bad(good.substr(0, good.size() / 2));  // truncated
    check_bad("{not json");
    check_bad("[]");
    // Edited documents: with the digest, any edit fails the integrity check; without it (a document written by
    // hand) the schema, version, shape and fit checks below apply.
    auto j = nlohmann::json::parse(good);
    j["config"]["patience"] = 7;
    CHECK_THROWS_WITH_AS(io::load_bo(a, j.dump()), doctest::Contains("integrity check failed"), io_error);
    const auto unsealed = [&] {
        auto u = nlohmann::json::parse(good);
        u.erase("digest");
        return u;
    };
    j = unsealed();
    j["version"] = 2;
    check_bad(j.dump());
    j = unsealed();
    j["schema"] = "l2s.policy";
    check_bad(j.dump());
    j = unsealed();
    j.erase("y");
    check_bad(j.dump());
    j = unsealed();
    j["X"]["rows"] = 3;  // data count no longer matches
    check_bad(j.dump());
    j = unsealed();
    j["y"][0] = "text";
    check_bad(j.dump());
    j = unsealed();
    j["config"]["initial_design"] = "grid";
    check_bad(j.dump());
    j = unsealed();
    j["theta"] = nlohmann::json::array({1.0});  // wrong number of hyperparameters for this model
    check_bad(j.dump());
    // A 3-D state does not fit a 2-D optimizer.
    auto three = bo::make_default_optimizer(space::box(3), {.initial_points = 2});
    advance(three, [](const vec& x) { return x.sum(); }, rng, 3);
    check_bad(io::save_bo(three));
    CHECK_THROWS_AS(io::load_bo_file(a, std::filesystem::path("/nonexistent/l2s_state.json")), io_error);
}
