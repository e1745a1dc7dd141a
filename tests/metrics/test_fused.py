"""The fused regression metrics equal the readable functions bit for bit, on awkward inputs too."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trainer.metrics import evaluate
from trainer.metrics.fused import REGRESSION, RegressionTarget, regression_metrics


def _readable(names, pred, target):
    return {name: evaluate.METRICS[name].fn(pred, target) for name in names}


def _cases():
    rng = np.random.default_rng(0)
    for n, k in [(1, 1), (2, 1), (7, 1), (100, 1), (333, 1), (64, 3), (10, 5)]:
        for dtype in (np.float32, np.float64):
            pred = rng.normal(size=(n, k)).astype(dtype) * 3
            target = rng.normal(size=(n, k)).astype(dtype)
            yield pred, target
            yield pred.reshape(-1) if k == 1 else pred, target.reshape(-1) if k == 1 else target
    constant = np.ones((20, 2))
    yield rng.normal(size=(20, 2)), constant  # ss_tot == 0: r2 falls back to 0
    yield constant.copy(), constant  # ss_res == ss_tot == 0: r2 is 1
    mixed = rng.normal(size=(20, 2))
    mixed[:, 1] = 4.0
    yield rng.normal(size=(20, 2)), mixed  # one constant column of two
    with_nan = rng.normal(size=(9, 1))
    with_nan[3] = np.nan
    yield with_nan, rng.normal(size=(9, 1))
    yield np.full((5, 1), np.inf), rng.normal(size=(5, 1))
    yield np.full((4, 1), 1e200), np.zeros((4, 1))  # squares overflow


@pytest.mark.parametrize("case", list(_cases()), ids=lambda c: f"{c[0].shape}-{c[0].dtype}")
def test_every_subset_equals_the_readable_functions(case):
    pred, target = case
    for size in range(1, 5):
        for names in itertools.permutations(sorted(REGRESSION), size):
            with np.errstate(all="ignore"):  # the overflowing case warns in both
                fused = regression_metrics(names, pred, target)
                readable = _readable(names, pred, target)
            assert list(fused) == list(names)
            assert np.array_equal(np.array(list(fused.values())), np.array(list(readable.values())), equal_nan=True)


def test_compute_metrics_uses_the_fused_pass_only_for_regression_names(monkeypatch):
    calls = []
    monkeypatch.setattr(evaluate, "regression_metrics", lambda *a: calls.append(a) or {"mae": 0.0})
    evaluate.compute_metrics(("mae",), np.zeros((2, 1)), np.zeros((2, 1)))
    labels = np.array([[2.0, 0.1], [0.0, 1.0]])
    assert evaluate.compute_metrics(("accuracy",), labels, np.array([0, 1])) == {"accuracy": 1.0}
    assert len(calls) == 1


@pytest.mark.parametrize("case", list(_cases()), ids=lambda c: f"{c[0].shape}-{c[0].dtype}")
def test_one_target_scores_many_predictions_as_fresh_calls_do(case):
    pred, target = case
    scorer = RegressionTarget(sorted(REGRESSION), target)
    for shift in (0.0, 1.5, -3.0):
        with np.errstate(all="ignore"):
            again, fresh = scorer(pred + shift), _readable(sorted(REGRESSION), pred + shift, target)
        assert np.array_equal(np.array(list(again.values())), np.array(list(fresh.values())), equal_nan=True)
