// Fuzzes the cpufreq adapter's readers of /proc/stat and sysfs text (CPU lists, frequency tables).
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <l2s/host/cpufreq.hpp>

#include "fuzz_target.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fs::path root = fs::temp_directory_path() / ("l2s_fuzz_cpufreq_" + std::to_string(::getpid()));
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        // The input is split at the first two NUL bytes into /proc/stat, related_cpus and the frequency table.
        const auto a = text.find('\0');
        const auto b = a == std::string::npos ? std::string::npos : text.find('\0', a + 1);
        const std::string stat = text.substr(0, a);
        const std::string cpus = a == std::string::npos ? "0" : text.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
        const std::string freqs = b == std::string::npos ? "1000 2000" : text.substr(b + 1);
        fs::create_directories(root / "cpufreq/policy0");
        std::ofstream(root / "stat") << stat;
        std::ofstream(root / "cpufreq/policy0/related_cpus") << cpus;
        std::ofstream(root / "cpufreq/policy0/scaling_available_frequencies") << freqs;
        std::ofstream(root / "cpufreq/policy0/scaling_governor") << "userspace";
        std::ofstream(root / "cpufreq/policy0/scaling_cur_freq") << "1000";
        l2s::host::cpufreq_userspace gov({.cpufreq_root = root / "cpufreq", .proc_stat = root / "stat"});
        l2s::dvfs::observation obs;
        gov.sample(obs);
    });
}
