// SPDX-License-Identifier: MIT
// l2s/online/refinement.hpp: what uaol_policy does with a decision once it is made: search the levels at or
// below it through the runtime models (default), or keep it.
#pragma once
#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include <l2s/core/types.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/online/product_set_search.hpp>

namespace l2s::online {

/// Refinement below the decision (docs/uaol.md#slack-account), uaol_policy's default. Every decision (the
/// policy's argmax when seen, the conformal search's choice when unseen) is an upper bound: the models search
/// the product of {0, …, a_k} per island (levels ascend in speed) for the lowest predicted EDP within the
/// time limit. The decision itself is a member, so a feasible decision is only replaced by a configuration
/// the models predict lower in EDP; when nothing meets the limit the decision stands.
class refine_below {
public:
    /// Sizes the buffers for islands with levels[k] levels.
    void resize(std::span<const std::size_t> levels) {
        max_levels_ = levels.empty() ? 0 : *std::max_element(levels.begin(), levels.end());
        sets_.assign(levels.size() * max_levels_, 0);
        sizes_.assign(levels.size(), 0);
        order_.assign(levels.size(), 0);
        upper_.assign(levels.size(), 0);
    }
    /// Refines decision a in place through `search` and `model` under `limit`; true when it changed a.
    template <class Model>
        requires PowerPerformanceModel<Model>
    bool refine(product_set_search& search, const Model& model, const dvfs::observation& obs, std::span<level_t> a,
                time_limit limit) {
        const std::size_t K = a.size(), Lm = max_levels_;
        std::copy(a.begin(), a.end(), upper_.begin());
        for (std::size_t k = 0; k < K; ++k) {
            sizes_[k] = static_cast<std::size_t>(upper_[k]) + 1;
            for (std::size_t l = 0; l < sizes_[k]; ++l) sets_[k * Lm + l] = static_cast<level_t>(l);
            order_[k] = k;
        }
        const product_search_result r = search.search(model, obs, sets_, sizes_, upper_, order_, a, limit);
        if (!r.feasible) {
            std::copy(upper_.begin(), upper_.end(), a.begin());
            return false;
        }
        return !std::equal(upper_.begin(), upper_.end(), a.begin());
    }

private:
    std::size_t max_levels_ = 0;
    std::vector<level_t> sets_, upper_;
    std::vector<std::size_t> sizes_, order_;
};

/// No refinement: the decision stands as the gate (argmax) or the conformal search made it.
struct keep_decision {
    void resize(std::span<const std::size_t>) noexcept {}
    template <class Model>
    bool refine(product_set_search&, const Model&, const dvfs::observation&, std::span<level_t>, time_limit) noexcept {
        return false;
    }
};

}  // namespace l2s::online
