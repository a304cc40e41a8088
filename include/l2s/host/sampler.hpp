// SPDX-License-Identifier: MIT
// l2s/host/sampler.hpp: builds a dvfs::observation every interval from the host readers (/proc/stat, PMU,
// power, temperature, current frequency), with the simulator's fields, units and semantics.
#pragma once
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/host/detail/sysfs.hpp>
#include <l2s/host/perf_counters.hpp>
#include <l2s/host/power.hpp>
#include <l2s/host/proc_stat.hpp>
#include <l2s/host/thermal.hpp>

namespace l2s::host {

/// One frequency domain as the sampler sees it.
struct sampler_domain {
    std::string name;                 ///< e.g. "policy4"
    std::vector<unsigned> cpus;       ///< its CPUs
    std::vector<double> freq_hz;      ///< its level grid, ascending (level l runs at freq_hz[l])
    std::filesystem::path cur_freq_khz{};  ///< scaling_cur_freq; empty: the frequency of the level last noted
};

/// Which sensors the sampler uses.  @see docs/host.md#sampler
struct sampler_config {
    std::filesystem::path root = "/";                     ///< prefix of every system path
    std::vector<std::vector<std::string>> power{};        ///< per domain: power_meter specs (empty: no power)
    std::vector<std::vector<std::string>> temperature{};  ///< per domain: temperature_reader specs
    bool use_pmu = true;             ///< open perf counters (falls back to none when the PMU is unavailable)
    double active_threshold = 0.05;  ///< a CPU busier than this over the interval counts as active
};

/// What the sampler found at start: which sensors work and which observation fields stay 0.
struct sensor_report {
    bool pmu = false;              ///< perf counters open
    std::string pmu_reason{};      ///< why not (the pmu_unavailable message), when not
    std::vector<bool> power{};     ///< per domain: has a power sensor
    std::vector<bool> temperature{};  ///< per domain: has a temperature sensor
    /// Observation fields that stay 0 on this host ("ipc, mem_per_instr, mem_per_s", "power_w[1]", ...).
    [[nodiscard]] std::vector<std::string> missing_fields() const {
        std::vector<std::string> m;
        if (!pmu) m.insert(m.end(), {"ipc", "mem_per_instr", "mem_per_s"});
        for (std::size_t k = 0; k < power.size(); ++k)
            if (!power[k]) m.push_back("power_w[" + std::to_string(k) + "]");
        for (std::size_t k = 0; k < temperature.size(); ++k)
            if (!temperature[k]) m.push_back("temp_c[" + std::to_string(k) + "]");
        return m;
    }
};

/// Composes the readers into the simulator's observation (docs/dvfs.md#observation), per domain k over the
/// interval since the previous sample:
///   utilisation = busiest CPU's busy fraction (/proc/stat); active_cores = CPUs above active_threshold;
///   busy_time_s = utilisation · interval; ipc = Σinstructions / Σcycles; mem_per_instr = Σmisses /
///   Σinstructions; mem_per_s = Σmisses / interval (PMU); power_w (power_meter); temp_c (temperature_reader);
///   freq_hz (scaling_cur_freq, or the level last noted) and level = nearest grid level;
///   chip_power_w = Σ power_w; max_temp_c = hottest domain; interval_time_s = the interval.
/// Fields whose sensor is missing stay 0 (report().missing_fields()). Construction throws io_error when
/// /proc/stat cannot be read, invalid_config/io_error for a configured sensor that is not there; a missing
/// PMU is not an error (report().pmu_reason says why).
class sampler {
public:
    using config = sampler_config;
    using clock = std::chrono::steady_clock;

    sampler(std::vector<sampler_domain> domains, config cfg)
        : cfg_(std::move(cfg)), domains_(std::move(domains)), stat_(cfg_.root),
          power_(power_meter_config{.root = cfg_.root, .domains = cfg_.power}),
          temp_(temperature_reader_config{.root = cfg_.root, .domains = cfg_.temperature}) {
        if (domains_.empty()) throw invalid_config(std::string(who) + ": no domain");
        for (std::size_t k = 0; k < domains_.size(); ++k) {
            if (domains_[k].freq_hz.empty() || domains_[k].freq_hz.size() > 256)
                throw invalid_config(std::string(who) + ": domain " + domains_[k].name + " must have 1 to 256 levels");
            if (domains_[k].cpus.empty()) throw invalid_config(std::string(who) + ": domain " + domains_[k].name + " has no CPU");
        }
        if (cfg_.power.size() > domains_.size() || cfg_.temperature.size() > domains_.size())
            throw invalid_config(std::string(who) + ": more power or temperature entries than domains");
        const std::size_t K = domains_.size();
        report_.power.resize(K);
        report_.temperature.resize(K);
        for (std::size_t k = 0; k < K; ++k) {
            report_.power[k] = power_.has_sensor(k);
            report_.temperature[k] = temp_.has_sensor(k);
        }
        if (cfg_.use_pmu) {
            std::vector<std::vector<unsigned>> cpus;
            for (const auto& d : domains_) cpus.push_back(d.cpus);
            try {
                pmu_.emplace(cpus);
                report_.pmu = true;
            } catch (const pmu_unavailable& e) {
                report_.pmu_reason = e.what();
            }
        } else {
            report_.pmu_reason = std::string(who) + ": PMU not requested (use_pmu = false); unavailable: " +
                                 perf_counters::unavailable_fields;
        }
        counts_.resize(K);
        for (const auto& d : domains_) cur_freq_.emplace_back(d.cur_freq_khz);
        power_w_.resize(K);
        temp_c_.resize(K);
        noted_.assign(K, static_cast<level_t>(0));
        for (std::size_t k = 0; k < K; ++k) noted_[k] = static_cast<level_t>(domains_[k].freq_hz.size() - 1);
        stat_.read(prev_);
        cur_ = prev_;
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return domains_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return domains_[k].freq_hz.size(); }
    [[nodiscard]] const sampler_domain& domain(std::size_t k) const { return domains_.at(k); }
    [[nodiscard]] const sensor_report& report() const noexcept { return report_; }

