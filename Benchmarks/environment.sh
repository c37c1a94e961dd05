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

# CPU seconds (user + system) of a process and all its descendants (workers of a supervisor).
bench_tree_cpu() {
  python3 - "$1" <<'PY'
import os, sys
ticks = os.sysconf("SC_CLK_TCK")
root = int(sys.argv[1])
parent, cpu = {}, {}
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        with open(f"/proc/{entry}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    parent[int(entry)] = int(fields[1])
    cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
total, todo = 0.0, [root]
while todo:
    pid = todo.pop()
    total += cpu.get(pid, 0.0)
    todo += [p for p, pp in parent.items() if pp == pid]
print(f"{total:.3f}")
PY
}

# A free TCP port on 127.0.0.1.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
