# Sourced by the benchmark scripts: what a number was measured on, printed before the number.
#   bench_environment BINARY [BUILD-DESCRIPTION]
# Prints the date, commit (and whether Sources/ has uncommitted changes), how the binary was built
# and whether any source is newer than it (a stale binary is the first suspect when a figure does
# not reproduce), the Swift version, CPU model and count, kernel, load average, and the processes
# using the most CPU right now (a shared machine's other tenants).

bench_environment() {
  local bin=$1 build=${2:-"swift build -c release (no extra flags)"}
  local root
  root=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
  echo "== environment"
  echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit:   $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' (+ uncommitted changes in Sources/)')"
  echo "binary:   $bin"
  if [ -e "$bin" ]; then
    local built newer
    built=$(date -u -r "$bin" '+%Y-%m-%d %H:%M:%S UTC')
    newer=$(find "$root/Sources" "$root/Package.swift" -newer "$bin" -type f 2>/dev/null | head -3 | sed "s|$root/||" | tr '\n' ' ')
    echo "built:    $built with: $build${newer:+ — STALE: newer sources: $newer}"
  fi
  echo "swift:    $(swift --version 2>/dev/null | head -1 | sed 's/^.*Swift version \([^ ]*\).*$/\1/')"
  echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc), $(uname -sr)"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
  echo "busiest:  $(ps -eo pcpu=,comm= --sort=-pcpu 2>/dev/null | head -4 | awk '{printf "%s %s%%, ", $2, $1}' | sed 's/, $//')"
}

# Sets BIN to the csv-analyzer to measure — BIN as given, else a release build in SCRATCH_PATH
# (default .build-release; SKIP_BUILD=1 takes the last one) — makes sure wrk is installed, and
# prints the environment.
bench_server_binary() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
  local scratch=${SCRATCH_PATH:-.build-release}
  local build="swift build -c release --scratch-path $scratch (Package.swift sets no extra flags)"
  if [ -z "${BIN:-}" ]; then
    if [ -z "${SKIP_BUILD:-}" ]; then
      swift build -c release --scratch-path "$scratch" --product csv-analyzer >/dev/null 2>&1 || { echo "release build failed" >&2; exit 1; }
    fi
    BIN=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/csv-analyzer
  else
    build="given as BIN"
  fi
  bench_environment "$BIN" "$build"
}

# The load benchmarks' target: raises the descriptor limit, makes a scratch folder `work`, starts nginx
# (`return 200`, Benchmarks/load/nginx.sh) on 127.0.0.1:PORT pinned to CORE and sets `url` to it; nginx and
# the folder go when the script exits.
#   bench_nginx_target PORT CORE
bench_nginx_target() {
  ulimit -n "$(ulimit -Hn)"
  work=$(mktemp -d)
  source "$(dirname "${BASH_SOURCE[0]}")/load/nginx.sh"
  start_nginx "$work/nginx" "$1" "$2"
  trap 'kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
  url="http://127.0.0.1:$1"
}

# A free TCP port on 127.0.0.1.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
