"""Anomaly mode: name the first op whose forward or backward produced NaN or inf.

`with detect_anomaly(): ...` swaps `Tensor._make` for a checking version for the duration of the
block, so normal training pays nothing for the feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .tensor import BackwardFn, Tensor

_plain_make = Tensor._make
_depth = [0]


class AnomalyError(RuntimeError):
    """An op produced a non-finite value from finite inputs (forward) or a non-finite gradient (backward)."""

    def __init__(self, op: str, phase: str, detail: str) -> None:
        super().__init__(f"anomaly detected: {op} {detail} in its {phase} pass")
        self.op = op
        self.phase = phase


def _finite(a: np.ndarray) -> bool:
    return a.dtype.kind != "f" or bool(np.isfinite(a).all())


def _kind(a: np.ndarray) -> str:
    return "nan" if np.isnan(a).any() else "inf"


def _checked_backward(backward: BackwardFn, op: str) -> BackwardFn:
    def checked(g: np.ndarray) -> Sequence[np.ndarray | None]:
        grads = backward(g)
        if _finite(g):
            for i, pg in enumerate(grads):
                if pg is not None and not _finite(np.asarray(pg)):
                    raise AnomalyError(f"{op}Backward", "backward",
                                       f"returned {_kind(np.asarray(pg))} values in its output {i}")
        return grads

    return checked


def _checked_make(data: np.ndarray, parents: tuple[Tensor, ...], backward: BackwardFn, op: str) -> Tensor:
    if not _finite(data) and all(_finite(p._array) for p in parents):
        raise AnomalyError(op, "forward", f"produced {_kind(data)} values from finite inputs")
    return _plain_make(data, parents, _checked_backward(backward, op), op)


class detect_anomaly:  # noqa: N801 - PyTorch's name
    """Context manager: raise `AnomalyError` naming the first op that makes NaN/inf, forward or backward."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> detect_anomaly:
        if self.check_nan:
            _depth[0] += 1
            _refresh()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.check_nan:
            _depth[0] -= 1
            _refresh()


class set_detect_anomaly:  # noqa: N801 - PyTorch's name
    """`set_detect_anomaly(True)` turns the checks on (off with False) from now on, or for a `with` block."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = _switched_on[0]
        _switched_on[0] = bool(mode and check_nan)
        _refresh()

    def __enter__(self) -> set_detect_anomaly:
        return self

    def __exit__(self, *exc: Any) -> None:
        _switched_on[0] = self.prev
        _refresh()


_switched_on = [False]  # set_detect_anomaly's global switch, beside the nesting depth of detect_anomaly blocks


def _refresh() -> None:
    """Every new node is checked while any block or the switch asks for it, and costs nothing extra otherwise."""
    checked = _depth[0] > 0 or _switched_on[0]
    Tensor._make = staticmethod(_checked_make if checked else _plain_make)  # type: ignore[method-assign]


def is_anomaly_enabled() -> bool:
    """True inside a `detect_anomaly` block or after `set_detect_anomaly(True)`."""
    return _depth[0] > 0 or _switched_on[0]
