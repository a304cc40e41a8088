// SPDX-License-Identifier: MIT
// l2s/detail/xtensor_compat.hpp: the only file that includes xtensor. Picks the flat header layout
// (xtensor <= 0.25, Debian 12) or the sub-folder layout (xtensor >= 0.26).
#pragma once

#if __has_include(<xtensor/containers/xtensor.hpp>)
#include <xtensor/containers/xadapt.hpp>
#include <xtensor/containers/xarray.hpp>
#include <xtensor/containers/xtensor.hpp>
#include <xtensor/generators/xbuilder.hpp>
#include <xtensor/views/xview.hpp>
#else
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
#endif
