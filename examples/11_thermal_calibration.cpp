// examples/11_thermal_calibration.cpp: calibrate a chip's thermal model on measured traces, check it on
// held-out programs, and put it into a platform.
// Reads every single-session ARMPM-format file of a folder (default: $L2S_ARMPM_DIR, else ../shared/data/armpm
// next to the repository) and its train/test split (PARSEC_split.data), fits a 2-term Foster network on the
// training programs (one ambient per session), reports the held-out error against a persistence forecast,
// converts the network into the simulator's island-over-package ladder, and runs every built-in program flat
// out for 100 s on the calibrated board (sim::odroid_xu3, which carries this fit) to show how close the
// thermal limit comes. With a second argument, writes an SVG of two held-out executions, measured and predicted:
// the one whose temperature moves most and the one the model predicts worst. The numbers and the plot are in
// docs/calibration.md#thermal.
// Data: Odroid-XU3 measurements, (c) 2019 Kris Nikov, kranik/ARMPM_BUILDMODEL, BSD-3-Clause (not shipped).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include <l2s/io/armpm.hpp>
#include <l2s/io/trace.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/simulator.hpp>
#include <l2s/sim/thermal_fit.hpp>

#include "armpm_folder.hpp"

int main(int argc, char** argv) {
    using namespace l2s;
    const auto folder = armpm_folder(argc, argv);
    if (!folder) return 0;
    const std::filesystem::path& dir = *folder;
    const auto split = io::read_armpm_split(dir / "PARSEC_split.data");
    std::vector<io::armpm_table> sessions;
    for (auto& t : io::read_armpm_folder(dir))
        if (t.source.find("_el") != std::string::npos) sessions.push_back(std::move(t));
    std::vector<sim::thermal_trace> train, test;
    std::vector<std::string> test_names;
    for (auto& x : io::armpm_thermal_traces(sessions)) {
        if (!split.is_train(x.benchmark)) test_names.push_back(x.benchmark);
        (split.is_train(x.benchmark) ? train : test).push_back(std::move(x.trace));
    }

    const auto fit = sim::fit_thermal_model(train);
    const auto held = fit.errors(test);
    const auto flat_train = sim::persistence_errors(train), flat_test = sim::persistence_errors(test);
    std::printf("Foster network (2 terms) fitted on %zu executions of %zu training programs, %zu sessions\n", train.size(),
                split.train.size(), fit.ambient_c.size());
    for (std::size_t i = 0; i < fit.tau_s.size(); ++i)
        std::printf("  term %zu: R %.4f K/W, tau %.4f s\n", i + 1, fit.r_k_per_w[i], fit.tau_s[i]);
    std::printf("  session ambients (C):");
    double mean_ambient = 0.0;
    for (double a : fit.ambient_c) std::printf(" %.2f", a), mean_ambient += a / static_cast<double>(fit.ambient_c.size());
    std::printf("  (mean %.2f)\n\n", mean_ambient);
    std::printf("| readings | executions | model RMSE (C) | model max |err| (C) | model bias (C) | persistence RMSE (C) | persistence max (C) |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    std::printf("| training: %zu | %zu | %.3f | %.2f | %+.3f | %.3f | %.0f |\n", fit.fit.num_samples, train.size(), fit.fit.rmse_c,
                fit.fit.max_abs_err_c, fit.fit.bias_c, flat_train.rmse_c, flat_train.max_abs_err_c);
    std::printf("| held out: %zu | %zu | %.3f | %.2f | %+.3f | %.3f | %.0f |\n\n", held.num_samples, test.size(), held.rmse_c,
                held.max_abs_err_c, held.bias_c, flat_test.rmse_c, flat_test.max_abs_err_c);
    if (argc > 2) {  // the plot: largest swing, and largest error
        std::size_t swing = 0, worst = 0;
        double best_swing = -1.0, worst_err = -1.0;
        for (std::size_t i = 0; i < test.size(); ++i) {
            const auto [lo, hi] = std::minmax_element(test[i].temp_c.begin(), test[i].temp_c.end());
            if (*hi - *lo > best_swing) best_swing = *hi - *lo, swing = i;
            const std::vector<sim::thermal_trace> one{test[i]};
            const double e = fit.errors(one).max_abs_err_c;
            if (e > worst_err) worst_err = e, worst = i;
        }
        std::vector<io::svg_line> lines;
        for (std::size_t i : {swing, worst}) {
            const auto& tr = test[i];
            const std::string name = test_names[i] + (i == swing ? " (largest swing)" : " (largest error)");
            lines.push_back({name + ", measured", tr.time_s, tr.temp_c, false});
            lines.push_back({name + ", model", tr.time_s, fit.predict(tr, fit.ambient_c[tr.group]), true});
        }
        std::ofstream svg(argv[2]);
        io::write_line_svg(svg, lines, "Held-out die temperature: measured (integer readings) and the fitted network",
                           "time since the execution started (s)", "temperature (C)");
        std::printf("wrote %s\n\n", argv[2]);
    }
    const auto l = fit.ladder();
    std::printf("simulator ladder: island r %.4f K/W, c %.4f J/K; package R %.4f K/W, C %.4f J/K\n\n", l.island_r_k_per_w,
                l.island_c_j_per_k, l.package_r_k_per_w, l.package_c_j_per_k);

    // every built-in program flat out for 100 s (2000 intervals of 50 ms) on the calibrated board
    const auto board = sim::odroid_xu3();
    sim::sim_config cfg;
    cfg.interval_s = 0.05;
    std::printf("%s flat out for 100 s (t_max %.0f C, ambient %.2f C):\n\n", board.name.c_str(), board.thermal.t_max_c,
                board.thermal.ambient_c);
    std::printf("| program | start (C) | peak (C) | time over t_max | mean power (W) |\n|---|---|---|---|---|\n");
    std::vector<level_t> top;
    for (std::size_t k = 0; k < board.num_islands(); ++k) top.push_back(static_cast<level_t>(board.num_levels(k) - 1));
    for (const auto& name : sim::parsec_names()) {
        const sim::simulator s(board, sim::parsec_workload(name, board.num_islands(), {.intervals = 2000}), cfg);
        auto st = s.initial_state();
        double start = *std::max_element(st.temp_c.begin(), st.temp_c.end()), peak = start, over = 0.0, t = 0.0, e = 0.0;
        for (std::size_t i = 0; i < s.num_intervals(); ++i) {
            const auto r = s.step(st, top.data());
            peak = std::max(peak, r.peak_temp_c);
            over += r.time_over_limit_s;
            t += r.time_s;
            e += r.energy_j;
        }
        std::printf("| %s | %.1f | %.1f | %.1f %% | %.2f |\n", name.c_str(), start, peak, 100.0 * over / t, e / t);
    }
    return 0;
}
