// tests/policy/test_env.hpp: a small Environment over dvfs::observation / dvfs::action for policy tests.
#pragma once
#include <cmath>
#include <random>

#include <l2s/dvfs/concepts.hpp>

namespace l2s::test {

/// K islands whose utilisation follows a seeded random walk; energy grows with the chosen level.
class walk_env {
public:
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    explicit walk_env(std::size_t islands = 16, std::size_t levels = 8, std::size_t intervals = 50)
        : K_(islands), L_(levels), T_(intervals) {
        obs_.resize(K_);
        obs_.num_intervals = T_;
    }
    const observation_type& reset(rng_type& rng) {
        rng_.seed(rng());
        obs_.interval = 0;
        fill();
        return obs_;
    }
    dvfs::step_outcome step(const action_type& a) {
        double e = 0.0;
        for (std::size_t k = 0; k < K_; ++k) {
            obs_.level[k] = a[k];
            e += 1.0 + double(a[k]);
        }
        ++obs_.interval;
        fill();
        return {e * 1e-3, 1e-3, 50.0, obs_.interval >= T_};
    }
    [[nodiscard]] const observation_type& observe() const { return obs_; }
    [[nodiscard]] std::size_t num_islands() const { return K_; }
    [[nodiscard]] std::size_t num_levels(std::size_t) const { return L_; }

private:
    void fill() {
        std::normal_distribution<double> n(0.0, 0.1);
        double p = 0.0, tmax = 0.0;
        for (std::size_t k = 0; k < K_; ++k) {
            obs_.utilisation[k] = std::clamp(obs_.utilisation[k] + n(rng_), 0.0, 1.0);
            obs_.ipc[k] = 1.0 + n(rng_);
            obs_.mem_per_instr[k] = 0.01 + 0.01 * std::abs(n(rng_));
            obs_.mem_per_s[k] = 1e8 * (1.0 + n(rng_));
            obs_.power_w[k] = 1.0 + 0.5 * double(obs_.level[k]) + n(rng_);
            obs_.temp_c[k] = 50.0 + 10.0 * n(rng_);
            obs_.freq_hz[k] = 1e9 + 4e8 * double(obs_.level[k]);
            obs_.busy_time_s[k] = 1e-3 * obs_.utilisation[k];
            obs_.active_cores[k] = 4;
            p += obs_.power_w[k];
            tmax = std::max(tmax, obs_.temp_c[k]);
        }
        obs_.chip_power_w = p;
        obs_.max_temp_c = tmax;
        obs_.interval_time_s = 1e-3;
    }
    std::size_t K_, L_, T_;
    rng_type rng_{0};
    observation_type obs_;
};
static_assert(Environment<walk_env>);

}  // namespace l2s::test
