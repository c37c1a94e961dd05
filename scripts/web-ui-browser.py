"""Drives `firedrill load --web` and `firedrill drill --web` in headless Chromium (Selenium), the way a
Locust user would, and checks the REST answers against a real Locust's. Called by scripts/test-web-ui.

Usage: web-ui-browser.py FIREDRILL_BIN ARTIFACT_DIR [--docs DIR]
Everything listens on 127.0.0.1 with free ports; the processes it starts are stopped by PID.
"""
import csv
import glob
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from webui_support import Target, api, check, finish, free_port, start_target, wait_for

FIREDRILL, ARTIFACTS = sys.argv[1], sys.argv[2]
DOCS = sys.argv[sys.argv.index("--docs") + 1] if "--docs" in sys.argv else None
STATS_HEADER = ("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
                "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
                "99.99%,100%")
started = []


def spawn(args, log):
    p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started.append(p)
    return p


def wait_http(url, seconds=20):
    wait_for(lambda: urllib.request.urlopen(url, timeout=2).status == 200, seconds, url)


def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2000", "--disable-gpu"]:
        options.add_argument(a)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def shot(driver, name):
    path = os.path.join(ARTIFACTS, name + ".png")
    driver.save_screenshot(path)
    print("     screenshot " + path, flush=True)
    return path


def text(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).get_attribute("textContent").strip()


def aggregated_requests(driver):
    return int(text(driver, '#stats-table tr.total td.num_requests').replace(",", ""))


def canvas_ink(driver, canvas_id):
    """Pixels drawn in a chart's colours (not the grid): proof that a line was drawn."""
    return driver.execute_script("""
        const c = document.getElementById(arguments[0]);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          const [r, g, b, a] = [d[i], d[i+1], d[i+2], d[i+3]];
          if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
        }
        return n;""", canvas_id)


def submit_form(driver, values, form="swarm-form", button="start"):
    for name, value in values.items():
        field = driver.find_element(By.ID, name)
        field.clear()
        field.send_keys(value)
    driver.find_element(By.ID, button).click()


