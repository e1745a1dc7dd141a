"""`torch.distributions.utils`: parameter broadcasting, probs <-> logits, and the lazily computed property."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import update_wrapper
from typing import Any

import numpy as np

from .. import autograd as _ag
from ..autograd import Tensor

__all__ = ["broadcast_all", "clamp_probs", "lazy_property", "logits_to_probs", "probs_to_logits",
           "tril_matrix_to_vec", "vec_to_tril_matrix"]

euler_constant = 0.57721566490153286060  # Euler-Mascheroni


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.number) and not isinstance(v, bool | np.bool_)


def broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """Tensors and numbers broadcast together; numbers take the first tensor's dtype (else the default)."""
    if not all(isinstance(v, Tensor) or _is_number(v) for v in values):
        raise ValueError("Input arguments must all be instances of Number, "
                         "torch.Tensor or objects implementing __torch_function__.")
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)), _ag.get_default_dtype())
    tensors = [v if isinstance(v, Tensor) else _ag.tensor(v, dtype=dtype) for v in values]
    return tuple(_ag.broadcast_tensors(*tensors))


def _standard_normal(shape: Sequence[int], dtype: Any) -> Tensor:
    """N(0, 1) draws: `torch.empty(shape, dtype=dtype).normal_()`."""
    return _ag.empty(tuple(shape), dtype=dtype).normal_()


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """Sum over the rightmost `dim` dimensions."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:-dim]) + (-1,)).sum(-1)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    return _ag.sigmoid(logits) if is_binary else _ag.softmax(logits, dim=-1)


def clamp_probs(probs: Tensor) -> Tensor:
    eps = _ag.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    ps = clamp_probs(probs)
    return _ag.log(ps) - _ag.log1p(-ps) if is_binary else _ag.log(ps)


class lazy_property:  # noqa: N801 - PyTorch's name
    """Computed on first access (with grad enabled) and then stored on the instance."""

    def __init__(self, wrapped: Callable[[Any], Any]) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        with _ag.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


def _tril_mask(n: int, diag: int) -> Tensor:
    r = np.arange(n)
    return Tensor._wrap(r[None, :] < r[:, None] + (diag + 1))


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """The lower triangle (below diagonal `diag`) of the last two dims, row by row."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_mask(n, diag)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """The inverse of `tril_matrix_to_vec`."""
    m = vec.shape[-1]
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * m + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > _ag.finfo(vec.dtype).eps:
        raise ValueError(f"The size of last dimension is {m} which cannot be expressed as "
                         "the lower triangular part of a square D x D matrix.")
    n = round(n)
    mask = _tril_mask(n, diag)._array
    rows, cols = np.nonzero(mask)
    flat = vec.reshape(-1, m)
    out = _ag.zeros((flat.shape[0], n * n), dtype=vec.dtype)
    out = out.index_add(1, _ag.tensor(rows * n + cols), flat)
    return out.reshape(tuple(vec.shape[:-1]) + (n, n))
