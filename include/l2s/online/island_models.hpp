// SPDX-License-Identifier: MIT
// l2s/online/island_models.hpp: per-island runtime power and time models (RLS on physical regressors).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/online/rls.hpp>
#include <l2s/online/time_pooling.hpp>

namespace l2s::online {

/// Tunables of island_models.
struct island_models_config {
    double leakage_c2_k = -2660.0;  ///< c₂ of the leakage regressor V·T²·e^{c₂/T} (T in kelvin), < 0
    rls_config power_rls{};          ///< RLS of the power model (4 weights per island)
    rls_config time_rls{};           ///< RLS of the time-per-instruction model (3 weights per island)
    /// Prior weights of the power model [n_active·V²f, V²f, V·T²e^{c₂/T}, 1] (empty: zeros).
    std::vector<double> power_prior{};
    /// Prior weights of the time-per-instruction model [1/f, memory accesses per instruction, 1]
    /// (empty: [1, 0, 0], i.e. one cycle per instruction).
    std::vector<double> time_prior{};
    double min_time_per_instr_s = 1e-12;  ///< floor of the predicted time per instruction, > 0
    /// Stall of one V/F switch per island, in seconds (Linux: cpuinfo_transition_latency; empty: switches
    /// cost no time). island_models::for_platform fills it from the chip when empty.
    std::vector<double> transition_latency_s{};
    /// Regulator slew per island in V/s (empty or +∞: no ramp). Raising the level first ramps the voltage
    /// while the cores run at the old frequency. for_platform fills it from the chip when empty.
    std::vector<double> volt_slew_v_per_s{};
};

/// Runtime power/performance model of UaOL (DESIGN §g): per island k two online::rls models,
///   P̂_k(l) = θ_Pᵀ [n_active·V_l²f_l, V_l²f_l, V_l·T²e^{c₂/T}, 1]         (dynamic core + cluster + leakage + static)
///   t̂_k(l) = max(θ_tᵀ [1/f_l, m, 1], floor) · W                      (time per instruction × work)
/// with n_active, T (start-of-interval temperature), m (memory accesses per instruction) and the work
/// W = ipc·f·busy_time (instructions per active core of the last interval) taken from the observation.
/// The regressors follow the simulator's equations (DESIGN §e) and Mandal et al., ACM TODAES 2020.
///
/// Units keep the least-squares problems well scaled: f enters in GHz (so θ_P are effective capacitances in nF)
/// and time per instruction in ns (so θ_t = [cycles per instruction, ns per memory access, ns]).
/// Learning: dvfs::step_outcome holds only chip totals, so update() takes the observation measured after the
/// interval (`after`): island power after.power_w[k] and time per instruction 1/(after.ipc[k]·after.freq_hz[k]).
/// estimate() is noexcept and allocation-free.
///
/// Pooling (a TimePooling) predicts time per instruction across levels where it can: pooled_time (default,
/// `island_models`) fits c/f + m over the islands that share a V/F table; per_island_time
/// (`per_island_models`) uses each island's RLS weights alone (docs/uaol.md#pooled-time).
template <class Pooling = pooled_time>
class basic_island_models {
    static_assert(TimePooling<Pooling>,
                  "l2s::online::basic_island_models<Pooling>: Pooling must model l2s::TimePooling (see docs/uaol.md#pooled-time)");
public:
    using config = island_models_config;

