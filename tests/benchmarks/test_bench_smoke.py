"""The benchmark's implementations compute the same training, and its bookkeeping is right (no timing here)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import report, run, script
from benchmarks.engine import EngineRun
from benchmarks.floor import NumpyFloor
from benchmarks.floor_soft import SoftFloor
from benchmarks.machine import busy_fraction, load_average, machine_info
from benchmarks.stats import ratio_row
from benchmarks.targets import judge
from benchmarks.timing import interleaved_blocks, peak_bytes, per_call_seconds
from benchmarks.workloads import DEEP, MLP, SEED, WORKLOADS, Workload

STEPS = 3


def _losses(step, n: int = STEPS) -> list[float]:
    return [float(step()) for _ in range(n)]


@pytest.mark.parametrize("w", WORKLOADS, ids=lambda w: w.name)
def test_engine_and_floors_train_identically(w: Workload) -> None:
    engine, floor, soft = _losses(EngineRun(w).step), _losses(NumpyFloor(w).step), _losses(SoftFloor(w).step)
    np.testing.assert_allclose(engine, floor, rtol=1e-5)
    np.testing.assert_allclose(soft, floor, rtol=1e-5)
    assert engine[-1] < engine[0]


@pytest.mark.parametrize("w", [SEED, DEEP], ids=lambda w: w.name)
def test_engine_stays_float32(w: Workload) -> None:
    """No accidental float64 anywhere a step touches: parameters, gradients, optimizer state."""
    run_ = EngineRun(w)
    _losses(run_.step)
    for p in run_.model.parameters():
        assert p._array.dtype == np.float32 and p.grad._array.dtype == np.float32
        for key, value in run_.opt.state[p].items():
            assert value._array.dtype == np.float32, key


def test_workloads_are_healthy_float32() -> None:
    for w in WORKLOADS:
        x, y = w.data()
        assert x.dtype == np.float32 and x.shape == (w.batch, w.sizes[0])
        assert y.dtype == (np.int64 if w.loss == "cross_entropy" else np.float32)
        for (weight, bias), fan_in, fan_out in zip(w.init(), w.sizes[:-1], w.sizes[1:]):
            assert weight.shape == (fan_out, fan_in) and bias.shape == (fan_out,)
    # the deep stack keeps its ReLUs alive: its loss keeps falling instead of collapsing to a constant
    losses = _losses(NumpyFloor(DEEP).step, 40)
    assert np.isfinite(losses).all() and losses[-1] < 0.5 * losses[0]


def test_interleaved_timing_reports_every_repeat() -> None:
    calls: list[str] = []
    samples = per_call_seconds({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, calls=2,
                               repeats=3, warmup=1, settle=0)
    assert {k: len(v) for k, v in samples.items()} == {"a": 3, "b": 3}
    assert calls[:2] == ["a", "b"] and calls[2:5] == ["a"] * 3  # warm-ups, then a's first block (+1 wake-up)


def test_a_budget_stops_repeats_after_three() -> None:
    seen: list[int] = []
    samples = interleaved_blocks({"a": lambda n: seen.append(n) or 1.0}, calls=4, repeats=10, settle=0, budget=0)
    assert samples == {"a": [1.0] * 3} and seen == [4, 4, 4]


def test_peak_memory_counts_the_model() -> None:
    small = peak_bytes(lambda: EngineRun(SEED).step)
    large = peak_bytes(lambda: NumpyFloor(MLP).step, calls=1)
    assert 0 < small < large
    assert large > 4 * sum(p.nbytes for layer in MLP.init() for p in layer)  # params, m, v, grads


def test_ratios_targets_and_tables() -> None:
    row = ratio_row(SEED.name, SEED.unit, {"engine": [1e-4, 1.2e-4, 2.2e-4], "floor": [1e-4, 1e-4, 2e-4],
                                           "torch": [6e-4, 6e-4, 1.1e-3]})
    # times are medians of the repeats; the ratio is the median of per-repeat ratios (1.0, 1.2, 1.1)
    assert row["engine"] == pytest.approx(120.0) and row["engine/floor"] == pytest.approx(1.1)
    rows = {"seed": row, "sweep16": {"workload": "sweep of 16 seed runs", "unit": "s", "jobs1": 2.0, "jobs2": 1.0,
                                     "speed-up": 2.0}}
    targets = {t["target"]: t for t in judge(rows, {"seed": 240.0})}
    assert targets["seed <= 0.65x today's engine (72a4059)"]["value"] == pytest.approx(0.5)
    assert targets["seed <= 0.65x today's engine (72a4059)"]["met"] is True
    assert targets["seed <= 1.1x the tight floor"]["met"] is True  # 1.1 <= 1.1
    assert targets["seed: PyTorch >= 5x slower"]["value"] == pytest.approx(5.0)
    assert targets["sweep of 16: --jobs 2 >= 1.5x --jobs 1"]["met"] is True
    assert targets["CNN <= 1.5x its floor"]["met"] is None
    console = run.Console(width=160, record=True)
    report.render(rows, list(targets.values()), None, None, console)
    text = console.export_text()
    assert "1.10x" in text and "2.00x" in text and "row not run" in text


def test_machine_info_and_script(capsys: pytest.CaptureFixture[str]) -> None:
    info = machine_info()
    assert info["numpy_blas"]["threads"] >= 1 and info["cpus"] >= 1
    assert 0.0 <= busy_fraction(0.05) <= 1.0
    assert load_average() is None or len(load_average()) == 3
    assert "CPUs" in report.machine_line(info, False)
    script.main(["numpy", "3"])
    assert capsys.readouterr().out.startswith("final loss ")


def test_the_bench_refuses_to_time_implementations_that_disagree() -> None:
    run.same_training({"engine": EngineRun(SEED).step, "floor": NumpyFloor(SEED).step})
    wrong = NumpyFloor(SEED)
    wrong.a[0] *= 2  # the floor's input buffer
    with pytest.raises(RuntimeError, match="disagree"):
        run.same_training({"engine": EngineRun(SEED).step, "floor": wrong.step})
