// SPDX-License-Identifier: MIT
// l2s/host/cpufreq.hpp: a Linux cpufreq "userspace" governor adapter (read utilisation, write scaling_setspeed).
//
// Linux exposes one cpufreq *policy* per frequency domain under /sys/devices/system/cpu/cpufreq/policyN with
// related_cpus, scaling_available_frequencies (kHz, any order), scaling_governor, scaling_cur_freq and, under
// the userspace governor, the writable scaling_setspeed (kHz). CPU time per core comes from /proc/stat.
// See docs/host.md for the real paths, permissions and a daemon loop.
#pragma once
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/file_ops.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::host {

/// Where the adapter reads and writes.  @see docs/host.md#cpufreq_userspace
struct cpufreq_config {
    std::filesystem::path cpufreq_root = "/sys/devices/system/cpu/cpufreq";  ///< folder holding policyN/
    std::filesystem::path proc_stat = "/proc/stat";                          ///< per-CPU time counters
    /// Optional thermal sensor per domain, in millidegrees Celsius (e.g. /sys/class/thermal/thermal_zone0/temp);
    /// empty, or fewer entries than domains, leaves temp_c at 0 for the rest.
    std::vector<std::filesystem::path> temp_millic_paths{};
    double active_threshold = 0.05;  ///< a core with busy fraction above this counts as active
    /// The system calls of the sysfs writes (l2s::write_value_direct); tests replace them to inject failures.
    file_ops sysfs_ops{};
};

/// One cpufreq policy (frequency domain): its CPUs and its frequency table in ascending order.
struct cpufreq_domain {
    std::string name;                        ///< e.g. "policy4"
    std::vector<unsigned> cpus;              ///< related_cpus
    std::vector<std::uint32_t> freq_khz;     ///< scaling_available_frequencies, ascending
};

/// The cpufreq userspace-governor adapter. Construction discovers the domains; sample() fills a
/// dvfs::observation (utilisation of the busiest core, active cores, current frequency and level, optional
/// temperature); apply() writes one level per domain to scaling_setspeed. It refuses to write a frequency the
/// domain does not list, and writes nothing unless every domain's governor is "userspace".
class cpufreq_userspace {
public:
    using config = cpufreq_config;

    explicit cpufreq_userspace(config cfg = {}) : cfg_(std::move(cfg)) {
        namespace fs = std::filesystem;
        if (!fs::is_directory(cfg_.cpufreq_root))
            throw io_error(who("") + "no cpufreq folder at " + cfg_.cpufreq_root.string());
        std::vector<fs::path> dirs;
        for (const auto& e : fs::directory_iterator(cfg_.cpufreq_root))
            if (e.is_directory() && e.path().filename().string().rfind("policy", 0) == 0) dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) { return policy_number(a) < policy_number(b); });
        if (dirs.empty()) throw io_error(who("") + "no policyN folder under " + cfg_.cpufreq_root.string());
        for (const auto& d : dirs) {
            cpufreq_domain dom;
            dom.name = d.filename().string();
            dom.cpus = parse_cpu_list(read_text(d / "related_cpus"), d / "related_cpus");
            std::istringstream in(read_text(d / "scaling_available_frequencies"));
            for (std::int64_t f; in >> f;) {
                if (f <= 0) throw io_error(who("") + "non-positive frequency in " + (d / "scaling_available_frequencies").string());
                dom.freq_khz.push_back(static_cast<std::uint32_t>(f));
            }
            if (dom.freq_khz.empty())
                throw io_error(who("") + "no frequencies in " + (d / "scaling_available_frequencies").string() +
                               " (drivers without a frequency table, such as intel_pstate, are not supported)");
            std::sort(dom.freq_khz.begin(), dom.freq_khz.end());
            dom.freq_khz.erase(std::unique(dom.freq_khz.begin(), dom.freq_khz.end()), dom.freq_khz.end());
            domains_.push_back(std::move(dom));
            paths_.push_back(d);
        }
        unsigned max_cpu = 0;
        for (const auto& d : domains_)
            for (unsigned c : d.cpus) max_cpu = std::max(max_cpu, c);
        prev_busy_.assign(max_cpu + 1, 0);
        prev_total_.assign(max_cpu + 1, 0);
        read_proc_stat(prev_busy_, prev_total_);
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return domains_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const { return domains_.at(k).freq_khz.size(); }
    [[nodiscard]] const cpufreq_domain& domain(std::size_t k) const { return domains_.at(k); }

    /// True when every domain runs the userspace governor (required by apply()).
    [[nodiscard]] bool userspace_active() const {
        for (const auto& p : paths_)
            if (trim(read_text(p / "scaling_governor")) != "userspace") return false;
        return true;
    }
    /// Switches every domain to the userspace governor (needs root). Throws io_error on failure.
    void select_userspace_governor() const {
        for (const auto& p : paths_) write_text(p / "scaling_governor", "userspace");
    }

    /// Reads counters since the previous sample into obs (sized for num_islands() on first use).
    void sample(dvfs::observation& obs) {
        std::vector<std::uint64_t> busy(prev_busy_.size(), 0), total(prev_total_.size(), 0);
        read_proc_stat(busy, total);
        if (obs.num_islands() != domains_.size()) obs.resize(domains_.size());
        double max_temp = 0.0;
        for (std::size_t k = 0; k < domains_.size(); ++k) {
            double util = 0.0;
            std::uint32_t active = 0;
            for (unsigned c : domains_[k].cpus) {
                const auto dt = total[c] - prev_total_[c];
                const double u = dt == 0 ? 0.0 : static_cast<double>(busy[c] - prev_busy_[c]) / static_cast<double>(dt);
                util = std::max(util, u);
                if (u > cfg_.active_threshold) ++active;
            }
            const auto cur = read_uint(paths_[k] / "scaling_cur_freq");
            obs.utilisation[k] = std::clamp(util, 0.0, 1.0);
            obs.active_cores[k] = active;
            obs.freq_hz[k] = 1e3 * static_cast<double>(cur);
            obs.level[k] = nearest_level(k, cur);
            if (k < cfg_.temp_millic_paths.size() && !cfg_.temp_millic_paths[k].empty())
                obs.temp_c[k] = 1e-3 * static_cast<double>(read_uint(cfg_.temp_millic_paths[k]));
            max_temp = std::max(max_temp, obs.temp_c[k]);
        }
        obs.max_temp_c = max_temp;
        ++obs.interval;
        prev_busy_ = std::move(busy);
        prev_total_ = std::move(total);
    }

    /// Writes the frequency of levels[k] to domain k's scaling_setspeed. Checks everything first
    /// (sizes, ranges, userspace governor) so that on error nothing has been written.
    void apply(const dvfs::action& levels) const {
        if (levels.size() != domains_.size())
            throw dimension_mismatch(who("apply") + std::to_string(levels.size()) + " levels for " +
                                     std::to_string(domains_.size()) + " domains");
        for (std::size_t k = 0; k < levels.size(); ++k)
            if (levels[k] >= domains_[k].freq_khz.size())
                throw invalid_argument(who("apply") + "level " + std::to_string(levels[k]) + " out of range for " +
                                       domains_[k].name);
        require_userspace("apply");
        for (std::size_t k = 0; k < levels.size(); ++k)
            write_text(paths_[k] / "scaling_setspeed", std::to_string(domains_[k].freq_khz[levels[k]]));
    }
    /// Writes a frequency (kHz) to domain k; refuses one the domain does not list.
    void set_frequency_khz(std::size_t k, std::uint32_t khz) const {
        if (k >= domains_.size()) throw invalid_argument(who("set_frequency_khz") + "no domain " + std::to_string(k));
        const auto& f = domains_[k].freq_khz;
        if (!std::binary_search(f.begin(), f.end(), khz))
            throw invalid_argument(who("set_frequency_khz") + std::to_string(khz) + " kHz is not listed by " +
                                   domains_[k].name + "/scaling_available_frequencies");
        require_userspace("set_frequency_khz");
        write_text(paths_[k] / "scaling_setspeed", std::to_string(khz));
    }

private:
    static std::string who(const char* fn) {
        return std::string("l2s::host::cpufreq_userspace") + (*fn ? "::" : "") + fn + ": ";
    }
    static long policy_number(const std::filesystem::path& p) {
        try {
            return std::stol(p.filename().string().substr(6));
        } catch (...) {
            return -1;
        }
    }
    static std::string trim(std::string s) {
        const auto b = s.find_first_not_of(" \t\r\n");
        const auto e = s.find_last_not_of(" \t\r\n");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }
    static std::string read_text(const std::filesystem::path& p) {
        std::ifstream in(p);
        if (!in) throw io_error(who("") + "cannot read " + p.string());
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    static std::uint64_t read_uint(const std::filesystem::path& p) {
        const std::string t = trim(read_text(p));
        try {
            std::size_t used = 0;
            const auto v = std::stoull(t, &used);
            if (used != t.size()) throw std::invalid_argument(t);
            return v;
        } catch (const std::exception&) {
            throw io_error(who("") + "not an unsigned integer in " + p.string() + ": '" + t + "'");
        }
    }
    /// One value, one write(2): a failure or a short write is an io_error naming the path.
    void write_text(const std::filesystem::path& p, const std::string& v) const {
        write_value_direct(p, v, "l2s::host::cpufreq_userspace", cfg_.sysfs_ops);
    }
    /// "0-3,6" → {0, 1, 2, 3, 6}; also accepts the space-separated form of related_cpus.
    static std::vector<unsigned> parse_cpu_list(std::string s, const std::filesystem::path& p) {
        std::replace(s.begin(), s.end(), ',', ' ');
        std::istringstream in(s);
        std::vector<unsigned> cpus;
        for (std::string tok; in >> tok;) {
            const auto dash = tok.find('-');
            try {
                const unsigned a = static_cast<unsigned>(std::stoul(tok.substr(0, dash)));
                const unsigned b = dash == std::string::npos ? a : static_cast<unsigned>(std::stoul(tok.substr(dash + 1)));
                if (b < a || b > 4095) throw std::out_of_range(tok);
                for (unsigned c = a; c <= b; ++c) cpus.push_back(c);
            } catch (const std::exception&) {
                throw io_error(who("") + "bad CPU list '" + tok + "' in " + p.string());
            }
        }
        if (cpus.empty()) throw io_error(who("") + "empty CPU list in " + p.string());
        return cpus;
    }
    void read_proc_stat(std::vector<std::uint64_t>& busy, std::vector<std::uint64_t>& total) const {
        std::ifstream in(cfg_.proc_stat);
        if (!in) throw io_error(who("") + "cannot read " + cfg_.proc_stat.string());
        std::vector<bool> seen(busy.size(), false);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("cpu", 0) != 0 || line.size() < 4 || !std::isdigit(static_cast<unsigned char>(line[3]))) continue;
            std::istringstream ls(line.substr(3));
            unsigned cpu = 0;
            ls >> cpu;
            std::uint64_t v[10] = {};
            int n = 0;
            while (n < 10 && ls >> v[n]) ++n;
            if (n < 4) throw io_error(who("") + "malformed line in " + cfg_.proc_stat.string() + ": " + line);
            if (cpu >= busy.size()) continue;
            // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
            const std::uint64_t idle = v[3] + (n > 4 ? v[4] : 0);
            std::uint64_t all = 0;
            for (int i = 0; i < std::min(n, 8); ++i) all += v[i];
            busy[cpu] = all - idle;
            total[cpu] = all;
            seen[cpu] = true;
        }
        for (const auto& d : domains_)
            for (unsigned c : d.cpus)
                if (!seen[c]) throw io_error(who("") + "cpu" + std::to_string(c) + " missing from " + cfg_.proc_stat.string());
    }
    [[nodiscard]] level_t nearest_level(std::size_t k, std::uint64_t khz) const {
        const auto& f = domains_[k].freq_khz;
        std::size_t best = 0;
        for (std::size_t l = 1; l < f.size(); ++l)
            if (std::llabs(static_cast<long long>(f[l]) - static_cast<long long>(khz)) <
                std::llabs(static_cast<long long>(f[best]) - static_cast<long long>(khz)))
                best = l;
        return static_cast<level_t>(best);
    }
    void require_userspace(const char* fn) const {
        for (const auto& p : paths_)
            if (trim(read_text(p / "scaling_governor")) != "userspace")
                throw invalid_argument(who(fn) + p.filename().string() +
                                       " does not run the userspace governor (select_userspace_governor() or "
                                       "echo userspace > scaling_governor)");
    }

    config cfg_;
    std::vector<cpufreq_domain> domains_;
    std::vector<std::filesystem::path> paths_;
    std::vector<std::uint64_t> prev_busy_, prev_total_;
};

}  // namespace l2s::host