    /// freq_hz[k][l], volt_v[k][l]: the V/F table of island k (level l), same shapes, finite and > 0.
    basic_island_models(std::vector<std::vector<double>> freq_hz, std::vector<std::vector<double>> volt_v,
                        config cfg = {}, Pooling pooling = {})
        : cfg_(std::move(cfg)), freq_hz_(std::move(freq_hz)), volt_v_(std::move(volt_v)), pooling_(std::move(pooling)) {
        require_config(cfg_.leakage_c2_k < 0.0, who_ctor, "leakage_c2_k", "< 0", cfg_.leakage_c2_k);
        require_config(cfg_.min_time_per_instr_s > 0.0, who_ctor, "min_time_per_instr_s", "> 0",
                       cfg_.min_time_per_instr_s);
        if (freq_hz_.empty()) throw invalid_config(std::string(who_ctor) + ": freq_hz must have at least one island");
        require_size(who_ctor, "volt_v", static_cast<Eigen::Index>(volt_v_.size()),
                     static_cast<Eigen::Index>(freq_hz_.size()));
        for (std::size_t k = 0; k < freq_hz_.size(); ++k) {
            if (freq_hz_[k].empty() || freq_hz_[k].size() > 256)
                throw invalid_config(std::string(who_ctor) + ": island " + std::to_string(k) +
                                     " must have 1 to 256 levels");
            require_size(who_ctor, "volt_v[k]", static_cast<Eigen::Index>(volt_v_[k].size()),
                         static_cast<Eigen::Index>(freq_hz_[k].size()));
            for (std::size_t l = 0; l < freq_hz_[k].size(); ++l)
                if (!(freq_hz_[k][l] > 0.0 && std::isfinite(freq_hz_[k][l]) && volt_v_[k][l] > 0.0 &&
                      std::isfinite(volt_v_[k][l])))
                    throw invalid_config(std::string(who_ctor) + ": freq_hz and volt_v must be finite and > 0 (island " +
                                         std::to_string(k) + ", level " + std::to_string(l) + ")");
        }
        vec p0 = vec::Zero(4), t0(3);
        t0 << 1.0, 0.0, 0.0;
        if (!cfg_.power_prior.empty()) {
            require_size(who_ctor, "power_prior", static_cast<Eigen::Index>(cfg_.power_prior.size()), 4);
            p0 = Eigen::Map<const vec>(cfg_.power_prior.data(), 4);
        }
        if (!cfg_.time_prior.empty()) {
            require_size(who_ctor, "time_prior", static_cast<Eigen::Index>(cfg_.time_prior.size()), 3);
            t0 = Eigen::Map<const vec>(cfg_.time_prior.data(), 3);
        }
        const std::size_t K = freq_hz_.size();
        if (!cfg_.transition_latency_s.empty()) {
            require_size(who_ctor, "transition_latency_s", static_cast<Eigen::Index>(cfg_.transition_latency_s.size()),
                         static_cast<Eigen::Index>(K));
            for (double v : cfg_.transition_latency_s)
                require_config(v >= 0.0 && std::isfinite(v), who_ctor, "transition_latency_s", "finite and >= 0", v);
        }
        if (!cfg_.volt_slew_v_per_s.empty()) {
            require_size(who_ctor, "volt_slew_v_per_s", static_cast<Eigen::Index>(cfg_.volt_slew_v_per_s.size()),
                         static_cast<Eigen::Index>(K));
            for (double v : cfg_.volt_slew_v_per_s) require_config(v > 0.0, who_ctor, "volt_slew_v_per_s", "> 0", v);
        }
        pooling_.resize(freq_hz_);
        tpi_.assign(K, 0.0);
        ran_hz_.assign(K, 0.0);
        power_.reserve(freq_hz_.size());
        time_.reserve(freq_hz_.size());
        for (std::size_t k = 0; k < freq_hz_.size(); ++k) {
            power_.emplace_back(p0, cfg_.power_rls);
            time_.emplace_back(t0, cfg_.time_rls);
        }
    }

    /// Models for a chip's V/F tables: any description with islands[k].opps[l].{freq_hz, volt_v} and
    /// islands[k].{transition_latency_s, volt_slew_v_per_s} (sim::platform is one).
    template <class Chip>
        requires requires(const Chip& c) {
            c.islands[0].opps[0].freq_hz;
            c.islands[0].opps[0].volt_v;
            c.islands[0].transition_latency_s;
            c.islands[0].volt_slew_v_per_s;
        }
    [[nodiscard]] static basic_island_models for_platform(const Chip& chip, config cfg = {}, Pooling pooling = {}) {
        std::vector<std::vector<double>> f(chip.num_islands()), v(chip.num_islands());
        for (std::size_t k = 0; k < chip.num_islands(); ++k)
            for (const auto& op : chip.islands[k].opps) {
                f[k].push_back(op.freq_hz);
                v[k].push_back(op.volt_v);
            }
        if (cfg.transition_latency_s.empty())
            for (const auto& is : chip.islands) cfg.transition_latency_s.push_back(is.transition_latency_s);
        if (cfg.volt_slew_v_per_s.empty())
            for (const auto& is : chip.islands) cfg.volt_slew_v_per_s.push_back(is.volt_slew_v_per_s);
        return basic_island_models(std::move(f), std::move(v), std::move(cfg), std::move(pooling));
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return freq_hz_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return freq_hz_[k].size(); }
    [[nodiscard]] const rls& power_model(std::size_t k) const noexcept { return power_[k]; }
    [[nodiscard]] const rls& time_model(std::size_t k) const noexcept { return time_[k]; }

