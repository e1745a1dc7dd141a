"""Numerical integration by the trapezoidal rule: `torch.trapezoid` (`trapz`) and `torch.cumulative_trapezoid`,
built from differentiable ops, so their gradients (and create_graph) come from those ops' rules."""

from __future__ import annotations

from typing import Any

from . import ops
from .dtypes import get_default_dtype
from .more_ops import cumsum
from .tensor import Tensor

__all__ = ["cumulative_trapezoid", "trapezoid", "trapz"]


def _along(y: Tensor, dim: int, part: slice) -> Tensor:
    return ops.getitem(y, (slice(None),) * (dim % y.ndim) + (part,))


def _floating(y: Tensor) -> Tensor:
    return y if y._array.dtype.kind == "f" else Tensor._wrap(y._array.astype(get_default_dtype()))


def _spacing(y: Tensor, x: Tensor | None, dx: Any, dim: int) -> Any:
    """The widths between neighbouring samples along `dim`: x's differences, or the constant dx."""
    if x is None:
        return dx
    n = y.shape[dim]
    if x.ndim == 1:
        if x.shape[0] != n:
            raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
        widths = ops.sub(x[1:], x[:-1])
        return ops.reshape(widths, (-1,) + (1,) * (y.ndim - 1 - dim % y.ndim))
    if x.shape[dim] != n:
        raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
    return ops.sub(_along(x, dim, slice(1, None)), _along(x, dim, slice(None, -1)))


def _checked(x: Any, dx: Any, fn: str) -> None:
    if x is not None and dx is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (Tensor, dx=float, x=Tensor), "
                        f"but expected one of:\n * (Tensor y, Tensor x, *, int dim = -1)\n"
                        f" * (Tensor y, *, Number dx = 1, int dim = -1)\n")


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The trapezoidal rule along `dim`: with sample points `x`, or a constant spacing `dx` (default 1)."""
    _checked(x, dx, "trapezoid")
    if y.ndim == 0 or y.shape[dim] == 0:  # PyTorch's zeros in the input's own dtype (an integer one included)
        return ops.sum(ops.mul(y, 0), dim) if y.ndim else ops.mul(y, 0)
    y = _floating(y)
    pairs = ops.add(_along(y, dim, slice(1, None)), _along(y, dim, slice(None, -1)))
    widths = _spacing(y, x, 1.0 if dx is None else dx, dim)
    return ops.div(ops.sum(ops.mul(pairs, widths), dim), 2.0)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """`torch.trapz`: `trapezoid`'s older name."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running trapezoidal integral along `dim` (one fewer element than `y` there)."""
    _checked(x, dx, "cumulative_trapezoid")
    y = _floating(y)
    pairs = ops.add(_along(y, dim, slice(1, None)), _along(y, dim, slice(None, -1)))
    widths = _spacing(y, x, 1.0 if dx is None else dx, dim)
    steps = ops.div(ops.mul(pairs, widths), 2.0)
    return steps if steps._array.size == 0 else cumsum(steps, dim)
