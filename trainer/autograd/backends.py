"""`trainer.backends`: `mps.is_available()` and `cuda.is_built()` are False; cudnn flags are accepted."""

from __future__ import annotations

from types import SimpleNamespace


def _false() -> bool:
    return False


mps = SimpleNamespace(is_available=_false, is_built=_false)
cuda = SimpleNamespace(is_built=_false)
cudnn = SimpleNamespace(is_available=_false, enabled=True, deterministic=False, benchmark=False)
