// SPDX-License-Identifier: MIT
// l2s/search.hpp: umbrella header for l2s::search (oracle search over V/F decision sequences).
#pragma once
#include <l2s/search/beam.hpp>
#include <l2s/search/bo_guided.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/search/context.hpp>
#include <l2s/search/exhaustive.hpp>
#include <l2s/search/features.hpp>
#include <l2s/search/greedy.hpp>
#include <l2s/search/lds.hpp>
#include <l2s/search/local.hpp>
#include <l2s/search/model_evaluator.hpp>
#include <l2s/search/oracle.hpp>
#include <l2s/search/sequence_space.hpp>
#include <l2s/search/static_level.hpp>
