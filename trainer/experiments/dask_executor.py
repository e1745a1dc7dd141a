"""The Dask executor: the same runs sent to an existing `distributed` cluster.

`distributed` is an optional extra (`pip install -e '.[dask]'` in the clone) and is imported only
here, only when `--executor dask` is asked for. Results come back to this machine as plain data; nothing is
written on the workers' disks. A worker that dies mid-run has its call run again on another worker
by the scheduler (up to distributed's `allowed-failures`, then the call fails with `KilledWorker`,
which the sweep records as that run's error); `retries` (distributed's `retries=`) also resubmits
a call that raised. The address is checked, and the scheduler probed, within `connect_timeout`
seconds before the client connects; `lost()` says when the scheduler went away mid-experiment.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from ..errors import UserError, require_extra

# [tcp://]host:port; the host may be a bracketed IPv6 address
ADDRESS = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)"
                     r":(?P<port>\d{1,5})$")
SCHEMES = ("tcp",)
DEFAULT_CONNECT_TIMEOUT = 10.0
_START_HINT = "start one with `dask scheduler` and workers with `dask worker ADDRESS`"


def check_address(address: str | None) -> str:
    """`address` if it names a Dask scheduler trainer can reach (tcp://HOST:PORT), else a UserError."""
    if not address:
        raise UserError("the dask executor needs the scheduler's address", key="address",
                        hint="pass --address tcp://HOST:8786")
    match = ADDRESS.match(address.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise UserError(f"{address!r} is not a Dask scheduler address", key="address",
                        hint="write it as tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    scheme = (match["scheme"] or "tcp").lower()
    if scheme not in SCHEMES:
        raise UserError(f"the {scheme}:// protocol is not supported (address {address})", key="address",
                        hint="trainer connects to Dask schedulers over plain TCP: tcp://HOST:PORT")
    return address.strip()


def check_timeout(timeout: float) -> float:
    """A connect timeout must be a positive number of seconds."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise UserError(f"the connect timeout must be a positive number of seconds, got {timeout!r}",
                        key="connect_timeout")
    return float(timeout)


class DaskExecutor:
    """`submit` → `concurrent.futures.Future`, backed by a `distributed.Client` connected to `address`."""

    def __init__(self, address: str | None, *, retries: int = 2, timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
        address = check_address(address)
        timeout = check_timeout(timeout)
        distributed = require_extra("distributed", "dask", feature="the dask executor", key="executor")
        _probe(address, timeout)
        try:
            self._client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}", key="address",
                            hint=_START_HINT) from None
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

    def lost(self) -> str | None:
        """What happened, once the connection to the scheduler is gone (its outstanding calls are cancelled)."""
        if self._client.status in ("running", "newly-created"):
            return None
        return f"lost the Dask scheduler at {self.address} (the cluster went away)"

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Cancel or wait for outstanding calls, then disconnect from the scheduler."""
        gone = self.lost() is not None
        if gone:  # the client's failed reconnection would log tracebacks about what `lost()` already says
            logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
        try:
            if not gone:
                self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self._client.close(timeout=1 if gone else None)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True, cancel_futures=exc[0] is not None)


def _wait_for_listener(address: str, timeout: float) -> None:
    """Plain TCP, retried until `timeout` (a scheduler may be starting): "nothing listens" is its own error."""
    match = ADDRESS.match(address)
    assert match is not None
    host, port = match["host"].strip("[]"), int(match["port"])
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic())).close()
            return
        except OSError as exc:
            if time.monotonic() + 0.1 >= deadline:
                raise UserError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
                                f"{exc.strerror or exc}", key="address", hint=_START_HINT) from None
            time.sleep(0.1)


def _probe(address: str, timeout: float) -> None:
    """Within `timeout` seconds, check that `address` answers as a Dask scheduler; a UserError otherwise."""
    from distributed.comm import connect

    _wait_for_listener(address, timeout)


    async def identity() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    import asyncio  # only here: a local sweep's process need not import it (~20 ms)

    try:
        reply = asyncio.run(asyncio.wait_for(identity(), timeout))
    except (TimeoutError, OSError):
        raise UserError(f"no Dask scheduler answered at {address} within {timeout:g} s", key="address",
                        hint=f"check the address (is it the scheduler's port?), or wait longer with "
                             f"--connect-timeout; {_START_HINT}") from None
    except Exception:  # noqa: BLE001 - whatever answered spoke another protocol (HTTP, ...)
        reply = None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise UserError(f"what answers at {address} is not a Dask scheduler", key="address",
                        hint=f"give the scheduler's address (its port is 8786 by default); {_START_HINT}")
