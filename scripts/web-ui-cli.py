"""`firedrill load --web` from the command line, without a browser (python3 standard library only; called by
scripts/test-web-ui):

- `--start-at` without `--autostart` is refused (exit 64 naming --autostart); with it, the test waits for
  that moment (`/swarm` before it answers 409 naming start_at), then starts by itself;
- `--metrics-port` is served beside the web UI: /metrics answers before the first test and counts its requests;
- web mode exits cleanly, again and again (autoquit and Ctrl-C, with live streams open): NIO's "Cannot
  schedule tasks on an EventLoop that has already shut down" never shows on stderr.

Usage: web-ui-cli.py FIREDRILL_BIN ARTIFACT_DIR
Everything listens on 127.0.0.1 with free ports; the processes it starts are stopped by PID.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from webui_support import api, check, finish, free_port, start_target
from webui_support import wait_for as support_wait_for

FIREDRILL, ARTIFACTS = sys.argv[1], sys.argv[2]
NIO_SHUTDOWN_ERROR = "Cannot schedule tasks on an EventLoop that has already shut down"
EXIT_ROUNDS = 8


def wait_for(condition, seconds=20):
    """webui_support.wait_for, None on timeout (the caller's check names what failed)."""
    try:
        return support_wait_for(condition, seconds)
    except AssertionError:
        return None


def metric(text, name):
    """Sum of a family's samples in Prometheus text."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + " ") or line.startswith(name + "{"))


def listen_stream(base, stop):
    """A browser's live stream (/stream), held open until the process goes away."""
    try:
        with urllib.request.urlopen(base + "/stream", timeout=30) as r:
            while not stop.is_set() and r.readline():
                pass
    except Exception:
        pass


def run(args, name, during=None, interrupt_after=None):
    """Runs firedrill with `args`; `during(base)` runs once its API answers; returns (exit code, stderr)."""
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    err_path = os.path.join(ARTIFACTS, "cli-%s.stderr" % name)
    with open(os.path.join(ARTIFACTS, "cli-%s.stdout" % name), "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen([FIREDRILL] + args + ["--web-port", str(port)], stdout=out, stderr=err,
                             start_new_session=True)
        try:
            check(wait_for(lambda: api(base, "/stats/requests")[0] == 200) is not None, name + ": the API answers")
            stop = threading.Event()
            for _ in range(2):
                threading.Thread(target=listen_stream, args=(base, stop), daemon=True).start()
            if during:
                during(base)
            if interrupt_after is not None:
                time.sleep(interrupt_after)
                os.kill(p.pid, signal.SIGINT)
            code = p.wait(60)
            stop.set()
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    return code, open(err_path).read()


def start_at(url):
    try:
        r = subprocess.run([FIREDRILL, "load", "--url", url, "--web", "--web-port", str(free_port()),
                            "--start-at", str(int(time.time()) + 60)], capture_output=True, text=True, timeout=20)
        check(r.returncode == 64 and "--autostart" in r.stderr,
              "--web --start-at without --autostart: exit %d, %s" % (r.returncode, r.stderr.strip()))
    except subprocess.TimeoutExpired:  # run() has killed it
        check(False, "--web --start-at without --autostart is refused (it served the page instead)")

    metrics_port = free_port()
    metrics = "http://127.0.0.1:%d/metrics" % metrics_port
    at = int(time.time()) + 5   # a whole second: the JSON's start_time has whole seconds
    summary = os.path.join(ARTIFACTS, "cli-start-at.json")
    seen = {}

    def during(base):
        state = json.loads(api(base, "/stats/requests")[1])["state"]
        check(state == "ready" and time.time() < at, "before --start-at the test waits (state %s)" % state)
        status, body = api(base, "/swarm", {"user_count": "1", "spawn_rate": "1"})
        field = json.loads(body).get("error", {}).get("field") if status == 409 else None
        check(field == "start_at", "/swarm before --start-at: %d naming %s" % (status, field))
        status, text = api(metrics, "")
        check(status == 200 and "firedrill_users 0" in text, "--metrics-port answers beside --web before the test")
        seen["requests"] = wait_for(lambda: metric(api(metrics, "")[1], "firedrill_requests_total"), 20)

    code, err = run(["load", "--url", url, "-u", "2", "-r", "10", "-t", "2s", "--wait", "0.02", "--web",
                     "--autostart", "--autoquit", "0", "--start-at", str(at), "--metrics-port", str(metrics_port),
                     "--json", summary], "start-at", during)
    check((seen.get("requests") or 0) > 0, "/metrics counts the web test's requests (%s)" % seen.get("requests"))
    check(code == 0, "--autostart --start-at --autoquit 0 exits 0 (%d)" % code)
    started = datetime.datetime.fromisoformat(json.load(open(summary))["summary"]["start_time"].replace("Z", "+00:00"))
    check(started.timestamp() >= at, "the test started at --start-at (start_time %s)" % started.isoformat())
    check(NIO_SHUTDOWN_ERROR not in err, "no NIO shutdown error at exit (start-at)")


def clean_exits(url):
    """EXIT_ROUNDS web-mode processes at once (half quit by --autoquit, half by Ctrl-C): side by side on a
    busy machine the shutdown race that printed NIO's error was most likely to show."""
    results = {}

    def one(i):
        if i % 2 == 0:
            results[i] = run(["load", "--url", url, "-u", "3", "-r", "30", "-t", "2s", "--wait", "0.01", "--web",
                              "--autostart", "--autoquit", "0"], "exit-%d" % i)
        else:
            results[i] = run(["load", "--url", url, "--wait", "0.01", "--web"], "exit-%d" % i,
                             during=lambda base: api(base, "/swarm", {"user_count": "3", "spawn_rate": "30"}),
                             interrupt_after=2.0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(EXIT_ROUNDS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(EXIT_ROUNDS):
        code, err = results.get(i, (-1, ""))
        how = "autoquit" if i % 2 == 0 else "Ctrl-C"
        check(code == 0 and NIO_SHUTDOWN_ERROR not in err,
              "exit %d of %d (%s): code %d, no NIO shutdown error on stderr" % (i + 1, EXIT_ROUNDS, how, code))


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    server, base = start_target()
    url = base + "/"
    try:
        start_at(url)
        clean_exits(url)
    finally:
        server.shutdown()
    finish("web UI CLI")


if __name__ == "__main__":
    main()
