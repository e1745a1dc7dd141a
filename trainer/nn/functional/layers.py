"""Functional forms of the layers: linear, bilinear, dropout (+1d/2d), batch/layer/group/instance/RMS/local response
norm, embedding."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from ...autograd import kernels
from ...autograd.dtypes import cxx_type_name, scalar_type_name
from ...autograd.ops import squeeze, unsqueeze
from ...autograd.plain import dot
from ...autograd.random import default_generator
from ...autograd.tensor import Tensor
from ._util import as_tensor, require_float
from .padding import pad


def _same_dtype(fn: str, x: Tensor, other: Tensor, name: str) -> None:
    if other._array.dtype != x._array.dtype:
        raise ValueError(
            f"{fn}: input dtype {x._array.dtype} (shape {tuple(x.shape)}) and {name} dtype {other._array.dtype} "
            f"(shape {tuple(other.shape)}) differ; convert the model with .double()/.float() or the input"
        )


def _linear_error(x: Tensor, weight: Tensor, bias: Tensor | None) -> Exception:
    """PyTorch's RuntimeError for what `linear` cannot compute: dtypes, then shapes, then the bias."""
    a, w = x._array, weight._array
    if a.dtype != w.dtype:  # addmm's message with a bias, mm's without
        if bias is not None:
            return RuntimeError(f"mat1 and mat2 must have the same dtype, but got {scalar_type_name(a.dtype)} and "
                                f"{scalar_type_name(w.dtype)}")
        return RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {cxx_type_name(a.dtype)} != "
                            f"{cxx_type_name(w.dtype)}")
    if bias is not None and bias._array.dtype != w.dtype:
        return RuntimeError(f"self and mat2 must have the same dtype, but got {scalar_type_name(bias._array.dtype)} "
                            f"and {scalar_type_name(w.dtype)}")
    if w.ndim != 2 or a.ndim == 0 or a.shape[-1] != w.shape[1]:
        rows = int(np.prod(a.shape[:-1])) if a.ndim > 1 else 1
        cols = a.shape[-1] if a.ndim else 1
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                            f"{'x'.join(map(str, w.shape[::-1]))})")
    if a.dtype.kind != "f":
        return RuntimeError(f'"addmm_impl_cpu_" not implemented for \'{scalar_type_name(a.dtype)}\'')
    target = [*a.shape[:-1], w.shape[0]]
    return RuntimeError(f"The expanded size of the tensor ({w.shape[0]}) must match the existing size "
                        f"({bias.shape[-1] if bias.ndim else 1}) at non-singleton dimension {len(target) - 1}.  "
                        f"Target sizes: {target}.  Tensor sizes: {list(bias.shape)}")


def _broadcast_bias(x: Tensor, weight: Tensor, bias: Tensor | None) -> bool:
    """Whether only the bias's shape is unusual, and it broadcasts to the output's shape."""
    a, w = x._array, weight._array
    if bias is None or bias._array.dtype != a.dtype or w.dtype != a.dtype or a.dtype.kind != "f" or w.ndim != 2 \
            or a.ndim == 0 or a.shape[-1] != w.shape[1]:
        return False
    out = (*a.shape[:-1], w.shape[0])
    try:
        return np.broadcast_shapes(bias._array.shape, out) == out
    except ValueError:
        return False


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """x @ W.T + b as one graph node; x is (*, in_features), W is (out_features, in_features).

    2-D products go through `np.dot` (`autograd.plain.dot`, without its dispatcher), which makes the same BLAS
    call as `@` (bit-identical results) with a fraction of its dispatch cost: small networks spend much of a
    step in these calls.
    """
    x = input if isinstance(input, Tensor) else as_tensor(input, "linear", "input")
    a, w = x._array, weight._array
    dt = a.dtype
    if (dt.kind != "f" or w.dtype != dt or w.ndim != 2 or a.ndim == 0 or a.shape[-1] != w.shape[1]
            or (bias is not None and (bias._array.dtype != dt or bias._array.shape != (w.shape[0],)))):
        if _broadcast_bias(x, weight, bias):  # a bias of shape (1, out_features), say: added as addmm broadcasts it
            return linear(x, weight) + bias
        raise _linear_error(x, weight, bias)
    flat = a.ndim == 2
    out = dot(a, w.T) if flat else a @ w.T
    if bias is not None:
        if out.size < _NUMPY_BELOW[0] or not kernels.bias_add_(out, bias._array):  # threaded for large outputs
            out += bias._array
        parents: tuple[Tensor, ...] = (x, weight, bias)
    else:
        parents = (x, weight)

    def backward(g: np.ndarray):
        gx = (dot(g, w) if flat else g @ w) if x.requires_grad else None
        g2 = g if flat else g.reshape(-1, w.shape[0])
        gw = dot(g2.T, a if flat else a.reshape(-1, w.shape[1])) if weight.requires_grad else None
        if bias is None:
            return gx, gw
        return gx, gw, (np.add.reduce(g2, axis=0) if bias.requires_grad else None)

    return Tensor._make(out, parents, backward, "Linear" if bias is not None else "LinearNoBias")


