"""More products, as torch.X and Tensor methods: `inner`, `ger` (outer's old name), `vdot`, the fused
`addmv`, `addr`, `baddbmm`, `addbmm` (beta * input + alpha * product, with their in-place forms), `block_diag` and
`chain_matmul`. Each is composed of the core ops, so its gradient is theirs."""

from __future__ import annotations

import functools
import string
import warnings
from typing import Any

import numpy as np

from . import ops
from .more_ops import bmm, dot, einsum, mv, outer
from .tensor import Tensor

__all__ = ["addbmm", "addmv", "addmv_", "addr", "baddbmm", "block_diag", "chain_matmul", "ger", "inner", "vdot"]


def inner(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Sums of products over the last dimension of both: shape input.shape[:-1] + other.shape[:-1]."""
    a, b = ops._pair(input, other)
    if a.ndim == 0 or b.ndim == 0:
        return ops.mul(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    left, right = string.ascii_letters[:a.ndim - 1], string.ascii_letters[a.ndim - 1:a.ndim + b.ndim - 2]
    return einsum(f"{left}z,{right}z->{left}{right}", a, b)


def ger(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """`outer` under its old name."""
    return outer(input, vec2)


def vdot(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The dot product of two 1-d tensors (no conjugate: real tensors only)."""
    return dot(input, other)


def _scaled_sum(input: Any, product: Tensor, beta: float, alpha: float) -> Tensor:
    """beta * input + alpha * product; beta == 0 ignores input (nan and inf in it included), as PyTorch."""
    scaled = product if alpha == 1 else ops.mul(product, alpha)
    if beta == 0:
        return scaled
    return ops.add(input if beta == 1 else ops.mul(input, beta), scaled)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * (mat @ vec)."""
    return _scaled_sum(input, mv(mat, vec), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * outer(vec1, vec2)."""
    return _scaled_sum(input, outer(vec1, vec2), beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1,  # noqa: A002
            alpha: float = 1) -> Tensor:
    """beta * input + alpha * bmm(batch1, batch2), input broadcast to (b, n, p)."""
    return _scaled_sum(input, bmm(batch1, batch2), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1,  # noqa: A002
           alpha: float = 1) -> Tensor:
    """beta * input + alpha * sum over the batch of batch1[i] @ batch2[i]."""
    return _scaled_sum(input, ops.sum(bmm(batch1, batch2), dim=0), beta, alpha)


def addmv_(input: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """`input.addmv_(mat, vec)`: in place."""
    return input.addmv_(mat, vec, beta=beta, alpha=alpha)


def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors (0-d as 1x1, 1-d as one row) on the diagonal of a zero matrix, in their promoted dtype."""
    blocks = []
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
        blocks.append(ops.reshape(t, (1, -1) if t.ndim < 2 else tuple(t.shape)))
    if not blocks:
        return Tensor._wrap(np.zeros((1, 0), np.float32))
    dtype = functools.reduce(np.promote_types, (b._array.dtype for b in blocks))
    rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols), dtype)
    spans, r, c = [], 0, 0
    for b in blocks:
        h, w = b.shape
        out[r:r + h, c:c + w] = b._array
        spans.append((r, c, h, w, b._array.dtype))
        r, c = r + h, c + w

    def backward(g: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(g[r:r + h, c:c + w].astype(d) if d.kind == "f" else None for r, c, h, w, d in spans)

    return Tensor._make(out, tuple(blocks), backward, "BlockDiag")


def chain_matmul(*matrices: Tensor, out: Any = None) -> Tensor:
    """The product of 2-d matrices left to right (deprecated in PyTorch, which warns to use linalg.multi_dot)."""
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
                  "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
                  "parameters.", UserWarning, stacklevel=2)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more input tensors")
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    return functools.reduce(ops.matmul, matrices) if len(matrices) > 1 else ops.clone(matrices[0])


_METHODS = {"inner": inner, "ger": ger, "vdot": vdot, "addmv": addmv, "addr": addr, "baddbmm": baddbmm,
            "addbmm": addbmm}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)


def _fused_inplace(fn: Any) -> Any:
    def method(self: Tensor, a: Tensor, b: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return self._inplace(lambda s, x, y: fn(s, x, y, beta=beta, alpha=alpha), (a, b), beta != 0)

    method.__name__ = method.__qualname__ = fn.__name__ + "_"
    method.__doc__ = f"In-place `{fn.__name__}`."
    return method


for _fn in (addmv, addr, baddbmm, addbmm):
    setattr(Tensor, _fn.__name__ + "_", _fused_inplace(_fn))
