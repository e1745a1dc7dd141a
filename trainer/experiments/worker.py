"""What runs inside a worker process (local pool or Dask): one training run, returned as plain data.

The run trains into a temporary directory on the worker and the function returns that directory's
files as bytes, so the machine that started the experiment writes every run directory itself, the
same way for every executor. Every exception is caught and returned as the run's error: one bad
run never takes its worker or the experiment down.
"""

from __future__ import annotations

import tempfile
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DivergedError, UserError
from ..runner import run

_ONE_RUN_AT_A_TIME = threading.Lock()  # the engine's RNG and modes are per process; Dask may run threads


def execute(config: dict[str, Any], overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Train `config` (a config mapping) with `--set`-style `overrides`; return status, error and the files."""
    with _ONE_RUN_AT_A_TIME, tempfile.TemporaryDirectory(prefix="trainer-run-") as tmp:
        out = Path(tmp) / "run"
        status, error, trace = "failed", None, None
        try:
            result = run(config, out=out, quiet=True, overrides=list(overrides))
            status = str(result.summary.get("status", "completed"))
        except KeyboardInterrupt:
            status, error = "interrupted", "interrupted"
        except Exception as exc:  # noqa: BLE001 - a crashing run is recorded, never raised
            if isinstance(exc, DivergedError):
                status = "diverged"
            error = str(exc) if isinstance(exc, UserError | DivergedError) else f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, UserError | DivergedError):
                trace = traceback.format_exc()
        files = _collect(out)
        return {"status": status, "error": error, "traceback": trace, "files": files}


def _collect(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
