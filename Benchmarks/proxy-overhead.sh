#!/usr/bin/env bash
# The fault proxy's overhead with no toxic: nginx served directly vs through `firedrill proxy`, side by
# side in one run, direct and proxied rounds alternating.
#   latency:    wrk, 1 connection (closed loop, one request in flight): p50 direct, proxied, added
#   throughput: wrk, 64 connections: requests/s direct, proxied, ratio (and p50 under that load)
# Medians over ROUNDS rounds (default 3) of each. Everything on 127.0.0.1; nginx and the proxy are
# started here with their own config in a temp dir and stopped after, by PID.
# Usage: Benchmarks/proxy-overhead.sh   (ROUNDS=3 DURATION=10 FIREDRILL_BIN=.build/release/firedrill)
# Needs: nginx (nginx-light), wrk, python3; swift build -c release --product firedrill.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
FIREDRILL=${FIREDRILL_BIN:-.build/release/firedrill}
for tool in nginx wrk python3; do command -v $tool >/dev/null || { echo "missing: $tool (apt-get install -y nginx-light wrk)" >&2; exit 1; }; done
[ -x "$FIREDRILL" ] || { echo "missing: $FIREDRILL (swift build -c release --product firedrill)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/firedrill-bench.XXXXXX)
NGINX_PID=""; PROXY_PID=""
cleanup() {
  for pid in $PROXY_PID $NGINX_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in $PROXY_PID $NGINX_PID; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "== environment"
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo ' (+ uncommitted changes)')"
echo "cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "nginx:    $(nginx -v 2>&1 | cut -d/ -f2), wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
echo "proxy:    $FIREDRILL"

# nginx: one worker, a 612-byte page, no access log, keep-alive.
NGINX_PORT=$(free_port)
mkdir -p "$TMP/html" "$TMP/logs"
chmod 755 "$TMP" "$TMP/html"   # nginx's workers run as an unprivileged user
head -c 612 /dev/zero | tr '\0' 'x' > "$TMP/html/index.html"
cat > "$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $TMP/logs/error.log warn;
pid $TMP/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $TMP/html; }
}
CONF
nginx -p "$TMP" -c "$TMP/nginx.conf" &
NGINX_PID=$!
wait_port "$NGINX_PORT" || { echo "nginx did not start" >&2; cat "$TMP/logs/error.log" >&2; exit 1; }

API_PORT=$(free_port)
"$FIREDRILL" proxy --port "$API_PORT" --log-level warning > "$TMP/proxy.log" 2>&1 &
PROXY_PID=$!
wait_port "$API_PORT" || { echo "firedrill proxy did not start" >&2; cat "$TMP/proxy.log" >&2; exit 1; }
PROXY_PORT=$(python3 - "$API_PORT" "$NGINX_PORT" <<'PY'
import json, sys, urllib.request
body = json.dumps({"name": "nginx", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:" + sys.argv[2]}).encode()
answer = json.loads(urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/proxies" % sys.argv[1], data=body, method="POST")).read())
print(answer["listen"].rsplit(":", 1)[1])
PY
)
echo "ports:    nginx $NGINX_PORT, proxy $PROXY_PORT → nginx (no toxic)"

# wrk output → "p50_us rps"
run_wrk() {  # connections threads port
  wrk -t"$2" -c"$1" -d"${DURATION}s" --latency "http://127.0.0.1:$3/index.html" > "$TMP/wrk.out" 2>&1
  python3 - "$TMP/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
unit = {"us": 1, "ms": 1000, "s": 1e6}
m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", text)
if not m or not rps:
    sys.exit("cannot read wrk output:\n" + text)
print("%.1f %.0f %s" % (float(m.group(1)) * unit[m.group(2)], float(rps.group(1)), "errors:" + errors.group(0).replace(" ", "_") if errors else ""))
PY
}

wrk -t1 -c8 -d2s "http://127.0.0.1:$PROXY_PORT/index.html" > /dev/null  # warm-up
: > "$TMP/results"
for round in $(seq "$ROUNDS"); do
  for target in direct proxied; do
    port=$NGINX_PORT; [ "$target" = proxied ] && port=$PROXY_PORT
    read -r lat_p50 lat_rps lat_err <<< "$(run_wrk 1 1 "$port")"
    read -r tp_p50 tp_rps tp_err <<< "$(run_wrk 64 2 "$port")"
    echo "round $round $target: 1 conn p50 ${lat_p50} µs (${lat_rps} req/s) | 64 conn ${tp_rps} req/s, p50 ${tp_p50} µs ${lat_err:-} ${tp_err:-}"
    echo "$target $lat_p50 $tp_rps $tp_p50" >> "$TMP/results"
  done
done

python3 - "$TMP/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def med(target, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == target)
d_lat, p_lat = med("direct", 1), med("proxied", 1)
d_rps, p_rps = med("direct", 2), med("proxied", 2)
d_p50, p_p50 = med("direct", 3), med("proxied", 3)
print("== medians over %d rounds" % (len(rows) // 2))
print("latency, 1 connection:   p50 direct %.1f µs, proxied %.1f µs → added %.1f µs (goal < 50 µs: %s)"
      % (d_lat, p_lat, p_lat - d_lat, "met" if p_lat - d_lat < 50 else "NOT met"))
print("throughput, 64 conns:    direct %.0f req/s, proxied %.0f req/s → %.2f× (goal ≥ 0.8×: %s)"
      % (d_rps, p_rps, p_rps / d_rps, "met" if p_rps / d_rps >= 0.8 else "NOT met"))
print("p50 under 64 conns:      direct %.1f µs, proxied %.1f µs" % (d_p50, p_p50))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
