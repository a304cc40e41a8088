// SPDX-License-Identifier: MIT
// l2s/experiment.hpp: umbrella for l2s/experiment (end-to-end experiments composed from every component).
#pragma once
#include <l2s/experiment/l2s_study.hpp>
#include <l2s/experiment/leave_one_out.hpp>
#include <l2s/experiment/runs.hpp>