def load_page(target_url, downloads):
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    log = open(os.path.join(ARTIFACTS, "firedrill-load.log"), "w")
    spawn([FIREDRILL, "load", "--url", target_url + "/", "--wait", "0.02-0.05", "--threshold", "p(95)<500ms",
           "--threshold", "rate<0.01", "--web", "--web-port", str(port)], log)
    wait_http(base + "/stats/requests")
    driver = browser(downloads)
    try:
        driver.get(base + "/")
        wait_for(lambda: text(driver, "#state") == "ready", what="state ready")
        shot(driver, "01-ready")

        # Bad input: a message on the page, a 4xx from the API, nothing starts.
        bad = [({"user_count": "-3", "spawn_rate": "1", "host": target_url}, "user_count"),
               ({"user_count": "2", "spawn_rate": "0", "host": target_url}, "spawn_rate"),
               ({"user_count": "2", "spawn_rate": "1", "host": "http://127.0.0.1:1"}, "host")]
        for values, field in bad:
            submit_form(driver, values)
            message = wait_for(lambda: text(driver, "#form-error"), what="error for " + field)
            check(message.startswith(field), "page shows the %s error: %s" % (field, message))
            status, body = api(base, "/swarm", values)
            check(400 <= status < 500 and json.loads(body)["error"]["field"] == field,
                  "API answers %d naming %s" % (status, field))
            check(json.loads(api(base, "/stats/requests")[1])["state"] == "ready", "nothing started")
            shot(driver, "02-bad-" + field)
        check(Target.hits == 0, "the target got no request from bad input")

        # Start, see the count rise and the charts drawn.
        submit_form(driver, {"user_count": "2", "spawn_rate": "20", "host": target_url, "run_time": ""})
        wait_for(lambda: text(driver, "#state") in ("spawning", "running"), what="state running")
        first = wait_for(lambda: aggregated_requests(driver), what="requests in the table")
        wait_for(lambda: aggregated_requests(driver) > first, what="the request count to rise")
        check(True, "request count rises in the table (%d → %d)" % (first, aggregated_requests(driver)))
        wait_for(lambda: int(driver.find_element(By.ID, "chart-rps").get_attribute("data-points")) >= 3,
                 what="three chart points")
        ink = canvas_ink(driver, "chart-rps")
        check(ink > 50, "the RPS chart has a line drawn (%d coloured pixels)" % ink)
        check(canvas_ink(driver, "chart-latency") > 50, "the latency chart has lines drawn")
        verdicts = [td.get_attribute("textContent") for td in
                    driver.find_elements(By.CSS_SELECTOR, "#thresholds-table td:last-child")]
        check(verdicts == ["pass", "pass"], "thresholds show their live verdict (%s)" % verdicts)
        shot(driver, "03-running")

        # Raise users while it runs.
        submit_form(driver, {"edit_user_count": "5", "edit_spawn_rate": "10"}, "edit-form", "edit-button")
        wait_for(lambda: text(driver, "#head-users") == "5", what="5 users")
        check(True, "users raised to 5 while running")
        wait_for(lambda: int(driver.find_element(By.ID, "chart-users").get_attribute("data-points")) >= 6,
                 what="six chart points")
        raised = shot(driver, "04-raised")

        # Stop.
        driver.find_element(By.ID, "stop").click()
        wait_for(lambda: text(driver, "#state") == "stopped", what="state stopped")
        check(True, "stopped from the page")
        stopped_count = aggregated_requests(driver)
        shot(driver, "05-stopped")

        # Download the stats CSV with the browser.
        driver.find_element(By.ID, "dl-stats").click()
        path = wait_for(lambda: [p for p in glob.glob(os.path.join(downloads, "requests_*.csv"))
                                 if not p.endswith(".crdownload")], what="the stats CSV download")[0]
        rows = list(csv.reader(open(path, newline="")))
        check(",".join(rows[0]) == STATS_HEADER, "downloaded CSV has Locust's header")
        check(rows[-1][1] == "Aggregated" and int(rows[-1][2]) == stopped_count,
              "downloaded CSV totals match the table (%s)" % rows[-1][2])
        if DOCS:
            import shutil
            shutil.copy(raised, os.path.join(DOCS, "web-ui-load.png"))
        return base
    finally:
        driver.quit()


