#!/usr/bin/env bash
# Runs each cold/ row of bench_gp (one call on a model that has not made it before) in its own process,
# `reps` times, and prints the median time and minor page faults per row:
#   scripts/bench_gp_fresh.sh [reps=5] [row regex=.]
# Uses the build of scripts/bench.sh (L2S_BENCH_NATIVE, L2S_BUILD_DIR as there), or the program L2S_BENCH_GP.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
reps="${1:-5}"
pattern="${2:-.}"
native="${L2S_BENCH_NATIVE:-ON}"
build="${L2S_BUILD_DIR:-$L2S_ROOT/build/bench-$native}"
bench="${L2S_BENCH_GP:-}"
if [ -z "$bench" ]; then
  "$L2S_ROOT/scripts/bench.sh" bench_gp --benchmark_filter='^$' >/dev/null 2>&1 || true
  bench="$build/benchmarks/bench_gp"
fi
rows=$("$bench" --benchmark_list_tests=true | grep '^cold/' | grep -E -- "$pattern")
printf '%-44s %12s %10s\n' "row (fresh process, median of $reps)" "time (us)" "minflt"
for row in $rows; do
  times=() faults=()
  for _ in $(seq "$reps"); do
    line=$("$bench" --benchmark_filter="^${row}\$" --benchmark_repetitions=1 --benchmark_format=csv 2>/dev/null |
           grep "^\"$row\"")
    # csv: name,iterations,real_time,cpu_time,time_unit,...,minflt (last user counter)
    times+=("$(echo "$line" | cut -d, -f3)")
    faults+=("$(echo "$line" | awk -F, '{print $NF}')")
  done
  med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf '%-44s %12.1f %10.0f\n' "$row" "$(med "${times[@]}")" "$(med "${faults[@]}")"
done
