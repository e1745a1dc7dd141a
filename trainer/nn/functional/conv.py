"""conv1d/2d/3d and conv_transpose1d/2d/3d: PyTorch's argument forms and shape checks before the engine's op."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...autograd import padding as _padding
from ...autograd.conv import conv_transpose_out_size, convolution, convolution_transpose
from ...autograd.ops import squeeze, unsqueeze
from ...autograd.tensor import Tensor
from ._util import as_tensor

IntOrTuple = int | Sequence[int]
_TYPE_NAMES = {"float64": "double", "float32": "float", "float16": "half", "int64": "long", "int32": "int"}


def expand_param(value: IntOrTuple, name: str, dims: int) -> tuple[int, ...]:
    """An int, or a sequence of one or `dims` ints, as a `dims`-tuple (PyTorch's expand_param_if_needed)."""
    if isinstance(value, int):
        return (int(value),) * dims
    values = tuple(int(v) for v in value)
    if len(values) == 1:
        return values * dims
    if len(values) != dims:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {dims} values to match the "
                           f"convolution dimensions, but got {name}={list(values)}")
    return values


def same_padding(kernel: Sequence[int], dilation: Sequence[int]) -> list[tuple[int, int]]:
    """padding='same': dilation*(k-1) split with the odd one on the high side, as PyTorch."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return [(t // 2, t - t // 2) for t in total]


def _sizes(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _per_channel(values: Sequence[int]) -> str:
    return "(" + " x ".join(str(v) for v in values) + ")"


def _batched(x: Tensor, weight: Tensor, fn: str, dims: int) -> bool:
    """Whether x has a batch dim; raises PyTorch's message for other ranks."""
    if x.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {fn}, but got "
                           f"input of size: {_sizes(x.shape)}")
    return x.ndim == dims + 2


def _type_name(dt: np.dtype) -> str:
    return _TYPE_NAMES.get(str(dt), str(dt))