_NUMPY_BELOW = kernels.NUMPY_BELOW


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zero each element with probability p (PyTorch's mask for the same seed), scale the rest by 1/(1-p).

    Outside training, or with p == 0, the input is returned unchanged; with `inplace`, x is overwritten
    and returned.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(input, "dropout", "input")
    if not training or p == 0.0 or x._array.size == 0:
        return x
    require_float(x, "dropout")
    return _apply_mask(x, _keep_mask(x._array.shape, p, x._array.dtype), inplace)


def _keep_mask(shape: tuple[int, ...], p: float, dtype: np.dtype) -> np.ndarray:
    """PyTorch's noise: empty(shape).bernoulli_(1 - p).div_(1 - p) (all zeros for p == 1)."""
    if p == 1.0:
        return np.zeros(shape, dtype)
    keep = default_generator.bernoulli_scalar(int(np.prod(shape)), 1.0 - p).reshape(shape)
    return keep.astype(dtype) / dtype.type(1.0 - p)


def _apply_mask(x: Tensor, mask: np.ndarray, inplace: bool) -> Tensor:
    if inplace:
        return x._inplace(lambda t: _masked(t, mask), (), False)
    return _masked(x, mask)


def _masked(x: Tensor, mask: np.ndarray) -> Tensor:
    res = Tensor._make(x._array * mask, (x,), lambda g: (g * mask,), "Dropout")
    res._ctx = mask  # for `autograd.higher_order`
    return res


def _feature_dropout(x: Tensor, p: float, training: bool, inplace: bool, batched: bool = True) -> Tensor:
    """Zero whole channels: one draw per (N, C) pair (per channel when not `batched`), broadcast over the rest."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0 or x._array.size == 0:
        return x
    require_float(x, "dropout")
    a = x._array
    lead = 2 if batched else 1
    return _apply_mask(x, _keep_mask(a.shape[:lead] + (1,) * (a.ndim - lead), p, a.dtype), inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zero whole channels of an (N, C, L) or (C, L) input with probability p (PyTorch's mask for the seed)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(input, "dropout1d", "input")
    if x.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. Note that dropout1d "
                           "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(x, p, training, inplace, batched=x.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zero whole channels of an (N, C, H, W) input with probability p (PyTorch's mask for the seed).

    As in PyTorch, a 3-D input is read as (N, C, L), with a warning.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(input, "dropout2d", "input")
    if x.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {x.ndim}-D input to dropout2d, which is deprecated and will result in "
                      "an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead.", UserWarning, stacklevel=2)
    if x.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. To maintain "
                      "the 1D channel-wise dropout behavior, please switch to using dropout1d instead.", UserWarning,
                      stacklevel=2)
    return _feature_dropout(x, p, training, inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zero whole channels of an (N, C, D, H, W) or (C, D, H, W) input with probability p (PyTorch's mask)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(input, "dropout3d", "input")
    if x.ndim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {x.ndim}-D input to dropout3d, which is deprecated and will result in "
                      "an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D "
                      "inputs).", UserWarning, stacklevel=2)
    if x.ndim == 5:
        return _feature_dropout(x, p, training, inplace)
    if inplace:  # PyTorch's unsqueeze_ / squeeze_ around the batched op
        x.unsqueeze_(0)
        return _feature_dropout(x, p, training, True).squeeze_(0)
    return squeeze(_feature_dropout(unsqueeze(x, 0), p, training, False), 0)


def _norm_param(fn: str, x: Tensor, t: Tensor | None, name: str, shape: tuple[int, ...]) -> None:
    if t is None:
        return
    _same_dtype(fn, x, t, name)
    if tuple(t.shape) != shape:
        raise ValueError(f"{fn}: {name} shape {tuple(t.shape)} does not fit input shape {tuple(x.shape)}")


def _normalized_backward(x: Tensor, weight: Tensor | None, bias: Tensor | None, xhat: np.ndarray,
                         invstd: np.ndarray, stat_axes: tuple[int, ...], param_axes: tuple[int, ...],
                         param_shape: tuple[int, ...], centred: bool):
    """The backward rule shared by batch and layer norm: y = xhat * weight + bias, xhat = (x - mean) * invstd.

    `stat_axes` are the axes the statistics were taken over (`centred=False` when they were constants,
    e.g. BatchNorm's running stats in eval mode); `param_axes` are summed for weight and bias gradients.
    """
    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        grads: list[np.ndarray | None] = []
        if x.requires_grad:
            gy = g * weight._array.reshape(param_shape) if weight is not None else g
            if centred:
                projection = (gy * xhat).mean(axis=stat_axes, keepdims=True)
                gy = gy - gy.mean(axis=stat_axes, keepdims=True) - xhat * projection
            grads.append(gy * invstd)
        else:
            grads.append(None)
        if weight is not None:
            grads.append((g * xhat).sum(axis=param_axes) if weight.requires_grad else None)
        if bias is not None:
            grads.append(g.sum(axis=param_axes) if bias.requires_grad else None)
        return grads

    return backward


def batch_norm(
    input: Tensor,  # noqa: A002
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the batch (and length) axes per channel of an (N, C, *) input.

    In training the batch statistics are used and the running ones (if given) updated in place:
    mean with the biased batch variance for normalising, the unbiased one for `running_var`.
    """
    x = as_tensor(input, "batch_norm", "input")
    require_float(x, "batch_norm")
    a = x._array
    if a.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, L), got {tuple(a.shape)}")
    c = a.shape[1]
    for t, name in ((weight, "weight"), (bias, "bias"), (running_mean, "running_mean"), (running_var, "running_var")):
        _norm_param("batch_norm", x, t, name, (c,))
    axes = (0, *range(2, a.ndim))
    bshape = (1, c) + (1,) * (a.ndim - 2)
    use_batch = training or running_mean is None or running_var is None
    if use_batch:
        n = a.size // c if c else 0
        if training and n <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {tuple(a.shape)}")
        mean = a.mean(axis=axes)
        centred = a - mean.reshape(bshape)
        var = (centred * centred).mean(axis=axes)
        if training and running_mean is not None and running_var is not None:
            rm, rv = running_mean._array, running_var._array
            rm *= 1.0 - momentum
            rm += momentum * mean
            rv *= 1.0 - momentum
            rv += (momentum * n / (n - 1)) * var
    else:
        mean, var = running_mean._array, running_var._array
        centred = a - mean.reshape(bshape)
    invstd = (1.0 / np.sqrt(var + eps)).reshape(bshape)
    xhat = centred * invstd
    out = xhat * weight._array.reshape(bshape) if weight is not None else xhat
    if bias is not None:
        out = out + bias._array.reshape(bshape)
    parents = tuple(t for t in (x, weight, bias) if t is not None)

    backward = _normalized_backward(x, weight, bias, xhat, invstd, axes, axes, bshape, centred=use_batch)
    res = Tensor._make(out, parents, backward, "BatchNorm")
    # for `higher_order` (the running mean copied: a later training step updates it in place)
    res._ctx = (eps, use_batch, weight is not None, bias is not None, mean if use_batch else mean.copy(), invstd)
    return res


def layer_norm(
    input: Tensor,  # noqa: A002
    normalized_shape: Sequence[int] | int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the trailing `normalized_shape` dimensions, then scale and shift elementwise."""
    x = as_tensor(input, "layer_norm", "input")
    require_float(x, "layer_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    a = x._array
    k = len(shape)
    if k == 0 or a.ndim < k or tuple(a.shape[a.ndim - k:]) != shape:
        raise ValueError(
            f"layer_norm: normalized_shape {shape} expects an input of shape (*, {', '.join(map(str, shape))}), "
            f"got {tuple(a.shape)}"
        )
    _norm_param("layer_norm", x, weight, "weight", shape)
    _norm_param("layer_norm", x, bias, "bias", shape)
    axes = tuple(range(a.ndim - k, a.ndim))
    lead = tuple(range(a.ndim - k))
    centred = a - a.mean(axis=axes, keepdims=True)
    invstd = 1.0 / np.sqrt((centred * centred).mean(axis=axes, keepdims=True) + eps)
    xhat = centred * invstd
    out = xhat * weight._array if weight is not None else xhat
    if bias is not None:
        out = out + bias._array
    parents = tuple(t for t in (x, weight, bias) if t is not None)

    backward = _normalized_backward(x, weight, bias, xhat, invstd, axes, lead, shape, centred=True)
    res = Tensor._make(out, parents, backward, "LayerNorm")
    res._ctx = (eps, k, weight is not None, bias is not None)  # for `autograd.higher_order`
    return res


def group_norm(
    input: Tensor,  # noqa: A002
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each of `num_groups` groups of channels of an (N, C, *) input per sample, then scale and
    shift per channel."""
    x = as_tensor(input, "group_norm", "input")
    require_float(x, "group_norm")
    a = x._array
    if a.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {a.ndim}")
    n, c = a.shape[:2]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(a.shape)} and num_groups={num_groups}")
    _norm_param("group_norm", x, weight, "weight", (c,))
    _norm_param("group_norm", x, bias, "bias", (c,))
    grouped = (n, num_groups, c // num_groups, -1)
    g4 = a.reshape(grouped)
    centred = g4 - g4.mean(axis=(2, 3), keepdims=True)
    invstd = 1.0 / np.sqrt((centred * centred).mean(axis=(2, 3), keepdims=True) + eps)
    xhat = centred * invstd
    pshape = (1, num_groups, c // num_groups, 1)
    out = xhat * weight._array.reshape(pshape) if weight is not None else xhat.copy()
    if bias is not None:
        out = out + bias._array.reshape(pshape)
    parents = tuple(t for t in (x, weight, bias) if t is not None)
    inner = _normalized_backward(x, weight, bias, xhat, invstd, (2, 3), (0, 3), pshape, centred=True)
    shape = a.shape

    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        grads = inner(g.reshape(xhat.shape))
        return [None if v is None else v.reshape(shape if i == 0 else (c,)) for i, v in enumerate(grads)]

    res = Tensor._make(out.reshape(shape), parents, backward, "NativeGroupNorm")
    res._ctx = (num_groups, eps, weight is not None, bias is not None)  # for `autograd.higher_order`
    return res


def embedding(
    input: Tensor,  # noqa: A002
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Rows of `weight` picked by the integer `input`; the padding row gets no gradient.

    With `max_norm`, the looked-up rows whose `norm_type`-norm exceeds it are rescaled in place first.
    """
    if sparse:
        raise ValueError("embedding: sparse gradients are not supported; use sparse=False")
    idx_t = as_tensor(input, "embedding", "input")
    idx = idx_t._array
    if idx.dtype.kind not in "iu":
        raise ValueError(
            f"embedding: indices must be integers, got dtype {idx.dtype} (input shape {tuple(idx.shape)}, "
            f"weight shape {tuple(weight.shape)})"
        )
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must be 2-D, got shape {tuple(weight.shape)}")
    num = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError(f"embedding: index out of range for weight shape {tuple(weight.shape)} (input range "
                         f"{int(idx.min())}..{int(idx.max())})")
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise ValueError(f"embedding: padding_idx {padding_idx} must be within num_embeddings {num}")
        padding_idx %= num
    w = weight._array
    if max_norm is not None:
        rows = np.unique(idx)
        norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
        big = norms > max_norm
        w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)
    out = w[idx]

    def backward(g: np.ndarray):
        flat_idx = idx.reshape(-1)
        gflat = g.reshape(-1, w.shape[1])
        if scale_grad_by_freq:
            counts = np.bincount(flat_idx, minlength=num)
            gflat = gflat / counts[flat_idx][:, None].astype(g.dtype)
        grad = np.zeros_like(w)
        np.add.at(grad, flat_idx, gflat)
        if padding_idx is not None:
            grad[padding_idx] = 0
        return (grad,)

    res = Tensor._make(out, (weight,), backward, "Embedding")
    res._ctx = (idx, padding_idx, scale_grad_by_freq)  # for `autograd.higher_order`
    return res


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot rows for an int64 index tensor: shape + (num_classes,), num_classes = max + 1 when -1."""
    idx = tensor._array
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    elif idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (int(num_classes),), np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return Tensor._wrap(out)


def rms_norm(
    input: Tensor,  # noqa: A002
    normalized_shape: Sequence[int] | int,
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """x / sqrt(mean(x^2) + eps) over the trailing `normalized_shape` dims, times `weight` (PyTorch's composite).

    `eps` None means the machine epsilon of the input's dtype.
    """
    x = as_tensor(input, "rms_norm", "input")
    if x._array.dtype.kind != "f":
        raise NotImplementedError(f"\"rms_norm\" not implemented for '{scalar_type_name(x._array.dtype)}'")
    shape = [normalized_shape] if isinstance(normalized_shape, int) else [int(s) for s in normalized_shape]
    k = len(shape)
    if weight is not None and list(weight.shape) != shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
                           f"{list(weight.shape)} and normalized_shape = {shape}")
    if k == 0 or x.ndim < k or list(x.shape[x.ndim - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape [*{', '.join(map(str, shape))}]"
                           f", but got input of size{list(x.shape)}")
    e = float(np.finfo(x._array.dtype).eps) if eps is None else eps
    dims = tuple(range(x.ndim - 1, x.ndim - k - 1, -1))
    result = x * (x.pow(2).mean(dims, keepdim=True) + e).rsqrt()
    return result * weight if weight is not None else result


def _spatial_check(x: Tensor) -> None:
    if int(np.prod(x.shape[2:])) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {x.shape!r}")


def instance_norm(
    input: Tensor,  # noqa: A002
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each (sample, channel) of an (N, C, *) input over its spatial dims, as PyTorch does: batch norm
    of the input viewed as (1, N*C, *), with weight, bias and running stats repeated N times; the running stats
    (when given and `use_input_stats`) then take the mean over the batch of the per-sample updates."""
    x = as_tensor(input, "instance_norm", "input")
    if use_input_stats:
        _spatial_check(x)
    elif running_mean is None or running_var is None:
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    require_float(x, "instance_norm")
    n, c = x.shape[0], x.shape[1]
    tiled = [None if t is None else Tensor._wrap(np.tile(t._array, n)) for t in (running_mean, running_var)]
    out = batch_norm(
        x.reshape(1, n * c, *x.shape[2:]), tiled[0], tiled[1],
        None if weight is None else weight.repeat(n), None if bias is None else bias.repeat(n),
        use_input_stats, momentum, eps,
    )
    for stat, tile in zip((running_mean, running_var), tiled, strict=True):
        if stat is not None and use_input_stats:
            stat._array[...] = tile._array.reshape(n, c).mean(axis=0)
    return out.view(tuple(x.shape))


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,  # noqa: A002
                        k: float = 1.0) -> Tensor:
    """x / (k + alpha * mean of x^2 over `size` neighbouring channels)^beta (PyTorch's composite, zero-padded)."""
    x = as_tensor(input, "local_response_norm", "input")
    dim = x.ndim
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if x._array.size == 0:
        return x
    sizes = tuple(x.shape)
    c = sizes[1]
    squares = (x * x).reshape(sizes[0], c, -1)
    padded = pad(squares, (0, 0, size // 2, (size - 1) // 2))  # zero channels before and after
    total = padded[:, 0:c]
    for j in range(1, size):
        total = total + padded[:, j:j + c]
    div = (total / size).reshape(sizes)
    div = (div * alpha + k).pow(beta)
    return x / div


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x1^T W x2 + b per output feature: x1 (*, in1), x2 (*, in2), W (out, in1, in2), b (out,)."""
    x1 = as_tensor(input1, "bilinear", "input1")
    x2 = as_tensor(input2, "bilinear", "input2")
    _bilinear_checks(x1, x2, weight, bias)
    a1, a2, w = x1._array, x2._array, weight._array
    lead = tuple(a1.shape[:-1])
    f1 = a1.reshape(-1, w.shape[1])
    f2 = a2.reshape(-1, w.shape[2])
    out = np.einsum("mi,oij,mj->mo", f1, w, f2, optimize=True)

    def backward(g: np.ndarray):
        g1 = np.einsum("mo,oij,mj->mi", g, w, f2, optimize=True).reshape(a1.shape) if x1.requires_grad else None
        g2 = np.einsum("mo,oij,mi->mj", g, w, f1, optimize=True).reshape(a2.shape) if x2.requires_grad else None
        gw = np.einsum("mo,mi,mj->oij", g, f1, f2, optimize=True) if weight.requires_grad else None
        return g1, g2, gw

    y = Tensor._make(out, (x1, x2, weight), backward, "Trilinear").view(lead + (w.shape[0],))
    return y + bias if bias is not None else y


def _bilinear_checks(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    require_float(x1, "bilinear", "input1")
    for t, name in ((x2, "input2"), (weight, "weight"), (bias, "bias")):
        if t is not None:
            _same_dtype("bilinear", x1, t, name)
    if x1.ndim != x2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {x1.ndim} and {x2.ndim}")
    for i in range(x1.ndim - 1):
        if x1.shape[i] != x2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got {x1.shape[i]} and "
                               f"{x2.shape[i]}")
    if weight.ndim != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-D (out_features, in1_features, in2_features), got shape "
                           f"{list(weight.shape)}")
    for i, (t, name) in enumerate(((x1, "input1"), (x2, "input2")), start=1):
        if t.ndim == 0 or t.shape[-1] != weight.shape[i]:
            got = t.shape[-1] if t.ndim else 1
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got {got} but expected "
                               f"{weight.shape[i]}")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[0] if bias.ndim else 1}"
                           f" but expected {weight.shape[0]}")
