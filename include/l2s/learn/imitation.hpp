// SPDX-License-Identifier: MIT
// l2s/learn/imitation.hpp: imitation data from an oracle sequence (features along the sequence's own run,
// labelled with its levels).
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/policy/feature_map.hpp>

namespace l2s::learn {

/// Appends (features, levels y(t, ·)) of the intervals t with t % stride == offset to d. `obs` are the
/// observations along y's own run (e.g. sim::sequence_evaluator::observations(y)), so the features, which
/// depend on earlier decisions through the history, are those a policy imitating y would see
/// (docs/learn.md#imitation). Throws dimension_mismatch when obs and y disagree in length or islands, and
/// invalid_config when stride is 0 or offset ≥ stride; d is unchanged then.
inline void append_imitation(std::span<const dvfs::observation> obs, const vf_sequence& y, const policy::feature_map& fm,
                             dataset& d, std::size_t stride = 1, std::size_t offset = 0) {
    constexpr const char* who = "l2s::learn::append_imitation";
    const std::size_t K = fm.num_islands();
    require_config(stride >= 1, who, "stride", ">= 1", static_cast<double>(stride));
    require_config(offset < stride, who, "offset", "< stride", static_cast<double>(offset));
    require_size(who, "sequence intervals", static_cast<Eigen::Index>(y.shape()[0]), static_cast<Eigen::Index>(obs.size()));
    require_size(who, "sequence islands", static_cast<Eigen::Index>(obs.empty() ? K : y.shape()[1]), static_cast<Eigen::Index>(K));
    for (const auto& o : obs) require_size(who, "observation islands", static_cast<Eigen::Index>(o.num_islands()), static_cast<Eigen::Index>(K));
    auto state = fm.make_state();
    std::vector<double> feats(K * fm.num_features());
    std::vector<level_t> label(K);
    for (std::size_t t = 0; t < obs.size(); ++t) {
        fm.extract_all(obs[t], state, feats);
        fm.commit(obs[t], state);
        if (t % stride != offset) continue;
        for (std::size_t k = 0; k < K; ++k) label[k] = y(t, k);
        d.append(feats, label);
    }
}

}  // namespace l2s::learn
