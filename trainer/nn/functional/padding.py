"""`F.pad`: PyTorch's pad tuple (last dim first: (left, right, top, bottom, ...)), modes and checks."""

from __future__ import annotations

from collections.abc import Sequence

from ...autograd import padding as _padding
from ...autograd.tensor import Tensor
from ._util import as_tensor

MODES = ("constant", "reflect", "replicate", "circular")


def _check_mode(x: Tensor, pairs: list[tuple[int, int]], mode: str) -> None:
    """Non-constant modes: 1 to 3 padded dims on a (batched or unbatched) input, within the input's sizes."""
    n, dims = len(pairs), x.ndim
    if not (1 <= n <= 3 and dims in (n + 1, n + 2)):
        raise NotImplementedError(f"Padding size {2 * n} is not supported for {dims}D input tensor.")
    lead = dims - n
    if mode == "replicate" and 0 in x.shape[1 if dims == n + 2 else 0:]:
        raise RuntimeError(f"Expected {n + 1}D or {n + 2}D (batch mode) tensor with possibly 0 batch size and other "
                           f"non-zero dimensions for input, but got: {list(x.shape)}")
    for i, (lo, hi) in reversed(list(enumerate(pairs))):  # last dim first, as PyTorch checks (width is #4)
        size = x.shape[lead + i]
        if mode == "reflect" and not (lo < size and hi < size):
            raise RuntimeError(f"Argument #{4 + 2 * (n - 1 - i)}: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension {lead + i} of input "
                               f"{list(x.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode != "circular" and size + lo + hi <= 0:
            name = "DHW"[3 - n + i]
            raise RuntimeError(f"input ({name}: {size}) is too small. Calculated output {name}: {size + lo + hi}")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:  # noqa: A002
    """Pad the last len(pad) // 2 dims; `pad` lists (before, after) for the last dim first. Negative pads crop."""
    x = as_tensor(input, "pad", "input")
    pads = [int(p) for p in pad]
    if mode not in MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) > 2 * x.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pads)} and input of dimension {x.ndim}")
    if mode != "constant" and value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    pairs = [(pads[i], pads[i + 1]) for i in range(len(pads) - 2, -1, -2)]  # first padded dim first
    if mode == "constant":
        lead = x.ndim - len(pairs)
        for i, (lo, hi) in enumerate(pairs):
            if x.shape[lead + i] + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return _padding.pad(x, pairs, "constant", 0.0 if value is None else value)
    _check_mode(x, pairs, mode)
    return _padding.pad(x, pairs, mode)
