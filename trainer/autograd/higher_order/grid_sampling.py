"""Rules for grid_sample (GridSampler2D/3D) and affine_grid (AffineGridGenerator).

grid_sample's gradients are rebuilt from the taps of `autograd.grid_sampling` with Tensor ops: each axis's fractional
position is a node of the grid (its value the kernel's, its derivative d(coordinate)/d(grid)), the tap weights are
polynomials of it (1 - f and f, or the cubic coefficients), the input's gradient is a scatter of g times the weights,
and the grid's is the channel sum of g times the gathered values times the weights' derivatives. So both gradients
are graphs of g, input and grid, differentiable again, as PyTorch's GridSampler2DBackwardBackward0 is.
"""

from __future__ import annotations

import numpy as np

from .. import grid_sampling as gs
from .. import ops
from ..tensor import Tensor
from ._base import _const, _ctx, _rule, gather, linear_map, scatter
from .layers import _one_node

_A = gs._A


def _linear(f: Tensor) -> tuple[list, list]:
    return [1.0 - f, f], [-1.0, 1.0]


def _outer(x: Tensor) -> Tensor:
    return ((x * _A - 5 * _A) * x + 8 * _A) * x - 4 * _A


def _outer_slope(x: Tensor) -> Tensor:
    return (x * (3 * _A) - 10 * _A) * x + 8 * _A


def _inner(x: Tensor) -> Tensor:
    return (x * (_A + 2) - (_A + 3)) * x * x + 1.0


def _inner_slope(x: Tensor) -> Tensor:
    return (x * (3 * (_A + 2)) - 2 * (_A + 3)) * x


def _cubic(f: Tensor) -> tuple[list, list]:
    """The cubic convolution coefficients of taps -1, 0, 1, 2 and their derivatives in f."""
    a, b, c, d = f + 1.0, f, 1.0 - f, 2.0 - f
    return ([_outer(a), _inner(b), _inner(c), _outer(d)],
            [_outer_slope(a), _inner_slope(b), -_inner_slope(c), -_outer_slope(d)])


def _times(parts: list) -> Tensor | float:
    out: Tensor | float = 1.0
    for p in parts:
        out = p if isinstance(out, float) and out == 1.0 else out * p
    return out


@_rule("GridSampler2D", "GridSampler3D")
def _grid_sampler(node: Tensor, g: Tensor) -> tuple:
    x, grid = node._parents
    mode, padding, align = _ctx(node)
    a, gr = x._array, grid._array
    n, c, dims = a.shape[0], a.shape[1], gr.shape[-1]
    sizes = a.shape[:1:-1]
    plane = int(np.prod(sizes))
    count = int(np.prod(gr.shape[1:-1]))
    if 0 in (n, c, count):
        return _one_node((_const(np.zeros_like(a)), _const(np.zeros_like(gr))), (g, x, grid))
    with np.errstate(invalid="ignore", over="ignore"):
        axes = gs._plan(a, gr, mode, padding, align)
    dtype = a.dtype
    flat_grid = ops.reshape(grid, (n, count, dims))
    weights, slopes = [], []
    for d, ax in enumerate(axes):
        if mode == gs.NEAREST:
            weights.append([1.0])
            slopes.append([0.0])
            continue
        gd = flat_grid[..., d]
        f = _const(ax.frac.astype(dtype)) + (gd - _const(gd._array.copy())) * _const(ax.mult.astype(dtype))
        w, s = _cubic(f) if mode == gs.BICUBIC else _linear(f)
        weights.append(w)
        slopes.append(s)
    g3 = ops.reshape(g, (n, c, count))
    base = (np.arange(n * c, dtype=np.int64) * plane).reshape(n, c, 1)
    parts, positions = [], []
    sums: list = [None] * dims
    for corner in gs._corners(axes):
        index, valid = gs._flat_index(axes, corner, sizes)
        pos = np.broadcast_to(base + index[:, None, :], (n, c, count))
        mask = _const(np.broadcast_to(valid[:, None, :], (n, c, count)).astype(dtype))
        w = _times([weights[d][corner[d]] for d in range(dims)])
        part = g3 * mask if isinstance(w, float) else g3 * ops.reshape(w, (n, 1, count)) * mask
        parts.append(part)
        positions.append(pos)
        if mode == gs.NEAREST:
            continue
        gv = g3 * gather(x, pos) * mask
        for d in range(dims):
            dw = _times([slopes[e][corner[e]] if e == d else weights[e][corner[e]] for e in range(dims)])
            term = ops.sum(gv * ops.reshape(dw, (n, 1, count)), 1)
            sums[d] = term if sums[d] is None else sums[d] + term
    gx = scatter(ops.stack(parts), np.stack(positions), a.shape)
    if mode == gs.NEAREST:  # a zero gradient that still reaches the grid (PyTorch's zeros, not None)
        gg = linear_map(g, lambda v: np.zeros_like(gr), lambda v: np.zeros_like(g._array), grid)
    else:
        cols = [s * _const(ax.mult.astype(dtype)) for s, ax in zip(sums, axes, strict=True)]
        gg = ops.reshape(ops.stack(cols, -1), gr.shape)
    return _one_node((gx, gg), (g, x, grid))


@_rule("AffineGridGenerator")
def _affine_grid(node: Tensor, g: Tensor) -> tuple:
    """theta's gradient (base^T g)^T: linear in g, with the base grid a constant."""
    (theta,), base = node._parents, _ctx(node)
    n, k = theta._array.shape[:2]
    return (ops.transpose(ops.matmul(_const(np.ascontiguousarray(base.T)), ops.reshape(g, (n, -1, k))), -1, -2),)
