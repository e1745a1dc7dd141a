"""Every planned sweep point checked against the schema before the first run starts (no model is built)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..config import load_config
from ..errors import UserError
from .base_config import override_text, plain
from .space import Point, Range

Where = Callable[[str, str, int | None], str]  # (grid|ranges, config key, value index) -> the key path to report


def check_points(base: dict[str, Any], grid: Mapping[str, Sequence[Any]], ranges: Mapping[str, Range],
                 where: Where) -> None:
    """Validate the base config at every grid combination, with every range at its low and at its high bound.

    Identical configs are checked once; a UserError names the grid value or range that made a point invalid.
    """
    combos = [dict(zip(grid, combo)) for combo in itertools.product(*grid.values())] if grid else [{}]
    bounds = [{key: r.bound(which) for key, r in ranges.items()} for which in ("low", "high")] if ranges else [{}]
    seen: set[tuple[str, ...]] = set()
    for combo, bound in itertools.product(combos, bounds):
        point = {key: plain(value) for key, value in {**combo, **bound}.items()}
        overrides = tuple(override_text(key, value) for key, value in point.items())
        if overrides in seen:
            continue
        seen.add(overrides)
        try:
            load_config(base, overrides)
        except UserError as exc:
            raise _blame(exc, point, grid, ranges, where) from None


def _blame(exc: UserError, point: Point, grid: Mapping[str, Sequence[Any]], ranges: Mapping[str, Range],
           where: Where) -> UserError:
    """The error restated for the sweep: which point, and the grid value or range it came from."""
    message = exc.message
    if message.startswith("--set "):  # the point's value is applied as an override; name the point instead
        message = message.split(": ", 1)[-1]
    label = ", ".join(f"{key}={override_text(key, value).split('=', 1)[1]}" for key, value in point.items())
    culprit = _culprit(exc.key, list(point))
    if culprit is None:
        return UserError(f"sweep point {label}: {message}", key=exc.key, hint=exc.hint)
    if culprit in ranges:
        key = where("ranges", culprit, None)
    else:
        values = [plain(v) for v in grid[culprit]]
        key = where("grid", culprit, values.index(point[culprit]))
    detail = message if exc.key == culprit else f"{exc.key}: {message}"
    return UserError(f"sweep point {label}: {detail}", key=key, hint=exc.hint)


def _culprit(error_key: str | None, keys: list[str]) -> str | None:
    """The point key an error's key path lies under (or above); the most specific one."""
    if not error_key:
        return None
    related = [k for k in keys if k == error_key or error_key.startswith(k + ".") or k.startswith(error_key + ".")]
    return max(related, key=len, default=None)
