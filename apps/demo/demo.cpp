// apps/demo/demo.cpp: the l2s flagship demo (the README's first command). On the built-in 64-core
// Sniper-style manycore (16 islands x 4 cores, 8 V/F levels) and the built-in PARSEC/SPLASH-2x workloads it
// trains L2S on all programs but one (oracle search per program, imitation-learned softmax policy), then
// runs the Linux governors, the L2S policy, UaOL and the oracle on the held-out program and prints one
// table. Results JSON, the table, traces (CSV) and plots (SVG) go to the output folder.
//
//   l2s_demo [--out DIR] [--seed N] [--held-out NAME] [--intervals T] [--budget EVALS] [--quick]
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include <l2s/studies.hpp>
#include <l2s/studies/json.hpp>

int main(int argc, char** argv) {
    using namespace l2s;
    studies::loo_config cfg;
    std::string out = "out/demo";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "l2s_demo: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--out") out = value();
        else if (a == "--seed") cfg.seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--held-out") cfg.held_out = value();
        else if (a == "--intervals") cfg.intervals = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--budget") cfg.oracle_evaluations = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--quick") {
            cfg.intervals = 40;
            cfg.oracle_evaluations = 3000;
            cfg.applications = {"dedup", "barnes", "fmm", "streamcluster"};
        } else {
            std::cerr << "usage: l2s_demo [--out DIR] [--seed N] [--held-out NAME] [--intervals T] [--budget EVALS] "
                         "[--quick]\n";
            return a == "--help" ? 0 : 2;
        }
    }
    try {
        const auto t0 = std::chrono::steady_clock::now();
        std::cout << "l2s demo: leave-one-out on " << cfg.platform << ", held-out program " << cfg.held_out << ", T = "
                  << cfg.intervals << " intervals of 1 ms, EDP under a " << 100.0 * cfg.objective.max_slowdown
                  << " % slowdown budget, seed " << cfg.seed << "\n";
        const auto result = studies::leave_one_out(cfg, [&](const std::string& step) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::cout << "  [" << static_cast<int>(s) << " s] " << step << std::endl;
        });
        std::cout << "\ntrained on " << result.training.size() << " programs (" << result.training_samples
                  << " samples, imitation accuracy " << result.training_accuracy << "); "
                  << result.islands << " islands x " << result.levels << " levels\n\n";
        studies::write_loo_table(std::cout, result);
        const auto files = studies::write_loo_outputs(result, out);
        std::cout << "\nUaOL flagged " << 100.0 * result.uaol_unseen_total << " % of decisions unseen; EDP gap to the oracle "
                  << "per tenth of the run:";
        for (double g : result.uaol_window_gap) std::cout << ' ' << static_cast<int>(std::lround(100.0 * g)) << '%';
        std::cout << "\n\nwrote " << files.size() << " files to " << out << " (results.json, table.txt, edp.svg, traces)"
                  << " in " << result.seconds << " s\n";
    } catch (const l2s::error& e) {
        std::cerr << "l2s_demo: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
