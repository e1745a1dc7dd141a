"""Memory sizes in a config: a number of bytes, or text such as `8GB`, `512MiB`, `1.5 GiB`."""

from __future__ import annotations

import math
import re
from typing import Any

UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
         "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*$")


def parse_memory(value: Any) -> Any:
    """Bytes from `8GB` (decimal), `512MiB` (binary) or a number; a ValueError naming the accepted forms."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number of bytes or a size such as '8GB', got {value!r}")
    if isinstance(value, int | float):
        number, unit = float(value), ""
    elif isinstance(value, str) and (match := _SIZE.match(value)) and match.group(2).lower() in UNITS:
        number, unit = float(match.group(1)), match.group(2).lower()
    else:
        raise ValueError(f"cannot read the memory size {value!r}; write a number of bytes or a size such as "
                         f"'8GB', '512MiB' (units: {', '.join(u for u in UNITS if u)}, any case)")
    total = number * UNITS[unit]
    if not math.isfinite(total) or total < 1:
        raise ValueError(f"a memory size must be at least 1 byte, got {value!r}")
    return int(total)
