// SPDX-License-Identifier: MIT
// l2s/sim/builtin_platforms.hpp: the built-in chips (usable without any file): Exynos 5422 and the calibrated
// Odroid-XU3 board, RK3399, Intel SCC, the Sniper/HotSniper manycore and the article's 4-VFI chip, and lookup by
// name. Numbers and their sources: docs/sim.md#platforms.
#pragma once
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/sim/platform.hpp>

namespace l2s::sim {

namespace detail {

/// 1 µW/MHz/V² (Linux dynamic-power-coefficient unit) = 1 pF.
inline constexpr double pf = 1e-12;

/// Silicon + interface vertical resistance of one 4 mm² core block (HotSpot 6.0 defaults, derived in
/// ../shared/data/platforms: 0.375 + 1.25 K/W) and its heat capacity (≈ 1.05 mJ/K).
inline constexpr double core_r_k_per_w = 1.625;
inline constexpr double core_c_j_per_k = 1.05e-3;

inline island_spec make_island(std::string name, std::string type, std::size_t cores, std::vector<opp> opps,
                               double c_core_pf, double cluster_rel, double latency_s) {
    island_spec s;
    s.name = std::move(name);
    s.core_type = std::move(type);
    s.cores = cores;
    s.opps = std::move(opps);
    s.c_core_f = c_core_pf * pf;
    s.c_cluster_f = cluster_rel * s.c_core_f;
    s.transition_latency_s = latency_s;
    s.r_th_k_per_w = core_r_k_per_w / static_cast<double>(cores);  // cores in parallel
    s.c_th_j_per_k = core_c_j_per_k * static_cast<double>(cores);
    return s;
}

inline std::vector<opp> mhz_mv(std::initializer_list<std::pair<double, double>> pts) {
    std::vector<opp> v;
    for (const auto& [f, mv] : pts) v.push_back({f * 1e6, mv * 1e-3});
    return v;
}

/// Scales the xu3_current leakage shape so that leakage is `fraction` of island power at the top OPP
/// with every core busy at 70 °C (the `fraction` model of ../shared/data/platforms/README.md).
inline void leakage_fraction(island_spec& s, double fraction) {
    const opp top = s.opps.back();
    const double dyn = (static_cast<double>(s.cores) * s.c_core_f + s.c_cluster_f) * top.volt_v * top.volt_v * top.freq_hz;
    s.leakage.scale = 1.0;
    const double unit = s.leakage.power_w(top.volt_v, 70.0);
    s.leakage.scale = fraction / (1.0 - fraction) * dyn / unit;
}

}  // namespace detail

/// Samsung Exynos 5422 (Odroid-XU3/XU4): little = 4 × Cortex-A7, big = 4 × Cortex-A15.
/// opp_table "asv_board_b" (default; the adaptive-supply table of one real board, matching the ARMPM rails)
/// or "mainline" (arch/arm/boot/dts/samsung/exynos5420.dtsi / exynos5800.dtsi as applied to the 5422).
/// C_core from exynos5422-cpus.dtsi (A7 90, A15 310 µW/MHz/V²), 140 µs clock-latency-ns, leakage: the
/// board fit (scale 1), C_cluster = 0.75 C_core (midpoint of the ARMPM-suggested 0.5–1.0).
[[nodiscard]] inline platform exynos5422(std::string_view opp_table = "asv_board_b") {
    using detail::mhz_mv;
    std::vector<opp> little, big;
    if (opp_table == "asv_board_b") {
        little = mhz_mv({{200, 900}, {300, 900}, {400, 900}, {500, 900}, {600, 912.5}, {700, 950}, {800, 987.5},
                         {900, 1025}, {1000, 1062.5}, {1100, 1100}, {1200, 1137.5}, {1300, 1187.5}, {1400, 1237.5}});
        big = mhz_mv({{200, 900}, {300, 900}, {400, 900}, {500, 900}, {600, 900}, {700, 900}, {800, 900}, {900, 912.5},
                      {1000, 937.5}, {1100, 962.5}, {1200, 987.5}, {1300, 1012.5}, {1400, 1037.5}, {1500, 1062.5},
                      {1600, 1100}, {1700, 1137.5}, {1800, 1175}, {1900, 1225}, {2000, 1287.5}});
    } else if (opp_table == "mainline") {
        little = mhz_mv({{200, 900}, {300, 900}, {400, 1000}, {500, 1000}, {600, 1000}, {700, 1000}, {800, 1100},
                         {900, 1100}, {1000, 1100}, {1100, 1250}, {1200, 1250}, {1300, 1250}, {1400, 1275}});
        big = mhz_mv({{200, 900}, {300, 900}, {400, 900}, {500, 900}, {600, 900}, {700, 900}, {800, 900}, {900, 1000},
                      {1000, 1000}, {1100, 1000}, {1200, 1000}, {1300, 1100}, {1400, 1100}, {1500, 1100}, {1600, 1250},
                      {1700, 1250}, {1800, 1237.5}, {1900, 1262.5}, {2000, 1312.5}});
    } else {
        throw invalid_config("l2s::sim::exynos5422: unknown opp_table '" + std::string(opp_table) +
                             "' (asv_board_b, mainline)");
    }
    platform p;
    p.name = "exynos5422";
    p.islands.push_back(detail::make_island("little", "cortex-a7", 4, std::move(little), 90.0, 0.75, 140e-6));
    p.islands.push_back(detail::make_island("big", "cortex-a15", 4, std::move(big), 310.0, 0.75, 140e-6));
    p.islands[1].capacity = 1.0;
    p.islands[0].capacity = 539.0 / 1024.0;  // capacity-dmips-mhz
    p.mem_bandwidth_accesses_per_s = 14.9e9 / 64.0;  // LPDDR3-933 × 2 × 32 bit
    return p;
}

/// The Odroid-XU3 board: the Exynos 5422 of exynos5422("asv_board_b") with the thermal network measured on
/// it instead of HotSpot's desktop package. The Foster network fitted to the ARMPM die-temperature traces of
/// the four training programs of the measurement's own split (sim::fit_thermal_model, 2 terms; 96
/// executions, 8 sessions; docs/calibration.md#thermal) is R = (1.172, 5.847) K/W, τ = (0.769, 16.76) s;
/// its exact island-over-package ladder is island r 1.752 K/W, c 0.5339 J/K, package R 5.268 K/W,
/// C 2.617 J/K, and the mean of the eight fitted session ambients 30.06 °C. On the five held-out programs it
/// predicts the readings with 0.80 °C RMSE (persistence: 1.92 °C). Both islands get the ladder (no A7 trace
/// exists: the A7 island shares the die and the package). t_max 70 °C: the first passive trip of the board's
/// thermal zone (cpu-alert-3, arch/arm/boot/dts/exynos5422-cpu-thermal.dtsi, where Linux cuts two OPPs).
/// The traces stay at or below 55 °C with the fan as it ran then; the board's fan steps up at 50/60/70 °C
/// (same file), which the simulator does not model, so above the measured range this is the board with its
/// fan held at the measured speed, e.g. a passively cooled Exynos-class package.
/// Sensors (docs/calibration.md#sensors): the board's INA231 rail monitors as the Hardkernel driver sets them
/// (exynos5422-odroidxu3.dts: config 0x45FF, 16 averages of 8.244 ms shunt + 8.244 ms bus conversions, update
/// period 263.808 ms; power computed by the driver as mV × mA, 1 mW steps, as the ARMPM logs show) and the
/// Exynos TMU (8-bit code in whole °C, drivers/thermal/samsung/exynos_tmu.c; the logs' readings are integers).
/// Counter noise 0.35 %: the relative spread of CPU_CYCLES per 0.5 s perf interval over the ARMPM 1-core rows
/// with a saturated core (4032 rows above 90 % of f × 0.5 s; docs/calibration.md#sensors), an upper bound that
/// includes brief OS idle. The power samples' period jitters by 0.21 ms in 509 ms (0.04 %), not modelled.
[[nodiscard]] inline platform odroid_xu3() {
    platform p = exynos5422("asv_board_b");
    p.name = "odroid_xu3";
    for (auto& is : p.islands) {
        is.r_th_k_per_w = 1.752;
        is.c_th_j_per_k = 0.5339;
    }
    p.thermal.package_r_k_per_w = 5.268;
    p.thermal.package_c_j_per_k = 2.617;
    p.thermal.ambient_c = 30.06;
    p.thermal.t_max_c = 70.0;
    p.sensors = {.power_window_s = 0.263808, .power_resolution_w = 0.001, .temp_resolution_c = 1.0, .counter_noise = 0.0035};
    return p;
}

/// Rockchip RK3399: little = 4 × Cortex-A53, big = 2 × Cortex-A72 (rk3399-opp.dtsi, rk3399.dtsi:
/// 100 and 436 µW/MHz/V², 40 µs). Leakage: 30 % of top-OPP power (`fraction` model; no chip figure).
[[nodiscard]] inline platform rk3399() {
    using detail::mhz_mv;
    platform p;
    p.name = "rk3399";
    p.islands.push_back(detail::make_island(
        "little", "cortex-a53", 4, mhz_mv({{408, 825}, {600, 825}, {816, 850}, {1008, 925}, {1200, 1000}, {1416, 1125}}),
        100.0, 0.75, 40e-6));
    p.islands.push_back(detail::make_island("big", "cortex-a72", 2,
                                            mhz_mv({{408, 825}, {600, 825}, {816, 825}, {1008, 875}, {1200, 950},
                                                    {1416, 1025}, {1608, 1100}, {1800, 1200}}),
                                            436.0, 0.75, 40e-6));
    p.islands[0].capacity = 485.0 / 1024.0;
    for (auto& is : p.islands) detail::leakage_fraction(is, 0.3);
    p.mem_bandwidth_accesses_per_s = 12.8e9 / 64.0;  // LPDDR4 2 × 32 bit
    return p;
}

/// Intel SCC (48 P54C cores): 6 voltage islands × 8 cores, table "rcce" (RCCE_power_management.c: tile
/// frequency 1600/divider MHz, lowest voltage level whose maximum frequency covers it). Voltage changes take
/// milliseconds (1,000,000 cycles of the RCCE emulator at the top 800 MHz = 1.25 ms). No published dynamic-power
/// coefficient: C_core = 100 pF is a default. Frequency per 2-core tile is not modelled (one frequency per island).
[[nodiscard]] inline platform intel_scc48() {
    using detail::mhz_mv;
    platform p;
    p.name = "intel_scc48";
    const auto table = mhz_mv({{100, 700}, {107, 700}, {114, 700}, {123, 700}, {133, 700}, {145, 700}, {160, 700},
                               {178, 700}, {200, 700}, {229, 700}, {267, 700}, {320, 700}, {400, 700}, {533, 800},
                               {800, 1100}});
    for (int k = 0; k < 6; ++k) {
        auto is = detail::make_island("vdom" + std::to_string(k), "p54c", 8, table, 100.0, 0.75, 1e6 / 800e6);
        detail::leakage_fraction(is, 0.3);
        p.islands.push_back(std::move(is));
    }
    p.thermal.grid_columns = 3;
    p.mem_bandwidth_accesses_per_s = 21.0e9 / 64.0;  // 4 DDR3 controllers
    return p;
}

/// Synthetic Sniper/HotSniper manycore with islands of the given sizes (e.g. {22, 22, 16, 4}) and `levels`
/// V/F levels evenly spaced over 1.0–4.0 GHz rounded to 100 MHz, V = 0.6 + 0.8·f/4 GHz (HotSniper's 22 nm
/// rule). C_core = 100 pF (default; Sniper takes dynamic power from McPAT), leakage scaled to HotSniper's
/// 0.92 W static power per core at 4 GHz and 70 °C, transition 30 µs fixed (midpoint of the suggested
/// 10–50 µs) + |ΔV|/(10 mV/µs), 4 DDR4-3200 channels shared.
[[nodiscard]] inline platform sniper_manycore(std::span<const std::size_t> island_cores, std::size_t levels = 8) {
    const std::string who = "l2s::sim::sniper_manycore";
    if (island_cores.empty()) throw invalid_config(who + ": island_cores is empty");
    if (levels < 2 || levels > 31) throw invalid_config(who + ": levels must be in [2, 31]");
    std::vector<opp> table;
    for (std::size_t l = 0; l < levels; ++l) {
        const double mhz = std::round((1000.0 + 3000.0 * static_cast<double>(l) / static_cast<double>(levels - 1)) / 100.0) * 100.0;
        table.push_back({mhz * 1e6, 0.6 + 0.8 * mhz / 4000.0});
    }
    platform p;
    std::size_t total = 0;
    for (std::size_t k = 0; k < island_cores.size(); ++k) {
        if (island_cores[k] == 0) throw invalid_config(who + ": island_cores[" + std::to_string(k) + "] is 0");
        auto is = detail::make_island("island" + std::to_string(k), "generic", island_cores[k], table, 100.0, 0.75, 30e-6);
        const opp top = table.back();
        is.leakage.scale = 1.0;
        is.leakage.scale = 0.92 * static_cast<double>(island_cores[k]) / is.leakage.power_w(top.volt_v, 70.0);
        total += island_cores[k];
        p.islands.push_back(std::move(is));
    }
    p.name = "sniper_manycore_" + std::to_string(total) + "c_" + std::to_string(island_cores.size()) + "i";
    p.thermal.grid_columns = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(island_cores.size()))));
    p.mem_bandwidth_accesses_per_s = 4.0 * 25.6e9 / 64.0;
    return p;
}

