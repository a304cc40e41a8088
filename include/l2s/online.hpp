// SPDX-License-Identifier: MIT
// l2s/online.hpp: umbrella header of UaOL (uncertainty-aware online adaptation).
#pragma once
#include <l2s/online/budget_account.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/online/conformal.hpp>
#include <l2s/online/entropy_gate.hpp>
#include <l2s/online/island_models.hpp>
#include <l2s/online/online_gp.hpp>
#include <l2s/online/product_set_search.hpp>
#include <l2s/online/refinement.hpp>
#include <l2s/online/rls.hpp>
#include <l2s/online/time_pooling.hpp>
#include <l2s/online/uaol_policy.hpp>
