"""PyTorch's error for shapes that do not broadcast, stated once for every op that meets them.

numpy says `operands could not be broadcast together with shapes (2,3) (3,2)` (a ValueError); PyTorch says
`The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1` (a RuntimeError),
naming the last dimension that does not fit, counted in the broadcast shape.
"""

from __future__ import annotations

from collections.abc import Sequence


def broadcast_error(*shapes: Sequence[int]) -> RuntimeError | None:
    """PyTorch's RuntimeError for `shapes` broadcast together left to right, or None when they broadcast."""
    result: tuple[int, ...] = tuple(shapes[0]) if shapes else ()
    for shape in shapes[1:]:
        n = max(len(result), len(shape))
        a, b = (1,) * (n - len(result)) + result, (1,) * (n - len(shape)) + tuple(shape)
        for i in reversed(range(n)):
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) at "
                                    f"non-singleton dimension {i}")
        result = tuple(x if y == 1 else y for x, y in zip(a, b, strict=True))
    return None


def broadcast_shape(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The broadcast of `shapes`, or PyTorch's RuntimeError."""
    error = broadcast_error(*shapes)
    if error is not None:
        raise error
    n = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (n - len(s)) + tuple(s) for s in shapes]
    return tuple(next((d for d in dims if d != 1), 1) for dims in zip(*padded, strict=True))
