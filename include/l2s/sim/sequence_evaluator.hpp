// SPDX-License-Identifier: MIT
// l2s/sim/sequence_evaluator.hpp: scores complete T × K decision sequences on the simulator, with
// checkpointed incremental re-evaluation from the first changed interval.  @see docs/sim.md#evaluator
#pragma once
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/simulator.hpp>
#include <l2s/sim/trace.hpp>

namespace l2s::sim {

/// Checks that y is T × K with levels in range; throws dimension_mismatch / invalid_argument naming `who`.
inline void check_sequence(const simulator& s, const vf_sequence& y, const char* who) {
    const std::size_t T = s.num_intervals(), K = s.num_islands();
    if (y.shape()[0] != T || y.shape()[1] != K)
        throw dimension_mismatch(std::string(who) + ": sequence is " + std::to_string(y.shape()[0]) + " x " +
                                 std::to_string(y.shape()[1]) + ", expected " + std::to_string(T) + " x " +
                                 std::to_string(K));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k)
            if (y(t, k) >= s.num_levels(k))
                throw invalid_argument(std::string(who) + ": level " + std::to_string(y(t, k)) + " at interval " +
                                       std::to_string(t) + ", island " + std::to_string(k) + " is out of range (" +
                                       std::to_string(s.num_levels(k)) + " levels)");
}

/// The all-top-level sequence of a simulator (the reference for slowdown).
[[nodiscard]] inline vf_sequence all_max_sequence(const simulator& s) {
    vf_sequence y({s.num_intervals(), s.num_islands()});
    for (std::size_t t = 0; t < s.num_intervals(); ++t)
        for (std::size_t k = 0; k < s.num_islands(); ++k) y(t, k) = static_cast<level_t>(s.num_levels(k) - 1);
    return y;
}

/// Evaluator of decision sequences on a shared simulator. evaluate(y) replays all T intervals and keeps a
/// checkpoint of the state before every interval with prefix sums of the metrics; reevaluate(y, t0) assumes
/// y equals the last evaluated sequence before t0 and replays only t0..T−1, bit-identical to evaluate(y).
/// Not thread-safe (one evaluator per thread; they may share the simulator).  Satisfies Evaluator.
class sequence_evaluator {
public:
    explicit sequence_evaluator(std::shared_ptr<const simulator> sim) : sim_(std::move(sim)) {
        if (!sim_) throw invalid_argument("l2s::sim::sequence_evaluator: null simulator");
        const std::size_t T = sim_->num_intervals(), K = sim_->num_islands();
        ck_temp_.resize((T + 1) * K);
        ck_level_.resize((T + 1) * K);
        ck_pkg_.resize(T + 1);
        ck_rho_.resize(T + 1);
        ck_prog_.resize((T + 1) * sim_->num_programs());
        cum_.resize(T + 1);
        state_ = sim_->initial_state();
        reference_ = run(all_max_sequence(*sim_), 0, nullptr);
        valid_ = false;
        evaluations_ = 0;
        simulated_ = 0;
    }
    sequence_evaluator(platform p, workload w, sim_config cfg = {})
        : sequence_evaluator(std::make_shared<const simulator>(std::move(p), std::move(w), cfg)) {}

