"""`F.grid_sample`, `F.affine_grid`, `torch.grid_sampler*` and `torch.affine_grid_generator` against PyTorch 2.13
(tests/references/nn/grid_sample.json, made by tools/references_grid_sample.py): outputs and the gradients of input
and grid for every mode x padding x align_corners x 2-d/3-d x float32/float64 on grids reaching outside [-1, 1] with
exact-boundary values, NaN grids, empty shapes, affine grids and theta's gradient, double backward, grad_fn names,
warnings, and the exception class and message of bad calls."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.reference_data import assert_close, load_reference

REF = load_reference("nn", "grid_sample")


def _tol(dtype: np.dtype) -> dict[str, float]:
    return {"rtol": 1e-5, "atol": 2e-6} if dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-12}


def _id(case: dict[str, Any]) -> str:
    return (f"{case['input'].ndim - 2}d-{case['mode']}-{case['padding']}-{case['align']}-{case['input'].dtype}-"
            f"{'x'.join(map(str, case['input'].shape))}")


@pytest.mark.parametrize("case", REF["sample"], ids=[_id(c) for c in REF["sample"]])
def test_grid_sample_matches_pytorch(case: dict[str, Any]) -> None:
    x = trainer.tensor(case["input"], requires_grad=True)
    grid = trainer.tensor(case["grid"], requires_grad=True)
    out = F.grid_sample(x, grid, mode=case["mode"], padding_mode=case["padding"], align_corners=case["align"])
    tol = _tol(case["input"].dtype)
    assert out.dtype == x.dtype
    assert_close(out, case["out"], **tol, what="output")
    assert type(out.grad_fn).__name__ == case["grad_fn"]
    out.backward(trainer.tensor(case["gout"]))
    assert_close(x.grad, case["grad_input"], **tol, what="input gradient")
    assert_close(grid.grad, case["grad_grid"], **tol, what="grid gradient")


@pytest.mark.parametrize("case", REF["sample"][::7], ids=[_id(c) for c in REF["sample"][::7]])
def test_only_the_needed_gradient_is_computed_and_it_is_the_same(case: dict[str, Any]) -> None:
    tol = _tol(case["input"].dtype)
    for x_grad in (True, False):
        x = trainer.tensor(case["input"], requires_grad=x_grad)
        grid = trainer.tensor(case["grid"], requires_grad=not x_grad)
        out = F.grid_sample(x, grid, mode=case["mode"], padding_mode=case["padding"], align_corners=case["align"])
        out.backward(trainer.tensor(case["gout"]))
        leaf, key = (x, "grad_input") if x_grad else (grid, "grad_grid")
        assert_close(leaf.grad, case[key], **tol, what=key)
        assert (grid if x_grad else x).grad is None


@pytest.mark.parametrize("case", REF["nan"], ids=[f"{c['input'].ndim - 2}d-{c['mode']}-{c['padding']}"
                                                  for c in REF["nan"]])
def test_nan_grid_values_give_pytorchs_outputs(case: dict[str, Any]) -> None:
    out = F.grid_sample(trainer.tensor(case["input"]), trainer.tensor(case["grid"]), mode=case["mode"],
                        padding_mode=case["padding"], align_corners=False)
    np.testing.assert_allclose(out.numpy(), case["out"], rtol=1e-12, atol=1e-14)  # NaN where PyTorch has NaN


@pytest.mark.parametrize("case", REF["empty"], ids=[str(c["input_shape"]) for c in REF["empty"]])
def test_empty_batches_channels_and_grids(case: dict[str, Any]) -> None:
    x = trainer.zeros(*case["input_shape"], dtype=trainer.float64, requires_grad=True)
    grid = trainer.zeros(*case["grid_shape"], dtype=trainer.float64, requires_grad=True)
    out = F.grid_sample(x, grid, align_corners=False)
    assert list(out.shape) == case["out_shape"]
    out.sum().backward()
    assert_close(x.grad, case["grad_input"])
    assert_close(grid.grad, case["grad_grid"])


@pytest.mark.parametrize("case", REF["affine"], ids=[f"{c['size']}-{c['align']}-{c['theta'].dtype}"
                                                     for c in REF["affine"]])
def test_affine_grid_matches_pytorch(case: dict[str, Any]) -> None:
    theta = trainer.tensor(case["theta"], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grid = F.affine_grid(theta, tuple(case["size"]), align_corners=case["align"])
    assert [str(w.message) for w in caught] == case["warnings"]
    tol = _tol(case["theta"].dtype)
    assert grid.dtype == theta.dtype
    assert_close(grid, case["out"], **tol, what="grid")
    assert type(grid.grad_fn).__name__ == case["grad_fn"]
    grid.backward(trainer.tensor(case["gout"]))
    assert_close(theta.grad, case["grad_theta"], **tol, what="theta gradient")


DOUBLE = [c for c in REF["double"] if not c.get("affine")]


@pytest.mark.parametrize("case", DOUBLE, ids=[_id(c) for c in DOUBLE])
def test_double_backward_matches_pytorch(case: dict[str, Any]) -> None:
    """Both gradients with create_graph, then the gradients of sum(gx * vx) + sum(gg * vg) w.r.t. input, grid and
    grad_output: PyTorch's GridSampler2DBackwardBackward0 / 3D values (None where PyTorch's is None)."""
    x = trainer.tensor(case["input"], requires_grad=True)
    grid = trainer.tensor(case["grid"], requires_grad=True)
    out = F.grid_sample(x, grid, mode=case["mode"], padding_mode=case["padding"], align_corners=case["align"])
    gout = trainer.tensor(case["gout"], requires_grad=True)
    gx, gg = trainer.autograd.grad(out, (x, grid), gout, create_graph=True)
    assert gg.requires_grad == case["gg_requires_grad"] and gx.requires_grad
    assert_close(gx, case["gx"], what="input gradient")
    assert_close(gg, case["gg"], rtol=1e-9, atol=1e-12, what="grid gradient")
    loss = (gx * trainer.tensor(case["vx"])).sum() + (gg * trainer.tensor(case["vg"])).sum()
    got = trainer.autograd.grad(loss, (x, grid, gout), allow_unused=True)
    for name, actual, expected in zip(("input", "grid", "grad_output"), got, (case["dx"], case["dg"],
                                                                              case["dgout"]), strict=True):
        if expected is None:
            assert actual is None, name
        else:
            assert_close(actual, expected, rtol=1e-9, atol=1e-12, what=f"second derivative w.r.t. {name}")


def test_affine_grid_double_backward_matches_pytorch() -> None:
    (case,) = [c for c in REF["double"] if c.get("affine")]
    theta = trainer.tensor(case["theta"], requires_grad=True)
    grid = F.affine_grid(theta, (2, 1, 3, 4), align_corners=False)
    (gt,) = trainer.autograd.grad((grid ** 3).sum(), theta, create_graph=True)
    (dt,) = trainer.autograd.grad((gt ** 2).sum(), theta)
    assert_close(gt, case["gt"], rtol=1e-10)
    assert_close(dt, case["dt"], rtol=1e-10)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_third_derivative_in_the_grid_matches_finite_differences(mode: str) -> None:
    """Second derivatives are graphs again: d/dgrid of the grid's second derivative along v, against central
    differences of the second derivative itself."""
    r = np.random.default_rng(0)
    x = trainer.tensor(r.standard_normal((1, 2, 4, 5)))
    base = r.uniform(-0.9, 0.9, (1, 2, 3, 2))
    v, w = trainer.tensor(r.standard_normal(base.shape)), r.standard_normal(base.shape)

    def second(g: np.ndarray, create: bool) -> Any:
        grid = trainer.tensor(g, requires_grad=True)
        out = F.grid_sample(x, grid, mode=mode, padding_mode="border", align_corners=True)
        (gg,) = trainer.autograd.grad(out.pow(3).sum(), grid, create_graph=True)
        (hv,) = trainer.autograd.grad((gg * v).sum(), grid, create_graph=create)
        return grid, hv

    grid, hv = second(base, True)
    (third,) = trainer.autograd.grad((hv * trainer.tensor(w)).sum(), grid)
    eps = 1e-6
    numeric = np.zeros(base.size)
    for i in range(base.size):
        step = np.zeros(base.size)
        step[i] = eps
        up = second(base + step.reshape(base.shape), False)[1].numpy()
        down = second(base - step.reshape(base.shape), False)[1].numpy()
        numeric[i] = ((up - down) * w).sum() / (2 * eps)
    np.testing.assert_allclose(third.numpy().reshape(-1), numeric, rtol=1e-5, atol=1e-6)


def _arg(spec: Any) -> Any:
    if isinstance(spec, dict) and "t" in spec:
        r = np.random.default_rng(11)
        return trainer.tensor(r.uniform(-1, 1, spec["t"]), dtype=getattr(trainer, spec.get("dtype", "float32")))
    if isinstance(spec, dict) and "tuple" in spec:
        return tuple(spec["tuple"])
    if isinstance(spec, dict) and "size" in spec:
        return trainer.Size(spec["size"])
    return spec


@pytest.mark.parametrize("case", REF["errors"], ids=[c["name"] for c in REF["errors"]])
def test_calls_fail_and_warn_as_in_pytorch(case: dict[str, Any]) -> None:
    target = getattr(trainer, case["fn"].split(".")[1]) if case["fn"].startswith("torch.") else getattr(F, case["fn"])
    args = [_arg(a) for a in case["args"]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case["error"] is None:
            out = target(*args, **case["kwargs"])
            assert list(out.shape) == case["shape"] and str(out.dtype) == case["dtype"]
        else:
            with pytest.raises(Exception) as info:  # noqa: PT011 - the class is compared below
                target(*args, **case["kwargs"])
            assert type(info.value).__name__ == case["error"], repr(info.value)
            assert str(info.value) == case["message"]
    assert [str(w.message) for w in caught] == case["warnings"]


def test_the_default_align_corners_warning_points_at_the_caller() -> None:
    x, grid = trainer.rand(1, 1, 3, 3), trainer.zeros(1, 2, 2, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F.grid_sample(x, grid)
        F.affine_grid(trainer.zeros(1, 2, 3), (1, 1, 2, 2))
    assert [w.category for w in caught] == [UserWarning, UserWarning]
    assert all(w.filename == __file__ for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an explicit align_corners never warns
        F.grid_sample(x, grid, align_corners=False)
        F.affine_grid(trainer.zeros(1, 2, 3), (1, 1, 2, 2), align_corners=True)


def test_a_spatial_transformer_graph_prints_pytorchs_nodes() -> None:
    theta = trainer.zeros(1, 2, 3, requires_grad=True)
    x = trainer.rand(1, 1, 4, 4, requires_grad=True)
    out = F.grid_sample(x, F.affine_grid(theta, (1, 1, 4, 4), align_corners=False), align_corners=False)
    assert repr(out.grad_fn).startswith("<GridSampler2DBackward0 object at ")
    names = [type(n).__name__ for n, _ in out.grad_fn.next_functions]
    assert names == ["AccumulateGrad", "AffineGridGeneratorBackward0"]
    out3 = F.grid_sample(trainer.rand(1, 1, 2, 2, 2), F.affine_grid(trainer.zeros(1, 3, 4, requires_grad=True),
                                                                     (1, 1, 2, 2, 2), align_corners=False),
                         align_corners=False)
    assert type(out3.grad_fn).__name__ == "GridSampler3DBackward0"


def test_the_identity_transform_reproduces_the_input() -> None:
    x = trainer.tensor(np.random.default_rng(1).standard_normal((2, 3, 5, 7)))
    eye = trainer.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]] * 2, dtype=trainer.float64)
    for align in (False, True):
        grid = F.affine_grid(eye, (2, 3, 5, 7), align_corners=align)
        for mode in ("bilinear", "nearest", "bicubic"):
            out = F.grid_sample(x, grid, mode=mode, align_corners=align)
            np.testing.assert_allclose(out.numpy(), x.numpy(), atol=1e-12)


def test_top_level_sampler_takes_pytorchs_enums() -> None:
    case = REF["sample"][0]
    x, grid = trainer.tensor(case["input"]), trainer.tensor(case["grid"])
    enum = {"bilinear": 0, "nearest": 1, "bicubic": 2}[case["mode"]], {"zeros": 0, "border": 1, "reflection": 2}
    out = trainer.grid_sampler(x, grid, enum[0], enum[1][case["padding"]], case["align"])
    assert_close(out, case["out"], rtol=1e-9)
    assert_close(trainer.grid_sampler_2d(x, grid, enum[0], enum[1][case["padding"]], case["align"]), case["out"],
                 rtol=1e-9)
    with pytest.raises(RuntimeError, match="unknown interpolation_mode 7"):
        trainer.grid_sampler(x, grid, 7, 0, False)


def test_float16_computes_in_float32_and_returns_float16() -> None:
    case = [c for c in REF["sample"] if c["input"].dtype == np.float32 and c["mode"] == "bicubic"][0]
    x = trainer.tensor(case["input"].astype(np.float16), requires_grad=True)
    grid = trainer.tensor(case["grid"].astype(np.float16), requires_grad=True)
    out = F.grid_sample(x, grid, mode="bicubic", padding_mode=case["padding"], align_corners=case["align"])
    assert out.dtype == trainer.float16
    wide = F.grid_sample(x.detach().float(), grid.detach().float(), mode="bicubic", padding_mode=case["padding"],
                         align_corners=case["align"])
    np.testing.assert_allclose(out.detach().numpy(), wide.numpy().astype(np.float16), rtol=1e-3, atol=1e-3)
    out.sum().backward()
    assert x.grad.dtype == trainer.float16 and grid.grad.dtype == trainer.float16


def test_a_large_batch_samples_and_differentiates() -> None:
    """32 images of 3 x 64 x 64 (the speed of this is a bench matter, never a timed assertion here)."""
    r = np.random.default_rng(2)
    x = trainer.tensor(r.standard_normal((32, 3, 64, 64)).astype(np.float32), requires_grad=True)
    theta = trainer.tensor(np.tile(np.array([[0.9, 0.1, 0.05], [-0.1, 0.9, 0.0]], np.float32), (32, 1, 1)),
                           requires_grad=True)
    out = F.grid_sample(x, F.affine_grid(theta, (32, 3, 64, 64), align_corners=False), align_corners=False)
    out.sum().backward()
    assert theta.grad.shape == (32, 2, 3) and x.grad.shape == (32, 3, 64, 64)


def test_theta_changed_in_place_after_affine_grid_still_backpropagates() -> None:
    """AffineGridGenerator's backward reads only the base grid, so PyTorch lets theta change afterwards."""
    theta = trainer.tensor([[[1.0, 0.1, 0.0], [0.0, 1.0, 0.2]]], requires_grad=True)
    scaled = theta * 1
    grid = F.affine_grid(scaled, (1, 1, 3, 3), align_corners=False)
    scaled.mul_(2)
    grid.sum().backward()
    np.testing.assert_allclose(theta.grad._array, [[[0.0, 0.0, 9.0], [0.0, 0.0, 9.0]]], atol=1e-6)
