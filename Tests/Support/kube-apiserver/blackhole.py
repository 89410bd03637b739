#!/usr/bin/env python3
"""A TCP port that never completes a connection, for connect-timeout tests.

    python3 blackhole.py

It listens with a backlog of one and fills that backlog itself, so the kernel drops the SYNs of
every further client, as a firewall dropping packets would. Prints `READY <port>`; exits when its
stdin reaches EOF."""
import os
import socket
import sys

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(0)
port = listener.getsockname()[1]
fillers = []
for _ in range(4):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(s)
print(f"READY {port}", flush=True)
sys.stdin.buffer.read()
os._exit(0)
