// tests/sim/test_validation.cpp: the simulator's power and performance equations (DESIGN §e), with the
// shipped Exynos 5422 A15 parameters and the asv_board_b voltages, against the measured ARMPM energy and
// EDP ratios relative to the highest measured frequency.
//
// This checks the model equations and parameters the simulator uses, evaluated independently here:
//   P(f) = (n·u·C_core + C_cluster)·V²·f + V·(c1·T²·e^{c2/T} + I_gate),   T(f) = T_ref·((1 − β)·f_ref/f + β)
// with n cores, u the measured utilisation, β the measured frequency-insensitive share and T the measured
// mean die temperature of each point. Everything is read from the two JSON files, so another board's
// platform file and ARMPM targets work unchanged. The second test runs the same points through the
// simulator (its own temperatures, interval model and idle islands) rather than the equations.
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <l2s/io/armpm.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/simulator.hpp>

#include "../support/data.hpp"

namespace {
using nlohmann::json;
json load(const std::filesystem::path& p) {
    std::ifstream in(p);
    REQUIRE_MESSAGE(in.good(), "cannot open " << p.string());
    return json::parse(in);
}

/// The measured points of targets.json and the comparison of modelled ratios with them. model(point at f,
/// point at the reference frequency, β, f in MHz) returns (energy, time) of a run at f in any units.
struct measured {
    json targets;
    std::map<std::tuple<std::string, int>, double> beta;
    std::map<std::tuple<std::string, int, int>, json> pts;
    int f_ref = 0;

    explicit measured(json t) : targets(std::move(t)) {
        for (const auto& b : targets.at("beta_mem"))
            beta[{b.at("benchmark").get<std::string>(), b.at("cores").get<int>()}] = std::max(0.0, b.at("beta_mem").get<double>());
        for (const auto& p : targets.at("points"))
            pts[{p.at("benchmark").get<std::string>(), p.at("cores").get<int>(), p.at("freq_mhz").get<int>()}] = p;
        f_ref = targets.at("reference_freq_mhz").get<int>();
    }

    /// Checks every non-reference point's energy and EDP ratios within 10 %; reports the worst errors.
    template <class Model>
    void compare(const char* what, Model model) const {
        int checked = 0;
        double worst_e = 0.0, worst_edp = 0.0;
        for (const auto& [key, p] : pts) {
            const auto& [bench, cores, mhz] = key;
            if (mhz == f_ref) continue;
            CAPTURE(bench);
            CAPTURE(cores);
            CAPTURE(mhz);
            const auto& ref = pts.at({bench, cores, f_ref});
            const double b = beta.at({bench, cores});
            const auto [e, t] = model(p, ref, b, mhz);
            const auto [e_ref, t_ref] = model(ref, ref, b, f_ref);
            const double de = (e / e_ref) / p.at("energy_rel").template get<double>() - 1.0;
            const double dedp = (e * t) / (e_ref * t_ref) / p.at("edp_rel").template get<double>() - 1.0;
            CHECK(std::abs(de) < 0.10);
            CHECK(std::abs(dedp) < 0.10);
            worst_e = std::max(worst_e, std::abs(de));
            worst_edp = std::max(worst_edp, std::abs(dedp));
            ++checked;
        }
        CHECK(checked > 0);
        MESSAGE(std::string(what) << ": " << checked << " (benchmark, cores, frequency) points; worst |error| energy ratio " << worst_e
                     << ", EDP ratio " << worst_edp);
    }
};
}  // namespace

