#!/usr/bin/env python3
"""Checks of the monitoring-as-code files that promtool and amtool do not make themselves.

Called by scripts/test-monitoring (needs PyYAML):
  monitoring-checks.py static              structure of alerts, their tests, configs, dashboards, runbooks
  monitoring-checks.py mutants             the alert tests catch a loosened threshold, a shortened
                                           `for:` and a dropped job filter, for every alert
  monitoring-checks.py compose COMPOSE     `docker compose config` passes and every mounted/referenced file exists
  monitoring-checks.py alertmanager        a live Alertmanager (loopback) routes, inhibits and delivers as designed
Each prints what it checked and exits non-zero on the first group of failures.
"""
import concurrent.futures
import copy
import glob
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEVERITIES = {"critical", "major", "medium", "none"}
# The incident report's alerts and severities (issue 6).
REQUIRED_ALERTS = {
    "ModelAccuracyLow": ("major", "0.75"),
    "DataDriftHigh": ("medium", "0.2"),
    "HighLatencyP95": ("major", "0.5"),
    "HighErrorRate": ("critical", "0.01"),
    "MemoryNearLimit": (None, "0.9"),
    "ServiceDown": (None, None),
}
CONTRACT_JOBS = {"csv-analyzer", "node", "alertmanager", "firedrill"}
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
    "offset", "inf", "nan", "le",
}
EXTERNAL_METRIC_PREFIXES = ("node_", "alertmanager_", "prometheus_")
BUILTIN_METRICS = {"up", "ALERTS", "ALERTS_FOR_STATE"}


class Failures:
    def __init__(self, title):
        self.title, self.items = title, []

    def check(self, ok, message):
        if not ok:
            self.items.append(message)
        return ok

    def finish(self):
        if self.items:
            print(f"FAIL {self.title}:")
            for item in self.items:
                print(f"  - {item}")
            sys.exit(1)
        print(f"ok   {self.title}")


def load_yaml(name):
    with open(os.path.join(ROOT, name)) as f:
        return yaml.safe_load(f)


def alert_rules():
    return [r for g in load_yaml("alerts.yml")["groups"] for r in g["rules"] if "alert" in r]


def contract_metrics():
    """Metric names in DESIGN.md's "Metrics contract" section."""
    with open(os.path.join(ROOT, "DESIGN.md")) as f:
        text = f.read()
    section = text[text.index("## Metrics contract"):]
    names = set(re.findall(r"`([a-z_][a-z0-9_]*)(?:\{[^`]*\})?`", section))
    return {n for n in names if "_" in n}


