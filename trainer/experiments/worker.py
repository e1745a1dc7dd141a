"""What runs inside a worker process (local pool or Dask): one training run, returned as plain data.

On Dask the run trains into a temporary directory on the worker and the function returns that
directory's files as bytes, so the machine that started the experiment writes every run directory
itself. A local worker is given a `stage` instead (the run's final directory): it trains into a
hidden staging directory beside it and returns only that path, so the files are written once and
the sweep process only renames the directory into place and records it. Every exception is caught
and returned as the run's error: one bad run never takes its worker or the experiment down. A run
interrupted by SIGINT/SIGTERM returns its checkpoint (status `interrupted`); given those files back
as `resume`, it continues from there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import numpy as np

from .._lazy import LazyTable
from ..autograd import manual_seed, set_default_dtype, set_grad_enabled
from ..config.plugins import PluginSource, use_plugins
from ..errors import DivergedError, UserError, interruption_behind
from ..training.atomic import current_umask, write_bytes
from ..training.run_files import SUMMARY
from .prune_link import PruneLink
from .records import relocated

# what only a run needs (the run layer, so build, nn, optim and data; the loop's callbacks): imported when a worker
# trains, never by the experiment process, which only pickles `execute` by name (forkserver workers have them already)
_TRAINING = LazyTable("trainer", {"run": "runner.run:run", "StopWhen": "training.stop_when:StopWhen"})

_ONE_RUN_AT_A_TIME = threading.Lock()  # the engine's RNG and modes are per process; Dask may run threads
STOP = threading.Event()  # set by SIGTERM to an idle local worker: start no run
_PARENT_POLL = 0.25  # seconds between checks that the process that started this worker is alive
_PR_SET_PDEATHSIG = 1


def execute(config: dict[str, Any], overrides: Sequence[str] = (),
            resume: dict[str, bytes] | None = None, plugins: Sequence[PluginSource] = (),
            link: PruneLink | None = None, stage: str | None = None) -> dict[str, Any]:
    """Train `config` with `--set`-style `overrides` (or continue the interrupted run whose files are `resume`).

    `plugins` (the experiment process's, see `config.plugins.loaded_plugins`) are loaded first. With a
    `link`, the run reports to the sweep's pruner every `link.every` epochs and ends `pruned` when told.
    Returns status, error, traceback and the run directory's files, or with `stage` (the run's final
    directory, on a disk this worker shares) `staged`: the directory beside it holding the files, its
    summary already naming `stage`. No tracker runs here: the experiment process feeds
    `training.loggers` from the files it gets back (workers need no extras).
    """
    if STOP.is_set():
        return {"status": "interrupted", "error": "interrupted before it started", "traceback": None, "files": {}}
    with _ONE_RUN_AT_A_TIME, _scratch(stage) as tmp:
        out = Path(tmp) / "run"
        status, error, trace = "failed", None, None
        try:
            _fresh_engine()
            use_plugins(plugins)
            callbacks = [_TRAINING["StopWhen"](link.should_stop, link.every)] if link is not None else []
            if resume:
                status = _resume(resume, out, callbacks)
            else:
                result = run(config, out=out, quiet=True, overrides=list(overrides), loggers=(),
                             callbacks=callbacks)
                status = str(result.summary.get("status", "completed"))
        except KeyboardInterrupt:
            status, error = "interrupted", "interrupted"
        except Exception as exc:  # noqa: BLE001 - a crashing run is recorded, never raised
            if interruption_behind(exc) is not None:
                status, error = "interrupted", "interrupted"
            else:
                if isinstance(exc, DivergedError):
                    status = "diverged"
                error = str(exc) if isinstance(exc, UserError | DivergedError) else f"{type(exc).__name__}: {exc}"
                if not isinstance(exc, UserError | DivergedError):
                    trace = traceback.format_exc()
        if stage is None:
            return {"status": status, "error": error, "traceback": trace, "files": _collect(out)}
        staged = _staged(out, Path(stage))
        return {"status": status, "error": error, "traceback": trace, "files": {}, "staged": staged}


def _fresh_engine() -> None:
    """The engine's process-wide state as a new process has it, so no run inherits a previous run's."""
    set_default_dtype(np.float32)
    set_grad_enabled(True)
    manual_seed(0)


def _scratch(stage: str | None) -> Any:
    """Where a run trains: beside its final directory `stage` (a leftover an experiment removes), else a temp dir."""
    if stage is None:
        return tempfile.TemporaryDirectory(prefix="trainer-run-")
    final = Path(stage)
    return _Staging(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))


class _Staging:
    """A staging directory kept after the run (the sweep process moves its `run/` into place)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> str:
        os.chmod(self.path, 0o777 & ~current_umask())  # mkdtemp's 0700 would become the run directory's mode
        return self.path

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:  # a BaseException (SystemExit): nothing to hand back
            shutil.rmtree(self.path, ignore_errors=True)


def _staged(out: Path, final: Path) -> str | None:
    """`out` ready to become `final` (its summary naming `final`); None (nothing left) when the run wrote nothing."""
    if not out.is_dir() or not any(out.iterdir()):
        shutil.rmtree(out.parent, ignore_errors=True)
        return None
    summary = out / SUMMARY
    if summary.is_file():
        moved = relocated({SUMMARY: summary.read_bytes()}, final)[SUMMARY]
        write_bytes(summary, moved)
    return str(out)


def run(*args: Any, **kwargs: Any) -> Any:
    """`runner.run`, imported on the first call."""
    return _TRAINING["run"](*args, **kwargs)


def _resume(files: dict[str, bytes], out: Path, callbacks: list[Any]) -> str:
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


def init_local_worker(owner: int) -> None:
    """Initializer of a local pool's worker: signals as an idle worker wants them, and die with `owner`.

    Ctrl-C is ignored (the terminal sends it to the whole group; a run installs its own handler);
    SIGTERM marks the worker stopped, so it starts no further run. The worker's parent is `owner`
    (spawned) or `owner`'s forkserver, which exits when `owner` does. On Linux the kernel signals the
    worker when the thread that started it ends (PR_SET_PDEATHSIG), and the worker exits if its
    parent (or `owner`) is gone; a thread polling their pids does the same everywhere.
    """
    parent = os.getppid()
    if parent != owner:
        _release_forkserver()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: STOP.set())
    if hasattr(signal, "pthread_sigmask"):  # started with both blocked (see _forkserver.ctrl_c_blocked)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if sys.platform.startswith("linux"):
        signal.signal(signal.SIGUSR1, lambda signum, frame: _exit_if_orphaned(parent, owner))
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGUSR1), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    _exit_if_orphaned(parent, owner)
    threading.Thread(target=_watch_parent, args=(parent, owner), name="trainer-parent-watch", daemon=True).start()


def _release_forkserver() -> None:
    """Close this worker's copy of the owner's end of the pipe by which the forkserver sees the owner exit.

    multiprocessing hands that end to every process it forks from the server; held open here, a
    killed owner would leave the server (and so its workers) running forever.
    """
    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _exit_if_orphaned(parent: int, owner: int) -> None:
    if os.getppid() != parent or (parent != owner and not _alive(owner)):
        os._exit(1)


def _watch_parent(parent: int, owner: int) -> None:
    while True:
        _exit_if_orphaned(parent, owner)
        time.sleep(_PARENT_POLL)
