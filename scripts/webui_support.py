"""What scripts/web-ui-browser.py and scripts/web-ui-cli.py share: free ports, the counted checks, the
target service on 127.0.0.1 and form posts to the web UI's API (python3 standard library only)."""
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

failures = []
_printing = threading.Lock()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def check(ok, what):
    """Prints ok/FAIL for one check (thread-safe) and remembers failures for finish()."""
    with _printing:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            failures.append(what)
    return ok


def wait_for(condition, seconds=20, what="condition"):
    """condition()'s first truthy value, asked every 0.1 s (exceptions count as not yet); AssertionError
    naming `what` after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # a page re-rendering, a server not listening yet
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def finish(name):
    """Exits 1 when a check failed."""
    if failures:
        print("%s: %d check(s) FAILED" % (name, len(failures)))
        sys.exit(1)
    print("%s: all checks passed" % name)


class Target(BaseHTTPRequestHandler):
    """The service under load: answers every GET with a small body, keep-alive."""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes
    hits = 0

    def do_GET(self):
        Target.hits += 1
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TargetServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a generator that stops drops its connections mid-request (stop_timeout 0): not news


def start_target():
    """The target on a free port, served from a thread: (server, base URL without a trailing slash)."""
    server = TargetServer(("127.0.0.1", free_port()), Target)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def api(base, path, data=None, method=None):
    """(status, body) of a request; `data` is posted as a form; status 0 when nothing listens."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, method=method or ("POST" if data is not None else "GET"))
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return 0, str(e)
