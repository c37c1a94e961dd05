#!/usr/bin/env python3
"""µs of server CPU per request, by where it went, from `perf record -g` profiles of the server.

Usage: Benchmarks/profile_table.py PERF_FILE REQUESTS [PERF_FILE REQUESTS …]

Takes the profiles `PERF_OUT=prefix Benchmarks/http-predict.sh` writes (prefix.healthz,
prefix.predict: round 1 of each endpoint) and the request counts of those runs (round 1's
`requests` column), and prints a Markdown table: per request, the server's CPU on its event-loop
threads, Swift concurrency's threads and SQLite's thread pool, and in the prediction path's parts
(a sample counts for a part when any frame of its stack matches; parts overlap). Needs perf, and
cpu-clock samples (`-e cpu-clock`, each sample's period is its CPU time in ns).
"""
import re
import subprocess
import sys

PARTS = [
    ("prediction ids", r"PredictionID"),
    ("input JSON (shape check + parser)", r"PredictionInput"),
    ("response JSON", r"SingleResponseJSON"),
    ("model + drift + log queue + recent (synchronous)", r"0A0C7predict6loaded"),
    ("  of which the model", r"TrainedModelC7predict"),
    ("  of which the drift window", r"DriftMonitorC6record"),
    ("prediction-log JSON (writer task)", r"PredictionLogWriterC6encode"),
    ("SQLite statements (thread pool)", r"sqlite3_step"),
    ("router (RouterTrie.resolve)", r"RouterTrieC7resolve"),
    ("task allocator (async frames)", r"StackAllocator"),
    ("swift_task_switch", r"swift_task_switch"),
    ("scheduler (finish_task_switch)", r"finish_task_switch"),
    ("malloc / free", r"malloc|_int_free|cfree"),
]
THREADS = [("event-loop threads", "NIO-"), ("Swift concurrency threads", "qos"), ("SQLite thread pool", "TP-")]


def samples(path):
    run = subprocess.run(["perf", "script", "-i", path, "-F", "comm,period,ip,sym"], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"note: {path}: perf script failed (no samples?): {run.stderr.strip()[:200]}", file=sys.stderr)
    out = run.stdout
    for block in out.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if len(lines) < 2:
            continue
        head = re.match(r"\s*(.+?)\s+(\d+)\s*$", lines[0])
        frames = [re.sub(r"\+0x[0-9a-f]+$", "", line.strip().split(" ", 1)[-1]) for line in lines[1:]]
        yield (head.group(1) if head else "?"), (int(head.group(2)) if head else 0), frames


def main():
    args = sys.argv[1:]
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    runs = [(args[i], int(args[i + 1]), list(samples(args[i]))) for i in range(0, len(args), 2)]
    print("| µs of server CPU per request | " + " | ".join(path.rsplit("/", 1)[-1] for path, _, _ in runs) + " |")
    print("|---|" + "---:|" * len(runs))

    def row(name, keep):
        cells = [sum(period for comm, period, frames in s if keep(comm, frames)) / 1000.0 / requests for _, requests, s in runs]
        print(f"| {name} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")

    row("**total**", lambda comm, frames: True)
    for name, prefix in THREADS:
        row(name, lambda comm, frames, prefix=prefix: prefix in comm)
    for name, pattern in PARTS:
        rx = re.compile(pattern)
        row(name, lambda comm, frames, rx=rx: any(rx.search(f) for f in frames))


if __name__ == "__main__":
    main()
