"""Which of a gunicorn master's workers hold a client's connection: those mid-request.

Standalone (standard library only) so that the worker-kill fault test can run the scan in a
process of its own, `python -m tests.procfs MASTER PORT`: in the test's process it competes for
the GIL with the load's threads, and a request of a few milliseconds is over before it looks.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def children(master: int) -> set[int]:
    """Return the pids of a process's children (a gunicorn master's workers)."""
    return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def holding(pids: set[int], port: int) -> set[int]:
    """Return the processes among `pids` holding an established connection to `port`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # ESTABLISHED, on the server's side
            inodes.add(f"socket:[{fields[9]}]")
    busy = set()
    if not inodes:
        return busy
    for pid in pids:
        try:
            links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:  # the worker just exited, or closed that descriptor
            continue
        if links & inodes:
            busy.add(pid)
    return busy


def kill_one_mid_request(master: int, port: int, seconds: float) -> int | None:
    """SIGKILL the first worker caught mid-request; return its pid (None if none in time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = holding(children(master), port)
        if busy:
            victim = min(busy)
            os.kill(victim, signal.SIGKILL)
            return victim
    return None


if __name__ == "__main__":
    found = kill_one_mid_request(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
    if found is None:
        sys.exit("no worker was caught mid-request")
    print(found)
