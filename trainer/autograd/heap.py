"""Keep freed numpy buffers in the process heap instead of handing them back to the OS at once (glibc only).

glibc's malloc returns the top of the heap to the OS once more than ~1 MiB of it is free, and serves
arrays above its mmap threshold with fresh pages: an engine that allocates and frees the same few
hundred-KiB temporaries every step (a convolution's columns and gradients) then page-faults them in
again every step, which cost a small CNN a third of its step time. Raising both thresholds once keeps
up to `TRIM` bytes of freed heap for reuse. `TRAINER_MALLOC=system` leaves glibc's defaults alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
TRIM = 64 * 1024 * 1024  # free heap kept for reuse
MMAP = 16 * 1024 * 1024  # larger allocations still get their own mappings, returned at once when freed


def keep_freed_memory() -> bool:
    """Raise glibc's trim and mmap thresholds; False where that is not glibc or it is switched off."""
    if not sys.platform.startswith("linux") or os.environ.get("TRAINER_MALLOC") == "system":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM)) and bool(mallopt(M_MMAP_THRESHOLD, MMAP))


KEPT = keep_freed_memory()
