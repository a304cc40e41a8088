// SPDX-License-Identifier: MIT
// l2s/kernel.hpp: every covariance function of l2s::kernel.
#pragma once
#include <l2s/kernel/combination.hpp>
#include <l2s/kernel/concepts.hpp>
#include <l2s/kernel/hamming.hpp>
#include <l2s/kernel/ordinal.hpp>
#include <l2s/kernel/stationary.hpp>
