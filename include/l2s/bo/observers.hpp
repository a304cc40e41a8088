// SPDX-License-Identifier: MIT
// l2s/bo/observers.hpp: what the BO driver reports to observers, and a progress printer.
#pragma once
#include <cstddef>
#include <iomanip>
#include <ostream>

#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>

namespace l2s::bo {

/// One evaluation of the objective, passed to on_evaluation.
struct evaluation {
    std::size_t index = 0;   ///< 0-based number of the evaluation
    const vec* x = nullptr;  ///< the point (space coordinates)
    double value = 0.0;      ///< the objective value as returned (raw units)
    const vec* constraints = nullptr;  ///< constraint values (g ≤ 0 feasible), empty without constraints
    double best_value = 0.0; ///< best feasible value so far (raw units; ±∞ when none is feasible)
    bool from_design = false;  ///< true for initial-design points
};

/// Passed to on_iteration after each ask/evaluate/tell round of run(); returning control::stop ends the run.
struct iteration {
    std::size_t evaluations = 0;  ///< evaluations so far
    double best_value = 0.0;      ///< best feasible value so far (raw units)
};

/// Prints one line per evaluation ("eval   12  value  1.2345e-01  best  3.9800e-01 [design]") to a stream
/// the caller owns.  @see docs/bo.md#observers
struct progress_printer {
    std::ostream* out = nullptr;  ///< the stream (must outlive the run); nullptr prints nothing
    std::size_t every = 1;        ///< print every `every`-th evaluation (and the first)

    void on_evaluation(const evaluation& e) const {
        if (out == nullptr || (every > 1 && e.index % every != 0)) return;
        std::ios_base::fmtflags f = out->flags();
        *out << "eval " << std::setw(4) << e.index << "  value " << std::scientific << std::setprecision(4)
             << std::setw(12) << e.value << "  best " << std::setw(12) << e.best_value
             << (e.from_design ? "  [design]" : "") << '\n';
        out->flags(f);
    }
    void on_numerical_event(const numerical_event& ev) const {
        if (out != nullptr) *out << "numerical event: " << ev.component << " " << to_string(ev.kind) << " " << ev.value << '\n';
    }
};

}  // namespace l2s::bo