def _check_types(x: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    dt = x._array.dtype
    if weight._array.dtype != dt:
        raise RuntimeError(f"expected scalar type {_type_name(dt).capitalize()} but found "
                           f"{_type_name(weight._array.dtype).capitalize()}")
    if bias is not None and bias._array.dtype != dt:
        raise RuntimeError(f"Input type ({_type_name(dt)}) and bias type ({_type_name(bias._array.dtype)}) "
                           "should be the same")


def _check_common(x: Tensor, weight: Tensor, bias: Tensor | None, stride, dilation, groups: int,
                  transposed: bool) -> None:
    if weight.ndim != x.ndim:  # PyTorch expands the arguments to the weight's dims first, and says so
        raise RuntimeError(f"expected stride to be a single integer value or a list of {weight.ndim - 2} values to "
                           f"match the convolution dimensions, but got stride={list(stride)}")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    w = weight.shape
    if w[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size [{_sizes(w)}] instead")
    if not transposed:
        if x.shape[1] != w[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {_sizes(w)}, expected input{_sizes(x.shape)} "
                               f"to have {w[1] * groups} channels, but got {x.shape[1]} channels instead")
        c_out = w[0]
    else:
        if x.shape[1] != w[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {_sizes(w)}, expected input{_sizes(x.shape)} to "
                               f"have {w[0]} channels, but got {x.shape[1]} channels instead")
        c_out = w[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != c_out):
        raise RuntimeError(f"Given {'transposed=1, ' if transposed else ''}weight of size {_sizes(w)}, expected bias "
                           f"to be 1-dimensional with {c_out} elements, but got bias of size {_sizes(bias.shape)} "
                           "instead")


def _conv(fn: str, dims: int, input: Tensor, weight: Tensor, bias: Tensor | None, stride: IntOrTuple,  # noqa: A002
          padding: str | IntOrTuple, dilation: IntOrTuple, groups: int) -> Tensor:
    x = as_tensor(input, fn, "input")
    batched = _batched(x, weight, fn, dims)
    if not batched:
        x = unsqueeze(x, 0)
    _check_types(x, weight, bias)
    st = expand_param(stride, "stride", dims)
    dil = expand_param(dilation, "dilation", dims)
    kernel = weight.shape[2:]
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0)] * dims
        elif padding == "same":
            if any(s != 1 for s in st):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            pads = same_padding(kernel, dil)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        p = expand_param(padding, "padding", dims)
        if any(v < 0 for v in p):
            raise RuntimeError("negative padding is not supported")
        pads = [(v, v) for v in p]
    _check_common(x, weight, bias, st, dil, groups, transposed=False)
    spatial = x.shape[2:]
    padded = [n + lo + hi for n, (lo, hi) in zip(spatial, pads)]
    reach = [d * (k - 1) + 1 for k, d in zip(kernel, dil)]
    if any(r > n for r, n in zip(reach, padded)):
        raise RuntimeError(f"Calculated padded input size per channel: {_per_channel(padded)}. Kernel size: "
                           f"{_per_channel(reach)}. Kernel size can't be greater than actual input size")
    if any(lo != hi for lo, hi in pads):  # 'same' with an even reach: PyTorch pads the extra side first
        x = _padding.pad(x, [(0, hi - lo) for lo, hi in pads], "constant", 0.0)
        pads = [(lo, lo) for lo, _ in pads]
    out = convolution(x, weight, bias, st, pads, dil, int(groups))
    return out if batched else squeeze(out, 0)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
           padding: str | IntOrTuple = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """1-d cross-correlation of (N, C_in, L) or (C_in, L) with weight (C_out, C_in/groups, K)."""
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
           padding: str | IntOrTuple = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """2-d cross-correlation of (N, C_in, H, W) or (C_in, H, W) with weight (C_out, C_in/groups, kH, kW)."""
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
           padding: str | IntOrTuple = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """3-d cross-correlation of (N, C_in, D, H, W) or (C_in, D, H, W) with weight (C_out, C_in/groups, kD, kH, kW)."""
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(fn: str, dims: int, input: Tensor, weight: Tensor, bias: Tensor | None,  # noqa: A002
                    stride: IntOrTuple, padding: IntOrTuple, output_padding: IntOrTuple, groups: int,
                    dilation: IntOrTuple) -> Tensor:
    x = as_tensor(input, fn, "input")
    batched = _batched(x, weight, fn, dims)
    if not batched:
        x = unsqueeze(x, 0)
    _check_types(x, weight, bias)
    st = expand_param(stride, "stride", dims)
    dil = expand_param(dilation, "dilation", dims)
    pad = expand_param(padding, "padding", dims)
    opad = expand_param(output_padding, "output_padding", dims)
    if any(v < 0 for v in pad):
        raise RuntimeError("negative padding is not supported")
    if any(v < 0 for v in opad):
        raise RuntimeError("negative output_padding is not supported")
    _check_common(x, weight, bias, st, dil, groups, transposed=True)
    if any(o >= s and o >= d for o, s, d in zip(opad, st, dil)):
        values = (("output_padding", opad, 0), ("stride", st, 1), ("dilation", dil, 1))
        if dims == 1:  # PyTorch runs 1-d as 2-d with a height of 1
            values = tuple((what, (h, *vals), h) for what, vals, h in values)
        names = ("depth", "height", "width")[-len(values[0][1]):]
        got = " ".join(f"{what}_{n}: {v}" for what, vals, _ in values for n, v in zip(names, vals))
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got {got}")
    kernel, spatial = weight.shape[2:], x.shape[2:]
    out = [conv_transpose_out_size(n, k, s, p, d, o) for n, k, s, p, d, o in zip(spatial, kernel, st, pad, dil, opad)]
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Given input size per channel: {_per_channel(spatial)}. Calculated output size per "
                           f"channel: {_per_channel(out)}. Output size is too small")
    y = convolution_transpose(x, weight, bias, st, pad, opad, dil, int(groups))
    return y if batched else squeeze(y, 0)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
                     padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The transpose (adjoint) of conv1d; weight (C_in, C_out/groups, K)."""
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
                     padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The transpose (adjoint) of conv2d; weight (C_in, C_out/groups, kH, kW)."""
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,  # noqa: A002
                     padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The transpose (adjoint) of conv3d; weight (C_in, C_out/groups, kD, kH, kW)."""
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]
