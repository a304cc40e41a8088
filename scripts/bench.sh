#!/usr/bin/env bash
# Builds and runs the Google Benchmark programs: scripts/bench.sh [bench_name] [benchmark args...]
# Set L2S_BENCH_NATIVE=OFF for a portable (-O3 without -march=native) build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}" libbenchmark-dev
native="${L2S_BENCH_NATIVE:-ON}"
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/bench-$native}"
l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release -DL2S_BUILD_TESTS=OFF -DL2S_BUILD_EXAMPLES=OFF \
  -DL2S_BUILD_BENCHMARKS=ON "-DL2S_BENCH_NATIVE=$native"
name="${1:-}"
[ $# -gt 0 ] && shift
if [ -z "$name" ]; then
  cmake --build "$build" -j "$L2S_JOBS"
  for b in "$build"/benchmarks/bench_*; do "$b" "$@"; done
else
  cmake --build "$build" -j "$L2S_JOBS" --target "$name"
  "$build/benchmarks/$name" "$@"
fi
