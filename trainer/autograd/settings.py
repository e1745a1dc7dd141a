"""PyTorch's global switches, as far as a numpy engine on the CPU has them.

- `set_num_threads` / `get_num_threads`: the BLAS threads (through threadpoolctl when it is installed, the
  bench extra's) and the compiled kernels' (numba's, when it is loaded); without threadpoolctl only the
  latter follow, and `get_num_threads` reports the last value set.
- `set_float32_matmul_precision`: recorded; float32 products are always computed in float32 here, which is
  "highest" (the other settings only allow lower-precision GPU and oneDNN paths in PyTorch).
- `use_deterministic_algorithms`: recorded; every op here is deterministic already.
- `compile`: there is no compiler; the model or function comes back unchanged (so the results are the same).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

_PRECISIONS = ("highest", "high", "medium")
_STATE: dict[str, Any] = {"threads": None, "interop": None, "precision": "highest", "deterministic": False,
                          "warn_only": False}


def _positive(n: Any, fn: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise RuntimeError(f"{fn} expects a positive integer")
    return n


def set_num_threads(int: int) -> None:  # noqa: A002 - PyTorch's name
    """Use `int` threads for the BLAS and the compiled kernels."""
    n = _positive(int, "set_num_threads")
    _STATE["threads"] = n
    if importlib.util.find_spec("threadpoolctl") is not None:
        import threadpoolctl

        threadpoolctl.threadpool_limits(limits=n, user_api="blas")
    numba = sys.modules.get("numba")
    if numba is not None:
        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))


def get_num_threads() -> int:
    """The threads set with `set_num_threads`, else the BLAS's own count (or the CPU count)."""
    if _STATE["threads"] is not None:
        return _STATE["threads"]
    if importlib.util.find_spec("threadpoolctl") is not None:
        import threadpoolctl

        counts = [info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]
        if counts:
            return max(counts)
    return os.cpu_count() or 1


def set_num_interop_threads(int: int) -> None:  # noqa: A002
    """Recorded: there is no inter-op thread pool here."""
    _STATE["interop"] = _positive(int, "set_num_interop_threads")


def get_num_interop_threads() -> int:
    return _STATE["interop"] or get_num_threads()


def set_float32_matmul_precision(precision: str) -> None:
    if precision not in _PRECISIONS:
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _STATE["precision"] = precision


def get_float32_matmul_precision() -> str:
    return _STATE["precision"]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    _STATE["deterministic"], _STATE["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _STATE["warn_only"]


def compile(model: Callable | None = None, *, fullgraph: bool = False, dynamic: bool | None = None,  # noqa: A001
            backend: Any = "inductor", mode: str | None = None, options: dict | None = None,
            disable: bool = False) -> Any:
    """`torch.compile`: the model (or function) itself, or a decorator giving it back when called without one."""
    if model is None:
        return lambda fn: fn
    return model


__all__ = ["set_num_threads", "get_num_threads", "set_num_interop_threads", "get_num_interop_threads",
           "set_float32_matmul_precision", "get_float32_matmul_precision", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled", "compile"]
