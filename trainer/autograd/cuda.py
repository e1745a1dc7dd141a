"""`trainer.cuda`: what PyTorch reports on a machine without CUDA (trainer runs on the CPU only)."""

from __future__ import annotations

from typing import Any

from .. import _lazy
from . import extensions

_LEGACY_TYPES = frozenset({"FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
                           "CharTensor", "ByteTensor", "BoolTensor"})


def __getattr__(name: str) -> Any:
    """`trainer.cuda.amp` (GradScaler, autocast): the deprecated spellings, disabled without CUDA (see amp.py);
    `trainer.cuda.FloatTensor`, ...: PyTorch's CUDA tensor types, which cannot be built here (`legacy_types`)."""
    if name == "amp":
        return extensions.load()["amp"].cuda_amp
    if name in _LEGACY_TYPES:
        return _lazy._attribute(__package__, "legacy_types", "CUDA_TYPES")[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_available() -> bool:
    """False: trainer has no CUDA backend."""
    return False


def device_count() -> int:
    """0 CUDA devices."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as PyTorch does without CUDA."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as PyTorch does without CUDA."""


def is_initialized() -> bool:
    return False
