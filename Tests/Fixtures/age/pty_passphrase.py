#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its passphrase prompts.

Usage: pty_passphrase.py PASSPHRASE COMMAND [ARG...]
Every prompt line mentioning "passphrase" and ending in ": " (age asks once to decrypt, twice
to encrypt) gets PASSPHRASE and a newline. Exits with the command's status and copies what the
command wrote to the terminal to stderr; data must go through files (-o), not the terminal.
"""
import os, pty, re, select, signal, sys, time

signal.pthread_sigmask(signal.SIG_SETMASK, set())  # a Swift Testing parent blocks signals
passphrase, command = sys.argv[1].encode(), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

prompt = re.compile(rb"passphrase[^\r\n]*: ", re.IGNORECASE)
seen, answered, deadline = b"", 0, time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    seen += chunk
    while answered < len(prompt.findall(seen)):
        os.write(fd, passphrase + b"\n")
        answered += 1
else:
    os.kill(pid, signal.SIGKILL)

_, status = os.waitpid(pid, 0)
sys.stderr.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
