// SPDX-License-Identifier: MIT
// l2s/sim/observation.hpp: deprecated forwarding header. The DVFS vocabulary (observation, action,
// step_outcome, sequence_score, power_time) lives in l2s/dvfs/observation.hpp, namespace l2s::dvfs; the
// sim:: names below stay for one release (CHANGELOG 0.2.0) and are what the simulator's own code uses.
#pragma once
#include <l2s/dvfs/observation.hpp>

namespace l2s::sim {
using dvfs::action;
using dvfs::observation;
using dvfs::power_time;
using dvfs::sequence_score;
using dvfs::step_outcome;
}  // namespace l2s::sim
