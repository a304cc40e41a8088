// SPDX-License-Identifier: MIT
// l2s/learn/dagger.hpp: DAgger (dataset aggregation) over any Environment, expert and trainer.
#pragma once
#include <cmath>
#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/scaler.hpp>

namespace l2s::learn {

/// Tunables of dagger.  @see docs/learn.md#dagger
struct dagger_config {
    std::size_t rounds = 5;              ///< training rounds (round 0 rolls out the expert alone), ≥ 1
    double beta_decay = 0.5;             ///< β_i = beta_decay^i, in [0, 1]; 1 gives behaviour cloning
    std::size_t episodes_per_round = 4;  ///< rollouts per round, ≥ 1
    std::size_t max_steps = 100000;      ///< step cap per episode (ends episodes of open-ended environments), ≥ 1
    std::size_t label_every = 1;         ///< label every n-th visited state (8 with an expensive search expert), ≥ 1
    policy::feature_map_config features{};  ///< must match the trainer's layout.features
};

/// What dagger returns: the last trained policy, the aggregated dataset and per-round statistics.
template <class P>
struct dagger_result {
    P policy;
    dataset data;
    std::vector<std::size_t> samples_per_round;  ///< new labelled states per round
    std::vector<double> expert_fraction;         ///< fraction of steps the expert controlled, per round
    std::vector<double> cost_per_round;          ///< mean episode energy_j of the round's rollouts
};

/// DAgger (Ross, Gordon, Bagnell, AISTATS 2011). Round i rolls out the mixture that, at each step, takes
/// the expert's action with probability β_i = beta_decay^i and the current policy π_i's otherwise
/// (round 0: the expert alone); every label_every-th visited state is labelled by the expert, the
/// labels are aggregated with all earlier ones, and π_{i+1} = train(aggregate).
///
/// - E: an Environment over dvfs::observation / dvfs::action;
/// - expert(const E&) → dvfs::action: oracle levels for the environment's current state (e.g. the first
///   action of a search from that state);
/// - train(const dataset&) → P, a policy with act(obs, action&) and reset().
/// Features are those of a policy::feature_map with cfg.features, recorded before each action; a
/// non-finite feature (a reading the environment did not provide) is a non_finite_observation error.
template <class E, class Expert, class Trainer>
    requires Environment<E> && std::same_as<typename E::observation_type, dvfs::observation> &&
             std::same_as<typename E::action_type, dvfs::action>
auto dagger(E& env, Expert&& expert, Trainer&& train, const dagger_config& cfg, rng_type& rng)
    -> dagger_result<std::remove_cvref_t<std::invoke_result_t<Trainer&, const dataset&>>> {
    using P = std::remove_cvref_t<std::invoke_result_t<Trainer&, const dataset&>>;
    constexpr const char* who = "l2s::learn::dagger";
    require_config(cfg.rounds >= 1, who, "rounds", ">= 1", double(cfg.rounds));
    require_config(cfg.beta_decay >= 0.0 && cfg.beta_decay <= 1.0, who, "beta_decay", "in [0, 1]", cfg.beta_decay);
    require_config(cfg.episodes_per_round >= 1, who, "episodes_per_round", ">= 1", double(cfg.episodes_per_round));
    require_config(cfg.max_steps >= 1, who, "max_steps", ">= 1", double(cfg.max_steps));
    require_config(cfg.label_every >= 1, who, "label_every", ">= 1", double(cfg.label_every));
    const std::size_t K = env.num_islands();
    std::vector<std::size_t> levels(K);
    for (std::size_t k = 0; k < K; ++k) levels[k] = env.num_levels(k);
    const policy::feature_map fm(K, levels, cfg.features);
    const std::size_t F = fm.num_features();
    dataset data(levels, F);
    std::optional<P> pi;
    std::vector<std::size_t> samples;
    std::vector<double> expert_share, costs;
    std::vector<double> feats(K * F);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    for (std::size_t round = 0; round < cfg.rounds; ++round) {
        const double beta = round == 0 ? 1.0 : std::pow(cfg.beta_decay, double(round));
        std::size_t added = 0, steps = 0, by_expert = 0;
        double cost = 0.0;
        for (std::size_t ep = 0; ep < cfg.episodes_per_round; ++ep) {
            const dvfs::observation* obs = &env.reset(rng);
            auto state = fm.make_state();
            if (pi) pi->reset();
            dvfs::action a(K), label(K);
            for (std::size_t t = 0; t < cfg.max_steps; ++t) {
                const bool labelled = t % cfg.label_every == 0;
                const bool use_expert = !pi || coin(rng) < beta;
                if (labelled || use_expert) {
                    label = expert(std::as_const(env));
                    require_size(who, "expert action", static_cast<Eigen::Index>(label.size()), static_cast<Eigen::Index>(K));
                }
                if (labelled) {
                    fm.extract_all(*obs, state, feats);
                    data.append(feats, label);
                    ++added;
                }
                fm.commit(*obs, state);
                if (pi) pi->act(*obs, a);
                if (use_expert) {
                    a = label;
                    ++by_expert;
                }
                const auto out = env.step(a);
                cost += out.energy_j;
                ++steps;
                if (out.done) break;
                obs = &env.observe();
            }
        }
        samples.push_back(added);
        expert_share.push_back(steps ? double(by_expert) / double(steps) : 0.0);
        costs.push_back(cost / double(cfg.episodes_per_round));
        pi.emplace(train(std::as_const(data)));
    }
    return {std::move(*pi), std::move(data), std::move(samples), std::move(expert_share), std::move(costs)};
}

}  // namespace l2s::learn
