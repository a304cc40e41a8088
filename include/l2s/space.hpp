// SPDX-License-Identifier: MIT
// l2s/space.hpp: umbrella for l2s/space (box, grid, vf_space, product).
#pragma once
#include <l2s/space/box.hpp>
#include <l2s/space/concepts.hpp>
#include <l2s/space/grid.hpp>
#include <l2s/space/product.hpp>
#include <l2s/space/vf_space.hpp>