/// The template instantiated as in ../shared/data/platforms/README.md: total_cores / cores_per_island
/// identical islands. Default (DESIGN): 64 cores in 16 islands of 4, 8 levels.
[[nodiscard]] inline platform sniper_manycore(std::size_t total_cores = 64, std::size_t cores_per_island = 4,
                                              std::size_t levels = 8) {
    if (cores_per_island == 0 || total_cores == 0 || total_cores % cores_per_island != 0)
        throw invalid_config("l2s::sim::sniper_manycore: total_cores must be a positive multiple of cores_per_island");
    const std::vector<std::size_t> sizes(total_cores / cores_per_island, cores_per_island);
    return sniper_manycore(std::span<const std::size_t>(sizes), levels);
}

/// Cores per island of the article's 64-core, 4-VFI chip for a program (the L2S article sizes its four
/// voltage/frequency islands per application; DESIGN.md lists them): DEDUP 40/16/4/4, WATER 41/15/4/4, and
/// CANNEAL's 22/22/16/4 for every program the article does not list (and for mixes, "a+b").
[[nodiscard]] inline std::vector<std::size_t> article_4vfi_island_cores(std::string_view program) {
    if (program == "dedup") return {40, 16, 4, 4};
    if (program == "water_nsquared") return {41, 15, 4, 4};
    return {22, 22, 16, 4};
}

