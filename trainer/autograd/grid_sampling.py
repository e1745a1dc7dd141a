"""`torch.grid_sampler` (2-d and 3-d) and `torch.affine_grid_generator`, with PyTorch's CPU arithmetic.

A 4-d input follows PyTorch's vectorised CPU kernel (unnormalise as (g + 1) * (size / 2) - 0.5, reflect by
truncated division, weights 1 - (x - floor x) and x - floor x), a 5-d one its scalar kernel (((g + 1) * size - 1) / 2,
fmod, coordinates outside int range sent to -100), so the pixels chosen at exact boundaries are PyTorch's. Every
output position's taps (2 per axis for (tri)linear, 4 for bicubic, 1 for nearest) are gathered for all positions at
once; the input's gradient is one `np.bincount` over flat indices. Nearest gives the grid a zero gradient; bicubic
pads each tap's coordinate (clamp, reflect) and differentiates only the unpadded position, as PyTorch does.
`F.grid_sample` and `F.affine_grid` (nn.functional.grid_sampling) check their strings and warn, then call these.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dtypes import scalar_type_name
from .tensor import Tensor

__all__ = ["affine_grid_generator", "grid_sampler", "grid_sampler_2d", "grid_sampler_3d"]

BILINEAR, NEAREST, BICUBIC = 0, 1, 2
ZEROS, BORDER, REFLECTION = 0, 1, 2
_A = -0.75  # the cubic convolution constant (PyTorch's, and OpenCV's)


# ----- argument parsing as PyTorch's Python binding does it ---------------------------------------------------------

def _type_name(value: Any) -> str:
    return "Tensor" if isinstance(value, Tensor) else type(value).__name__


def _need_tensor(fn: str, value: Any, name: str, position: int) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not {_type_name(value)}")
    return value


def _need_int(fn: str, value: Any, name: str, position: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be int, not {_type_name(value)}")
    return int(value)


def _need_bool(fn: str, value: Any, name: str, position: int) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be bool, not {_type_name(value)}")
    return bool(value)


def _sizes(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _size0(a: np.ndarray) -> int:
    if a.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    return a.shape[0]


# ----- checks: check_grid_sampler_common, _2d, _3d and the kernels' dtype dispatch ---------------------------------

def _check_common(a: np.ndarray, g: np.ndarray) -> None:
    if _size0(a) != _size0(g):
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {_sizes(a.shape)} and grid with sizes {_sizes(g.shape)}")
    if g.shape[-1] != a.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {a.ndim - 2} in last dimension, but got grid "
                           f"with sizes {_sizes(g.shape)}")
    for i in range(2, a.ndim):
        if a.shape[i] <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               f"sizes {_sizes(a.shape)} with dimension {i} being empty")


def _check_dims(a: np.ndarray, g: np.ndarray, dims: int, mode: int) -> None:
    if a.ndim != dims + 2 or g.ndim != a.ndim:
        raise RuntimeError(f"grid_sampler(): expected {dims + 2}D input and grid with same number of dimensions, but "
                           f"got input with sizes {_sizes(a.shape)} and grid with sizes {_sizes(g.shape)}")
    if dims == 3 and mode == BICUBIC:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")


def _check_dtypes(a: np.ndarray, g: np.ndarray, dims: int) -> None:
    if a.dtype.kind != "f":
        kernel = "grid_sampler_2d_cpu_kernel_impl" if dims == 2 else "grid_sampler3d_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(a.dtype)}'")
    if g.dtype != a.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(a.dtype)} but found {scalar_type_name(g.dtype)}")


# ----- source coordinates per axis -------------------------------------------------------------------------------

@dataclass
class _Axis:
    """One spatial axis's taps for every output position (arrays shaped (N, P)): positions (0 where invalid),
    validity, 1-d weights and their derivatives in the fractional position `frac`; `mult` is d(coordinate)/d(grid)."""

    pos: list[np.ndarray]
    valid: list[np.ndarray]
    weight: list[np.ndarray]
    frac: np.ndarray
    mult: np.ndarray


class _Location:
    """PyTorch's unnormalise / clip / reflect for one axis of `size` pixels, in the input's precision; `vec` picks
    the vectorised kernel's formulas (2-d inputs), otherwise the scalar kernel's (3-d)."""

    def __init__(self, size: int, align: bool, padding: int, dtype: np.dtype, vec: bool) -> None:
        self.t, self.size, self.align, self.padding, self.vec = dtype.type, size, align, padding, vec
        t = self.t
        self.max_val = t(size - 1)
        self.scale = t(size - 1) / t(2) if align else t(size) / t(2)

    def unnormalize(self, g: np.ndarray) -> np.ndarray:
        t, one = self.t, self.t(1)
        if self.vec:
            return (g + one) * self.scale if self.align else (g + one) * self.scale - t(0.5)
        if self.align:
            return ((g + one) / t(2)) * t(self.size - 1)
        return ((g + one) * t(self.size) - one) / t(2)

    def clip(self, x: np.ndarray) -> np.ndarray:
        if self.vec:  # max(in, 0) with NaN going to 0, then min with size - 1
            return np.fmin(np.fmax(x, self.t(0)), self.max_val)
        lo = np.where(x < 0, self.t(0), x)  # std::min(size - 1, std::max(x, 0)): NaN goes to size - 1
        return np.where(lo < self.max_val, lo, self.max_val)

    def clip_grad(self, x: np.ndarray) -> np.ndarray:
        """1 strictly inside (0, size - 1), else 0: borders count as outside."""
        t = self.t
        return np.where((x > 0) & (x < self.max_val) | np.isnan(x), t(1), t(0))

    def reflect(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The reflected coordinate and d(reflected)/dx (+1 or -1)."""
        t = self.t
        if self.vec:
            if self.align and self.size <= 1:
                return np.zeros_like(x), np.zeros_like(x)
            twice_span = t(self.size - 1) * t(2) if self.align else t(self.size) * t(2)
            low = t(0) if self.align else t(-0.5)
            shifted = x - low if not self.align else x
            neg = shifted < 0
            absx = np.abs(shifted)
            extra = absx - np.trunc(absx / twice_span) * twice_span
            other = twice_span - extra
            flip = extra > other
            out = np.where(flip, other, extra)
            return (out + low if not self.align else out), np.where(flip ^ neg, t(-1), t(1))
        twice_low, twice_high = (0, 2 * (self.size - 1)) if self.align else (-1, 2 * self.size - 1)
        if twice_low == twice_high:
            return np.zeros_like(x), np.zeros_like(x)
        low, span = t(twice_low) / t(2), t(twice_high - twice_low) / t(2)
        shifted = x - low
        sign = np.where(shifted < 0, t(-1), t(1))
        shifted = np.abs(shifted)
        extra = np.fmod(shifted, span)
        with np.errstate(invalid="ignore"):
            odd = (np.floor(shifted / span) % 2) == 1
        return np.where(odd, span - extra + low, extra + low), np.where(odd, -sign, sign)

    def pad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """compute_coordinates: the padded coordinate and its derivative in x."""
        t = self.t
        if self.padding == BORDER:
            return self.clip(x), self.clip_grad(x)
        if self.padding == REFLECTION:
            r, dr = self.reflect(x)
            return self.clip(r), dr * self.clip_grad(r)
        return x, np.ones(x.shape, t)

    def source(self, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """grid_sampler_compute_source_index: the coordinate and d(coordinate)/d(grid)."""
        x, dx = self.pad(self.unnormalize(g))
        if not self.vec:  # safe_downgrade_to_int_range
            with np.errstate(invalid="ignore"):
                bad = ~np.isfinite(x) | (x > 2147483646) | (x < -2147483648)
            x = np.where(bad, self.t(-100), x)
        return x, (dx * self.scale).astype(self.t, copy=False)

    def inside(self, p: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return (p > -1) & (p < self.size)


def _cubic(f: np.ndarray, t: type) -> list[np.ndarray]:
    """The four cubic convolution coefficients for the fractional position f."""
    a = t(_A)
    out = []
    for x, outer in ((f + t(1), True), (f, False), (t(1) - f, False), (t(2) - f, True)):
        if outer:
            out.append(((a * x - t(5) * a) * x + t(8) * a) * x - t(4) * a)
        else:
            out.append(((a + t(2)) * x - (a + t(3))) * x * x + t(1))
    return out


def _cubic_grad(f: np.ndarray, t: type) -> list[np.ndarray]:
    """PyTorch's `get_cubic_coefficients_grad`: minus the coefficients' derivatives in f."""
    a = t(_A)
    x0, x1, x2, x3 = t(-1) - f, t(0) - f, t(1) - f, t(2) - f
    return [(t(-3) * a * x0 - t(10) * a) * x0 - t(8) * a,
            (t(-3) * (a + t(2)) * x1 - t(2) * (a + t(3))) * x1,
            (t(3) * (a + t(2)) * x2 - t(2) * (a + t(3))) * x2,
            (t(3) * a * x3 - t(10) * a) * x3 + t(8) * a]


def _axis(g: np.ndarray, loc: _Location, mode: int) -> _Axis:
    """The taps along one axis for grid values g (N, P)."""
    t = loc.t
    if mode == BICUBIC:
        x = loc.unnormalize(g)
        x0 = np.floor(x)
        f = x - x0
        pos, valid = [], []
        for k in (-1, 0, 1, 2):
            p, _ = loc.pad(x0 + t(k))
            p = np.trunc(p)
            ok = loc.inside(p) if loc.padding == ZEROS else np.ones(p.shape, bool)
            pos.append(np.where(ok, p, 0).astype(np.int64))
            valid.append(ok)
        return _Axis(pos, valid, _cubic(f, t), f, np.full(g.shape, loc.scale, t))
    x, mult = loc.source(g)
    if mode == NEAREST:
        p = np.rint(x)
        ok = loc.inside(p)
        return _Axis([np.where(ok, p, 0).astype(np.int64)], [ok], [np.ones(g.shape, t)], x - p, mult)
    x0 = np.floor(x)
    f = x - x0
    taps = (x0, x0 + t(1))
    oks = [loc.inside(p) for p in taps]
    weights = [t(1) - f, f] if loc.vec else [(x0 + t(1)) - x, x - x0]
    pos = [np.where(ok, p, 0).astype(np.int64) for p, ok in zip(taps, oks, strict=True)]
    return _Axis(pos, oks, weights, f, mult)


def _plan(a: np.ndarray, g: np.ndarray, mode: int, padding: int, align: bool) -> list[_Axis]:
    """The taps of every axis, x (the last input axis) first."""
    dims = g.shape[-1]
    work = a.dtype if a.dtype != np.float16 else np.dtype(np.float32)
    flat = g.reshape(g.shape[0], -1, dims).astype(work, copy=False)
    sizes = a.shape[:1:-1]
    with np.errstate(invalid="ignore", over="ignore"):
        return [_axis(flat[..., d], _Location(sizes[d], align, padding, work, dims == 2), mode) for d in range(dims)]


def _corners(axes: list[_Axis]) -> list[tuple[int, ...]]:
    """Tap combinations (one tap index per axis, x first) in PyTorch's order: the last axis outermost."""
    return [tuple(reversed(c)) for c in itertools.product(*[range(len(ax.pos)) for ax in reversed(axes)])]


def _flat_index(axes: list[_Axis], corner: tuple[int, ...], sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The flat spatial index (N, P) of a corner and where it lies inside the input."""
    index = np.zeros_like(axes[0].pos[0])
    valid = np.ones(index.shape, bool)
    stride = 1
    for d, (ax, k) in enumerate(zip(axes, corner, strict=True)):
        index = index + ax.pos[k] * stride
        valid = valid & ax.valid[k]
        stride *= sizes[d]
    return np.where(valid, index, 0), valid


def _weight(axes: list[_Axis], corner: tuple[int, ...], vec: bool, skip: int = -1) -> np.ndarray | None:
    """The product of the corner's 1-d weights (y * x for 2-d inputs, (x * y) * z for 3-d), leaving out axis `skip`."""
    order = list(range(len(axes)))[::-1] if vec else list(range(len(axes)))
    w = None
    for d in order:
        if d != skip:
            part = axes[d].weight[corner[d]]
            w = part if w is None else w * part
    return w


def _gather(planes: np.ndarray, index: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Input values (N, C, P) at flat spatial indices (N, P), zero outside."""
    vals = np.take_along_axis(planes, index[:, None, :], axis=2)
    return np.where(valid[:, None, :], vals, vals.dtype.type(0))


# ----- the ops ---------------------------------------------------------------------------------------------------

def _forward(a: np.ndarray, axes: list[_Axis], mode: int, vec: bool) -> np.ndarray:
    n, c = a.shape[:2]
    sizes = a.shape[:1:-1]
    planes = a.reshape(n, c, -1)
    if mode == BICUBIC:
        cx, cy = axes[0].weight, axes[1].weight
        out = None
        for j in range(4):
            row = None
            for i in range(4):
                term = cx[i][:, None] * _gather(planes, *_flat_index(axes, (i, j), sizes))
                row = term if row is None else row + term
            term = cy[j][:, None] * row
            out = term if out is None else out + term
        return out
    out = None
    for corner in _corners(axes):
        vals = _gather(planes, *_flat_index(axes, corner, sizes))
        term = vals if mode == NEAREST else vals * _weight(axes, corner, vec)[:, None]
        out = term if out is None else out + term
    return out


def _input_grad(g: np.ndarray, shape: tuple[int, ...], axes: list[_Axis], mode: int, vec: bool) -> np.ndarray:
    """Each output gradient times each corner's weight, added at the corner's flat index (one bincount)."""
    n, c = shape[:2]
    sizes = shape[:1:-1]
    plane = int(np.prod(sizes))
    base = (np.arange(n * c, dtype=np.int64) * plane).reshape(n, c, 1)
    flats, weights = [], []
    for corner in _corners(axes):
        index, valid = _flat_index(axes, corner, sizes)
        if mode == NEAREST:
            part = g
        elif mode == BICUBIC:
            part = (g * axes[0].weight[corner[0]][:, None]) * axes[1].weight[corner[1]][:, None]
        else:
            part = _weight(axes, corner, vec)[:, None] * g
        keep = np.broadcast_to(valid[:, None, :], part.shape)
        flats.append((base + index[:, None, :])[keep])
        weights.append(part[keep])
    summed = np.bincount(np.concatenate(flats), weights=np.concatenate(weights).astype(np.float64, copy=False),
                         minlength=n * c * plane)
    return summed.astype(g.dtype, copy=False).reshape(shape)


def _grid_grad(g: np.ndarray, a: np.ndarray, axes: list[_Axis], mode: int, vec: bool) -> np.ndarray:
    """d(output)/d(coordinate) summed over channels, times d(coordinate)/d(grid), per axis: (N, P, dims)."""
    dims = len(axes)
    n, c = a.shape[:2]
    if mode == NEAREST:
        return np.zeros((n, axes[0].frac.shape[1], dims), g.dtype)
    sizes = a.shape[:1:-1]
    planes = a.reshape(n, c, -1)
    corners = _corners(axes)
    vals = {corner: _gather(planes, *_flat_index(axes, corner, sizes)) for corner in corners}
    out = []
    if mode == BICUBIC:
        cx, cy = axes[0].weight, axes[1].weight
        dx, dy = _cubic_grad(axes[0].frac, axes[0].frac.dtype.type), _cubic_grad(axes[1].frac, axes[1].frac.dtype.type)
        gx = gy = None
        for i, j in itertools.product(range(4), range(4)):
            vg = vals[(i, j)] * g
            px = (vg * dx[i][:, None]) * cy[j][:, None]
            py = (vg * dy[j][:, None]) * cx[i][:, None]
            gx = -px if gx is None else gx - px
            gy = -py if gy is None else gy - py
        out = [gx.sum(1), gy.sum(1)]
    elif vec:  # PyTorch's 2-d kernel: ((ne - nw) * s + (se - sw) * n) * g
        (e, w), (s, nn) = axes[0].weight, axes[1].weight
        v = vals
        gx = ((v[(1, 0)] - v[(0, 0)]) * s[:, None] + (v[(1, 1)] - v[(0, 1)]) * nn[:, None]) * g
        gy = ((v[(0, 1)] - v[(0, 0)]) * e[:, None] + (v[(1, 1)] - v[(1, 0)]) * w[:, None]) * g
        out = [gx.sum(1), gy.sum(1)]
    else:
        for d in range(dims):
            total = None
            for corner in corners:
                term = vals[corner]
                for e in range(dims):
                    if e != d:
                        term = term * axes[e].weight[corner[e]][:, None]
                term = term * g
                total = (term if corner[d] else -term) if total is None else (total + term if corner[d] else
                                                                                total - term)
            out.append(total.sum(1))
    return np.stack([o * ax.mult for o, ax in zip(out, axes, strict=True)], axis=-1).astype(g.dtype, copy=False)


def _sample(x: Tensor, grid: Tensor, mode: int, padding: int, align: bool, dims: int) -> Tensor:
    a, gr = x._array, grid._array
    if mode not in (BILINEAR, NEAREST, BICUBIC) or padding not in (ZEROS, BORDER, REFLECTION):
        raise RuntimeError(f"grid_sampler(): unknown interpolation_mode {mode} or padding_mode {padding} (expected "
                           "0, 1 or 2 for each)")
    vec = dims == 2
    out_shape = (a.shape[0], a.shape[1], *gr.shape[1:-1])
    work = np.float32 if a.dtype == np.float16 else a.dtype
    if 0 in out_shape:
        out = np.zeros(out_shape, a.dtype)
    else:
        aw = a.astype(work, copy=False)
        with np.errstate(invalid="ignore", over="ignore"):
            out = _forward(aw, _plan(aw, gr, mode, padding, align), mode, vec).reshape(out_shape).astype(a.dtype)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        if 0 in out_shape:
            return np.zeros_like(a), np.zeros_like(gr)
        aw = a.astype(work, copy=False)
        gw = g.astype(work, copy=False).reshape(out_shape[0], out_shape[1], -1)
        with np.errstate(invalid="ignore", over="ignore"):
            axes = _plan(aw, gr, mode, padding, align)
            gx = _input_grad(gw, aw.shape, axes, mode, vec).astype(a.dtype) if x.requires_grad else None
            gg = _grid_grad(gw, aw, axes, mode, vec).reshape(gr.shape).astype(gr.dtype) if grid.requires_grad \
                else None
        return gx, gg

    res = Tensor._make(out, (x, grid), backward, f"GridSampler{dims}D")
    if res._backward is not None:
        res._ctx = (mode, padding, align)  # for `higher_order`
    return res


def grid_sampler(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,  # noqa: A002
                 align_corners: bool) -> Tensor:
    """`torch.grid_sampler`: modes 0 bilinear, 1 nearest, 2 bicubic; padding 0 zeros, 1 border, 2 reflection."""
    x = _need_tensor("grid_sampler", input, "input", 1)
    g = _need_tensor("grid_sampler", grid, "grid", 2)
    mode = _need_int("grid_sampler", interpolation_mode, "interpolation_mode", 3)
    padding = _need_int("grid_sampler", padding_mode, "padding_mode", 4)
    align = _need_bool("grid_sampler", align_corners, "align_corners", 5)
    dims = 2 if x._array.ndim == 4 else 3
    return _checked(x, g, mode, padding, align, dims)


def _checked(x: Tensor, g: Tensor, mode: int, padding: int, align: bool, dims: int) -> Tensor:
    _check_common(x._array, g._array)
    _check_dims(x._array, g._array, dims, mode)
    _check_dtypes(x._array, g._array, dims)
    return _sample(x, g, mode, padding, align, dims)


def grid_sampler_2d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,  # noqa: A002
                    align_corners: bool) -> Tensor:
    """`torch.grid_sampler_2d`: a 4-d input only."""
    x = _need_tensor("grid_sampler_2d", input, "input", 1)
    g = _need_tensor("grid_sampler_2d", grid, "grid", 2)
    return _checked(x, g, _need_int("grid_sampler_2d", interpolation_mode, "interpolation_mode", 3),
                    _need_int("grid_sampler_2d", padding_mode, "padding_mode", 4),
                    _need_bool("grid_sampler_2d", align_corners, "align_corners", 5), 2)


def grid_sampler_3d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,  # noqa: A002
                    align_corners: bool) -> Tensor:
    """`torch.grid_sampler_3d`: a 5-d input only."""
    x = _need_tensor("grid_sampler_3d", input, "input", 1)
    g = _need_tensor("grid_sampler_3d", grid, "grid", 2)
    return _checked(x, g, _need_int("grid_sampler_3d", interpolation_mode, "interpolation_mode", 3),
                    _need_int("grid_sampler_3d", padding_mode, "padding_mode", 4),
                    _need_bool("grid_sampler_3d", align_corners, "align_corners", 5), 3)


# ----- affine_grid_generator ---------------------------------------------------------------------------------------

def _linspace_from_neg_one(steps: int, align: bool, dtype: np.dtype) -> np.ndarray:
    """PyTorch's linspace(-1, 1, steps) (the first half from -1, the second from 1), scaled by (steps - 1) / steps
    unless align_corners; one step gives [0]."""
    t = dtype.type
    if steps <= 1:
        return np.zeros(1, dtype)
    i = np.arange(steps)
    step = (t(1) - t(-1)) / t(steps - 1)
    r = np.where(i < steps // 2, t(-1) + step * i.astype(dtype), t(1) - step * (steps - i - 1).astype(dtype))
    r = r.astype(dtype, copy=False)
    return r if align else (r * t(steps - 1)) / t(steps)


def base_grid(spatial: tuple[int, ...], align: bool, dtype: np.dtype) -> np.ndarray:
    """The (prod(spatial), dims + 1) rows (x, y[, z], 1) of every output position, the last axis varying fastest."""
    axes = [_linspace_from_neg_one(s, align, dtype) for s in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    shape = tuple(spatial)
    cols = [np.broadcast_to(m, shape).reshape(-1) for m in reversed(mesh)]
    return np.stack([*cols, np.ones(int(np.prod(shape)), dtype)], axis=-1)


def _size_arg(size: Any) -> tuple[int, ...]:
    if isinstance(size, Tensor) or not isinstance(size, list | tuple):
        raise TypeError(f"affine_grid_generator(): argument 'size' (position 2) must be tuple of ints, not "
                        f"{_type_name(size)}")
    for i, s in enumerate(size):
        if isinstance(s, bool | np.bool_) or not isinstance(s, int | np.integer):
            raise TypeError(f"affine_grid_generator(): argument 'size' failed to unpack the object at pos {i + 1} with "
                            f"error \"type must be tuple of ints,but got {type(s).__name__}\"")
    return tuple(int(s) for s in size)


def affine_grid_generator(theta: Tensor, size: Any, align_corners: bool) -> Tensor:
    """`torch.affine_grid_generator`: base grid (x, y[, z], 1) @ theta^T, as (N, H, W, 2) or (N, D, H, W, 3)."""
    th = _need_tensor("affine_grid_generator", theta, "theta", 1)
    shape = _size_arg(size)
    align = _need_bool("affine_grid_generator", align_corners, "align_corners", 3)
    if len(shape) not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")
    t = th._array
    if t.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(t.ndim, 1)}, "
                         f"{max(t.ndim, 1) - 1}], but got 2)")
    if t.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if t.dtype.kind != "f":
        raise NotImplementedError(f"affine_grid_generator: theta of dtype {scalar_type_name(t.dtype)} is not "
                                  "supported; use a floating-point theta")
    n, spatial = shape[0], shape[2:]
    k = len(spatial)
    if t.shape[0] != n or t.shape[2] != k + 1:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {k + 1}] but got: "
                           f"[{t.shape[0]}, {t.shape[2]}].")
    count = int(np.prod(spatial))
    if t.shape[1] != k:
        out_shape = [n, *spatial, k]
        raise RuntimeError(f"shape '{_sizes(tuple(out_shape))}' is invalid for input of size {n * count * t.shape[1]}")
    base = base_grid(spatial, align, t.dtype)
    out = np.matmul(base, np.swapaxes(t, 1, 2)).reshape(n, *spatial, k)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (np.swapaxes(np.matmul(base.T, g.reshape(n, count, k)), 1, 2),)

    res = Tensor._make(np.ascontiguousarray(out), (th,), backward, "AffineGridGenerator")
    if res._backward is not None:
        res._ctx = base  # for `higher_order`
    return res
