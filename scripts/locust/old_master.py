"""A fake Locust 1.x master for scripts/test-locust: a ZeroMQ ROUTER (pyzmq, from Locust's own
dependencies) that answers client_ready with a 1.x-style spawn message (num_users, no
user_classes_count). firedrill worker must refuse it with a clear error.

Usage: old_master.py PORT_FILE
"""
import sys

import msgpack
import zmq

ctx = zmq.Context()
sock = ctx.socket(zmq.ROUTER)
port = sock.bind_to_random_port("tcp://127.0.0.1")
with open(sys.argv[1], "w") as f:
    f.write(str(port))
while True:
    ident, data = sock.recv_multipart()
    kind, _, node = msgpack.loads(data, raw=False)
    if kind == "client_ready":
        job = {"num_users": 5, "spawn_rate": 1, "host": "", "stop_timeout": None}
        sock.send_multipart([ident, msgpack.dumps(("spawn", job, node))])
