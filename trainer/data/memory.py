"""Memory sizes: the machine's physical memory, the default limit, bytes in human units, generated data's size."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import UserError

DEFAULT_FRACTION = 0.5  # without training.max_memory, a run may use half the machine's memory
FALLBACK_BYTES = 8 * 2**30  # assumed when the platform does not say how much memory it has


def physical_memory() -> int:
    """The machine's physical memory in bytes (8 GiB when the platform cannot tell)."""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_BYTES
    return pages * size if pages > 0 and size > 0 else FALLBACK_BYTES


def default_limit() -> int:
    """The memory a run may use when the config does not say: half the physical memory."""
    return int(physical_memory() * DEFAULT_FRACTION)


def format_bytes(n: float) -> str:
    """`14.9 GiB`, `512.0 MiB`, `300 B`."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


GENERATED_COPIES = 4  # float64 draws, targets, the shuffled and split copies, the cast


def check_generated_size(args: Mapping[str, Any], max_bytes: int | None) -> None:
    """A UserError, before anything is drawn, when a generator's `n` rows would not fit in `max_bytes`."""
    n = args.get("n")
    if max_bytes is None or not isinstance(n, int):
        return
    weights = args.get("weights")
    width = args.get("d_in") or (len(weights) if isinstance(weights, list) else 2)
    width += args.get("d_out") or 1
    need = n * width * 8 * GENERATED_COPIES
    if need > max_bytes:
        raise UserError(f"{n} rows of {width} columns need about {format_bytes(need)} to generate, over the memory "
                        f"limit of {format_bytes(max_bytes)}", key="data.n",
                        hint="use fewer rows, or raise training.max_memory if the machine has the memory")
