# scripts/common.sh: shared by demo.sh, test.sh and bench.sh. Installs missing Debian packages
# (as root) or says exactly what to install, then configures a build folder.
set -euo pipefail
L2S_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
L2S_JOBS="${L2S_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# l2s_require_packages PKG...: installs the missing ones with apt-get when root, else exits with the command to run.
l2s_require_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "l2s: installing missing packages: ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    echo "l2s: missing Debian packages: ${missing[*]}" >&2
    echo "l2s: install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

L2S_BASE_PACKAGES=(g++ cmake make ccache libeigen3-dev xtensor-dev nlohmann-json3-dev)

# l2s_configure BUILD_DIR [cmake args...]: configures (once) with ccache when present.
l2s_configure() {
  local dir="$1"; shift
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  # paths under the checkout are hashed relative to it, so clones in other folders share the cache
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$L2S_ROOT}"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$L2S_ROOT" -B "$dir" "${gen[@]}" "${launcher[@]}" "$@"
  else
    cmake -S "$L2S_ROOT" -B "$dir" "$@" >/dev/null
  fi
}
