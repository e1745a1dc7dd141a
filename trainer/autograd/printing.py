"""Tensor printing as PyTorch does it, and the print options (`set_printoptions`) that steer it.

One formatter, built from the values that will be shown, picks integer, fixed or scientific
notation and a common width for every element; rows wrap at `linewidth`; a tensor of more than
`threshold` elements shows `edgeitems` entries at both ends of each dimension with `...` between.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .dtypes import bool_, display_name, get_default_dtype, int64


@dataclass
class PrintOptions:
    """The current print options (PyTorch's defaults)."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


OPTIONS = PrintOptions()
_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Set how tensors print, as `torch.set_printoptions`.

    `profile` ("default", "short" or "full") resets the four numeric options first; options given
    alongside it override the profile. `sci_mode` is always set: None lets each tensor choose.
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"unknown print profile {profile!r}; expected one of {sorted(_PROFILES)}")
        for key, value in _PROFILES[profile].items():
            setattr(OPTIONS, key, value)
    for key, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                       ("linewidth", linewidth)):
        if value is not None:
            setattr(OPTIONS, key, value)
    OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments `set_printoptions` accepts."""
    return asdict(OPTIONS)


@contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Print with other options inside a `with` block, restoring the previous ones after it."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _Formatter:
    """Formats each element of one tensor in the notation and width its shown values call for."""

    __slots__ = ("floating", "int_mode", "sci_mode", "width", "_spec")

    def __init__(self, shown: np.ndarray, opts: PrintOptions) -> None:
        self.floating = shown.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        self._spec = ".0f"
        flat = shown.reshape(-1)
        if not self.floating:
            self.width = max([1, *(len(str(v)) for v in flat.tolist())])
            return
        if flat.size > 64:  # numpy filters large tensors faster; Python is faster for the small ones
            values = flat[np.isfinite(flat) & (flat != 0)].tolist()
        else:
            values = [v for v in flat.tolist() if v != 0 and math.isfinite(v)]
        if not values:
            return
        magnitudes = [abs(v) for v in values]  # Python floats: the comparisons below run in float64
        low, high = min(magnitudes), max(magnitudes)
        self.int_mode = all(v == math.ceil(v) for v in values)
        if opts.sci_mode is None:
            self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        else:
            self.sci_mode = bool(opts.sci_mode)
        if self.sci_mode:
            self._spec = f".{opts.precision}e"
        elif not self.int_mode:
            self._spec = f".{opts.precision}f"
        extra = 1 if self.int_mode and not self.sci_mode else 0  # the `.` after a whole number
        spec = self._spec
        self.width = max(1, max(len(format(v, spec)) for v in set(values)) + extra)

    def __call__(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        else:
            text = format(value, self._spec)
            if self.int_mode and not self.sci_mode and math.isfinite(value):
                text += "."
        return text.rjust(self.width)


def _summary(a: np.ndarray, edge: int) -> np.ndarray:
    """The elements a summarized tensor shows: `edge` at both ends of each dimension longer than 2 * edge."""
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        return np.concatenate((a[:edge], a[-edge:])) if a.shape[0] > 2 * edge else a
    if not edge:
        return a[(slice(0, 0),) * a.ndim]
    index = [np.r_[0:edge, n - edge:n] if n > 2 * edge else np.arange(n) for n in a.shape]
    return a[np.ix_(*index)]


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter, opts: PrintOptions) -> str:
    per_line = max(1, math.floor((opts.linewidth - indent) / (fmt.width + 2)))
    edge = opts.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and a.shape[0] > 2 * edge:
        items = [*map(fmt, a[:edge].tolist()), " ...", *map(fmt, a[-edge:].tolist())]
    else:
        items = list(map(fmt, a.tolist()))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter, opts: PrintOptions) -> str:
    if a.ndim == 0:
        return fmt(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt, opts)
    n, edge = a.shape[0], opts.edgeitems
    if summarize and n > 2 * edge:
        rows = [*range(edge), None, *range(n - edge, n)]
    else:
        rows = list(range(n))
    parts = ["..." if i is None else _nested(a[i], indent + 1, summarize, fmt, opts) for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _with_suffixes(text: str, suffixes: list[str], indent: int, linewidth: int) -> str:
    """Append `, suffix` to the text, starting a new indented line where a suffix would pass `linewidth`."""
    out = [text]
    last = len(text) - text.rfind("\n") + 1  # PyTorch's measure of the last line (its length + 2)
    for suffix in suffixes:
        if last + len(suffix) + 2 > linewidth:
            out.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last += len(suffix) + 2
    out.append(")")
    return "".join(out)


def tensor_repr(data: np.ndarray, grad_fn: str | None = None, requires_grad: bool = False) -> str:
    """`tensor(...)` for an array, with PyTorch's suffixes: dtype when not a default one, size when
    empty (or nothing is shown), then `grad_fn=<name>` or `requires_grad=True`."""
    opts = OPTIONS
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    default = get_default_dtype()
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype != default:  # nothing shows whether an empty tensor holds integers
            suffixes.append(f"dtype={display_name(data.dtype)}")
        body = "[]"
    else:
        if not opts.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype not in (default, int64, bool_):
            suffixes.append(f"dtype={display_name(data.dtype)}")
        summarize = data.size > opts.threshold
        fmt = _Formatter(_summary(data, opts.edgeitems) if summarize else data, opts)
        body = _nested(data, indent, summarize, fmt, opts)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, indent, opts.linewidth)
