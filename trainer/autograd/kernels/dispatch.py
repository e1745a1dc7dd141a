"""Which path runs: numpy or numba's compiled loops, chosen by `TRAINER_KERNELS` and the array's size.

`TRAINER_KERNELS=auto` (the default) uses numba when it is installed and the array has at least
`MIN_SIZE` elements, so small networks never import it (its import costs ~0.3-0.5 s); `numba` uses it
for every size (an error when it is missing); `numpy` never. Compiled code is cached on disk
(`cache=True`), so each machine compiles once. Thread layers: see `configure_threads`.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace
from typing import Any

from ...errors import UserError
from . import loops

MIN_SIZE = 1 << 16  # below this numba's parallel launch (~10 µs) costs more than numpy's ufunc passes
MODES = ("auto", "numba", "numpy")
KERNELS = ("adam", "sgd_momentum", "relu", "relu_backward", "bias_add")

_compiled: SimpleNamespace | None = None
_missing = False  # numba could not be imported (auto falls back to numpy for good)
_mode: str | None = None  # TRAINER_KERNELS as read once (reset() reads it again)
# Sizes below NUMPY_BELOW[0] take numpy's path without a call here (hot callers test it inline); 0 until
# the mode is read, so the first call asks `kernels_for`, which reads it.
NUMPY_BELOW = [0]


def mode() -> str:
    """`TRAINER_KERNELS`, checked: auto, numba or numpy (read once; `reset()` reads it again)."""
    global _mode
    value = os.environ.get("TRAINER_KERNELS", "auto").strip().lower() or "auto"
    if value not in MODES:
        raise UserError(f"TRAINER_KERNELS must be one of {', '.join(MODES)}, got {value!r}", key="TRAINER_KERNELS",
                        hint="unset it to let the engine choose (auto)")
    _mode = value
    NUMPY_BELOW[0] = {"auto": MIN_SIZE, "numba": 0, "numpy": sys.maxsize}[value]
    return value


def kernels_for(size: int) -> SimpleNamespace | None:
    """The compiled kernels if an array of `size` elements should use them, else None (numpy's path)."""
    chosen = _mode or mode()
    if chosen == "numpy" or (size < MIN_SIZE and chosen == "auto"):
        return None
    return _load(required=chosen == "numba")


def _load(required: bool) -> SimpleNamespace | None:
    global _compiled, _missing
    if _compiled is not None:
        return _compiled
    if _missing and not required:
        return None
    try:
        import numba
    except ImportError:
        _missing = True
        if required:
            raise UserError("TRAINER_KERNELS=numba needs numba, which is not installed", key="TRAINER_KERNELS",
                            hint="pip install 'trainer[fast]'") from None
        return None
    configure_threads(numba)
    loops.prange = numba.prange
    jit = numba.njit(parallel=True, cache=True, fastmath=False, nogil=True)
    _compiled = SimpleNamespace(**{name: jit(getattr(loops, name)) for name in KERNELS})
    return _compiled


def configure_threads(numba: Any) -> None:
    """Pick numba's threading layer before its first parallel kernel compiles (measurements: README.md).

    `workqueue` (numba's own pool, no OpenMP runtime) unless `NUMBA_THREADING_LAYER` says otherwise: its
    idle workers block instead of spinning, so they leave the cores to OpenBLAS between kernels, and
    `NUMBA_NUM_THREADS` / `numba.set_num_threads` are left to the user.
    """
    if "NUMBA_THREADING_LAYER" not in os.environ:
        numba.config.THREADING_LAYER = "workqueue"


def reset() -> None:
    """Forget the loaded kernels, a failed import and the mode read (tests switch them)."""
    global _compiled, _missing, _mode
    _compiled, _missing, _mode = None, False, None
    NUMPY_BELOW[0] = 0
