// SPDX-License-Identifier: MIT
// l2s/host/cpufreq_control.hpp: frequency control for every common cpufreq driver: table drivers through the
// userspace governor (scaling_setspeed), table-less drivers (intel_pstate, intel_cpufreq, amd-pstate, CPPC)
// by pinning scaling_min_freq = scaling_max_freq on a level grid; and a session that saves and restores the
// governor and limits.
#pragma once
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/host/detail/sysfs.hpp>
#include <l2s/host/sampler.hpp>

namespace l2s::host {

/// Where cpufreq lives and how table-less drivers get their levels.  @see docs/host.md#cpufreq_control
struct cpufreq_control_config {
    std::filesystem::path root = "/";  ///< prefix of every system path (a fake tree in tests)
    /// Table-less drivers: the level grid runs from cpuinfo_min_freq up in steps of grid_step_khz, and always
    /// ends at cpuinfo_max_freq (the last step may be shorter); at most 256 levels (the step widens to fit).
    std::uint32_t grid_step_khz = 100'000;
    /// Table-less drivers, per domain (in discovery order): when entry k is > 0, domain k's grid has exactly
    /// that many levels, evenly spaced from cpuinfo_min_freq to cpuinfo_max_freq (rounded to kHz) instead of
    /// grid_step_khz, e.g. to match the levels a policy was trained with. Entries past the domains are ignored.
    std::vector<std::size_t> grid_levels{};
};

/// How a domain's frequency is set.
enum class freq_interface {
    setspeed,  ///< the driver lists scaling_available_frequencies: userspace governor, scaling_setspeed
    limits     ///< no table: scaling_min_freq = scaling_max_freq = the level's frequency, governor kept
};

/// One cpufreq policy (frequency domain).
struct cpufreq_policy {
    std::string name;                   ///< "policy4"
    std::filesystem::path dir;          ///< its folder
    std::vector<unsigned> cpus;         ///< related_cpus
    std::string driver;                 ///< scaling_driver ("" when the file is missing)
    std::string governor;               ///< scaling_governor at discovery
    std::vector<std::uint32_t> freq_khz;  ///< the level grid, ascending
    freq_interface how = freq_interface::setspeed;
};

/// The levels of a table-less domain: min, min + step, …, and max (see cpufreq_control_config::grid_step_khz).
[[nodiscard]] inline std::vector<std::uint32_t> frequency_grid(std::uint32_t min_khz, std::uint32_t max_khz,
                                                               std::uint32_t step_khz) {
    if (min_khz == 0 || max_khz < min_khz || step_khz == 0)
        throw invalid_argument("l2s::host::frequency_grid: need 0 < min <= max and step > 0 (min " + std::to_string(min_khz) +
                               ", max " + std::to_string(max_khz) + ", step " + std::to_string(step_khz) + " kHz)");
    const std::uint64_t span = max_khz - min_khz;
    std::uint64_t step = step_khz;
    if (span / step + 2 > 256) step = (span + 254) / 255;  // at most 256 levels
    std::vector<std::uint32_t> g;
    for (std::uint64_t f = min_khz; f < max_khz; f += step) g.push_back(static_cast<std::uint32_t>(f));
    g.push_back(max_khz);
    return g;
}

/// `levels` levels evenly spaced from min_khz to max_khz (rounded to kHz; duplicates, from a narrow range,
/// are kept so the count is exact).
[[nodiscard]] inline std::vector<std::uint32_t> frequency_grid_levels(std::uint32_t min_khz, std::uint32_t max_khz,
                                                                      std::size_t levels) {
    if (min_khz == 0 || max_khz < min_khz || levels == 0 || levels > 256)
        throw invalid_argument("l2s::host::frequency_grid_levels: need 0 < min <= max and 1 to 256 levels");
    std::vector<std::uint32_t> g(levels, max_khz);
    for (std::size_t l = 0; l + 1 < levels; ++l)
        g[l] = static_cast<std::uint32_t>(min_khz + (static_cast<std::uint64_t>(max_khz - min_khz) * l + (levels - 1) / 2) / (levels - 1));
    return g;
}

/// Discovers the cpufreq policies under <root>/sys/devices/system/cpu/cpufreq and sets one level per domain.
/// Construction only reads. apply() writes: scaling_setspeed (setspeed domains, which must run the userspace
/// governor: take_over() or a cpufreq_session selects it), or scaling_min_freq/scaling_max_freq (limits
/// domains, ordered so that min ≤ max holds after every write). Throws io_error naming the path.
class cpufreq_control {
public:
    using config = cpufreq_control_config;

