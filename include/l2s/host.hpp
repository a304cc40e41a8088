// SPDX-License-Identifier: MIT
// l2s/host.hpp: umbrella for l2s/host (adapters that connect policies to real systems and simulators).
#pragma once
#include <l2s/host/cpufreq.hpp>
#include <l2s/host/cpufreq_control.hpp>
#include <l2s/host/governor_loop.hpp>
#include <l2s/host/machine.hpp>
#include <l2s/host/perf_counters.hpp>
#include <l2s/host/power.hpp>
#include <l2s/host/proc_stat.hpp>
#include <l2s/host/sampler.hpp>
#include <l2s/host/hotsniper.hpp>
#include <l2s/host/sniper.hpp>
#include <l2s/host/stop_signals.hpp>
#include <l2s/host/thermal.hpp>
