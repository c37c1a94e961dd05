#!/usr/bin/env bash
# Generator efficiency: requests per CPU-second of firedrill vs wrk, measured side by side in one run,
# then the memory of an idle user (Benchmarks/load/memory.sh: 10,000 users waiting 1-2 s).
# nginx (one process, `return 200`) is pinned to core 0, the generator to core 1; keep-alive, 64 connections.
#   Benchmarks/load/efficiency.sh [path/to/firedrill]
#     DURATION=10 ROUNDS=5 PORT=18090; MEMORY=0 skips the memory run, MEMORY_DURATION=15 its length
# The last lines are for scripts (Benchmarks/run-all): ratio_median=… ratio_pooled=… kib_per_idle_user=…
# (goals: ratio_median >= 1.0, kib_per_idle_user <= 4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-firedrill}}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
MEMORY=${MEMORY:-1}
MEMORY_DURATION=${MEMORY_DURATION:-15}
PORT=${PORT:-18090}
CONNECTIONS=${CONNECTIONS:-64}
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
export RESULTS="$work/results"
source "$here/nginx.sh"
start_nginx "$work/nginx" "$PORT" 0
trap 'kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$PORT/"

run_wrk() {
    local m
    m=$(python3 "$here/cputime.py" "$work/wrk.out" -- taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url")
    local n
    n=$(awk '/requests in/ {print $1}' "$work/wrk.out")
    python3 -c "import json,sys; m=json.loads(sys.argv[1]); n=int(sys.argv[2]); print(f'{n} {m[\"cpu\"]:.3f} {n/m[\"cpu\"]:.0f} {n/m[\"wall\"]:.0f}')" "$m" "$n"
}

run_firedrill() {
    local m
    m=$(python3 "$here/cputime.py" "$work/fd.out" -- taskset -c 1 "$FIREDRILL" load --url "$url" \
        -u "$CONNECTIONS" -r 1000000 -t "${DURATION}s" --only-summary --json "$work/fd.json")
    # Responses received: requests still in flight at the stop count as StopTimeout failures in the
    # summary (abandoned_requests); wrk does not count them either.
    local n f
    read -r n f < <(python3 -c "import json; s=json.load(open('$work/fd.json'))['summary']; t=s['stats']['total']; a=s['abandoned_requests']; print(t['requests'] - a, t['failures'] - a)")
    [ "$f" = "0" ] || echo "warning: firedrill saw $f failures" >&2
    python3 -c "import json,sys; m=json.loads(sys.argv[1]); n=int(sys.argv[2]); print(f'{n} {m[\"cpu\"]:.3f} {n/m[\"cpu\"]:.0f} {n/m[\"wall\"]:.0f}')" "$m" "$n"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here" diff --quiet HEAD 2>/dev/null || echo ' (modified)'); binary $(command -v "$FIREDRILL") built $(date -u -r "$(command -v "$FIREDRILL")" +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# nginx $(nginx -v 2>&1 | cut -d/ -f2) on core 0; generator on core 1; ${CONNECTIONS} keep-alive connections; ${DURATION}s per run"
printf "%-6s %-10s %10s %9s %12s %10s\n" round tool requests cpu_s req_per_cpu_s req_per_s
ratios=()
totals=(0 0 0 0)   # wrk requests, wrk cpu, firedrill requests, firedrill cpu
for round in $(seq "$ROUNDS"); do
    # Alternate which tool goes first so drift in the machine's load hits both alike.
    if (( round % 2 )); then order="wrk firedrill"; else order="firedrill wrk"; fi
    for tool in $order; do
        if [ "$tool" = wrk ]; then
            read -r wn wc wr ww < <(run_wrk)
            printf "%-6s %-10s %10s %9s %12s %10s\n" "$round" wrk "$wn" "$wc" "$wr" "$ww"
        else
            read -r fn fc fr fw < <(run_firedrill)
            printf "%-6s %-10s %10s %9s %12s %10s\n" "$round" firedrill "$fn" "$fc" "$fr" "$fw"
        fi
    done
    ratios+=("$(python3 -c "print(f'{$fr/$wr:.3f}')")")
    totals=($(python3 -c "t=[float(x) for x in '${totals[*]}'.split()]; print(t[0]+$wn, t[1]+$wc, t[2]+$fn, t[3]+$fc)"))
done
echo "firedrill/wrk requests per CPU-second, per round: ${ratios[*]}"
python3 - "${totals[@]}" "${ratios[@]}" <<'PY'
import statistics, sys
wn, wc, fn, fc = map(float, sys.argv[1:5])
r = [float(x) for x in sys.argv[5:]]
print(f"median of per-round ratios: {statistics.median(r):.3f} (target >= 1.0)")
print(f"all rounds pooled: wrk {wn / wc:.0f} req/CPU-s, firedrill {fn / fc:.0f} req/CPU-s -> ratio {fn / fc / (wn / wc):.3f}")
with open(__import__("os").environ["RESULTS"], "w") as out:
    out.write(f"ratio_median={statistics.median(r):.3f}\nratio_pooled={fn / fc / (wn / wc):.3f}\n")
PY
echo "# load average after the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"
kib=skipped
if [ "$MEMORY" != 0 ]; then
    # The memory run starts its own nginx on another port once this one's rounds are done.
    mem=$(DURATION="$MEMORY_DURATION" "$here/memory.sh" "$FIREDRILL")
    echo "$mem"
    kib=$(echo "$mem" | awk -F= '/^kib_per_idle_user=/ {print $2}')
fi
cat "$RESULTS"
echo "kib_per_idle_user=$kib"
