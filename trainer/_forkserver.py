"""The forkserver local workers fork from: what it preloads and how it is started.

Kept outside `trainer.experiments` (whose package imports every experiment module) so that `trainer sweep`
can start the server as its very first step: the server's own imports (`PRELOAD`, ~0.2 s) then overlap the
parent's start-up instead of following it. `experiments.executors` uses it for every local pool.

The `trainer` command itself (not a user's process, whose threads and libraries are its own) starts the
server by forking, where it can (`fork_server`), once it has imported what it shares with its workers: the
server inherits those modules and imports only the rest.
"""

from __future__ import annotations

import contextlib
import inspect
import multiprocessing
import os
import signal
import socket
import sys
import threading
import warnings
from collections.abc import Iterator
from multiprocessing import connection, forkserver, resource_tracker
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


# multiprocessing's private forkserver layout that `fork_server` fills in (CPython 3.11's; any other layout,
# e.g. a later one whose server authenticates its clients, gets the standard spawned server)
_LAYOUT = {"_forkserver_address", "_forkserver_alive_fd", "_forkserver_pid", "_inherited_fds", "_lock",
           "_preload_modules"}
_MAIN_PARAMETERS = ["listener_fd", "alive_r", "preload", "main_path", "sys_path"]


def layout_known() -> bool:
    """Linux (where multiprocessing trusts fork) and multiprocessing's forkserver as `fork_server` knows it."""
    if not sys.platform.startswith("linux") or "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    return (set(vars(forkserver._forkserver)) == _LAYOUT
            and list(inspect.signature(forkserver.main).parameters) == _MAIN_PARAMETERS)


def can_fork_server() -> bool:
    """Whether `fork_server` works now: a known layout, no server yet, no Python thread besides this one
    (a forked child would hold whatever locks the others hold)."""
    return layout_known() and forkserver._forkserver._forkserver_pid is None and threading.active_count() == 1


def fork_server() -> bool:
    """Start the forkserver as a fork of this process: it inherits the modules imported so far and imports the
    rest of `PRELOAD` (the caller imports first what it shares with its workers, see `cli.app`).

    For the `trainer` command's own process only, while it runs no thread of its own; falls back to
    `start_local_workers_early` (and returns False) where `can_fork_server` says no. The server is what
    multiprocessing's own would be once started: the same loop (`forkserver.main`), the same socket and
    "alive" pipe, SIGINT and SIGTERM blocked, its modules imported before it serves; workers fork from it
    exactly as from a spawned one.
    """
    if not can_fork_server():
        start_local_workers_early()
        return False
    server = forkserver._forkserver
    with server._lock:
        resource_tracker.ensure_running()  # shared with the workers, as the spawned server's
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")
            listener.bind(address)
            os.chmod(address, 0o600)
            listener.listen()
            alive_r, alive_w = os.pipe()  # every client holds the write end: the server ends when all have
            try:
                for stream in (sys.stdout, sys.stderr):  # nothing buffered here may be written twice
                    with contextlib.suppress(AttributeError, OSError, ValueError):  # None, or closed
                        stream.flush()
                with ctrl_c_blocked():
                    with warnings.catch_warnings():
                        # Python 3.12+ warns about forking a process with threads: OpenBLAS's are the only
                        # ones here, and OpenBLAS stops them before a fork (its pthread_atfork handler)
                        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*fork")
                        pid = os.fork()
                    if pid == 0:  # still with the signals blocked: the server keeps them so, for good
                        _serve(listener.fileno(), alive_r, alive_w)
            except BaseException:
                os.close(alive_w)
                raise
            finally:
                os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
    return True


def _serve(listener_fd: int, alive_r: int, alive_w: int) -> None:
    """The forked server's life: multiprocessing's own server loop, then exit without the command's clean-up."""
    code = 1
    try:
        os.close(alive_w)
        forkserver._forkserver._lock = threading.Lock()  # the command held its copy while forking
        forkserver.main(listener_fd, alive_r, list(PRELOAD))
    except SystemExit:  # how the loop ends once every client has gone
        code = 0
    finally:
        os._exit(code)


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
