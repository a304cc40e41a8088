// SPDX-License-Identifier: MIT
// l2s/opt.hpp: umbrella header for l2s::opt (inner optimisers of acquisition functions).
#pragma once
#include <l2s/opt/concepts.hpp>
#include <l2s/opt/discrete_local_search.hpp>
#include <l2s/opt/exhaustive.hpp>
#include <l2s/opt/multistart.hpp>
#include <l2s/opt/random_search.hpp>
