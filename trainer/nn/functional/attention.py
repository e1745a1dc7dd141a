"""`F.scaled_dot_product_attention` and `F.multi_head_attention_forward`, with PyTorch's mask conventions.

Composed from differentiable engine ops (matmul, a fused "safe" softmax, dropout, linear), so gradients need no
rule of their own. SDPA follows PyTorch's reference (math) implementation: q and k are each scaled by
sqrt(scale), boolean masks mark the positions that *take part*, and a row whose scores are all -inf gives zeros
(PyTorch's `_safe_softmax`) rather than NaN. `multi_head_attention_forward` follows `torch.nn.functional`'s slow
path: there boolean masks mark the positions that are *masked out*, and with `need_weights=True` a fully masked
row is NaN (plain softmax), as in PyTorch.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ...autograd import more_ops, ops
from ...autograd.dtypes import scalar_type_name
from ...autograd.more_ops import log_softmax_array
from ...autograd.tensor import Tensor
from .layers import dropout, linear
from .padding import pad

# ----- scaled dot-product attention ---------------------------------------------------------------------------


def _safe_softmax(input: Tensor, dim: int = -1) -> Tensor:  # noqa: A002
    """softmax along `dim`, with 0 (and a zero gradient) for rows whose entries are all -inf."""
    a = input._array
    axis = dim % a.ndim
    dead = np.all(a == -np.inf, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.exp(log_softmax_array(a, axis))
    s = np.where(dead, a.dtype.type(0), s)

    def backward(g: np.ndarray):
        return (s * (g - np.sum(g * s, axis=axis, keepdims=True)),)

    return Tensor._make(s, (input,), backward, "SafeSoftmax")


def _check_sdpa_inputs(query: Any, key: Any, value: Any, attn_mask: Any) -> None:
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(f"scaled_dot_product_attention(): argument '{name}' must be Tensor, not "
                            f"{type(t).__name__}")
    dq, dk, dv = (t._array.dtype for t in (query, key, value))
    if not dq == dk == dv:
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_cpp_name(dq)} key.dtype: {_cpp_name(dk)} and value.dtype: {_cpp_name(dv)} instead.")
    if dq.kind != "f":
        raise RuntimeError(f"expected scalar type Float but found {scalar_type_name(dq)}")
    if attn_mask is not None:
        if not isinstance(attn_mask, Tensor):
            raise TypeError(f"scaled_dot_product_attention(): argument 'attn_mask' must be Tensor, not "
                            f"{type(attn_mask).__name__}")
        dm = attn_mask._array.dtype
        if dm not in (np.bool_, np.float32, dq):
            raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                               f"attn_mask.dtype: {_cpp_name(dm)} and  query.dtype: {_cpp_name(dq)} instead.")
    if min(t.ndim for t in (query, key, value)) < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must have at least 2 dimensions")


def _cpp_name(dtype: np.dtype) -> str:
    """The C++ type name PyTorch's SDPA messages print (double, float, long int, ...)."""
    return {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}.get(dtype.name,
                                                                                                   dtype.name)


def _additive_mask(mask: Tensor | None, dtype: np.dtype) -> Tensor | None:
    """A boolean mask (True = take part) as 0 / -inf in `dtype`; a float mask in `dtype`."""
    if mask is None:
        return None
    m = mask._array
    if m.dtype == np.bool_:
        return Tensor._wrap(np.where(m, dtype.type(0), dtype.type(-np.inf)))
    return mask if m.dtype == dtype else ops.cast(mask, dtype)


def _check_mask_shape(mask: tuple[int, ...], scores: tuple[int, ...]) -> None:
    """The mask must broadcast to the scores' shape (..., L, S) without enlarging it (PyTorch adds in place)."""
    try:
        shape = np.broadcast_shapes(mask, scores)
    except ValueError:
        raise RuntimeError(f"The size of attn_mask {list(mask)} is not broadcastable to the attention scores' "
                           f"shape {list(scores)}") from None
    if shape != scores:
        raise RuntimeError(f"output with shape {list(scores)} doesn't match the broadcast shape {list(shape)}")


def _flash_eligible(query: Tensor, key: Tensor, value: Tensor, dropout_p: float) -> bool:
    """Whether PyTorch's CPU picks its fused (flash) kernel, which also accepts is_causal with an attn_mask."""
    q, k, v = query.shape, key.shape, value.shape
    return len(q) == len(k) == len(v) == 4 and dropout_p == 0.0 and q[:2] == k[:2] == v[:2] and q[-1] == k[-1] == v[-1]