    /// Records the levels just applied (the frequency of domains without scaling_cur_freq).
    void note_levels(const dvfs::action& a) noexcept {
        for (std::size_t k = 0; k < std::min(a.size(), noted_.size()); ++k)
            noted_[k] = std::min<level_t>(a[k], static_cast<level_t>(domains_[k].freq_hz.size() - 1));
    }

    /// Starts an episode: counters are re-read so that the next sample covers the time from now; obs is sized
    /// and gets interval 0, the current frequencies and levels, temperatures, and zeros elsewhere.
    void start(dvfs::observation& obs) {
        if (obs.num_islands() != domains_.size()) obs.resize(domains_.size());
        for (auto* v : {&obs.utilisation, &obs.ipc, &obs.mem_per_instr, &obs.mem_per_s, &obs.power_w, &obs.busy_time_s})
            std::fill(v->begin(), v->end(), 0.0);
        std::fill(obs.active_cores.begin(), obs.active_cores.end(), 0u);
        stat_.read(prev_);
        power_.start();
        if (pmu_) pmu_->read(counts_);
        read_freq(obs);
        temp_.read(temp_c_);
        obs.max_temp_c = 0.0;
        for (std::size_t k = 0; k < domains_.size(); ++k) {
            obs.temp_c[k] = temp_c_[k];
            obs.max_temp_c = std::max(obs.max_temp_c, temp_c_[k]);
        }
        obs.chip_power_w = 0.0;
        obs.interval = 0;
        obs.num_intervals = 0;
        obs.interval_time_s = 0.0;
        last_ = clock::now();
    }

    /// Reads the interval since the previous sample (or start) into obs, timing it with the steady clock.
    dvfs::step_outcome sample(dvfs::observation& obs) {
        const auto now = clock::now();
        const double dt = std::chrono::duration<double>(now - last_).count();
        last_ = now;
        return sample(obs, dt);
    }
    /// As sample(obs), for an interval of interval_s seconds measured by the caller.
    dvfs::step_outcome sample(dvfs::observation& obs, double interval_s) {
        if (obs.num_islands() != domains_.size()) obs.resize(domains_.size());
        stat_.read(cur_);
        if (pmu_) pmu_->read(counts_);
        power_.read(power_w_, interval_s);
        temp_.read(temp_c_);
        read_freq(obs);
        obs.chip_power_w = 0.0;
        obs.max_temp_c = 0.0;
        for (std::size_t k = 0; k < domains_.size(); ++k) {
            double util = 0.0;
            std::uint32_t active = 0;
            for (unsigned c : domains_[k].cpus) {
                if (c >= cur_.size() || c >= prev_.size()) continue;  // hot-unplugged since start: offline
                const double u = busy_fraction(prev_[c], cur_[c]);
                util = std::max(util, u);
                if (u > cfg_.active_threshold) ++active;
            }
            obs.utilisation[k] = util;
            obs.active_cores[k] = active;
            obs.busy_time_s[k] = util * interval_s;
            const pmu_counts& n = counts_[k];
            obs.ipc[k] = n.cycles > 0.0 ? n.instructions / n.cycles : 0.0;
            obs.mem_per_instr[k] = n.instructions > 0.0 ? n.mem_accesses / n.instructions : 0.0;
            obs.mem_per_s[k] = interval_s > 0.0 ? n.mem_accesses / interval_s : 0.0;
            obs.power_w[k] = power_w_[k];
            obs.temp_c[k] = temp_c_[k];
            obs.chip_power_w += power_w_[k];
            obs.max_temp_c = std::max(obs.max_temp_c, temp_c_[k]);
        }
        obs.interval_time_s = interval_s;
        ++obs.interval;
        std::swap(prev_, cur_);
        return {obs.chip_power_w * interval_s, interval_s, obs.max_temp_c, false};
    }

private:
    void read_freq(dvfs::observation& obs) {
        for (std::size_t k = 0; k < domains_.size(); ++k) {
            const auto& d = domains_[k];
            double f = d.freq_hz[noted_[k]];
            if (!d.cur_freq_khz.empty()) f = 1e3 * static_cast<double>(cur_freq_[k].read_uint(buf_, who));
            obs.freq_hz[k] = f;
            std::size_t best = 0;
            for (std::size_t l = 1; l < d.freq_hz.size(); ++l)
                if (std::abs(d.freq_hz[l] - f) < std::abs(d.freq_hz[best] - f)) best = l;
            obs.level[k] = static_cast<level_t>(best);
        }
    }

    static constexpr const char* who = "l2s::host::sampler";
    config cfg_;
    std::vector<sampler_domain> domains_;
    proc_stat_reader stat_;
    power_meter power_;
    temperature_reader temp_;
    std::optional<perf_counters> pmu_;
    sensor_report report_;
    std::vector<cpu_time> prev_, cur_;
    std::vector<pmu_counts> counts_;
    std::vector<double> power_w_, temp_c_;
    std::vector<level_t> noted_;
    std::vector<detail::sysfs_file> cur_freq_;
    std::string buf_;
    clock::time_point last_{};
};

}  // namespace l2s::host
