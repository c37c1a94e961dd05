#!/usr/bin/env bash
# The web UI's cost to the generator: requests per CPU-second of `firedrill load` headless vs with
# `--web --autostart` while a client keeps the page's live stream (/stream, server-sent events) open
# and polls /stats/requests every second, as a browser tab and a Locust script would. Side by side in
# one run, headless and web rounds alternating. nginx (one process, `return 200`) and the client are
# pinned to core 0, the generator (its web thread included) to core 1; keep-alive, 64 users.
#   Benchmarks/load/web-ui.sh [path/to/firedrill]      (DURATION=10 ROUNDS=3; default .build/release/firedrill)
# Goal: web within 5 % of headless (ratio >= 0.95).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FIREDRILL=${1:-${FIREDRILL:-$here/../../.build/release/firedrill}}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
USERS=${USERS:-64}
[ -x "$FIREDRILL" ] || { echo "missing: $FIREDRILL (swift build -c release --product firedrill)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
work=$(mktemp -d)
source "$here/nginx.sh"
start_nginx "$work/nginx" "$PORT" 0
CLIENT_PID=""
trap 'kill $CLIENT_PID 2>/dev/null || true; kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$PORT/"

# The page's traffic: one live stream held open (frames counted) and a poll of /stats/requests a second.
cat > "$work/client.py" <<'PY'
import json, sys, threading, time, urllib.request
base, out = sys.argv[1], sys.argv[2]
frames, polls = 0, 0
def stream():
    global frames
    while True:
        try:
            with urllib.request.urlopen(base + "/stream", timeout=30) as r:
                for line in r:
                    if line.startswith(b"data: "):
                        frames += 1
        except Exception:
            time.sleep(0.05)
threading.Thread(target=stream, daemon=True).start()
while True:
    try:
        json.load(urllib.request.urlopen(base + "/stats/requests", timeout=5))
        polls += 1
        open(out, "w").write(f"{frames} {polls}\n")
    except Exception:
        pass
    time.sleep(1)
PY

# CPU: the process's CPU seconds during the run (the run's own health monitor: getrusage from the
# first user to the end, web thread and its streams included), and the whole process's (start-up and
# shutdown included, which the web server lengthens by a constant).
measure() {  # measure MODE → "requests run_cpu_s req_per_cpu_s req_per_s process_cpu_s"
    local mode=$1 args=() m
    if [ "$mode" = web ]; then
        local web_port; web_port=$(free_port)
        args=(--web --web-port "$web_port" --autostart --autoquit 0)
        echo "0 0" > "$work/client.out"
        taskset -c 0 python3 "$work/client.py" "http://127.0.0.1:$web_port" "$work/client.out" &
        CLIENT_PID=$!
    else
        args=(--headless)
    fi
    m=$(python3 "$here/cputime.py" "$work/fd.out" -- taskset -c 1 "$FIREDRILL" load --url "$url" \
        -u "$USERS" -r 1000000 -t "${DURATION}s" --only-summary --json "$work/fd.json" "${args[@]}")
    if [ -n "$CLIENT_PID" ]; then
        kill "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; CLIENT_PID=""
        read -r frames polls < "$work/client.out"
        [ "$polls" -gt 0 ] && [ "$frames" -gt 0 ] || { echo "error: the client saw no frames ($frames) or polls ($polls)" >&2; exit 1; }
        echo "  (web client: $frames stream frames, $polls polls)" >&2
    fi
    python3 - "$m" "$work/fd.json" <<'PY'
import json, sys
m = json.loads(sys.argv[1]); s = json.load(open(sys.argv[2]))["summary"]["stats"]["total"]
if s["failures"]: print(f"warning: {s['failures']} failures", file=sys.stderr)
n = s["requests"]
run_cpu = json.load(open(sys.argv[2]))["summary"]["stats"]["health"]["cpu_seconds"]
print(f"{n} {run_cpu:.3f} {n / run_cpu:.0f} {n / m['wall']:.0f} {m['cpu']:.3f}")
PY
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# commit $(git -C "$here" rev-parse --short HEAD); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# nginx + web client on core 0; generator on core 1; ${USERS} users; ${DURATION}s per run"
printf "%-6s %-9s %10s %9s %12s %10s %13s\n" round mode requests run_cpu_s req_per_cpu_s req_per_s process_cpu_s
ratios=()
for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order="headless web"; else order="web headless"; fi
    for mode in $order; do
        read -r n c r w pc < <(measure "$mode")
        printf "%-6s %-9s %10s %9s %12s %10s %13s\n" "$round" "$mode" "$n" "$c" "$r" "$w" "$pc"
        if [ "$mode" = web ]; then web_r=$r; else head_r=$r; fi
    done
    ratios+=("$(python3 -c "print(f'{$web_r/$head_r:.3f}')")")
done
echo "web/headless requests per CPU-second, per round: ${ratios[*]}"
python3 -c "import statistics,sys; print(f'median ratio: {statistics.median(map(float, sys.argv[1:])):.3f} (goal >= 0.95); load average now $(cut -d' ' -f1-3 /proc/loadavg)')" "${ratios[@]}"
