// SPDX-License-Identifier: MIT
// l2s/host/machine.hpp: a Linux host as the governor loop's machine (sampler + cpufreq control, or dry run).
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/host/cpufreq_control.hpp>
#include <l2s/host/proc_stat.hpp>
#include <l2s/host/sampler.hpp>

namespace l2s::host {

/// Domains for a machine without cpufreq (virtual machines, containers): the CPUs online in /proc/stat split
/// into freq_hz.size() groups of consecutive CPUs (the first groups get one more when they do not divide;
/// with more domains than CPUs, domain k gets CPU k mod n), domain k with the nominal level grid freq_hz[k].
/// Nothing can be written on such a machine: the sampler reports the frequency of the level last decided.
/// Throws invalid_config for no domain or no online CPU, io_error when /proc/stat cannot be read.  @see docs/host.md#no_cpufreq
[[nodiscard]] inline std::vector<sampler_domain> domains_without_cpufreq(const std::filesystem::path& root,
                                                                         std::vector<std::vector<double>> freq_hz) {
    proc_stat_reader r(root);
    std::vector<cpu_time> t;
    r.read(t);
    std::vector<unsigned> cpus;
    for (std::size_t c = 0; c < t.size(); ++c)
        if (t[c].online) cpus.push_back(static_cast<unsigned>(c));
    const std::size_t K = freq_hz.size();
    if (K == 0 || cpus.empty())
        throw invalid_config("l2s::host::domains_without_cpufreq: " + std::to_string(K) + " domains for " +
                             std::to_string(cpus.size()) + " online CPUs");
    std::vector<sampler_domain> d(K);
    std::size_t c = 0;
    if (K > cpus.size()) {
        for (std::size_t k = 0; k < K; ++k) {
            d[k].cpus = {cpus[k % cpus.size()]};
            d[k].name = "cpu" + std::to_string(d[k].cpus[0]) + "#" + std::to_string(k);
            d[k].freq_hz = std::move(freq_hz[k]);
        }
        return d;
    }
    for (std::size_t k = 0; k < K; ++k) {
        const std::size_t n = cpus.size() / K + (k < cpus.size() % K ? 1 : 0);
        d[k].name = "cpus" + std::to_string(cpus[c]) + "-" + std::to_string(cpus[c + n - 1]);
        d[k].cpus.assign(cpus.begin() + static_cast<std::ptrdiff_t>(c), cpus.begin() + static_cast<std::ptrdiff_t>(c + n));
        d[k].freq_hz = std::move(freq_hz[k]);
        c += n;
    }
    return d;
}

/// A Linux host for run_governor: start()/sample() read the sensors (host::sampler); apply() writes the
/// levels through cpufreq_control, or, with dry_run (or no control, e.g. a machine without cpufreq), only
/// notes them (the sampler then reports the noted levels' frequencies).  @see docs/host.md#linux_machine
class linux_machine {
public:
    /// control may be null (read-only: dry run). The control, when given, must outlive the machine and have
    /// the sampler's domains.
    linux_machine(sampler s, cpufreq_control* control, bool dry_run)
        : sampler_(std::move(s)), control_(control), dry_run_(dry_run || control == nullptr) {
        if (control_ && control_->num_islands() != sampler_.num_islands())
            throw dimension_mismatch("l2s::host::linux_machine: the control has " + std::to_string(control_->num_islands()) +
                                     " domains, the sampler " + std::to_string(sampler_.num_islands()));
        obs_.resize(sampler_.num_islands());
    }

    [[nodiscard]] std::size_t num_islands() const noexcept { return sampler_.num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return sampler_.num_levels(k); }
    [[nodiscard]] bool dry_run() const noexcept { return dry_run_; }
    [[nodiscard]] const sampler& sensors() const noexcept { return sampler_; }
    [[nodiscard]] const dvfs::observation& observe() const noexcept { return obs_; }

    const dvfs::observation& start() {
        sampler_.start(obs_);
        return obs_;
    }
    void apply(const dvfs::action& a) {
        if (!dry_run_) control_->apply(a);
        sampler_.note_levels(a);
    }
    dvfs::step_outcome sample() { return sampler_.sample(obs_); }

private:
    sampler sampler_;
    cpufreq_control* control_;
    bool dry_run_;
    dvfs::observation obs_;
};

}  // namespace l2s::host
