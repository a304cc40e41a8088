// SPDX-License-Identifier: MIT
// l2s/acquisition.hpp: umbrella header for l2s::acquisition (acquisition functions, maximised).
#pragma once
#include <l2s/acquisition/concepts.hpp>
#include <l2s/acquisition/constrained.hpp>
#include <l2s/acquisition/improvement.hpp>
#include <l2s/acquisition/kriging_believer.hpp>
#include <l2s/acquisition/score.hpp>
#include <l2s/acquisition/thompson.hpp>
#include <l2s/acquisition/ucb.hpp>
