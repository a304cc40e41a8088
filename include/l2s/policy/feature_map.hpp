// SPDX-License-Identifier: MIT
// l2s/policy/feature_map.hpp: umbrella over the feature sets (l2s/policy/feature_set.hpp), the feature map
// and its state (l2s/policy/features.hpp) and the standard scaler (l2s/policy/scaler.hpp).
#pragma once
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/scaler.hpp>
