"""PyTorch reference values for torch.optim.swa_utils (run by tools/make_references.py; needs torch).

Writes tests/references/optim/swa_utils.json:

- `averaging`: a Linear + BatchNorm1d + Tanh + Linear model with the fixed weights of `problem()`, trained by
  SGD for a few steps, each followed by `update_parameters`: the averaged model's `state_dict()` after every
  update, its names, and its eval-mode output at the end, for SWA and EMA per tensor and over lists, custom
  functions, `use_buffers` on and off, float64 and float32.
- `schedules`: SWALR's lr per group after construction and after each epoch (cos and linear, several
  `anneal_epochs`, per-group `swa_lr`, taking over from CosineAnnealingLR, `last_epoch`) and its state_dict.
- `update_bn`: running statistics after `update_bn` over a loader of tuples or tensors, with the momenta and
  training mode it restores, for BatchNorm1d/2d, an InstanceNorm it must leave alone, a model without
  batch norm, and an averaged model.
- `errors`: the exception class and message PyTorch raises for bad arguments.

The scenarios are in tests/optim/swa_utils_cases.py, shared with tests/optim/test_swa_utils.py; this file holds
the fixed data and the case tables.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import write_json  # noqa: E402

from tests.optim.swa_utils_cases import EPOCHS, STEPS, errors, run_averaging, run_schedule, run_update_bn  # noqa: E402

AREA = "optim"


def problem() -> dict[str, Any]:
    """Fixed weights and data (stored in the reference file)."""
    rng = np.random.default_rng(2026)
    return {
        "weights": {"0.weight": rng.standard_normal((4, 3)) * 0.6, "0.bias": rng.standard_normal(4) * 0.3,
                    "1.weight": 1 + 0.2 * rng.standard_normal(4), "1.bias": 0.1 * rng.standard_normal(4),
                    "3.weight": rng.standard_normal((2, 4)) * 0.5, "3.bias": rng.standard_normal(2) * 0.2},
        "x": rng.standard_normal((8, 3)), "y": rng.standard_normal((8, 2)), "x_eval": rng.standard_normal((5, 3)),
        "batches": [rng.standard_normal((n, 3)) * 2 + 1 for n in (4, 3, 5)],
        "batches_3d": [rng.standard_normal((n, 2, 5)) * 3 - 1 for n in (2, 4)],
        "batches_4d": [rng.standard_normal((n, 3, 2, 2)) + 0.5 for n in (3, 2)],
    }


# ----- averaging ---------------------------------------------------------------------------------------------------
def averaging_cases() -> list[dict[str, Any]]:
    def case(name: str, avg: str, use_buffers: bool, dtype: str = "float64", **extra: Any) -> dict[str, Any]:
        return {"name": name, "avg": avg, "use_buffers": use_buffers, "dtype": dtype, **extra}

    return [
        case("swa", "swa", False), case("swa_buffers", "swa", True),
        case("swa_fn_buffers", "swa_fn", True), case("swa_multi", "swa_multi", False),
        case("swa_multi_default_float64", "swa_multi", False, default_dtype="float64"),
        case("ema", "ema", False, decay=0.9), case("ema_buffers", "ema", True, decay=0.75),
        case("ema_multi", "ema_multi", False, decay=0.9), case("ema_multi_buffers", "ema_multi", True, decay=0.6),
        case("ema_multi_decay_one", "ema_multi", True, decay=1.0),
        case("ema_multi_decay_zero", "ema_multi", False, decay=0.0),
        case("midpoint_buffers", "midpoint", True), case("record_midpoint_buffers", "record_midpoint", True),
        case("swa_float32", "swa", True, "float32"), case("ema_multi_float32", "ema_multi", False, "float32",
                                                          decay=0.9),
    ]


# ----- SWALR -------------------------------------------------------------------------------------------------------
def schedule_cases() -> list[dict[str, Any]]:
    def case(name: str, **kwargs: Any) -> dict[str, Any]:
        extra = {k: kwargs.pop(k) for k in ("warmup", "initial_lr") if k in kwargs}
        return {"name": name, "kwargs": kwargs, **extra}

    return [
        case("cos_default", swa_lr=0.01), case("linear_default", swa_lr=0.01, anneal_strategy="linear"),
        case("cos_none", swa_lr=0.02, anneal_epochs=0), case("linear_none", swa_lr=0.02, anneal_epochs=0,
                                                             anneal_strategy="linear"),
        case("cos_one", swa_lr=0.03, anneal_epochs=1), case("linear_one", swa_lr=0.03, anneal_epochs=1,
                                                            anneal_strategy="linear"),
        case("cos_three_list", swa_lr=[0.02, 0.2], anneal_epochs=3),
        case("linear_five_tuple", swa_lr=(0.001, 0.5), anneal_epochs=5, anneal_strategy="linear"),
        case("cos_long", swa_lr=0.005, anneal_epochs=20),
        case("after_cosine", swa_lr=0.005, anneal_epochs=4, warmup=4),
        case("last_epoch", swa_lr=0.01, anneal_epochs=4, last_epoch=7, initial_lr=[0.2, 0.1]),
    ]


# ----- update_bn ---------------------------------------------------------------------------------------------------
def update_bn_cases() -> list[dict[str, Any]]:
    def case(name: str, model: str, form: str, training: bool, batches: str = "batches", **extra: Any
             ) -> dict[str, Any]:
        return {"name": name, "model": model, "form": form, "training": training, "batches": batches, **extra}

    return [
        case("tuples_eval", "mlp", "tuple", False), case("tensors_train", "mlp", "tensor", True, device="cpu"),
        case("lists_eval", "mlp", "list", False),
        case("instance_norm_untouched", "instance_norm", "tensor", False, "batches_3d"),
        case("batchnorm2d", "conv_bn", "tuple", True, "batches_4d"),
        case("no_batch_norm", "linear", "tensor", False),
        case("averaged_model", "mlp", "tuple", False, averaged=True),
    ]


# ----- errors ------------------------------------------------------------------------------------------------------
def run_error(name: str, make: Any) -> dict[str, Any]:
    try:
        make()
    except Exception as e:  # noqa: BLE001 - every class is what is recorded
        return {"name": name, "error": type(e).__name__, "message": str(e)}
    raise AssertionError(f"{name} raised nothing")


def main(out_dir: Path) -> None:
    data = problem()
    write_json(out_dir / "swa_utils.json", {
        "problem": data, "steps": STEPS, "epochs": EPOCHS,
        "averaging": [{**c, **run_averaging(torch, c, data)} for c in averaging_cases()],
        "schedules": [{**c, **run_schedule(torch, c)} for c in schedule_cases()],
        "update_bn": [{**c, **run_update_bn(torch, c, data)} for c in update_bn_cases()],
        "errors": [run_error(name, make) for name, make in errors(torch, data["weights"]).items()],
    })
