"""`torch.func.rearrange`: einops' rearrange ("b (h w) c -> b c h w") as one reshape, permute and reshape.

The pattern is parsed and checked as functorch's einops port parses it (its messages); PyTorch then indexes with
first-class dimensions, which here are the elementary axes of the reshape.
"""

from __future__ import annotations

import keyword
import math
import warnings
from typing import Any

from .. import autograd as _ag
from ..autograd.tensor import Tensor

ELLIPSIS = "\u2026"


class _Anonymous:
    """A `1` in brackets-free position on the left: an axis of size one, dropped from the result."""

    def __repr__(self) -> str:
        return "1-axis"


def _check_name(name: str) -> tuple[bool, str]:
    if not name.isidentifier():
        return False, "not a valid python identifier"
    if name[0] == "_" or name[-1] == "_":
        return False, "axis name should should not start or end with underscore"
    if keyword.iskeyword(name):
        warnings.warn(f"It is discouraged to use axes names that are keywords: {name}", RuntimeWarning, stacklevel=4)
    if name == "axis":
        warnings.warn("It is discouraged to use 'axis' as an axis name and will raise an error in future",
                      FutureWarning, stacklevel=4)
    return True, ""


class _Expression:
    """One side of a pattern: `composition` lists each dimension as a group of names (or the ellipsis)."""

    def __init__(self, text: str) -> None:
        self.has_ellipsis, self.ellipsis_in_brackets = False, False
        self.identifiers: set[Any] = set()
        self.non_unitary = False
        self.composition: list[Any] = []
        if "." in text:
            if "..." not in text:
                raise ValueError("Expression may contain dots only inside ellipsis (...)")
            if text.count("...") != 1 or text.count(".") != 3:
                raise ValueError("Expression may contain dots only inside ellipsis (...); only one ellipsis for "
                                 "tensor ")
            text = text.replace("...", ELLIPSIS)
            self.has_ellipsis = True
        group: list[Any] | None = None
        current: str | None = None

        def add(x: str) -> None:
            if x in self.identifiers:
                raise ValueError(f"Indexing expression contains duplicate dimension '{x}'")
            if x == ELLIPSIS:
                self.identifiers.add(ELLIPSIS)
                (self.composition if group is None else group).append(ELLIPSIS)
                self.ellipsis_in_brackets = group is not None
                return
            number = x.isdecimal()
            if number and int(x) == 1:
                if group is None:
                    self.composition.append([])
                return
            ok, reason = _check_name(x)
            if not (number or ok):
                raise ValueError(f"Invalid axis identifier: {x}\n{reason}")
            if number:
                if int(x) < 1:
                    raise ValueError(f"Anonymous axis should have positive length, not {int(x)}")
                self.non_unitary = True
                name: Any = object()
            else:
                name = x
            self.identifiers.add(name)
            if group is None:
                self.composition.append([name])
            else:
                group.append(name)

        for char in text:
            if char in "() ":
                if current is not None:
                    add(current)
                current = None
                if char == "(":
                    if group is not None:
                        raise ValueError("Axis composition is one-level (brackets inside brackets not allowed)")
                    group = []
                elif char == ")":
                    if group is None:
                        raise ValueError("Brackets are not balanced")
                    self.composition.append(group)
                    group = None
            elif char.isalnum() or char in ("_", ELLIPSIS):
                current = char if current is None else current + char
            else:
                raise ValueError(f"Unknown character '{char}'")
        if group is not None:
            raise ValueError(f"Imbalanced parentheses in expression: '{text}'")
        if current is not None:
            add(current)


