#!/usr/bin/env python3
"""Run a command; print its CPU seconds, peak RSS and wall time as JSON on stderr's last line.

Usage: cputime.py OUTFILE -- COMMAND...   (the command's stdout goes to OUTFILE)
"""
import json
import resource
import subprocess
import sys
import time

out_path = sys.argv[1]
cmd = sys.argv[sys.argv.index("--") + 1:]
start = time.monotonic()
with open(out_path, "w") as out:
    code = subprocess.call(cmd, stdout=out)
wall = time.monotonic() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit": code, "user": r.ru_utime, "sys": r.ru_stime, "cpu": r.ru_utime + r.ru_stime,
                  "max_rss_kb": r.ru_maxrss, "wall": wall}))
