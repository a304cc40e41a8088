#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include <acquisition/reference_gp.hpp>
#include <l2s/acquisition.hpp>
#include <support/data.hpp>

using namespace l2s;
namespace acq = l2s::acquisition;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

bool rel_ok(double a, double r, double rel, double abs_floor) { return std::abs(a - r) <= rel * std::abs(r) + abs_floor; }

void check_log(double a, const nlohmann::json& r, const std::string& what) {
    INFO(what);
    if (r.is_null()) {
        CHECK(a == -inf);
    } else {
        const double rv = r.get<double>();
        CHECK_MESSAGE(rel_ok(a, rv, 1e-10, 1e-14), "computed " << a << " stored " << rv);
    }
}
}  // namespace

TEST_CASE("acquisition: every stored value of every acquisition fixture") {
    const auto dir = test::data_dir("L2S_GP_FIXTURES", "fixtures/gp");
    if (!dir) return;
    int files = 0, rows = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        const auto doc = nlohmann::json::parse(in);
        if (doc.value("type", "") != "acquisition") continue;
        ++files;
        CHECK(doc.at("convention") == "maximisation");
        for (const auto& r : doc.at("rows")) {
            ++rows;
            const double mu = r.at("mu"), sigma = r.at("sigma"), inc = r.at("incumbent"), xi = r.at("xi"), beta = r.at("beta");
            INFO(entry.path().filename().string() << " row " << rows << " mu=" << mu << " sigma=" << sigma);
            if (r.at("z").is_null()) {
                CHECK(sigma == 0.0);
            } else {
                const double z = acq::improvement_z(mu, sigma, inc, xi), zr = r.at("z");
                CHECK(std::abs(z - zr) <= 1e-10 * std::max(std::abs(zr), 1e-300));
            }
            const double ei = acq::expected_improvement(mu, sigma, inc, xi), eir = r.at("ei");
            CHECK_MESSAGE(rel_ok(ei, eir, 1e-9, 1e-300), "ei " << ei << " vs " << eir);
            const double pi = acq::probability_of_improvement(mu, sigma, inc, xi), pir = r.at("pi");
            CHECK_MESSAGE(rel_ok(pi, pir, 1e-10, 1e-300), "pi " << pi << " vs " << pir);
            check_log(acq::log_expected_improvement(mu, sigma, inc, xi), r.at("log_ei"), "log_ei");
            check_log(acq::log_probability_of_improvement(mu, sigma, inc, xi), r.at("log_pi"), "log_pi");
            const double ucb = acq::upper_confidence_bound(mu, sigma, beta), ucbr = r.at("ucb");
            CHECK(std::abs(ucb - ucbr) <= 1e-10 * std::max(std::abs(ucbr), 1e-300));
            // The aggregates agree with the free functions (variance = σ²).
            const prediction p{mu, sigma * sigma, 0.0};
            const acq::context c{.incumbent = inc};
            CHECK(acq::log_ei{.xi = xi}(p, c) == acq::log_expected_improvement(mu, std::sqrt(sigma * sigma), inc, xi));
            CHECK(acq::ucb{.beta = beta}(p, c) == doctest::Approx(ucbr).epsilon(1e-12));
        }
    }
    MESSAGE("acquisition fixtures: " << files << " files, " << rows << " rows");
    CHECK(files >= 1);
}

TEST_CASE("acquisition: log forms are finite far in the tail and match the plain forms where both are accurate") {
    for (double z = -200.0; z <= 10.0; z += 0.37) {
        const double lei = acq::log_expected_improvement(z, 1.0, 0.0, 0.0);
        const double lpi = acq::log_probability_of_improvement(z, 1.0, 0.0, 0.0);
        CHECK(std::isfinite(lei));
        CHECK(std::isfinite(lpi));
        if (z > -20.0) {
            CHECK(lei == doctest::Approx(std::log(detail::ei_h(z))).epsilon(1e-9));
            CHECK(lpi == doctest::Approx(std::log(detail::normal_cdf(z))).epsilon(1e-12));
        }
    }
    // Asymptote: log h(z) ≈ −z²/2 − log√(2π) − 2 log|z| for z → −∞.
    const double z = -1e8;
    CHECK(detail::log_ei_h(z) == doctest::Approx(-0.5 * z * z - detail::log_sqrt_2pi - 2.0 * std::log(-z)).epsilon(1e-14));
    CHECK(detail::log1mexp(0.0) == -inf);
    CHECK(detail::log1mexp(1e-20) == doctest::Approx(std::log(1e-20)));
    CHECK(detail::log1mexp(50.0) == doctest::Approx(-std::exp(-50.0)).epsilon(1e-12));
    CHECK(detail::erfcx(0.0) == 1.0);
    // Continuity of erfcx across the switch to the asymptotic series.
    CHECK(detail::erfcx(25.99999999999) == doctest::Approx(detail::erfcx(26.0)).epsilon(1e-11));
}

