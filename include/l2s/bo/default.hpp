// SPDX-License-Identifier: MIT
// l2s/bo/default.hpp: bo::default_optimizer<S> — Matérn-5/2 ARD GP, log-EI, exhaustive or multistart.
#pragma once
#include <cmath>
#include <type_traits>

#include <l2s/acquisition/improvement.hpp>
#include <l2s/bo/optimizer.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/kernel/stationary.hpp>
#include <l2s/opt/exhaustive.hpp>
#include <l2s/opt/multistart.hpp>

namespace l2s::bo {

/// The inner optimiser default_optimizer uses on S: exhaustive on finite spaces, multistart L-BFGS otherwise.
template <class S>
using default_inner_t = std::conditional_t<FiniteSpace<S>, opt::exhaustive, opt::multistart>;

/// The default BO configuration of DESIGN §d: exact GP with a Matérn-5/2 ARD kernel (standardised y,
/// hyperparameters relearnt every 5 evaluations), log-EI, exhaustive (finite S) or multistart, 10 initial
/// Sobol points, minimisation.  @see docs/bo.md#default_optimizer
template <class S>
using default_optimizer = optimizer<S, gp::exact_gp<kernel::matern52_ard>, acquisition::log_ei, default_inner_t<S>>;

/// A default_optimizer over `space`: the kernel starts at ℓ_i = 0.3 (unit-cube inputs), σ_f² = 1.
template <SearchSpace S>
[[nodiscard]] default_optimizer<S> make_default_optimizer(S space, optimizer_config cfg = {}) {
    const auto d = static_cast<Eigen::Index>(space.dim());
    gp::exact_gp<kernel::matern52_ard> model(kernel::matern52_ard{vec::Constant(d, std::log(0.3)), 0.0});
    return default_optimizer<S>(std::move(space), std::move(model), acquisition::log_ei{}, default_inner_t<S>{}, std::move(cfg));
}

}  // namespace l2s::bo
