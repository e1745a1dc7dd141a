"""vmap's `randomness`: 'error' refuses a random op, 'same' gives every slice the same draws, 'different' lets
each slice draw on.

Every random op draws through `Generator.random` (or the cached normal of `Generator._normal_scalar`), so while
a vmap runs those two methods are wrapped; outside vmap they are the plain methods, at no cost. For 'same' a
level snapshots each generator before its first draw and restores it at the start of every later slice, so the
generator ends one slice's draws on, as PyTorch's single unbatched draw leaves it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from ..autograd.random import Generator

ERROR = ("vmap: called random operation while in randomness error mode. Please either use the 'same' or "
         "'different' randomness flags on vmap or perform the randomness operation out of vmap")
_LEVELS: list[RandomLevel] = []
_PLAIN: dict[str, Callable[..., Any]] = {}


def check_randomness_arg(randomness: str) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {randomness}")


class RandomLevel:
    """One vmap (or jacfwd) level's randomness mode and, for 'same', the generators' states at its start."""

    __slots__ = ("mode", "saved")

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.saved: dict[int, tuple[Generator, Any]] = {}

    def restart(self) -> None:
        """Before a slice after the first: every generator back where it was before this level drew from it."""
        for gen, state in self.saved.values():
            gen.set_state(state)


def _before_draw(gen: Generator) -> None:
    for lv in _LEVELS:
        if lv.mode == "error":
            raise RuntimeError(ERROR)
    for lv in _LEVELS:
        if lv.mode == "same" and id(gen) not in lv.saved:
            lv.saved[id(gen)] = (gen, gen.get_state())


def _guard(name: str) -> Callable[..., Any]:
    plain = _PLAIN[name]

    def guarded(self: Generator, *args: Any, **kwargs: Any) -> Any:
        _before_draw(self)
        return plain(self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


@contextlib.contextmanager
def random_level(mode: str) -> Iterator[RandomLevel]:
    """A level of `mode` for the duration of the block, with the generator methods guarded while any is open."""
    lv = RandomLevel(mode)
    if not _LEVELS:
        for name in ("random", "_normal_scalar"):
            _PLAIN[name] = vars(Generator)[name]
            setattr(Generator, name, _guard(name))
    _LEVELS.append(lv)
    try:
        yield lv
    finally:
        _LEVELS.pop()
        if not _LEVELS:
            for name, plain in _PLAIN.items():
                setattr(Generator, name, plain)
            _PLAIN.clear()
