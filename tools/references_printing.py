"""PyTorch 2.13's printed tensors: `repr` of many tensors at the default and other print options.

Writes tests/references/printing/cases.json (run with `python tools/make_references.py printing`).
`pytorch` is PyTorch's text verbatim (trainer prints dtypes with PyTorch's names too).
Each case stores the tensor's exact values (float32/float16 values are exact in float64), its shape,
dtype, whether it requires grad, the methods applied to it afterwards (for `grad_fn=`), the print
options in force and the default dtype, so tests/autograd/test_printing.py rebuilds the same tensor.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_io import write_json  # noqa: E402

INF, NAN = math.inf, math.nan


def _grid(n: int, scale: float = 0.25, period: int = 97, shift: float = 12.0) -> list[float]:
    """n deterministic values with short decimal forms: (i * 37 mod period) * scale - shift."""
    return [(i * 37 % period) * scale - shift for i in range(n)]


def _wide(n: int) -> list[float]:
    """n values over several magnitudes (scientific notation at the default options)."""
    return [(i % 13 - 6) * 10.0 ** (i % 7 - 3) / 3 for i in range(n)]


def _case(data: Any, shape: Any = None, dtype: str = "float32", requires_grad: bool | None = None,
          ops: list | None = None, options: dict | None = None, parameter: bool = False,
          default_dtype: str | None = None) -> dict[str, Any]:
    flat = data if isinstance(data, list) else [data]
    if shape is None:
        shape = (len(flat),)
    return {"data": flat, "shape": list(shape),
            "dtype": dtype, "requires_grad": parameter if requires_grad is None else requires_grad, "ops": ops or [],
            "before": {}, "options": options or {}, "parameter": parameter, "default_dtype": default_dtype}


CASES: dict[str, dict[str, Any]] = {
    # floats at the default options: whole numbers, fixed point, scientific notation and its thresholds
    "float_fixed": _case([1.0, 2.5]),
    "float_whole": _case([-1.0, 2.0]),
    "float_whole_wide": _case([1.0, -20.0, 300.0]),
    "float_2d_mixed_signs": _case([1.5, -2.25, 3.0, 4.0], (2, 2)),
    "float_sci_large": _case([1e6, 1.0]),
    "float_sci_small": _case([1e-5, 1.0]),
    "float_sci_over_1e8": _case([1e9, 2e9]),
    "float_over_1e8_not_whole": _case([123456789.5, 2.5e8]),
    "float_ratio_1000": _case([1.0, 1000.0]),
    "float_ratio_1001": _case([1.0, 1001.0]),
    "float_ratio_fraction": _case([0.5, 500.0, 0.75]),
    "float_min_1e-4": _case([1e-4, 0.5]),
    "float_min_2e-4": _case([2e-4, 0.5]),
    "float_rounding": _case([0.99999, 9.99995, 123.456789, -0.00005]),
    "float_mixed_magnitudes": _case([1e-3, 1.0, 100.0, 999.5]),
    "float_large_whole": _case([123456789.0, 1.0]),
    "float_large_whole_only": _case([16777216.0, 33554432.0, 1e8]),
    "float_thirds": _case([1 / 3, 2 / 3, -1 / 3, 10 / 3]),
    "float_inf_nan": _case([INF, -INF, NAN, 1.5]),
    "float_only_nonfinite": _case([INF, NAN, -INF]),
    "float_inf_whole": _case([INF, 1.0, 2.0]),
    "float_inf_sci": _case([INF, 1e-6, 1.0]),
    "float_nan_fixed": _case([NAN, 0.5]),
    "float_zeros": _case([0.0, 0.0, 0.0]),
    "float_negative_zeros": _case([-0.0, 0.0, 1.0]),
    "float_negative_zero_fixed": _case([-0.0, 0.5]),
    "float_negative_zero_sci": _case([-0.0, 1e-5, 3.0]),
    "float_only_negative_zeros": _case([0.0, -0.0]),
    # 0-dim tensors
    "scalar_whole": _case(3.0, ()),
    "scalar_fixed": _case(0.1, ()),
    "scalar_sci": _case(1e-5, ()),
    "scalar_large": _case(1e10, ()),
    "scalar_zero": _case(0.0, ()),
    "scalar_negative_zero": _case(-0.0, ()),
    "scalar_inf": _case(INF, ()),
    "scalar_nan": _case(NAN, ()),
    "scalar_int": _case(5, (), "int64"),
    "scalar_negative_int": _case(-7, (), "int64"),
    "scalar_bool": _case(True, (), "bool"),
    "scalar_float64": _case(0.1, (), "float64"),
    "scalar_float16": _case(0.1, (), "float16"),
    "scalar_int32": _case(3, (), "int32"),
    # shapes
    "shape_1": _case([2.5], (1,)),
    "shape_1x1x1": _case([7.0], (1, 1, 1)),
    "shape_3x4": _case(_grid(12), (3, 4)),
    "shape_2x3x4": _case(_grid(24), (2, 3, 4)),
    "shape_2x2x2x3": _case(_grid(24, 0.5), (2, 2, 2, 3)),
    "shape_2x1x3x1x2": _case(_grid(12, 1.0), (2, 1, 3, 1, 2)),
    "shape_4x1": _case([1.0, 2.0, 3.0, 4.5], (4, 1)),
    "shape_3d_sci": _case(_wide(18), (3, 2, 3)),
    # integer and bool tensors
    "int_small": _case([1, 2, 3], dtype="int64"),
    "int_signs": _case([-100, 5, 123456789012], dtype="int64"),
    "int_extremes": _case([2 ** 62, -(2 ** 62), 0], dtype="int64"),
    "int_2d": _case([1, -22, 333, 4, 55, -6], (2, 3), "int64"),
    "int_3d": _case(list(range(-6, 6)), (2, 3, 2), "int64"),
    "int32": _case([1, 2, -3], dtype="int32"),
    "int16": _case([1000, -2], dtype="int16"),
    "int8": _case([-128, 127], dtype="int8"),
    "uint8": _case([0, 255, 7], dtype="uint8"),
    "bool_1d": _case([True, False, True], dtype="bool"),
    "bool_2d": _case([False, False, True, True], (2, 2), "bool"),
    "bool_all_true": _case([True, True], dtype="bool"),
    # other float dtypes
    "float64_fixed": _case([0.1, 0.2, 0.3], dtype="float64"),
    "float64_2d": _case([1.0, 2.0, 3.5, -4.0], (2, 2), "float64"),
    "float64_sci": _case([1e-10, 1.0], dtype="float64"),
    "float64_precise": _case([1 / 3, 1e8 + 0.5], dtype="float64"),
    "float16_values": _case([0.1, 1000.0, 65504.0], dtype="float16"),
    "float16_small": _case([1e-4, 0.5, 2.0], dtype="float16"),
    "float16_whole": _case([1.0, 2.0, -3.0], dtype="float16"),
    "float16_inf": _case([INF, 0.25], dtype="float16"),
    # trainer's dtype names are two characters longer than PyTorch's: here that moves a suffix to the next line
    "dtype_name_wraps_1d": _case([0.0] * 8 + [NAN] + [0.0] * 3, dtype="float64"),
    "dtype_name_wraps_float16": _case([31.890625, 48.3125, -36.84375, -68.875, 175.5], dtype="float16"),
    "dtype_name_wraps_int32": _case([8314492, 8122, -7114], (3, 1), "int32", options={"linewidth": 40}),
    "dtype_name_wraps_before_grad": _case([-730.083, -505.6, 143.528, -525.656, 759.666], dtype="float64",
                                          requires_grad=True, options={"precision": 3}),
    # empty tensors
    "empty_1d": _case([], (0,)),
    "empty_0x3": _case([], (0, 3)),
    "empty_2x0x3": _case([], (2, 0, 3)),
    "empty_int": _case([], (0,), "int64"),
    "empty_int_2d": _case([], (0, 2), "int64"),
    "empty_bool": _case([], (0,), "bool"),
    "empty_float64": _case([], (0,), "float64"),
    "empty_requires_grad": _case([], (0,), requires_grad=True),
    "empty_2d_requires_grad": _case([], (3, 0), requires_grad=True),
    # summarization (more than 1000 elements)
    "summary_1d": _case([float(i) for i in range(1001)]),
    "summary_1d_fixed": _case(_grid(1500, 0.125)),
    "summary_1d_int": _case(list(range(2000)), dtype="int64"),
    "summary_1d_bool": _case([i % 3 == 0 for i in range(1200)], dtype="bool"),
    "summary_2d": _case(_grid(40 * 30), (40, 30)),
    "summary_2d_wide_rows": _case(_grid(2 * 600, 0.5), (2, 600)),
    "summary_2d_tall": _case(_grid(600 * 2), (600, 2)),
    "summary_3d": _case(_grid(11 * 11 * 11, 1.0), (11, 11, 11)),
    "summary_3d_sci": _case(_wide(12 * 10 * 10), (12, 10, 10)),
    "summary_4d": _case(_grid(5 * 5 * 5 * 10, 0.5), (5, 5, 5, 10)),
    "summary_edges_decide_format": _case([1e-6] * 500 + [0.5] * 500 + [2.5] * 500),
    # rows wider than 80 characters
    "long_1d": _case(_grid(30)),
    "long_1d_sci": _case(_wide(25)),
    "long_1d_int": _case([i * 7919 for i in range(50)], dtype="int64"),
    "long_2d": _case(_grid(3 * 25), (3, 25)),
    "long_3d": _case(_grid(2 * 2 * 20), (2, 2, 20)),
    "long_bool": _case([i % 2 == 0 for i in range(40)], dtype="bool"),
    "long_float64": _case(_grid(20), dtype="float64"),
    # requires_grad leaves, suffix placement
    "leaf_1d": _case([1.0, 2.0], requires_grad=True),
    "leaf_scalar": _case(2.5, (), requires_grad=True),
    "leaf_2d": _case([0.5, -1.0, 1.5, 2.0], (2, 2), requires_grad=True),
    "leaf_float64": _case([1.0, 2.5], dtype="float64", requires_grad=True),
    "leaf_suffix_wraps": _case(_grid(9, 0.5, 7, 1.25), requires_grad=True),
    "leaf_suffix_fits": _case(_grid(8, 0.5, 7, 1.25), requires_grad=True),
    "leaf_long": _case(_grid(30), requires_grad=True),
    "leaf_float64_suffixes_wrap": _case(_grid(9, 0.5, 7, 1.25), dtype="float64", requires_grad=True),
    # grad_fn of a few ops
    "grad_mul": _case([1.0, 2.0, 3.0], requires_grad=True, ops=[["__mul__", 2]]),
    "grad_add": _case([1.0, 2.0, 3.0], requires_grad=True, ops=[["__add__", 1.5]]),
    "grad_sub": _case([1.0, 2.0], requires_grad=True, ops=[["__sub__", 0.25]]),
    "grad_div": _case([1.0, 2.0], requires_grad=True, ops=[["__truediv__", 3]]),
    "grad_neg": _case([1.0, 2.0], requires_grad=True, ops=[["__neg__"]]),
    "grad_pow": _case([1.0, 2.0], requires_grad=True, ops=[["__pow__", 2]]),
    "grad_sum": _case([1.0, 2.0, 3.0], requires_grad=True, ops=[["sum"]]),
    "grad_mean": _case([1.0, 2.0, 4.0], requires_grad=True, ops=[["mean"]]),
    "grad_exp": _case([0.0, 1.0], requires_grad=True, ops=[["exp"]]),
    "grad_tanh": _case([0.5, -1.0], requires_grad=True, ops=[["tanh"]]),
    "grad_sigmoid": _case([0.5, -1.0], requires_grad=True, ops=[["sigmoid"]]),
    "grad_relu": _case([0.5, -1.0], requires_grad=True, ops=[["relu"]]),
    "grad_reshape": _case(_grid(6), (2, 3), requires_grad=True, ops=[["reshape", 3, 2]]),
    "grad_t": _case(_grid(6), (2, 3), requires_grad=True, ops=[["t"]]),
    "grad_select": _case(_grid(6), (2, 3), requires_grad=True, ops=[["__getitem__", 0]]),
    "grad_chain": _case([1.0, 2.0], requires_grad=True, ops=[["__mul__", 3], ["exp"], ["sum"]]),
    "grad_float64": _case([1.0, 2.0], dtype="float64", requires_grad=True, ops=[["__mul__", 2]]),
    "grad_suffix_wraps": _case(_grid(9, 0.5, 7, 1.25), requires_grad=True, ops=[["__mul__", 2]]),
    "grad_long_2d": _case(_grid(3 * 25), (3, 25), requires_grad=True, ops=[["__add__", 1]]),
    # nn.Parameter
    "parameter": _case([1.0, 2.0], parameter=True),
    "parameter_frozen": _case([1.0, 2.0], parameter=True, requires_grad=False),
    "parameter_2d": _case(_grid(6), (2, 3), parameter=True),
    "parameter_float64": _case([0.5], dtype="float64", parameter=True),
    # a float64 default dtype: float64 tensors drop the dtype suffix, float32 ones gain it
    "default_float64_f64": _case([1.0, 2.5], dtype="float64", default_dtype="float64"),
    "default_float64_f32": _case([1.0, 2.5], dtype="float32", default_dtype="float64"),
    "default_float64_empty": _case([], (0,), "float64", default_dtype="float64"),
    # print options
    "precision_2": _case([1.12345, 2.5, -0.005], options={"precision": 2}),
    "precision_2_sci": _case([1e-5, 1.0], options={"precision": 2}),
    "precision_0": _case([1.6, 2.5], options={"precision": 0}),
    "precision_8_float64": _case([1 / 3, 2.0], dtype="float64", options={"precision": 8}),
    "sci_mode_false": _case([1e-5, 1e6, 1.0], options={"sci_mode": False}),
    "sci_mode_false_tiny": _case([1e-9, 0.5], options={"sci_mode": False}),
    "sci_mode_true": _case([1.0, 2.5], options={"sci_mode": True}),
    "sci_mode_true_whole": _case([1.0, 2.0, -300.0], options={"sci_mode": True}),
    "sci_mode_true_int": _case([1, 2], dtype="int64", options={"sci_mode": True}),
    "sci_mode_true_zeros": _case([0.0, 0.0], options={"sci_mode": True}),
    "sci_mode_true_scalar": _case(0.5, (), options={"sci_mode": True}),
    "linewidth_40": _case(_grid(20), options={"linewidth": 40}),
    "linewidth_40_2d": _case(_grid(2 * 8), (2, 8), options={"linewidth": 40}),
    "linewidth_40_suffix": _case(_grid(6), requires_grad=True, options={"linewidth": 40}),
    "linewidth_10": _case(_grid(5), options={"linewidth": 10}),
    "linewidth_200": _case(_grid(40), options={"linewidth": 200}),
    "threshold_5": _case([float(i) for i in range(10)], options={"threshold": 5}),
    "threshold_5_int": _case(list(range(10)), dtype="int64", options={"threshold": 5}),
    "threshold_5_2d": _case(_grid(16), (4, 4), options={"threshold": 5}),
    "threshold_5_2d_tall": _case(_grid(16), (8, 2), options={"threshold": 5}),
    "threshold_5_3d": _case(_grid(7 * 3 * 8), (7, 3, 8), options={"threshold": 5}),
    "threshold_5_small": _case([1.0, 2.0, 3.0], options={"threshold": 5}),
    "edgeitems_1": _case([float(i) for i in range(10)], options={"threshold": 5, "edgeitems": 1}),
    "edgeitems_1_3d": _case(_grid(4 * 4 * 4), (4, 4, 4), options={"threshold": 5, "edgeitems": 1}),
    "edgeitems_0": _case([float(i) for i in range(10)], options={"threshold": 5, "edgeitems": 0}),
    "edgeitems_0_2d": _case(_grid(12), (3, 4), options={"threshold": 5, "edgeitems": 0}),
    "edgeitems_0_not_summarized": _case([1.0, 2.0], options={"edgeitems": 0}),
    "edgeitems_0_scalar": _case(1.5, (), options={"edgeitems": 0}),
    "edgeitems_1_float_width_from_edges": _case([1e-6] + [0.5] * 10 + [2.0],
                                                options={"threshold": 5, "edgeitems": 1}),
    "threshold_0_scalar": _case(1.5, (), options={"threshold": 0}),
    "profile_full": _case(_grid(1200, 0.5)),
    "profile_full_2d": _case(_grid(40 * 30), (40, 30)),
    "profile_short": _case(_grid(1200, 0.125)),
    "profile_short_2d": _case(_grid(3 * 4), (3, 4)),
    "profile_short_precision_3": _case([1.12345, 2.5]),
    "profile_default": _case(_grid(1200, 0.125)),
}
# profiles first reset to something else, so the case shows the profile's own values win
_PROFILE_OPTIONS = {
    "profile_full": {"profile": "full"},
    "profile_full_2d": {"profile": "full", "linewidth": 120},
    "profile_short": {"profile": "short"},
    "profile_short_2d": {"profile": "short"},
    "profile_short_precision_3": {"profile": "short", "precision": 3},
    "profile_default": {"profile": "default"},
}
for _name, _options in _PROFILE_OPTIONS.items():
    CASES[_name]["options"] = _options
CASES["profile_default"]["before"] = {"precision": 1, "threshold": 5, "edgeitems": 1, "linewidth": 30}


def build(case: dict[str, Any]) -> torch.Tensor:
    """The case's tensor in PyTorch (tests/autograd/test_printing.py builds it the same way in trainer)."""
    dtype = getattr(torch, case["dtype"])
    t = torch.tensor(case["data"], dtype=dtype).reshape(case["shape"])
    if case["parameter"]:
        return torch.nn.Parameter(t, requires_grad=case["requires_grad"])
    t.requires_grad_(case["requires_grad"])
    for name, *args in case["ops"]:
        t = getattr(t, name)(*args)
    return t


