// tests/gp/test_fixtures.cpp: exact_gp against every gp_regression / gp_hyperparameter_fit fixture of
// L2S_GP_FIXTURES (default ../shared/fixtures/gp), at the tolerances of that folder's README.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <l2s/gp.hpp>
#include <support/data.hpp>

namespace {

using l2s::mat;
using l2s::vec;
using json = nlohmann::json;

mat rows_to_columns(const json& rows) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto d = n > 0 ? static_cast<Eigen::Index>(rows[0].size()) : 0;
    mat X(d, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < d; ++i) X(i, j) = rows[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)].get<double>();
    return X;
}
vec to_vec(const json& a) {
    vec v(static_cast<Eigen::Index>(a.size()));
    for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = a[static_cast<std::size_t>(i)].get<double>();
    return v;
}

std::vector<std::pair<std::string, json>> fixtures_of_type(const std::string& type) {
    std::vector<std::pair<std::string, json>> out;
    const auto dir = l2s::test::data_dir("L2S_GP_FIXTURES", "fixtures/gp");
    if (!dir) return out;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(*dir))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
        std::ifstream in(p);
        json j = json::parse(in);
        if (j.value("type", "") == type) out.emplace_back(p.filename().string(), std::move(j));
    }
    return out;
}

/// Runs `body(gp)` with an exact_gp configured as the fixture says (no standardisation, constant mean).
template <class F>
void with_gp(const json& j, const vec& length_scales, double signal_variance, double noise_variance, F&& body) {
    l2s::gp::exact_gp_config c;
    c.noise_variance = noise_variance;
    c.standardise_y = false;
    const l2s::mean::constant m{j.at("mean_value").get<double>()};
    const std::string kname = j.at("kernel");
    if (kname == "squared_exponential_ard")
        body(l2s::gp::exact_gp(l2s::kernel::se_ard::from(length_scales, signal_variance), m, c));
    else if (kname == "matern52_ard")
        body(l2s::gp::exact_gp(l2s::kernel::matern52_ard::from(length_scales, signal_variance), m, c));
    else if (kname == "matern32_ard")
        body(l2s::gp::exact_gp(l2s::kernel::matern32_ard::from(length_scales, signal_variance), m, c));
    else
        FAIL("unknown kernel " << kname);
}

void check_lml_and_gradient(const auto& gp, double lml_ref, const vec& grad_ref) {
    const double lml = gp.log_marginal_likelihood();
    CHECK(std::abs(lml - lml_ref) <= 1e-8 * std::max(std::abs(lml_ref), 1.0));
    const vec g = gp.log_marginal_likelihood_gradient();
    REQUIRE(g.size() == grad_ref.size());
    for (Eigen::Index i = 0; i < g.size(); ++i) {
        INFO("gradient entry " << i << ": " << g(i) << " vs " << grad_ref(i));
        CHECK(std::abs(g(i) - grad_ref(i)) <= 1e-6 * std::max(std::abs(grad_ref(i)), 1.0));
    }
}

}  // namespace

