// Fake procfs/sysfs trees for the host tests: a temporary folder standing in for "/".
#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace l2s_test {

/// The cpufreq folder of sysfs (re-rooted under a fake tree by its users).
inline const std::string cf = "/sys/devices/system/cpu/cpufreq/";

namespace fs = std::filesystem;

struct fake_tree {
    fs::path root;
    /// A tree under base (default: the temporary folder; benchmarks use /dev/shm, in memory like sysfs).
    explicit fake_tree(const std::string& tag, const fs::path& base = fs::temp_directory_path()) {
        std::random_device rd;
        root = base / ("l2s_host_" + tag + "_" + std::to_string(rd()));
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~fake_tree() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fake_tree(const fake_tree&) = delete;
    fake_tree& operator=(const fake_tree&) = delete;

    /// Writes text to root/rel (rel is a system path such as "/proc/stat").
    void put(const std::string& rel, const std::string& text) const {
        const fs::path p = root / rel.substr(rel.front() == '/' ? 1 : 0);
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
    }
    [[nodiscard]] std::string get(const std::string& rel) const {
        std::ifstream in(root / rel.substr(rel.front() == '/' ? 1 : 0));
        std::string s;
        std::getline(in, s);
        return s;
    }
    /// /proc/stat from per-CPU (busy, idle) jiffies; CPUs with busy < 0 are absent (hot-unplugged).
    void stat(const std::vector<std::pair<long, long>>& cpus) const {
        std::string s = "cpu  0 0 0 0 0 0 0 0 0 0\n";
        for (std::size_t c = 0; c < cpus.size(); ++c) {
            if (cpus[c].first < 0) continue;
            s += "cpu" + std::to_string(c) + " " + std::to_string(cpus[c].first) + " 0 0 " + std::to_string(cpus[c].second) +
                 " 0 0 0 0 0 0\n";
        }
        s += "intr 12345 0 0\nctxt 999\n";
        put("/proc/stat", s);
    }
    /// A cpufreq policy folder.
    void policy(int n, const std::string& cpus, const std::string& driver, const std::string& governor,
                const std::string& table, long min_khz, long max_khz, long cur_khz) const {
        const std::string p = "/sys/devices/system/cpu/cpufreq/policy" + std::to_string(n) + "/";
        put(p + "related_cpus", cpus + "\n");
        put(p + "affected_cpus", cpus + "\n");
        put(p + "scaling_driver", driver + "\n");
        put(p + "scaling_governor", governor + "\n");
        if (!table.empty()) put(p + "scaling_available_frequencies", table + "\n");
        put(p + "cpuinfo_min_freq", std::to_string(min_khz) + "\n");
        put(p + "cpuinfo_max_freq", std::to_string(max_khz) + "\n");
        put(p + "scaling_min_freq", std::to_string(min_khz) + "\n");
        put(p + "scaling_max_freq", std::to_string(max_khz) + "\n");
        put(p + "scaling_cur_freq", std::to_string(cur_khz) + "\n");
        put(p + "scaling_available_governors", "userspace performance powersave schedutil ondemand\n");
        if (governor == "userspace") put(p + "scaling_setspeed", std::to_string(cur_khz) + "\n");
        else put(p + "scaling_setspeed", "<unsupported>\n");
    }
    void hwmon(int n, const std::string& name) const { put("/sys/class/hwmon/hwmon" + std::to_string(n) + "/name", name + "\n"); }
    void hwmon_value(int n, const std::string& file, long v) const {
        put("/sys/class/hwmon/hwmon" + std::to_string(n) + "/" + file, std::to_string(v) + "\n");
    }
    void thermal_zone(int n, const std::string& type, long millic) const {
        put("/sys/class/thermal/thermal_zone" + std::to_string(n) + "/type", type + "\n");
        put("/sys/class/thermal/thermal_zone" + std::to_string(n) + "/temp", std::to_string(millic) + "\n");
    }
    void rapl(const std::string& zone, unsigned long long energy_uj, unsigned long long max_uj) const {
        put("/sys/class/powercap/" + zone + "/energy_uj", std::to_string(energy_uj) + "\n");
        put("/sys/class/powercap/" + zone + "/max_energy_range_uj", std::to_string(max_uj) + "\n");
        put("/sys/class/powercap/" + zone + "/name", "package-0\n");
    }
};

}  // namespace l2s_test
