// SPDX-License-Identifier: MIT
// l2s/io.hpp: umbrella for l2s/io (JSON and CSV persistence of models, states, platforms, workloads, traces).
#pragma once
#include <l2s/io/armpm.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/bo.hpp>
#include <l2s/io/gp.hpp>
#include <l2s/io/integrity.hpp>
#include <l2s/io/json_util.hpp>
#include <l2s/io/platform.hpp>
#include <l2s/io/policy.hpp>
#include <l2s/io/strict_reader.hpp>
#include <l2s/io/trace.hpp>
#include <l2s/io/workload.hpp>
