// tests/learn/test_imitation.cpp: learn::append_imitation labels every stride-th interval of a sequence with
// its levels and the features a policy would see along the sequence's own run.
#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/workload.hpp>

using namespace l2s;

TEST_CASE("learn::append_imitation: labels, features along the run, stride and offset") {
    const auto chip = sim::sniper_manycore(16, 4, 8);
    const std::size_t K = chip.num_islands(), T = 20;
    sim::sequence_evaluator ev(chip, sim::parsec_workload("dedup", K, {.intervals = T}));
    vf_sequence y = vf_sequence::from_shape({T, K});
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < K; ++k) y(t, k) = static_cast<level_t>((t + 3 * k) % 8);
    const auto obs = ev.observations(y);
    const policy::feature_map fm(K, chip.levels_per_island());
    learn::dataset d(chip.levels_per_island(), fm.num_features());
    learn::append_imitation(obs, y, fm, d, 3, 1);
    REQUIRE(d.size() == 7);  // t = 1, 4, …, 19
    // the features are those of the history along y: recompute them by hand
    auto state = fm.make_state();
    std::vector<double> feats(K * fm.num_features());
    std::size_t i = 0;
    for (std::size_t t = 0; t < T; ++t) {
        fm.extract_all(obs[t], state, feats);
        fm.commit(obs[t], state);
        if (t % 3 != 1) continue;
        for (std::size_t k = 0; k < K; ++k) {
            CHECK(d.label(i, k) == y(t, k));
            const auto f = d.features(i, k);
            for (std::size_t j = 0; j < f.size(); ++j) CHECK(f[j] == feats[k * fm.num_features() + j]);
        }
        ++i;
    }
}

TEST_CASE("learn::append_imitation: bad input is rejected and the dataset is unchanged") {
    const auto chip = sim::sniper_manycore(16, 4, 8);
    const std::size_t K = chip.num_islands(), T = 10;
    sim::sequence_evaluator ev(chip, sim::parsec_workload("barnes", K, {.intervals = T}));
    vf_sequence y = vf_sequence::from_shape({T, K});
    y.fill(0);
    const auto obs = ev.observations(y);
    const policy::feature_map fm(K, chip.levels_per_island());
    learn::dataset d(chip.levels_per_island(), fm.num_features());
    learn::append_imitation(obs, y, fm, d);
    REQUIRE(d.size() == T);
    const std::vector<dvfs::observation> shorter(obs.begin(), obs.begin() + 5);
    CHECK_THROWS_WITH_AS(learn::append_imitation(shorter, y, fm, d), doctest::Contains("l2s::learn::append_imitation"),
                         dimension_mismatch);
    CHECK_THROWS_WITH_AS(learn::append_imitation(obs, y, fm, d, 0), doctest::Contains("stride"), invalid_config);
    CHECK_THROWS_WITH_AS(learn::append_imitation(obs, y, fm, d, 2, 2), doctest::Contains("offset"), invalid_config);
    CHECK(d.size() == T);
}
