// SPDX-License-Identifier: MIT
// l2s/core.hpp: umbrella for l2s/core (types, errors, observers, checks).
#pragma once
#include <l2s/config.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/core/concepts.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/file_ops.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>
#include <l2s/version.hpp>
