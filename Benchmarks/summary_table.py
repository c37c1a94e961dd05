#!/usr/bin/env python3
"""Prints BENCHMARKS.md's summary table from the outputs Benchmarks/run-all kept in DIR.

Usage: summary_table.py DIR [--smoke]   (--smoke: no goal verdicts; DIR/predict.txt, workers.txt, generator.txt, proxy.txt, ingest.txt,
train.txt, inprocess.txt). Reads each benchmark's own summary lines; a figure it cannot find is
shown as "not found" (the benchmark's output in DIR says why), never guessed.
"""
import json
import os
import re
import sys

out_dir = sys.argv[1]
smoke = "--smoke" in sys.argv[2:]


def text(name):
    path = os.path.join(out_dir, name + ".txt")
    return open(path, errors="replace").read() if os.path.exists(path) else ""


def result(name):
    lines = [l for l in text(name).splitlines() if l.startswith("RESULT ")]
    return json.loads(lines[-1][7:]) if lines else None


def last(pattern, source, flags=re.M | re.I):
    found = re.findall(pattern, source, flags)
    return found[-1] if found else None


rows = []  # (figure, goal, measured, verdict)


def verdict(value, goal, higher=True):
    if value is None or goal is None:
        return ""
    if smoke:
        return "(smoke)"
    return "met" if (value >= goal if higher else value <= goal) else "NOT met"


def spread(ratio):
    """`, rounds q1–q3`: the middle half of the per-round ratios, when the run had enough rounds."""
    q = ratio.get("quartiles")
    return f", rounds {q[0]:.2f}–{q[1]:.2f}" if q and len(ratio.get("per_round", [])) >= 4 else ""


predict = result("predict")
if predict and "ratio" in predict:
    t = predict["targets"]
    r = predict["ratio"]["median"]
    rows.append(("predict / GET /healthz, per server CPU-second (log on, SQLite)", "≥ 0.8",
                 f"{r:.2f}{spread(predict['ratio'])} ({t['predict']['req_per_cpu_s']:,.0f} vs {t['healthz']['req_per_cpu_s']:,.0f})", verdict(r, 0.8)))
else:
    rows.append(("predict / GET /healthz, per server CPU-second (log on, SQLite)", "≥ 0.8", "not found", ""))

workers = result("workers")
if workers and "ratio" in workers:
    t = workers["targets"]
    r = workers["ratio"]["median"]
    raw = t["2 workers"]["req_per_s"] / t["1 worker"]["req_per_s"]
    rows.append(("--workers 2 / --workers 1, predictions/s on 2 cores (capacity)", "≥ 1.7",
                 f"{r:.2f} (raw req/s {raw:.2f} with wrk on the same cores)", verdict(r, 1.7)))
else:
    rows.append(("--workers 2 / --workers 1, predictions/s on 2 cores (capacity)", "≥ 1.7", "not found", ""))

generator = text("generator")
ratio = last(r"median[^\n]*?ratio[^\n]*?([0-9]+\.[0-9]+)", generator) or last(r"^median[^\n]*?([0-9]+\.[0-9]+)\s*$", generator)
kib = last(r"([0-9]+(?:\.[0-9]+)?)\s*KiB per (?:idle )?user", generator) or last(r"KiB per (?:idle )?user[^0-9\n]*([0-9]+(?:\.[0-9]+)?)", generator)
rows.append(("firedrill load / wrk, requests per CPU-second", "≥ 1.0",
             ratio if ratio else "not found", verdict(float(ratio), 1.0) if ratio else ""))
rows.append(("firedrill load memory per idle user (10,000 users)", "≤ 4 KiB",
             f"{kib} KiB" if kib else "not found", verdict(float(kib), 4.0, higher=False) if kib else ""))

proxy = text("proxy")
# firedrill's median lines only (HAProxy's reference lines follow them): own-core first, shared last.
layouts = dict(re.findall(r"== (own-core|shared): medians[^\n]*\n(?:[^\n]*\n)*?\s*firedrill\s+([^\n]*)", proxy))
def proxy_figure(layout, pattern):
    m = re.search(pattern, layouts.get(layout, ""))
    return m.group(1) if m else None
added = proxy_figure("shared", r"added\s+(-?[0-9.]+)\s*µs") or last(r"added\s+(-?[0-9.]+)\s*µs", proxy)
through = proxy_figure("shared", r"→\s*([0-9.]+)×") or last(r"→\s*([0-9.]+)×", proxy)
own = proxy_figure("own-core", r"→\s*([0-9.]+)×")
rows.append(("fault proxy, added p50 latency (1 connection, shared CPUs)", "< 50 µs",
             f"{added} µs" if added else "not found", verdict(float(added), 50, higher=False) if added else ""))
# Judged with the proxy on a core of its own; the shared layout is CPU-bound for any proxy and shown.
rows.append(("fault proxy, throughput proxied / direct (64 connections; proxy on its own core, shared CPUs)", "≥ 0.8",
             (f"{own}× own core" if own else "own core not run") + (f", {through}× shared" if through else ""),
             verdict(float(own), 0.8) if own else ""))

ingest = text("ingest")
mbps = last(r"CSVDataset\.load[^\n]*?best ([0-9.]+) MB/s[^\n]*?median ([0-9.]+) MB/s", ingest)
rows.append(("CSV ingest, full load (best / median)", "≥ 100 MB/s",
             f"{mbps[0]} / {mbps[1]} MB/s" if mbps else "not found", verdict(float(mbps[1]), 100) if mbps else ""))

train = text("train")
forest = last(r"^\s*random_forest\b[^\n]*", train)
logistic = last(r"^\s*logistic_regression\b[^\n]*", train)
forest_wall = None
if forest:  # algorithm target train test wall-s cpu-s score…
    fields = forest.split()
    forest_wall = float(fields[4]) if len(fields) > 4 and re.match(r"^[0-9.]+$", fields[4]) else None
rows.append(("training, random forest 100 trees (100k rows)", "≤ 8 s wall",
             " ".join(forest.split()) if forest else "not run (smoke) or not found",
             verdict(forest_wall, 8, higher=False) if forest_wall is not None else ""))
rows.append(("training, logistic regression", "—", " ".join(logistic.split()) if logistic else "not found", ""))

inprocess = text("inprocess")
lr = last(r"^\s*logistic_regression\b[^\n]*", inprocess)
median_us = None
if lr:
    m = re.search(r"median\s+([0-9.]+)\s*µs", lr)
    median_us = float(m.group(1)) if m else None
rows.append(("single-row predict in-process, logistic regression", "< 50 µs",
             " ".join(lr.split()) if lr else "not found", verdict(median_us, 50, higher=False) if median_us is not None else ""))

width = [max(len(r[i]) for r in rows + [("figure", "goal", "measured", "")]) for i in range(4)]
print(f"| {'figure':<{width[0]}} | {'goal':<{width[1]}} | {'measured':<{width[2]}} | {'':<{width[3]}} |")
print(f"|{'-' * (width[0] + 2)}|{'-' * (width[1] + 2)}|{'-' * (width[2] + 2)}|{'-' * (width[3] + 2)}|")
for r in rows:
    print(f"| {r[0]:<{width[0]}} | {r[1]:<{width[1]}} | {r[2]:<{width[2]}} | {r[3]:<{width[3]}} |")
