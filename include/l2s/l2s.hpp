// SPDX-License-Identifier: MIT
// l2s/l2s.hpp: the whole library except l2s/io (which adds nlohmann/json) and the host adapters
// (which touch the operating system); include <l2s/io.hpp> and <l2s/host.hpp> for those.
#pragma once
#include <l2s/acquisition.hpp>
#include <l2s/bo.hpp>
#include <l2s/concepts.hpp>
#include <l2s/core.hpp>
#include <l2s/dvfs.hpp>
#include <l2s/gp.hpp>
#include <l2s/kernel.hpp>
#include <l2s/learn.hpp>
#include <l2s/mean.hpp>
#include <l2s/online.hpp>
#include <l2s/opt.hpp>
#include <l2s/policy.hpp>
#include <l2s/problems.hpp>
#include <l2s/search.hpp>
#include <l2s/sim.hpp>
#include <l2s/space.hpp>
