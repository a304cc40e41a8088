// SPDX-License-Identifier: MIT
// l2s/host/perf_counters.hpp: PMU counters per CPU through perf_event_open (instructions, cycles, cache
// misses as the memory-access event), one group per CPU, scaled for multiplexing, summed per frequency domain.
#pragma once
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <linux/perf_event.h>  // perf_event_attr, PERF_* constants
#include <sys/ioctl.h>         // ioctl (enable the groups)
#include <sys/syscall.h>       // SYS_perf_event_open
#include <unistd.h>            // syscall, read, close

#include <l2s/core/error.hpp>

namespace l2s::host {

/// The PMU cannot be used: no hardware events (virtual machines expose only software events), or access was
/// denied (perf_event_paranoid, missing CAP_PERFMON). The message starts with "l2s::host::perf_counters: ",
/// says why, and names the observation fields that are then unavailable (`unavailable_fields`).
class pmu_unavailable : public io_error {
public:
    using io_error::io_error;
};

/// One counter of a group as perf reads it with PERF_FORMAT_TOTAL_TIME_ENABLED/RUNNING.
struct counter_reading {
    std::uint64_t value = 0;
    std::uint64_t time_enabled_ns = 0;  ///< time the event was enabled
    std::uint64_t time_running_ns = 0;  ///< time it was actually counting (less when multiplexed)
};

/// Count over the interval between two readings, scaled for multiplexing: Δvalue · Δenabled / Δrunning
/// (Δvalue when the counter ran the whole time; 0 when it never ran).
[[nodiscard]] constexpr double scaled_delta(const counter_reading& before, const counter_reading& after) noexcept {
    const std::uint64_t dv = after.value >= before.value ? after.value - before.value : 0;
    const std::uint64_t de = after.time_enabled_ns >= before.time_enabled_ns ? after.time_enabled_ns - before.time_enabled_ns : 0;
    const std::uint64_t dr = after.time_running_ns >= before.time_running_ns ? after.time_running_ns - before.time_running_ns : 0;
    if (dr == 0) return 0.0;
    if (dr >= de) return static_cast<double>(dv);
    return static_cast<double>(dv) * (static_cast<double>(de) / static_cast<double>(dr));
}

/// Scaled counts of one domain over an interval (sums over its CPUs).
struct pmu_counts {
    double instructions = 0.0;
    double cycles = 0.0;
    double mem_accesses = 0.0;  ///< last-level cache misses
};

/// One perf group per CPU: cycles (leader), instructions, cache misses; counted system-wide on that CPU
/// (pid = −1), which needs root, CAP_PERFMON or perf_event_paranoid ≤ 0. read() returns the scaled counts
/// since the previous read, summed per domain. CPUs that are offline (ENODEV) are skipped.
/// @see docs/host.md#perf_counters
class perf_counters {
public:
    /// The observation fields that need this reader.
    static constexpr const char* unavailable_fields = "ipc, mem_per_instr, mem_per_s";

