"""`npz`: the user's own arrays `x` and `y`, loaded without pickle."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import UserError
from .files import FileSource, check_readable, encode_labels, unreadable
from .npz_headers import check_sizes
from .raw import Raw


def _load(file: Path, max_bytes: int | None = None) -> dict[str, np.ndarray]:
    check_readable(file)
    hint = "save with numpy.savez(path, x=..., y=...)"
    try:
        with file.open("rb") as f:
            if f.read(4) != b"PK\x03\x04":
                raise UserError(f"{file.name} is not an .npz archive", key="data.path", hint=hint)
            f.seek(0)
            if max_bytes is not None:
                check_sizes(file, f, max_bytes)
                f.seek(0)
            with np.load(f, allow_pickle=False) as archive:
                return {k: archive[k] for k in archive.files}
    except ValueError as exc:
        if "pickle" in str(exc):
            raise UserError(f"{file.name} holds Python objects, which are never loaded (allow_pickle=False)",
                            key="data.path", hint="save plain numeric arrays") from None
        raise UserError(f"{file.name} is not a valid .npz file: {exc}", key="data.path", hint=hint) from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise UserError(f"{file.name} is not a valid .npz file: {exc}", key="data.path", hint=hint) from None
    except OSError as exc:
        raise unreadable(file, exc) from None


def _numeric(name: str, a: np.ndarray, file: Path, ranks: tuple[int, ...] = (1, 2)) -> np.ndarray:
    """`a` as float64 rows: 1-D becomes one column; 3-D and 4-D inputs (n, C, L) / (n, C, H, W) keep their shape."""
    if a.dtype.kind not in "biuf":
        raise UserError(f"array '{name}' in {file.name} has dtype {a.dtype}, expected numbers", key="data.path")
    if a.ndim not in ranks:
        expected = "1-D or 2-D" if ranks == (1, 2) else "(n,), (n, d), (n, C, L) or (n, C, H, W)"
        raise UserError(f"array '{name}' in {file.name} has shape {a.shape}, expected {expected}", key="data.path")
    if a.size == 0:
        raise UserError(f"array '{name}' in {file.name} is empty (shape {a.shape})", key="data.path",
                        hint="give at least one row, and at least one column of inputs")
    a = a.astype(np.float64)
    a = a.reshape(len(a), -1) if a.ndim <= 2 else a
    if not np.isfinite(a).all():
        raise UserError(f"array '{name}' in {file.name} holds NaN or infinite values", key="data.path")
    return a


def npz(source: FileSource, path: str, task: Literal["auto", "regression", "classification"] = "auto") -> Raw:
    """Load arrays `x` (n, d), or images (n, C, H, W) / sequences (n, C, L), and `y` (n,) or (n, k) from an
    .npz archive (never with pickle); integer (or string) labels make classes when the loss wants them."""
    file = source.resolve(path)
    arrays = _load(file, source.max_bytes)
    missing = [k for k in ("x", "y") if k not in arrays]
    if missing:
        raise UserError(f"{file.name} has no array {' or '.join(map(repr, missing))}; "
                        f"it holds: {', '.join(sorted(arrays)) or 'nothing'}", key="data.path",
                        hint="save with numpy.savez(path, x=..., y=...)")
    x = _numeric("x", arrays["x"], file, ranks=(1, 2, 3, 4))
    y = arrays["y"]
    if len(y) != len(x):
        raise UserError(f"{file.name}: x has {len(x)} rows but y has {len(y)}", key="data.path")
    if len(x) == 0:
        raise UserError(f"{file.name} has no rows", key="data.path")
    if source.classification(task):
        if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
            raise UserError(f"class labels y in {file.name} have shape {y.shape}, expected (n,)", key="data.path")
        if y.dtype.kind not in "biufU":
            raise UserError(f"class labels y in {file.name} have dtype {y.dtype}", key="data.path")
        labels, n_classes, names = encode_labels(y.reshape(-1))
        return Raw(x, labels, n_classes, names)
    return Raw(x, _numeric("y", y, file))
