// SPDX-License-Identifier: MIT
// l2s/policy/q_learning.hpp: tabular Q-learning DVFS governor per island (the common published RL baseline).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::policy {

/// Configuration of q_learning (defaults from DESIGN §e, RL baseline).
struct q_learning_config {
    std::array<double, 3> util_edges{0.25, 0.5, 0.75};  ///< utilisation bucket edges (4 buckets)
    std::array<double, 3> ipc_edges{0.5, 1.0, 1.5};     ///< IPC bucket edges (4 buckets)
    std::array<double, 2> mem_edges{0.005, 0.02};       ///< memory accesses per instruction edges (3 buckets)
    double learning_rate = 0.1;       ///< α ∈ (0, 1]
    double discount = 0.9;            ///< γ ∈ [0, 1)
    double epsilon_start = 0.1;       ///< ε at the first decision, [0, 1]
    double epsilon_min = 0.01;        ///< floor of ε, [0, epsilon_start]
    double epsilon_decay = 0.999;     ///< ε ← max(ε_min, ε·decay) per decision, (0, 1]
    double slowdown_budget = 0.1;     ///< p: allowed slowdown before the penalty
    double slowdown_penalty = 10.0;   ///< weight of max(0, slowdown − p)
    double edp_average_rate = 0.01;   ///< rate of the running mean that normalises EDP, (0, 1]
    std::uint64_t seed = 0;           ///< seed of the exploration RNG
};

/// Tabular Q-learning per island (Watkins & Dayan, Machine Learning 1992) in the form of published RL
/// governors (GitHub MaiaBlanco/RL-DVFS on the Odroid-XU3; Jetson governors with CPI × frequency tables):
/// state = utilisation (4 buckets) × IPC (4) × memory intensity (3) × current level; actions {−1, 0, +1}
/// level; reward r_k = −P_k·t²/EDP̄_k − w·max(0, t/t_min − 1 − p), where P_k·t² is the island's energy-delay
/// product over the interval, EDP̄_k its running mean, and t_min the shortest interval seen (the all-max time
/// of a fixed-work interval). ε-greedy exploration with a seeded RNG; ties break to the lowest action.
/// act(o, a) decides from the observation of the last interval; observe(o, a, r) must then be called with
/// the observation that follows the step (the next state) and updates
///   Q(s, a) ← Q(s, a) + α (r + γ max_a' Q(s', a') − Q(s, a)).
/// @see docs/governors.md#q_learning
class q_learning {
public:
    using config = q_learning_config;
    static constexpr const char* kind = "q_learning";
    static constexpr std::size_t num_actions = 3;

    q_learning(std::vector<std::size_t> levels_per_island, config c = {}) : levels_(std::move(levels_per_island)), c_(c), rng_(c.seed) {
        const std::string who = "l2s::policy::q_learning";
        if (levels_.empty()) throw invalid_config(who + ": levels_per_island is empty");
        for (auto l : levels_) if (l < 1) throw invalid_config(who + ": levels_per_island entries must be >= 1");
        auto ascending = [](const auto& e) { return std::is_sorted(e.begin(), e.end()) && std::all_of(e.begin(), e.end(), [](double x) { return std::isfinite(x); }); };
        if (!ascending(c_.util_edges)) throw invalid_config(who + ": util_edges must be finite and ascending");
        if (!ascending(c_.ipc_edges)) throw invalid_config(who + ": ipc_edges must be finite and ascending");
        if (!ascending(c_.mem_edges)) throw invalid_config(who + ": mem_edges must be finite and ascending");
        if (!(c_.learning_rate > 0.0 && c_.learning_rate <= 1.0)) throw invalid_config(who + ": learning_rate must be in (0, 1]");
        if (!(c_.discount >= 0.0 && c_.discount < 1.0)) throw invalid_config(who + ": discount must be in [0, 1)");
        if (!(c_.epsilon_start >= 0.0 && c_.epsilon_start <= 1.0)) throw invalid_config(who + ": epsilon_start must be in [0, 1]");
        if (!(c_.epsilon_min >= 0.0 && c_.epsilon_min <= c_.epsilon_start)) throw invalid_config(who + ": epsilon_min must be in [0, epsilon_start]");
        if (!(c_.epsilon_decay > 0.0 && c_.epsilon_decay <= 1.0)) throw invalid_config(who + ": epsilon_decay must be in (0, 1]");
        if (!(c_.slowdown_budget >= 0.0) || !std::isfinite(c_.slowdown_budget)) throw invalid_config(who + ": slowdown_budget must be finite and >= 0");
        if (!(c_.slowdown_penalty >= 0.0) || !std::isfinite(c_.slowdown_penalty)) throw invalid_config(who + ": slowdown_penalty must be finite and >= 0");
        if (!(c_.edp_average_rate > 0.0 && c_.edp_average_rate <= 1.0)) throw invalid_config(who + ": edp_average_rate must be in (0, 1]");
        q_.resize(levels_.size());
        for (std::size_t k = 0; k < levels_.size(); ++k) q_[k].assign(num_context * levels_[k] * num_actions, 0.0);
        last_state_.assign(levels_.size(), 0);
        last_action_.assign(levels_.size(), 1);
        edp_mean_.assign(levels_.size(), 0.0);
        epsilon_ = c_.epsilon_start;
    }

