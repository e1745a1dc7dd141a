"""PyTorch reference values for the volumetric (3-d) family: F.conv3d / conv_transpose3d, the 3-d pooling functions
(max with indices, average, adaptive, unpooling, lp), dropout3d, the Conv3d / ConvTranspose3d / pooling modules,
their default initialisation, second derivatives through create_graph, and PyTorch's messages for bad arguments.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py conv3d
Writes tests/references/conv/conv3d.json and tests/references/pool/pool3d.json. Cases are float64 (values to
1e-7) with some float32 ones (compared at float32's precision); each records inputs, options, output, upstream
gradient, input/weight/bias gradients, returned indices and the grad_fn's name.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import write_json
from references_nn import _module_case, _rng
from references_pool import _pool_cases
from references_pool import _run as _pool_run

AREA = "conv"


def _run(name: str, fn: str, inputs: dict[str, np.ndarray], kwargs: dict[str, Any], seed: int) -> dict[str, Any]:
    """F.<fn>(*inputs, **kwargs) in the inputs' dtype, backward with a fixed upstream gradient of that dtype; the
    first output (and the indices) when the function returns two."""
    tensors = {k: torch.tensor(v, requires_grad=v.dtype.kind == "f") for k, v in inputs.items()}
    result = getattr(F, fn)(*tensors.values(), **kwargs)
    out, indices = result if isinstance(result, tuple) else (result, None)
    gout = _rng(seed + 1000).standard_normal(tuple(out.shape)).astype(next(iter(inputs.values())).dtype)
    out.backward(torch.tensor(gout))
    return {"name": name, "fn": fn, "inputs": inputs, "order": list(inputs), "kwargs": kwargs, "out": out,
            "gout": gout, "grads": {k: t.grad for k, t in tensors.items() if t.requires_grad}, "indices": indices,
            "grad_fn": out.grad_fn.name()}


def _conv_inputs(r: np.random.Generator, x: tuple[int, ...], w: tuple[int, ...], bias: int | None,
                 dtype: Any = np.float64) -> dict[str, np.ndarray]:
    inputs = {"input": r.standard_normal(x).astype(dtype), "weight": r.standard_normal(w).astype(dtype)}
    if bias is not None:
        inputs["bias"] = r.standard_normal(bias).astype(dtype)
    return inputs


def conv_cases() -> list[dict[str, Any]]:
    """conv3d over strides, paddings (ints, tuples, 'same' with odd and even kernels, 'valid'), dilations, groups
    (depthwise too), bias or none, batched and unbatched, odd shapes; a few in float32."""
    r = _rng(31)
    cases: list[dict[str, Any]] = []
    grid = [  # (x shape, weight shape, kwargs)
        ((2, 3, 5, 6, 4), (4, 3, 3, 3, 3), {}),
        ((2, 3, 7, 6, 5), (4, 3, 3, 3, 2), {"stride": 2, "padding": 1}),
        ((1, 2, 7, 5, 6), (3, 2, 2, 3, 2), {"stride": (2, 1, 3), "padding": (1, 2, 0), "dilation": (2, 1, 2)}),
        ((2, 4, 4, 5, 3), (6, 2, 3, 3, 1), {"groups": 2, "padding": 1}),
        ((1, 4, 5, 4, 4), (4, 1, 3, 2, 3), {"groups": 4, "padding": (1, 0, 1)}),  # depthwise
        ((2, 3, 5, 6, 4), (4, 3, 3, 3, 3), {"padding": "same"}),
        ((1, 3, 5, 4, 6), (2, 3, 2, 3, 4), {"padding": "same"}),  # even kernels: asymmetric padding
        ((1, 2, 7, 6, 5), (2, 2, 2, 2, 3), {"padding": "same", "dilation": (3, 1, 2)}),
        ((2, 3, 6, 5, 7), (2, 3, 2, 2, 3), {"padding": "valid", "dilation": 2}),
        ((3, 5, 4, 6), (4, 3, 3, 3, 3), {"padding": 1}),  # unbatched
        ((2, 2, 3, 4, 2), (3, 2, 3, 4, 2), {}),  # the kernel covers the whole input
        ((2, 3, 4, 5, 6), (2, 3, 1, 1, 1), {"stride": (1, 2, 3)}),  # 1x1x1
        ((1, 6, 5, 5, 5), (6, 2, 2, 2, 2), {"groups": 3, "stride": 2, "padding": (1, 0, 1), "dilation": 2}),
    ]
    for i, (xs, ws, kw) in enumerate(grid):
        for bias in (True, False):
            inputs = _conv_inputs(r, xs, ws, ws[0] if bias else None)
            cases.append(_run(f"conv3d_{i}{'' if bias else '_nobias'}", "conv3d", inputs, kw, len(cases)))
    for i in (1, 2, 4, 6):
        xs, ws, kw = grid[i]
        inputs = _conv_inputs(r, xs, ws, ws[0], np.float32)
        cases.append(_run(f"conv3d_{i}_float32", "conv3d", inputs, kw, len(cases)))
    tgrid = [  # (x shape, weight shape (C_in, C_out/groups, *k), kwargs)
        ((2, 3, 3, 4, 2), (3, 4, 3, 3, 2), {}),
        ((2, 3, 3, 2, 4), (3, 2, 3, 3, 3), {"stride": 2, "padding": 1, "output_padding": 1}),
        ((1, 2, 3, 3, 2), (2, 2, 3, 2, 2), {"stride": (2, 3, 1), "padding": (1, 0, 0), "output_padding": (0, 2, 0)}),
        ((1, 4, 2, 3, 3), (4, 3, 3, 3, 2), {"groups": 2, "stride": 2, "dilation": (2, 1, 1)}),
        ((2, 4, 3, 2, 3), (4, 1, 3, 3, 3), {"groups": 4, "stride": 2, "padding": 1}),  # depthwise
        ((1, 2, 2, 3, 2), (2, 3, 2, 2, 2), {"stride": 3, "dilation": 2, "output_padding": 2, "padding": 1}),
        ((3, 3, 2, 4), (3, 2, 3, 3, 3), {"stride": 2}),  # unbatched
        ((2, 3, 2, 3, 3), (3, 2, 4, 4, 4), {"stride": 2, "padding": 1}),  # the 3-d DCGAN block
    ]
    for i, (xs, ws, kw) in enumerate(tgrid):
        for bias in (True, False):
            inputs = _conv_inputs(r, xs, ws, ws[1] * kw.get("groups", 1) if bias else None)
            cases.append(_run(f"conv_transpose3d_{i}{'' if bias else '_nobias'}", "conv_transpose3d", inputs, kw,
                              len(cases)))
    for i in (1, 3):
        xs, ws, kw = tgrid[i]
        inputs = _conv_inputs(r, xs, ws, ws[1] * kw.get("groups", 1), np.float32)
        cases.append(_run(f"conv_transpose3d_{i}_float32", "conv_transpose3d", inputs, kw, len(cases)))
    return cases


def conv_module_cases() -> dict[str, Any]:
    """Conv3d in every padding mode (with 'same' and even kernels), groups, dilation, no bias; ConvTranspose3d with
    output_padding and output_size; reprs."""
    r = _rng(32)
    cases = []
    for mode, padding, kernel in itertools.product(("zeros", "reflect", "replicate", "circular"),
                                                   (1, "same", (2, 1, 0)), (3, (2, 3, 1))):
        tag = f"{mode}_{padding if isinstance(padding, int | str) else 'x'.join(map(str, padding))}"
        tag += f"_k{kernel if isinstance(kernel, int) else 'x'.join(map(str, kernel))}"
        cases.append(_module_case(f"conv3d_{tag}", "Conv3d", {"in_channels": 2, "out_channels": 3,
                                  "kernel_size": kernel, "padding": padding, "padding_mode": mode},
                                  [r.standard_normal((2, 2, 4, 5, 4))]))
    cases.append(_module_case("conv3d_full", "Conv3d", {"in_channels": 4, "out_channels": 6, "kernel_size": (3, 2, 2),
                              "stride": (2, 1, 2), "padding": (1, 2, 1), "dilation": (1, 2, 1), "groups": 2,
                              "bias": False, "padding_mode": "reflect"},
                              [r.standard_normal((2, 4, 5, 4, 5)), r.standard_normal((4, 5, 4, 5))]))
    cases.append(_module_case("conv_transpose3d", "ConvTranspose3d", {"in_channels": 4, "out_channels": 2,
                              "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1, "groups": 2},
                              [r.standard_normal((2, 4, 2, 3, 2))]))
    cases.append(_module_case("conv_transpose3d_dilated", "ConvTranspose3d", {"in_channels": 3, "out_channels": 2,
                              "kernel_size": (2, 3, 2), "stride": (1, 2, 2), "dilation": 2, "bias": False},
                              [r.standard_normal((1, 3, 2, 2, 3))]))
    output_size = []
    for size in ([5, 7, 9], [6, 8, 10], [2, 2, 6, 7, 9], [2, 5, 8, 10]):
        torch.manual_seed(0)
        layer = tnn.ConvTranspose3d(4, 2, 3, stride=2, padding=1).double()
        x = r.standard_normal((2, 4, 3, 4, 5)) if len(size) != 4 else r.standard_normal((4, 3, 4, 5))
        out = layer(torch.tensor(x), output_size=size)
        output_size.append({"output_size": size, "input": x, "state": dict(layer.state_dict()), "out": out})
    reprs = []
    for ctor, kwargs in (("Conv3d", {"in_channels": 3, "out_channels": 8, "kernel_size": 3}),
                         ("Conv3d", {"in_channels": 4, "out_channels": 8, "kernel_size": (3, 5, 1), "stride": 2,
                                     "padding": (1, 2, 0), "dilation": 2, "groups": 4, "bias": False,
                                     "padding_mode": "circular"}),
                         ("Conv3d", {"in_channels": 3, "out_channels": 8, "kernel_size": 4, "padding": "same"}),
                         ("Conv3d", {"in_channels": 3, "out_channels": 8, "kernel_size": 4, "padding": "valid"}),
                         ("ConvTranspose3d", {"in_channels": 3, "out_channels": 5, "kernel_size": 2, "stride": 2,
                                              "output_padding": 1}),
                         ("ConvTranspose3d", {"in_channels": 3, "out_channels": 6, "kernel_size": 3, "groups": 3,
                                              "dilation": 2, "bias": False}),
                         ("LazyConv3d", {"out_channels": 4, "kernel_size": 3}),
                         ("LazyConvTranspose3d", {"out_channels": 4, "kernel_size": (1, 2, 3), "stride": 2})):
        reprs.append({"ctor": ctor, "kwargs": kwargs, "repr": repr(getattr(tnn, ctor)(**kwargs))})
    return {"cases": cases, "output_size": output_size, "reprs": reprs}


def init_cases() -> list[dict[str, Any]]:
    """`torch.manual_seed(s); nn.Conv3d(...)`: the exact default weights in float32 (and one float64); the lazy
    layers' weights after their first forward."""
    layers = {
        "conv3d_3_8_k3": lambda: tnn.Conv3d(3, 8, 3),
        "conv3d_4_6_k3x2x1_g2": lambda: tnn.Conv3d(4, 6, (3, 2, 1), groups=2),
        "conv3d_1_4_k2_nobias": lambda: tnn.Conv3d(1, 4, 2, bias=False),
        "conv_transpose3d_4_6_k3_g2": lambda: tnn.ConvTranspose3d(4, 6, 3, groups=2),
        "conv_transpose3d_3_2_k2x3x2": lambda: tnn.ConvTranspose3d(3, 2, (2, 3, 2)),
        "conv3d_2_3_k3_float64": lambda: tnn.Conv3d(2, 3, 3, dtype=torch.float64),
    }
    cases = []
    for name, make in layers.items():
        for seed in (0, 7):
            torch.manual_seed(seed)
            cases.append({"layer": name, "seed": seed, "state": dict(make().state_dict())})
    for name, make in (("lazy_conv3d_4_k3", lambda: tnn.LazyConv3d(4, 3)),
                       ("lazy_conv_transpose3d_4_k2", lambda: tnn.LazyConvTranspose3d(4, 2, stride=2))):
        torch.manual_seed(3)
        layer = make()
        layer(torch.zeros(2, 3, 4, 4, 4))
        cases.append({"layer": name, "seed": 3, "state": dict(layer.state_dict()), "repr": repr(layer)})
    return cases


