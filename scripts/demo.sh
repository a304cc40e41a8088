#!/usr/bin/env bash
# Runs the l2s flagship demo: installs what is missing, configures, builds (-O2) and runs it.
# Arguments are passed to the demo program.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}"
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/demo}"
l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DL2S_BUILD_TESTS=OFF -DL2S_BUILD_EXAMPLES=ON
cmake --build "$build" -j "$L2S_JOBS" --target l2s_demo
"$build/apps/demo/l2s_demo" "$@"