    /// Power regressors of island k at level l under obs (f in GHz, V in volts, T in kelvin).
    [[nodiscard]] Eigen::Vector4d power_features(const dvfs::observation& obs, std::size_t k, level_t l) const noexcept {
        const double f = freq_hz_[k][l] * 1e-9, v = volt_v_[k][l];
        const double t_k = obs.temp_c[k] + 273.15;
        const double v2f = v * v * f;
        return {static_cast<double>(obs.active_cores[k]) * v2f, v2f, v * t_k * t_k * std::exp(cfg_.leakage_c2_k / t_k),
                1.0};
    }
    /// Time-per-instruction regressors of island k at level l under obs (1/f in ns; the target is in ns).
    [[nodiscard]] Eigen::Vector3d time_features(const dvfs::observation& obs, std::size_t k, level_t l) const noexcept {
        return {1e9 / freq_hz_[k][l], obs.mem_per_instr[k], 1.0};
    }
    /// Instructions per active core of island k in the last interval.
    [[nodiscard]] static double work(const dvfs::observation& obs, std::size_t k) noexcept {
        return obs.ipc[k] * obs.freq_hz[k] * obs.busy_time_s[k];
    }

    /// P̂_k(l) and t̂_k(l) over the next interval (no validation; obs must have K islands, l < L_k).
    [[nodiscard]] dvfs::power_time estimate(const dvfs::observation& obs, std::size_t k, level_t l) const noexcept {
        return estimate_at(obs, k, l, true);
    }
    /// As estimate(), as if island k already ran at l: no transition stall or voltage ramp. The reference
    /// of the slowdown budget (every island at its top level, as the performance governor runs) uses it.
    [[nodiscard]] dvfs::power_time settled_estimate(const dvfs::observation& obs, std::size_t k, level_t l) const noexcept {
        return estimate_at(obs, k, l, false);
    }

    /// Time island k takes for W instructions at level l when it ran at level `now` (time per instruction
    /// tpi_now there and tpi_l at l): W·tpi_l, plus on a switch the transition stall and, when the frequency
    /// rises, the instructions retired at the old speed while the voltage ramps (as the simulator and real
    /// regulators do; docs/uaol.md#transitions).
    [[nodiscard]] double island_time(std::size_t k, level_t now, level_t l, double tpi_now, double tpi_l,
                                     double w) const noexcept {
        if (l == now) return w * tpi_l;
        double t = cfg_.transition_latency_s.empty() ? 0.0 : cfg_.transition_latency_s[k];
        if (freq_hz_[k][l] > freq_hz_[k][now] && !cfg_.volt_slew_v_per_s.empty() && tpi_now > 0.0) {
            const double ramp = std::max(0.0, volt_v_[k][l] - volt_v_[k][now]) / cfg_.volt_slew_v_per_s[k];
            const double done_old = std::min(w, ramp / tpi_now);
            return t + done_old * tpi_now + (w - done_old) * tpi_l;
        }
        return t + w * tpi_l;
    }

    /// Learns from one interval: `before` is the observation the action was decided on, `after` the one
    /// measured at its end. Islands with no executed instructions (ipc or frequency 0) update only the power
    /// model. Throws dimension_mismatch, invalid_argument (level out of range) or non_finite_observation before
    /// changing anything.
    template <class... Obs>
    void update(const dvfs::observation& before, const dvfs::action& a, const dvfs::observation& after, Obs&... observers) {
        const std::size_t K = num_islands();
        require_size(who_upd, "action", static_cast<Eigen::Index>(a.size()), static_cast<Eigen::Index>(K));
        for (const auto* o : {&before, &after}) {
            require_size(who_upd, "observation", static_cast<Eigen::Index>(o->num_islands()),
                         static_cast<Eigen::Index>(K));
            for (const auto* v : {&o->temp_c, &o->mem_per_instr, &o->power_w, &o->ipc, &o->freq_hz})
                require_size(who_upd, "observation field", static_cast<Eigen::Index>(v->size()),
                             static_cast<Eigen::Index>(K));
            require_size(who_upd, "active_cores", static_cast<Eigen::Index>(o->active_cores.size()),
                         static_cast<Eigen::Index>(K));
        }
        for (std::size_t k = 0; k < K; ++k) {
            if (a[k] >= num_levels(k))
                throw invalid_argument(std::string(who_upd) + ": level " + std::to_string(a[k]) + " of island " +
                                       std::to_string(k) + " is out of range");
            require_finite(who_upd, "power regressors", power_features(before, k, a[k]));
            require_finite(who_upd, "time regressors", time_features(before, k, a[k]));
            require_finite(who_upd, "measured power", after.power_w[k]);
            require_finite(who_upd, "measured ipc", after.ipc[k]);
            require_finite(who_upd, "measured frequency", after.freq_hz[k]);
        }
        for (std::size_t k = 0; k < K; ++k) {
            power_[k].update(power_features(before, k, a[k]), after.power_w[k], observers...);
            const double tpi = measured_tpi(before, a, after, k);
            if (tpi > 0.0) time_[k].update(time_features(before, k, a[k]), 1e9 * tpi, observers...);
            tpi_[k] = tpi;
            ran_hz_[k] = freq_hz_[k][a[k]];
        }
        pooling_.update(ran_hz_, tpi_);
    }

