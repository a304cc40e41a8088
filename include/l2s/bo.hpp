// SPDX-License-Identifier: MIT
// l2s/bo.hpp: umbrella header for l2s::bo (ask/tell Bayesian optimisation).
#pragma once
#include <l2s/bo/default.hpp>
#include <l2s/bo/design.hpp>
#include <l2s/bo/observers.hpp>
#include <l2s/bo/optimizer.hpp>
#include <l2s/bo/optimizer_state.hpp>
#include <l2s/bo/run.hpp>