TEST_CASE("gp fixtures: regression (LML, gradient, mean, variances, covariance)") {
    const auto cases = fixtures_of_type("gp_regression");
    for (const auto& [file, j] : cases) {
        CAPTURE(file);
        const mat X = rows_to_columns(j.at("x_train"));
        const vec y = to_vec(j.at("y_train"));
        const mat Z = rows_to_columns(j.at("x_test"));
        const double sf2 = j.at("signal_variance"), sn2 = j.at("noise_variance"), mv = j.at("mean_value");
        with_gp(j, to_vec(j.at("length_scales")), sf2, sn2, [&](auto gp) {
            gp.fit(X, y);
            CHECK(gp.jitter() == 0.0);
            check_lml_and_gradient(gp, j.at("log_marginal_likelihood"), to_vec(j.at("log_marginal_likelihood_gradient")));
            const auto p = gp.predict(Z);
            const vec mu = to_vec(j.at("predictive_mean")), vl = to_vec(j.at("predictive_variance_latent")),
                      vn = to_vec(j.at("predictive_variance_noisy"));
            const double s = (y.array() - mv).abs().maxCoeff();
            const double vtol = 1e-8 * std::max(1.0, sf2);
            const vec pn = p.noisy_variance();
            for (Eigen::Index i = 0; i < Z.cols(); ++i) {
                CAPTURE(i);
                CHECK(std::abs(p.mean(i) - mu(i)) <= 1e-8 * std::max(std::abs(mu(i)), s));
                CHECK(std::abs(p.variance(i) - vl(i)) <= vtol + 1e-6 * std::abs(vl(i)));
                CHECK(std::abs(pn(i) - vn(i)) <= vtol + 1e-6 * std::abs(vn(i)));
                // The single-point path takes r² from the differences, the batch from the GEMM expansion
                // ‖a‖² + ‖b‖² − 2aᵀb, which loses ~ε·‖x/ℓ‖² (ℓ = 2e-3 in one fixture): both are far inside
                // the fixture tolerance, and agree to 1e-10.
                const auto one = gp.predict(vec(Z.col(i)));
                CHECK(std::abs(one.mean - p.mean(i)) <= 1e-10 * std::max(1.0, std::abs(p.mean(i))));
            }
            if (j.contains("predictive_covariance_latent")) {
                const auto post = gp.posterior(Z);
                const json& C = j.at("predictive_covariance_latent");
                for (Eigen::Index a = 0; a < Z.cols(); ++a)
                    for (Eigen::Index b = 0; b < Z.cols(); ++b) {
                        const double r = C[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
                        CHECK(std::abs(post.covariance(a, b) - r) <= vtol + 1e-6 * std::abs(r));
                    }
                CHECK((post.mean - p.mean).cwiseAbs().maxCoeff() <= 1e-12 * std::max(1.0, s));
            }
        });
    }
}

TEST_CASE("gp fixtures: hyperparameter fit reaches the reference optimum") {
    const auto cases = fixtures_of_type("gp_hyperparameter_fit");
    for (const auto& [file, j] : cases) {
        CAPTURE(file);
        const mat X = rows_to_columns(j.at("x_train"));
        const vec y = to_vec(j.at("y_train"));
        const json& opt = j.at("optimum");
        // LML and gradient at the stored optimum.
        with_gp(j, to_vec(opt.at("length_scales")), opt.at("signal_variance"), opt.at("noise_variance"), [&](auto gp) {
            gp.fit(X, y);
            check_lml_and_gradient(gp, opt.at("log_marginal_likelihood"),
                                   to_vec(opt.at("log_marginal_likelihood_gradient")));
        });
        // The fit itself, from `initial`, within `bounds`.
        const json& ini = j.at("initial");
        const json& b = j.at("bounds");
        with_gp(j, to_vec(ini.at("length_scales")), ini.at("signal_variance"), ini.at("noise_variance"), [&](auto gp) {
            gp.fit(X, y);
            l2s::gp::hyperopt_config hc;
            hc.length_scale_bounds = {b.at("length_scale")[0], b.at("length_scale")[1]};
            hc.signal_variance_bounds = {b.at("signal_variance")[0], b.at("signal_variance")[1]};
            hc.noise_variance_bounds = {b.at("noise_variance")[0], b.at("noise_variance")[1]};
            l2s::rng_type rng(12345);
            const auto r = gp.learn_hyperparameters(rng, hc);
            MESSAGE(file << ": fitted LML " << r.log_marginal_likelihood << " (reference "
                         << opt.at("log_marginal_likelihood").get<double>() << ") after " << r.evaluations
                         << " likelihood evaluations over " << r.starts << " starts");
            CHECK(r.log_marginal_likelihood >= j.at("acceptance").at("min_log_marginal_likelihood").get<double>());
            CHECK(gp.log_marginal_likelihood() == doctest::Approx(r.log_marginal_likelihood).epsilon(1e-12));
        });
        // One start from `initial` only: the cheapest fit (the fixtures' cross-check says one run suffices).
        with_gp(j, to_vec(ini.at("length_scales")), ini.at("signal_variance"), ini.at("noise_variance"), [&](auto gp) {
            gp.fit(X, y);
            l2s::gp::hyperopt_config hc;
            hc.length_scale_bounds = {b.at("length_scale")[0], b.at("length_scale")[1]};
            hc.signal_variance_bounds = {b.at("signal_variance")[0], b.at("signal_variance")[1]};
            hc.noise_variance_bounds = {b.at("noise_variance")[0], b.at("noise_variance")[1]};
            hc.random_starts = 0;
            l2s::rng_type rng(1);
            const auto r = gp.learn_hyperparameters(rng, hc);
            MESSAGE(file << ": one start from initial: LML " << r.log_marginal_likelihood << " after " << r.evaluations
                         << " likelihood evaluations");
            CHECK(r.log_marginal_likelihood >= j.at("acceptance").at("min_log_marginal_likelihood").get<double>());
        });
    }
}
