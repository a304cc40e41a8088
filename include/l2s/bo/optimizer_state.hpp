// SPDX-License-Identifier: MIT
// l2s/bo/optimizer_state.hpp: bo::optimizer's configuration, its serialisable state and the result of run().
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <l2s/bo/design.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/core/concepts.hpp>
#include <l2s/core/types.hpp>

namespace l2s::bo {

/// Tunables of bo::optimizer.  @see docs/bo.md#optimizer_config
struct optimizer_config {
    sense goal = sense::minimize;              ///< minimise costs (default) or maximise utilities
    std::size_t initial_points = 10;          ///< size of the initial design, ≥ 1
    design_kind initial_design = design_kind::sobol;  ///< kind of the initial design
    std::size_t relearn_every = 5;            ///< relearn hyperparameters every this many evaluations (0: never)
    std::size_t num_constraints = 0;          ///< constraint values per tell (g ≤ 0 feasible), one model each
    bool noisy_objective = false;             ///< incumbent = best posterior mean at feasible data, not best value
    bool normalise_inputs = true;             ///< give the model unit-cube inputs when the space has to_unit
    bool avoid_duplicates = true;             ///< on finite spaces, replace a pick already observed or pending
    double target_value = std::numeric_limits<double>::quiet_NaN();  ///< run() stops once best reaches it (NaN: off)
    std::size_t patience = 0;                 ///< run() stops after this many evaluations without improvement (0: off)

    void validate() const {
        constexpr const char* who = "l2s::bo::optimizer";
        require_config(initial_points >= 1, who, "initial_points", ">= 1", static_cast<double>(initial_points));
        require_config(!std::isinf(target_value), who, "target_value", "finite or NaN", target_value);
    }
};

/// Everything needed to resume an optimizer: data, pending picks, design, hyperparameters. RNGs stay with the
/// caller. Serialised by l2s/io/bo.hpp.  @see docs/bo.md#state
struct optimizer_state {
    optimizer_config config;
    mat X;                    ///< d × n observed points (space coordinates)
    vec y;                    ///< n objective values (raw units)
    mat constraints;          ///< num_constraints × n constraint values
    mat pending;              ///< d × p points asked but not told
    mat design;               ///< d × m initial design
    std::size_t design_next = 0;   ///< design columns already handed out
    std::size_t learned_at = 0;    ///< n at the last hyperparameter relearning (0: never)
    vec theta;                     ///< objective model parameters (empty if the model has none)
    std::vector<vec> constraint_theta;  ///< per constraint model
};

/// Result of optimizer::run.
struct run_result {
    vec best_x;                ///< best feasible point (empty if none)
    double best_value = 0.0;   ///< its value (raw units)
    std::size_t evaluations = 0;
    bool stopped_early = false;  ///< an observer, the target or the patience criterion ended the run
};

}  // namespace l2s::bo
