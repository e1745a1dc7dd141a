"""PyTorch's `torch.return_types`: named (values, indices) pairs that print as PyTorch prints them."""

from __future__ import annotations

from typing import Any, NamedTuple


class ReturnType(NamedTuple):
    """`(values, indices)`; `repr` as PyTorch's `torch.return_types.<name>(...)`."""

    values: Any
    indices: Any


def _repr(self: ReturnType) -> str:
    return f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\nindices={self.indices!r})"


_TYPES: dict[str, type] = {}


def return_type(name: str) -> type:
    """The (values, indices) class PyTorch calls `torch.return_types.<name>`."""
    cls = _TYPES.get(name)
    if cls is None:
        cls = _TYPES[name] = type(name, (ReturnType,), {"__repr__": _repr, "__slots__": (),
                                                        "__module__": "trainer.return_types"})
    return cls