def open_model_page(target_url, downloads):
    """An open-model test started from the page at 10/s, then changed to 40/s from the page while it runs."""
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    log = open(os.path.join(ARTIFACTS, "firedrill-open.log"), "w")
    proc = spawn([FIREDRILL, "load", "--url", target_url + "/", "--arrival-rate", "10", "-t", "60s", "--web",
                  "--web-port", str(port)], log)
    wait_http(base + "/stats/requests")
    driver = browser(downloads)
    try:
        driver.get(base + "/")
        wait_for(lambda: text(driver, "#state") == "ready", what="state ready")
        wait_for(lambda: driver.find_element(By.ID, "rate").is_displayed(), what="the open model's rate field")
        submit_form(driver, {"rate": "10", "host": target_url})
        wait_for(lambda: text(driver, "#state") == "running", what="the open-model test running")
        points = lambda: int(driver.find_element(By.ID, "chart-arrival").get_attribute("data-points"))
        wait_for(lambda: points() >= 3, what="three offered/achieved points")
        wait_for(lambda: driver.find_element(By.ID, "edit_rate").is_displayed(), what="the rate to change")
        changed_at = time.time()
        submit_form(driver, {"edit_rate": "40"}, "edit-form", "edit-button")
        live = lambda: json.loads(api(base, "/stats/live")[1])["arrival"]["currentTargetRate"]
        check(wait_for(lambda: live() == 40, what="the new rate") and text(driver, "#edit-error") == "",
              "the rate changed from the page while it runs (10 → 40 iterations/s)")
        wait_for(lambda: len([p for p in json.loads(api(base, "/stats/history")[1]) if p["time"] > changed_at + 1.5]) >= 3,
                 30, "three points at the new rate")
        history = json.loads(api(base, "/stats/history")[1])
        before = [p["offered"] for p in history[1:] if p["time"] < changed_at - 0.2]
        after = [p["offered"] for p in history if p["time"] > changed_at + 1.5]
        check(before and after and max(before) < 16 and sorted(after)[len(after) // 2] > 28,
              "the offered line follows: %s then %s" % ([round(x) for x in before], [round(x) for x in after]))
        check(canvas_ink(driver, "chart-arrival") > 50, "the offered/achieved chart has lines drawn")
        shot(driver, "08-open-rate-changed")
        driver.find_element(By.ID, "stop").click()
        wait_for(lambda: text(driver, "#state") == "stopped", what="state stopped")
    finally:
        driver.quit()
    os.killpg(proc.pid, signal.SIGINT)


DRILL = """# Web UI drill (written by scripts/test-web-ui)

```drill
title: Web UI drill — 5xx answers fire HighErrorRate
time_scale: 1/30
method:
  - start: {workers: 1}
  - seed: {models: 1}
  - load: {action: start, scenario: scenarios/predict-peak.yaml, users: 5, spawn_rate: 10}
  - name: half of the predictions answer HTTP 500
    fault: {action: set, type: errors, status: 500, probability: 0.5, route: "/api/models/{id}/predict", ttl: 10m}
  - expect_alert: {name: HighErrorRate, state: firing, within: 10m, notified: true}
  - name: hold the fault a few seconds for the charts
    wait: 150s
  - name: roll back
    act: {action: clear_fault}
  - load: {action: stop}
rollbacks:
  - load: {action: stop}
  - fault: {action: clear}
```
"""


def drill_page(downloads):
    """A short drill (local stack: csv-analyzer, Prometheus, Alertmanager) watched live, then its report."""
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    runbook = os.path.join(ARTIFACTS, "drill.md")
    with open(runbook, "w") as f:
        f.write(DRILL)
    log = open(os.path.join(ARTIFACTS, "firedrill-drill.log"), "w")
    proc = spawn([FIREDRILL, "drill", runbook, "--web", "--web-port", str(port), "--autoquit", "30",
                  "--report-dir", os.path.join(ARTIFACTS, "drill-report")], log)
    wait_http(base + "/drill/live", 30)
    driver = browser(downloads)
    try:
        driver.get(base + "/")
        wait_for(lambda: text(driver, "#state") == "running", 30, "the drill running")
        chip = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, '#alerts .alert[data-name="HighErrorRate"]'),
                        60, "the HighErrorRate alert on the page")
        check(True, "the alert shows on the page (%s)" % chip[0].get_attribute("data-state"))
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, '#alerts .alert[data-name="HighErrorRate"]')
                 .get_attribute("data-state") in ("firing", "notified"), 60, "HighErrorRate firing")
        check(True, "HighErrorRate reaches firing live")
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, '#alerts .alert[data-name="HighErrorRate"]')
                 .get_attribute("data-state") == "notified", 30, "HighErrorRate notified")
        check(True, "HighErrorRate shows as notified once the webhook has it")
        wait_for(lambda: "hold the fault" in text(driver, "#phase"), 60, "the current step")
        check(True, "the current step is shown: " + text(driver, "#phase"))
        kinds = [td.get_attribute("textContent") for td in driver.find_elements(By.CSS_SELECTOR, "#timeline-table td:nth-child(2)")]
        check("fault_injected" in kinds and "alert_firing" in kinds, "the timeline has the fault and the alert (%s)" % kinds)
        check(canvas_ink(driver, "chart-errors") > 20, "the 5xx chart has a line drawn")
        shot(driver, "06-drill-running")
        if DOCS:
            import shutil
            shutil.copy(os.path.join(ARTIFACTS, "06-drill-running.png"), os.path.join(DOCS, "web-ui-drill.png"))
        # At the end the same address is the report.
        wait_for(lambda: driver.title.startswith("firedrill drill report"), 60, "the report")
        check(driver.title.endswith("PASSED"), "the page became the drill's report: " + driver.title)
        shot(driver, "07-drill-report")
    finally:
        driver.quit()
    os.killpg(proc.pid, signal.SIGINT)


