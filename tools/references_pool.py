"""PyTorch reference values for the image layers: pooling, interpolation, BatchNorm2d/GroupNorm, Dropout1d/2d,
Unflatten, with PyTorch's error messages for bad arguments.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py pool
Writes tests/references/pool/{functional,modules,dropout,errors}.json. Functional cases reuse
references_nn's recording (inputs, options, output, upstream gradient, gradients) and add the grad_fn
name and any returned indices; module cases reuse its `_module_case`.
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
from references_nn import _module_case, _rng, _to_torch


def _run(name: str, fn_name: str, inputs: dict[str, Any], kwargs: dict[str, Any], seed: int) -> dict[str, Any]:
    """F.<fn_name>(**inputs, **kwargs) in float64 and backward with a fixed upstream gradient; the first output
    when the function returns (output, indices)."""
    tensors = {k: _to_torch(v, True) for k, v in inputs.items()}
    result = getattr(F, fn_name)(**tensors, **kwargs)
    out, indices = result if isinstance(result, tuple) else (result, None)
    gout = _rng(seed + 1000).standard_normal(tuple(out.shape))
    out.backward(torch.tensor(gout))
    return {"name": name, "fn": fn_name, "inputs": inputs, "order": list(inputs), "kwargs": kwargs, "out": out,
            "gout": gout, "grads": {k: t.grad for k, t in tensors.items()}, "indices": indices,
            "grad_fn": type(out.grad_fn).__name__}


def _valid(fn: str, kwargs: dict[str, Any], x: np.ndarray) -> bool:
    try:
        getattr(F, fn)(torch.tensor(x), **kwargs)
    except RuntimeError:
        return False
    return True


def _pool_cases(cases: list[dict[str, Any]], fn: str, grid: dict[str, tuple], inputs: list[np.ndarray],
                every: int = 1) -> None:
    """Every `every`-th valid combination of the grid's options, on the inputs in turn."""
    combos = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    kept = 0
    for i, kwargs in enumerate(combos):
        x = inputs[i % len(inputs)]
        kwargs = {k: v for k, v in kwargs.items() if v is not None or k == "divisor_override"}
        if not _valid(fn, kwargs, x):
            continue
        kept += 1
        if kept % every:
            continue
        cases.append(_run(f"{fn}/{len(cases)}", fn, {"input": x}, kwargs, len(cases)))


def functional_cases() -> list[dict[str, Any]]:
    r = _rng(20)
    cases: list[dict[str, Any]] = []
    x4 = [r.standard_normal((2, 2, 7, 8)), r.standard_normal((3, 6, 5))]
    x3 = [r.standard_normal((2, 3, 9)), r.standard_normal((2, 10))]
    _pool_cases(cases, "max_pool2d", {"kernel_size": (2, 3, (2, 3)), "stride": (None, 1, 2, (2, 1)),
                                      "padding": (0, 1, (1, 0)), "dilation": (1, 2, (1, 2)),
                                      "ceil_mode": (False, True), "return_indices": (True,)}, x4, every=5)
    _pool_cases(cases, "max_pool1d", {"kernel_size": (1, 2, 3), "stride": (None, 1, 2), "padding": (0, 1),
                                      "dilation": (1, 2), "ceil_mode": (False, True), "return_indices": (True,)},
                x3, every=2)
    _pool_cases(cases, "avg_pool2d", {"kernel_size": (2, 3, (3, 2)), "stride": (None, 1, (2, 3)),
                                      "padding": (0, 1, (0, 1)), "ceil_mode": (False, True),
                                      "count_include_pad": (True, False), "divisor_override": (None, 5)}, x4, every=5)
    _pool_cases(cases, "avg_pool1d", {"kernel_size": (1, 2, 3), "stride": (None, 1, 2), "padding": (0, 1),
                                      "ceil_mode": (False, True), "count_include_pad": (True, False)}, x3, every=2)
    for i, size in enumerate((1, 3, (2, 5), (None, 3), (4, None), (7, 9), (6, 1))):
        for fn in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
            extra = {"return_indices": True} if fn == "adaptive_max_pool2d" else {}
            cases.append(_run(f"{fn}/{len(cases)}", fn, {"input": x4[i % 2]}, {"output_size": size, **extra},
                              len(cases)))
    for i, size in enumerate((1, 2, 4, 7, 12)):
        for fn in ("adaptive_avg_pool1d", "adaptive_max_pool1d"):
            extra = {"return_indices": True} if fn == "adaptive_max_pool1d" else {}
            cases.append(_run(f"{fn}/{len(cases)}", fn, {"input": x3[i % 2]}, {"output_size": size, **extra},
                              len(cases)))
    img = r.standard_normal((2, 2, 5, 6))
    line = r.standard_normal((2, 3, 7))
    for kwargs in ({"scale_factor": 2}, {"scale_factor": 1.5}, {"scale_factor": 0.5}, {"scale_factor": (1.7, 2.3)},
                   {"scale_factor": 1.7, "recompute_scale_factor": True}, {"scale_factor": 0.3},
                   {"size": (9, 4)}, {"size": 3}, {"size": (5, 6)}, {"size": (11, 13)}):
        for mode, aligns in (("nearest", (None,)), ("nearest-exact", (None,)), ("bilinear", (False, True))):
            for align in aligns:
                options = {**kwargs, "mode": mode, **({} if align is None else {"align_corners": align})}
                cases.append(_run(f"interpolate/{len(cases)}", "interpolate", {"input": img}, options, len(cases)))
    for kwargs in ({"scale_factor": 2}, {"scale_factor": 1.5}, {"scale_factor": 0.4}, {"size": 12}, {"size": 4},
                   {"scale_factor": 2.6, "recompute_scale_factor": True}):
        for mode, aligns in (("nearest", (None,)), ("nearest-exact", (None,)), ("linear", (False, True))):
            for align in aligns:
                options = {**kwargs, "mode": mode, **({} if align is None else {"align_corners": align})}
                cases.append(_run(f"interpolate/{len(cases)}", "interpolate", {"input": line}, options, len(cases)))
    for groups, shape, affine in ((1, (3, 4, 5), True), (2, (2, 4, 3, 3), True), (4, (2, 4, 6), False),
                                  (3, (2, 6, 2, 3), True)):
        inputs = {"input": r.standard_normal(shape) * 2 + 1}
        if affine:
            inputs |= {"weight": r.uniform(0.5, 1.5, shape[1]), "bias": r.standard_normal(shape[1])}
        cases.append(_run(f"group_norm/{len(cases)}", "group_norm", inputs, {"num_groups": groups, "eps": 1e-4},
                          len(cases)))
    return cases


