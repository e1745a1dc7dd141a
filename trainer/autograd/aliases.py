"""NumPy's keyword names PyTorch also accepts: `axis` for `dim`, `keepdims` for `keepdim`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_ALIASES = {"axis": "dim", "keepdims": "keepdim"}


def numpy_names(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` also taking `axis=` and `keepdims=`, as PyTorch's argument parser does."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs and not _ALIASES.keys().isdisjoint(kwargs):
            for alias, name in _ALIASES.items():
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() got both '{name}' and its alias '{alias}'")
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return call
