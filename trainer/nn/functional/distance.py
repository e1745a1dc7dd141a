"""Distances and normalisation: normalize, cosine_similarity, pairwise_distance, pdist (PyTorch's formulas)."""

from __future__ import annotations

import numpy as np

from ...autograd import ops
from ...autograd.dtypes import scalar_type_name
from ...autograd.linalg import vector_norm
from ...autograd.tensor import Tensor
from ._util import as_tensor

_INF = float("inf")


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None,  # noqa: A002
              ) -> Tensor:
    """x / max(||x||_p, eps) along `dim` (the clamp is differentiable: no gradient through a norm below eps)."""
    x = as_tensor(input, "normalize", "input")
    denom = ops.clamp(vector_norm(x, p, dim, keepdim=True), min=eps)
    result = x / denom
    if out is not None:
        out.copy_(result)
        return out
    return result


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum((x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps))) along `dim`, as PyTorch 2.x computes it: each norm is
    clamped on its own, and the clamp is invisible to autograd (the gradient flows through the unclamped norm)."""
    a = as_tensor(x1, "cosine_similarity", "x1")
    b = as_tensor(x2, "cosine_similarity", "x2")
    common = _common_dtype(a._array.dtype, b._array.dtype)
    if common.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{scalar_type_name(common)}")
    a, b = (t if t._array.dtype.kind == "f" else ops.cast(t, common) for t in (a, b))  # floats keep their own width
    shape = np.broadcast_shapes(a._array.shape, b._array.shape)
    a, b = (t if t._array.shape == shape else ops.expand(t, *shape) for t in (a, b))
    n1 = _clamped_min_no_grad(vector_norm(a, 2, dim, keepdim=True), eps)
    n2 = _clamped_min_no_grad(vector_norm(b, 2, dim, keepdim=True), eps)
    return ((a / n1) * (b / n2)).sum(dim)


def _clamped_min_no_grad(norm: Tensor, eps: float) -> Tensor:
    """`norm.clone()` clamped to eps in place under no_grad: the value is clamped, the gradient passes unchanged."""
    return Tensor._make(np.maximum(norm._array, norm._array.dtype.type(eps)), (norm,), lambda g: (g,), "Clone")


def _common_dtype(da: np.dtype, db: np.dtype) -> np.dtype:
    """PyTorch's promotion of two tensors' dtypes: a float meeting an integer keeps the float's width."""
    if (da.kind == "f") != (db.kind == "f"):
        return da if da.kind == "f" else db
    return np.result_type(da, db)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension of the broadcast inputs (a 0-d pair gives |x1 - x2 + eps|)."""
    a = as_tensor(x1, "pairwise_distance", "x1")
    b = as_tensor(x2, "pairwise_distance", "x2")
    diff = (a - b) + eps
    last = max(a.ndim, b.ndim) - 1
    out = vector_norm(diff, p, last if last >= 0 else None, keepdim)
    if out._backward is not None:
        out._op = "Norm1"  # PyTorch calls torch.norm(diff, p, dim): its node is NormBackward1
    return out


def pdist(input: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm distances between every pair of rows i < j, in row-major order of the pairs (PyTorch's _pdist:
    its gradient is 0 where a distance is 0, and at p = inf it is sign(diff) where |diff| reaches the distance)."""
    x = as_tensor(input, "pdist", "input")
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if x._array.dtype.kind != "f":
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    a = x._array
    i, j = np.triu_indices(a.shape[0], 1)
    diff = a[i] - a[j]
    absd = np.abs(diff)
    p = float(p)
    if p == 0:
        dist = np.sum(absd != 0, axis=1).astype(a.dtype)
    elif p == 1:
        dist = absd.sum(axis=1)
    elif p == 2:
        dist = np.sqrt(np.sum(diff * diff, axis=1))
    elif p == _INF:
        dist = absd.max(axis=1, initial=0)
    else:
        dist = np.sum(absd**p, axis=1) ** (1 / p)

    def backward(g: np.ndarray):
        gd, dd = g[:, None], dist[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:
                per = np.zeros_like(diff)
            elif p == 1:
                per = np.sign(diff) * gd
            elif p == 2:
                per = np.where(dd == 0, 0, diff * (gd / dd))
            elif p == _INF:
                per = np.sign(diff) * (absd == dd) * gd
            elif p < 1:
                per = np.where((dd == 0) | (absd == 0), 0, np.sign(diff) * absd ** (p - 1) * gd / dd ** (p - 1))
            else:
                per = np.where(dd == 0, 0, diff * absd ** (p - 2) * gd / dd ** (p - 1))
        grad = np.zeros_like(a)
        np.add.at(grad, i, per)
        np.subtract.at(grad, j, per)
        return (grad.astype(a.dtype, copy=False),)

    return Tensor._make(dist.astype(a.dtype, copy=False), (x,), backward, "Pdist")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C * r^2, H, W) -> (*, C, H * r, W * r), as PyTorch orders the channels."""
    x = _image(input, "pixel_shuffle", "upscale_factor", upscale_factor)
    r = int(upscale_factor)
    *batch, c, h, w = x.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    nb = len(batch)
    split = (*batch, c // (r * r), r, r, h, w)
    order = (*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2)
    return _rearranged(x, split, order, (*batch, c // (r * r), h * r, w * r), "PixelShuffle")


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C, H * r, W * r) -> (*, C * r^2, H, W), the inverse of pixel_shuffle."""
    x = _image(input, "pixel_unshuffle", "downscale_factor", downscale_factor)
    r = int(downscale_factor)
    *batch, c, h, w = x.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by downscale_factor, but "
                           f"input.size(-2)={h} and input.size(-1)={w} are not divisible by {r}")
    nb = len(batch)
    split = (*batch, c, h // r, r, w // r, r)
    order = (*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3)
    return _rearranged(x, split, order, (*batch, c * r * r, h // r, w // r), "PixelUnshuffle")


def _image(input: Tensor, fn: str, name: str, factor: int) -> Tensor:  # noqa: A002
    x = as_tensor(input, fn, "input")
    if x.ndim < 3:
        raise RuntimeError(f"{fn} expects input to have at least 3 dimensions, but got input with {x.ndim} "
                           f"dimension(s)")
    if int(factor) <= 0:
        raise RuntimeError(f"{fn} expects a positive {name}, but got {factor}")
    return x


def _rearranged(x: Tensor, split: tuple[int, ...], order: tuple[int, ...], shape: tuple[int, ...], op: str) -> Tensor:
    """reshape to `split`, permute to `order`, reshape to `shape` (a copy); the backward undoes it."""
    out = np.ascontiguousarray(x._array.reshape(split).transpose(order)).reshape(shape)
    inverse = tuple(np.argsort(order))
    moved = tuple(split[k] for k in order)

    def backward(g: np.ndarray):
        return (np.ascontiguousarray(g.reshape(moved).transpose(inverse)).reshape(x._array.shape),)

    return Tensor._make(out, (x,), backward, op)


__all__ = ["normalize", "cosine_similarity", "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle"]
