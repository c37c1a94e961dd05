"""A tiny HTTP server on 127.0.0.1 that counts the requests it answers (the test's ground truth).

Usage: count_server.py PORT_FILE   -- binds a free port, writes it to PORT_FILE, serves until SIGTERM.
GET /count answers the number of other requests served so far (not counted itself).
GET /sleep waits (n mod 50) ms, n being the request's number: latencies spread evenly over 0–49 ms.
"""
import http.server
import signal
import sys
import threading
import time

count = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global count
        if self.path == "/count":
            with lock:
                body = str(count).encode()
        else:
            with lock:
                count += 1
                n = count
            if self.path.startswith("/sleep"):
                time.sleep((n % 50) / 1000)
            body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024  # socketserver's default 5 refuses connections under load

    def handle_error(self, request, client_address):
        pass  # a SIGKILLed worker's connections reset: not the server's error


server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
