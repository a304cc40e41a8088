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
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <l2s/io/platform.hpp>
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
