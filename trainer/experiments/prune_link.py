"""How a run's intermediate values reach the study, and the pruner's decisions come back: files in the sweep directory.

A worker (local or Dask) that reaches a report epoch writes `prune/<run>@<epoch>.ask` (the judged value)
and waits for `prune/<run>@<epoch>.answer`, which the sweep process writes after asking the pruner of
the study it owns. So the decision is made once, by the parent, before the run trains another epoch,
whichever machine it runs on; a Dask worker needs the sweep directory at the same path (a shared
filesystem, as for data files). Files are small and replaced atomically; nothing here needs a server.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRUNE_DIR = "prune"
_POLL = 0.002  # seconds between the sweep process's looks for questions
_WAIT = (0.0002, 0.01)  # a worker's first and longest wait between looks for its answer (doubling in between)
_PATIENCE = 300.0  # seconds a worker waits for an answer before training on (the sweep process is gone)

Decide = Callable[[str, bool, int, float], bool]  # (trial, primary, epoch, value) -> prune?


@dataclass(frozen=True)
class PruneLink:
    """What a worker needs to report one run: where to write, which trial it belongs to, what to report."""

    root: str
    run: str
    trial: str
    primary: bool  # the trial's first seed: only its values go to the study; the others follow its fate
    metric: str  # a metrics.csv column; "" for the judged loss (val_loss when there is a split, else train_loss)
    every: int = 1

    def should_stop(self, epoch: int, record: dict[str, Any]) -> bool:
        """Send this epoch's value and wait for the pruner's decision (False if none comes within the patience)."""
        value = record.get(self.metric) if self.metric else _loss(record)
        value = float(value) if isinstance(value, int | float) and math.isfinite(value) else math.nan
        stem = Path(self.root) / f"{self.run}@{epoch}"
        _write(stem.with_suffix(".ask"), {"trial": self.trial, "primary": self.primary, "value": _finite(value)})
        answer = stem.with_suffix(".answer")
        deadline = time.monotonic() + _PATIENCE
        pause = _WAIT[0]
        while time.monotonic() < deadline:
            try:
                decision = answer.read_text()
            except OSError:
                time.sleep(pause)
                pause = min(2 * pause, _WAIT[1])
                continue
            answer.unlink(missing_ok=True)
            return decision.strip() == "prune"
        return False


class PruneServer:
    """In the sweep process: a thread answering every question found in `root` with `decide(...)`."""

    def __init__(self, root: str | os.PathLike[str], decide: Decide) -> None:
        self.root = Path(root)
        self.decide = decide
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="trainer-prune-server", daemon=True)

    def __enter__(self) -> PruneServer:
        shutil.rmtree(self.root, ignore_errors=True)  # questions left by a killed sweep are asked again
        self.root.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        shutil.rmtree(self.root, ignore_errors=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            for ask in sorted(self.root.glob("*.ask")):
                self._answer(ask)
            self._stop.wait(_POLL)

    def _answer(self, ask: Path) -> None:
        try:
            question = json.loads(ask.read_text())
            run, epoch = ask.stem.rsplit("@", 1)
            value = question["value"]
            prune = self.decide(str(question["trial"]), bool(question["primary"]), int(epoch),
                                math.nan if value is None else float(value))
        except (OSError, ValueError, KeyError):
            return  # half-written or already answered: looked at again next round
        except Exception as exc:  # noqa: BLE001 - a failing pruner must not leave its runs waiting forever
            self.error = self.error or exc
            prune = False
        _write_text(ask.with_suffix(".answer"), "prune" if prune else "go")
        ask.unlink(missing_ok=True)


def _loss(record: dict[str, Any]) -> Any:
    return record.get("val_loss") if record.get("val_loss") is not None else record.get("train_loss")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _write(path: Path, obj: Any) -> None:
    _write_text(path, json.dumps(obj))


def _write_text(path: Path, text: str) -> None:
    """Replace `path` atomically (no fsync: these files matter only while both ends are alive)."""
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)
