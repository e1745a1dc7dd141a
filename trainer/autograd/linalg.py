"""`trainer.linalg`: vector and matrix norms (`torch.linalg.norm`, `vector_norm`, `matrix_norm`, `svdvals`)
and `torch.norm`, with PyTorch's backward rules, and `LinAlgError`.

The rest of `torch.linalg` (solve, inv, det, cholesky, qr, eigh, svd, lstsq, pinv, matrix_exp, ...) lives in the
engine's op families (linalg_solve, linalg_decompositions, linalg_functions) and loads with them on first use: the
module `__getattr__` below asks `extensions` for the name.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import extensions, ops
from .dtypes import as_dtype
from .ops import _dims
from .tensor import Tensor

_INF = float("inf")


class _LinAlgError(RuntimeError):
    """`torch.linalg.LinAlgError` (`torch._C._LinAlgError`): the matrix is singular or not positive-definite."""


LinAlgError = _LinAlgError


def __getattr__(name: str) -> Any:
    """`trainer.linalg.solve`, `.qr`, ...: the families' `torch.linalg` functions, loaded on first use."""
    value = None if name.startswith("__") else extensions.linalg().get(name)
    if value is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *extensions.linalg()})


def _float_input(x: Tensor, fn: str, dtype: Any) -> Tensor:
    if dtype is not None:
        x = ops.cast(x, as_dtype(dtype))
    if x._array.dtype.kind != "f":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {x._array.dtype}")
    return x


def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over `dim` (every element by default); ord may be inf, -inf or 0."""
    x = _float_input(x, "linalg.vector_norm", dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    p = float(ord)
    a = x._array
    axes = _dims(dim, a.ndim) if a.ndim else None
    absx = np.abs(a)
    if p == _INF:
        out = np.max(absx, axis=axes, keepdims=True)
    elif p == -_INF:
        out = np.min(absx, axis=axes, keepdims=True)
    elif p == 0:
        out = np.sum(absx != 0, axis=axes, keepdims=True).astype(a.dtype)
    elif p == 1:
        out = np.sum(absx, axis=axes, keepdims=True)
    elif p == 2:
        out = np.sqrt(np.sum(a * a, axis=axes, keepdims=True))
    else:
        out = np.sum(absx**p, axis=axes, keepdims=True) ** (1 / p)
    shape = a.shape

    def backward(g: np.ndarray):
        gk = g.reshape(out.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:
                return (np.zeros(shape, g.dtype),)
            if p == 1:
                return (np.sign(a) * gk,)
            if builtins.abs(p) == _INF:
                mask = (absx == out) | np.isnan(absx)
                return (np.sign(a) * (gk / np.sum(mask, axis=axes, keepdims=True)) * mask,)
            if p == 2:
                return (np.where(out == 0, 0, a * (gk / out)).astype(a.dtype, copy=False),)
            if p < 1:
                scale = np.sign(a) * absx ** (p - 1) * gk / out ** (p - 1)
                return (np.where((absx == 0) | (out == 0), 0, scale).astype(a.dtype, copy=False),)
            scale = a * absx ** (p - 2) * gk / out ** (p - 1)
            return (np.where(out == 0, 0, scale).astype(a.dtype, copy=False),)

    res = out if keepdim else (out.reshape(()) if axes is None else np.squeeze(out, axes))
    node = Tensor._make(np.asarray(res), (x,), backward, "LinalgVectorNorm")
    node._ctx = (p, out.shape)  # for `higher_order`
    return node


def svdvals(A: Tensor) -> Tensor:  # noqa: N803 - PyTorch's name
    """Singular values, descending; backward U diag(g) V^T."""
    a = _float_input(A, "linalg.svdvals", None)
    u, s, vh = np.linalg.svd(a._array, full_matrices=False)
    return Tensor._make(s, (a,), lambda g: ((u * g[..., None, :]) @ vh,), "LinalgSvd")


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Tensor:
    """Frobenius, nuclear, 1, -1, 2, -2, inf or -inf norm over the two dimensions `dim`."""
    a = _float_input(A, "linalg.matrix_norm", dtype)
    if a.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    d0, d1 = _dims(tuple(dim), a.ndim)
    if d0 == d1:
        raise RuntimeError("linalg.matrix_norm: dims must be different")
    if ord == "fro":
        return vector_norm(a, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = ops.permute(a, *[i for i in range(a.ndim) if i not in (d0, d1)], d0, d1)
        s = svdvals(moved)
        out = ops.sum(s, -1) if ord == "nuc" else ops.amax(s, -1) if ord == 2 else ops.min(s, -1).values
        if keepdim:
            out = ops.unsqueeze(ops.unsqueeze(out, builtins.min(d0, d1)), builtins.max(d0, d1))
        return out
    if ord in (1, -1, _INF, -_INF):
        row, col = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = vector_norm(a, 1, row, keepdim=True)
        out = ops.amax(sums, col, keepdim=True) if ord > 0 else ops.min(sums, col, keepdim=True).values
        return out if keepdim else ops.squeeze(out, (d0, d1))
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002, N803
         dtype: Any = None) -> Tensor:
    """`torch.linalg.norm`: a vector norm for 1 dim (or all, with ord None), a matrix norm for 2 dims."""
    if dim is not None and not isinstance(dim, int | np.integer) and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, tuple(dim), keepdim, dtype=dtype)
    if dim is None and ord is not None:
        if A.ndim == 2:
            return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
        if A.ndim != 1:
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {A.ndim}D.")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def tensor_norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """`torch.norm`: p 'fro' (2-norm of the elements over `dim`), 'nuc', or a number (a vector norm)."""
    if p is None or p == "fro":
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if p == "nuc":
        return matrix_norm(input, "nuc", (-2, -1) if dim is None else tuple(dim), keepdim, dtype=dtype)
    if isinstance(p, str):
        raise RuntimeError(f"norm: invalid p {p!r}")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


Tensor.norm = tensor_norm
