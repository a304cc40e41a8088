#!/usr/bin/env bash
# Runs the l2s test suite: installs what is missing, configures, builds (-O2) and runs ctest.
#   scripts/test.sh          the default suite (everything not labelled slow)
#   scripts/test.sh slow     only the slow statistical tests
#   scripts/test.sh all      both
#   scripts/test.sh sanitize the default suite built with AddressSanitizer + UndefinedBehaviorSanitizer (-O1)
#   scripts/test.sh tsan     the concurrency tests (label "concurrency") built with ThreadSanitizer
#   scripts/test.sh headers  the header self-containment check (every public header compiled alone), which the
#                            default suite leaves to this mode (run by .ci/run) to keep a cold first run short
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
which="${1:-default}"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}" doctest-dev
case "$which" in
  sanitize)
    build="${L2S_BUILD_DIR:-$L2S_ROOT/build/asan}"
    flags="-O1 -g0 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
    l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=$flags" \
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" -DL2S_BUILD_TESTS=ON -DL2S_BUILD_EXAMPLES=ON \
      -DL2S_HEADER_TEST=OFF
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
  tsan)
    build="${L2S_BUILD_DIR:-$L2S_ROOT/build/tsan}"
    l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -g -fsanitize=thread" \
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread" -DL2S_BUILD_TESTS=ON -DL2S_BUILD_EXAMPLES=OFF -DL2S_HEADER_TEST=OFF
    ;;
  headers)
    build="${L2S_BUILD_DIR:-$L2S_ROOT/build/headers}"
    l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
      -DL2S_BUILD_TESTS=ON -DL2S_BUILD_EXAMPLES=OFF -DL2S_HEADER_TEST=ON
    ;;
  *)
    build="${L2S_BUILD_DIR:-$L2S_ROOT/build/test}"
    l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
      -DL2S_BUILD_TESTS=ON -DL2S_BUILD_EXAMPLES=ON -DL2S_HEADER_TEST="${L2S_HEADER_TEST:-OFF}"
    ;;
esac
if [ "$which" = headers ]; then
  cmake --build "$build" -j "$L2S_JOBS" --target l2s_test_headers
else
  cmake --build "$build" -j "$L2S_JOBS"
fi
# With the shared data folder next to the checkout, a data-backed test that cannot find its data fails instead of
# being reported as skipped (tests/support/data.hpp; docs/reliability.md#skipped-tests).
if [ -d "$L2S_ROOT/../shared" ]; then export L2S_REQUIRE_DATA="${L2S_REQUIRE_DATA:-1}"; fi
case "$which" in
  default) ctest --test-dir "$build" -LE slow --output-on-failure -j "$L2S_JOBS" ;;
  slow)    ctest --test-dir "$build" -L slow --output-on-failure -j "$L2S_JOBS" ;;
  all)     ctest --test-dir "$build" --output-on-failure -j "$L2S_JOBS" ;;
  sanitize) ctest --test-dir "$build" -LE "slow|package" --output-on-failure -j "$L2S_JOBS" ;;
  tsan)    ctest --test-dir "$build" -L concurrency --output-on-failure -j "$L2S_JOBS" --no-tests=error ;;
  headers) ctest --test-dir "$build" -R "^headers/" --output-on-failure -j "$L2S_JOBS" --no-tests=error ;;
  *) echo "usage: scripts/test.sh [default|slow|all|sanitize|tsan|headers]" >&2; exit 2 ;;
esac
