"""`MultiheadAttention`: PyTorch's parameters, initialisation order and forward (its slow path)."""

from __future__ import annotations

from typing import Any

from ..autograd.tensor import Tensor
from . import init
from ._factory import empty_parameter, layer_dtype
from .functional.attention import _canonical_mask, _none_or_dtype, multi_head_attention_forward
from .linear import Linear
from .module import Module


class NonDynamicallyQuantizableLinear(Linear):
    """A `Linear` under another name (PyTorch's class for `MultiheadAttention.out_proj`, kept for its repr)."""


class MultiheadAttention(Module):
    """Attention over `num_heads` heads of size embed_dim // num_heads (Vaswani et al.).

    Parameters as PyTorch names them: `in_proj_weight` (3E, E) packing q, k and v, or `q_proj_weight`,
    `k_proj_weight`, `v_proj_weight` when `kdim`/`vdim` differ from `embed_dim`; `in_proj_bias` (3E); `out_proj`;
    `bias_k`/`bias_v` (1, 1, E) with `add_bias_kv`. Initialised as PyTorch does, in its order: out_proj's Linear
    init, then xavier_uniform_ on the projections, zero biases, xavier_normal_ on bias_k/bias_v.
    Inputs are (L, N, E) (or (N, L, E) with `batch_first`), or unbatched (L, E).
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        super().__init__()
        d = layer_dtype(dtype, device, "MultiheadAttention")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = empty_parameter((3 * embed_dim, embed_dim), d)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = empty_parameter((embed_dim, embed_dim), d)
            self.k_proj_weight = empty_parameter((embed_dim, self.kdim), d)
            self.v_proj_weight = empty_parameter((embed_dim, self.vdim), d)
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = empty_parameter((3 * embed_dim,), d)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=d)
        if add_bias_kv:
            self.bias_k = empty_parameter((1, 1, embed_dim), d)
            self.bias_v = empty_parameter((1, 1, embed_dim), d)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """(attn_output, attn_weights or None); boolean masks mark the positions that are masked out."""
        batched = query.ndim == 3
        dtype = query._array.dtype
        key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask),
                                           "attn_mask", dtype)
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", dtype, check_other=False)
        if self.batch_first and batched:
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query = query.transpose(1, 0)
                    key = value = key.transpose(1, 0)
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=separate, q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal)
        if self.batch_first and batched:
            return out.transpose(1, 0), weights
        return out, weights


__all__ = ["MultiheadAttention"]
