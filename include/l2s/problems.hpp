// SPDX-License-Identifier: MIT
// l2s/problems.hpp: umbrella header for l2s::problems (shared optimisation test problems).
#pragma once
#include <l2s/problems/analytic.hpp>
#include <l2s/problems/vf_edp.hpp>
#include <l2s/problems/vf_toy.hpp>
