"""Who owns an experiment (pid, host, process start) and whether that process still lives, read-only.

`trainer status` must tell a run that is training now from one whose experiment was killed, without
taking any lock: it asks the kernel (`/proc`) and never signals or locks anything. A process on
another host cannot be checked from here: its liveness is unknown (None).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any


def owner_note() -> dict[str, Any]:
    """This process as an experiment's owner: pid, host name and (on Linux) its start time in clock ticks."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": process_start(os.getpid())}


def process_start(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot, from /proc), so a reused pid is not mistaken for it."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()  # the command name may hold spaces and parentheses
    try:
        return int(fields[19])  # field 22 of stat, counted after pid and (comm)
    except (IndexError, ValueError):
        return None


def owner_alive(note: Any) -> bool | None:
    """Whether the process a `owner_note()` describes still runs: True, False, or None when it cannot be told."""
    if not isinstance(note, dict) or not isinstance(note.get("pid"), int):
        return None
    if note.get("host") != socket.gethostname():
        return None
    pid = note["pid"]
    if Path("/proc/self/stat").exists():
        started = process_start(pid)
        if started is None:
            return False
        return note.get("started") in (None, started)
    if os.name != "posix":  # os.kill(pid, 0) is not a harmless probe on Windows
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def flock_holders(path: str | os.PathLike[str]) -> set[int] | None:
    """The pids holding a `flock` on `path` on this machine (from /proc/locks, without locking); None if unknown."""
    try:
        st = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    holders = set()
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a waiter, not a holder
            continue
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == inode and parts[4].lstrip("-").isdigit():
            holders.add(int(parts[4]))
    return holders
