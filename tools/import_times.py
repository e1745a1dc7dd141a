"""Where a command's start-up time goes: `python -X importtime` of it, as rows the bench can print or sum.

`import_times(["-c", "import trainer.nn"])` -> [ImportTime(module, self_us, cumulative_us, depth), ...] in import
order; `top(rows)` the heaviest by cumulative time. Times are microseconds of one process (noisy on a loaded
machine: compare medians of several runs). Usage: python tools/import_times.py -m trainer --help
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$", re.M)


class ImportTime(NamedTuple):
    module: str
    self_us: int
    cumulative_us: int
    depth: int  # 0 for a module the command imported itself, 1 for one that module imported, ...


def import_times(args: Sequence[str], python: str = sys.executable, env: dict[str, str] | None = None
                 ) -> list[ImportTime]:
    """Every module `python -X importtime ARGS` imported (run in the repository, output discarded)."""
    proc = subprocess.run([python, "-X", "importtime", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=600)
    return [ImportTime(m[4], int(m[1]), int(m[2]), len(m[3]) // 2) for m in _LINE.finditer(proc.stderr)]


def top(rows: Sequence[ImportTime], n: int = 25) -> list[ImportTime]:
    """The `n` rows with the largest cumulative time."""
    return sorted(rows, key=lambda row: row.cumulative_us, reverse=True)[:n]


def main(argv: Sequence[str]) -> None:
    rows = import_times(argv)
    print(f"{sum(r.self_us for r in rows) / 1000:.1f} ms in {len(rows)} imports")
    for row in top(rows):
        print(f"{row.cumulative_us / 1000:8.1f} {row.self_us / 1000:8.1f}  {'  ' * row.depth}{row.module}")


if __name__ == "__main__":
    main(sys.argv[1:])
