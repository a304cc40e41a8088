// SPDX-License-Identifier: MIT
// l2s/policy.hpp: umbrella header of l2s::policy (deployable, inference-only DVFS policies).
#pragma once
#include <l2s/policy/any_policy.hpp>
#include <l2s/policy/cart_tree.hpp>
#include <l2s/policy/concepts.hpp>
#include <l2s/policy/feature_map.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/fixed_level.hpp>
#include <l2s/policy/island_policy.hpp>
#include <l2s/policy/mlp.hpp>
#include <l2s/policy/q_learning.hpp>
#include <l2s/policy/scaler.hpp>
#include <l2s/policy/softmax_linear.hpp>
