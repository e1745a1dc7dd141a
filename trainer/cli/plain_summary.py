"""The end-of-run summary table as plain text, for output that is not a terminal: what rich prints there, without
importing rich (~50 ms of a quiet run). `None` whenever rich would print something else (a terminal, colour
forced, a stream that cannot hold the box characters, a table wider than rich's width); then rich draws it."""

from __future__ import annotations

import os
import sys
import unicodedata
from typing import IO, Any

from .console import can_encode
from .summary_rows import HEADERS, summary_caption, summary_rows, summary_status

WIDTH = 80  # rich's console width when the output is not a terminal and COLUMNS is unset
_ONE_COLUMN = ("N", "Na", "H", "A")  # rich counts ambiguous-width characters (such as "·") as one column
_RICH_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def plain_summary(summary: dict[str, Any], stream: IO[str] | None = None) -> str | None:
    """The table rich would print on `stream` (stdout), or None when only rich can say what that is."""
    stream = sys.stdout if stream is None else stream
    if _is_terminal(stream) or any(os.environ.get(k) for k in _RICH_ENV) or not can_encode(stream):
        return None
    rows = [HEADERS, *summary_rows(summary)]
    texts = [cell for row in rows for cell in row] + [summary_caption(summary), summary_status(summary)]
    if not all(_narrow(t) for t in texts):
        return None
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    if sum(widths) + 3 * len(widths) + 1 > _width():
        return None

    def line(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def cells(row: tuple[str, ...], edge: str) -> str:
        parts = [f" {row[0].ljust(widths[0])} ", *(f" {c.rjust(w)} " for c, w in zip(row[1:], widths[1:]))]
        return edge + edge.join(parts) + edge

    out = [f"run {summary_status(summary)}", line("┏", "━", "┳", "┓"), cells(rows[0], "┃"), line("┡", "━", "╇", "┩"),
           *(cells(row, "│") for row in rows[1:]), line("└", "─", "┴", "┘"), summary_caption(summary)]
    return "\n".join(out) + "\n"


def _width() -> int:
    """rich's console width off a terminal: COLUMNS when it is a number, else 80."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else WIDTH


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return True  # cannot tell: let rich decide


def _narrow(text: str) -> bool:
    """Printable text whose every character is one column wide (what len() measures)."""
    return text.isprintable() and all(unicodedata.east_asian_width(c) in _ONE_COLUMN and not unicodedata.combining(c)
                                      for c in text)
