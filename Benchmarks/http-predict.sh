#!/usr/bin/env bash
# Single-row prediction over HTTP: csv-analyzer pinned to core 0, wrk (-t1 -c64) pinned to core 1.
# Prints requests/s and requests per server CPU-second. Usage: Benchmarks/http-predict.sh [seconds]
# Environment: ALGORITHM (logistic_regression), DATABASE_URL (the store; default SQLite in a temp dir),
# PREDICTION_LOG (on|off, default on), SCRATCH_PATH (release build folder, default .build-release),
# BIN (a csv-analyzer binary to run instead of building one: compare an old and a new build side by side),
# PERF_OUT (record the server with `perf record -g` into this file during the measured run).
# Prints the prediction log's written/dropped counters after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
SCRATCH=${SCRATCH_PATH:-.build-release}
if [ -z "${BIN:-}" ]; then
  swift build -c release --scratch-path "$SCRATCH" --product csv-analyzer >/dev/null 2>&1 || [ -n "${SKIP_BUILD:-}" ] || { echo "release build failed" >&2; exit 1; }
  BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/csv-analyzer
fi
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 0 "$BIN" serve --port "$PORT" --data-dir "$DATA" --log-level warning \
  ${DATABASE_URL:+--database-url "$DATABASE_URL"} --prediction-log "${PREDICTION_LOG:-on}" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"
DS=$(curl -sf -X POST --data-binary @Tests/Fixtures/iris.csv -H 'Content-Type: text/csv' "$URL/api/datasets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
MODEL=$(curl -sf -X POST -H 'Content-Type: application/json' "$URL/api/models" \
  -d "{\"dataset\":\"$DS\",\"target\":\"target\",\"algorithm\":\"${ALGORITHM:-logistic_regression}\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
export MODEL
# warm-up
taskset -c 1 wrk -t1 -c64 -d2s -s Benchmarks/predict.lua "$URL" >/dev/null
cpu() { awk '{print $14+$15}' "/proc/$PID/stat"; }
TICKS=$(getconf CLK_TCK)
[ -n "${PERF_OUT:-}" ] && { perf record -g -F 999 -p "$PID" -o "$PERF_OUT" -- sleep "$DURATION" >/dev/null 2>&1 & }
before=$(cpu)
OUT=$(taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" --latency -s Benchmarks/predict.lua "$URL")
after=$(cpu)
echo "$OUT"
sleep 0.5  # let the prediction log writer flush
curl -sf "$URL/metrics" | grep -E '^csv_analyzer_prediction_log_(written|dropped)_total' || true
python3 - "$OUT" "$before" "$after" "$TICKS" "$DURATION" <<'PY'
import re, sys
out, before, after, ticks, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
reqs = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
cpu = (after - before) / ticks
print(f"requests: {reqs}  non-2xx: {non2xx.group(1) if non2xx else 0}")
print(f"requests/s: {reqs / duration:.0f}")
print(f"server CPU seconds: {cpu:.2f}  → requests per server CPU-second: {reqs / cpu:.0f}")
PY
