"""What the `torch.linalg` families share: PyTorch's input checks and error messages, the batch of a singular or
not positive-definite matrix, batch broadcasting, named results (`torch.return_types.linalg_*`), and the numpy
matrix helpers (transposes, triangular solves, leading-minor and pivot checks) their forwards and backwards use.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np

from .broadcast_check import broadcast_shape
from .dtypes import scalar_type_name
from .linalg import LinAlgError
from .tensor import Tensor


def mT(a: np.ndarray) -> np.ndarray:  # noqa: N802 - PyTorch's name
    """The batched matrix transpose (`A.mT`; real tensors, so also `A.mH`)."""
    return np.swapaxes(a, -1, -2)


def eye_like(a: np.ndarray, n: int | None = None) -> np.ndarray:
    """An identity of `a`'s dtype, n by n (a's last size by default)."""
    return np.eye(a.shape[-1] if n is None else n, dtype=a.dtype)


# ----- checks ------------------------------------------------------------------------------------


def check_matrix(t: Tensor, fn: str, name: str = "A") -> None:
    if t.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor {name} must have at least 2 dimensions.")


def check_square(t: Tensor, fn: str, prefix: str | None = None) -> None:
    """At least two dims, the last two equal (`prefix` replaces "fn: " in the size message)."""
    check_matrix(t, fn)
    m, n = t.shape[-2:]
    if m != n:
        lead = f"{fn}: " if prefix is None else prefix
        raise RuntimeError(f"{lead}A must be batches of square matrices, but they are {m} by {n} matrices")


def check_float(t: Tensor, fn: str, low_precision: bool = False) -> None:
    """A float32/float64 input (float16 is 'low precision' where PyTorch says so)."""
    dtype = t._array.dtype
    if dtype.kind != "f":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {scalar_type_name(dtype)}")
    if low_precision and dtype.itemsize < 4:
        raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got {scalar_type_name(dtype)}")


def not_implemented_for(t: Tensor, kernel: str) -> None:
    """PyTorch's dispatch error for dtypes a CPU kernel lacks (integers, float16)."""
    dtype = t._array.dtype
    if dtype.kind != "f" or dtype.itemsize < 4:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_type_name(dtype)}\'')


def same_dtype(a: Tensor, b: Tensor, message: str) -> None:
    """`message` formatted with the two scalar type names when the dtypes differ."""
    if a._array.dtype != b._array.dtype:
        raise RuntimeError(message.format(scalar_type_name(a._array.dtype), scalar_type_name(b._array.dtype)))


def batch_error(fn: str, flags: np.ndarray, ndim: int, message: Callable[[int], str]) -> LinAlgError:
    """PyTorch's LinAlgError for the first batch element whose info code (`flags`, batch-shaped) is non-zero."""
    flat = flags.reshape(-1)
    first = int(np.flatnonzero(flat)[0])
    where = f"(Batch element {first}): " if ndim > 2 else ""
    return LinAlgError(f"{fn}: {where}{message(int(flat[first]))}")


def singular_message(info: int) -> str:
    return (f"The diagonal element {info} is zero, the inversion could not be completed because the input matrix "
            "is singular.")


def not_positive_definite_message(info: int) -> str:
    return (f"The factorization could not be completed because the input is not positive-definite (the leading "
            f"minor of order {info} is not positive-definite).")


# ----- batches -----------------------------------------------------------------------------------


