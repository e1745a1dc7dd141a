"""Text sparklines: low to high as ▁ to █, squeezed to a width, gaps for missing values."""

from __future__ import annotations

from trainer.cli.sparkline import sparkline


def test_a_falling_curve_runs_from_full_to_empty_bars() -> None:
    assert sparkline([8, 7, 6, 5, 4, 3, 2, 1]) == "█▇▆▅▄▃▂▁"


def test_long_curves_are_squeezed_and_flat_ones_sit_in_the_middle() -> None:
    line = sparkline(list(range(200)), width=20)
    assert len(line) == 20 and line[0] == "▁" and line[-1] == "█"
    assert sparkline([2.0, 2.0, 2.0]) == "▄▄▄"


def test_missing_and_non_finite_values_are_gaps() -> None:
    assert sparkline([1.0, None, float("nan"), 3.0]) == "▁  █"
    assert sparkline([]) == ""
