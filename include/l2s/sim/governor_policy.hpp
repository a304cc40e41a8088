// SPDX-License-Identifier: MIT
// l2s/sim/governor_policy.hpp: the cpufreq governors as per-island policies over dvfs::observation, and the
// cpufreq policies of a simulated platform.  @see docs/governors.md#adapter
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/platform.hpp>

namespace l2s::sim {


/// The cpufreq policies of a platform: one per island, its OPP table in kHz, its cores, capacity 1024 × the
/// island's relative capacity.
[[nodiscard]] inline std::vector<cpufreq_policy> cpufreq_policies(const platform& p) {
    std::vector<cpufreq_policy> v;
    for (const auto& is : p.islands) {
        cpufreq_policy c;
        for (const auto& o : is.opps) c.opp_khz.push_back(static_cast<khz_t>(std::llround(o.freq_hz / 1e3)));
        c.num_cpus = is.cores;
        c.capacity = std::max<std::int64_t>(1, std::llround(1024.0 * std::min(1.0, is.capacity)));
        v.push_back(std::move(c));
    }
    return v;
}

/// Which governor a governor_policy runs on every island.
enum class governor_kind { performance, powersave, userspace, ondemand, conservative, schedutil };
/// The name of every governor kind, as Linux's scaling_governor spells it.
inline constexpr std::array<std::pair<const char*, governor_kind>, 6> governor_kind_names{
    {{"performance", governor_kind::performance},
     {"powersave", governor_kind::powersave},
     {"userspace", governor_kind::userspace},
     {"ondemand", governor_kind::ondemand},
     {"conservative", governor_kind::conservative},
     {"schedutil", governor_kind::schedutil}}};
/// The kernel's name of a governor kind ("?" for a value outside the enumeration).
[[nodiscard]] constexpr const char* to_string(governor_kind k) noexcept {
    for (const auto& [name, v] : governor_kind_names)
        if (v == k) return name;
    return "?";
}

/// How often the governors sample. `mainline`: schedutil every interval, ondemand and conservative every
/// `dbs_period_intervals` intervals (2 ticks at HZ = 250 with 1 ms intervals); `every_interval`: all sample
/// every interval ("same cadence").
enum class governor_cadence { mainline, every_interval };

/// Configuration of governor_policy.
struct governor_policy_config {
    governor_kind kind = governor_kind::schedutil;     ///< governor run on every island
    governor_cadence cadence = governor_cadence::mainline;  ///< sampling cadence
    std::size_t dbs_period_intervals = 8;  ///< ondemand/conservative sample length in intervals (mainline cadence)
    ondemand_config ondemand{};            ///< ondemand tunables
    conservative_config conservative{};    ///< conservative tunables
    schedutil_config schedutil{};          ///< schedutil tunables (rate limit in samples = intervals)
    std::vector<level_t> userspace_level{};  ///< userspace: the level per island (required for that kind)
};

/// Runs one cpufreq governor per island on what a kernel would read: each sample the island's load is
/// the busiest core's busy percentage (observation::utilisation · 100) averaged over the sample's intervals,
/// schedutil's util is its frequency-invariant form busy · f/f_max · capacity, and a CPU "entered idle" if
/// it was not busy for the whole sample. All CPUs of an island see the busiest core's reading, so a shared
/// policy follows its busiest CPU as in the kernel. Models PolicyFor<E> for any environment whose
/// observation is dvfs::observation and whose action is dvfs::action.  @see docs/governors.md#adapter
class governor_policy {
public:
    using config = governor_policy_config;

    /// `islands[k]` is island k's cpufreq policy (OPP table in kHz, ascending = level order; num_cpus = cores).
    governor_policy(std::vector<cpufreq_policy> islands, config c = {}) : islands_(std::move(islands)), c_(std::move(c)) {
        const std::string who = "l2s::sim::governor_policy";
        if (islands_.empty()) throw invalid_config(who + ": islands is empty");
        for (const auto& p : islands_) p.validate(who);
        if (c_.dbs_period_intervals < 1) throw invalid_config(who + ": dbs_period_intervals must be at least 1");
        if (c_.kind == governor_kind::userspace) {
            if (c_.userspace_level.size() != islands_.size())
                throw invalid_config(who + ": userspace_level must have one level per island");
            for (std::size_t k = 0; k < islands_.size(); ++k)
                if (c_.userspace_level[k] >= islands_[k].opp_khz.size())
                    throw invalid_config(who + ": userspace_level out of range on island " + std::to_string(k));
        }
        // Validate the tunables once by constructing a governor of the chosen kind.
        (void)make(islands_[0], islands_[0].max_khz(), 0);
        reset();
    }
    /// Builds the cpufreq policies from per-island frequency tables in Hz (ascending) and core counts.
    [[nodiscard]] static governor_policy from_tables(const std::vector<std::vector<double>>& freq_hz,
                                                     const std::vector<std::size_t>& cores, config c = {}) {
        if (freq_hz.size() != cores.size())
            throw invalid_config("l2s::sim::governor_policy::from_tables: cores must have one entry per island");
        std::vector<cpufreq_policy> ps(freq_hz.size());
        for (std::size_t k = 0; k < ps.size(); ++k) {
            for (double f : freq_hz[k]) ps[k].opp_khz.push_back(static_cast<khz_t>(std::llround(f / 1e3)));
            ps[k].num_cpus = std::max<std::size_t>(1, cores[k]);
        }
        return {std::move(ps), std::move(c)};
    }

    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return islands_.size(); }
    [[nodiscard]] const std::vector<cpufreq_policy>& islands() const noexcept { return islands_; }
    /// Intervals per governor sample under the configured cadence.
    [[nodiscard]] std::size_t period_intervals() const noexcept {
        const bool dbs = c_.kind == governor_kind::ondemand || c_.kind == governor_kind::conservative;
        return c_.cadence == governor_cadence::mainline && dbs ? c_.dbs_period_intervals : 1;
    }

