#!/usr/bin/env bash
# Spawn accuracy: `-u 500 -r 50` should reach 500 users at 10.0 s ± 0.1 s (user k starts at k/50 s).
#   Benchmarks/load/spawn.sh [path/to/firedrill]      (ROUNDS=3 PORT=18093)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-firedrill}}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18093}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
source "$here/nginx.sh"
start_nginx "$work/nginx" "$PORT" 0
trap 'kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores"
for round in $(seq "$ROUNDS"); do
    "$FIREDRILL" load --url "http://127.0.0.1:$PORT/" -u 500 -r 50 -t 12s --wait 1-2 --only-summary \
        --json "$work/spawn.json" > /dev/null
    python3 - "$work/spawn.json" "$round" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
r = s["ramps"][0]
ok = abs(r["reached_at"] - 10.0) <= 0.1
print(f"round {sys.argv[2]}: {r['users']} users reached at {r['reached_at']:.3f} s "
      f"(ramp started {r['started_at']:.3f} s; ideal 9.980 s for the 500th user at 499/50) {'OK' if ok else 'OUT OF RANGE'}")
PY
done
