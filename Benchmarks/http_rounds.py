#!/usr/bin/env python3
"""Alternating HTTP measurements with wrk, charged to the server's CPU time.

Usage: http_rounds.py CONFIG.json

CONFIG: {"duration": s, "rounds": n, "connections": 64, "warmup": 2,
         "targets": [{"label": "healthz", "url": "http://…/healthz", "lua": null | "file.lua",
                      "pid": server pid, "wrk_cpus": "1" | null, "server_cores": 1,
                      "flush_metrics": null | "http://…/metrics"}, …],
         "perf_out": null | "file", "perf_label": label to record ("*": every target, into file.LABEL),
         "ratio": null | {"numerator": label, "denominator": label, "metric": "req_per_cpu_s" | "capacity" | "req_per_s",
                          "goal": 0.8, "name": "predict / healthz"}}

`capacity` is requests per server CPU-second times `server_cores`: the rate the server would reach on
its cores if the load generator ran elsewhere (the honest figure on a machine whose cores the
generator shares with the server).

`cs/req` is the server's context switches (every thread, voluntary and involuntary) per request during
the run: each one is a hop between the event loop, Swift concurrency's threads and the store's
thread pool, the main cost a request adds beyond its own code.

`others` is the CPU time every other process on the machine used during a run (machine-wide busy
time from /proc/stat minus the server and wrk), `steal` the time the hypervisor gave to other guests:
a shared or oversubscribed machine shows there, and per-CPU-second figures drop with it (caches and
the sibling hyper-thread are shared).

Each round runs every target once, the order reversed every other round, so that a drift in the
machine's load hits all alike. Per measurement: requests (wrk), server CPU seconds (user + system
of the server process and all its descendants, from /proc) during the run and until the prediction
log has written what the run queued (`flush_metrics`), and how much of its cores the server used
during the run. Prints one line per measurement, the medians, and a last line
`RESULT {json}` that Benchmarks/run-all reads.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu(root):
    """CPU seconds of `root` and its descendants, and per pid."""
    parent, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    per, todo = {}, [root]
    while todo:
        pid = todo.pop()
        per[pid] = cpu.get(pid, 0.0)
        todo += [p for p, pp in parent.items() if pp == pid]
    return sum(per.values()), per


def context_switches(pid):
    """Context switches (voluntary + involuntary) of every thread of `pid` so far."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                total += sum(int(line.split()[1]) for line in f if "ctxt_switches:" in line)
        except (OSError, ValueError, IndexError):
            continue
    return total


