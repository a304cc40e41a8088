#!/usr/bin/env bash
# Runs the l2s test suite: installs what is missing, configures, builds (-O2) and runs ctest.
#   scripts/test.sh          the default suite (everything not labelled slow)
#   scripts/test.sh slow     only the slow statistical tests
#   scripts/test.sh all      both
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
which="${1:-default}"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}" doctest-dev
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/test}"
l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DL2S_BUILD_TESTS=ON -DL2S_BUILD_EXAMPLES=ON
cmake --build "$build" -j "$L2S_JOBS"
case "$which" in
  default) ctest --test-dir "$build" -LE slow --output-on-failure -j "$L2S_JOBS" ;;
  slow)    ctest --test-dir "$build" -L slow --output-on-failure -j "$L2S_JOBS" ;;
  all)     ctest --test-dir "$build" --output-on-failure -j "$L2S_JOBS" ;;
  *) echo "usage: scripts/test.sh [default|slow|all]" >&2; exit 2 ;;
esac