    explicit cpufreq_control(config cfg = {}) : cfg_(std::move(cfg)) {
        namespace fs = std::filesystem;
        const fs::path base = detail::under(cfg_.root, "/sys/devices/system/cpu/cpufreq");
        std::error_code ec;
        if (!fs::is_directory(base, ec))
            throw io_error(std::string(who) + ": no cpufreq folder at " + base.string() +
                           " (no cpufreq driver: a virtual machine or a kernel without CONFIG_CPU_FREQ)");
        std::vector<fs::path> dirs;
        for (const auto& e : fs::directory_iterator(base, ec))
            if (e.is_directory() && e.path().filename().string().rfind("policy", 0) == 0) dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) { return number(a) < number(b); });
        if (dirs.empty()) throw io_error(std::string(who) + ": no policyN folder under " + base.string());
        std::string buf;
        for (const auto& d : dirs) {
            cpufreq_policy p;
            p.name = d.filename().string();
            p.dir = d;
            detail::read_into(d / "related_cpus", buf, who);
            p.cpus = detail::parse_cpu_list(buf, d / "related_cpus", who);
            try {
                detail::read_into(d / "scaling_driver", buf, who);
                p.driver = std::string(detail::trim(buf));
            } catch (const io_error&) {
            }
            detail::read_into(d / "scaling_governor", buf, who);
            p.governor = std::string(detail::trim(buf));
            std::string table;
            if (fs::exists(d / "scaling_available_frequencies", ec)) table = detail::read_text(d / "scaling_available_frequencies", who);
            for (std::string_view s = table; !detail::trim(s).empty();) {
                s = s.substr(s.find_first_not_of(" \t\r\n"));
                const auto e = s.find_first_of(" \t\r\n");
                const auto tok = s.substr(0, e);
                const auto f = detail::parse_uint(tok, d / "scaling_available_frequencies", who);
                if (f == 0 || f > 0xffffffffu)
                    throw io_error(std::string(who) + ": frequency out of range in " + (d / "scaling_available_frequencies").string());
                p.freq_khz.push_back(static_cast<std::uint32_t>(f));
                s = e == std::string_view::npos ? std::string_view{} : s.substr(e);
            }
            if (!p.freq_khz.empty()) {
                std::sort(p.freq_khz.begin(), p.freq_khz.end());
                p.freq_khz.erase(std::unique(p.freq_khz.begin(), p.freq_khz.end()), p.freq_khz.end());
                p.how = freq_interface::setspeed;
            } else {
                const auto lo = detail::read_uint(d / "cpuinfo_min_freq", buf, who);
                const auto hi = detail::read_uint(d / "cpuinfo_max_freq", buf, who);
                if (lo == 0 || hi < lo || hi > 0xffffffffu)
                    throw io_error(std::string(who) + ": bad cpuinfo_min_freq/cpuinfo_max_freq in " + d.string());
                const std::size_t k = policies_.size();
                p.freq_khz = k < cfg_.grid_levels.size() && cfg_.grid_levels[k] > 0
                                 ? frequency_grid_levels(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi), cfg_.grid_levels[k])
                                 : frequency_grid(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi), cfg_.grid_step_khz);
                p.how = freq_interface::limits;
            }
            if (p.freq_khz.size() > 256) throw io_error(std::string(who) + ": more than 256 frequencies in " + d.string());
            policies_.push_back(std::move(p));
        }
        for (const auto& p : policies_) {
            setspeed_.emplace_back(p.dir / "scaling_setspeed");
            min_.emplace_back(p.dir / "scaling_min_freq");
            max_.emplace_back(p.dir / "scaling_max_freq");
        }
        pinned_.assign(policies_.size(), {0, 0});
        last_.assign(policies_.size(), static_cast<level_t>(255));
        have_last_.assign(policies_.size(), 0);
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return policies_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return policies_[k].freq_khz.size(); }
    [[nodiscard]] const cpufreq_policy& domain(std::size_t k) const { return policies_.at(k); }
    [[nodiscard]] const std::vector<cpufreq_policy>& domains() const noexcept { return policies_; }

    /// The domains as a sampler reads them (CPUs, level grid in Hz, scaling_cur_freq).
    [[nodiscard]] std::vector<sampler_domain> sampler_domains() const {
        std::vector<sampler_domain> d;
        for (const auto& p : policies_) {
            std::vector<double> f;
            for (auto khz : p.freq_khz) f.push_back(1e3 * khz);
            d.push_back({p.name, p.cpus, std::move(f), p.dir / "scaling_cur_freq"});
        }
        return d;
    }

    /// Prepares writing: setspeed domains get the userspace governor; limits domains' current limits are read
    /// (the starting point of the write order). Needs root. Throws io_error naming the path.
    void take_over() {
        std::string buf;
        for (std::size_t k = 0; k < policies_.size(); ++k) {
            const auto& p = policies_[k];
            if (p.how == freq_interface::setspeed) {
                detail::read_into(p.dir / "scaling_governor", buf, who);
                if (detail::trim(buf) != "userspace") detail::write_text(p.dir / "scaling_governor", "userspace", who);
            } else {
                pinned_[k] = {detail::read_uint(p.dir / "scaling_min_freq", buf, who), detail::read_uint(p.dir / "scaling_max_freq", buf, who)};
            }
            have_last_[k] = 0;
        }
    }

    /// Sets every domain's level (writes only domains whose level changed since the last apply). Checks sizes
    /// and ranges first, so a wrong action writes nothing. A failed write throws io_error naming the path.
    void apply(const dvfs::action& levels) {
        if (levels.size() != policies_.size())
            throw dimension_mismatch(std::string(who) + "::apply: " + std::to_string(levels.size()) + " levels for " +
                                     std::to_string(policies_.size()) + " domains");
        for (std::size_t k = 0; k < levels.size(); ++k)
            if (levels[k] >= policies_[k].freq_khz.size())
                throw invalid_argument(std::string(who) + "::apply: level " + std::to_string(levels[k]) + " out of range for " +
                                       policies_[k].name);
        for (std::size_t k = 0; k < levels.size(); ++k) {
            if (have_last_[k] && last_[k] == levels[k]) continue;
            set_khz(k, policies_[k].freq_khz[levels[k]]);
            last_[k] = levels[k];
            have_last_[k] = 1;
        }
    }