    [[nodiscard]] std::size_t num_intervals() const noexcept { return sim_->num_intervals(); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return sim_->num_islands(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return sim_->num_levels(k); }
    [[nodiscard]] const simulator& sim() const noexcept { return *sim_; }
    [[nodiscard]] std::shared_ptr<const simulator> shared_sim() const noexcept { return sim_; }
    /// The all-top-level run (slowdown reference).
    [[nodiscard]] const sequence_score& reference() const noexcept { return reference_; }
    /// Number of evaluate/reevaluate calls, and intervals simulated by them.
    [[nodiscard]] std::size_t evaluations() const noexcept { return evaluations_; }
    [[nodiscard]] std::size_t intervals_simulated() const noexcept { return simulated_; }

    /// Full replay. Throws dimension_mismatch / invalid_argument on a bad sequence (checkpoints unchanged).
    [[nodiscard]] sequence_score evaluate(const vf_sequence& y) {
        check_sequence(*sim_, y, "l2s::sim::sequence_evaluator::evaluate");
        ++evaluations_;
        return run(y, 0, nullptr);
    }
    /// Full replay that also records the per-interval trace.
    sequence_score evaluate(const vf_sequence& y, trace& out) {
        check_sequence(*sim_, y, "l2s::sim::sequence_evaluator::evaluate");
        ++evaluations_;
        out.resize(num_intervals(), num_islands());
        return run(y, 0, &out);
    }
    /// Replays from interval t0 (y must equal the previously evaluated sequence before t0; with no previous
    /// evaluation this is a full replay). Throws invalid_argument when t0 > T.
    [[nodiscard]] sequence_score reevaluate(const vf_sequence& y, std::size_t t0) {
        if (t0 > num_intervals())
            throw invalid_argument("l2s::sim::sequence_evaluator::reevaluate: t0 = " + std::to_string(t0) +
                                   " exceeds T = " + std::to_string(num_intervals()));
        check_sequence(*sim_, y, "l2s::sim::sequence_evaluator::reevaluate");
        ++evaluations_;
        return run(y, valid_ ? t0 : 0, nullptr);
    }

    /// The observations measured during each interval of y: out[t] describes interval t (T entries).
    [[nodiscard]] std::vector<observation> interval_observations(const vf_sequence& y) const {
        check_sequence(*sim_, y, "l2s::sim::sequence_evaluator::interval_observations");
        const std::size_t T = num_intervals(), K = num_islands();
        std::vector<observation> obs(T);
        sim_state s = sim_->initial_state();
        for (std::size_t t = 0; t < T; ++t) {
            obs[t].resize(K);
            (void)sim_->step(s, &y(t, 0), &obs[t]);
        }
        return obs;
    }
    /// The observations a policy would see along y: obs[t] is the observation on which interval t is decided
    /// (obs[0] describes a virtual interval at the top levels before the start). For imitation datasets.
    [[nodiscard]] std::vector<observation> observations(const vf_sequence& y) const {
        check_sequence(*sim_, y, "l2s::sim::sequence_evaluator::observations");
        std::vector<observation> measured = interval_observations(y);
        std::vector<observation> obs(measured.size());
        obs[0].resize(num_islands());
        initial_observation(*sim_, obs[0]);
        for (std::size_t t = 1; t < measured.size(); ++t) obs[t] = std::move(measured[t - 1]);
        return obs;
    }

    /// Writes into o the observation a governor reads before interval 0: the top levels over a virtual
    /// interval 0 from the initial state (o must be sized for K islands). Returns the hottest true island
    /// temperature of that virtual interval (the readings in o may be quantised by the platform's sensors).
    static double initial_observation(const simulator& sim, observation& o) {
        sim_state probe = sim.initial_state();
        (void)sim.step(probe, sim.initial_state().level.data(), &o);
        o.interval = 0;
        return *std::max_element(probe.temp_c.begin(), probe.temp_c.end());
    }

private:
    struct prefix {
        double energy = 0.0, time = 0.0, peak = 0.0, over = 0.0;
        std::size_t transitions = 0;
    };

    sequence_score run(const vf_sequence& y, std::size_t t0, trace* tr) {
        const std::size_t T = num_intervals();
        if (t0 == 0) {
            state_ = sim_->initial_state();
            save(0);
            prefix p;
            p.peak = *std::max_element(state_.temp_c.begin(), state_.temp_c.end());
            cum_[0] = p;
        } else {
            restore(t0);
        }
        for (std::size_t t = t0; t < T; ++t) {
            const interval_result r = sim_->step(state_, &y(t, 0));
            const prefix& a = cum_[t];
            prefix& b = cum_[t + 1];
            b.energy = a.energy + r.energy_j;
            b.time = a.time + r.time_s;
            b.peak = std::max(a.peak, r.peak_temp_c);
            b.over = a.over + r.time_over_limit_s;
            b.transitions = a.transitions + r.transitions;
            save(t + 1);
            if (tr != nullptr) tr->record(t, state_, r, *sim_);
        }
        simulated_ += T - t0;
        valid_ = true;
        const prefix& e = cum_[T];
        return {e.energy, e.time, e.peak, e.over, e.transitions};
    }
    void save(std::size_t t) {
        const std::size_t K = num_islands();
        std::copy(state_.temp_c.begin(), state_.temp_c.end(), ck_temp_.begin() + static_cast<std::ptrdiff_t>(t * K));
        std::copy(state_.level.begin(), state_.level.end(), ck_level_.begin() + static_cast<std::ptrdiff_t>(t * K));
        ck_pkg_[t] = state_.package_c;
        ck_rho_[t] = state_.rho;
        const std::size_t P = state_.program_time_s.size();
        std::copy(state_.program_time_s.begin(), state_.program_time_s.end(), ck_prog_.begin() + static_cast<std::ptrdiff_t>(t * P));
    }
    void restore(std::size_t t) {
        const std::size_t K = num_islands();
        std::copy_n(ck_temp_.begin() + static_cast<std::ptrdiff_t>(t * K), K, state_.temp_c.begin());
        std::copy_n(ck_level_.begin() + static_cast<std::ptrdiff_t>(t * K), K, state_.level.begin());
        state_.package_c = ck_pkg_[t];
        state_.rho = ck_rho_[t];
        const std::size_t P = state_.program_time_s.size();
        std::copy_n(ck_prog_.begin() + static_cast<std::ptrdiff_t>(t * P), P, state_.program_time_s.begin());
        state_.interval = t;
    }

    std::shared_ptr<const simulator> sim_;
    sim_state state_;
    std::vector<double> ck_temp_, ck_pkg_, ck_rho_, ck_prog_;
    std::vector<level_t> ck_level_;
    std::vector<prefix> cum_;
    sequence_score reference_{};
    bool valid_ = false;
    std::size_t evaluations_ = 0, simulated_ = 0;
};

static_assert(Evaluator<sequence_evaluator>);

}  // namespace l2s::sim