def command_line(target_url):
    """--web's flags: refused off loopback without --web-auth; FIREDRILL_WEB with --autostart/--autoquit
    runs the test from the flags, serves it while it runs and quits; --headless wins over --web."""
    r = subprocess.run([FIREDRILL, "load", "--url", target_url + "/", "--web", "--web-host", "0.0.0.0"],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 64 and "--web-auth" in r.stderr, "--web-host 0.0.0.0 without --web-auth: exit %d, %s"
          % (r.returncode, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""))
    port = free_port()
    summary = os.path.join(ARTIFACTS, "autostart.json")
    env = dict(os.environ, FIREDRILL_WEB="1", FIREDRILL_WEB_PORT=str(port))
    log = open(os.path.join(ARTIFACTS, "firedrill-autostart.log"), "w")
    proc = subprocess.Popen([FIREDRILL, "load", "--url", target_url + "/", "-u", "2", "-r", "10", "-t", "3s",
                             "--wait", "0.02", "--autostart", "--autoquit", "0", "--json", summary],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    started.append(proc)
    state = wait_for(lambda: json.loads(api("http://127.0.0.1:%d" % port, "/stats/requests")[1])["state"], 20,
                     "the autostarted test's API")
    check(state in ("spawning", "running"), "FIREDRILL_WEB=1 --autostart: the test runs at once (%s)" % state)
    code = proc.wait(30)
    requests = json.load(open(summary))["summary"]["stats"]["total"]["requests"]
    check(code == 0 and requests > 0, "--autoquit 0: quit with exit %d after the run, %d requests in --json" % (code, requests))
    r = subprocess.run([FIREDRILL, "load", "--url", target_url + "/", "-u", "1", "-t", "1s", "--web", "--headless",
                        "--web-port", str(port), "--only-summary"], capture_output=True, text=True, timeout=30)
    check(r.returncode == 0 and "web UI on" not in r.stdout, "--headless wins over --web")


def locust_shapes(target_url, ours):
    """Runs the real Locust web UI and compares its /stats/requests keys and CSV headers with ours."""
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    locustfile = os.path.join(ARTIFACTS, "locustfile.py")
    with open(locustfile, "w") as f:
        f.write("from locust import HttpUser, task, constant\n"
                "class U(HttpUser):\n    wait_time = constant(0.05)\n"
                "    @task\n    def root(self):\n        self.client.get('/')\n")
    log = open(os.path.join(ARTIFACTS, "locust.log"), "w")
    locust = os.path.join(os.path.dirname(sys.executable), "locust")
    spawn([locust, "-f", locustfile, "--web-host", "127.0.0.1", "--web-port", str(port), "-H", target_url], log)
    wait_http(base + "/", 40)
    status, _ = api(base, "/swarm", {"user_count": "1", "spawn_rate": "1", "host": target_url})
    check(status == 200, "real Locust accepted the same /swarm form")
    wait_for(lambda: json.loads(api(base, "/stats/requests")[1])["stats"][0]["num_requests"] > 0, 30, "Locust requests")
    theirs = json.loads(api(base, "/stats/requests")[1])
    mine = json.loads(api(ours, "/stats/requests")[1])
    missing = set(theirs) - set(mine)
    check(not missing, "firedrill's /stats/requests has every top-level key of Locust's (missing: %s)" % sorted(missing))
    missing_row = set(theirs["stats"][0]) - set(mine["stats"][0])
    check(not missing_row, "each stats row has every key of Locust's (missing: %s)" % sorted(missing_row))
    for path in ["/stats/requests/csv", "/stats/failures/csv", "/exceptions/csv"]:
        a = api(base, path)[1].splitlines()[0]
        b = api(ours, path)[1].splitlines()[0]
        check(a == b, "%s header matches Locust %s" % (path, a))
    api(base, "/stop")


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    downloads = os.path.join(ARTIFACTS, "downloads")
    os.makedirs(downloads, exist_ok=True)
    for old in glob.glob(os.path.join(downloads, "*")):
        os.remove(old)
    server, target_url = start_target()
    try:
        ours = load_page(target_url, downloads)
        locust_shapes(target_url, ours)
        open_model_page(target_url, downloads)
        command_line(target_url)
        drill_page(downloads)
    finally:
        for p in started:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGINT)
        for p in started:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        server.shutdown()
    finish("web UI")


if __name__ == "__main__":
    main()
