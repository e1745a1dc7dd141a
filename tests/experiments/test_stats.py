"""Median, IQM, the seeded bootstrap interval and P(A beats B), against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.experiments.stats import bootstrap_ci, describe, iqm, median, overlaps, probability_of_improvement


def test_iqm_drops_a_quarter_from_each_end() -> None:
    # 8 values: drop 2 from each end -> mean of 3, 4, 5, 6
    assert iqm([8, 1, 7, 2, 6, 3, 5, 100]) == pytest.approx((3 + 5 + 6 + 7) / 4)
    assert iqm([1, 2, 3, 4]) == pytest.approx(2.5)  # drop 1 and 4
    assert iqm([1, 2, 30]) == pytest.approx(11.0)  # fewer than 4 values: nothing dropped
    assert math.isnan(iqm([]))


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    values = [0.1, 0.4, 0.35, 0.2, 0.9]
    first, again = bootstrap_ci(values), bootstrap_ci(values)
    assert first == again
    assert first[0] < np.mean(values) < first[1]
    assert min(values) <= first[0] and first[1] <= max(values)
    assert bootstrap_ci(values, seed=1) != first


def test_bootstrap_of_two_values_by_hand() -> None:
    # resampling two values gives means a (1/4), (a+b)/2 (1/2), b (1/4): the 2.5% and 97.5% points are a and b
    assert bootstrap_ci([1.0, 3.0]) == (1.0, 3.0)
    assert bootstrap_ci([2.0]) == (2.0, 2.0)


def test_bootstrap_keeps_a_failed_seed_infinite_not_nan() -> None:
    low, high = bootstrap_ci([0.1, 0.2, math.inf])
    assert math.isfinite(low) and low >= 0.1  # (2/3)^3 of the resamples hold no failed seed
    assert high == math.inf


def test_describe_by_hand() -> None:
    d = describe([1.0, 2.0, 3.0, 10.0])
    assert d["mean"] == 4.0
    assert d["median"] == 2.5
    assert d["iqm"] == 2.5
    assert d["std"] == pytest.approx(np.std([1, 2, 3, 10], ddof=1))
    assert math.isnan(describe([1.0])["std"])


def test_probability_of_improvement_by_hand() -> None:
    # pairs (a, b): 1<2 yes, 1<3 yes, 3<2 no, 3=3 half -> (1 + 1 + 0 + 0.5) / 4
    assert probability_of_improvement([1, 3], [2, 3]) == pytest.approx(0.625)
    assert probability_of_improvement([2, 3], [1, 3]) == pytest.approx(0.375)
    assert probability_of_improvement([1.0], [math.inf]) == 1.0  # a failed seed always loses
    assert probability_of_improvement([math.inf], [math.inf]) == 0.5


def test_overlaps() -> None:
    assert overlaps((0, 1), (1, 2))
    assert overlaps((0, 3), (1, 2))
    assert not overlaps((0, 1), (1.5, 2))


def test_median_is_numpys_bit_for_bit_with_infinities_and_nans() -> None:
    rng = np.random.default_rng(3)
    cases = [[], [2.5], [1.0, 2.0], [math.inf, 1.0], [math.inf, -math.inf], [math.inf, math.inf, 1.0],
             [math.nan, 1.0, 2.0], [1.0, math.nan], [0.1, 0.2, 0.7, 1e300, 1e300]]
    cases += [list(rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5)) for n in range(1, 40)]
    for values in cases:
        with np.errstate(invalid="ignore"):
            expected = float(np.median(np.asarray(values, dtype=float))) if values else math.nan
            got = median(values)
        assert (math.isnan(got) and math.isnan(expected)) or got == expected, values
