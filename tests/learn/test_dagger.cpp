// tests/learn/test_dagger.cpp: DAgger beats behaviour cloning where errors compound.
#include <doctest/doctest.h>

#include <array>
#include <random>

#include <l2s/learn.hpp>

using namespace l2s;

namespace {

/// A one-island environment built so that behaviour cloning compounds its errors (Ross et al. 2011).
/// Hidden state s: on-path states 0..7 form a cycle, off-path states 8..23 a trap. Every state has one
/// correct level (a fixed random table). On path, the correct level advances s → s + 1 (mod 8); a wrong
/// one drops into the trap. In the trap, the correct level returns to state 0; a wrong one moves to
/// another trap state. Each step spent in the trap costs 1 J. The policy sees s only through a noisy
/// utilisation reading (s + 0.5)/24 + N(0, 0.01²), so a learner errs now and then on path; the expert
/// never leaves the path, so behaviour cloning never sees a trap state and cannot get out of one.
class trap_env {
public:
    using observation_type = dvfs::observation;
    using action_type = dvfs::action;
    static constexpr std::size_t on_path = 8, states = 24, levels = 4, horizon = 60;

    trap_env() {
        rng_type table_rng(12345);
        for (auto& l : correct_) l = level_t(table_rng() % levels);
        obs_.resize(1);
        obs_.num_intervals = horizon;
        obs_.interval_time_s = 1e-3;
    }
    const observation_type& reset(rng_type& rng) {
        noise_.seed(rng());
        s_ = 0;
        obs_.interval = 0;
        obs_.level[0] = 0;
        fill();
        return obs_;
    }
    dvfs::step_outcome step(const action_type& a) {
        const bool right = a[0] == correct_[s_];
        if (s_ < on_path) s_ = right ? (s_ + 1) % on_path : on_path + (3 * s_ + a[0]) % (states - on_path);
        else s_ = right ? 0 : on_path + (5 * s_ + a[0] + 1) % (states - on_path);
        obs_.level[0] = a[0];
        ++obs_.interval;
        fill();
        return {s_ >= on_path ? 1.0 : 0.0, 1e-3, 50.0, obs_.interval >= horizon};
    }
    [[nodiscard]] const observation_type& observe() const { return obs_; }
    [[nodiscard]] std::size_t num_islands() const { return 1; }
    [[nodiscard]] std::size_t num_levels(std::size_t) const { return levels; }
    /// The expert: the correct level of the hidden state.
    [[nodiscard]] dvfs::action oracle() const { return {correct_[s_]}; }

private:
    void fill() {
        std::normal_distribution<double> n(0.0, 0.01);
        obs_.utilisation[0] = (double(s_) + 0.5) / double(states) + n(noise_);
    }
    std::array<level_t, states> correct_{};
    std::size_t s_ = 0;
    rng_type noise_{0};
    observation_type obs_;
};
static_assert(Environment<trap_env>);

template <class P>
double mean_cost(trap_env& env, P& pi, rng_type& rng, int episodes) {
    double c = 0.0;
    dvfs::action a(1);
    for (int e = 0; e < episodes; ++e) {
        const dvfs::observation* o = &env.reset(rng);
        pi.reset();
        for (;;) {
            pi.act(*o, a);
            const auto out = env.step(a);
            c += out.energy_j;
            if (out.done) break;
            o = &env.observe();
        }
    }
    return c / episodes;
}

}  // namespace

TEST_CASE("dagger: beats behaviour cloning with the same number of expert labels, over 5 seeds") {
    trap_env env;
    auto expert = [](const trap_env& e) { return e.oracle(); };
    auto train = [](const learn::dataset& d) { return learn::train_cart(d, {.max_depth = 8, .min_samples_leaf = 2}); };
    learn::dagger_config cfg{.rounds = 5, .episodes_per_round = 10};
    int wins = 0;
    double sum_d = 0.0, sum_b = 0.0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        rng_type r1(seed), r2(seed);
        auto d = learn::dagger(env, expert, train, cfg, r1);
        auto bc_cfg = cfg;
        bc_cfg.beta_decay = 1.0;  // every round rolls out the expert: behaviour cloning
        auto b = learn::dagger(env, expert, train, bc_cfg, r2);
        CHECK(d.data.size() == b.data.size());  // same number of expert labels
        CHECK(b.expert_fraction.back() == 1.0);
        CHECK(d.expert_fraction[1] < 0.75);
        rng_type e1(100 + seed), e2(100 + seed);
        const double cd = mean_cost(env, d.policy, e1, 100), cb = mean_cost(env, b.policy, e2, 100);
        MESSAGE("seed " << seed << ": trap steps per 60-step episode, DAgger " << cd << ", behaviour cloning " << cb);
        wins += cd < cb;
        sum_d += cd;
        sum_b += cb;
    }
    CHECK(wins >= 4);
    CHECK(sum_d < 0.5 * sum_b);
}

TEST_CASE("dagger: reproducible per seed; bad configuration and expert output are typed errors") {
    trap_env env;
    auto expert = [](const trap_env& e) { return e.oracle(); };
    auto train = [](const learn::dataset& d) { return learn::train_softmax_linear(d); };
    rng_type r1(3), r2(3);
    auto a = learn::dagger(env, expert, train, {.rounds = 2, .episodes_per_round = 2}, r1);
    auto b = learn::dagger(env, expert, train, {.rounds = 2, .episodes_per_round = 2}, r2);
    CHECK(a.policy.heads()[0].weights == b.policy.heads()[0].weights);
    CHECK(a.samples_per_round == std::vector<std::size_t>{120, 120});
    auto c = learn::dagger(env, expert, train, {.rounds = 1, .episodes_per_round = 2, .label_every = 8}, r1);
    CHECK(c.data.size() == 16);
    CHECK_THROWS_AS(learn::dagger(env, expert, train, {.rounds = 0}, r1), invalid_config);
    CHECK_THROWS_AS(learn::dagger(env, expert, train, {.beta_decay = 1.5}, r1), invalid_config);
    auto bad_expert = [](const trap_env&) { return dvfs::action{0, 0}; };
    CHECK_THROWS_AS(learn::dagger(env, bad_expert, train, {}, r1), dimension_mismatch);
}
