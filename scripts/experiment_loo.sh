#!/usr/bin/env bash
# Leave-one-out over every built-in PARSEC/SPLASH-2x program (docs/results/leave_one_out.md#per-program): builds the
# l2s tool, then runs `l2s evaluate` once per held-out program into out/loo/<program>/.
#   scripts/experiment_loo.sh [intervals] [oracle_evaluations]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}"
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/demo}"
l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DL2S_BUILD_TESTS=OFF
cmake --build "$build" -j "$L2S_JOBS" --target l2s_cli
T="${1:-200}"
E="${2:-60000}"
mkdir -p "$L2S_ROOT/out/loo"
for app in dedup facesim freqmine streamcluster barnes fmm radiosity raytrace water_nsquared; do
  cfg="$L2S_ROOT/out/loo/$app.json"
  printf '{"held_out": "%s", "intervals": %s, "oracle_evaluations": %s}\n' "$app" "$T" "$E" > "$cfg"
  echo "== held out: $app"
  "$build/apps/cli/l2s" evaluate "$cfg" --out "$L2S_ROOT/out/loo/$app" 2>/dev/null
done