def create_graph_cases() -> list[dict[str, Any]]:
    """A gradient penalty through a convolution: g = d/dx sum(conv(x)^2) with create_graph, then sum(g^2) + sum(g*x)
    differentiated in x, weight and bias (float64)."""
    r = _rng(33)
    cases = []
    for fn, xs, ws, kw in (("conv3d", (2, 2, 4, 5, 4), (3, 2, 2, 3, 2), {"stride": (1, 2, 1), "padding": 1}),
                           ("conv3d", (1, 4, 4, 4, 6), (4, 2, 3, 3, 3), {"groups": 2, "dilation": (1, 1, 2)}),
                           ("conv_transpose3d", (2, 3, 2, 3, 2), (3, 2, 3, 2, 3), {"stride": 2, "padding": 1})):
        inputs = _conv_inputs(r, xs, ws, ws[0] if fn == "conv3d" else ws[1])
        t = {k: torch.tensor(v, requires_grad=True) for k, v in inputs.items()}
        (g,) = torch.autograd.grad(getattr(F, fn)(*t.values(), **kw).pow(2).sum(), t["input"], create_graph=True)
        ((g * g).sum() + (g * t["input"]).sum()).backward()
        cases.append({"name": f"{fn}_{len(cases)}", "fn": fn, "inputs": inputs, "kwargs": kw, "first": g,
                      "grads": {k: v.grad for k, v in t.items()}})
    return cases


