"""The benchmark's three ways compute the same training (no timing here: `make bench` does that)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import run, script
from benchmarks.engine import EngineRun
from benchmarks.floor import NumpyFloor
from benchmarks.machine import busy_fraction, machine_info
from benchmarks.timing import peak_bytes, per_call_seconds
from benchmarks.workloads import DEEP, MLP, SEED, WORKLOADS, Workload

STEPS = 3


def _losses(step, n: int = STEPS) -> list[float]:
    return [float(step()) for _ in range(n)]


@pytest.mark.parametrize("w", WORKLOADS, ids=lambda w: w.name)
def test_engine_and_floor_train_identically(w: Workload) -> None:
    engine, floor = _losses(EngineRun(w).step), _losses(NumpyFloor(w).step)
    # float32 throughout; the floor's Adam is the textbook formula, not ATen's order, hence not bit-equal
    np.testing.assert_allclose(engine, floor, rtol=1e-5)
    assert engine[-1] < engine[0]


@pytest.mark.parametrize("w", [SEED, DEEP], ids=lambda w: w.name)
def test_engine_stays_float32(w: Workload) -> None:
    """No accidental float64 anywhere a step touches: parameters, gradients, optimizer state."""
    run = EngineRun(w)
    _losses(run.step)
    for p in run.model.parameters():
        assert p._array.dtype == np.float32 and p.grad._array.dtype == np.float32
        for key, value in run.opt.state[p].items():
            assert value._array.dtype == np.float32, key


def test_workloads_are_healthy_float32() -> None:
    for w in WORKLOADS:
        x, y = w.data()
        assert x.dtype == np.float32 and x.shape == (w.batch, w.sizes[0])
        assert y.dtype == (np.int64 if w.loss == "cross_entropy" else np.float32)
        for (weight, bias), fan_in, fan_out in zip(w.init(), w.sizes[:-1], w.sizes[1:]):
            assert weight.shape == (fan_out, fan_in) and bias.shape == (fan_out,)
    # the deep stack keeps its ReLUs alive: its loss keeps falling instead of collapsing to a constant
    deep = NumpyFloor(DEEP)
    losses = _losses(deep.step, 40)
    assert np.isfinite(losses).all() and losses[-1] < 0.5 * losses[0]


def test_interleaved_timing_reports_every_repeat() -> None:
    calls: list[str] = []
    samples = per_call_seconds({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, calls=2,
                               repeats=3, warmup=1, settle=0)
    assert {k: len(v) for k, v in samples.items()} == {"a": 3, "b": 3}
    assert calls[:2] == ["a", "b"] and calls[2:5] == ["a"] * 3  # warm-ups, then a's first block (+1 wake-up)


def test_peak_memory_counts_the_model() -> None:
    small = peak_bytes(lambda: EngineRun(SEED).step)
    large = peak_bytes(lambda: NumpyFloor(MLP).step, calls=1)
    assert 0 < small < large
    assert large > 4 * sum(p.nbytes for layer in MLP.init() for p in layer)  # params, m, v, grads


def test_targets_and_table() -> None:
    row = run._ratio_row(SEED.name, SEED.unit, {"engine": [1e-4, 1.2e-4, 2.2e-4], "numpy": [1e-4, 1e-4, 2e-4]})
    # times are medians of the repeats; the ratio is the median of per-repeat ratios (1.0, 1.2, 1.1)
    assert row["engine"] == pytest.approx(120.0) and row["engine/numpy"] == pytest.approx(1.1)
    run._judge(row, 1.5, 1 / 3)
    assert row["met"] is None  # the PyTorch half could not be measured
    row["engine/torch"] = 0.5
    run._judge(row, 1.5, 1 / 3)
    assert row["met"] is False and "torch >= 3x slower" in row["target"]
    sweep = {"workload": "(5) sweep", "unit": "s", "jobs1": 2.0, "jobs2": 1.0, "speed-up": 2.0, "target": "t",
             "met": True}
    console = run.Console(width=150, record=True)
    run.render([row, sweep], console)
    text = console.export_text()
    assert "1.10x" in text and "2.00x faster" in text


def test_machine_info_and_script(capsys: pytest.CaptureFixture[str]) -> None:
    info = machine_info()
    assert info["numpy_blas"]["threads"] >= 1 and info["cpus"] >= 1
    assert 0.0 <= busy_fraction(0.05) <= 1.0
    script.main(["numpy", "3"])
    assert capsys.readouterr().out.startswith("final loss ")


def test_the_bench_refuses_to_time_implementations_that_disagree() -> None:
    run.same_training({"engine": EngineRun(SEED).step, "numpy": NumpyFloor(SEED).step})
    wrong = NumpyFloor(SEED)
    wrong.x = wrong.x * 2
    with pytest.raises(RuntimeError, match="disagree"):
        run.same_training({"engine": EngineRun(SEED).step, "numpy": wrong.step})
