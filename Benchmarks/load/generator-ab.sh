#!/usr/bin/env bash
# Two firedrill binaries and wrk, alternating, side by side: requests per CPU-second and user/system µs
# per request (nginx `return 200` on core 0, the tool on core 1, 64 keep-alive connections).
#   Benchmarks/load/generator-ab.sh A_BINARY B_BINARY     (ROUNDS=6 DURATION=8 PORT=18098 EXTRA_B="--transport nio")
# Made for the socket transport (issue 19 point 2): A = main's binary, B = the branch's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
A=$1 B=$2
ROUNDS=${ROUNDS:-6} DURATION=${DURATION:-8} PORT=${PORT:-18098}
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
source "$here/nginx.sh"
start_nginx "$work/nginx" "$PORT" 0
trap 'kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$PORT/"
echo "# $(date -u +%FT%TZ) $(nproc) cores; A=$A B=$B; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-5s %-4s %9s %7s %7s %9s %8s %8s\n" round tool requests user_s sys_s req/cpu_s us_user us_sys > "$work/table"
for r in $(seq "$ROUNDS"); do
    if (( r % 2 )); then order="A B wrk"; else order="wrk B A"; fi
    for t in $order; do
        if [ "$t" = wrk ]; then
            m=$(python3 "$here/cputime.py" "$work/out" -- taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" "$url")
            n=$(awk '/requests in/ {print $1}' "$work/out")
        else
            bin=$A; extra=${EXTRA_A:-}
            if [ "$t" = B ]; then bin=$B; extra=${EXTRA_B:-}; fi
            # shellcheck disable=SC2086
            m=$(python3 "$here/cputime.py" "$work/out" -- taskset -c 1 "$bin" load --url "$url" -u 64 -r 1000000 \
                -t "${DURATION}s" --only-summary --json "$work/fd.json" $extra)
            n=$(python3 -c "import json; s=json.load(open('$work/fd.json'))['summary']; print(s['stats']['total']['requests'] - s['abandoned_requests'])")
        fi
        python3 -c "import json,sys; m=json.loads(sys.argv[1]); n=int(sys.argv[2]); print(f'{sys.argv[3]:<5} {sys.argv[4]:<4} {n:9d} {m[\"user\"]:7.3f} {m[\"sys\"]:7.3f} {n/m[\"cpu\"]:9.0f} {m[\"user\"]/n*1e6:8.2f} {m[\"sys\"]/n*1e6:8.2f}')" "$m" "$n" "$r" "$t" >> "$work/table"
    done
done
cat "$work/table"
python3 - "$work/table" <<'PY'
import statistics, sys
d = {}
for line in open(sys.argv[1]).readlines()[1:]:
    f = line.split()
    d.setdefault(f[0], {})[f[1]] = (int(f[2]), float(f[3]), float(f[4]))
def rate(k, t): n, u, s = d[k][t]; return n / (u + s)
def pooled(t): return sum(d[k][t][0] for k in d) / sum(d[k][t][1] + d[k][t][2] for k in d)
for a, b in [("B", "wrk"), ("A", "wrk"), ("B", "A")]:
    rs = [rate(k, a) / rate(k, b) for k in sorted(d, key=int)]
    print(f"{a}/{b} per round: {' '.join(f'{x:.3f}' for x in rs)}; median {statistics.median(rs):.3f}, pooled {pooled(a) / pooled(b):.3f}")
for t in ["A", "B", "wrk"]:
    n = sum(d[k][t][0] for k in d)
    print(f"{t}: user {sum(d[k][t][1] for k in d) / n * 1e6:.2f} µs/request, system {sum(d[k][t][2] for k in d) / n * 1e6:.2f} µs/request")
PY
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
