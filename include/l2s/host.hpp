// SPDX-License-Identifier: MIT
// l2s/host.hpp: umbrella for l2s/host (adapters that connect policies to real systems and simulators).
#pragma once
#include <l2s/host/cpufreq.hpp>
#include <l2s/host/sniper.hpp>