def module_cases() -> dict[str, Any]:
    r = _rng(21)
    batches = [r.standard_normal((4, 3, 5, 4)) * (i + 1) + i for i in range(4)]
    cases = [
        _module_case("batchnorm2d_train", "BatchNorm2d", {"num_features": 3}, batches[:3]),
        _module_case("batchnorm2d_train_then_eval", "BatchNorm2d", {"num_features": 3, "momentum": 0.3},
                     batches, modes=[True, True, False, True]),
        _module_case("batchnorm2d_cumulative", "BatchNorm2d", {"num_features": 3, "momentum": None}, batches),
        _module_case("batchnorm2d_plain", "BatchNorm2d", {"num_features": 3, "affine": False, "eps": 1e-3},
                     batches[:2], modes=[True, False]),
        _module_case("batchnorm2d_untracked", "BatchNorm2d", {"num_features": 3, "track_running_stats": False},
                     batches[:2], modes=[True, False]),
        _module_case("groupnorm", "GroupNorm", {"num_groups": 2, "num_channels": 4},
                     [r.standard_normal((3, 4, 3, 2))]),
        _module_case("groupnorm_plain", "GroupNorm", {"num_groups": 3, "num_channels": 3, "affine": False},
                     [r.standard_normal((2, 3, 4))]),
        _module_case("maxpool2d", "MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1},
                     [r.standard_normal((2, 3, 6, 6))]),
        _module_case("maxpool1d", "MaxPool1d", {"kernel_size": 2}, [r.standard_normal((2, 3, 7))]),
        _module_case("avgpool2d", "AvgPool2d", {"kernel_size": 2, "ceil_mode": True, "count_include_pad": False},
                     [r.standard_normal((2, 3, 5, 5))]),
        _module_case("avgpool1d", "AvgPool1d", {"kernel_size": 3, "stride": 2, "padding": 1},
                     [r.standard_normal((2, 3, 7))]),
        _module_case("adaptive_avgpool2d", "AdaptiveAvgPool2d", {"output_size": [2, None]},
                     [r.standard_normal((2, 3, 5, 4))]),
        _module_case("adaptive_avgpool1d", "AdaptiveAvgPool1d", {"output_size": 3}, [r.standard_normal((2, 3, 7))]),
        _module_case("adaptive_maxpool2d", "AdaptiveMaxPool2d", {"output_size": 3},
                     [r.standard_normal((2, 3, 5, 4))]),
        _module_case("upsample_nearest", "Upsample", {"scale_factor": 2}, [r.standard_normal((1, 2, 3, 3))]),
        _module_case("upsample_bilinear", "Upsample", {"size": [5, 7], "mode": "bilinear", "align_corners": True},
                     [r.standard_normal((1, 2, 3, 3))]),
        _module_case("unflatten", "Unflatten", {"dim": 1, "unflattened_size": [2, -1]},
                     [r.standard_normal((2, 6, 2))]),
        _module_case("dropout2d_eval", "Dropout2d", {"p": 0.3}, [r.standard_normal((2, 3, 2, 2))], train=False),
    ]
    reprs = {}  # lists where PyTorch takes tuples: JSON keeps lists, and PyTorch's repr shows what it was given
    for ctor, kwargs in (("MaxPool2d", {"kernel_size": [2, 3], "stride": 1, "ceil_mode": True}),
                         ("MaxPool1d", {"kernel_size": 3, "dilation": 2}),
                         ("AvgPool2d", {"kernel_size": 3, "divisor_override": 2}),
                         ("AvgPool1d", {"kernel_size": 2}), ("AdaptiveAvgPool2d", {"output_size": [None, 3]}),
                         ("AdaptiveAvgPool1d", {"output_size": 2}),
                         ("AdaptiveMaxPool2d", {"output_size": 2, "return_indices": True}),
                         ("AdaptiveMaxPool1d", {"output_size": 4}), ("MaxUnpool2d", {"kernel_size": 2}),
                         ("BatchNorm2d", {"num_features": 8, "momentum": None}),
                         ("GroupNorm", {"num_groups": 2, "num_channels": 6, "affine": False}),
                         ("Dropout2d", {"p": 0.2}), ("Dropout1d", {}), ("Unflatten", {"dim": -1,
                                                                                       "unflattened_size": [2, 3]}),
                         ("Upsample", {"scale_factor": 2}), ("Upsample", {"size": [3, 4], "mode": "bilinear"}),
                         ("Upsample", {"scale_factor": (2.0, 1.5), "mode": "nearest"})):
        reprs[f"{ctor}{sorted(kwargs.items())}"] = {"ctor": ctor, "kwargs": kwargs,
                                                    "repr": repr(getattr(tnn, ctor)(**kwargs))}
    return {"cases": cases, "reprs": reprs}


