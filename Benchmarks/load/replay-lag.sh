#!/usr/bin/env bash
# Replay fidelity and cost: `firedrill replay` of a generated log (Poisson arrivals at RATE/s for DURATION s)
# side by side with `firedrill load --arrival-rate RATE` (the open model at the same mean rate) in one run.
# nginx (one process, `return 200`) is pinned to core 0, the generator to core 1, everything on 127.0.0.1.
# Per rate: offered, started, dropped, schedule lag p50/p99/max (ms, from --json), generator CPU seconds,
# peak RSS; then how fast a large combined log is read (--to-scenario: read, plan, write, nothing sent).
#   Benchmarks/load/replay-lag.sh [path/to/firedrill]      (RATES="500 2000 5000" DURATION=10 PORT=18091 LINES=200000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-.build/release/firedrill}}
RATES=${RATES:-500 2000 5000}
DURATION=${DURATION:-10}
PORT=${PORT:-18091}
LINES=${LINES:-200000}
source "$here/../environment.sh"
bench_environment "$FIREDRILL" "as given"
bench_nginx_target "$PORT" 0

# summary.json cputime-json label → one table row
row() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); m = json.loads(sys.argv[2])
a = r["summary"]["stats"]["arrival"]; lag = a.get("lag") or {}
print(f"{sys.argv[3]:<22} offered {a['scheduled']:>7} started {a['started']:>7} dropped {a['dropped']:>5}"
      f" | lag p50 {lag.get('p50_ms', 0):7.3f} p99 {lag.get('p99_ms', 0):7.3f} max {lag.get('max_ms', 0):8.3f} ms"
      f" | {m['cpu']:6.2f} CPU-s, {m['max_rss_kb'] // 1024} MiB")
PY
}

for rate in $RATES; do
    python3 - "$rate" "$DURATION" "$work/log.jsonl" <<'PY'
import json, random, sys
rate, duration, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
random.seed(7); t = 0.0
with open(path, "w") as f:
    while True:
        t += random.expovariate(rate)
        if t >= duration: break
        f.write(json.dumps({"ts": round((1796292000 + t) * 1e6), "path": f"/r/{random.randrange(50)}"}) + "\n")
PY
    users=$((rate * 2))
    m=$(python3 "$here/cputime.py" "$work/replay.out" -- taskset -c 1 "$FIREDRILL" replay "$work/log.jsonl" \
        --host "$url" --only-summary --json "$work/replay.json" --max-users "$users")
    row "$work/replay.json" "$m" "replay $rate/s"
    m=$(python3 "$here/cputime.py" "$work/load.out" -- taskset -c 1 "$FIREDRILL" load --url "$url/r/1" \
        --arrival-rate "$rate" -t "${DURATION}s" --max-users "$users" --only-summary --json "$work/load.json")
    row "$work/load.json" "$m" "load --arrival-rate $rate"
done

python3 - "$LINES" "$work/access.log" <<'PY'
import random, sys, time
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(7); t0 = 1796292000
with open(path, "w") as f:
    for i in range(n):
        t = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t0 + i // 200))
        f.write(f'10.0.{i % 256}.{i % 199} - - [{t}] "GET /api/items/{random.randrange(5000)}?page={i % 7} HTTP/1.1" 200 {i % 9000} "-" "Mozilla/5.0"\n')
PY
m=$(python3 "$here/cputime.py" "$work/scenario.out" -- taskset -c 1 "$FIREDRILL" replay "$work/access.log" --to-scenario "$work/s.yaml")
python3 -c "import json,sys; m=json.loads(sys.argv[1]); n=int(sys.argv[2]); print(f'read {n} combined lines (--to-scenario): {m[\"wall\"]:.2f} s wall, {m[\"cpu\"]:.2f} CPU-s, {n/m[\"cpu\"]:,.0f} lines per CPU-second, {m[\"max_rss_kb\"]//1024} MiB peak')" "$m" "$LINES"