    /// domain_cpus[k]: the CPUs of domain k. Throws pmu_unavailable (closing what it opened) when a hardware
    /// event cannot be opened.
    explicit perf_counters(const std::vector<std::vector<unsigned>>& domain_cpus) {
        try {
            for (std::size_t k = 0; k < domain_cpus.size(); ++k)
                for (unsigned c : domain_cpus[k]) open_group(c, k);
        } catch (...) {
            close_all();
            throw;
        }
        num_domains_ = domain_cpus.size();
        if (groups_.empty())
            throw pmu_unavailable(std::string(who) + ": no CPU could be counted; unavailable: " + unavailable_fields);
        for (auto& g : groups_) ::ioctl(g.fd[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
        for (auto& g : groups_) read_group(g, g.last);
    }
    perf_counters(const perf_counters&) = delete;
    perf_counters& operator=(const perf_counters&) = delete;
    perf_counters(perf_counters&& o) noexcept : groups_(std::move(o.groups_)), num_domains_(o.num_domains_) { o.groups_.clear(); }
    perf_counters& operator=(perf_counters&& o) noexcept {
        if (this != &o) {
            close_all();
            groups_ = std::move(o.groups_);
            num_domains_ = o.num_domains_;
            o.groups_.clear();
        }
        return *this;
    }
    ~perf_counters() { close_all(); }

    [[nodiscard]] std::size_t num_cpus() const noexcept { return groups_.size(); }

    /// out[k] = domain k's scaled counts since the previous read (or construction). Throws io_error if a
    /// group cannot be read.
    void read(std::span<pmu_counts> out) {
        for (auto& o : out) o = {};
        for (auto& g : groups_) {
            reading now[3];
            read_group(g, now);
            if (g.domain < out.size()) {
                out[g.domain].cycles += scaled_delta(g.last[0], now[0]);
                out[g.domain].instructions += scaled_delta(g.last[1], now[1]);
                out[g.domain].mem_accesses += scaled_delta(g.last[2], now[2]);
            }
            for (int i = 0; i < 3; ++i) g.last[i] = now[i];
        }
    }

private:
    using reading = counter_reading;
    struct group {
        int fd[3] = {-1, -1, -1};
        std::size_t domain = 0;
        unsigned cpu = 0;
        reading last[3]{};
    };

    static int open_event(std::uint64_t config, unsigned cpu, int group_fd) {
        perf_event_attr a{};
        a.type = PERF_TYPE_HARDWARE;
        a.size = sizeof(a);
        a.config = config;
        a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
        if (group_fd < 0) a.disabled = 1;
        a.exclude_hv = 1;
        return static_cast<int>(::syscall(SYS_perf_event_open, &a, -1, static_cast<int>(cpu), group_fd, PERF_FLAG_FD_CLOEXEC));
    }

    void open_group(unsigned cpu, std::size_t k) {
        static constexpr std::uint64_t events[3] = {PERF_COUNT_HW_CPU_CYCLES, PERF_COUNT_HW_INSTRUCTIONS,
                                                    PERF_COUNT_HW_CACHE_MISSES};
        static constexpr const char* names[3] = {"cycles", "instructions", "cache-misses"};
        group g;
        g.domain = k;
        g.cpu = cpu;
        for (int i = 0; i < 3; ++i) {
            g.fd[i] = open_event(events[i], cpu, i == 0 ? -1 : g.fd[0]);
            if (g.fd[i] < 0) {
                const int e = errno;
                for (int j = 0; j < i; ++j) ::close(g.fd[j]);
                if (e == ENODEV && i == 0) return;  // CPU offline (hot-unplugged)
                throw pmu_unavailable(reason(e, names[i], cpu));
            }
        }
        groups_.push_back(g);
    }

    [[nodiscard]] static std::string reason(int e, const char* event, unsigned cpu) {
        std::string why;
        if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV || e == EINVAL)
            why = "no PMU: the hardware event '" + std::string(event) + "' is not supported (" + std::strerror(e) +
                  "; virtual machines expose only software events)";
        else if (e == EACCES || e == EPERM)
            why = "access denied opening '" + std::string(event) + "' (" + std::strerror(e) +
                  "): system-wide counting needs root, CAP_PERFMON or /proc/sys/kernel/perf_event_paranoid <= 0";
        else
            why = "cannot open '" + std::string(event) + "' (" + std::strerror(e) + ")";
        return std::string(who) + ": cpu" + std::to_string(cpu) + ": " + why + "; unavailable: " + unavailable_fields;
    }

    void read_group(group& g, reading* out) const {
        std::uint64_t buf[3 + 3] = {};
        const ssize_t n = ::read(g.fd[0], buf, sizeof(buf));
        if (n != static_cast<ssize_t>(sizeof(buf)) || buf[0] != 3)
            throw io_error(std::string(who) + ": cannot read the counters of cpu" + std::to_string(g.cpu));
        for (int i = 0; i < 3; ++i) out[i] = {buf[3 + i], buf[1], buf[2]};
    }

    void close_all() noexcept {
        for (auto& g : groups_)
            for (int fd : g.fd)
                if (fd >= 0) ::close(fd);
        groups_.clear();
    }

    static constexpr const char* who = "l2s::host::perf_counters";
    std::vector<group> groups_;
    std::size_t num_domains_ = 0;
};

}  // namespace l2s::host
