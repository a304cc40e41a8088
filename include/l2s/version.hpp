// SPDX-License-Identifier: MIT
// l2s/version.hpp: library version (CMake reads it from here).
#pragma once

#define L2S_VERSION_MAJOR 0
#define L2S_VERSION_MINOR 1
#define L2S_VERSION_PATCH 0

namespace l2s {
/// The version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";
}  // namespace l2s
