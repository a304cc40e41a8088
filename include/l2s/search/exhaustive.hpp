// SPDX-License-Identifier: MIT
// l2s/search/exhaustive.hpp: brute force over every decision sequence of a small instance.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>

#include <l2s/core/checks.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>

namespace l2s::search {

/// Tunables of exhaustive.
struct exhaustive_config {
    objective obj{};                ///< what is minimised under which constraints
    double max_sequences = 1.0e6;   ///< refuse instances with more sequences than this
};

/// Enumerates all ∏_{t,k} L_k sequences in odometer order with the last interval varying fastest, so that
/// consecutive sequences share their prefix and each evaluation is a `reevaluate` from the first changed
/// interval. Exact: returns the lexicographic optimum (feasible first, then the metric). `start` is ignored
/// apart from its shape check.
class exhaustive {
public:
    using config = exhaustive_config;
    explicit exhaustive(const exhaustive_config& c = {}) : cfg_(c) {
        c.obj.validate("l2s::search::exhaustive");
        require_config(c.max_sequences >= 1, "l2s::search::exhaustive", "max_sequences", ">= 1", c.max_sequences);
    }
    [[nodiscard]] const exhaustive_config& cfg() const noexcept { return cfg_; }

    template <Evaluator Ev, class... Obs>
    search_result search(Ev& ev, const vf_sequence& start, const search_budget& budget, rng_type& /*rng*/,
                         Obs&... obs) const {
        const std::string who = "l2s::search::exhaustive::search";
        if (start.size() != 0) check_sequence(ev, start, who);
        const std::size_t T = ev.num_intervals(), K = ev.num_islands();
        double count = 1.0;
        for (std::size_t k = 0; k < K; ++k) count *= std::pow(static_cast<double>(ev.num_levels(k)), double(T));
        if (count > cfg_.max_sequences)
            throw invalid_argument(who + ": instance has " + std::to_string(count) +
                                   " sequences, more than max_sequences = " + std::to_string(cfg_.max_sequences));
        search_context<Ev, Obs...> ctx(ev, cfg_.obj, budget, "exhaustive", obs...);
        vf_sequence y = vf_sequence::from_shape({T, K});
        y.fill(0);
        const std::size_t n = T * K;
        for (;;) {
            ctx.score(y);
            if (ctx.done()) break;
            // Odometer increment from the last digit (interval T − 1, island K − 1).
            std::size_t d = n;
            bool advanced = false;
            while (d > 0 && !advanced) {
                --d;
                const std::size_t t = d / K, k = d % K;
                if (y(t, k) + 1u < ev.num_levels(k)) {
                    ++y(t, k);
                    advanced = true;
                } else {
                    y(t, k) = 0;
                }
            }
            if (!advanced) break;  // every sequence was visited
            if (d / K + 1 < T) ctx.iteration_done();
        }
        return ctx.result();
    }

private:
    exhaustive_config cfg_;
};

}  // namespace l2s::search
