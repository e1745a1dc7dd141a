"""What runs inside a worker process (local pool or Dask): one training run, returned as plain data.

The run trains into a temporary directory on the worker and the function returns that directory's
files as bytes, so the machine that started the experiment writes every run directory itself, the
same way for every executor. Every exception is caught and returned as the run's error: one bad
run never takes its worker or the experiment down. A run interrupted by SIGINT/SIGTERM returns its
checkpoint (status `interrupted`); given those files back as `resume`, it continues from there.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config.plugins import PluginSource, use_plugins
from ..errors import DivergedError, UserError
from ..runner import run
from ..training.stop_when import StopWhen
from .prune_link import PruneLink

_ONE_RUN_AT_A_TIME = threading.Lock()  # the engine's RNG and modes are per process; Dask may run threads
STOP = threading.Event()  # set by SIGTERM to an idle local worker: start no run
_PARENT_POLL = 0.25  # seconds between checks that the process that started this worker is alive
_PR_SET_PDEATHSIG = 1


def execute(config: dict[str, Any], overrides: Sequence[str] = (),
            resume: dict[str, bytes] | None = None, plugins: Sequence[PluginSource] = (),
            link: PruneLink | None = None) -> dict[str, Any]:
    """Train `config` with `--set`-style `overrides` (or continue the interrupted run whose files are `resume`).

    `plugins` (the experiment process's, see `config.plugins.loaded_plugins`) are loaded first. With a
    `link`, the run reports to the sweep's pruner every `link.every` epochs and ends `pruned` when told.
    Returns status, error, traceback and the run directory's files. No tracker runs here: the experiment
    process feeds `training.loggers` from the files it gets back (workers need no extras).
    """
    if STOP.is_set():
        return {"status": "interrupted", "error": "interrupted before it started", "traceback": None, "files": {}}
    with _ONE_RUN_AT_A_TIME, tempfile.TemporaryDirectory(prefix="trainer-run-") as tmp:
        out = Path(tmp) / "run"
        status, error, trace = "failed", None, None
        try:
            use_plugins(plugins)
            callbacks = [StopWhen(link.should_stop, link.every)] if link is not None else []
            if resume:
                status = _resume(resume, out, callbacks)
            else:
                result = run(config, out=out, quiet=True, overrides=list(overrides), loggers=(),
                             callbacks=callbacks)
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


def _resume(files: dict[str, bytes], out: Path, callbacks: list[StopWhen]) -> str:
    """Write an interrupted run's files into `out` and continue it from its checkpoint."""
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    result = run(resume=out, quiet=True, loggers=(), callbacks=callbacks)
    return str(result.summary.get("status", "completed"))


def _collect(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def init_local_worker(parent: int) -> None:
    """Initializer of a local pool's worker: signals as an idle worker wants them, and die with `parent`.

    Ctrl-C is ignored (the terminal sends it to the whole group; a run installs its own handler);
    SIGTERM marks the worker stopped, so it starts no further run. On Linux the kernel signals the
    worker when the thread that started it ends (PR_SET_PDEATHSIG), and the worker exits if its
    parent is gone; a thread polling the parent's pid does the same everywhere.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # started with SIGINT blocked (see executors._ctrl_c_blocked)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda signum, frame: STOP.set())
    if sys.platform.startswith("linux"):
        signal.signal(signal.SIGUSR1, lambda signum, frame: _exit_if_orphaned(parent))
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGUSR1), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    _exit_if_orphaned(parent)
    threading.Thread(target=_watch_parent, args=(parent,), name="trainer-parent-watch", daemon=True).start()


def _exit_if_orphaned(parent: int) -> None:
    if os.getppid() != parent:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while True:
        _exit_if_orphaned(parent)
        time.sleep(_PARENT_POLL)
