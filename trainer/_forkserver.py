"""The forkserver local workers fork from: what it preloads and how it is started.

Kept outside `trainer.experiments` (whose package imports every experiment module) so that `trainer sweep`
can start the server as its very first step: the server's own imports (`PRELOAD`, ~0.3 s) then overlap the
parent's start-up instead of following it. `experiments.executors` uses it for every local pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
from collections.abc import Iterator
from multiprocessing import forkserver
from typing import Any

# imported once by the forkserver, so each worker forked from it starts with them (never `__main__`): the worker,
# the run layer it calls (which the worker itself imports only on its first run, so that the experiment process
# never does), and the modules a typical run loads on first use (nn's, optim's and data's lazy exports would
# import them in every worker)
PRELOAD = ("trainer.experiments.worker", "trainer.runner", "trainer.training.stop_when", "trainer.nn.container",
           "trainer.nn.linear", "trainer.nn.activation", "trainer.nn.loss", "trainer.nn.init",
           "trainer.nn.functional.margin", "trainer.nn.functional.regression", "trainer.nn.utils.clip_grad",
           "trainer.optim.adam", "trainer.data.preprocessing")


def worker_context(name: str | None = None) -> Any:
    """The multiprocessing context workers start from: `name`, else a preloaded forkserver where there is one."""
    if name is None:
        name = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(name)
    if name == "forkserver":
        ctx.set_forkserver_preload(list(PRELOAD))
    return ctx


def start_local_workers_early() -> None:
    """Start the forkserver now (it returns at once), so it imports `PRELOAD` while this process does other work."""
    ctx = worker_context()
    if ctx.get_start_method() != "forkserver":
        return
    with callers_script_hidden(), ctrl_c_blocked():
        forkserver.ensure_running()


@contextlib.contextmanager
def callers_script_hidden() -> Iterator[None]:
    """Start workers without re-running the caller's script.

    A spawned (or forkserver-forked) worker imports the parent's `__main__` file so that functions defined
    there can be unpickled; a script that calls `trainer.sweep(...)` at top level (no `if __name__ == "__main__":`
    guard) would then start a sweep in every worker. The functions this pool runs all live in
    trainer's own modules, so while it starts processes the main module's file and spec are hidden
    from multiprocessing's preparation data, exactly as for `python -c`.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@contextlib.contextmanager
def ctrl_c_blocked() -> Iterator[None]:
    """Start workers with SIGINT and SIGTERM blocked, so neither stops one before it can handle them.

    A started process inherits the signal mask: a spawned worker's initializer ignores SIGINT, installs
    its SIGTERM handler and then unblocks both, so a signal sent meanwhile is handled then. The
    forkserver (first started here too) keeps them blocked for good: a SIGTERM to the process group
    cannot take it down while it forks a worker (a Ctrl-C it ignores anyway). Here a signal
    meanwhile stays pending and is handled as soon as the worker has been started.
    """
    sigmask = getattr(signal, "pthread_sigmask", None)
    if sigmask is None:
        yield
        return
    old = sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        sigmask(signal.SIG_SETMASK, old)
