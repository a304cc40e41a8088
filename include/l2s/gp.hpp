// SPDX-License-Identifier: MIT
// l2s/gp.hpp: Gaussian-process surrogates (l2s::gp) with their kernels and prior means.
#pragma once
#include <l2s/gp/concepts.hpp>
#include <l2s/gp/exact_gp.hpp>
#include <l2s/gp/hyperopt.hpp>
#include <l2s/gp/likelihood.hpp>
#include <l2s/gp/workspace.hpp>
#include <l2s/kernel.hpp>
#include <l2s/mean.hpp>
