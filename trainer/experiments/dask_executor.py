"""The Dask executor: the same runs sent to an existing `distributed` cluster.

`distributed` is an optional extra (`pip install -e '.[dask]'` in the clone) and is imported only
here, only when `--executor dask` is asked for. Results come back to this machine as plain data; nothing is
written on the workers' disks. A worker that dies mid-run has its call run again on another worker
by the scheduler (up to distributed's `allowed-failures`, then the call fails with `KilledWorker`,
which the sweep records as that run's error); `retries` (distributed's `retries=`) also resubmits
a call that raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from ..errors import UserError, require_extra

# scheme://host:port (the scheme is optional, tcp by default); the host may be a bracketed IPv6 address
ADDRESS = re.compile(r"^((tcp|tls|ucx|ws|wss)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$")


class DaskExecutor:
    """`submit` → `concurrent.futures.Future`, backed by a `distributed.Client` connected to `address`."""

    def __init__(self, address: str | None, *, retries: int = 2, timeout: float = 10.0) -> None:
        if not address:
            raise UserError("the dask executor needs the scheduler's address", key="address",
                            hint="pass --address tcp://HOST:8786")
        if not ADDRESS.match(address):
            raise UserError(f"{address!r} is not a Dask scheduler address", key="address",
                            hint="write it as tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
        distributed = require_extra("distributed", "dask", feature="the dask executor", key="executor")
        try:
            self._client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}", key="address",
                            hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`") from None
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self._client.close()
            raise UserError(f"the Dask cluster at {address} has no workers ({exc})", key="address",
                            hint="start workers with `dask worker ADDRESS`") from None
        self._executor = self._client.get_executor(pure=False, retries=retries)
        self.address = address
        self.max_workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Schedule `fn(*args)` on the cluster."""
        return self._executor.submit(fn, *args)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Cancel or wait for outstanding calls, then disconnect from the scheduler."""
        try:
            self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self._client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True, cancel_futures=exc[0] is not None)
