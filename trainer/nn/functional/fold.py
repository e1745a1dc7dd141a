"""`F.unfold` (im2col) and `F.fold` (col2im) on 2-d images, with PyTorch's checks and messages."""

from __future__ import annotations

from collections.abc import Sequence

from ...autograd import conv as _conv
from ...autograd.tensor import Tensor
from ._util import as_tensor

IntOrPair = int | Sequence[int]


def _pair(value: IntOrPair, name: str) -> tuple[int, int]:
    if isinstance(value, int):
        return (int(value), int(value))
    values = tuple(int(v) for v in value)
    if len(values) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")
    return values  # type: ignore[return-value]


def _check(kernel: tuple[int, int], dilation: tuple[int, int], padding: tuple[int, int],
           stride: tuple[int, int]) -> None:
    for name, values, least in (("kernel size", kernel, 1), ("dilation", dilation, 1), ("stride", stride, 1)):
        if min(values) < least:
            raise RuntimeError(f"{name} should be greater than zero, but got {name.replace(' ', '_')}_height: "
                               f"{values[0]} {name.replace(' ', '_')}_width: {values[1]}")
    if min(padding) < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {padding[0]} pad_width: {padding[1]}")


def _blocks(size: Sequence[int], kernel, dilation, padding, stride) -> tuple[int, int]:
    return tuple((s + 2 * p - d * (k - 1) - 1) // st + 1  # type: ignore[return-value]
                 for s, k, d, p, st in zip(size, kernel, dilation, padding, stride))


def unfold(input: Tensor, kernel_size: IntOrPair, dilation: IntOrPair = 1, padding: IntOrPair = 0,  # noqa: A002
           stride: IntOrPair = 1) -> Tensor:
    """The sliding blocks of (N, C, H, W) or (C, H, W) as columns: (N, C * kH * kW, L)."""
    x = as_tensor(input, "unfold", "input")
    k, d = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    p, s = _pair(padding, "padding"), _pair(stride, "stride")
    _check(k, d, p, s)
    if x.ndim not in (3, 4) or 0 in x.shape[x.ndim - 3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(x.shape)}")
    size = x.shape[-2:]
    blocks = _blocks(size, k, d, p, s)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(size)}, kernel_size={k}, dilation={d}, padding={p}, "
                           f"calculated shape of the array of sliding blocks as {blocks}, but its components must be "
                           "at least one.")
    return _conv.unfold(x, k, d, p, s, batched=x.ndim == 4)


def fold(input: Tensor, output_size: IntOrPair, kernel_size: IntOrPair, dilation: IntOrPair = 1,  # noqa: A002
         padding: IntOrPair = 0, stride: IntOrPair = 1) -> Tensor:
    """Sum columns (N, C * kH * kW, L) or (C * kH * kW, L) back into images (N, C, *output_size): unfold's adjoint."""
    x = as_tensor(input, "fold", "input")
    out = _pair(output_size, "output_size")
    k, d = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    p, s = _pair(padding, "padding"), _pair(stride, "stride")
    _check(k, d, p, s)
    if x.ndim not in (2, 3) or 0 in x.shape[x.ndim - 2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(x.shape)}")
    channels, length = x.shape[-2:]
    if channels % (k[0] * k[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={channels} and kernel_size={k}.")
    blocks = _blocks(out, k, d, p, s)
    if min(blocks) < 1:
        raise RuntimeError(f"Given output_size={out}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, "
                           f"calculated shape of the array of sliding blocks as {blocks}, but its components must be "
                           "at least one.")
    if blocks[0] * blocks[1] != length:
        raise RuntimeError(f"Given output_size={out}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, "
                           f"expected size of input's dimension {x.ndim - 1} to match the calculated number of "
                           f"sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
                           f"input.size({x.ndim - 1})={length}.")
    return _conv.fold(x, out, k, d, p, s, batched=x.ndim == 3)
