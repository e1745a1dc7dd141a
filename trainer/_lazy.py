"""A package's public names, each imported from its own module on first access (PEP 562 `__getattr__`/`__dir__`),
and tables of such names (`LazyTable`).

`nn`, `nn.functional`, `optim`, `data` and others use it so a run imports only the layers, functions, optimizers and
data loaders it touches. It imports nothing of trainer's, so every layer may use it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


def _attribute(package: str, module: str, name: str) -> Any:
    """`name` from `package.module`, importing that module if it is not yet."""
    return getattr(importlib.import_module(f"{package}.{module}"), name)


def lazy_exports(package: str, where: dict[str, str],
                 submodules: Iterable[str] = ()) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`: `where` maps a public name to the submodule defining it;
    `submodules` are loaded on access as attributes (`nn.functional`). A loaded name is cached in the package."""
    module = sys.modules[package]
    subs = frozenset(submodules)

    def __getattr__(name: str) -> Any:
        if name in where:
            value = _attribute(package, where[name], name)
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


class LazyTable(Mapping[str, Any]):
    """A read-only mapping whose values are imported on first access: `where` maps a key to `"module:attribute"`
    (the module relative to `package`). Keys, `in` and `len` import nothing."""

    def __init__(self, package: str, where: Mapping[str, str]) -> None:
        self._package = package
        self._where = dict(where)
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._loaded:
            module, _, attribute = self._where[key].partition(":")
            self._loaded[key] = _attribute(self._package, module, attribute)
        return self._loaded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def exports(self) -> dict[str, str]:
        """Each value's attribute name -> its module: the `where` of `lazy_exports` for the package's own names."""
        return {attribute: module for module, _, attribute in (w.partition(":") for w in self._where.values())}

    def __or__(self, other: LazyTable) -> LazyTable:
        """Both tables' entries (`other`'s win), still unloaded."""
        return LazyTable(self._package, {**self._where, **other._where})

    def __repr__(self) -> str:
        return f"LazyTable({self._package!r}, {self._where!r})"
