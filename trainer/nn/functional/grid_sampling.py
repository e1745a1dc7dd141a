"""`affine_grid` and `grid_sample` (spatial transformer networks), PyTorch's Python-level checks and warnings.

The strings are checked here, `align_corners=None` warns and means False (as in PyTorch 2.13), and the ops in
`autograd.grid_sampling` do the rest (shape and dtype checks with PyTorch's messages, values, gradients).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from ...autograd import grid_sampling as engine
from ...autograd.tensor import Tensor

_DEFAULT_CHANGED = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                    "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                    "grid_sample for details.")
_MODES = {"bilinear": engine.BILINEAR, "nearest": engine.NEAREST, "bicubic": engine.BICUBIC}
_PADDINGS = {"zeros": engine.ZEROS, "border": engine.BORDER, "reflection": engine.REFLECTION}


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """The (N, H, W, 2) (or (N, D, H, W, 3)) sampling grid of the affine maps `theta` (N, 2, 3) (or (N, 3, 4)) for an
    output of `size` (N, C, H, W) (or (N, C, D, H, W)), in [-1, 1] coordinates for `grid_sample`."""
    if align_corners is None:
        warnings.warn(_DEFAULT_CHANGED, UserWarning, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-3:]
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation of "
                      "affine_grid for details.", UserWarning, stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return engine.affine_grid_generator(theta, size, align_corners)


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",  # noqa: A002
                align_corners: bool | None = None) -> Tensor:
    """The input (N, C, H, W) (or (N, C, D, H, W)) sampled at the grid's (N, H', W', 2) (or (N, D', H', W', 3))
    [-1, 1] coordinates: 'bilinear' (trilinear for 5-d), 'nearest' or 'bicubic' (4-d only), outside points as
    'zeros', 'border' or 'reflection'."""
    if mode not in tuple(_MODES):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                         f"got: '{mode}'")
    if padding_mode not in tuple(_PADDINGS):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_DEFAULT_CHANGED, UserWarning, stacklevel=2)
        align_corners = False
    return engine.grid_sampler(input, grid, _MODES[mode], _PADDINGS[padding_mode], align_corners)
