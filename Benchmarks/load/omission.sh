#!/usr/bin/env bash
# Coordinated omission, side by side: against a server that stalls 1 s every 10 s (stall-server.py),
# the closed model raw and corrected (--co-correction) and the open model (arrival rate) on the same server.
#   Benchmarks/load/omission.sh [path/to/firedrill]      (DURATION=30 USERS=10 RATE=200 PORT=18094)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-firedrill}}
DURATION=${DURATION:-30}
USERS=${USERS:-10}
RATE=${RATE:-200}
PORT=${PORT:-18094}
work=$(mktemp -d)
python3 "$here/stall-server.py" "$PORT" 10 1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
url="http://127.0.0.1:$PORT/"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown); load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$FIREDRILL" load --url "$url" -u "$USERS" -r "$USERS" -t "${DURATION}s" --only-summary --co-correction \
    --json "$work/closed.json" > "$work/closed.txt"
"$FIREDRILL" load --url "$url" --arrival-rate "$RATE" --max-users 1000 -t "${DURATION}s" --only-summary \
    --json "$work/open.json" > "$work/open.txt"
grep "WARNING: coordinated omission" "$work/closed.txt" || echo "(no coordinated-omission warning)"
python3 - "$work/closed.json" "$work/open.json" <<'PY'
import json, sys
closed = json.load(open(sys.argv[1]))["summary"]
opened = json.load(open(sys.argv[2]))["summary"]
levels = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100]
def row(name, n, p):
    print(f"{name:<28} {n:>9} " + " ".join(f"{p[levels.index(l)]:>9.2f}" for l in (50, 90, 95, 99, 99.9, 100)))
print(f"{'latency ms':<28} {'samples':>9} " + " ".join(f"{'p' + str(l):>9}" for l in (50, 90, 95, 99, 99.9, 100)))
co = closed["coordinated_omission"]
agg = co["corrected"][-1]
row("closed model, raw", agg["requests"], agg["raw_percentiles"])
row("closed model, corrected", agg["corrected_count"], agg["percentiles"])
row("open model", opened["stats"]["total"]["requests"], opened["stats"]["total"]["percentiles"])
p99 = levels.index(99)
print(f"corrected p99 / open p99 = {agg['percentiles'][p99] / opened['stats']['total']['percentiles'][p99]:.3f} (goal within 10 %)")
print(f"affected: {co['affected_seconds']:.2f} s = {co['affected_percent']:.1f} % of the run; expected interval {co['expected_interval_ms']:.3f} ms")
PY