def machine_cpu():
    """Machine-wide CPU seconds: (busy, steal) from /proc/stat (busy excludes idle, iowait and steal)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / TICKS, steal / TICKS


def metric_sum(url, pattern):
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    return sum(float(m.group(1)) for m in re.finditer(r"^" + pattern + r"(?:\{[^}]*\})? ([0-9.e+]+)$", text, re.M))


def wait_for_log(url, timeout=10.0):
    """Waits until the prediction log has written (or dropped) every prediction made so far."""
    deadline = time.monotonic() + timeout
    while True:
        made = metric_sum(url, "predictions_total")
        done = metric_sum(url, "csv_analyzer_prediction_log_written_total") + metric_sum(url, "csv_analyzer_prediction_log_dropped_total")
        if done >= made or time.monotonic() > deadline:
            return made, done
        time.sleep(0.05)


def wrk(target, duration, connections, latency=False):
    cmd = (["taskset", "-c", target["wrk_cpus"]] if target.get("wrk_cpus") else []) + ["wrk", "-t1", f"-c{connections}", f"-d{max(1, int(round(duration)))}s"]
    if latency:
        cmd.append("--latency")
    if target.get("lua"):
        cmd += ["-s", target["lua"]]
    cmd.append(target["url"])
    start = os.times()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    end = os.times()
    wrk_cpu = (end.children_user - start.children_user) + (end.children_system - start.children_system)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    return requests, int(non2xx.group(1)) if non2xx else 0, errors.group(1) if errors else "", wrk_cpu, p99.group(1) if p99 else "-"


def measure(target, duration, connections, perf_out=None):
    perf = None
    if perf_out:
        perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-g", "-F", "999", "-p", str(target["pid"]), "-o", perf_out,
                                 "--", "sleep", str(duration)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before, per_before = tree_cpu(target["pid"])
    switches_before = context_switches(target["pid"])
    machine_before = machine_cpu()
    t0 = time.monotonic()
    requests, non2xx, errors, wrk_cpu, p99 = wrk(target, duration, connections, latency=True)
    wall = time.monotonic() - t0
    during, per_during = tree_cpu(target["pid"])
    switches = context_switches(target["pid"]) - switches_before
    machine_after = machine_cpu()
    flushed = None
    if target.get("flush_metrics"):
        flushed = wait_for_log(target["flush_metrics"])
    after, _ = tree_cpu(target["pid"])
    if perf:
        perf.wait()
    cores = target.get("server_cores", 1)
    per_pid = {pid: per_during.get(pid, 0.0) - per_before.get(pid, 0.0) for pid in per_during}
    return {
        "label": target["label"], "requests": requests, "non2xx": non2xx, "socket_errors": errors,
        "wall": wall, "cpu_during": during - before, "cpu": after - before, "wrk_cpu": wrk_cpu, "p99": p99,
        "saturation": (during - before) / wall / cores, "per_pid": per_pid, "flushed": flushed,
        "others_cpu": (machine_after[0] - machine_before[0]) - (during - before) - wrk_cpu,
        "steal": machine_after[1] - machine_before[1], "switches_per_request": switches / max(1, requests),
        "req_per_cpu_s": requests / (after - before), "capacity": requests / (after - before) * cores, "req_per_s": requests / wall,
    }


def main():
    config = json.load(open(sys.argv[1]))
    duration, rounds, connections = config["duration"], config["rounds"], config.get("connections", 64)
    targets = config["targets"]
    for target in targets:  # warm-up: JIT-free, but caches, connection pools and the model load
        wrk(target, config.get("warmup", 2), connections)
        if target.get("flush_metrics"):
            wait_for_log(target["flush_metrics"])
    results = []
    print(f"{'round':>5}  {'target':<12} {'requests':>9} {'req/s':>8} {'server CPU-s':>12} {'busy':>6} {'req per CPU-s':>13} "
          f"{'wrk CPU-s':>9} {'others':>6} {'steal':>5} {'cs/req':>6} {'p99':>8}  non-2xx")
    for round_number in range(1, rounds + 1):
        order = targets if round_number % 2 else list(reversed(targets))
        for target in order:
            perf_out = None
            if round_number == 1 and config.get("perf_out"):
                if config.get("perf_label") == "*":
                    perf_out = f"{config['perf_out']}.{target['label']}"
                elif target["label"] == config.get("perf_label"):
                    perf_out = config["perf_out"]
            r = measure(target, duration, connections, perf_out)
            r["round"] = round_number
            results.append(r)
            print(f"{round_number:>5}  {r['label']:<12} {r['requests']:>9} {r['requests'] / r['wall']:>8.0f} {r['cpu']:>12.2f} "
                  f"{r['saturation'] * 100:>5.0f}% {r['requests'] / r['cpu']:>13.0f} {r['wrk_cpu']:>9.2f} {r['others_cpu']:>6.2f} {r['steal']:>5.2f} {r['switches_per_request']:>6.2f} {r['p99']:>8}  "
                  f"{r['non2xx']}{' socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''}", flush=True)
            if len(r["per_pid"]) > 1:
                split = ", ".join(f"pid {pid} {cpu:.2f}" for pid, cpu in sorted(r["per_pid"].items()))
                print(f"{'':>7} CPU-s by process: {split}", flush=True)
    summary = {"rounds": rounds, "duration": duration, "targets": {}}
    for target in targets:
        mine = [r for r in results if r["label"] == target["label"]]
        summary["targets"][target["label"]] = {
            "req_per_cpu_s": statistics.median(r["req_per_cpu_s"] for r in mine),
            "req_per_s": statistics.median(r["req_per_s"] for r in mine),
            "capacity": statistics.median(r["capacity"] for r in mine),
            "server_cores_busy": statistics.median(r["cpu_during"] / r["wall"] for r in mine),
            "saturation": min(r["saturation"] for r in mine),
            "wrk_cores_busy": statistics.median(r["wrk_cpu"] / r["wall"] for r in mine),
            "others_cores_busy": statistics.median(r["others_cpu"] / r["wall"] for r in mine),
            "non2xx": sum(r["non2xx"] for r in mine),
        }
    print("== medians over %d rounds of %g s" % (rounds, duration))
    for label, s in summary["targets"].items():
        print(f"{label:<12} {s['req_per_s']:>8.0f} req/s, {s['req_per_cpu_s']:>7.0f} per server CPU-second; server busy "
              f"{s['server_cores_busy']:.2f} cores (lowest saturation {s['saturation'] * 100:.0f}%), wrk {s['wrk_cores_busy']:.2f}, "
              f"other processes {s['others_cores_busy']:.2f}")
    if any(s["saturation"] < 0.9 for s in summary["targets"].values()):
        print("note: the server did not saturate its cores in every run (busy < 90 %): wrk or the machine's other load was the limit")
    ratio = config.get("ratio")
    out = {"targets": summary["targets"]}
    if ratio:
        per_round = []
        for n in range(1, rounds + 1):
            num = [r for r in results if r["round"] == n and r["label"] == ratio["numerator"]][0]
            den = [r for r in results if r["round"] == n and r["label"] == ratio["denominator"]][0]
            per_round.append(num[ratio["metric"]] / den[ratio["metric"]])
        median = statistics.median(per_round)
        goal = ratio.get("goal")
        verdict = "" if goal is None else f" (goal ≥ {goal}: {'met' if median >= goal else 'NOT met'})"
        print(f"{ratio.get('name', 'ratio')}, {ratio['metric']}, per round: " + " ".join(f"{x:.3f}" for x in per_round))
        # The middle half of the rounds: how far one round's figure can be trusted on this machine.
        quartiles = statistics.quantiles(per_round, n=4) if len(per_round) >= 2 else [median, median, median]
        spread = f"; middle half of the rounds {quartiles[0]:.3f}–{quartiles[2]:.3f}" if len(per_round) >= 4 else ""
        print(f"{ratio.get('name', 'ratio')}: median {median:.3f}{spread}{verdict}")
        out["ratio"] = {"name": ratio.get("name"), "metric": ratio["metric"], "per_round": per_round, "median": median,
                        "quartiles": [quartiles[0], quartiles[2]], "goal": goal}
    print("RESULT " + json.dumps({**out, "results": [{k: v for k, v in r.items() if k != "per_pid"} for r in results]}))


if __name__ == "__main__":
    main()
