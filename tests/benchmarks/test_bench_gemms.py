"""The GEMM floor's cases: the step's eight products, of the shapes F.linear gives them."""

from __future__ import annotations

from benchmarks.gemms import gemm_cases, time_cases
from benchmarks.workloads import MLP, Workload


def test_mlp_step_has_eight_products_of_the_layer_shapes() -> None:
    shapes = {k: fn().shape for k, fn in gemm_cases(MLP).items()}
    assert shapes == {"fwd0": (256, 512), "gw0": (512, 784), "fwd1": (256, 512), "gx1": (256, 512),
                      "gw1": (512, 512), "fwd2": (256, 10), "gx2": (256, 512), "gw2": (10, 512)}


def test_timing_reports_every_case() -> None:
    tiny = Workload("tiny", (3, 4, 2), 5, "cross_entropy", "adam", 1e-3, "us/step", calls=1)
    ms = time_cases(gemm_cases(tiny), repeats=2, calls=1)
    assert sorted(ms) == ["fwd0", "fwd1", "gw0", "gw1", "gx1"] and all(v >= 0 for v in ms.values())
