// SPDX-License-Identifier: MIT
// l2s/studies/json.hpp: the studies' files: configs from JSON (config_json.hpp) and results to JSON,
// tables and plots (results_json.hpp).
#pragma once
#include <l2s/studies/config_json.hpp>
#include <l2s/studies/results_json.hpp>
