// SPDX-License-Identifier: MIT
// l2s/host/proc_stat.hpp: per-CPU busy time from /proc/stat, and busy fractions over an interval.
#pragma once
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/host/detail/sysfs.hpp>

namespace l2s::host {

/// Cumulative time of one CPU, in clock ticks (USER_HZ): busy = every column but idle and iowait.
struct cpu_time {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
    bool online = false;  ///< the CPU had a line in the file (hot-unplugged CPUs have none)
};

/// Busy fraction of a CPU between two readings, in [0, 1]; 0 when it was offline in either or no time passed.
[[nodiscard]] inline double busy_fraction(const cpu_time& before, const cpu_time& after) noexcept {
    if (!before.online || !after.online || after.total <= before.total || after.busy < before.busy) return 0.0;
    const double f = static_cast<double>(after.busy - before.busy) / static_cast<double>(after.total - before.total);
    return f < 0.0 ? 0.0 : (f > 1.0 ? 1.0 : f);
}

/// Reads <root>/proc/stat. Lines `cpuN user nice system idle iowait irq softirq steal guest guest_nice` give
/// CPU N's time (guest time is already inside user, so the first eight columns are summed; at least four
/// must be present). CPUs without a line are hot-unplugged and read as offline.
/// A malformed cpuN line throws io_error naming the file. The file stays open (re-read from offset 0).  @see docs/host.md#proc_stat
class proc_stat_reader {
public:
    explicit proc_stat_reader(std::filesystem::path root = "/") : file_(detail::under(root, "/proc/stat")) {}

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_.path(); }

    /// Fills out[c] for every CPU c of the file (out grows to the highest CPU + 1; entries of CPUs without a
    /// line are marked offline). No allocation once out and the internal buffer have their size.
    void read(std::vector<cpu_time>& out) {
        file_.read(buf_, who);
        for (auto& c : out) c.online = false;
        std::string_view s(buf_);
        while (!s.empty()) {
            const auto nl = s.find('\n');
            const std::string_view line = s.substr(0, nl);
            s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
            if (line.size() < 4 || line.substr(0, 3) != "cpu" || line[3] < '0' || line[3] > '9') continue;
            parse_line(line, out);
        }
    }

private:
    void parse_line(std::string_view line, std::vector<cpu_time>& out) const {
        const char* p = line.data() + 3;
        const char* end = line.data() + line.size();
        unsigned cpu = 0;
        auto r = std::from_chars(p, end, cpu);
        if (r.ec != std::errc() || cpu > 4095) throw malformed(line);
        p = r.ptr;
        std::uint64_t v[8] = {};
        int n = 0;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t')) ++p;
            if (p >= end) break;
            std::uint64_t x = 0;
            r = std::from_chars(p, end, x);
            if (r.ec != std::errc()) throw malformed(line);
            if (n < 8) v[n] = x;
            ++n;
            p = r.ptr;
        }
        if (n < 4) throw malformed(line);
        std::uint64_t all = 0;
        for (int i = 0; i < 8; ++i) all += v[i];
        const std::uint64_t idle = v[3] + v[4];
        if (out.size() <= cpu) out.resize(cpu + 1);
        out[cpu] = {all - idle, all, true};
    }
    [[nodiscard]] io_error malformed(std::string_view line) const {
        return io_error(std::string(who) + ": malformed line in " + file_.path().string() + ": '" + std::string(line) + "'");
    }

    static constexpr const char* who = "l2s::host::proc_stat_reader";
    detail::sysfs_file file_;
    std::string buf_;
};

}  // namespace l2s::host
