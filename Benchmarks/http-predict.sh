#!/usr/bin/env bash
# Single-row prediction over HTTP against the same server's GET /healthz, in one run: csv-analyzer
# pinned to core 0, wrk (-t1 -c64, keep-alive) pinned to core 1, the two endpoints alternating
# (ROUNDS rounds, the order swapping every round). For each run: requests/s, the server's CPU
# seconds (from /proc, including the prediction log's writes of that run's predictions, waited for
# after wrk stops), how busy its core was, requests per server CPU-second; then the medians and the
# per-round ratio predict / healthz (goal ≥ 0.8) with the middle half of the rounds. Prints the
# environment first.
#
# Many short rounds rather than a few long ones: on a shared VM the CPU's speed drifts over tens of
# seconds (one binary's /healthz ran at 25k–39k per CPU-second between 10 s rounds), and 2 s slices
# put both endpoints in nearly the same state, so the per-round ratios agree far better.
#
# Usage: Benchmarks/http-predict.sh [seconds per run, default 2]
# Environment: ROUNDS (15), ALGORITHM (logistic_regression), DATABASE_URL (the store; default SQLite
# in a temp dir), PREDICTION_LOG (on|off, default on), SCRATCH_PATH (release build folder, default
# .build-release), BIN (a csv-analyzer binary to run instead of building one: compare an old and a
# new build side by side), SKIP_BUILD=1 (use the last build), PERF_OUT (record the server with
# `perf record -g` during the first round: PERF_OUT.healthz and PERF_OUT.predict; then
# `Benchmarks/profile_table.py PERF_OUT.healthz N PERF_OUT.predict M` with round 1's request counts
# gives µs per request by part), CONNECTIONS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/environment.sh
DURATION=${1:-2}
ROUNDS=${ROUNDS:-15}
bench_server_binary
echo "setup:    server on core 0, wrk -t1 -c${CONNECTIONS:-64} on core 1; prediction log ${PREDICTION_LOG:-on}${DATABASE_URL:+ ($DATABASE_URL)}; ${ALGORITHM:-logistic_regression} on iris; $ROUNDS rounds × ${DURATION} s per endpoint"
DATA=$(mktemp -d)
PORT=$(bench_free_port)
taskset -c 0 "$BIN" serve --port "$PORT" --data-dir "$DATA" --log-level warning \
  ${DATABASE_URL:+--database-url "$DATABASE_URL"} --prediction-log "${PREDICTION_LOG:-on}" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
DS=$(curl -sf -X POST --data-binary @Tests/Fixtures/iris.csv -H 'Content-Type: text/csv' "$URL/api/datasets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
MODEL=$(curl -sf -X POST -H 'Content-Type: application/json' "$URL/api/models" \
  -d "{\"dataset\":\"$DS\",\"target\":\"target\",\"algorithm\":\"${ALGORITHM:-logistic_regression}\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
export MODEL
FLUSH=null
PERF=null
[ -n "${PERF_OUT:-}" ] && PERF="\"$PERF_OUT\""
[ "${PREDICTION_LOG:-on}" = on ] && FLUSH="\"$URL/metrics\""
cat > "$DATA/bench.json" <<JSON
{"duration": $DURATION, "rounds": $ROUNDS, "connections": ${CONNECTIONS:-64},
 "targets": [
   {"label": "healthz", "url": "$URL/healthz", "pid": $PID, "wrk_cpus": "1"},
   {"label": "predict", "url": "$URL", "lua": "Benchmarks/predict.lua", "pid": $PID, "wrk_cpus": "1", "flush_metrics": $FLUSH}],
 "perf_out": $PERF, "perf_label": "*",
 "ratio": {"numerator": "predict", "denominator": "healthz", "metric": "req_per_cpu_s", "goal": 0.8,
           "name": "predict / healthz per server CPU-second"}}
JSON
python3 Benchmarks/http_rounds.py "$DATA/bench.json"
curl -sf "$URL/metrics" | grep -E '^csv_analyzer_prediction_log_(written|dropped)_total' || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