def _seeded(seed: int, make: Any) -> Any:
    torch.manual_seed(seed)
    return make()


def dropout_cases() -> list[dict[str, Any]]:
    """Seeded channel masks: the module's output on a ramp input, float32 and float64."""
    cases = []
    for seed, (ctor, shape, p), dtype in itertools.product(
            (0, 7, 123), (("Dropout2d", (4, 5, 3, 2), 0.5), ("Dropout2d", (3, 6, 4), 0.3),
                          ("Dropout1d", (3, 7, 5), 0.4), ("Dropout1d", (6, 4), 0.5), ("Dropout2d", (2, 9, 1, 3), 0.8)),
            ("float32", "float64")):
        x = torch.linspace(-2, 2, int(np.prod(shape)), dtype=getattr(torch, dtype)).reshape(shape)
        out = _seeded(seed, lambda ctor=ctor, p=p, x=x: getattr(tnn, ctor)(p).train()(x))
        after = torch.rand(2)  # the generator continues where PyTorch's does
        cases.append({"ctor": ctor, "seed": seed, "shape": list(shape), "p": p, "dtype": dtype, "x": x, "out": out,
                      "rand_after": after})
    return cases


def _message(fn: Any) -> str | None:
    try:
        fn()
    except (RuntimeError, ValueError, TypeError, NotImplementedError, IndexError) as e:
        return f"{type(e).__name__}: {e}"
    return None


