// SPDX-License-Identifier: MIT
// l2s/dvfs.hpp: umbrella for l2s/dvfs (the vocabulary shared by simulator, policies, online learners and hosts).
#pragma once
#include <l2s/dvfs/concepts.hpp>
#include <l2s/dvfs/observation.hpp>