    [[nodiscard]] const config& cfg() const noexcept { return c_; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] std::size_t num_levels(std::size_t k) const noexcept { return levels_[k]; }
    [[nodiscard]] double epsilon() const noexcept { return epsilon_; }
    [[nodiscard]] std::size_t updates() const noexcept { return updates_; }
    /// Q(s, a) of island k; s from state_of, a ∈ {0: −1, 1: stay, 2: +1}.
    [[nodiscard]] double q_value(std::size_t k, std::size_t s, std::size_t a) const { return q_[k][s * num_actions + a]; }
    /// Greedy (no exploration) decisions from now on, e.g. to evaluate a trained table.
    void set_greedy(bool greedy) noexcept { greedy_ = greedy; }

    /// State index of island k in observation o: ((util·4 + ipc)·3 + mem)·L_k + level.
    [[nodiscard]] std::size_t state_of(const dvfs::observation& o, std::size_t k) const noexcept {
        const auto bucket = [](const auto& edges, double x) {
            return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), std::isfinite(x) ? x : 0.0) - edges.begin());
        };
        const auto at = [&](const std::vector<double>& v) { return k < v.size() ? v[k] : 0.0; };
        const std::size_t ctx = (bucket(c_.util_edges, at(o.utilisation)) * 4 + bucket(c_.ipc_edges, at(o.ipc))) * 3 +
                                bucket(c_.mem_edges, at(o.mem_per_instr));
        const std::size_t lvl = k < o.level.size() ? std::min<std::size_t>(o.level[k], levels_[k] - 1) : 0;
        return ctx * levels_[k] + lvl;
    }

    /// Forgets the last decision (not the table): the next observe() after act() starts a new episode.
    void reset() noexcept { pending_ = false; min_time_s_ = 0.0; }
    /// Clears the table and the running statistics.
    void clear() {
        for (auto& q : q_) std::fill(q.begin(), q.end(), 0.0);
        std::fill(edp_mean_.begin(), edp_mean_.end(), 0.0);
        epsilon_ = c_.epsilon_start;
        updates_ = 0;
        rng_.seed(c_.seed);
        reset();
    }

    /// ε-greedy level change per island from the observation of the last interval.
    void act(const dvfs::observation& o, dvfs::action& a) {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t k = 0; k < levels_.size() && k < a.size(); ++k) {
            const std::size_t s = state_of(o, k);
            std::size_t choice = greedy(k, s);
            if (!greedy_ && u(rng_) < epsilon_) choice = std::uniform_int_distribution<std::size_t>(0, num_actions - 1)(rng_);
            const long lvl = static_cast<long>(k < o.level.size() ? o.level[k] : 0) + static_cast<long>(choice) - 1;
            a[k] = static_cast<level_t>(std::clamp<long>(lvl, 0, static_cast<long>(levels_[k]) - 1));
            last_state_[k] = s;
            last_action_[k] = choice;
        }
        if (!greedy_) epsilon_ = std::max(c_.epsilon_min, epsilon_ * c_.epsilon_decay);
        pending_ = true;
    }

    /// Q update from the step's outcome; o is the observation after the step (the next state).
    void observe(const dvfs::observation& o, const dvfs::action& /*a*/, const dvfs::step_outcome& r) {
        if (!pending_) return;
        pending_ = false;
        const double t = r.time_s > 0.0 ? r.time_s : o.interval_time_s;
        if (!(t > 0.0) || !std::isfinite(t)) return;
        min_time_s_ = min_time_s_ > 0.0 ? std::min(min_time_s_, t) : t;
        const double slow = std::max(0.0, t / min_time_s_ - 1.0 - c_.slowdown_budget);
        for (std::size_t k = 0; k < levels_.size(); ++k) {
            const double p = k < o.power_w.size() && std::isfinite(o.power_w[k]) ? o.power_w[k] : 0.0;
            const double edp = p * t * t;
            edp_mean_[k] = edp_mean_[k] > 0.0 ? edp_mean_[k] + c_.edp_average_rate * (edp - edp_mean_[k]) : edp;
            const double reward = -(edp_mean_[k] > 0.0 ? edp / edp_mean_[k] : 0.0) - c_.slowdown_penalty * slow;
            const std::size_t s1 = state_of(o, k);
            double best = q_value(k, s1, 0);
            for (std::size_t b = 1; b < num_actions; ++b) best = std::max(best, q_value(k, s1, b));
            double& q = q_[k][last_state_[k] * num_actions + last_action_[k]];
            q += c_.learning_rate * (reward + c_.discount * best - q);
        }
        ++updates_;
    }

private:
    static constexpr std::size_t num_context = 4 * 4 * 3;
    [[nodiscard]] std::size_t greedy(std::size_t k, std::size_t s) const noexcept {
        std::size_t best = 0;
        for (std::size_t b = 1; b < num_actions; ++b)
            if (q_value(k, s, b) > q_value(k, s, best)) best = b;
        return best;
    }

    std::vector<std::size_t> levels_;
    config c_;
    rng_type rng_;
    std::vector<std::vector<double>> q_;
    std::vector<std::size_t> last_state_, last_action_;
    std::vector<double> edp_mean_;
    double epsilon_ = 0.1;
    double min_time_s_ = 0.0;
    std::size_t updates_ = 0;
    bool pending_ = false;
    bool greedy_ = false;
};

}  // namespace l2s::policy