TEST_CASE("validation: model equations reproduce the measured energy and EDP ratios within 10 %") {
    const auto armpm = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    const auto platforms = l2s::test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!armpm || !platforms) return;
    const measured m(load(*armpm / "targets.json"));
    const json plat = load(*platforms / "exynos5422.json");
    // The A15 ("big") island and its asv_board_b table.
    const json* island = nullptr;
    for (const auto& isl : plat.at("islands"))
        if (isl.at("core_type").get<std::string>() == "cortex-a15") island = &isl;
    REQUIRE(island != nullptr);
    const auto& pm = island->at("power_model");
    const double c_core = pm.at("c_core_uw_per_mhz_v2").at("value").get<double>() * 1e-12;
    const double c_cluster = pm.at("c_cluster_rel_to_core").at("value").get<double>() * c_core;
    const auto& lk = pm.at("leakage");
    const double c1 = lk.at("c1_a_per_k2").get<double>(), c2 = lk.at("c2_k").get<double>(), ig = lk.at("i_gate_a").get<double>();
    std::map<int, double> volt_v;
    for (const auto& o : island->at("opp_tables").at("asv_board_b").at("opps"))
        volt_v[o.at("freq_mhz").get<int>()] = o.at("voltage_mv").get<double>() * 1e-3;

    m.compare("equations", [&](const json& p, const json&, double b, int mhz) {
        REQUIRE(volt_v.count(mhz) == 1);
        const double v = volt_v.at(mhz), f = mhz * 1e6, tk = p.at("temp_c_mean").get<double>() + 273.15;
        const double n = p.at("cores").get<double>(), u = p.at("util").get<double>();
        const double power = (n * u * c_core + c_cluster) * v * v * f + v * (c1 * tk * tk * std::exp(c2 / tk) + ig);
        const double time = (1.0 - b) * m.f_ref / mhz + b;  // relative to the reference run time
        return std::pair{power * time, time};
    });
}

// The same comparison through the simulator itself: the platform file loaded with its asv_board_b table, the
// A15 island running one phase built from each measured point at the reference frequency (CPI = 1/ipc split
// by β into a core part and a frequency-insensitive memory part, `cores` of the island's cores busy with
// activity = util), the other islands idle, every interval at one fixed level; the island's energy and the
// run time come from the simulator's power, interval-performance and thermal models (its own temperatures,
// not the measured ones). Memory contention is off: β was measured with whatever contention the board had.
TEST_CASE("validation: the simulator reproduces the measured energy and EDP ratios within 10 %") {
    const auto armpm = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    const auto platforms = l2s::test::data_dir("L2S_PLATFORM_DIR", "data/platforms");
    if (!armpm || !platforms) return;
    const measured m(load(*armpm / "targets.json"));
    const auto chip = l2s::io::load_platform(*platforms / "exynos5422.json", {.opp_table = "asv_board_b"});
    std::size_t big = chip.num_islands();
    for (std::size_t k = 0; k < chip.num_islands(); ++k)
        if (chip.islands[k].core_type == "cortex-a15") big = k;
    REQUIRE(big < chip.num_islands());
    const auto& island = chip.islands[big];
    auto level_of = [&](int mhz) {
        for (std::size_t l = 0; l < island.opps.size(); ++l)
            if (std::abs(island.opps[l].freq_hz - mhz * 1e6) < 0.5e6) return static_cast<l2s::level_t>(l);
        FAIL("no OPP at " << mhz << " MHz");
        return l2s::level_t{0};
    };
    l2s::sim::sim_config cfg;
    cfg.interval_s = 0.05;
    cfg.contention = false;
    const std::size_t T = 200;  // 10 s at the top level: long against every thermal time constant but the package's
    // Runs the program of the reference point at one frequency: (energy of the A15 island, time).
    m.compare("simulator", [&](const json&, const json& ref, double b, int mhz) {
        l2s::sim::phase ph;
        const double cpi = 1.0 / ref.at("ipc").get<double>(), f = m.f_ref * 1e6;
        ph.cpi_core = (1.0 - b) * cpi;
        ph.mem_per_instr = b * cpi / f / ph.t_mem_s;
        ph.activity = std::clamp(ref.at("util").get<double>(), 0.0, 1.0);
        ph.active_fraction = ref.at("cores").get<double>() / static_cast<double>(island.cores);
        ph.intervals = T;
        l2s::sim::phase idle = ph;
        idle.active_fraction = 0.0;
        l2s::sim::workload w;
        w.name = ref.at("benchmark").get<std::string>();
        for (std::size_t k = 0; k < chip.num_islands(); ++k) w.islands.push_back({k == big ? ph : idle});
        const l2s::sim::simulator sim(chip, w, cfg);
        auto s = sim.initial_state();
        std::vector<l2s::level_t> lv(chip.num_islands(), 0);
        lv[big] = level_of(mhz);
        double e = 0.0, t = 0.0;
        for (std::size_t i = 0; i < T; ++i) {
            t += sim.step(s, lv.data()).time_s;
            e += s.energy_j[big];
        }
        return std::pair{e, t};
    });
}