/// The article's chip for a program: sniper_manycore over article_4vfi_island_cores(program), 8 levels. Every
/// program's chip has 4 islands with the same V/F table, so one policy, gate and runtime model serve them all.
[[nodiscard]] inline platform article_4vfi(std::string_view program = "") {
    const auto sizes = article_4vfi_island_cores(program);
    platform p = sniper_manycore(std::span<const std::size_t>(sizes), 8);
    p.name = "article_4vfi_" + std::to_string(sizes[0]) + "_" + std::to_string(sizes[1]) + "_" + std::to_string(sizes[2]) +
             "_" + std::to_string(sizes[3]);
    return p;
}

/// Names accepted by builtin_platform.
[[nodiscard]] inline std::vector<std::string> builtin_platform_names() {
    return {"exynos5422",      "exynos5422_mainline", "odroid_xu3",         "rk3399",      "intel_scc48",
            "sniper_manycore", "sniper_manycore_16",  "sniper_manycore_256", "article_4vfi"};
}

/// A built-in platform by name (see builtin_platform_names); invalid_config listing the names otherwise.
[[nodiscard]] inline platform builtin_platform(std::string_view name) {
    if (name == "exynos5422") return exynos5422("asv_board_b");
    if (name == "exynos5422_mainline") return exynos5422("mainline");
    if (name == "odroid_xu3") return odroid_xu3();
    if (name == "rk3399") return rk3399();
    if (name == "intel_scc48") return intel_scc48();
    if (name == "sniper_manycore") return sniper_manycore(64, 4, 8);
    if (name == "sniper_manycore_16") return sniper_manycore(16, 4, 8);
    if (name == "sniper_manycore_256") return sniper_manycore(256, 8, 8);
    if (name == "article_4vfi") return article_4vfi();
    std::string list;
    for (const auto& n : builtin_platform_names()) list += (list.empty() ? "" : ", ") + n;
    throw invalid_config("l2s::sim::builtin_platform: unknown platform '" + std::string(name) + "' (" + list + ")");
}

/// The built-in platform `name` as it runs `program`: article_4vfi(program) for "article_4vfi" (island sizes
/// per application), builtin_platform(name) for every other name.
[[nodiscard]] inline platform builtin_platform_for(std::string_view name, std::string_view program) {
    return name == "article_4vfi" ? article_4vfi(program) : builtin_platform(name);
}

}  // namespace l2s::sim
