// SPDX-License-Identifier: MIT
// l2s/studies.hpp: umbrella for the application layer's studies (leave-one-out, the L2S study, their JSON
// files). Not part of the installed library: the target l2s_studies (apps/CMakeLists.txt) composes public
// l2s types only.
#pragma once
#include <l2s/studies/json.hpp>
#include <l2s/studies/l2s_study.hpp>
#include <l2s/studies/leave_one_out.hpp>
#include <l2s/studies/runs.hpp>
