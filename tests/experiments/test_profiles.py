"""Performance ratios, ρ(τ) and the ∫ρ/3 score, against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from trainer.experiments.profiles import final_ratios, ratios, rho, score

INF = math.inf
TIMES = {"p1": {"a": 10.0, "b": 20.0, "c": INF},
         "p2": {"a": 30.0, "b": 15.0, "c": 60.0},
         "p3": {"a": INF, "b": INF, "c": INF}}


def test_ratios_divide_by_the_best_and_failures_are_infinite() -> None:
    r = ratios(TIMES)
    assert r["p1"] == {"a": 1.0, "b": 2.0, "c": INF}
    assert r["p2"] == {"a": 2.0, "b": 1.0, "c": 4.0}
    assert r["p3"] == {"a": INF, "b": INF, "c": INF}  # nobody solved it


def test_rho_is_the_share_of_problems_within_tau() -> None:
    r = ratios(TIMES)
    assert list(rho(r, "a", [1.0, 1.5, 2.0, 4.0])) == pytest.approx([1 / 3, 1 / 3, 2 / 3, 2 / 3])
    assert list(rho(r, "c", [1.0, 3.9, 4.0])) == pytest.approx([0, 0, 1 / 3])


def test_score_integrates_rho_over_one_to_four() -> None:
    r = ratios(TIMES)
    # a: p1 r=1 adds (4-1)/3 = 1, p2 r=2 adds 2/3, p3 adds 0 -> (1 + 2/3) / 3
    assert score(r, "a") == pytest.approx((1 + 2 / 3) / 3)
    assert score(r, "b") == pytest.approx((2 / 3 + 1) / 3)
    assert score(r, "c") == pytest.approx(0.0)  # r = 4 is within τ only at τ = 4: zero area


def test_score_matches_a_numerical_integral() -> None:
    import numpy as np

    r = ratios(TIMES)
    taus = np.linspace(1, 4, 30001)
    assert float(np.trapezoid(rho(r, "a", taus), taus) / 3) == pytest.approx(score(r, "a"), abs=1e-3)


def test_final_ratios_floor_zero_losses() -> None:
    r = final_ratios({"p": {"a": 0.0, "b": 2e-12, "c": math.nan}})
    assert r["p"] == {"a": 1.0, "b": pytest.approx(2.0), "c": INF}