TEST_CASE("acquisition: monotone increasing in the mean") {
    const acq::context c{.incumbent = 0.3, .iteration = 5, .dim = 2, .num_candidates = 0};
    auto check_monotone = [&](auto a, const char* name) {
        INFO(name);
        for (double var : {0.0, 1e-6, 0.04, 1.0}) {
            double prev = -inf;
            for (double mu = -30.0; mu <= 5.0; mu += 0.25) {
                const double v = a(prediction{mu, var, 0.0}, c);
                CHECK(v >= prev);
                prev = v;
            }
        }
    };
    check_monotone(acq::ei{}, "ei");
    check_monotone(acq::log_ei{}, "log_ei");
    check_monotone(acq::pi{}, "pi");
    check_monotone(acq::log_pi{}, "log_pi");
    check_monotone(acq::ucb{}, "ucb");
    check_monotone(acq::gp_ucb{}, "gp_ucb");
}

TEST_CASE("acquisition: EI derivative in the mean is PI (finite differences)") {
    // ∂EI/∂μ = Φ(z), a classical identity; checked by central differences.
    for (double mu : {-3.0, -0.5, 0.0, 0.7, 2.0}) {
        const double h = 1e-6, s = 0.6;
        const double fd = (acq::expected_improvement(mu + h, s, 0.1, 0.01) - acq::expected_improvement(mu - h, s, 0.1, 0.01)) / (2 * h);
        CHECK(fd == doctest::Approx(acq::probability_of_improvement(mu, s, 0.1, 0.01)).epsilon(1e-6));
    }
}

TEST_CASE("acquisition: GP-UCB schedule (Srinivas et al. 2010)") {
    const double pi2 = std::numbers::pi * std::numbers::pi;
    const acq::gp_ucb a{.delta = 0.1};
    CHECK(a.beta({.iteration = 3, .dim = 2, .num_candidates = 100}) == doctest::Approx(2.0 * std::log(100.0 * 9.0 * pi2 / 0.6)));
    CHECK(a.beta({.iteration = 3, .dim = 2, .num_candidates = 0}) == doctest::Approx(2.0 * std::log(std::pow(3.0, 3.0) * pi2 / 0.3)));
    // β grows with t.
    CHECK(a.beta({.iteration = 10, .dim = 2}) > a.beta({.iteration = 9, .dim = 2}));
}

TEST_CASE("acquisition: score dispatches pointwise acquisitions over a batch") {
    test::reference_gp m{.length_scale = 0.2, .input_dim = 1};
    mat X(1, 3);
    X << 0.1, 0.5, 0.9;
    vec y(3);
    y << 0.0, 1.0, 0.2;
    m.fit(X, y);
    mat Z(1, 5);
    Z << 0.0, 0.3, 0.5, 0.7, 1.0;
    rng_type rng(1);
    const acq::context c{.incumbent = 1.0};
    const vec s = acq::score(acq::ei{}, m, Z, c, rng);
    const batch_prediction p = m.predict(Z);
    for (Eigen::Index i = 0; i < 5; ++i) CHECK(s(i) == acq::ei{}(p.at(i), c));
}

TEST_CASE("acquisition: thompson draws have the posterior's mean and covariance") {
    test::reference_gp m{.length_scale = 0.3, .input_dim = 1};
    mat X(1, 2);
    X << 0.2, 0.8;
    vec y(2);
    y << 1.0, -1.0;
    m.fit(X, y);
    mat Z(1, 4);
    Z << 0.0, 0.2, 0.5, 1.0;
    const joint_posterior post = m.posterior(Z);
    rng_type rng(42);
    const acq::thompson ts{};
    const int n = 20000;
    vec sum = vec::Zero(4);
    mat sq = mat::Zero(4, 4);
    for (int i = 0; i < n; ++i) {
        const vec f = ts(m, Z, acq::context{}, rng);
        sum += f;
        sq += f * f.transpose();
    }
    const vec mean = sum / n;
    const mat cov = sq / n - mean * mean.transpose();
    CHECK((mean - post.mean).lpNorm<Eigen::Infinity>() < 0.03);
    CHECK((cov - post.covariance).lpNorm<Eigen::Infinity>() < 0.03);
    static_assert(ModelAcquisitionFor<acq::thompson, test::reference_gp>);
    // Too many candidates: typed error.
    CHECK_THROWS_AS((void)acq::thompson{.max_candidates = 3}(m, Z, acq::context{}, rng), invalid_argument);
    // A singular covariance (duplicate candidates) still draws: both copies get the same value.
    mat Zd(1, 2);
    Zd << 0.5, 0.5;
    const vec fd = ts(m, Zd, acq::context{}, rng);
    CHECK(fd(0) == doctest::Approx(fd(1)).epsilon(1e-4));
}

