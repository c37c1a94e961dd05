#!/usr/bin/env bash
# firedrill worker under a Locust master vs firedrill load alone: requests per CPU-second of the
# firedrill process, side by side in one run (alternating order), and the master's CPU per `stats`
# message. nginx (`return 200`) on core 0, firedrill on core 1, the master unpinned.
#   Benchmarks/load/worker-efficiency.sh [path/to/firedrill] [path/to/locust]  (DURATION=10 ROUNDS=3 USERS=64)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
FIREDRILL=${1:-${FIREDRILL:-firedrill}}
LOCUST=${2:-${LOCUST:-${XDG_CACHE_HOME:-$HOME/.cache}/firedrill/locust-venv/bin/locust}}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18091}
USERS=${USERS:-64}
source "$here/../environment.sh"
bench_environment "$FIREDRILL" "as given"
bench_nginx_target "$PORT" 0
# Responses received: requests still in flight at the stop (abandoned_requests, counted as StopTimeout
# failures in the summary) are left out, as in efficiency.sh.
stat() { python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; d=s['stats']['total']; a=s.get('abandoned_requests', 0); print(d['requests'] - a, d['failures'] - a)" "$1"; }

run_load() {
    local m
    m=$(python3 "$here/cputime.py" "$work/load.out" -- taskset -c 1 "$FIREDRILL" load "$here/worker.yaml" --host "$url" \
        -u "$USERS" -r 1000000 -t "${DURATION}s" --only-summary --json "$work/load.json")
    read -r n f < <(stat "$work/load.json")
    python3 -c "import json,sys; m=json.loads(sys.argv[1]); n=int(sys.argv[2]); print(f'{n} {m[\"cpu\"]:.3f} {n/m[\"cpu\"]:.0f} {sys.argv[3]}')" "$m" "$n" "$f"
}

run_worker() {
    local mp
    mp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$LOCUST" -f "$root/deploy/locust/locustfile.py" --master --headless \
        -u "$USERS" -r "$USERS" -t "${DURATION}s" --expect-workers 1 --master-bind-host 127.0.0.1 --master-bind-port "$mp" \
        -H "$url" --only-summary > "$work/master.out" 2>"$work/master.log" &
    local master=$!
    # The master's CPU while the test runs (start-up excluded): sampled 3 s in and 1 s before the end.
    ( sleep 3; awk '{print $14 + $15}' "/proc/$master/stat" > "$work/m0"; sleep $((DURATION - 4))
      awk '{print $14 + $15}' "/proc/$master/stat" > "$work/m1" ) &
    local sampler=$!
    local m
    m=$(python3 "$here/cputime.py" "$work/worker.out" -- taskset -c 1 "$FIREDRILL" worker "$here/worker.yaml" \
        --master-port "$mp" --json "$work/worker.json" 2>"$work/worker.log")
    wait $master $sampler
    read -r n f < <(stat "$work/worker.json")
    python3 -c "
import json,sys
import os
m=json.loads(sys.argv[1]); n=int(sys.argv[2]); hz=os.sysconf('SC_CLK_TCK')
window=float(sys.argv[4]) - 4; mc=(int(open(sys.argv[5]+'/m1').read()) - int(open(sys.argv[5]+'/m0').read())) / hz
print(f'{n} {m[\"cpu\"]:.3f} {n/m[\"cpu\"]:.0f} {sys.argv[3]} {mc/window:.3f} {mc/(window/3)*1000:.1f}')" "$m" "$n" "$f" "$DURATION" "$work"
}

echo "# nginx on core 0; firedrill on core 1; $USERS users; ${DURATION}s per run; Locust $("$LOCUST" --version 2>&1 | awk '{print $2}')"
printf "%-6s %-8s %10s %8s %12s %6s %12s %18s\n" round mode requests cpu_s req_per_cpu_s fails master_cpu_s/s master_ms_per_stats
ratios=()
for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order="load worker"; else order="worker load"; fi
    for mode in $order; do
        if [ "$mode" = load ]; then
            read -r ln lc lr lf < <(run_load)
            printf "%-6s %-8s %10s %8s %12s %6s\n" "$round" load "$ln" "$lc" "$lr" "$lf"
        else
            read -r wn wc wr wf mc mm < <(run_worker)
            printf "%-6s %-8s %10s %8s %12s %6s %12s %18s\n" "$round" worker "$wn" "$wc" "$wr" "$wf" "$mc" "$mm"
        fi
    done
    ratios+=("$(python3 -c "print(f'{$wr/$lr:.3f}')")")
done
median=$(python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.3f}")' "${ratios[@]}")
echo "worker/load requests per CPU-second, per round: ${ratios[*]} (median $median; target >= 0.9)"