def _error(call: Any, name: str) -> dict[str, str]:
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the message is the reference
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError(f"{name}: expected an error")


def conv_error_cases() -> list[dict[str, Any]]:
    """What PyTorch says (float64: its generic path, not oneDNN's) for bad shapes and arguments."""
    z = torch.zeros
    calls: dict[str, Any] = {
        "conv3d_rank": ("conv3d", (5, 6, 7), (4, 3, 2, 2, 2), None, {}),
        "conv3d_rank_6": ("conv3d", (1, 2, 3, 5, 6, 7), (4, 3, 2, 2, 2), None, {}),
        "conv3d_channels": ("conv3d", (1, 4, 5, 5, 5), (8, 3, 3, 3, 3), None, {}),
        "conv3d_groups_weight": ("conv3d", (1, 3, 5, 5, 5), (4, 1, 2, 2, 2), None, {"groups": 3}),
        "conv3d_bias": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 2, 2, 2), (3,), {}),
        "conv3d_kernel_too_big": ("conv3d", (1, 3, 5, 6, 7), (4, 3, 9, 2, 2), None, {}),
        "conv3d_same_strided": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"padding": "same", "stride": 2}),
        "conv3d_bad_padding_string": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"padding": "full"}),
        "conv3d_negative_padding": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"padding": -1}),
        "conv3d_padding_length": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"padding": (1, 1)}),
        "conv3d_zero_stride": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"stride": 0}),
        "conv3d_zero_dilation": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"dilation": 0}),
        "conv3d_zero_groups": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"groups": 0}),
        "conv3d_stride_length": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3, 3), None, {"stride": [1, 2]}),
        "conv3d_weight_rank": ("conv3d", (1, 3, 5, 5, 5), (4, 3, 3, 3), None, {}),
        "conv_transpose3d_channels": ("conv_transpose3d", (1, 3, 4, 4, 4), (4, 2, 2, 2, 2), None, {}),
        "conv_transpose3d_bias": ("conv_transpose3d", (1, 4, 3, 3, 3), (4, 2, 2, 2, 2), (3,), {"groups": 2}),
        "conv_transpose3d_output_padding": ("conv_transpose3d", (1, 3, 3, 3, 3), (3, 2, 2, 2, 2), None,
                                            {"stride": 2, "output_padding": 2}),
        "conv_transpose3d_too_small": ("conv_transpose3d", (1, 3, 5, 6, 7), (3, 2, 2, 2, 2), None,
                                       {"padding": (3, 0, 0)}),
        "conv_transpose3d_rank": ("conv_transpose3d", (3, 4, 4), (3, 2, 2, 2, 2), None, {}),
    }
    out = []
    for name, (fn, xs, ws, bs, kw) in calls.items():
        def call(fn=fn, xs=xs, ws=ws, bs=bs, kw=kw) -> Any:
            return getattr(F, fn)(z(xs), z(ws), None if bs is None else z(bs), **kw)

        out.append({"name": name, "fn": fn, "input": list(xs), "weight": list(ws), "bias": bs and list(bs),
                    "kwargs": kw, **_error(call, name)})
    out.append({"name": "conv3d_dtypes", "fn": "conv3d", "input": [1, 3, 4, 4, 4], "weight": [4, 3, 2, 2, 2],
                "bias": None, "kwargs": {}, "weight_dtype": "float32",
                **_error(lambda: F.conv3d(z(1, 3, 4, 4, 4), z(4, 3, 2, 2, 2, dtype=torch.float32)), "dtypes")})
    modules: dict[str, Any] = {
        "module_in_groups": ("Conv3d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 3}),
        "module_same_strided": ("Conv3d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2,
                                           "padding": "same"}),
        "module_padding_mode": ("Conv3d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3,
                                           "padding_mode": "mirror"}),
        "module_transpose_padding_mode": ("ConvTranspose3d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3,
                                                              "padding_mode": "reflect"}),
    }
    for name, (ctor, kwargs) in modules.items():
        out.append({"name": name, "ctor": ctor, "kwargs": kwargs,
                    **_error(lambda ctor=ctor, kwargs=kwargs: getattr(tnn, ctor)(**kwargs), name)})
    layer = tnn.ConvTranspose3d(4, 2, 3, stride=2, padding=1)
    for size, shape in (([4, 7, 9], [2, 4, 3, 4, 5]), ([7, 9], [2, 4, 3, 4, 5]), ([2, 2, 5, 7, 9], [4, 3, 4, 5])):
        out.append({"name": f"output_size_{len(size)}_{len(shape)}d", "ctor": "ConvTranspose3d", "output_size": size,
                    "input": shape, **_error(lambda size=size, shape=shape: layer(z(shape), output_size=size),
                                             "output_size")})
    reflect = tnn.Conv3d(3, 4, 3, padding=6, padding_mode="reflect")
    out.append({"name": "module_reflect_too_big", "ctor": "Conv3d", "module": "reflect6", "input": [2, 3, 5, 6, 7],
                **_error(lambda: reflect(z(2, 3, 5, 6, 7)), "reflect")})
    return out


