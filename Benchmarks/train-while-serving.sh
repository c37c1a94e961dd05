#!/usr/bin/env bash
# Does a 100,000-row training block other requests? Predictions (wrk -t1 -c16, 10 s) are measured
# alone, then while a random forest (100 trees) trains on the 100k × 22 synthetic file.
# Environment: BIN (a csv-analyzer binary to run instead of the release build: compare two builds),
# SKIP_BUILD=1 (use the last release build).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --scratch-path .build-release --product csv-analyzer >/dev/null
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --scratch-path .build-release --product analyzer-bench >/dev/null
BINDIR=$(swift build -c release --scratch-path .build-release --show-bin-path)
SERVER=${BIN:-$BINDIR/csv-analyzer}
echo "server: $SERVER; load: $(cut -d' ' -f1-3 /proc/loadavg)"
DATA=$(mktemp -d)
"$BINDIR/analyzer-bench" generate 100000 "$DATA/big.csv" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$SERVER" serve --port "$PORT" --data-dir "$DATA/d" --log-level warning &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
IRIS=$(curl -sf -X POST --data-binary @Tests/Fixtures/iris.csv "$URL/api/datasets" | json '["id"]')
MODEL=$(curl -sf -X POST "$URL/api/models" -d "{\"dataset\":\"$IRIS\",\"target\":\"target\",\"algorithm\":\"logistic_regression\"}" | json '["id"]')
export MODEL
BIG=$(curl -sf -X POST --data-binary @"$DATA/big.csv" "$URL/api/datasets" | json '["id"]')
echo "== predictions alone"
wrk -t1 -c16 -d10s --latency -s Benchmarks/predict.lua "$URL" | grep -E "Requests/sec|50%|99%|Latency "
echo "== predictions while a 100-tree random forest trains on 100,000 rows"
START=$(date +%s.%N)
JOB=$(curl -sf -X POST "$URL/api/models" -d "{\"dataset\":\"$BIG\",\"target\":\"target\",\"algorithm\":\"random_forest\"}")
echo "training request answered in $(python3 -c "print(round($(date +%s.%N) - $START, 3))") s: $(echo "$JOB" | json '["status"]')"
BIGMODEL=$(echo "$JOB" | json '["id"]')
wrk -t1 -c16 -d10s --latency -s Benchmarks/predict.lua "$URL" | grep -E "Requests/sec|50%|99%|Latency "
for _ in $(seq 300); do
  STATUS=$(curl -sf "$URL/api/models/$BIGMODEL" | json '["status"]')
  [ "$STATUS" != training ] && break; sleep 0.5
done
echo "forest: $STATUS after $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s, $(curl -sf "$URL/api/models/$BIGMODEL" | json '["training_seconds"]') s of training"
