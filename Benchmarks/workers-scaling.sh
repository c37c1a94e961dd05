#!/usr/bin/env bash
# Does `serve --workers 2` on 2 cores predict ~2× what one worker does? Two services run side by
# side and are measured alternately (ROUNDS rounds): `--workers 1` pinned to core 0 (supervisor and
# worker; wrk -t1 -c64 on core 1) and `--workers 2` on both cores (wrk unpinned). Both log
# predictions to SQLite (the default) and have their merged /metrics scraped every second.
#
# How it is measured honestly on 2 cores: one worker has a core to itself and wrk the other; two
# workers need both cores, and wrk then takes its share of them, so raw requests/s under-states what
# two workers do on two cores. The figure compared is the *capacity*: predictions per server
# CPU-second (supervisor + workers, from /proc, prediction-log writes included) × the cores the
# service runs on (1 and 2). It equals requests/s when the service saturates its cores, and it only
# holds if nothing serializes the workers, which the output shows: the server's busy cores while
# wrk runs (≈ 2 − wrk's share when nothing else waits), and CPU seconds per process (both workers
# alike, the supervisor near zero). Raw requests/s is printed too.
#
# Usage: Benchmarks/workers-scaling.sh [seconds per run, default 10]   (ROUNDS=3, BIN, SKIP_BUILD, SCRATCH_PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/environment.sh
DURATION=${1:-10}
ROUNDS=${ROUNDS:-3}
bench_server_binary
echo "setup:    --workers 1 on core 0 (wrk on core 1) vs --workers 2 on cores 0-1 (wrk unpinned); wrk -t1 -c64; $ROUNDS rounds × ${DURATION} s"
WORK=$(mktemp -d)
PIDS=()
SCRAPER=""
cleanup() {
  [ -n "$SCRAPER" ] && kill "$SCRAPER" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {  # name workers cpus → sets URL_name, PID_name, MODEL_name
  local name=$1 workers=$2 cpus=$3 port
  port=$(bench_free_port)
  mkdir -p "$WORK/$name"
  taskset -c "$cpus" "$BIN" serve --port "$port" --data-dir "$WORK/$name" --workers "$workers" --log-level warning \
    > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$name=$!"
  eval "URL_$name=http://127.0.0.1:$port"
}
start one 1 0
start two 2 0-1
for name in one two; do
  url=$(eval echo "\$URL_$name")
  for _ in $(seq 200); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
  ds=$(curl -sf -X POST --data-binary @Tests/Fixtures/iris.csv -H 'Content-Type: text/csv' "$url/api/datasets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  model=$(curl -sf -X POST -H 'Content-Type: application/json' "$url/api/models" \
    -d "{\"dataset\":\"$ds\",\"target\":\"target\",\"algorithm\":\"logistic_regression\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # Each service gets its own wrk script naming its model.
  sed "s|os.getenv(\"MODEL\")|\"$model\"|" Benchmarks/predict.lua > "$WORK/$name.lua"
done
# Prometheus-like scraping of both services' merged /metrics, once a second, for the whole run.
( while true; do curl -sf "$URL_one/metrics" >/dev/null; curl -sf "$URL_two/metrics" >/dev/null; sleep 1; done ) &
SCRAPER=$!
cat > "$WORK/bench.json" <<JSON
{"duration": $DURATION, "rounds": $ROUNDS, "connections": 64,
 "targets": [
   {"label": "1 worker", "url": "$URL_one", "lua": "$WORK/one.lua", "pid": $PID_one, "wrk_cpus": "1", "server_cores": 1, "flush_metrics": "$URL_one/metrics"},
   {"label": "2 workers", "url": "$URL_two", "lua": "$WORK/two.lua", "pid": $PID_two, "wrk_cpus": null, "server_cores": 2, "flush_metrics": "$URL_two/metrics"}],
 "ratio": {"numerator": "2 workers", "denominator": "1 worker", "metric": "capacity", "goal": 1.7,
           "name": "2 workers / 1 worker, capacity (predictions per server CPU-second × cores)"}}
JSON
python3 Benchmarks/http_rounds.py "$WORK/bench.json" | tee "$WORK/out.txt"
python3 - "$WORK/out.txt" <<'PY'
import json, sys
result = json.loads([l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1][7:])
one, two = result["targets"]["1 worker"], result["targets"]["2 workers"]
print(f"raw requests/s: 2 workers / 1 worker = {two['req_per_s'] / one['req_per_s']:.3f} "
      f"(wrk took {two['wrk_cores_busy']:.2f} of the 2 cores in the 2-worker runs, {one['wrk_cores_busy']:.2f} of its own core in the 1-worker runs)")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