    /// The time pooling (e.g. pooled_time::of(k), the fit of island k's group).
    [[nodiscard]] const Pooling& pooling() const noexcept { return pooling_; }

    /// Back to the priors.
    void reset() {
        for (auto& m : power_) m.reset();
        for (auto& m : time_) m.reset();
        pooling_.reset();
    }

private:
    [[nodiscard]] double learned_tpi(const dvfs::observation& obs, std::size_t k, level_t l) const noexcept {
        double tpi_ns = 0.0;
        if (!pooling_.tpi_ns(k, freq_hz_[k][l], tpi_ns)) tpi_ns = time_[k].weights().dot(time_features(obs, k, l));
        const double tpi = tpi_ns * 1e-9;
        return tpi > cfg_.min_time_per_instr_s ? tpi : cfg_.min_time_per_instr_s;
    }

    /// Time per instruction at level a[k] measured over the interval from `before` to `after` (0: nothing
    /// retired). busy / W, except after a rise in frequency: the instructions retired during the voltage
    /// ramp ran at the old speed (before's measured time per instruction), so they are taken out.
    [[nodiscard]] double measured_tpi(const dvfs::observation& before, const dvfs::action& a,
                                      const dvfs::observation& after, std::size_t k) const noexcept {
        const double ips = after.ipc[k] * after.freq_hz[k];
        if (!(ips > 0.0)) return 0.0;
        const double tpi = 1.0 / ips;
        const std::size_t now = before.level[k];
        const double ips_old = before.ipc[k] * before.freq_hz[k];
        if (cfg_.volt_slew_v_per_s.empty() || now >= num_levels(k) || !(freq_hz_[k][a[k]] > freq_hz_[k][now]) ||
            !(ips_old > 0.0))
            return tpi;
        const double w = ips * after.busy_time_s[k], tpi_old = 1.0 / ips_old;
        const double ramp = std::max(0.0, volt_v_[k][a[k]] - volt_v_[k][now]) / cfg_.volt_slew_v_per_s[k];
        const double done_old = std::min(w, ramp / tpi_old);
        if (!(w - done_old > 0.0)) return tpi;
        const double rest = (after.busy_time_s[k] - done_old * tpi_old) / (w - done_old);
        return rest > 0.0 ? rest : tpi;
    }

    [[nodiscard]] dvfs::power_time estimate_at(const dvfs::observation& obs, std::size_t k, level_t l,
                                              bool switch_costs) const noexcept {
        const Eigen::Vector4d xp = power_features(obs, k, l);
        const double tpi = learned_tpi(obs, k, l), w = work(obs, k);
        const auto now = static_cast<level_t>(obs.level[k]);
        return {power_[k].weights().dot(xp), switch_costs && now != l && now < num_levels(k)
                                                 ? island_time(k, now, l, learned_tpi(obs, k, now), tpi, w)
                                                 : tpi * w};
    }

    static constexpr const char* who_ctor = "l2s::online::island_models";
    static constexpr const char* who_upd = "l2s::online::island_models::update";
    config cfg_;
    std::vector<std::vector<double>> freq_hz_, volt_v_;
    Pooling pooling_;
    std::vector<double> tpi_, ran_hz_;  // the last interval's measured time per instruction and frequency
    std::vector<rls> power_, time_;
};

/// UaOL's runtime models as published (docs/results/uaol.md): time pooled across islands with one V/F table.
using island_models = basic_island_models<pooled_time>;
/// The same without pooling: every island's time from its own RLS weights.
using per_island_models = basic_island_models<per_island_time>;
static_assert(PowerPerformanceModel<island_models> && IntervalLearner<island_models>);
static_assert(PowerPerformanceModel<per_island_models> && IntervalLearner<per_island_models>);

}  // namespace l2s::online
