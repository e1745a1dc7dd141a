"""`trainer.device`: PyTorch's device objects. trainer runs on the CPU only; any other device is refused."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

_KNOWN = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, "
          "hpu, mtia, privateuseone").split(", ")


def _cpu_only(kind: str) -> RuntimeError:
    return RuntimeError(f"trainer runs on the CPU only: device {kind!r} is not available (use 'cpu')")


class device:  # noqa: N801 - PyTorch's name
    """`device("cpu")`, `device("cpu:0")`, `device("cpu", 0)`; other device types raise RuntimeError."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 - PyTorch's names
        if isinstance(type, device):
            kind, idx = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise _cpu_only(f"cuda:{type}")
        elif isinstance(type, str):
            kind, _, rest = type.strip().partition(":")
            idx = int(rest) if rest.isdigit() else None
            if rest and idx is None:
                raise RuntimeError(f"Invalid device string: '{type}'")
        else:
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        if index is not None:
            idx = int(index)
        if kind not in _KNOWN:
            raise RuntimeError(f"Expected one of {', '.join(_KNOWN)} device type at start of device string: {kind}")
        if kind != "cpu":
            raise _cpu_only(kind if idx is None else f"{kind}:{idx}")
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "index", idx)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"attribute '{name}' of 'torch.device' objects is not writable")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:  # a string is not a device, as in PyTorch
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self):
        return device, (self.type, self.index)


CPU = device("cpu")
_default = [CPU]


def as_device(value: Any) -> device:
    """A device from a device, a string such as 'cpu' or 'cpu:0', or None (the default device)."""
    if value is None:
        return _default[0]
    return value if isinstance(value, device) else device(value)


def is_device(value: Any) -> bool:
    """True for a device object or a string naming a device type ('cpu', 'cuda:0', 'mps', ...)."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.strip().partition(":")[0] in _KNOWN


def set_default_device(device: Any) -> None:  # noqa: A002
    """Set the device new tensors go to; only 'cpu' exists."""
    _default[0] = as_device("cpu" if device is None else device)


def get_default_device() -> device:
    """The device new tensors go to: always device(type='cpu')."""
    return _default[0]


def with_device(factory: Callable[..., Any]) -> Callable[..., Any]:
    """`factory` taking PyTorch's `device=` (checked, then dropped) and `requires_grad=` keywords too."""

    takes_requires_grad = "requires_grad" in inspect.signature(factory).parameters

    @functools.wraps(factory)
    def make(*args: Any, device: Any = None, **kwargs: Any) -> Any:
        if device is not None:
            as_device(device)
        if takes_requires_grad:
            return factory(*args, **kwargs)
        requires_grad = kwargs.pop("requires_grad", False)  # every PyTorch factory takes it
        out = factory(*args, **kwargs)
        return out.requires_grad_(True) if requires_grad else out

    return make
