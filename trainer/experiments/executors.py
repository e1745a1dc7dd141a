"""One small executor interface (concurrent.futures style) for fanning runs out, and the local one.

`Executor.submit(fn, *args) -> concurrent.futures.Future`, `Executor.shutdown(...)`, usable as a
context manager. The sweep logic only ever sees this interface, so another engine only needs a
class with these two methods. `make_executor` picks one by name; Dask is imported only when asked.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._forkserver import callers_script_hidden, ctrl_c_blocked, worker_context
from ..errors import UserError
from .dask_executor import DEFAULT_CONNECT_TIMEOUT, DaskExecutor, check_address, check_timeout
from .worker import init_local_worker

EXECUTORS = ("local", "dask")


class Executor(Protocol):
    """What the sweep needs from an engine: submit a picklable call, get a future back."""

    max_workers: int  # how many calls it runs at once (the sweep keeps that many in flight)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Schedule `fn(*args)` and return a `concurrent.futures.Future` of its result."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Release the workers; `cancel_futures` drops calls that have not started."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


class WorkerCrashed(RuntimeError):
    """The process running a call died (killed, out of memory, a crash in native code)."""


@dataclass
class _Task:
    outer: Future
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    isolated: bool = False
    started: bool = field(default=False)


class LocalExecutor:
    """A process pool on this machine: each call runs in a worker process, many calls per worker.

    Workers are forked from a forkserver that has already imported what a run needs (`_forkserver.PRELOAD`), where
    the platform has one (Linux, macOS), else spawned. The server is single-threaded, so forking from it
    is safe while this process runs display or BLAS threads, and a worker's first call starts warm.
    The workers see this machine's disk: `local_disk` tells the sweep they may stage run directories
    next to their final place (see `worker.execute`'s `stage`).

    At most `max_workers` calls are handed to the pool at once, so when a worker process dies the
    only calls affected are the ones in flight. Those are retried, each alone in a fresh
    one-process pool, so the call that killed its process is identified and fails with
    `WorkerCrashed` while the others finish normally.
    """

    local_disk = True  # a call may write into the experiment directory itself

    def __init__(self, max_workers: int | None = None, *, context: str | None = None) -> None:
        if max_workers is not None and max_workers < 1:
            raise UserError(f"jobs must be at least 1, got {max_workers}", key="jobs")
        self.max_workers = max_workers or os.cpu_count() or 1
        self._ctx = worker_context(context)
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque[_Task] = deque()
        self._in_flight = 0
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._closed = False
        self._pools: set[ProcessPoolExecutor] = set()  # every pool whose processes may still run a call
        self._stopping = False  # interrupted: hand no further call to a worker
        self._retired: list[threading.Thread] = []  # manager threads of pools shut down without waiting

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Queue `fn(*args)`; it reaches a worker as soon as one is free."""
        outer: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit after shutdown")
            self._queue.append(_Task(outer, fn, args))
            self._dispatch()
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop accepting calls; optionally cancel queued ones and wait for those in flight."""
        with self._lock:
            self._closed = True
            if cancel_futures:
                while self._queue:
                    task = self._queue.popleft()
                    if not task.started:
                        task.outer.cancel()
                    else:
                        task.outer.set_exception(WorkerCrashed("cancelled before its retry could start"))
            if wait:
                while self._in_flight or self._queue:
                    self._idle.wait()
            pool, self._pool = self._pool, None
            self._pools.clear()
            if pool is not None and not wait:
                self._retire(pool)
            retired, self._retired = (self._retired, []) if wait else ([], self._retired)
        if pool is not None:
            pool.shutdown(wait=wait)
        for thread in retired:  # so no pool is still tearing down its pipes when the interpreter exits
            thread.join()

    def interrupt(self) -> None:
        """Ask every worker to stop: running calls get SIGTERM and save their work; queued ones no longer start."""
        with self._lock:
            self._stopping = True
            while self._queue:
                task = self._queue.popleft()
                if not task.started:
                    task.outer.cancel()
                else:
                    task.outer.set_exception(WorkerCrashed("interrupted before its retry could start"))
            self._signal_workers(signal.SIGTERM)

    def kill(self) -> None:
        """End every worker process now (those that did not stop when interrupted)."""
        with self._lock:
            self._signal_workers(getattr(signal, "SIGKILL", signal.SIGTERM))

    def _retire(self, pool: ProcessPoolExecutor) -> None:
        """Remember the manager thread of a pool about to be shut down without waiting (lock held).

        That thread goes on closing the pool's pipes after `shutdown(wait=False)` returns; Python 3.11's
        exit hook for process pools writes to one of them without a lock, so an interpreter exiting
        while it runs may print `OSError: [Errno 9] Bad file descriptor` (fixed in CPython 3.12.8 by
        gh-125451). `shutdown(wait=True)` joins these threads before returning.
        """
        thread = getattr(pool, "_executor_manager_thread", None)
        if thread is not None:
            self._retired.append(thread)

    def _signal_workers(self, sig: int) -> None:
        for pool in list(self._pools):
            for pid in list((getattr(pool, "_processes", None) or {}).keys()):
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True, cancel_futures=exc[0] is not None)

    def _dispatch(self) -> None:
        """Hand queued calls to a pool while fewer than `max_workers` are in flight (lock held)."""
        while self._in_flight < self.max_workers and self._queue and not self._stopping:
            task = self._queue.popleft()
            if not task.started:
                if not task.outer.set_running_or_notify_cancel():
                    continue
                task.started = True
            pool = self._isolated_pool() if task.isolated else self._main_pool()
            try:
                with callers_script_hidden(), ctrl_c_blocked():
                    inner = pool.submit(task.fn, *task.args)
            except BrokenProcessPool:
                self._pool = None
                self._queue.appendleft(task)
                continue
            self._in_flight += 1
            inner.add_done_callback(lambda f, t=task, p=pool: self._finished(t, p, f))

    def _finished(self, task: _Task, pool: ProcessPoolExecutor, inner: Future) -> None:
        """Route a pool future's outcome to the caller's future, retrying calls a dead process took down."""
        error = inner.exception()
        outcome: tuple[str, Any] | None
        with self._lock:
            self._in_flight -= 1
            if isinstance(error, BrokenProcessPool) and not task.isolated and not self._stopping:
                if self._pool is pool:
                    self._pool = None
                self._pools.discard(pool)
                self._retire(pool)
                pool.shutdown(wait=False)
                task.isolated = True
                self._queue.appendleft(task)
                outcome = None
            else:
                if task.isolated:
                    self._pools.discard(pool)
                    self._retire(pool)
                    pool.shutdown(wait=False)
                if isinstance(error, BrokenProcessPool):
                    error = WorkerCrashed(f"the worker process running this call died: {error}")
                outcome = ("error", error) if error is not None else ("result", inner.result())
            self._dispatch()
            self._idle.notify_all()
        if outcome is not None:
            kind, value = outcome
            if kind == "error":
                task.outer.set_exception(value)
            else:
                task.outer.set_result(value)

    def _main_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool(self.max_workers)
        return self._pool

    def _isolated_pool(self) -> ProcessPoolExecutor:
        return self._new_pool(1)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(workers, mp_context=self._ctx, initializer=init_local_worker,
                                   initargs=(os.getpid(),))
        self._pools.add(pool)
        return pool


def check_executor(name: str, address: str | None, connect_timeout: float | None = None) -> None:
    """Usage mistakes in the executor flags, found before anything is planned or written."""
    if name not in EXECUTORS:
        raise UserError(f"unknown executor {name!r}", key="executor", hint=f"choose one of: {', '.join(EXECUTORS)}")
    if name == "local" and address is not None:
        raise UserError("--address only applies to --executor dask", key="address")
    if name == "dask":
        check_address(address)
        if connect_timeout is not None:
            check_timeout(connect_timeout)


def make_executor(name: str = "local", *, jobs: int | None = None, address: str | None = None,
                  retries: int = 2, connect_timeout: float | None = None) -> Executor:
    """The executor called `name`: "local" (a process pool of `jobs`) or "dask" (a cluster at `address`).

    `connect_timeout` bounds (in seconds, default 10) how long connecting to a Dask scheduler may take.
    """
    check_executor(name, address, connect_timeout)
    if name == "local":
        return LocalExecutor(jobs)
    timeout = DEFAULT_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    return DaskExecutor(address, retries=retries, timeout=timeout)
