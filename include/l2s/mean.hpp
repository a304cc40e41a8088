// SPDX-License-Identifier: MIT
// l2s/mean.hpp: every prior mean function of l2s::mean.
#pragma once
#include <l2s/mean/adaptive.hpp>
#include <l2s/mean/basic.hpp>
#include <l2s/mean/concepts.hpp>