def _printed(case: dict[str, Any]) -> dict[str, str]:
    torch.set_default_dtype(getattr(torch, case["default_dtype"] or "float32"))
    try:
        torch.set_printoptions(**case["before"])
        torch.set_printoptions(**case["options"])
        t = build(case)
        text = repr(t)
        if str(t) != text:
            raise AssertionError(f"str and repr differ for {case}")
        return {"pytorch": text}
    finally:
        torch.set_printoptions(profile="default")
        torch.set_default_dtype(torch.float32)


def _options() -> dict[str, Any]:
    """get_printoptions() at start, after each profile, and after options with a profile."""
    from torch._tensor_str import get_printoptions

    seen = {"initial": get_printoptions()}
    for profile in ("short", "full", "default"):
        torch.set_printoptions(profile=profile)
        seen[profile] = get_printoptions()
    torch.set_printoptions(profile="short", linewidth=50, sci_mode=True)
    seen["short_linewidth_50_sci"] = get_printoptions()
    torch.set_printoptions(precision=7)
    seen["then_precision_7"] = get_printoptions()  # sci_mode goes back to None, other options stay
    torch.set_printoptions(profile="default")
    return seen


def _exact(case: dict[str, Any]) -> dict[str, Any]:
    """The case with its values as the tensor holds them (float32/float16 rounding done here, once)."""
    values = torch.tensor(case["data"], dtype=getattr(torch, case["dtype"])).tolist()
    return {**case, "data": values}


def main(out_dir: Path) -> None:
    cases = {name: {**_exact(case), **_printed(case)} for name, case in CASES.items()}
    write_json(out_dir / "cases.json", {"cases": cases, "options": _options()})