def broadcast_batch(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast of two batch shapes, with PyTorch's message for the last dimension that does not fit."""
    return broadcast_shape(a, b)


def expand_batch(x: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    return np.broadcast_to(x, batch + x.shape[-2:])


# ----- named results -----------------------------------------------------------------------------


def result_type(name: str, fields: str) -> type:
    """`torch.return_types.<name>`: a named tuple of `fields` (space-separated), printed as PyTorch prints it."""

    def __repr__(self: Any) -> str:  # noqa: N807
        body = ",\n".join(f"{field}={value!r}" for field, value in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"

    return type(name, (namedtuple(name, fields),), {"__repr__": __repr__, "__slots__": (),
                                                    "__module__": "trainer.return_types"})


# ----- numpy kernels -----------------------------------------------------------------------------


def lu_info(a: np.ndarray) -> np.ndarray:
    """LAPACK getrf's info for each matrix of a batch: the first exactly zero pivot of partial-pivot LU (1-based),
    0 when there is none. Run only once numpy has reported a singular matrix (numpy's verdict decides)."""
    u = np.array(a, dtype=np.float64).reshape(-1, *a.shape[-2:])
    n = u.shape[-1]
    info = np.zeros(len(u), np.int32)
    rows = np.arange(len(u))
    for k in range(n):
        pivot = k + np.argmax(np.abs(u[:, k:, k]), axis=1)
        u[rows, k], u[rows, pivot] = u[rows, pivot], u[rows, k].copy()
        head = u[:, k, k]
        zero = head == 0
        info[zero & (info == 0)] = k + 1
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(zero[:, None], 0.0, u[:, k + 1:, k] / head[:, None])
        u[:, k + 1:, k:] -= factor[:, :, None] * u[:, k:k + 1, k:]
    for i in np.flatnonzero(info == 0):  # where rounding spared this LU the zero pivot numpy's met: the last one
        try:
            np.linalg.inv(a.reshape(-1, n, n)[i])
        except np.linalg.LinAlgError:
            info[i] = n
    return info.reshape(a.shape[:-2])


def cholesky_info(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, info) of the Cholesky factorization of each matrix's lower triangle, column by column as LAPACK's potrf:
    info is the order of the first leading minor that is not positive-definite (0 if none). Where it fails, L holds
    the columns before, the failing pivot on the diagonal and A's own entries after, as LAPACK leaves them."""
    low = np.tril(a).reshape(-1, *a.shape[-2:]).astype(a.dtype, copy=True)
    n = low.shape[-1]
    info = np.zeros(len(low), np.int32)
    for k in range(n):
        live = info == 0
        d = low[:, k, k] - np.sum(low[:, k, :k] ** 2, axis=-1)
        bad = live & ~(d > 0)
        info[bad] = k + 1
        low[bad, k, k] = d[bad]
        ok = live & (d > 0)
        root = np.sqrt(np.where(ok, d, 1))
        low[ok, k, k] = root[ok]
        below = (low[:, k + 1:, k] - np.einsum("bij,bj->bi", low[:, k + 1:, :k], low[:, k, :k])) / root[:, None]
        low[ok, k + 1:, k] = below[ok]
    return low.reshape(a.shape), info.reshape(a.shape[:-2])


def triangular_solve(a: np.ndarray, b: np.ndarray, upper: bool, left: bool = True, unit: bool = False) -> np.ndarray:
    """A^{-1} B (or B A^{-1}) reading only A's upper or lower triangle (its diagonal taken as ones if `unit`); batch
    dims broadcast. A zero on the diagonal gives infs and NaNs, as LAPACK's trtrs, not an error."""
    t = np.triu(a) if upper else np.tril(a)
    if unit:
        t = t - np.diagonal(t, 0, -2, -1)[..., None] * eye_like(t) + eye_like(t)
    if not left:
        return mT(triangular_solve(mT(t), mT(b), not upper))
    batch = broadcast_batch(b.shape[:-2], t.shape[:-2])
    t, b = expand_batch(t, batch), expand_batch(b, batch)
    try:
        return np.linalg.solve(t, b)
    except np.linalg.LinAlgError:
        return _substitute(t, b, upper)


def _substitute(t: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """Forward or back substitution (for the triangular systems numpy's LU calls singular)."""
    x = np.zeros(np.broadcast_shapes(t.shape[:-1], b.shape[:-1]) + b.shape[-1:], np.result_type(t, b))
    n = t.shape[-1]
    order = reversed(range(n)) if upper else range(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in order:
            rest = slice(i + 1, n) if upper else slice(0, i)
            x[..., i, :] = (b[..., i, :] - np.einsum("...j,...jk->...k", t[..., i, rest], x[..., rest, :])) \
                / t[..., i, i, None]
    return x