def metric_names(expr):
    """Metric names a PromQL expression selects (a lexical approximation, good for these files)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)           # string literals
    e = re.sub(r"\{[^}]*\}", " ", e)                         # label matchers
    e = re.sub(r"\[[^\]]*\]", " ", e)                        # range selectors
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        word, rest = m.group(0), e[m.end():]
        if rest.lstrip().startswith("(") or word.lower() in PROMQL_WORDS:
            continue
        if re.fullmatch(r"\d+[smhdwy]", word) or word.startswith("$"):
            continue
        names.add(word)
    return names


def base_metric(name):
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def check_metric_names(fail, where, expr, contract):
    for name in metric_names(expr):
        if name in BUILTIN_METRICS or name.startswith(EXTERNAL_METRIC_PREFIXES):
            continue
        fail.check(base_metric(name) in contract, f"{where}: metric {name} is not in DESIGN.md's Metrics contract")


def dashboard_targets(dashboard):
    """(panel title, refId, expr) for every query of a dashboard, rows included, plus annotations."""
    out = []

    def walk(panels):
        for p in panels:
            if p.get("type") == "row":
                walk(p.get("panels", []))
                continue
            for t in p.get("targets", []):
                out.append((p.get("title", "?"), t.get("refId", "?"), t.get("expr", "")))

    walk(dashboard.get("panels", []))
    for a in dashboard.get("annotations", {}).get("list", []):
        if a.get("expr"):
            out.append((f"annotation {a.get('name')}", "-", a["expr"]))
    return out


# ---------------------------------------------------------------------------------------- static
def cmd_static():
    contract = contract_metrics()
    rules = alert_rules()
    names = [r["alert"] for r in rules]

    fail = Failures("alerts.yml: labels, annotations, runbooks, contract metric names")
    fail.check(len(names) == len(set(names)), "duplicate alert names")
    for r in rules:
        n, labels, ann = r["alert"], r.get("labels", {}), r.get("annotations", {})
        fail.check(labels.get("severity") in SEVERITIES, f"{n}: severity {labels.get('severity')!r} not in {sorted(SEVERITIES)}")
        fail.check(bool(labels.get("service")), f"{n}: no service label (inhibition groups on it)")
        for key in ("summary", "description", "runbook_url"):
            fail.check(bool(ann.get(key)), f"{n}: no {key} annotation")
        fail.check("$value" in ann.get("description", "") or ".Value" in ann.get("description", ""),
                   f"{n}: description does not show the live value ($value)")
        url = ann.get("runbook_url", "")
        fail.check(re.fullmatch(r"runbooks/[a-z0-9-]+\.md", url) is not None, f"{n}: runbook_url {url!r} is not runbooks/<name>.md")
        fail.check(os.path.isfile(os.path.join(ROOT, url)), f"{n}: runbook {url} does not exist")
        if n != "Watchdog":
            fail.check(bool(r.get("for")), f"{n}: no for: duration")
        check_metric_names(fail, f"alert {n}", r["expr"], contract)
    for n, (severity, threshold) in REQUIRED_ALERTS.items():
        rule = next((r for r in rules if r["alert"] == n), None)
        if not fail.check(rule is not None, f"required alert {n} missing"):
            continue
        if severity:
            fail.check(rule["labels"].get("severity") == severity, f"{n}: severity must be {severity}")
        if threshold:
            fail.check(re.search(rf"[<>]=?\s*{re.escape(threshold)}\b", rule["expr"]) is not None, f"{n}: threshold {threshold} not in expr")
    with open(os.path.join(ROOT, "runbooks", "README.md")) as f:
        index = f.read()
    for r in rules:
        fail.check(os.path.basename(r["annotations"].get("runbook_url", "?")) in index, f"runbooks/README.md does not list {r['alert']}")
    fail.finish()

    fail = Failures("alerts_test.yml: every alert fires after for:, is silent before it and below threshold, ignores other jobs")
    tests = load_yaml("alerts_test.yml")
    fail.check(tests.get("rule_files") == ["alerts.yml"], "rule_files must be [alerts.yml]")
    for r in rules:
        n = r["alert"]
        fires, silent_before, silent_group, other_job = False, False, False, False
        for group in tests["tests"]:
            cases = [c for c in group.get("alert_rule_test", []) if c["alertname"] == n]
            if not cases:
                continue
            firing = [c for c in cases if c.get("exp_alerts")]
            quiet = [c for c in cases if not c.get("exp_alerts")]
            if not firing:
                silent_group = silent_group or bool(quiet)
                continue
            fires = True
            first_fire = min(duration(c["eval_time"]) for c in firing)
            silent_before = silent_before or any(duration(c["eval_time"]) < first_fire for c in quiet)
            expected_jobs = {a.get("exp_labels", {}).get("job") for c in firing for a in c["exp_alerts"]}
            series_jobs = set(re.findall(r'job="([^"]+)"', " ".join(s["series"] for s in group.get("input_series", []))))
            other_job = other_job or bool(series_jobs - expected_jobs)
            if r.get("for"):
                fail.check(first_fire >= duration(r["for"]), f"{n}: expected firing at {firing[0]['eval_time']}, before its for: {r['for']}")
        fail.check(fires, f"{n}: no test where it fires")
        if n == "Watchdog":
            continue
        fail.check(silent_before, f"{n}: no test that it is silent before its for: elapses")
        fail.check(silent_group, f"{n}: no test that it is silent just below its threshold")
        fail.check(other_job, f"{n}: no firing test with another job's series that must be ignored")
    fail.finish()

    fail = Failures("prometheus.yml: contract job names, alerts.yml loaded, Alertmanager configured")
    prom = load_yaml("prometheus.yml")
    jobs = {s["job_name"] for s in prom["scrape_configs"]}
    fail.check(CONTRACT_JOBS <= jobs, f"missing jobs {sorted(CONTRACT_JOBS - jobs)}")
    fail.check("alerts.yml" in prom.get("rule_files", []), "alerts.yml not in rule_files")
    fail.check(bool(prom.get("alerting", {}).get("alertmanagers")), "no alertmanagers")
    fail.finish()

    fail = Failures("alertmanager.yml: secrets from files, receivers, inhibition critical → major by service")
    am = load_yaml("alertmanager.yml")
    text = open(os.path.join(ROOT, "alertmanager.yml")).read()
    for secret in re.findall(r"\w+_file:\s*(\S+)", text):
        fail.check(os.path.isfile(os.path.join(ROOT, secret)), f"secret file {secret} missing (placeholder expected)")
    for forbidden in ("api_url:", "auth_password:", "routing_key:", "service_key:"):
        fail.check(re.search(rf"^\s*(slack_)?(smtp_)?{forbidden}", text, re.M) is None, f"inline secret {forbidden} (use the _file form)")
    receivers = {r["name"]: r for r in am["receivers"]}
    fail.check({"critical", "team", "drill", "heartbeat"} <= set(receivers), f"receivers: {sorted(receivers)}")
    fail.check("pagerduty_configs" in receivers.get("critical", {}) and "slack_configs" in receivers.get("critical", {}),
               "critical receiver must page and post to Slack")
    fail.check("slack_configs" in receivers.get("team", {}) and "email_configs" in receivers.get("team", {}),
               "team receiver must post to Slack and e-mail")
    fail.check("webhook_configs" in receivers.get("drill", {}), "drill receiver must be a webhook")
    fail.check(any(r.get("source_matchers") == ['severity="critical"'] and r.get("target_matchers") == ['severity="major"']
                   and "service" in r.get("equal", []) for r in am.get("inhibit_rules", [])), "no inhibit rule critical → major, equal [service]")
    fail.finish()

    fail = Failures("grafana: provisioning, dashboards, panel queries use contract metrics")
    ds = yaml.safe_load(open(os.path.join(ROOT, "grafana/provisioning/datasources/prometheus.yml")))
    uids = {d["uid"] for d in ds["datasources"]}
    provider = yaml.safe_load(open(os.path.join(ROOT, "grafana/provisioning/dashboards/firedrill.yml")))
    fail.check(bool(provider["providers"]), "no dashboard provider")
    need = {
        "csv_analyzer.json": ["http_requests_total", "http_request_duration_seconds_bucket", "csv_analyzer_resident_memory_bytes",
                              "process_memory_limit_bytes", "csv_analyzer_worker_resident_memory_bytes", "process_cpu_seconds_total",
                              "csv_analyzer_workers", "csv_analyzer_worker_restarts_total", "csv_analyzer_fault_active",
                              "model_accuracy", "model_live_accuracy", "feature_psi", "ALERTS"],
        "firedrill_load.json": ["firedrill_users", "firedrill_requests_total", "firedrill_failures_total",
                                "firedrill_request_duration_seconds_bucket", "http_requests_total"],
    }
    lines = {"csv_analyzer.json": {0.01, 0.5, 0.9, 0.6, 0.75, 0.2}, "firedrill_load.json": {0.01, 0.5}}
    for name in need:
        path = os.path.join(ROOT, "grafana/dashboards", name)
        if not fail.check(os.path.isfile(path), f"{name} missing"):
            continue
        dash = json.load(open(path))
        ids = []
        steps = set()

        def walk(panels):
            for p in panels:
                ids.append(p.get("id"))
                if p.get("type") == "row":
                    walk(p.get("panels", []))
                    continue
                fail.check(p.get("datasource", {}).get("uid") in uids, f"{name}: panel {p.get('title')!r} datasource not provisioned")
                fail.check(bool(p.get("targets")), f"{name}: panel {p.get('title')!r} has no query")
                for s in p.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps", []):
                    if s.get("value") is not None:
                        steps.add(s["value"])

        walk(dash["panels"])
        fail.check(len(ids) == len(set(ids)), f"{name}: duplicate panel ids")
        fail.check(bool(dash.get("uid")), f"{name}: no uid")
        exprs = " ".join(e for _, _, e in dashboard_targets(dash))
        for metric in need[name]:
            fail.check(re.search(rf"\b{metric}\b", exprs) is not None, f"{name}: no panel queries {metric}")
        for line in lines[name]:
            fail.check(line in steps, f"{name}: no threshold line at {line}")
        for title, ref, expr in dashboard_targets(dash):
            fail.check(bool(expr.strip()), f"{name}: {title} {ref} has an empty query")
            check_metric_names(fail, f"{name}: {title} {ref}", expr, contract)
    fail.finish()


def duration(text):
    total = 0
    for n, unit in re.findall(r"(\d+)(ms|s|m|h|d)", str(text)):
        total += int(n) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    return total


# ---------------------------------------------------------------------------------------- mutants
def mutants():
    doc = load_yaml("alerts.yml")
    out = []
    for gi, group in enumerate(doc["groups"]):
        for ri, rule in enumerate(group["rules"]):
            name, expr = rule["alert"], rule["expr"].rstrip()
            if name == "Watchdog":
                continue
            m = copy.deepcopy(doc)
            m["groups"][gi]["rules"][ri]["for"] = f"{int(duration(rule['for']) // 2)}s"
            out.append((name, f"for: {rule['for']} halved", m))

            def loosen(match):
                op, num = match.group(1), match.group(2)
                if op == ">=":
                    return f">= {float(num) - 1:g}"
                return {">": ">=", "<": "<=", "==": ">=", "<=": "<"}[op] + num
            loosened = re.sub(r"(==|>=|<=|>|<)(\s*[0-9.]+)$", loosen, expr)
            if loosened == expr:
                loosened = re.sub(r"\n(\s*)<(\s)", r"\n\1<=\2", expr)
            if loosened != expr:
                m = copy.deepcopy(doc)
                m["groups"][gi]["rules"][ri]["expr"] = loosened
                out.append((name, "threshold loosened: " + loosened.splitlines()[-1].strip(), m))
            unfiltered = re.sub(r'job(=~?)"[^"]+"', 'job!=""', expr)
            if unfiltered != expr:
                m = copy.deepcopy(doc)
                m["groups"][gi]["rules"][ri]["expr"] = unfiltered
                out.append((name, "job filter dropped", m))
    return out


def cmd_mutants():
    tests = load_yaml("alerts_test.yml")
    fail = Failures("alerts_test.yml catches mutated rules (threshold loosened, for: halved, job filter dropped)")
    tmp = tempfile.mkdtemp(prefix="firedrill-mutants-")

    def run(index, name, doc):
        # Only the test groups that exercise this alert, to keep it quick; each mutant in its own folder.
        groups = [g for g in tests["tests"] if any(c["alertname"] == name for c in g.get("alert_rule_test", []))]
        sub = dict(tests, tests=[dict(g, alert_rule_test=[c for c in g["alert_rule_test"] if c["alertname"] == name]) for g in groups])
        folder = os.path.join(tmp, str(index))
        os.mkdir(folder)
        with open(os.path.join(folder, "alerts.yml"), "w") as f:
            yaml.safe_dump(doc, f, sort_keys=False)
        with open(os.path.join(folder, "alerts_test.yml"), "w") as f:
            yaml.safe_dump(sub, f, sort_keys=False)
        return subprocess.run(["promtool", "test", "rules", "alerts_test.yml"], cwd=folder, capture_output=True, text=True, timeout=120)

    # promtool's unit tests run on simulated time, so the mutants run side by side, one per core.
    found = mutants()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(lambda item: run(item[0], item[1][0], item[1][2]), enumerate(found)))
        for (name, what, _), r in zip(found, results):
            fail.check(r.returncode != 0, f"{name}: mutant survived ({what})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"     {len(found)} mutants, {len(found) - len(fail.items)} caught")
    fail.finish()


# ---------------------------------------------------------------------------------------- compose
def cmd_compose(compose_bin):
    fail = Failures("docker-compose.yml: `docker compose config` (all profiles), mounts and referenced files exist")
    base = [compose_bin, "--project-directory", ROOT, "-f", os.path.join(ROOT, "docker-compose.yml"), "--profile", "*"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "ALERTMANAGER_SECRETS_DIR"))}
    r = subprocess.run(base + ["config", "--quiet"], capture_output=True, text=True, env=env, timeout=120)
    if not fail.check(r.returncode == 0, f"compose config failed: {r.stderr.strip()}"):
        fail.finish()
    r = subprocess.run(base + ["config", "--format", "json"], capture_output=True, text=True, env=env, timeout=120)
    config = json.loads(r.stdout)
    services = config["services"]
    want = {"csv-analyzer", "postgres", "prometheus", "alertmanager", "grafana", "node-exporter", "mlflow", "firedrill"}
    fail.check(want <= set(services), f"services missing: {sorted(want - set(services))}")
    fail.check(services.get("firedrill", {}).get("profiles") == ["firedrill"], "firedrill must be a one-shot profile")
    dockerfile = open(os.path.join(ROOT, "Dockerfile")).read()
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", dockerfile, re.M | re.I))
    mounts = {}
    for name, svc in services.items():
        build = svc.get("build")
        if build:
            path = os.path.join(build["context"], build.get("dockerfile", "Dockerfile"))
            fail.check(os.path.isfile(path), f"{name}: {path} missing")
            if build.get("target"):
                fail.check(build["target"] in stages, f"{name}: Dockerfile has no stage {build['target']}")
        for port in svc.get("ports", []):
            fail.check(port.get("host_ip") == "127.0.0.1", f"{name}: port {port.get('published')} is not bound to 127.0.0.1")
        for v in svc.get("volumes", []):
            if v["type"] != "bind":
                continue
            mounts.setdefault(name, []).append((v["target"], v["source"]))
            if v.get("read_only"):
                fail.check(os.path.exists(v["source"]), f"{name}: read-only bind source {v['source']} does not exist")
            else:
                print(f"     {name}: writable bind {v['source']} (created on `up` if missing)")

    def host_path(service, container_path):
        best = None
        for target, source in mounts.get(service, []):
            if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
                if best is None or len(target) > len(best[0]):
                    best = (target, source)
        if best is None:
            return None
        return best[1] + container_path[len(best[0]):]

    def flag(service, name):
        for arg in services[service].get("command") or []:
            if arg.startswith(f"--{name}="):
                return arg.split("=", 1)[1]
        return None

    # Files the mounted configurations refer to, resolved inside each container.
    prom_cfg = flag("prometheus", "config.file")
    host = host_path("prometheus", prom_cfg)
    if fail.check(host and os.path.isfile(host), f"prometheus: {prom_cfg} not mounted from a file"):
        for rule_file in yaml.safe_load(open(host)).get("rule_files", []):
            inside = os.path.join(os.path.dirname(prom_cfg), rule_file)
            h = host_path("prometheus", inside)
            fail.check(h and glob.glob(h), f"prometheus: rule file {inside} is not mounted")
    am_cfg = flag("alertmanager", "config.file")
    host = host_path("alertmanager", am_cfg)
    if fail.check(host and os.path.isfile(host), f"alertmanager: {am_cfg} not mounted from a file"):
        text = open(host).read()
        refs = re.findall(r"\w+_file:\s*(\S+)", text) + yaml.safe_load(text).get("templates", [])
        for ref in refs:
            inside = os.path.join(os.path.dirname(am_cfg), ref)
            h = host_path("alertmanager", inside)
            fail.check(h and glob.glob(h), f"alertmanager: {inside} is not mounted")
    provisioning = host_path("grafana", "/etc/grafana/provisioning")
    if fail.check(provisioning and os.path.isdir(provisioning), "grafana: /etc/grafana/provisioning not mounted"):
        for f in glob.glob(os.path.join(provisioning, "dashboards", "*.yml")):
            for p in yaml.safe_load(open(f)).get("providers", []):
                inside = p["options"]["path"]
                h = host_path("grafana", inside)
                fail.check(h and glob.glob(os.path.join(h, "*.json")), f"grafana: dashboards path {inside} not mounted or empty")
        home = services["grafana"].get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
        if home:
            h = host_path("grafana", home)
            fail.check(h and os.path.isfile(h), f"grafana: home dashboard {home} not mounted")
    prom = yaml.safe_load(open(os.path.join(ROOT, "prometheus.yml")))
    for sc in prom["scrape_configs"]:
        for target in (t for s in sc.get("static_configs", []) for t in s["targets"]):
            hostname = target.split(":")[0]
            fail.check(hostname == "localhost" or hostname in services, f"prometheus.yml job {sc['job_name']}: {target} is no compose service")
    for arg in services["firedrill"].get("command") or []:
        if arg.startswith("/scenarios/"):
            h = host_path("firedrill", arg)
            fail.check(h and os.path.isfile(h), f"firedrill: {arg} not mounted")
    fail.finish()


# ---------------------------------------------------------------------------------------- alertmanager (live)
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(method, url, body=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def cmd_alertmanager():
    fail = Failures("live Alertmanager: routing by severity, critical inhibits major of the same service, drill webhook delivery")
    tmp = tempfile.mkdtemp(prefix="firedrill-am-")
    received = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    port = free_port()
    proc = None

    def stop(*_):
        raise SystemExit(130)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        # A copy whose drill webhook is ours (never a real drill runner's) and whose other
        # receivers point nowhere reachable; templates and secrets stay the repository's.
        text = open(os.path.join(ROOT, "alertmanager.yml")).read()
        text = text.replace("http://127.0.0.1:9099/alerts", f"http://127.0.0.1:{hook.server_port}/alerts")
        with open(os.path.join(tmp, "alertmanager.yml"), "w") as f:
            f.write(text)
        os.symlink(os.path.join(ROOT, "alertmanager"), os.path.join(tmp, "alertmanager"))
        log = open(os.path.join(tmp, "alertmanager.log"), "w")
        proc = subprocess.Popen(
            ["prometheus-alertmanager" if shutil.which("prometheus-alertmanager") else "alertmanager",
             "--config.file=alertmanager.yml", f"--storage.path={tmp}/data",
             f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
            cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 15
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/ready", timeout=1)
                break
            except (urllib.error.URLError, OSError):
                if time.time() > deadline or proc.poll() is not None:
                    print(open(os.path.join(tmp, "alertmanager.log")).read())
                    fail.check(False, "Alertmanager did not become ready in 15 s")
                    fail.finish()
                time.sleep(0.1)

        def alert(name, **labels):
            return {"labels": {"alertname": name, **labels}, "annotations": {"summary": name, "description": "test",
                                                                              "runbook_url": "runbooks/x.md"}}
        http_json("POST", f"{base}/api/v2/alerts", [
            alert("HighErrorRate", severity="critical", service="csv-analyzer", job="csv-analyzer"),
            alert("HighLatencyP95", severity="major", service="csv-analyzer", job="csv-analyzer"),
            alert("DataDriftHigh", severity="medium", service="csv-analyzer", job="csv-analyzer", model="m1"),
            alert("HostDiskSpaceLow", severity="major", service="host", job="node"),
            alert("Watchdog", severity="none", service="monitoring"),
            alert("HighErrorRate", severity="critical", service="csv-analyzer", job="csv-analyzer", drill="true"),
            # A drill's critical alert must not silence production's major alerts.
            alert("ServiceDown", severity="critical", service="host", drill="true"),
        ])
        expect = {  # (alertname, drill) → (receivers, suppressed?)
            ("HighErrorRate", None): ({"critical"}, False),
            ("HighLatencyP95", None): ({"team"}, True),
            ("DataDriftHigh", None): ({"team"}, False),
            ("HostDiskSpaceLow", None): ({"team"}, False),
            ("Watchdog", None): ({"heartbeat"}, False),
            ("HighErrorRate", "true"): ({"drill"}, False),
            ("ServiceDown", "true"): ({"drill"}, False),
        }
        deadline = time.time() + 10
        while True:
            alerts = http_json("GET", f"{base}/api/v2/alerts")
            got = {(a["labels"]["alertname"], a["labels"].get("drill")):
                   ({r["name"] for r in a["receivers"]}, a["status"]["state"] == "suppressed", a["status"]["inhibitedBy"])
                   for a in alerts}
            settled = len(got) == len(expect) and got[("HighLatencyP95", None)][1] and received
            if settled or time.time() > deadline:
                break
            time.sleep(0.2)
        for key, (receivers, suppressed) in expect.items():
            if not fail.check(key in got, f"{key[0]} (drill={key[1]}) not in Alertmanager"):
                continue
            fail.check(got[key][0] == receivers, f"{key[0]} (drill={key[1]}): receivers {sorted(got[key][0])}, expected {sorted(receivers)}")
            fail.check(got[key][1] == suppressed, f"{key[0]} (drill={key[1]}): suppressed={got[key][1]}, expected {suppressed}")
            print(f"     {key[0]:<17} drill={key[1] or '-':<4} → {','.join(sorted(got[key][0])):<9} "
                  f"{'inhibited by ' + str(len(got[key][2])) + ' alert(s)' if got[key][1] else 'active'}")
        delivered = [a["labels"] for payload in received for a in payload.get("alerts", [])]
        fail.check(any(lbl.get("drill") == "true" for lbl in delivered), "the drill alert did not reach the drill webhook")
        fail.check(all(lbl.get("drill") == "true" for lbl in delivered), f"non-drill alerts reached the drill webhook: {delivered}")
        if delivered:
            print(f"     drill webhook received {len(delivered)} alert(s), all labelled drill=\"true\"")
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        hook.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    fail.finish()


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(64)
    cmd = sys.argv[1]
    if cmd == "static":
        cmd_static()
    elif cmd == "mutants":
        cmd_mutants()
    elif cmd == "compose" and len(sys.argv) == 3:
        cmd_compose(sys.argv[2])
    elif cmd == "alertmanager":
        cmd_alertmanager()
    else:
        print(__doc__)
        sys.exit(64)


if __name__ == "__main__":
    main()
