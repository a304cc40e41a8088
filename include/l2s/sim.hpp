// SPDX-License-Identifier: MIT
// l2s/sim.hpp: umbrella for l2s/sim (the manycore DVFS simulator, its environment and evaluator, baselines).
#pragma once
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
#include <l2s/sim/concepts.hpp>
#include <l2s/sim/cpufreq_governors.hpp>
#include <l2s/sim/cpufreq_policy.hpp>
#include <l2s/sim/dtm.hpp>
#include <l2s/sim/dvfs_env.hpp>
#include <l2s/sim/governor_policy.hpp>
#include <l2s/sim/governors.hpp>
#include <l2s/sim/identification.hpp>
#include <l2s/sim/lookahead_model.hpp>
#include <l2s/sim/observation.hpp>
#include <l2s/sim/builtin_platforms.hpp>
#include <l2s/sim/platform.hpp>
#include <l2s/sim/power_fit.hpp>
#include <l2s/sim/thermal_fit.hpp>
#include <l2s/sim/thread_roles.hpp>
#include <l2s/sim/profiler.hpp>
#include <l2s/sim/relaxation.hpp>
#include <l2s/sim/sensor_model.hpp>
#include <l2s/sim/sequence_evaluator.hpp>
#include <l2s/sim/sim_config.hpp>
#include <l2s/sim/simulator.hpp>
#include <l2s/sim/trace.hpp>
#include <l2s/sim/workload.hpp>