def error_cases() -> list[dict[str, Any]]:
    """PyTorch's messages for bad shapes and sizes: (function, input shape, kwargs, message)."""
    specs = [
        ("max_pool2d", (2, 3), {"kernel_size": 2}),
        ("max_pool2d", (1, 2, 3, 3), {"kernel_size": 4}),
        ("max_pool2d", (1, 2, 4, 4), {"kernel_size": 2, "padding": 2}),
        ("max_pool2d", (1, 2, 4, 4), {"kernel_size": 0}),
        ("max_pool2d", (1, 2, 4, 4), {"kernel_size": 2, "stride": 0}),
        ("max_pool2d", (1, 2, 4, 4), {"kernel_size": 2, "dilation": 0}),
        ("max_pool2d", (1, 2, 4, 4), {"kernel_size": (2, 2, 2)}),
        ("max_pool1d", (2, 3, 2), {"kernel_size": 3}),
        ("max_pool1d", (3,), {"kernel_size": 1}),
        ("avg_pool2d", (1, 2, 3, 3), {"kernel_size": 4}),
        ("avg_pool2d", (1, 2, 4, 4), {"kernel_size": 2, "padding": 2}),
        ("avg_pool2d", (1, 2, 4, 4), {"kernel_size": 2, "divisor_override": 0}),
        ("avg_pool1d", (2, 3, 2), {"kernel_size": 3}),
        ("adaptive_avg_pool2d", (3, 4), {"output_size": 2}),
        ("adaptive_avg_pool2d", (1, 2, 4, 4), {"output_size": (2, 2, 2)}),
        ("adaptive_avg_pool2d", (1, 2, 4, 4), {"output_size": -1}),
        ("adaptive_avg_pool2d", (1, 2, 0, 4), {"output_size": 2}),
        ("adaptive_max_pool1d", (2, 4), {"output_size": (3, 4)}),
        ("max_pool2d", (1, 2, 9, 9), {"kernel_size": 3, "stride": 1, "padding": 2, "dilation": 2}),
        ("max_pool2d", (1, 2, 9, 9), {"kernel_size": (3, 2), "stride": 1, "padding": (1, 2)}),
        ("max_pool2d", (1, 2, 9, 9), {"kernel_size": 2, "stride": -1}),
        ("max_pool2d", (1, 2, 9, 9), {"kernel_size": 2, "padding": -1}),
        ("max_pool2d", (1, 2, 9, 9), {"kernel_size": 0, "stride": 1}),
        ("max_pool1d", (2, 3, 5), {"kernel_size": 3, "stride": 1, "padding": 2}),
        ("avg_pool1d", (2, 3, 4, 5), {"kernel_size": 2}),
        ("interpolate", (1, 2, 4), {"scale_factor": 0.1}),
        ("interpolate", (1, 2, 4), {"scale_factor": (2, 2)}),
        ("adaptive_max_pool2d", (3, 4), {"output_size": 2}),
        ("adaptive_avg_pool1d", (2, 3, 4, 5), {"output_size": 2}),
        ("interpolate", (1, 2, 4, 4), {}),
        ("interpolate", (1, 2, 4, 4), {"size": 2, "scale_factor": 2}),
        ("interpolate", (1, 2, 4, 4), {"size": (2, 3, 4)}),
        ("interpolate", (1, 2, 4, 4), {"scale_factor": 2, "align_corners": True}),
        ("interpolate", (1, 2, 4), {"scale_factor": 2, "mode": "bilinear"}),
        ("interpolate", (1, 2, 4, 4), {"scale_factor": 2, "mode": "linear"}),
        ("interpolate", (1, 2, 4, 4), {"size": 3, "recompute_scale_factor": True}),
        ("interpolate", (1, 2, 4, 4), {"scale_factor": 0.1}),
        ("dropout1d", (2, 3, 4, 5), {}),
        ("group_norm", (2, 6, 3), {"num_groups": 4}),
    ]
    cases = []
    for fn, shape, kwargs in specs:
        msg = _message(lambda fn=fn, shape=shape, kwargs=kwargs: getattr(F, fn)(torch.zeros(shape), **kwargs))
        cases.append({"fn": fn, "shape": list(shape), "kwargs": kwargs, "message": msg})
    for ctor, kwargs, shape in (("BatchNorm2d", {"num_features": 3}, (2, 3, 4)),
                                ("BatchNorm2d", {"num_features": 3}, (2, 4, 2, 2)),
                                ("GroupNorm", {"num_groups": 4, "num_channels": 6}, None),
                                ("Unflatten", {"dim": 1, "unflattened_size": (2, 4)}, (2, 6))):
        msg = _message(lambda ctor=ctor, kwargs=kwargs, shape=shape: getattr(tnn, ctor)(**kwargs)(
            torch.zeros(shape if shape else (1,))))
        cases.append({"ctor": ctor, "shape": shape and list(shape), "kwargs": kwargs, "message": msg})
    return cases


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)
    write_json(out_dir / "functional.json", functional_cases())
    write_json(out_dir / "modules.json", module_cases())
    torch.set_default_dtype(torch.float32)
    write_json(out_dir / "dropout.json", dropout_cases())
    write_json(out_dir / "errors.json", error_cases())