def _repeat_kv_heads(query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor]:
    """Grouped-query attention: repeat each key/value head to match the query's heads (dim -3)."""
    hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
    if hq % hk or hq % hv:
        raise RuntimeError("Number of heads in key and value must divide the number of heads in query")
    if hk != hq:
        key = key.repeat_interleave(hq // hk, dim=-3)
    if hv != hq:
        value = value.repeat_interleave(hq // hv, dim=-3)
    return key, value


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(q k^T * scale + mask) v over the last two dims (query (..., L, E), key (..., S, E), value (..., S, Ev)).

    `attn_mask`: boolean (True = take part) or float (added), broadcastable to (..., L, S); `is_causal` lets query
    i see keys j <= i; `scale` defaults to 1/sqrt(E); dropout (always applied when dropout_p > 0, as in PyTorch)
    draws from the default generator; `enable_gqa` repeats key/value heads (dim -3) to the query's count.
    """
    _check_sdpa_inputs(query, key, value, attn_mask)
    if not 0.0 <= dropout_p <= 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if query.shape[-2] == 0 or key.shape[-2] == 0:  # PyTorch returns zeros (and zero gradients) at once
        return (query.matmul(key.transpose(-2, -1)) * 0.0).matmul(value)
    dtype = query._array.dtype
    mask = _additive_mask(attn_mask, dtype)
    if is_causal:
        if mask is not None and not _flash_eligible(query, key, value, dropout_p):
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                               "is_causal=True")
        causal = _additive_mask(Tensor._wrap(np.tril(np.ones((query.shape[-2], key.shape[-2]), np.bool_))), dtype)
        mask = causal if mask is None else mask + causal  # PyTorch's CPU kernel applies both
    if enable_gqa and query.ndim >= 3 and key.ndim >= 3:
        key, value = _repeat_kv_heads(query, key, value)
    e = query.shape[-1]
    factor = math.sqrt(abs(scale) if scale is not None else 1.0 / math.sqrt(e))
    q = query * (-factor if scale is not None and scale < 0 else factor)
    attn = q.matmul(key.transpose(-2, -1) * factor)
    if mask is not None:
        _check_mask_shape(tuple(mask.shape), tuple(attn.shape))
        attn = attn + mask
    attn = _safe_softmax(attn, -1)
    if dropout_p > 0.0:
        attn = dropout(attn, dropout_p, True)
    return attn.matmul(value)


# ----- multi-head attention (torch.nn.functional's slow path) -------------------------------------------------


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type: Any, other_name: str, target_type: np.dtype,
                    check_other: bool = True) -> Tensor | None:
    """A boolean mask (True = masked out) as 0 / -inf in `target_type`; float masks pass unchanged."""
    if mask is None:
        return None
    d = mask._array.dtype
    if d != np.bool_ and d.kind != "f":
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and d != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    if d == np.bool_:
        target = np.dtype(target_type)
        return Tensor._wrap(np.where(mask._array, target.type(-np.inf), target.type(0)))
    return mask


def _none_or_dtype(input: Tensor | None) -> np.dtype | None:  # noqa: A002
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input._array.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """Whether the input is batched (3-D query) or not (2-D), checking the other ranks against it."""
    if query.ndim not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D query "
                             "tensor")
    batched = query.ndim == 3
    kind, n = ("batched (3-D)", 3) if batched else ("unbatched (2-D)", 2)
    if key.ndim != n or value.ndim != n:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {n}-D but found {key.ndim}-D "
                             f"and {value.ndim}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.ndim != n - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {n - 1}-D but found "
                             f"{key_padding_mask.ndim}-D tensor instead")
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                                 f"{attn_mask.ndim}-D tensor instead")
        if not batched and attn_mask.ndim == 3:
            expected = (num_heads, query.shape[0], key.shape[0])
            if tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
    return batched


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None) -> tuple[Tensor, ...]:
    """q, k and v through the packed (3E, E) projection, sharing one product where the inputs are the same tensor."""
    e = q.shape[-1]
    if k is v:
        if q is k:
            return tuple(linear(q, w, b).unflatten(-1, (3, e)).unbind(-2))
        w_q, w_kv = w.split([e, 2 * e])
        b_q, b_kv = (None, None) if b is None else b.split([e, 2 * e])
        kv = linear(k, w_kv, b_kv).unflatten(-1, (2, e)).unbind(-2)
        return linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor,
                   b: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    """q, k and v through separate projections (kdim/vdim differ from embed_dim)."""
    eq, ek, ev = q.shape[-1], k.shape[-1], v.shape[-1]
    for name, w, shape in (("query", w_q, (eq, eq)), ("key", w_k, (eq, ek)), ("value", w_v, (eq, ev))):
        if tuple(w.shape) != shape:
            raise AssertionError(f"expecting {name} weights shape of {shape}, but got {w.shape}")
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _attn_mask_3d(attn_mask: Tensor, bsz: int, num_heads: int, tgt_len: int, src_len: int) -> Tensor:
    """A (L, S) mask as (1, L, S); a (N * num_heads, L, S) mask checked."""
    if attn_mask.ndim == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                               f"{(tgt_len, src_len)}.")
        return attn_mask.unsqueeze(0)
    if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
        raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                           f"{(bsz * num_heads, tgt_len, src_len)}.")
    return attn_mask


def _masks_after_extra_key(attn_mask: Tensor | None, key_padding_mask: Tensor | None) -> tuple[Any, Any]:
    """Both masks padded by one unmasked column for an appended key (bias_k or the zero attention)."""
    return (None if attn_mask is None else pad(attn_mask, (0, 1)),
            None if key_padding_mask is None else pad(key_padding_mask, (0, 1)))


def _heads(x: Tensor, bsz: int, num_heads: int, head_dim: int) -> Tensor:
    """(T, N, E) -> (N * num_heads, T, head_dim)."""
    return x.reshape(x.shape[0], bsz * num_heads, head_dim).transpose(0, 1)


def _check_static(static: Tensor, name: str, bsz: int, num_heads: int, head_dim: int) -> Tensor:
    if static.shape[0] != bsz * num_heads:
        raise AssertionError(f"expecting {name}.size(0) of {bsz * num_heads}, but got {static.shape[0]}")
    if static.shape[2] != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.shape[2]}")
    return static


def multi_head_attention_forward(
    query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
    in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
    add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
    training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
    attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
    static_v: Tensor | None = None, average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention on (L, N, E) query and (S, N, E) key/value (or unbatched (L, E), (S, E)).

    Returns (attn_output, attn_weights): weights (N, L, S) averaged over heads, (N, num_heads, L, S) with
    `average_attn_weights=False`, or None when `need_weights` is False (then the heads go through
    `scaled_dot_product_attention`). Boolean masks: True = masked out.
    """
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask),
                                       "attn_mask", query._array.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # scaled_dot_product_attention builds the causal mask itself
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query._array.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                 f"{value.shape[:2]}")
        for name, w in (("q_proj_weight", q_proj_weight), ("k_proj_weight", k_proj_weight),
                        ("v_proj_weight", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name} is None")
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, in_proj_bias)
    else:
        if tuple(key.shape) != tuple(value.shape):
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")
        attn_mask = _attn_mask_3d(attn_mask, bsz, num_heads, tgt_len, src_len)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = ops.cat([k, bias_k.repeat(1, bsz, 1)])
        v = ops.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _masks_after_extra_key(attn_mask, key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k is set but bias_v is None" if bias_k is not None else
                             "bias_v is set but bias_k is None")
    q = _heads(q, bsz, num_heads, head_dim)
    k = _heads(k, bsz, num_heads, head_dim) if static_k is None else _check_static(static_k, "static_k", bsz,
                                                                                   num_heads, head_dim)
    v = _heads(v, bsz, num_heads, head_dim) if static_v is None else _check_static(static_v, "static_v", bsz,
                                                                                   num_heads, head_dim)
    if add_zero_attn:
        zeros = Tensor._wrap(np.zeros((bsz * num_heads, 1, head_dim), k._array.dtype))
        k = ops.cat([k, zeros], dim=1)
        v = ops.cat([v, Tensor._wrap(np.zeros((bsz * num_heads, 1, head_dim), v._array.dtype))], dim=1)
        attn_mask, key_padding_mask = _masks_after_extra_key(attn_mask, key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got {key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
        kpm = kpm.reshape(bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    if need_weights:
        return _attention_with_weights(q, k, v, attn_mask, dropout_p, out_proj_weight, out_proj_bias,
                                       (tgt_len, bsz, num_heads, embed_dim), average_attn_weights, batched)
    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.ndim == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = linear(out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim), out_proj_weight, out_proj_bias)
    out = out.reshape(tgt_len, bsz, out.shape[1])
    return (out if batched else out.squeeze(1)), None


def _attention_with_weights(q: Tensor, k: Tensor, v: Tensor, attn_mask: Tensor | None, dropout_p: float,
                            out_proj_weight: Tensor, out_proj_bias: Tensor | None, sizes: tuple[int, int, int, int],
                            average: bool, batched: bool) -> tuple[Tensor, Tensor]:
    """The explicit path: softmax(q k^T / sqrt(d) + mask) per head, returned beside the output."""
    tgt_len, bsz, num_heads, embed_dim = sizes
    scores = more_ops.bmm(q * math.sqrt(1.0 / float(q.shape[-1])), k.transpose(-2, -1))
    if attn_mask is not None:
        scores = attn_mask + scores
    with np.errstate(divide="ignore", invalid="ignore"):  # a fully masked row is NaN, silently, as in PyTorch
        weights = more_ops.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, p=dropout_p)
    out = more_ops.bmm(weights, v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, -1)
    weights = weights.reshape(bsz, num_heads, tgt_len, weights.shape[-1])
    if average:
        weights = weights.mean(dim=1)
    if not batched:
        return out.squeeze(1), weights.squeeze(0)
    return out, weights


__all__ = ["multi_head_attention_forward", "scaled_dot_product_attention"]
