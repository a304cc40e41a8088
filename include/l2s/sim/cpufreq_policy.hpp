// SPDX-License-Identifier: MIT
// l2s/sim/cpufreq_policy.hpp: a cpufreq policy (OPP table, hardware and policy limits, CPUs sharing it) and
// how a target frequency resolves to a table entry (CPUFREQ_RELATION_L/H/C), as the Linux governors use it.
// Sources: include/linux/cpufreq.h, drivers/cpufreq/cpufreq.c.  @see docs/governors.md
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>

namespace l2s::sim {

/// Frequency in kHz, as cpufreq reports it.
using khz_t = std::int64_t;

/// How a target frequency is mapped to a table entry (CPUFREQ_RELATION_L/H/C).
enum class relation {
    lowest_at_or_above,   ///< L: lowest OPP ≥ target
    highest_at_or_below,  ///< H: highest OPP ≤ target
    closest,              ///< C: closest OPP, ties to the lower one
};

/// A cpufreq policy: the OPP table, hardware and policy limits and the CPUs sharing it.
struct cpufreq_policy {
    std::vector<khz_t> opp_khz;  ///< strictly ascending frequency table
    khz_t policy_min_khz = 0;    ///< policy minimum (an OPP; 0 = the first OPP)
    khz_t policy_max_khz = 0;    ///< policy maximum (an OPP; 0 = the last OPP)
    std::size_t num_cpus = 1;    ///< CPUs sharing the policy
    std::int64_t capacity = 1024;  ///< schedutil: capacity of each CPU (scale of util)

    [[nodiscard]] khz_t cpuinfo_min_khz() const noexcept { return opp_khz.front(); }
    [[nodiscard]] khz_t cpuinfo_max_khz() const noexcept { return opp_khz.back(); }
    [[nodiscard]] khz_t min_khz() const noexcept { return policy_min_khz > 0 ? policy_min_khz : opp_khz.front(); }
    [[nodiscard]] khz_t max_khz() const noexcept { return policy_max_khz > 0 ? policy_max_khz : opp_khz.back(); }

    /// Checks the table and limits; throws invalid_config naming the field, prefixed by `who`.
    void validate(const std::string& who) const {
        if (opp_khz.empty()) throw invalid_config(who + ": opp_khz is empty");
        for (std::size_t i = 0; i < opp_khz.size(); ++i)
            if (opp_khz[i] <= 0 || (i > 0 && opp_khz[i] <= opp_khz[i - 1]))
                throw invalid_config(who + ": opp_khz must be positive and strictly ascending");
        auto is_opp = [&](khz_t f) { return std::binary_search(opp_khz.begin(), opp_khz.end(), f); };
        if (!is_opp(min_khz())) throw invalid_config(who + ": policy_min_khz is not an OPP");
        if (!is_opp(max_khz())) throw invalid_config(who + ": policy_max_khz is not an OPP");
        if (min_khz() > max_khz()) throw invalid_config(who + ": policy_min_khz exceeds policy_max_khz");
        if (num_cpus < 1) throw invalid_config(who + ": num_cpus must be at least 1");
        if (capacity < 1) throw invalid_config(who + ": capacity must be at least 1");
    }

    /// resolve(target, relation): clamp to the policy limits, then map to a table entry.
    [[nodiscard]] khz_t resolve(khz_t target, relation r) const noexcept {
        const khz_t t = std::clamp(target, min_khz(), max_khz());
        const auto up = std::lower_bound(opp_khz.begin(), opp_khz.end(), t);  // lowest ≥ t (exists: t ≤ max OPP)
        if (*up == t) return t;
        switch (r) {
            case relation::lowest_at_or_above: return *up;
            case relation::highest_at_or_below: return *(up - 1);
            case relation::closest: {
                const khz_t lo = *(up - 1), hi = *up;
                return (hi - t) < (t - lo) ? hi : lo;  // ties keep the lower one
            }
        }
        return *up;
    }
    /// Index of a table frequency (the nearest entry at or above when f is not in the table).
    [[nodiscard]] std::size_t index_of(khz_t f) const noexcept {
        const auto it = std::lower_bound(opp_khz.begin(), opp_khz.end(), f);
        return static_cast<std::size_t>(std::min<std::ptrdiff_t>(it - opp_khz.begin(),
                                                                 static_cast<std::ptrdiff_t>(opp_khz.size()) - 1));
    }
};

namespace detail {
inline void check_initial_freq(const cpufreq_policy& p, khz_t f, const std::string& who) {
    if (!std::binary_search(p.opp_khz.begin(), p.opp_khz.end(), f) || f < p.min_khz() || f > p.max_khz())
        throw invalid_config(who + ": initial freq_khz must be an OPP within the policy limits");
}
inline void check_per_cpu(std::size_t got, std::size_t n, const std::string& who, const char* field) {
    if (got != n) throw invalid_config(who + ": " + field + " must have one entry per CPU of the policy");
}
}  // namespace detail

}  // namespace l2s::sim
