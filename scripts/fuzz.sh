#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 and runs each for a while:
#   scripts/fuzz.sh                 every target, 60 s each
#   scripts/fuzz.sh SECONDS         every target, SECONDS each (CI smoke: 10)
#   scripts/fuzz.sh SECONDS NAME    one target (tests/fuzz/fuzz_NAME.cpp)
# Inputs come from tests/fuzz/corpus/NAME (seeds in the repo); new interesting inputs go to build/fuzz/corpus/NAME.
# A crash leaves crash-* in build/fuzz/artifacts/: turn it into a regression test.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-60}"
only="${2:-}"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}" clang-14 libclang-rt-14-dev
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/fuzz}"
l2s_configure "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1" \
  -DL2S_BUILD_TESTS=OFF -DL2S_BUILD_EXAMPLES=OFF -DL2S_BUILD_TOOLS=OFF -DL2S_BUILD_C_API=OFF -DL2S_BUILD_FUZZERS=ON
cmake --build "$build" -j "$L2S_JOBS"
mkdir -p "$build/artifacts"
status=0
for exe in "$build"/tests/fuzz/l2s_fuzz_*; do
  name="${exe##*/l2s_fuzz_}"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  mkdir -p "$build/corpus/$name"
  seeds="$L2S_ROOT/tests/fuzz/corpus/$name"
  echo "l2s fuzz: $name for ${seconds}s"
  "$exe" -max_total_time="$seconds" -max_len=65536 -artifact_prefix="$build/artifacts/$name-" \
    "$build/corpus/$name" $( [ -d "$seeds" ] && echo "$seeds" ) 2>"$build/$name.log" || { status=1; tail -40 "$build/$name.log"; }
  grep -E "^(#[0-9]+ +DONE|Done [0-9]+ runs)" "$build/$name.log" | tail -1
done
exit $status
