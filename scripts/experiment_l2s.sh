#!/usr/bin/env bash
# The L2S study (docs/results/l2s_study.md#l2s-study): builds the l2s tool, then runs `l2s study` on the default
# experiment::study_config (the article's 64-core / 4-island chip, the 16 x 4 manycore and Exynos 5422; all
# nine PARSEC/SPLASH-2x profiles, streamcluster and fmm held out, two mixes) into out/study/.
#   scripts/experiment_l2s.sh [intervals] [evaluations per strategy] [roles|uniform] [seed]
# With "roles" as third argument the programs carry their measured thread roles (docs/sim.md#thread-roles) and
# the results go to out/study_roles/ (docs/results/where_the_gain_is.md). A seed other than 1 goes into the
# config and the folder's name (out/study_seed2/, out/study_roles_seed2/).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
l2s_require_packages "${L2S_BASE_PACKAGES[@]}"
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/demo}"
l2s_configure "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DL2S_BUILD_TESTS=OFF
cmake --build "$build" -j "$L2S_JOBS" --target l2s_cli
out="$L2S_ROOT/out/study" roles=false seed="${4:-1}"
if [[ "${3:-}" == roles ]]; then out="$L2S_ROOT/out/study_roles" roles=true
elif [[ -n "${3:-}" && "${3:-}" != uniform ]]; then echo "experiment_l2s.sh: the third argument must be 'roles' or 'uniform'" >&2; exit 2; fi
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "experiment_l2s.sh: the seed must be a non-negative integer" >&2; exit 2; }
[[ "$seed" == 1 ]] || out="${out}_seed$seed"
mkdir -p "$out"
cfg="$out/config.json"
printf '{"intervals": %s, "evaluations": %s, "thread_roles": %s, "seed": %s}\n' "${1:-100}" "${2:-20000}" "$roles" "$seed" > "$cfg"
"$build/apps/cli/l2s" study "$cfg" --out "$out"
