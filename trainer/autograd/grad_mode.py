"""Whether operations record a graph: `no_grad`, `enable_grad`, `is_grad_enabled`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_enabled = [True]


def is_grad_enabled() -> bool:
    """True when new operations record the graph needed by `backward`."""
    return _enabled[0]


class set_grad_enabled:  # noqa: N801 - PyTorch's name
    """Set grad mode now; used as a context manager, restore the previous mode on exit."""

    def __init__(self, mode: bool) -> None:
        self._prev = _enabled[0]
        _enabled[0] = bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _enabled[0] = self._prev


class _GradMode:
    """Context manager and decorator that sets grad mode for its body."""

    mode = True

    def __new__(cls, func: Callable[..., Any] | None = None):
        """`@no_grad` without parentheses decorates `func` directly, as in PyTorch."""
        self = super().__new__(cls)
        self._saved = []
        return self(func) if callable(func) else self

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        pass

    def __enter__(self) -> None:
        self._saved.append(_enabled[0])
        _enabled[0] = self.mode

    def __exit__(self, *exc: object) -> None:
        _enabled[0] = self._saved.pop()

    def __call__(self, fn: F) -> F:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:  # the `with` block's effect, without making a manager per call
            prev = _enabled[0]
            _enabled[0] = mode
            try:
                return fn(*args, **kwargs)
            finally:
                _enabled[0] = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Disable graph recording, like `torch.no_grad()`."""

    mode = False


class enable_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Enable graph recording inside a `no_grad` block, like `torch.enable_grad()`."""

    mode = True


_inference = [False]


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()`."""
    return _inference[0]


class inference_mode(_GradMode):  # noqa: N801 - PyTorch's name
    """`torch.inference_mode(mode=True)`: no graph recording while on (trainer has no separate inference tensors)."""

    def __new__(cls, mode: Any = True):
        if callable(mode):  # @inference_mode without parentheses
            return super().__new__(cls, mode)
        self = super().__new__(cls)
        self.on = bool(mode)
        return self

    def __init__(self, mode: Any = True) -> None:
        pass

    def __enter__(self) -> None:
        self._saved.append((_enabled[0], _inference[0]))
        if self.on:
            _enabled[0], _inference[0] = False, True

    def __exit__(self, *exc: object) -> None:
        _enabled[0], _inference[0] = self._saved.pop()

    def __call__(self, fn: F) -> F:
        on = getattr(self, "on", True)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(on):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
