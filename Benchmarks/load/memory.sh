#!/usr/bin/env bash
# Memory and delivered rate: 10,000 users with `wait: between [1, 2]` against nginx.
# Reports peak RSS, RSS per user beyond a 10-user base, and achieved vs offered requests/s.
#   Benchmarks/load/memory.sh [path/to/firedrill]      (USERS=10000 DURATION=40 SPAWN_RATE=2000 PORT=18092)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-firedrill}}
USERS=${USERS:-10000}
DURATION=${DURATION:-40}
SPAWN_RATE=${SPAWN_RATE:-2000}
PORT=${PORT:-18092}
THREADS=${THREADS:-1}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
source "$here/nginx.sh"
start_nginx "$work/nginx" "$PORT" 0
trap 'kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$PORT/"

run() {  # users duration json
    python3 "$here/cputime.py" "$work/out.txt" -- taskset -c 1 "$FIREDRILL" load --url "$url" -u "$1" \
        -r "$SPAWN_RATE" -t "${2}s" --wait 1-2 --threads "$THREADS" --only-summary --json "$3"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores; nginx on core 0, firedrill on core 1 ($THREADS event loop)"
base=$(run 10 10 "$work/base.json")
big=$(run "$USERS" "$DURATION" "$work/big.json")
python3 - "$base" "$big" "$work/big.json" "$USERS" "$SPAWN_RATE" <<'PY'
import json, sys
base, big = json.loads(sys.argv[1]), json.loads(sys.argv[2])
report = json.load(open(sys.argv[3]))
users, spawn_rate = int(sys.argv[4]), float(sys.argv[5])
s = report["summary"]
total = s["stats"]["total"]
ramp_done = users / spawn_rate
# Steady state: from 3 s after the last user started (every user is past its first wait) to the end.
points = [p for p in s["history"] if p["elapsed"] >= ramp_done + 3 and p["users"] == users]
span = sum(p["span"] for p in points)
achieved = sum(p["rps"] * p["span"] for p in points) / span if span else 0
mean_latency_s = total["avg_ms"] / 1000
offered = users / (1.5 + mean_latency_s)
base_kb, big_kb = base["max_rss_kb"], big["max_rss_kb"]
per_user = (big_kb - base_kb) * 1024 / (users - 10)
print(f"peak RSS: 10 users {base_kb / 1024:.1f} MiB, {users} users {big_kb / 1024:.1f} MiB "
      f"-> {per_user / 1024:.2f} KiB per user beyond the base (target <= 4 KiB, total <= 150 MB)")
print(f"requests {total['requests']}, failures {total['failures']}, mean latency {total['avg_ms']:.3f} ms, "
      f"p99 {total['percentiles'][7]:.3f} ms")
print(f"steady state over {span:.0f} s: achieved {achieved:.1f} req/s, offered {offered:.1f} req/s "
      f"(users / (1.5 s mean wait + mean latency)) -> {achieved / offered * 100:.2f} % (target >= 99 %)")
print(f"generator CPU {big['cpu']:.2f} s over {big['wall']:.1f} s wall; worst loop lag "
      f"{s['stats']['health']['max_loop_lag_ms']:.1f} ms; warnings: {s['stats']['health']['warnings']}")
print(f"kib_per_idle_user={per_user / 1024:.2f}")
PY