# ----- pooling ----------------------------------------------------------------------------------------------------


def pool_cases() -> list[dict[str, Any]]:
    """Every 3-d pooling function over its options (a sample of the valid combinations), ceil-mode edge cases where
    the last window starts in the padding or runs past the input, odd shapes, unbatched inputs, float32 ones."""
    r = _rng(41)
    x5 = [r.standard_normal((2, 2, 5, 6, 7)), r.standard_normal((1, 3, 7, 5, 4)), r.standard_normal((2, 4, 3, 5))]
    cases: list[dict[str, Any]] = []
    _pool_cases(cases, "max_pool3d", {"kernel_size": (2, 3, (2, 3, 1)), "stride": (None, 1, 2, (1, 2, 3)),
                                      "padding": (0, 1, (1, 0, 1)), "dilation": (1, 2, (2, 1, 1)),
                                      "ceil_mode": (False, True), "return_indices": (True,)}, x5, every=7)
    _pool_cases(cases, "avg_pool3d", {"kernel_size": (2, 3, (3, 2, 1)), "stride": (None, 1, 2, (2, 1, 3)),
                                      "padding": (0, 1, (1, 0, 1)), "ceil_mode": (False, True),
                                      "count_include_pad": (True, False), "divisor_override": (None, 5)}, x5,
                every=6)
    odd = r.standard_normal((1, 2, 6, 5, 7))
    edges = [  # ceil mode: the last window starts in the padding (dropped) or runs past the input (clipped)
        ("max_pool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True}),
        ("max_pool3d", {"kernel_size": 2, "stride": 3, "ceil_mode": True, "return_indices": True}),
        ("max_pool3d", {"kernel_size": (3, 2, 2), "stride": (2, 2, 3), "padding": (1, 1, 0), "dilation": (1, 2, 2),
                        "ceil_mode": True, "return_indices": True}),
        ("max_pool3d", {"kernel_size": (7, 2, 2), "ceil_mode": True, "return_indices": True}),  # one window > input
        ("max_pool3d", {"kernel_size": (7, 2, 2), "ceil_mode": True, "return_indices": True}),  # one window > input
        ("avg_pool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
        ("avg_pool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}),
        ("avg_pool3d", {"kernel_size": 2, "stride": 3, "ceil_mode": True, "divisor_override": 3}),
        ("avg_pool3d", {"kernel_size": (2, 3, 2), "stride": (3, 2, 2), "padding": (1, 1, 0), "ceil_mode": True,
                        "count_include_pad": False}),
    ]
    for fn, kw in edges:
        cases.append(_pool_run(f"{fn}/ceil_{len(cases)}", fn, {"input": odd}, kw, len(cases)))
    shapes = [(2, 3, 5, 6, 7), (1, 2, 4, 9, 3), (3, 6, 5, 4)]
    for fn in ("adaptive_avg_pool3d", "adaptive_max_pool3d"):
        extra = {"return_indices": True} if fn == "adaptive_max_pool3d" else {}
        for j, size in enumerate((1, 2, (3, 4, 2), (None, 3, 5), (5, 6, 7), (4, 7, 2), (2, None, None), (1, 1, 3))):
            x = r.standard_normal(shapes[j % len(shapes)])
            cases.append(_pool_run(f"{fn}/{len(cases)}", fn, {"input": x}, {"output_size": size, **extra},
                                   len(cases)))
    # windows that do not overlap: PyTorch's unpooling is nondeterministic where two windows share a maximum
    for j, (xs, kw) in enumerate((((2, 2, 4, 6, 4), {"kernel_size": 2}),
                                  ((2, 3, 5, 6, 7), {"kernel_size": (2, 3, 2), "stride": (2, 2, 3)}),
                                  ((3, 4, 6, 4), {"kernel_size": 2, "padding": (1, 0, 1)}))):
        x = r.standard_normal(xs)
        out, idx = F.max_pool3d(torch.tensor(x), **kw, return_indices=True)
        values = r.standard_normal(tuple(out.shape))
        size = list(xs[-3:])
        for osz in (None, size, [*xs[:-3], *size]) if len(xs) == 5 else (None, tuple(size)):
            extra = {} if osz is None else {"output_size": osz}
            if osz is None and j == 1:
                continue  # the default size does not hold this input's indices
            inputs = {"input": values, "indices": idx.numpy()}
            cases.append(_pool_run(f"max_unpool3d/{len(cases)}", "max_unpool3d", inputs, {**kw, **extra}, len(cases)))
    for norm, kw in ((2.0, {"kernel_size": 2}), (3.0, {"kernel_size": (2, 3, 1), "stride": 1}),
                     (1.5, {"kernel_size": 3, "stride": 2, "ceil_mode": True}), (float("inf"), {"kernel_size": 2}),
                     (1.0, {"kernel_size": (1, 2, 2), "stride": (1, 1, 2)})):
        x = np.abs(r.standard_normal((2, 2, 5, 6, 4))) + 0.1
        cases.append(_pool_run(f"lp_pool3d/{len(cases)}", "lp_pool3d", {"input": x}, {"norm_type": norm, **kw},
                               len(cases)))
    for fn, kw in (("max_pool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
                                   "return_indices": True}),
                   ("avg_pool3d", {"kernel_size": 2, "stride": 1, "padding": 1, "count_include_pad": False}),
                   ("adaptive_avg_pool3d", {"output_size": (2, 3, 4)}),
                   ("adaptive_max_pool3d", {"output_size": 3, "return_indices": True}),
                   ("lp_pool3d", {"norm_type": 2.0, "kernel_size": 2})):
        x = (np.abs(r.standard_normal((2, 3, 5, 6, 7))) + 0.1).astype(np.float32)
        cases.append(_run(f"{fn}/float32_{len(cases)}", fn, {"input": x}, kw, len(cases)))
    for kw in ({"scale_factor": 2, "mode": "trilinear"},
               {"size": (5, 3, 7), "mode": "trilinear", "align_corners": True},
               {"size": (3, 7, 4), "mode": "trilinear"},
               {"scale_factor": (1.5, 0.6, 2.3), "mode": "trilinear", "recompute_scale_factor": True},
               {"scale_factor": (1.7, 2, 0.8), "mode": "trilinear", "align_corners": False},
               {"scale_factor": 2, "mode": "nearest"}, {"size": (5, 3, 7), "mode": "nearest"},
               {"scale_factor": (1.5, 0.6, 2.3), "mode": "nearest-exact"},
               {"size": (4, 4, 4), "mode": "nearest-exact"}):
        x = r.standard_normal((2, 2, 3, 4, 5))
        cases.append(_pool_run(f"interpolate/{len(cases)}", "interpolate", {"input": x}, kw, len(cases)))
    x = r.standard_normal((1, 2, 3, 4, 5)).astype(np.float32)
    cases.append(_run(f"interpolate/float32_{len(cases)}", "interpolate", {"input": x},
                      {"size": (5, 6, 4), "mode": "trilinear"}, len(cases)))
    # ties: equal values in a window, the first in row-major order wins
    ties = np.repeat(np.repeat(r.integers(0, 3, (1, 2, 3, 3, 3)).astype(np.float64), 2, axis=-1), 2, axis=-3)
    cases.append(_pool_run(f"max_pool3d/ties_{len(cases)}", "max_pool3d", {"input": ties},
                           {"kernel_size": 2, "stride": 1, "return_indices": True}, len(cases)))
    cases.append(_pool_run(f"adaptive_max_pool3d/ties_{len(cases)}", "adaptive_max_pool3d", {"input": ties},
                           {"output_size": (2, 2, 3), "return_indices": True}, len(cases)))
    return cases


def pool_create_graph_cases() -> list[dict[str, Any]]:
    """Second derivatives through the 3-d poolings: g = d/dx sum(pool(x)^2) with create_graph, then sum(g^2 * x)
    differentiated in x."""
    r = _rng(42)
    cases = []
    for fn, kw in (("max_pool3d", {"kernel_size": 2, "stride": 1, "padding": 1}),
                   ("avg_pool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
                   ("adaptive_avg_pool3d", {"output_size": (2, 3, 2)}),
                   ("adaptive_max_pool3d", {"output_size": 2}),
                   ("adaptive_avg_pool3d", {"output_size": 1})):
        x = r.standard_normal((2, 2, 4, 5, 3))
        t = torch.tensor(x, requires_grad=True)
        (g,) = torch.autograd.grad(getattr(F, fn)(t, **kw).pow(2).sum(), t, create_graph=True)
        (g * g * t).sum().backward()
        cases.append({"name": f"{fn}_{len(cases)}", "fn": fn, "input": x, "kwargs": kw, "first": g, "grad": t.grad})
    return cases


def pool_module_cases() -> dict[str, Any]:
    """The 3-d pooling and dropout modules' reprs, and Dropout3d's mask for a seed (batched and unbatched)."""
    reprs = []
    for ctor, kwargs in (("MaxPool3d", {"kernel_size": 2}),
                         ("MaxPool3d", {"kernel_size": (2, 2, 1), "stride": 1, "padding": 1, "dilation": 2,
                                        "return_indices": True, "ceil_mode": True}),
                         ("AvgPool3d", {"kernel_size": 3}),
                         ("AvgPool3d", {"kernel_size": (2, 3, 1), "stride": (1, 2, 1), "padding": 1,
                                        "ceil_mode": True, "count_include_pad": False, "divisor_override": 3}),
                         ("AdaptiveAvgPool3d", {"output_size": 2}),
                         ("AdaptiveAvgPool3d", {"output_size": (2, None, 3)}),
                         ("AdaptiveMaxPool3d", {"output_size": (1, 2, 3), "return_indices": True}),
                         ("MaxUnpool3d", {"kernel_size": 2}),
                         ("MaxUnpool3d", {"kernel_size": (2, 2, 1), "stride": 1, "padding": (1, 0, 0)}),
                         ("LPPool3d", {"norm_type": 2, "kernel_size": 3}),
                         ("LPPool3d", {"norm_type": 1.5, "kernel_size": (2, 3, 2), "stride": 1, "ceil_mode": True}),
                         ("Dropout3d", {}), ("Dropout3d", {"p": 0.25, "inplace": True}),
                         ("BatchNorm3d", {"num_features": 3}), ("InstanceNorm3d", {"num_features": 3}),
                         ("LazyBatchNorm3d", {}), ("LazyInstanceNorm3d", {"affine": False})):
        reprs.append({"ctor": ctor, "kwargs": kwargs, "repr": repr(getattr(tnn, ctor)(**kwargs))})
    dropout = []
    for seed, shape, p in ((0, (4, 3, 2, 2, 3), 0.5), (5, (6, 2, 3, 2), 0.3), (9, (2, 8, 1, 2, 2), 0.75)):
        torch.manual_seed(seed)
        x = torch.ones(shape, dtype=torch.float64, requires_grad=True)
        out = F.dropout3d(x, p)
        out.backward(torch.ones_like(out))
        dropout.append({"seed": seed, "shape": list(shape), "p": p, "out": out, "grad": x.grad,
                        "grad_fn": out.grad_fn.name()})
    return {"reprs": reprs, "dropout3d": dropout}


def _message(call: Any) -> dict[str, str]:
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the message is the reference
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError(f"expected an error from {call}")


def pool_error_cases() -> list[dict[str, Any]]:
    """What PyTorch says for bad 3-d pooling arguments and shapes, each check in its order."""
    x = (2, 3, 5, 6, 7)
    calls: list[tuple[str, str, tuple[int, ...], dict[str, Any]]] = [
        ("mp_kernel_len", "max_pool3d", x, {"kernel_size": (2, 2)}),
        ("mp_stride_len", "max_pool3d", x, {"kernel_size": 2, "stride": (2, 2)}),
        ("mp_padding_len", "max_pool3d", x, {"kernel_size": 2, "padding": (1, 1)}),
        ("mp_dilation_len", "max_pool3d", x, {"kernel_size": 2, "dilation": (1, 1)}),
        ("mp_kernel_zero", "max_pool3d", x, {"kernel_size": 0}),
        ("mp_kernel_zero_strided", "max_pool3d", x, {"kernel_size": (0, 2, 2), "stride": 1}),
        ("mp_kernel_negative", "max_pool3d", x, {"kernel_size": (-1, 2, 2), "stride": 1}),
        ("mp_stride_zero", "max_pool3d", x, {"kernel_size": 2, "stride": (1, 0, 1)}),
        ("mp_stride_negative", "max_pool3d", x, {"kernel_size": 2, "stride": -1}),
        ("mp_dilation_zero", "max_pool3d", x, {"kernel_size": 2, "dilation": 0}),
        ("mp_padding_negative", "max_pool3d", x, {"kernel_size": 2, "stride": 1, "padding": -1}),
        ("mp_padding_effective", "max_pool3d", x, {"kernel_size": 3, "stride": 1, "padding": 2}),
        ("mp_padding_half", "max_pool3d", x, {"kernel_size": (2, 3, 3), "stride": 1, "padding": (2, 1, 1),
                                              "dilation": (3, 1, 1)}),
        ("mp_too_small", "max_pool3d", x, {"kernel_size": (6, 2, 2), "stride": 1}),
        ("mp_too_small_ceil", "max_pool3d", x, {"kernel_size": (6, 2, 2), "stride": 1, "ceil_mode": True}),
        ("mp_rank", "max_pool3d", (5, 6, 7), {"kernel_size": 2}),
        ("mp_rank_6", "max_pool3d", (1, 2, 3, 5, 6, 7), {"kernel_size": 2}),
        ("mp_empty", "max_pool3d", (2, 0, 4, 4, 4), {"kernel_size": 2}),
        ("mp_empty_unbatched", "max_pool3d", (0, 4, 4, 4), {"kernel_size": 2}),
        ("ap_kernel_len", "avg_pool3d", x, {"kernel_size": (2, 2)}),
        ("ap_stride_len", "avg_pool3d", x, {"kernel_size": 2, "stride": (2, 2)}),
        ("ap_padding_len", "avg_pool3d", x, {"kernel_size": 2, "padding": (1, 1)}),
        ("ap_kernel_zero", "avg_pool3d", x, {"kernel_size": (0, 2, 2), "stride": 1}),
        ("ap_stride_zero", "avg_pool3d", x, {"kernel_size": 2, "stride": 0}),
        ("ap_stride_negative", "avg_pool3d", x, {"kernel_size": 2, "stride": -1}),
        ("ap_padding_negative", "avg_pool3d", x, {"kernel_size": 2, "stride": 1, "padding": -1}),
        ("ap_padding_effective", "avg_pool3d", x, {"kernel_size": 3, "stride": 1, "padding": 2}),
        ("ap_smaller_than_kernel", "avg_pool3d", x, {"kernel_size": (6, 2, 2), "stride": 1}),
        ("ap_smaller_than_kernel_padded", "avg_pool3d", x, {"kernel_size": (6, 2, 2), "stride": 1,
                                                            "padding": (3, 0, 0)}),
        ("ap_divisor_zero", "avg_pool3d", x, {"kernel_size": 2, "divisor_override": 0}),
        ("ap_rank", "avg_pool3d", (5, 6, 7), {"kernel_size": 2}),
        ("ap_empty", "avg_pool3d", (2, 0, 4, 4, 4), {"kernel_size": 2}),
        ("aap_size_len", "adaptive_avg_pool3d", x, {"output_size": (2, 3)}),
        ("aap_negative", "adaptive_avg_pool3d", x, {"output_size": -1}),
        ("aap_rank", "adaptive_avg_pool3d", (5, 6, 7), {"output_size": 2}),
        ("aap_rank_6", "adaptive_avg_pool3d", (1, 2, 3, 5, 6, 7), {"output_size": 2}),
        ("aap_empty", "adaptive_avg_pool3d", (2, 3, 0, 4, 4), {"output_size": 2}),
        ("aap_empty_unbatched", "adaptive_avg_pool3d", (3, 0, 4, 4), {"output_size": 2}),
        ("aap_float", "adaptive_avg_pool3d", x, {"output_size": 2.5}),
        ("amp_size_len", "adaptive_max_pool3d", x, {"output_size": (2, 3)}),
        ("amp_negative", "adaptive_max_pool3d", x, {"output_size": -1}),
        ("amp_rank", "adaptive_max_pool3d", (5, 6, 7), {"output_size": 2}),
        ("amp_empty", "adaptive_max_pool3d", (2, 3, 0, 4, 4), {"output_size": 2}),
        ("lp_kernel_len", "lp_pool3d", x, {"norm_type": 2, "kernel_size": (2, 2)}),
        ("interpolate_zero", "interpolate", (1, 1, 2, 2, 2), {"scale_factor": 0.4, "mode": "trilinear"}),
        ("interpolate_trilinear_4d", "interpolate", (1, 1, 2, 2), {"scale_factor": 2, "mode": "trilinear"}),
        ("interpolate_bilinear_5d", "interpolate", (1, 1, 2, 2, 2), {"scale_factor": 2, "mode": "bilinear"}),
        ("interpolate_size_len", "interpolate", (1, 1, 2, 2, 2), {"size": (2, 3), "mode": "trilinear"}),
    ]
    out = []
    for name, fn, shape, kw in calls:
        out.append({"name": name, "fn": fn, "input": list(shape), "kwargs": kw,
                    **_message(lambda fn=fn, shape=shape, kw=kw, name=name: getattr(F, fn)(torch.zeros(shape), **kw)
                               or name)})
    pooled, idx = F.max_pool3d(torch.zeros(2, 3, 4, 6, 6), 2, return_indices=True)
    unpool: list[tuple[str, Any, dict[str, Any]]] = [
        ("unpool_rank", (pooled[None], idx[None]), {"kernel_size": 2}),
        ("unpool_indices_shape", (pooled, idx[:, :1]), {"kernel_size": 2}),
        ("unpool_indices_dtype", (pooled, idx.int()), {"kernel_size": 2}),
        ("unpool_size_len", (pooled, idx), {"kernel_size": 2, "output_size": (6, 7)}),
        ("unpool_size_low", (pooled, idx), {"kernel_size": 2, "output_size": (2, 6, 6)}),
        ("unpool_size_high", (pooled, idx), {"kernel_size": 2, "output_size": [4, 6, 8]}),
        ("unpool_kernel_len", (pooled, idx), {"kernel_size": (2, 2)}),
        ("unpool_stride_len", (pooled, idx), {"kernel_size": 2, "stride": (1, 1)}),
        ("unpool_invalid_index", (pooled, idx.clone().index_fill_(-1, torch.tensor([1]), 500)),
         {"kernel_size": 2}),
    ]
    for name, (values, indices), kw in unpool:
        out.append({"name": name, "fn": "max_unpool3d", "input": values.detach().numpy(), "indices": indices,
                    "kwargs": kw, **_message(lambda values=values, indices=indices, kw=kw:
                                             F.max_unpool3d(values, indices, **kw))})
    torch.manual_seed(0)
    out.append({"name": "dropout3d_p", "fn": "dropout3d", "input": [2, 3, 4, 4, 4], "kwargs": {"p": 1.5},
                **_message(lambda: F.dropout3d(torch.zeros(2, 3, 4, 4, 4), 1.5))})
    return out


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)
    conv = {"functional": conv_cases(), "modules": conv_module_cases(), "errors": conv_error_cases(),
            "create_graph": create_graph_cases()}
    pool = {"functional": pool_cases(), "create_graph": pool_create_graph_cases(), "errors": pool_error_cases()}
    torch.set_default_dtype(torch.float32)
    conv["init"] = init_cases()
    pool["modules"] = pool_module_cases()
    write_json(out_dir / "conv3d.json", conv)
    pool_dir = out_dir.parent / "pool"
    pool_dir.mkdir(parents=True, exist_ok=True)
    write_json(pool_dir / "pool3d.json", pool)