// Generalisation: the power and time model fitted on some programs and frequencies predicts the others. For each
// program (and core count) p and each measured frequency f_h in turn (the top one included):
//   time  T_p(f) = a_p/f + b_p through p's own run times at the other frequencies (what a runtime measures);
//   power P = C_core·n·u·V²f + C_cluster·V²f + V·(c₁T²e^{c₂/T} + I_gate), C_core and C_cluster by least squares
//         on every other program at the other frequencies (leakage: the platform's board fit), evaluated for p
//         with its mean utilisation at the other frequencies, the platform's voltage at f, and the other
//         programs' mean die temperature at f;
// then p's energy and EDP ratios between f_h and each other frequency, all from the model, against the measured
// ones. Points are medians over the executions of (program, cores, frequency) in the folder's single-session
// files (`_el` in the name when there are such files; all files otherwise), so any ARMPM-format folder named by
// L2S_ARMPM_DIR runs the same check; every point's error is printed.
TEST_CASE("validation: fitted on other programs and frequencies, the model predicts held-out energy and EDP ratios") {
    const auto armpm = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    if (!armpm) return;
    auto tables = l2s::io::read_armpm_folder(*armpm);
    const bool single = std::any_of(tables.begin(), tables.end(), [](const auto& t) { return t.source.find("_el") != std::string::npos; });
    struct point {
        double time = 0, power = 0, util = 0, temp = 0;
    };
    std::map<std::tuple<std::string, int, int>, std::vector<point>> runs;
    for (const auto& t : tables) {
        if (single && t.source.find("_el") == std::string::npos) continue;
        for (const auto& r : l2s::io::armpm_runs(t)) {
            if (!std::isfinite(r.cycles) || !std::isfinite(r.temp_c)) continue;
            const int mhz = static_cast<int>(std::lround(r.freq_hz / 1e6));
            runs[{r.benchmark, r.cores, mhz}].push_back(
                {r.time_s, r.power_w, r.cycles / (r.cores * r.freq_hz * r.time_s), r.temp_c});
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    };
    std::map<std::tuple<std::string, int, int>, point> pts;
    std::set<int> freqs;
    std::set<std::pair<std::string, int>> programs;
    for (const auto& [key, v] : runs) {
        point p;
        auto col = [&](double point::*m) {
            std::vector<double> x;
            for (const auto& e : v) x.push_back(e.*m);
            return median(x);
        };
        p.time = col(&point::time), p.power = col(&point::power), p.util = col(&point::util), p.temp = col(&point::temp);
        pts[key] = p;
        freqs.insert(std::get<2>(key));
        programs.insert({std::get<0>(key), std::get<1>(key)});
    }
    REQUIRE(freqs.size() >= 3);
    // the model's fixed parts: the big island of the platform (voltages per frequency, leakage)
    const auto chip = l2s::sim::exynos5422("asv_board_b");
    const auto& big = chip.islands[1];
    auto volt = [&](int mhz) {
        for (const auto& o : big.opps)
            if (std::abs(o.freq_hz - mhz * 1e6) < 0.5e6) return o.volt_v;
        FAIL("no OPP at " << mhz << " MHz");
        return 0.0;
    };
    int checked = 0, within = 0;
    double worst_e = 0.0, worst_edp = 0.0;
    for (const auto& [prog, cores] : programs) {
        for (int fh : freqs) {
            std::vector<int> known;
            for (int f : freqs)
                if (f != fh && pts.count({prog, cores, f})) known.push_back(f);
            if (known.size() < 2 || !pts.count({prog, cores, fh})) continue;
            // time through p's own runs at the known frequencies (least squares in 1/f)
            Eigen::MatrixXd A(known.size(), 2);
            Eigen::VectorXd y(known.size());
            double u = 0.0;
            for (std::size_t i = 0; i < known.size(); ++i) {
                const auto& q = pts.at({prog, cores, known[i]});
                A(static_cast<Eigen::Index>(i), 0) = 1.0 / known[i];
                A(static_cast<Eigen::Index>(i), 1) = 1.0;
                y(static_cast<Eigen::Index>(i)) = q.time;
                u += q.util / static_cast<double>(known.size());
            }
            const Eigen::Vector2d ab = A.colPivHouseholderQr().solve(y);
            auto time = [&](int f) { return ab(0) / f + ab(1); };
            // power coefficients from every other program at the known frequencies
            std::vector<std::array<double, 3>> rows;  // n·u·V²f, V²f, P − leakage
            std::map<int, std::pair<double, int>> temp_at;  // other programs' mean temperature per frequency (same cores)
            for (const auto& [key, q] : pts) {
                const auto& [b, c, f] = key;
                if (b == prog) continue;
                if (c == cores) temp_at[f].first += q.temp, ++temp_at[f].second;
                if (f == fh) continue;
                const double v = volt(f), v2f = v * v * f * 1e6;
                rows.push_back({c * q.util * v2f, v2f, q.power - big.leakage.power_w(v, q.temp)});
            }
            Eigen::MatrixXd P(rows.size(), 2);
            Eigen::VectorXd z(rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i)
                P(static_cast<Eigen::Index>(i), 0) = rows[i][0], P(static_cast<Eigen::Index>(i), 1) = rows[i][1],
                                           z(static_cast<Eigen::Index>(i)) = rows[i][2];
            const Eigen::Vector2d cc = P.colPivHouseholderQr().solve(z);
            auto power = [&](int f) {
                const double v = volt(f), v2f = v * v * f * 1e6, tc = temp_at.at(f).first / temp_at.at(f).second;
                return (cc(0) * cores * u + cc(1)) * v2f + big.leakage.power_w(v, tc);
            };
            const auto& mh = pts.at({prog, cores, fh});
            for (int f : known) {
                const auto& mf = pts.at({prog, cores, f});
                const double e_model = power(fh) * time(fh) / (power(f) * time(f));
                const double e_meas = mh.power * mh.time / (mf.power * mf.time);
                const double edp_model = e_model * time(fh) / time(f), edp_meas = e_meas * mh.time / mf.time;
                const double de = e_model / e_meas - 1.0, dedp = edp_model / edp_meas - 1.0;
                MESSAGE(prog << " " << cores << " core(s), held-out " << fh << " MHz vs " << f << " MHz: energy ratio error "
                             << 100 * de << " %, EDP ratio error " << 100 * dedp << " %");
                ++checked;
                within += std::abs(de) < 0.10 && std::abs(dedp) < 0.10;
                worst_e = std::max(worst_e, std::abs(de));
                worst_edp = std::max(worst_edp, std::abs(dedp));
            }
        }
    }
    MESSAGE("generalisation: " << within << " of " << checked << " ratios within 10 %; worst energy ratio error "
                               << 100 * worst_e << " %, EDP ratio " << 100 * worst_edp << " %");
    // On the shared folder: 105 of 108 ratios within 10 %, worst 8.1 % (energy) and 12.8 % (EDP), all three misses
    // facesim on 2 cores (docs/calibration.md#generalisation). Guarded here, for any folder, with a small margin.
    CHECK(checked > 0);
    CHECK(static_cast<double>(within) >= 0.97 * static_cast<double>(checked));
    CHECK(worst_e < 0.10);
    CHECK(worst_edp < 0.13);
}
