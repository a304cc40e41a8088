// examples/06_armpm_online_power.cpp: the UaOL runtime power model learned online on measured traces.
// Streams every ARMPM-format file of a folder (default: $L2S_ARMPM_DIR, else ../shared/data/armpm next to
// the repository; any folder in that format works) row by row through a recursive-least-squares model
//   P = θ·[u·V²f, u·ipc·V²f, V²f, V·T²·e^{−2660/T}, 1]
// (u = CPU_CYCLES / (f·Δt·cores), the busy share; ipc = INST_RETIRED / CPU_CYCLES when the file has it; f in GHz)
// predicting each row before learning from it, and reports the mean absolute percentage error per benchmark
// and per stretch of samples seen (it falls as samples arrive).
// Data: Odroid-XU3 measurements, (c) 2019 Kris Nikov, kranik/ARMPM_BUILDMODEL, BSD-3-Clause (not shipped).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <l2s/io/armpm.hpp>
#include <l2s/online/rls.hpp>

#include "armpm_folder.hpp"

int main(int argc, char** argv) {
    using namespace l2s;
    const auto folder = armpm_folder(argc, argv);
    if (!folder) return 0;
    const std::filesystem::path& dir = *folder;
    const auto tables = io::read_armpm_folder(dir);
    io::armpm_columns_config names;
    struct stat {
        double ape = 0.0;
        std::size_t n = 0;
    };
    std::map<std::string, stat> per_benchmark;
    const std::size_t edges[] = {0, 10, 100, 1000, 10000, static_cast<std::size_t>(-1)};
    stat per_stretch[5];
    std::size_t files = 0;
    for (const auto& t : tables) {
        if (!t.has(names.cycles) || !t.has(names.power_suffix, true) || !t.has(names.voltage_suffix, true) ||
            !t.has(names.freq_suffix, true) || !t.has(names.temperature_suffix, true))
            continue;
        ++files;
        const auto& ts = t.column(names.timestamp);
        const auto& f_mhz = t.column(names.freq_suffix, true);
        const auto& volt = t.column(names.voltage_suffix, true);
        const auto& power = t.column(names.power_suffix, true);
        const auto& temp = t.column(names.temperature_suffix, true);
        const auto& cycles = t.column(names.cycles);
        const std::vector<double>* instr = t.has(names.instructions) ? &t.column(names.instructions) : nullptr;
        online::rls model(vec::Zero(5), {.forgetting = 0.999});
        std::size_t seen = 0;
        for (std::size_t r = 1; r < t.num_rows(); ++r) {
            const double dt = (ts[r] - ts[r - 1]) * 1e-9;
            if (!(dt > 0.0 && dt < 5.0) || !std::isfinite(power[r]) || !(power[r] > 0.0) || !std::isfinite(cycles[r]))
                continue;
            const double f = f_mhz[r] * 1e-3, v = volt[r], tk = temp[r] + 273.15;
            const double u = std::min(1.0, cycles[r] / (f_mhz[r] * 1e6 * dt * t.cores));
            const double ipc = instr && cycles[r] > 0.0 ? (*instr)[r] / cycles[r] : 0.0;
            vec x(5);
            x << u * v * v * f, u * ipc * v * v * f, v * v * f, v * tk * tk * std::exp(-2660.0 / tk), 1.0;
            if (!x.allFinite()) continue;
            if (seen > 0) {
                const double ape = std::abs(model.predict(x).mean - power[r]) / power[r];
                auto& b = per_benchmark[t.benchmark[r]];
                b.ape += ape;
                ++b.n;
                for (int s = 0; s < 5; ++s)
                    if (seen >= edges[s] && seen < edges[s + 1]) {
                        per_stretch[s].ape += ape;
                        ++per_stretch[s].n;
                    }
            }
            model.update(x, power[r]);
            ++seen;
        }
    }
    std::printf("online RLS power model on %zu files in %s\n\n%-26s %8s %9s\n", files, dir.string().c_str(), "benchmark",
                "samples", "MAPE (%)");
    for (const auto& [name, s] : per_benchmark)
        std::printf("%-26s %8zu %9.2f\n", name.c_str(), s.n, 100.0 * s.ape / static_cast<double>(s.n));
    std::printf("\nMAPE by samples already seen in the file:\n");
    const char* label[] = {"1-9", "10-99", "100-999", "1000-9999", ">= 10000"};
    for (int s = 0; s < 5; ++s)
        if (per_stretch[s].n)
            std::printf("  %-10s %8zu samples %9.2f %%\n", label[s], per_stretch[s].n,
                        100.0 * per_stretch[s].ape / static_cast<double>(per_stretch[s].n));
    return files > 0 ? 0 : 1;
}
