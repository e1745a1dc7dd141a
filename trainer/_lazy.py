"""A package's public names, each imported from its own module on first access (PEP 562 `__getattr__`/`__dir__`).

`nn`, `nn.functional` and `optim` use it so a run imports only the layers, functions and optimizers it touches.
It imports nothing of trainer's, so every layer may use it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from typing import Any


def lazy_exports(package: str, where: dict[str, str],
                 submodules: Iterable[str] = ()) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`: `where` maps a public name to the submodule defining it;
    `submodules` are loaded on access as attributes (`nn.functional`). A loaded name is cached in the package."""
    module = sys.modules[package]
    subs = frozenset(submodules)

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
            setattr(module, name, value)  # later look-ups skip this function
            return value
        if name in subs:
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as e:  # only a missing submodule itself is a missing attribute
                if e.name != f"{package}.{name}":
                    raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(module), *getattr(module, "__all__", ())})

    return __getattr__, __dir__
