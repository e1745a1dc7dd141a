"""PyTorch reference values for `F.grid_sample` and `F.affine_grid` (and `torch.grid_sampler*`,
`torch.affine_grid_generator`).

Run through the dispatcher inside a venv with torch:  python tools/make_references.py grid_sample
Writes tests/references/nn/grid_sample.json: outputs and the gradients of input and grid for every mode x padding x
align_corners x 2-d/3-d x float32/float64, on random grids reaching outside [-1, 1] with exact-boundary coordinates
mixed in; affine grids and theta's gradient; double backward (gradients of a weighted sum of both gradients); grad_fn
names; and the exception class, message and warnings of bad calls.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from reference_io import write_json

AREA = "nn"

MODES = {2: ("bilinear", "nearest", "bicubic"), 3: ("bilinear", "nearest")}
PADDINGS = ("zeros", "border", "reflection")
# grid values that land exactly on pixel centres, corners, borders and reflection points for the sizes below
EDGES = [-1.0, 1.0, 0.0, -0.5, 0.5, 3.0, -3.0, 1.0 / 3.0, -0.8, 0.6, 2.2, -1.4, 1.5, -2.5, 5.0, -7.0]


def _grid(r: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    g = r.uniform(-1.8, 1.8, shape)
    flat = g.reshape(-1)
    take = min(len(EDGES), flat.size // 2)
    picks = r.choice(flat.size, take, replace=False)
    flat[picks] = EDGES[:take]
    return g.astype(dtype)


def _sample_cases() -> list[dict[str, Any]]:
    r = np.random.default_rng(7)
    cases = []
    shapes = {2: [((2, 3, 5, 6), (2, 4, 3, 2)), ((1, 2, 1, 4), (1, 2, 5, 2)), ((1, 1, 3, 1), (1, 3, 2, 2))],
              3: [((2, 2, 4, 5, 3), (2, 3, 2, 4, 3)), ((1, 2, 1, 3, 2), (1, 2, 3, 2, 3))]}
    for dims in (2, 3):
        for mode in MODES[dims]:
            for padding in PADDINGS:
                for align in (False, True):
                    for dtype in (np.float64, np.float32):
                        for shape, gshape in shapes[dims]:
                            x = r.standard_normal(shape).astype(dtype)
                            g = _grid(r, gshape, dtype)
                            xt = torch.tensor(x, requires_grad=True)
                            gt = torch.tensor(g, requires_grad=True)
                            out = F.grid_sample(xt, gt, mode=mode, padding_mode=padding, align_corners=align)
                            gout = r.standard_normal(tuple(out.shape)).astype(dtype)
                            out.backward(torch.tensor(gout))
                            cases.append({"mode": mode, "padding": padding, "align": align, "input": x, "grid": g,
                                          "out": out, "gout": gout, "grad_input": xt.grad, "grad_grid": gt.grad,
                                          "grad_fn": type(out.grad_fn).__name__})
    return cases


def _nan_cases() -> list[dict[str, Any]]:
    """NaN grid values (forward only): the 3-d kernel sends them out of range; the 2-d one clamps them with border
    and reflection padding."""
    r = np.random.default_rng(8)
    cases = []
    for dims, shape, gshape in ((2, (1, 2, 3, 4), (1, 2, 3, 2)), (3, (1, 2, 2, 3, 4), (1, 2, 1, 3, 3))):
        for mode in MODES[dims]:
            for padding in PADDINGS:
                x = r.standard_normal(shape)
                g = r.uniform(-1, 1, gshape)
                g.reshape(-1)[::3] = np.nan
                out = F.grid_sample(torch.tensor(x), torch.tensor(g), mode=mode, padding_mode=padding,
                                    align_corners=False)
                cases.append({"mode": mode, "padding": padding, "input": x, "grid": g, "out": out})
    return cases


def _empty_cases() -> list[dict[str, Any]]:
    cases = []
    for shape, gshape in (((0, 2, 3, 4), (0, 2, 2, 2)), ((2, 0, 3, 4), (2, 2, 2, 2)), ((2, 3, 3, 4), (2, 0, 2, 2)),
                          ((1, 2, 2, 2, 2), (1, 0, 1, 1, 3))):
        xt = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        gt = torch.zeros(gshape, dtype=torch.float64, requires_grad=True)
        out = F.grid_sample(xt, gt, align_corners=False)
        out.sum().backward()
        cases.append({"input_shape": list(shape), "grid_shape": list(gshape), "out_shape": list(out.shape),
                      "grad_input": xt.grad, "grad_grid": gt.grad})
    return cases


def _affine_cases() -> list[dict[str, Any]]:
    r = np.random.default_rng(9)
    cases = []
    for size in ((2, 3, 4, 5), (1, 1, 1, 3), (3, 2, 5, 1), (2, 1, 3, 4, 2), (1, 2, 1, 2, 3)):
        for align in (False, True):
            for dtype in (np.float64, np.float32):
                k = len(size) - 2
                theta = r.standard_normal((size[0], k, k + 1)).astype(dtype)
                tt = torch.tensor(theta, requires_grad=True)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    grid = F.affine_grid(tt, size, align_corners=align)
                gout = r.standard_normal(tuple(grid.shape)).astype(dtype)
                grid.backward(torch.tensor(gout))
                cases.append({"size": list(size), "align": align, "theta": theta, "out": grid, "gout": gout,
                              "grad_theta": tt.grad, "grad_fn": type(grid.grad_fn).__name__,
                              "warnings": [str(w.message) for w in caught]})
    return cases


def _double_cases() -> list[dict[str, Any]]:
    """Gradients of sum(gx * vx) + sum(gg * vg), gx and gg the create_graph gradients, w.r.t. input, grid and gout."""
    r = np.random.default_rng(10)
    cases = []
    configs = [(2, m, p, a) for m in MODES[2] for p in PADDINGS for a in (False, True)]
    configs += [(3, m, p, False) for m in MODES[3] for p in PADDINGS]
    for dims, mode, padding, align in configs:
        shape, gshape = ((2, 2, 4, 5), (2, 3, 3, 2)) if dims == 2 else ((1, 2, 3, 4, 3), (1, 2, 2, 3, 3))
        x, g = r.standard_normal(shape), _grid(r, gshape, np.float64)
        xt, gt = torch.tensor(x, requires_grad=True), torch.tensor(g, requires_grad=True)
        out = F.grid_sample(xt, gt, mode=mode, padding_mode=padding, align_corners=align)
        gout = r.standard_normal(tuple(out.shape))
        got = torch.tensor(gout, requires_grad=True)
        gx, gg = torch.autograd.grad(out, (xt, gt), got, create_graph=True)
        vx, vg = r.standard_normal(shape), r.standard_normal(gshape)
        loss = (gx * torch.tensor(vx)).sum() + (gg * torch.tensor(vg)).sum()
        dx, dg, dgout = torch.autograd.grad(loss, (xt, gt, got), allow_unused=True)
        cases.append({"mode": mode, "padding": padding, "align": align, "input": x, "grid": g, "gout": gout,
                      "vx": vx, "vg": vg, "gx": gx, "gg": gg, "dx": dx, "dg": dg, "dgout": dgout,
                      "gg_requires_grad": gg.requires_grad})
    # affine_grid's double backward: theta's gradient is linear in the grid's gradient
    theta = torch.tensor(r.standard_normal((2, 2, 3)), requires_grad=True)
    grid = F.affine_grid(theta, (2, 1, 3, 4), align_corners=False)
    (gt,) = torch.autograd.grad((grid ** 3).sum(), theta, create_graph=True)
    (dt,) = torch.autograd.grad((gt ** 2).sum(), theta)
    cases.append({"affine": True, "theta": theta.detach(), "gt": gt, "dt": dt})
    return cases


def _arg(spec: Any) -> Any:
    if isinstance(spec, dict) and "t" in spec:
        r = np.random.default_rng(11)
        return torch.tensor(r.uniform(-1, 1, spec["t"]), dtype=getattr(torch, spec.get("dtype", "float32")))
    if isinstance(spec, dict) and "tuple" in spec:
        return tuple(spec["tuple"])
    if isinstance(spec, dict) and "size" in spec:
        return torch.Size(spec["size"])
    return spec


def _t(*shape: int, dtype: str = "float32") -> dict[str, Any]:
    return {"t": list(shape), "dtype": dtype}


def _error_cases() -> list[dict[str, Any]]:
    x4, g4, x5, g5 = _t(2, 3, 4, 5), _t(2, 3, 3, 2), _t(2, 3, 4, 5, 6), _t(2, 3, 3, 3, 3)
    th, th3 = _t(2, 2, 3), _t(2, 3, 4)
    ac = {"align_corners": False}
    calls: list[tuple[str, str, list[Any], dict[str, Any]]] = [
        ("mode", "grid_sample", [x4, g4], {"mode": "linear", **ac}),
        ("mode_none", "grid_sample", [x4, g4], {"mode": None, **ac}),
        ("padding", "grid_sample", [x4, g4], {"padding_mode": "circular", **ac}),
        ("bicubic_5d", "grid_sample", [x5, g5], {"mode": "bicubic", **ac}),
        ("batch", "grid_sample", [x4, _t(1, 3, 3, 2)], ac),
        ("last_dim", "grid_sample", [x4, _t(2, 3, 3, 3)], ac),
        ("last_dim_5d", "grid_sample", [x5, _t(2, 3, 3, 3, 2)], ac),
        ("grid_dims", "grid_sample", [x4, _t(2, 3, 3, 3, 2)], ac),
        ("grid_dims_5d", "grid_sample", [x5, _t(2, 3, 3, 3)], {"mode": "bicubic", **ac}),
        ("input_3d", "grid_sample", [_t(3, 4, 5), _t(3, 4, 2)], ac),
        ("input_6d", "grid_sample", [_t(1, 1, 2, 2, 2, 2), _t(1, 1, 1, 1, 1, 4)], ac),
        ("input_1d", "grid_sample", [_t(3), _t(3, 1)], ac),
        ("input_0d", "grid_sample", [_t(), g4], ac),
        ("grid_0d", "grid_sample", [x4, _t()], ac),
        ("dtype", "grid_sample", [x4, _t(2, 3, 3, 2, dtype="float64")], ac),
        ("dtype_rev", "grid_sample", [_t(2, 3, 4, 5, dtype="float64"), g4], ac),
        ("dtype_5d", "grid_sample", [x5, _t(2, 3, 3, 3, 3, dtype="float64")], ac),
        ("long", "grid_sample", [_t(2, 3, 4, 5, dtype="int64"), g4], ac),
        ("long_5d", "grid_sample", [_t(2, 3, 4, 5, 6, dtype="int64"), _t(2, 3, 3, 3, 3, dtype="int64")], ac),
        ("long_grid", "grid_sample", [x4, _t(2, 3, 3, 2, dtype="int64")], ac),
        ("empty_spatial", "grid_sample", [_t(2, 3, 0, 5), g4], ac),
        ("batch_before_dtype", "grid_sample", [x4, _t(1, 3, 3, 2, dtype="float64")], ac),
        ("align_int", "grid_sample", [x4, g4], {"align_corners": 1}),
        ("align_str", "grid_sample", [x4, g4], {"align_corners": "yes"}),
        ("grid_list", "grid_sample", [x4, [[1.0]]], ac),
        ("input_list", "grid_sample", [[[1.0]], g4], ac),
        ("default_align", "grid_sample", [x4, g4], {}),
        ("theta_long", "affine_grid", [_t(2, 2, 3, dtype="int64"), {"tuple": [2, 3, 4, 5]}], ac),
        ("theta_bool", "affine_grid", [_t(2, 2, 3, dtype="bool"), {"tuple": [2, 3, 4, 5]}], ac),
        ("theta_shape", "affine_grid", [th3, {"tuple": [2, 3, 4, 5]}], ac),
        ("theta_shape_5d", "affine_grid", [th, {"tuple": [2, 3, 4, 5, 6]}], ac),
        ("theta_2d", "affine_grid", [_t(2, 3), [2, 3, 4, 5]], ac),
        ("theta_4d", "affine_grid", [_t(3, 3, 2, 3), {"size": [2, 3, 4, 5]}], ac),
        ("size_3", "affine_grid", [th, {"tuple": [2, 3, 4]}], ac),
        ("size_zero", "affine_grid", [th, {"tuple": [2, 3, 0, 5]}], ac),
        ("size_negative", "affine_grid", [th, [2, 3, -1, 5]], ac),
        ("size_zero_channels", "affine_grid", [th, {"tuple": [2, 0, 4, 5]}], ac),
        ("size_zero_align", "affine_grid", [th, {"tuple": [2, 3, 0, 5]}], {"align_corners": True}),
        ("unit_align", "affine_grid", [th, {"tuple": [2, 3, 1, 5]}], {"align_corners": True}),
        ("batch_mismatch", "affine_grid", [th, {"tuple": [3, 3, 4, 5]}], ac),
        ("batch_mismatch_5d", "affine_grid", [_t(3, 3, 4), {"tuple": [2, 3, 4, 5, 6]}], ac),
        ("size_float", "affine_grid", [th, {"tuple": [2, 3, 4.0, 5]}], ac),
        ("align_int_affine", "affine_grid", [th, {"tuple": [2, 3, 4, 5]}], {"align_corners": 1}),
        ("default_align_affine", "affine_grid", [th, {"size": [2, 3, 4, 5]}], {}),
        ("theta_list", "affine_grid", [[[1.0]], {"tuple": [2, 3, 4, 5]}], ac),
        ("generator_ok", "torch.affine_grid_generator", [th, {"tuple": [2, 3, 4, 5]}, False], {}),
        ("generator_size", "torch.affine_grid_generator", [th, {"tuple": [2, 3, 4]}, False], {}),
        ("generator_mismatch", "torch.affine_grid_generator", [th, {"tuple": [2, 3, 4, 5, 6]}, False], {}),
        ("generator_theta_2d", "torch.affine_grid_generator", [_t(2, 3), {"tuple": [2, 3, 4, 5]}, False], {}),
        ("generator_theta_4d", "torch.affine_grid_generator", [_t(1, 2, 2, 3), {"tuple": [2, 3, 4, 5]}, False], {}),
        ("generator_rows", "torch.affine_grid_generator", [_t(2, 3, 3), {"tuple": [2, 3, 4, 5]}, False], {}),
        ("generator_size_int", "torch.affine_grid_generator", [th, 5, False], {}),
        ("generator_theta_list", "torch.affine_grid_generator", [[1.0], {"tuple": [2, 3, 4, 5]}, False], {}),
        ("sampler_ok", "torch.grid_sampler", [x4, g4, 2, 1, True], {}),
        ("sampler_5d_bicubic", "torch.grid_sampler", [x5, g5, 2, 0, False], {}),
        ("sampler_mode_str", "torch.grid_sampler", [x4, g4, "a", 0, False], {}),
        ("sampler_align_none", "torch.grid_sampler", [x4, g4, 0, 0, None], {}),
        ("sampler_2d_with_5d", "torch.grid_sampler_2d", [x5, g5, 0, 0, False], {}),
        ("sampler_3d_with_4d", "torch.grid_sampler_3d", [x4, g4, 0, 0, False], {}),
        ("sampler_3d_ok", "torch.grid_sampler_3d", [x5, g5, 1, 2, False], {}),
    ]
    cases = []
    for name, fn, args, kwargs in calls:
        target = getattr(torch, fn.split(".")[1]) if fn.startswith("torch.") else getattr(F, fn)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                out = target(*[_arg(a) for a in args], **kwargs)
            except Exception as e:  # noqa: BLE001 - the class is the reference
                result = {"error": type(e).__name__, "message": str(e).split("\n")[0]}
            else:
                result = {"error": None, "shape": list(out.shape), "dtype": str(out.dtype)}
        result["warnings"] = [str(w.message) for w in caught]
        cases.append({"name": name, "fn": fn, "args": args, "kwargs": kwargs, **result})
    return cases


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float32)
    payload = {"sample": _sample_cases(), "nan": _nan_cases(), "empty": _empty_cases(), "affine": _affine_cases(),
               "double": _double_cases(), "errors": _error_cases()}
    write_json(out_dir / "grid_sample.json", payload)