private:
    void set_khz(std::size_t k, std::uint32_t khz) {
        const auto& p = policies_[k];
        char text[16];
        const auto r = std::to_chars(text, text + sizeof(text), khz);
        const std::string_view v(text, static_cast<std::size_t>(r.ptr - text));
        if (p.how == freq_interface::setspeed) {
            setspeed_[k].write(v, who);
            return;
        }
        // keep min ≤ max after each write: raise max first when going up, lower min first when going down
        if (khz >= pinned_[k].second) {
            max_[k].write(v, who);
            pinned_[k].second = khz;
            min_[k].write(v, who);
            pinned_[k].first = khz;
        } else {
            min_[k].write(v, who);
            pinned_[k].first = khz;
            max_[k].write(v, who);
            pinned_[k].second = khz;
        }
    }
    static long number(const std::filesystem::path& p) {
        long n = -1;
        const std::string s = p.filename().string();
        std::from_chars(s.data() + 6, s.data() + s.size(), n);
        return n;
    }

    static constexpr const char* who = "l2s::host::cpufreq_control";
    config cfg_;
    std::vector<cpufreq_policy> policies_;
    std::vector<detail::sysfs_file> setspeed_, min_, max_;  // kept open: written every interval
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pinned_;  // limits domains: current (min, max) kHz
    std::vector<level_t> last_;
    std::vector<std::uint8_t> have_last_;
};

/// Saves every domain's governor, scaling_min_freq and scaling_max_freq, takes the domains over
/// (cpufreq_control::take_over) and restores what it saved when destroyed: on normal exit, and while an
/// exception unwinds (a daemon turns SIGINT/SIGTERM into a normal exit; docs/host.md#signals).
/// Restoring writes min = cpuinfo_min_freq first, then max, then min, so every intermediate state is valid;
/// it keeps going past a failed write and records the failures (restore_errors()).
class cpufreq_session {
public:
    explicit cpufreq_session(cpufreq_control& c) {
        std::string buf;
        for (const auto& p : c.domains()) {
            saved s;
            s.dir = p.dir;
            detail::read_into(p.dir / "scaling_governor", buf, who);
            s.governor = std::string(detail::trim(buf));
            s.min_khz = detail::read_uint(p.dir / "scaling_min_freq", buf, who);
            s.max_khz = detail::read_uint(p.dir / "scaling_max_freq", buf, who);
            s.floor_khz = p.freq_khz.front();
            saved_.push_back(std::move(s));
        }
        try {
            c.take_over();
        } catch (...) {
            restore();
            throw;
        }
    }
    cpufreq_session(const cpufreq_session&) = delete;
    cpufreq_session& operator=(const cpufreq_session&) = delete;
    ~cpufreq_session() { restore(); }

    /// Restores the saved governors and limits now (idempotent; the destructor does it otherwise).
    void restore() noexcept {
        if (restored_) return;
        restored_ = true;
        for (const auto& s : saved_) {
            // with a newline, as `echo value > file` writes it (sysfs accepts both)
            attempt(s.dir / "scaling_governor", s.governor + "\n");
            attempt(s.dir / "scaling_min_freq", std::to_string(s.floor_khz) + "\n");
            attempt(s.dir / "scaling_max_freq", std::to_string(s.max_khz) + "\n");
            attempt(s.dir / "scaling_min_freq", std::to_string(s.min_khz) + "\n");
        }
    }
    [[nodiscard]] bool restored() const noexcept { return restored_; }
    /// Messages of the writes that failed while restoring.
    [[nodiscard]] const std::vector<std::string>& restore_errors() const noexcept { return errors_; }

private:
    struct saved {
        std::filesystem::path dir;
        std::string governor;
        std::uint64_t min_khz = 0, max_khz = 0, floor_khz = 0;
    };
    void attempt(const std::filesystem::path& p, const std::string& v) noexcept {
        try {
            detail::write_text(p, v, who);
        } catch (const std::exception& e) {
            try {
                errors_.emplace_back(e.what());
            } catch (...) {
            }
        }
    }

    static constexpr const char* who = "l2s::host::cpufreq_session";
    std::vector<saved> saved_;
    std::vector<std::string> errors_;
    bool restored_ = false;
};

}  // namespace l2s::host
