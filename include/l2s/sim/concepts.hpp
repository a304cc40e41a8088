// SPDX-License-Identifier: MIT
// l2s/sim/concepts.hpp: deprecated forwarding header (one release, CHANGELOG 0.2.0). The DVFS concepts
// (Environment, PolicyFor, LearningPolicyFor, Evaluator, PowerPerformanceModel) live in
// l2s/dvfs/concepts.hpp.
#pragma once
#include <l2s/dvfs/concepts.hpp>
#include <l2s/sim/observation.hpp>
