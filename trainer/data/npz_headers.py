"""An .npz archive's array shapes read from the .npy headers inside it, so a huge array is refused unloaded."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from typing import IO

import numpy as np
from numpy.lib import format as npy

from ..errors import UserError
from .memory import format_bytes

FLOAT_BYTES = 8  # arrays are converted to float64 once loaded


def array_headers(f: IO[bytes]) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """Name -> (shape, dtype) of every .npy member; members whose header cannot be read are left out."""
    out = {}
    with zipfile.ZipFile(f) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            try:
                with archive.open(info) as member:
                    version = npy.read_magic(member)
                    read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
                    shape, _, dtype = read(member)
            except (ValueError, OSError, zipfile.BadZipFile, EOFError):
                continue  # loading reports it
            out[info.filename.removesuffix(".npy")] = (tuple(shape), dtype)
    return out


def check_sizes(file: Path, f: IO[bytes], max_bytes: int) -> None:
    """A UserError when the arrays, loaded and converted to float64, would take more than `max_bytes`."""
    total, largest = 0, ("", (), 0)
    for name, (shape, dtype) in array_headers(f).items():
        size = math.prod(shape) * (dtype.itemsize + FLOAT_BYTES)
        total += size
        largest = max(largest, (name, shape, size), key=lambda t: t[2])
    if total > max_bytes:
        name, shape, size = largest
        raise UserError(f"{file.name} holds arrays that need about {format_bytes(total)} once loaded ('{name}' "
                        f"has shape {shape}, about {format_bytes(size)}), over the memory limit of "
                        f"{format_bytes(max_bytes)}", key="data.path",
                        hint="use a smaller file, or raise training.max_memory if the machine has the memory")