def _parse(pattern: str, lengths: dict[str, int]) -> tuple[_Expression, _Expression]:
    try:
        left_text, right_text = pattern.split("->")
    except ValueError:
        raise ValueError("Pattern must contain a single '->' separator") from None
    if ELLIPSIS in lengths:
        raise ValueError(f"'{ELLIPSIS}' is not an allowed axis identifier")
    left, right = _Expression(left_text), _Expression(right_text)
    if not left.has_ellipsis and right.has_ellipsis:
        raise ValueError(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
    if left.has_ellipsis and left.ellipsis_in_brackets:
        raise ValueError(f"Ellipsis is parenthesis in the left side is not allowed: {pattern}")
    for length in lengths.values():
        if type(length) is not int:
            raise TypeError(f"rearrange axis lengths must be integers, got: {type(length)}")
    if left.non_unitary or right.non_unitary:
        raise ValueError("rearrange only supports unnamed axes of size 1")
    difference = left.identifiers ^ right.identifiers
    if difference:
        raise ValueError(f"Identifiers only on one side of rearrange expression (should be on both): {difference}")
    unmatched = lengths.keys() - left.identifiers
    if unmatched:
        raise ValueError(f"Identifiers not found in rearrange expression: {unmatched}")
    return left, right


def _sizes(left: _Expression, shape: tuple[int, ...], lengths: dict[str, int]) -> tuple[list[Any], dict[Any, int]]:
    """The elementary axes of the left side in order, and each one's size."""
    ndim = len(shape)
    if left.has_ellipsis:
        n_ellipsis = ndim - (len(left.composition) - 1)
        named = sum(1 for g in left.composition if g == []) + len(left.identifiers) - 1
        if named > ndim:
            raise ValueError(f"Number of dimensions in pattern ({named}) must be less than or equal to the number "
                             f"of dimensions in the tensor ({ndim})")
    else:
        n_ellipsis = 0
        if len(left.composition) != ndim:
            raise ValueError(f"Number of dimensions in pattern ({len(left.composition)}) must be equal to the number "
                             f"of dimensions in the tensor ({ndim})")
    axes: list[Any] = []
    size: dict[Any, int] = {}
    dim = 0
    for group in left.composition:
        if group == ELLIPSIS:
            for j in range(n_ellipsis):
                axes.append((ELLIPSIS, j))
                size[(ELLIPSIS, j)] = shape[dim + j]
            dim += n_ellipsis
            continue
        names = list(group) or [_Anonymous()]
        unknown = [n for n in names if n not in lengths]
        known = math.prod(lengths[n] for n in names if n in lengths)
        if len(unknown) > 1:
            raise ValueError(f"rearrange: could not infer the sizes of {unknown} in a dimension of size {shape[dim]}")
        for n in names:
            size[n] = lengths[n] if n in lengths else (1 if isinstance(n, _Anonymous) else shape[dim] // max(known, 1))
        if math.prod(size[n] for n in names) != shape[dim]:
            raise ValueError(f"rearrange: a dimension of size {shape[dim]} cannot be split into "
                             f"{[size[n] for n in names]}")
        axes.extend(names)
        dim += 1
    return axes, size


def rearrange(tensor: Tensor | list[Tensor] | tuple[Tensor, ...], pattern: str, **axes_lengths: int) -> Tensor:
    """`tensor` (a sequence of tensors is stacked first) rearranged as einops' `pattern` says."""
    if not isinstance(tensor, Tensor):
        tensor = _ag.stack(list(tensor))
    left, right = _parse(pattern, axes_lengths)
    axes, size = _sizes(left, tuple(tensor.shape), axes_lengths)
    n_ellipsis = sum(1 for a in axes if isinstance(a, tuple))
    elementary = tensor.reshape(tuple(size[a] for a in axes)) if axes else tensor
    order: list[Any] = []
    shape: list[int] = []
    for group in right.composition:
        members = [ELLIPSIS] if group == ELLIPSIS else group
        names = [a for m in members for a in ([(ELLIPSIS, j) for j in range(n_ellipsis)] if m == ELLIPSIS else [m])]
        order.extend(names)
        if group == ELLIPSIS:
            shape.extend(size[a] for a in names)
        else:
            shape.append(math.prod(size[a] for a in names))
    perm = [axes.index(a) for a in order] + [i for i, a in enumerate(axes) if isinstance(a, _Anonymous)]
    out = elementary.permute(*perm) if perm else elementary
    return out.reshape(tuple(shape))