    /// Forgets all governor state: the next act() starts fresh governors at the observed levels.
    void reset() {
        govs_.clear();
        busy_sum_.assign(islands_.size(), 0.0);
        util_sum_.assign(islands_.size(), 0.0);
        idle_.assign(islands_.size(), 0);
        count_ = 0;
    }

    /// Reads observation o (the last interval), samples the governors when a sample is complete and
    /// writes each island's current level into a.
    void act(const dvfs::observation& o, dvfs::action& a) {
        const std::size_t K = islands_.size();
        if (govs_.empty()) {  // first decision after reset: start at the observed levels, nothing to sample yet
            govs_.reserve(K);
            for (std::size_t k = 0; k < K; ++k) {
                const auto& p = islands_[k];
                const std::size_t l = k < o.level.size() ? std::min<std::size_t>(o.level[k], p.opp_khz.size() - 1) : p.opp_khz.size() - 1;
                govs_.push_back(make(p, std::clamp(p.opp_khz[l], p.min_khz(), p.max_khz()), k));
            }
            write(a);
            if (o.interval == 0) return;  // reset observation: no interval has run yet
        }
        for (std::size_t k = 0; k < K && k < o.utilisation.size(); ++k) {
            const auto& p = islands_[k];
            const double busy = std::clamp(o.utilisation[k], 0.0, 1.0);
            const std::size_t l = k < o.level.size() ? std::min<std::size_t>(o.level[k], p.opp_khz.size() - 1) : 0;
            busy_sum_[k] += busy;
            util_sum_[k] += busy * static_cast<double>(p.opp_khz[l]) / static_cast<double>(p.cpuinfo_max_khz());
            if (busy < 1.0) idle_[k] = 1;
        }
        if (++count_ >= period_intervals()) {
            const double n = static_cast<double>(count_);
            for (std::size_t k = 0; k < K; ++k) {
                const auto& p = islands_[k];
                load_.assign(p.num_cpus, static_cast<int>(std::lround(100.0 * busy_sum_[k] / n)));
                util_.assign(p.num_cpus, std::llround(static_cast<double>(p.capacity) * util_sum_[k] / n));
                idlev_.assign(p.num_cpus, idle_[k]);
                std::visit([&](auto& g) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(g)>, schedutil_governor>) g.step(util_, idlev_);
                    else g.step(load_, false);
                }, govs_[k]);
                busy_sum_[k] = util_sum_[k] = 0.0;
                idle_[k] = 0;
            }
            count_ = 0;
        }
        write(a);
    }

private:
    using any_governor = std::variant<performance_governor, powersave_governor, userspace_governor, ondemand_governor,
                                      conservative_governor, schedutil_governor>;
    [[nodiscard]] any_governor make(const cpufreq_policy& p, khz_t f, std::size_t k) const {
        switch (c_.kind) {
            case governor_kind::performance: return performance_governor(p);
            case governor_kind::powersave: return powersave_governor(p);
            case governor_kind::userspace:
                return userspace_governor(p, p.opp_khz[c_.userspace_level.empty() ? p.opp_khz.size() - 1 : c_.userspace_level[k]]);
            case governor_kind::ondemand: return ondemand_governor(p, c_.ondemand, f);
            case governor_kind::conservative: return conservative_governor(p, c_.conservative, f);
            case governor_kind::schedutil: return schedutil_governor(p, c_.schedutil, f);
        }
        return performance_governor(p);
    }
    void write(dvfs::action& a) const {
        for (std::size_t k = 0; k < govs_.size() && k < a.size(); ++k)
            a[k] = static_cast<level_t>(islands_[k].index_of(std::visit([](const auto& g) { return g.freq_khz(); }, govs_[k])));
    }

    std::vector<cpufreq_policy> islands_;
    config c_;
    std::vector<any_governor> govs_;
    std::vector<double> busy_sum_, util_sum_;
    std::vector<std::uint8_t> idle_;
    std::size_t count_ = 0;
    std::vector<int> load_;                  // scratch, reused
    std::vector<std::int64_t> util_;
    std::vector<std::uint8_t> idlev_;
};


}  // namespace l2s::sim
