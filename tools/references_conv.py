"""PyTorch reference values for the convolutions: F.conv1d/conv2d/conv_transpose1d/2d, F.pad, F.unfold/fold,
the Conv and ConvTranspose modules (every padding mode, output_size), their default initialisation, and the
messages PyTorch raises for bad arguments and shapes.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py conv
Writes tests/references/conv/{functional,modules,init,errors}.json. Inputs come from seeded numpy in float64;
each functional case stores inputs, options, output, upstream gradient, gradients and the grad_fn's name.
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
from references_nn import _module_case, _rng, _run


def _case(cases: list[dict[str, Any]], name: str, fn: str, inputs: dict[str, np.ndarray], **kwargs: Any) -> None:
    seed = len(cases) + 1
    case = _run(name, fn, inputs, tuple(inputs), kwargs, seed)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in inputs.items()}
    case["grad_fn"] = getattr(F, fn)(*tensors.values(), **kwargs).grad_fn.name()
    cases.append(case)


def _conv_inputs(r: np.random.Generator, x: tuple[int, ...], w: tuple[int, ...], bias: int | None
                 ) -> dict[str, np.ndarray]:
    inputs = {"input": r.standard_normal(x), "weight": r.standard_normal(w)}
    if bias is not None:
        inputs["bias"] = r.standard_normal(bias)
    return inputs


def conv_cases() -> list[dict[str, Any]]:
    """conv1d/conv2d over strides, paddings (ints, tuples, 'same' with odd and even kernels, 'valid'),
    dilations, groups (depthwise too), with and without bias, batched and unbatched."""
    r = _rng(11)
    cases: list[dict[str, Any]] = []
    grid2 = [  # (x shape, weight shape, kwargs)
        ((2, 3, 7, 6), (4, 3, 3, 3), {}),
        ((2, 3, 7, 6), (4, 3, 3, 3), {"stride": 2, "padding": 1}),
        ((2, 3, 8, 7), (5, 3, 3, 2), {"stride": (2, 3), "padding": (2, 1), "dilation": (1, 2)}),
        ((1, 4, 6, 6), (6, 2, 3, 3), {"groups": 2, "padding": 1}),
        ((2, 4, 6, 5), (4, 1, 3, 3), {"groups": 4, "padding": 1}),  # depthwise
        ((2, 4, 6, 5), (8, 1, 3, 3), {"groups": 4, "stride": 2}),  # depthwise, multiplier 2
        ((2, 3, 7, 6), (4, 3, 3, 3), {"padding": "same"}),
        ((2, 3, 7, 6), (4, 3, 2, 4), {"padding": "same"}),  # even kernels: asymmetric padding
        ((2, 3, 9, 8), (2, 3, 2, 3), {"padding": "same", "dilation": (3, 2)}),
        ((2, 3, 7, 6), (4, 3, 3, 2), {"padding": "valid", "dilation": 2}),
        ((3, 7, 6), (4, 3, 3, 3), {"padding": 1}),  # unbatched
        ((2, 2, 5, 5), (3, 2, 5, 5), {}),  # the kernel covers the whole input
        ((2, 3, 5, 6), (2, 3, 1, 1), {"stride": (1, 2)}),  # 1x1
        ((2, 6, 5, 5), (6, 2, 2, 2), {"groups": 3, "stride": 2, "padding": (1, 0), "dilation": 2}),
    ]
    for i, (xs, ws, kw) in enumerate(grid2):
        for bias in (True, False):
            inputs = _conv_inputs(r, xs, ws, ws[0] if bias else None)
            _case(cases, f"conv2d_{i}{'' if bias else '_nobias'}", "conv2d", inputs, **kw)
    grid1 = [
        ((2, 3, 9), (4, 3, 3), {}),
        ((2, 3, 10), (4, 3, 4), {"stride": 3, "padding": 2, "dilation": 2}),
        ((2, 4, 8), (6, 2, 3), {"groups": 2, "padding": "same"}),
        ((2, 4, 8), (4, 1, 2), {"groups": 4, "padding": "same", "dilation": 3}),
        ((3, 8), (2, 3, 3), {"stride": 2}),  # unbatched
        ((2, 3, 8), (2, 3, 3), {"padding": "valid", "stride": [2]}),
    ]
    for i, (xs, ws, kw) in enumerate(grid1):
        for bias in (True, False):
            inputs = _conv_inputs(r, xs, ws, ws[0] if bias else None)
            _case(cases, f"conv1d_{i}{'' if bias else '_nobias'}", "conv1d", inputs, **kw)
    return cases


def transpose_cases() -> list[dict[str, Any]]:
    """conv_transpose1d/2d over strides, paddings, output_padding, dilations and groups."""
    r = _rng(12)
    cases: list[dict[str, Any]] = []
    grid2 = [  # (x shape, weight shape (C_in, C_out/groups, *k), kwargs)
        ((2, 3, 4, 5), (3, 4, 3, 3), {}),
        ((2, 3, 4, 5), (3, 2, 3, 3), {"stride": 2, "padding": 1, "output_padding": 1}),
        ((2, 3, 4, 3), (3, 2, 3, 2), {"stride": (2, 3), "padding": (1, 0), "output_padding": (0, 2)}),
        ((1, 4, 3, 4), (4, 3, 3, 3), {"groups": 2, "stride": 2, "dilation": (2, 1)}),
        ((2, 4, 3, 3), (4, 1, 3, 3), {"groups": 4, "stride": 2, "padding": 1}),  # depthwise
        ((2, 2, 3, 3), (2, 3, 2, 2), {"stride": 3, "dilation": 2, "output_padding": 2, "padding": 1}),
        ((3, 4, 4), (3, 2, 3, 3), {"stride": 2}),  # unbatched
        ((2, 3, 4, 4), (3, 2, 4, 4), {"stride": 2, "padding": 1}),  # the DCGAN upsampling block
    ]
    for i, (xs, ws, kw) in enumerate(grid2):
        for bias in (True, False):
            groups = kw.get("groups", 1)
            inputs = _conv_inputs(r, xs, ws, ws[1] * groups if bias else None)
            _case(cases, f"conv_transpose2d_{i}{'' if bias else '_nobias'}", "conv_transpose2d", inputs, **kw)
    grid1 = [
        ((2, 3, 5), (3, 4, 3), {}),
        ((2, 3, 5), (3, 2, 4), {"stride": 3, "padding": 2, "output_padding": 1, "dilation": 2}),
        ((2, 4, 5), (4, 3, 2), {"groups": 2, "stride": 2, "output_padding": 1}),
        ((3, 6), (3, 2, 3), {"stride": 2, "padding": 1}),  # unbatched
    ]
    for i, (xs, ws, kw) in enumerate(grid1):
        for bias in (True, False):
            groups = kw.get("groups", 1)
            inputs = _conv_inputs(r, xs, ws, ws[1] * groups if bias else None)
            _case(cases, f"conv_transpose1d_{i}{'' if bias else '_nobias'}", "conv_transpose1d", inputs, **kw)
    return cases


def pad_cases() -> list[dict[str, Any]]:
    """F.pad in every mode on 1, 2 and 3 padded dims, negative pads (cropping) where PyTorch allows them."""
    r = _rng(13)
    cases: list[dict[str, Any]] = []
    shapes = {2: (2, 3, 5), 4: (2, 3, 4, 5), 6: (1, 2, 3, 4, 5)}
    pads = {2: [(2, 1), (0, 3)], 4: [(1, 2, 2, 0), (3, 3, 1, 1)], 6: [(1, 0, 2, 1, 1, 2)]}
    for mode in ("constant", "reflect", "replicate", "circular"):
        for n, options in pads.items():
            for j, p in enumerate(options):
                x = r.standard_normal(shapes[n])
                _case(cases, f"pad_{mode}_{n}_{j}", "pad", {"input": x}, pad=list(p), mode=mode)
        _case(cases, f"pad_{mode}_unbatched", "pad", {"input": r.standard_normal((3, 4, 5))}, pad=[1, 2, 2, 1],
              mode=mode)
    _case(cases, "pad_constant_value", "pad", {"input": r.standard_normal((2, 3))}, pad=[1, 2, 0, 1], value=1.5)
    _case(cases, "pad_constant_negative", "pad", {"input": r.standard_normal((2, 4, 5))}, pad=[-1, 2, 1, -2])
    _case(cases, "pad_constant_lead_dims", "pad", {"input": r.standard_normal((2, 3, 4))}, pad=[1, 1, 0, 0, 2, 1])
    _case(cases, "pad_replicate_negative", "pad", {"input": r.standard_normal((2, 3, 6))}, pad=[-2, 1],
          mode="replicate")
    _case(cases, "pad_reflect_negative", "pad", {"input": r.standard_normal((2, 3, 6))}, pad=[2, -1], mode="reflect")
    _case(cases, "pad_circular_negative", "pad", {"input": r.standard_normal((2, 3, 6))}, pad=[-2, 3],
          mode="circular")
    return cases


def fold_cases() -> list[dict[str, Any]]:
    """F.unfold (im2col) and F.fold (col2im) with kernel, dilation, padding and stride."""
    r = _rng(14)
    cases: list[dict[str, Any]] = []
    options = [{"kernel_size": 2}, {"kernel_size": (2, 3), "dilation": (1, 2), "padding": 1, "stride": (2, 1)},
               {"kernel_size": 3, "padding": (0, 1), "stride": 2}]
    for i, kw in enumerate(options):
        _case(cases, f"unfold_{i}", "unfold", {"input": r.standard_normal((2, 3, 6, 7))}, **kw)
        _case(cases, f"unfold_{i}_unbatched", "unfold", {"input": r.standard_normal((3, 6, 7))}, **kw)
        blocks = F.unfold(torch.zeros(2, 3, 6, 7), **kw).shape
        _case(cases, f"fold_{i}", "fold", {"input": r.standard_normal(tuple(blocks))}, output_size=(6, 7), **kw)
        _case(cases, f"fold_{i}_unbatched", "fold", {"input": r.standard_normal(tuple(blocks[1:]))},
              output_size=[6, 7], **kw)
    return cases


def module_cases() -> dict[str, Any]:
    """The modules with random weights (every padding mode, 'same' with even kernels), and ConvTranspose's
    output_size; their reprs."""
    r = _rng(15)
    cases = []
    for mode, padding, kernel in itertools.product(("zeros", "reflect", "replicate", "circular"),
                                                   (1, "same", (2, 1)), (3, (2, 3))):
        tag = f"{mode}_{padding if isinstance(padding, int | str) else 'x'.join(map(str, padding))}"
        tag += f"_k{kernel if isinstance(kernel, int) else 'x'.join(map(str, kernel))}"
        cases.append(_module_case(f"conv2d_{tag}", "Conv2d", {"in_channels": 2, "out_channels": 3,
                                  "kernel_size": kernel, "padding": padding, "padding_mode": mode},
                                  [r.standard_normal((2, 2, 5, 6))]))
        cases.append(_module_case(f"conv1d_{tag}", "Conv1d", {"in_channels": 2, "out_channels": 3,
                                  "kernel_size": kernel if isinstance(kernel, int) else kernel[1],
                                  "padding": padding if not isinstance(padding, tuple) else padding[0],
                                  "padding_mode": mode}, [r.standard_normal((2, 2, 7))]))
    cases.append(_module_case("conv2d_full", "Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": (3, 2),
                              "stride": (2, 1), "padding": (1, 2), "dilation": (1, 2), "groups": 2, "bias": False,
                              "padding_mode": "reflect"}, [r.standard_normal((2, 4, 7, 6)),
                                                           r.standard_normal((4, 7, 6))]))
    cases.append(_module_case("conv_transpose2d", "ConvTranspose2d", {"in_channels": 4, "out_channels": 2,
                              "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1, "groups": 2},
                              [r.standard_normal((2, 4, 3, 4))]))
    cases.append(_module_case("conv_transpose1d", "ConvTranspose1d", {"in_channels": 3, "out_channels": 2,
                              "kernel_size": 4, "stride": 2, "dilation": 2, "bias": False},
                              [r.standard_normal((2, 3, 5))]))
    output_size = []
    for size in ([7, 9], [8, 10], [2, 4, 8, 9], [2, 2, 8, 10]):
        torch.manual_seed(0)
        layer = tnn.ConvTranspose2d(4, 2, 3, stride=2, padding=1).double()
        x = r.standard_normal((2, 4, 4, 5))
        out = layer(torch.tensor(x), output_size=size)
        output_size.append({"output_size": size, "input": x, "state": dict(layer.state_dict()), "out": out})
    reprs = []
    for ctor, kwargs in (("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": 3}),
                         ("Conv2d", {"in_channels": 4, "out_channels": 8, "kernel_size": (3, 5), "stride": 2,
                                     "padding": (1, 2), "dilation": 2, "groups": 4,
                                     "bias": False, "padding_mode": "circular"}),
                         ("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": 4, "padding": "same"}),
                         ("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": 4, "padding": "valid"}),
                         ("Conv1d", {"in_channels": 3, "out_channels": 5, "kernel_size": 2, "padding": 1}),
                         ("ConvTranspose2d", {"in_channels": 3, "out_channels": 5, "kernel_size": 2, "stride": 2,
                                              "output_padding": 1}),
                         ("ConvTranspose1d", {"in_channels": 3, "out_channels": 6, "kernel_size": 3, "groups": 3,
                                              "dilation": 2})):
        reprs.append({"ctor": ctor, "kwargs": kwargs, "repr": repr(getattr(tnn, ctor)(**kwargs))})
    return {"cases": cases, "output_size": output_size, "reprs": reprs}


def init_cases() -> list[dict[str, Any]]:
    """`torch.manual_seed(s); nn.Conv...(...)`: the exact default weights in float32 (and one float64)."""
    layers = {
        "conv2d_3_16_k3": lambda: tnn.Conv2d(3, 16, 3),
        "conv2d_4_6_k3x2_g2": lambda: tnn.Conv2d(4, 6, (3, 2), groups=2),
        "conv2d_1_6_k5_nobias": lambda: tnn.Conv2d(1, 6, 5, bias=False),
        "conv1d_3_4_k2": lambda: tnn.Conv1d(3, 4, 2),
        "conv_transpose2d_4_6_k3_g2": lambda: tnn.ConvTranspose2d(4, 6, 3, groups=2),
        "conv_transpose1d_3_2_k4": lambda: tnn.ConvTranspose1d(3, 2, 4),
        "conv2d_2_3_k3_float64": lambda: tnn.Conv2d(2, 3, 3, dtype=torch.float64),
    }
    cases = []
    for name, make in layers.items():
        for seed in (0, 7):
            torch.manual_seed(seed)
            cases.append({"layer": name, "seed": seed, "state": dict(make().state_dict())})
    return cases


def _error(call: Any, name: str) -> dict[str, str]:
    try:
        call()
    except Exception as e:  # noqa: BLE001 - the message is the reference
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError(f"{name}: expected an error")


def error_cases() -> list[dict[str, Any]]:
    """What PyTorch says for bad shapes and arguments (the first line of the message)."""
    z = torch.zeros
    calls: dict[str, Any] = {
        "conv2d_rank": ("conv2d", (8, 8), (4, 3, 3, 3), None, {}),
        "conv2d_channels": ("conv2d", (1, 4, 8, 8), (16, 3, 3, 3), None, {}),
        "conv2d_groups_channels": ("conv2d", (1, 4, 8, 8), (6, 3, 3, 3), None, {"groups": 2}),
        "conv2d_groups_weight": ("conv2d", (1, 4, 8, 8), (3, 2, 3, 3), None, {"groups": 2}),
        "conv2d_bias": ("conv2d", (1, 3, 8, 8), (16, 3, 3, 3), (15,), {}),
        "conv2d_kernel_too_big": ("conv2d", (1, 3, 2, 2), (4, 3, 3, 3), None, {}),
        "conv2d_kernel_too_big_dilated": ("conv2d", (1, 3, 5, 5), (4, 3, 3, 3), None, {"dilation": 4,
                                                                                      "padding": 1}),
        "conv2d_same_strided": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"padding": "same", "stride": 2}),
        "conv2d_bad_padding_string": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"padding": "full"}),
        "conv2d_negative_padding": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"padding": -1}),
        "conv2d_zero_stride": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"stride": 0}),
        "conv2d_zero_dilation": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"dilation": 0}),
        "conv2d_zero_groups": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"groups": 0}),
        "conv2d_stride_length": ("conv2d", (1, 3, 8, 8), (4, 3, 3, 3), None, {"stride": [1, 2, 3]}),
        "conv2d_weight_rank": ("conv2d", (1, 3, 8, 8), (4, 3, 3), None, {}),
        "conv1d_rank": ("conv1d", (2, 3, 4, 5), (4, 3, 3), None, {}),
        "conv_transpose2d_channels": ("conv_transpose2d", (1, 3, 5, 5), (4, 2, 3, 3), None, {}),
        "conv_transpose2d_bias": ("conv_transpose2d", (1, 4, 5, 5), (4, 2, 3, 3), (3,), {"groups": 2}),
        "conv_transpose2d_output_padding": ("conv_transpose2d", (1, 4, 5, 5), (4, 2, 3, 3), None,
                                            {"stride": 2, "output_padding": 2}),
        "conv_transpose2d_too_small": ("conv_transpose2d", (1, 4, 1, 1), (4, 2, 1, 1), None, {"padding": 1}),
        "conv_transpose1d_rank": ("conv_transpose1d", (4, 5, 5, 2), (4, 2, 3), None, {}),
    }
    out = []
    for name, (fn, xs, ws, bs, kw) in calls.items():
        def call(fn=fn, xs=xs, ws=ws, bs=bs, kw=kw) -> Any:
            return getattr(F, fn)(z(xs), z(ws), None if bs is None else z(bs), **kw)

        out.append({"name": name, "fn": fn, "input": list(xs), "weight": list(ws), "bias": bs and list(bs),
                    "kwargs": kw, **_error(call, name)})
    out.append({"name": "conv2d_dtypes", "fn": "conv2d", "input": [1, 3, 5, 5], "weight": [4, 3, 3, 3], "bias": None,
                "kwargs": {}, "weight_dtype": "float32",
                **_error(lambda: F.conv2d(z(1, 3, 5, 5), z(4, 3, 3, 3, dtype=torch.float32)), "dtypes")})
    pads: dict[str, Any] = {
        "pad_odd": ((1, 2, 3), [1, 2, 3], "constant"),
        "pad_too_long": ((2, 3), [1, 1, 1, 1, 1, 1], "constant"),
        "pad_reflect_too_big": ((1, 3, 3), [3, 3], "reflect"),
        "pad_circular_wraps": ((1, 3, 3), [4, 0], "circular"),
        "pad_reflect_rank": ((3,), [1, 1], "reflect"),
        "pad_replicate_four_dims": ((1, 1, 2, 3, 4, 5), [1, 1, 1, 1, 1, 1, 1, 1], "replicate"),
        "pad_negative_too_much": ((2, 3), [-2, -2], "constant"),
    }
    for name, (shape, p, mode) in pads.items():
        out.append({"name": name, "fn": "pad", "input": list(shape), "pad": p, "mode": mode,
                    **_error(lambda shape=shape, p=p, mode=mode: F.pad(z(shape), p, mode=mode), name)})
    out.append({"name": "pad_value_with_mode", "fn": "pad", "input": [1, 3, 3], "pad": [1, 1], "mode": "reflect",
                "value": 2.0, **_error(lambda: F.pad(z(1, 3, 3), [1, 1], mode="reflect", value=2.0), "value")})
    modules: dict[str, Any] = {
        "module_groups": ("Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 0}),
        "module_in_groups": ("Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 3}),
        "module_out_groups": ("Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 4}),
        "module_padding_string": ("Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3,
                                             "padding": "full"}),
        "module_same_strided": ("Conv1d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2,
                                           "padding": "same"}),
        "module_padding_mode": ("Conv2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3,
                                           "padding_mode": "mirror"}),
        "module_transpose_padding_mode": ("ConvTranspose2d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3,
                                                              "padding_mode": "reflect"}),
    }
    for name, (ctor, kwargs) in modules.items():
        out.append({"name": name, "ctor": ctor, "kwargs": kwargs,
                    **_error(lambda ctor=ctor, kwargs=kwargs: getattr(tnn, ctor)(**kwargs), name)})
    layer = tnn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)
    for size in ([10, 9], [7, 8, 9]):
        out.append({"name": f"output_size_{len(size)}", "ctor": "ConvTranspose2d", "output_size": size,
                    "input": [2, 4, 4, 5],
                    **_error(lambda size=size: layer(z(2, 4, 4, 5), output_size=size), "output_size")})
    return out


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)
    write_json(out_dir / "functional.json", conv_cases() + transpose_cases() + pad_cases() + fold_cases())
    write_json(out_dir / "modules.json", module_cases())
    write_json(out_dir / "errors.json", error_cases())
    torch.set_default_dtype(torch.float32)
    write_json(out_dir / "init.json", init_cases())