TEST_CASE("acquisition: constrained improvement uses the feasible incumbent and P(feasible) before one exists") {
    vec u(3);
    u << 5.0, 2.0, 1.0;
    mat G(1, 3);
    G << 0.5, -0.1, -2.0;  // the best utility is infeasible
    CHECK(acq::feasible_incumbent(u, G) == 2.0);
    CHECK(acq::feasible_incumbent(u, mat(0, 3)) == 5.0);
    mat Ginf(1, 3);
    Ginf << 1.0, 1.0, 1.0;
    CHECK(acq::feasible_incumbent(u, Ginf) == -inf);
    CHECK_THROWS_AS((void)acq::feasible_incumbent(u, mat(1, 2)), dimension_mismatch);

    const acq::constrained<> a{};
    const prediction p{3.0, 0.25, 0.0};
    const std::vector<prediction> g{{-1.0, 1.0, 0.0}, {0.5, 0.25, 0.0}};
    const acq::context c{.incumbent = 2.0};
    const double expect = acq::log_ei{}(p, c) + detail::log_normal_cdf(1.0) + detail::log_normal_cdf(-1.0);
    CHECK(a.log_value(p, g, c) == doctest::Approx(expect).epsilon(1e-14));
    // No feasible observation: only the log probability of feasibility.
    CHECK(a.log_value(p, g, acq::context{}) == doctest::Approx(detail::log_normal_cdf(1.0) + detail::log_normal_cdf(-1.0)));
    // σ_g = 0: a certain violation gives −∞, certain feasibility 0.
    CHECK(acq::log_probability_feasible({0.1, 0.0, 0.0}) == -inf);
    CHECK(acq::log_probability_feasible({-0.1, 0.0, 0.0}) == 0.0);

    // Batch form over models.
    test::reference_gp obj{.input_dim = 1}, con{.input_dim = 1};
    mat X(1, 3);
    X << 0.1, 0.5, 0.9;
    vec yo(3), yc(3);
    yo << 0.0, 1.0, 0.5;
    yc << -1.0, 1.0, -1.0;
    obj.fit(X, yo);
    con.fit(X, yc);
    const std::vector<test::reference_gp> cons{con};
    mat Z(1, 2);
    Z << 0.5, 0.9;
    const vec s = a(obj, std::span<const test::reference_gp>(cons), Z, acq::context{.incumbent = 0.5});
    CHECK(s(1) > s(0));  // 0.5 has the best mean but is almost surely infeasible
}

TEST_CASE("acquisition: kriging believer spreads a batch by fantasies") {
    test::reference_gp m{.length_scale = 0.15, .input_dim = 1};
    mat X(1, 2);
    X << 0.0, 1.0;
    vec y(2);
    y << 0.0, 0.0;
    m.fit(X, y);
    const mat grid = mat(vec::LinSpaced(101, 0.0, 1.0).transpose());
    rng_type rng(3);
    auto pick = [&](const test::reference_gp& model) {
        const vec s = acq::score(acq::ucb{.beta = 4.0}, model, grid, acq::context{}, rng);
        Eigen::Index best = 0;
        s.maxCoeff(&best);
        return vec(grid.col(best));
    };
    const mat batch = acq::kriging_believer{.q = 3}.select(m, pick);
    CHECK(batch.cols() == 3);
    CHECK(m.size() == 2);  // the caller's model is untouched
    for (int i = 0; i < 3; ++i)
        for (int j = i + 1; j < 3; ++j) CHECK(std::abs(batch(0, i) - batch(0, j)) > 0.05);
    CHECK_THROWS_AS((void)acq::kriging_believer{.q = 0}.select(m, pick), invalid_config);
}
