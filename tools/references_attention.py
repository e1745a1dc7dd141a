"""PyTorch reference values for attention: F.scaled_dot_product_attention, nn.MultiheadAttention and the
Transformer modules.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py attention
Writes tests/references/nn/attention.json with
- "sdpa": functional cases (float64 inputs, masks, options, output, upstream gradient, input gradients);
- "modules": module cases built from a JSON constructor spec (`{"ctor": name, "args": [...], "kwargs": {...}}`,
  nested specs build nested modules) after torch.manual_seed(seed): the default float32 initial state (for
  bit-exact init checks), the float64 state used for the forward pass (random values, so every parameter
  matters), the forward call (tensor arguments by name), outputs, and input and parameter gradients;
- "masks": Transformer.generate_square_subsequent_mask values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import write_json

AREA = "nn"


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _normal(seed: int, *shape: int) -> np.ndarray:
    return _rng(seed).standard_normal(shape)


# ----- scaled_dot_product_attention ---------------------------------------------------------------------------


def _sdpa_case(name: str, q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None,
               seed: int | None = None, **kwargs: Any) -> dict[str, Any]:
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    tm = None if mask is None else torch.tensor(mask, requires_grad=mask.dtype == np.float64)
    if seed is not None:
        torch.manual_seed(seed)
    out = F.scaled_dot_product_attention(tq, tk, tv, attn_mask=tm, **kwargs)
    gout = _normal(len(name) + 1000, *out.shape)
    out.backward(torch.tensor(gout))
    return {"name": name, "q": q, "k": k, "v": v, "mask": mask, "kwargs": kwargs, "seed": seed, "out": out,
            "gout": gout, "grads": [tq.grad, tk.grad, tv.grad],
            "mask_grad": None if tm is None else tm.grad}


def sdpa_cases() -> list[dict[str, Any]]:
    q, k, v = _normal(1, 2, 2, 3, 4), _normal(2, 2, 2, 5, 4), _normal(3, 2, 2, 5, 4)
    bool_mask = _rng(4).random((3, 5)) > 0.4
    bool_mask[:, 0] = True
    dead_row = bool_mask.copy()
    dead_row[1] = False
    float_mask = _normal(5, 2, 1, 3, 5)
    float_mask[0, 0, 2, 1:3] = -np.inf
    float_dead = np.zeros((3, 5))
    float_dead[2] = -np.inf
    qs, ks, vs = _normal(6, 2, 4, 4), _normal(7, 2, 4, 4), _normal(8, 2, 4, 3)
    return [
        _sdpa_case("plain", q, k, v),
        _sdpa_case("bool_mask", q, k, v, bool_mask),
        _sdpa_case("bool_mask_dead_row", q, k, v, dead_row),
        _sdpa_case("float_mask_broadcast", q, k, v, float_mask),
        _sdpa_case("float_mask_dead_row", q, k, v, float_dead),
        _sdpa_case("causal_square", qs, ks, _normal(9, 2, 4, 4), is_causal=True),
        _sdpa_case("causal_rect", q, k, v, is_causal=True),
        _sdpa_case("causal_and_mask", q, k, v, bool_mask, is_causal=True),
        _sdpa_case("scale", q, k, v, scale=0.3),
        _sdpa_case("negative_scale", q, k, v, scale=-0.7),
        _sdpa_case("three_d_value_dim", qs, ks, vs, _rng(10).random((4, 4)) > 0.3),
        _sdpa_case("gqa", _normal(11, 1, 4, 3, 4), _normal(12, 1, 2, 5, 4), _normal(13, 1, 2, 5, 4),
                   enable_gqa=True),
        _sdpa_case("broadcast_heads", q, k[:, :1], v[:, :1]),
        _sdpa_case("dropout", q, k, v, bool_mask, seed=3, dropout_p=0.3),
    ]


# ----- modules ------------------------------------------------------------------------------------------------


def build(spec: Any) -> Any:
    """A module from a constructor spec; other values are returned as they are."""
    if isinstance(spec, dict) and "ctor" in spec:
        args = [build(a) for a in spec.get("args", [])]
        kwargs = {k: build(v) for k, v in spec.get("kwargs", {}).items()}
        return getattr(tnn, spec["ctor"])(*args, **kwargs)
    return spec


def _module_case(name: str, spec: dict[str, Any], tensors: dict[str, np.ndarray], args: list[str],
                 kwargs: dict[str, Any] | None = None, train: bool = False, seed: int = 0,
                 dropout_seed: int | None = None, backward: bool = True) -> dict[str, Any]:
    """Default init after manual_seed(seed) (float32), then a float64 forward/backward with random parameters.

    In `kwargs`, string values name entries of `tensors`; `args` are names too. Float tensors get gradients.
    """
    kwargs = kwargs or {}
    torch.manual_seed(seed)
    module = build(spec)
    init_state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
    module = module.double()
    rng = _rng(seed + 77)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(rng.uniform(-0.6, 0.6, tuple(p.shape))))
    state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
    module.train(train)
    grad_names = [n for n, a in tensors.items() if a.dtype == np.float64 and (n in args or n in kwargs.values())]
    ts = {n: torch.tensor(a, requires_grad=n in grad_names) for n, a in tensors.items()}
    call_kwargs = {k: ts[v] if isinstance(v, str) else v for k, v in kwargs.items()}
    if dropout_seed is not None:
        torch.manual_seed(dropout_seed)
    out = module(*(ts[a] for a in args), **call_kwargs)
    outs = list(out) if isinstance(out, tuple) else [out]
    gouts = [None if o is None else _normal(seed + 300 + i, *o.shape) for i, o in enumerate(outs)]
    result = {"name": name, "spec": spec, "seed": seed, "tensors": tensors, "args": args, "kwargs": kwargs,
              "train": train, "dropout_seed": dropout_seed, "init_state": init_state, "state": state,
              "keys": list(state), "repr": repr(module), "outs": outs, "gouts": gouts, "backward": backward,
              "input_grads": {}, "param_grads": {}}
    if backward:
        loss = sum((o * torch.tensor(g)).sum() for o, g in zip(outs, gouts, strict=True) if o is not None)
        loss.backward()
        result["input_grads"] = {n: ts[n].grad for n in grad_names}
        result["param_grads"] = {k: p.grad for k, p in module.named_parameters()}
    return result


def _mha(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return {"ctor": "MultiheadAttention", "args": list(args), "kwargs": kwargs}


def _bool(seed: int, *shape: int, p: float = 0.3) -> np.ndarray:
    return _rng(seed).random(shape) < p


def mha_cases() -> list[dict[str, Any]]:
    L, S, N, E = 3, 4, 2, 6
    x = {"x": _normal(20, L, N, E)}
    cross = {"q": _normal(21, L, N, E), "m": _normal(22, S, N, E)}
    qkv = {"q": _normal(23, L, N, E), "k": _normal(24, S, N, E), "v": _normal(25, S, N, E)}
    kpm = _bool(26, N, S)
    kpm[:, 0] = False
    am2 = _bool(27, L, S)
    am2[:, :2] = False  # no row is masked out entirely (key 0 is never padded either)
    am3 = _normal(28, N * 2, L, S)
    kpm_x = _bool(29, N, L)
    kpm_x[:, 0] = False
    dead = np.zeros((N, S), bool)
    dead[1] = True
    causal = np.triu(np.ones((L, L), bool), 1)
    return [
        _module_case("mha_self", _mha(E, 2), x, ["x", "x", "x"]),
        _module_case("mha_self_batch_first", _mha(E, 3, batch_first=True), {"x": _normal(30, N, L, E)},
                     ["x", "x", "x"], seed=1),
        _module_case("mha_cross", _mha(E, 2), cross, ["q", "m", "m"], seed=2),
        _module_case("mha_qkv", _mha(E, 2), qkv, ["q", "k", "v"], seed=3),
        _module_case("mha_kdim_vdim", _mha(E, 2, kdim=5, vdim=3),
                     {"q": _normal(31, L, N, E), "k": _normal(32, S, N, 5), "v": _normal(33, S, N, 3)},
                     ["q", "k", "v"], seed=4),
        _module_case("mha_kdim_vdim_batch_first", _mha(E, 3, kdim=4, vdim=4, batch_first=True),
                     {"q": _normal(34, N, L, E), "m": _normal(35, N, S, 4)}, ["q", "m", "m"], seed=5),
        _module_case("mha_bias_kv", _mha(E, 2, add_bias_kv=True), {**cross, "kpm": kpm, "am": am2},
                     ["q", "m", "m"], {"key_padding_mask": "kpm", "attn_mask": "am"}, seed=6),
        _module_case("mha_zero_attn", _mha(E, 2, add_zero_attn=True), {**cross, "am": am3},
                     ["q", "m", "m"], {"attn_mask": "am"}, seed=7),
        _module_case("mha_bias_kv_zero_attn_no_weights", _mha(E, 2, add_bias_kv=True, add_zero_attn=True),
                     {**cross, "kpm": kpm}, ["q", "m", "m"], {"key_padding_mask": "kpm", "need_weights": False},
                     seed=8),
        _module_case("mha_key_padding_bool", _mha(E, 2), {**cross, "kpm": kpm}, ["q", "m", "m"],
                     {"key_padding_mask": "kpm"}, seed=9),
        _module_case("mha_key_padding_float", _mha(E, 2), {**cross, "kpm": _normal(36, N, S)}, ["q", "m", "m"],
                     {"key_padding_mask": "kpm"}, seed=10),
        _module_case("mha_attn_mask_2d_and_padding", _mha(E, 2), {**cross, "kpm": kpm, "am": am2},
                     ["q", "m", "m"], {"key_padding_mask": "kpm", "attn_mask": "am"}, seed=11),
        _module_case("mha_attn_mask_3d_float", _mha(E, 2), {**cross, "am": am3}, ["q", "m", "m"],
                     {"attn_mask": "am"}, seed=12),
        _module_case("mha_no_weights_masks", _mha(E, 2), {**cross, "kpm": kpm, "am": am3}, ["q", "m", "m"],
                     {"key_padding_mask": "kpm", "attn_mask": "am", "need_weights": False}, seed=13),
        _module_case("mha_per_head_weights", _mha(E, 3), {**cross, "am": am2}, ["q", "m", "m"],
                     {"attn_mask": "am", "average_attn_weights": False}, seed=14),
        _module_case("mha_unbatched", _mha(E, 2), {"q": _normal(37, L, E), "m": _normal(38, S, E),
                                                    "kpm": kpm[0], "am": _normal(39, 2, L, S)},
                     ["q", "m", "m"], {"key_padding_mask": "kpm", "attn_mask": "am"}, seed=15),
        _module_case("mha_unbatched_no_weights", _mha(E, 2, batch_first=True),
                     {"q": _normal(40, L, E), "m": _normal(41, S, E)}, ["q", "m", "m"], {"need_weights": False},
                     seed=16),
        _module_case("mha_no_bias", _mha(E, 2, bias=False), x, ["x", "x", "x"], seed=17),
        _module_case("mha_causal_hint", _mha(E, 2), {**x, "am": causal}, ["x", "x", "x"],
                     {"attn_mask": "am", "is_causal": True, "need_weights": False}, seed=18),
        _module_case("mha_causal_hint_with_weights", _mha(E, 2), {**x, "am": causal, "kpm": kpm_x},
                     ["x", "x", "x"], {"attn_mask": "am", "is_causal": True, "key_padding_mask": "kpm"}, seed=19),
        _module_case("mha_causal_hint_weights_use_the_mask", _mha(E, 2), {**x, "am": causal}, ["x", "x", "x"],
                     {"attn_mask": "am", "is_causal": True}, seed=24),
        _module_case("mha_dead_rows_weights_nan", _mha(E, 2), {**cross, "kpm": dead}, ["q", "m", "m"],
                     {"key_padding_mask": "kpm"}, seed=20, backward=False),
        _module_case("mha_dead_rows_no_weights_zero", _mha(E, 2), {**cross, "kpm": dead}, ["q", "m", "m"],
                     {"key_padding_mask": "kpm", "need_weights": False}, seed=21),
        _module_case("mha_dropout_weights", _mha(E, 2, dropout=0.4), {**cross, "am": am2}, ["q", "m", "m"],
                     {"attn_mask": "am"}, train=True, seed=22, dropout_seed=5),
        _module_case("mha_dropout_no_weights", _mha(E, 2, dropout=0.4), cross, ["q", "m", "m"],
                     {"need_weights": False}, train=True, seed=23, dropout_seed=6),
    ]


def mha_functional_cases() -> list[dict[str, Any]]:
    """F.multi_head_attention_forward called directly: static keys/values, separate projections, no biases."""
    L, S, N, E, H = 3, 4, 2, 6, 2
    cases = []
    for i, options in enumerate([
        {"static": True},
        {"separate": True, "need_weights": False},
        {"no_bias": True, "average_attn_weights": False},
    ]):
        r = _rng(90 + i)
        arrays = {"query": r.standard_normal((L, N, E)), "key": r.standard_normal((S, N, E)),
                  "value": r.standard_normal((S, N, E)), "out_proj_weight": r.standard_normal((E, E)) * 0.4}
        if not options.get("no_bias"):
            arrays["in_proj_bias"] = r.standard_normal(3 * E) * 0.3
            arrays["out_proj_bias"] = r.standard_normal(E) * 0.3
        if options.get("separate"):
            for n in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                arrays[n] = r.standard_normal((E, E)) * 0.4
        else:
            arrays["in_proj_weight"] = r.standard_normal((3 * E, E)) * 0.4
        if options.get("static"):
            arrays["static_k"] = r.standard_normal((N * H, S + 1, E // H))
            arrays["static_v"] = r.standard_normal((N * H, S + 1, E // H))
        ts = {n: torch.tensor(a, requires_grad=True) for n, a in arrays.items()}
        kwargs = {"need_weights": options.get("need_weights", True),
                  "average_attn_weights": options.get("average_attn_weights", True),
                  "use_separate_proj_weight": bool(options.get("separate")), "training": False}
        out, weights = F.multi_head_attention_forward(
            ts["query"], ts["key"], ts["value"], E, H, ts.get("in_proj_weight"), ts.get("in_proj_bias"), None, None,
            False, 0.0, ts["out_proj_weight"], ts.get("out_proj_bias"), q_proj_weight=ts.get("q_proj_weight"),
            k_proj_weight=ts.get("k_proj_weight"), v_proj_weight=ts.get("v_proj_weight"),
            static_k=ts.get("static_k"), static_v=ts.get("static_v"), **kwargs)
        gout = _normal(95 + i, *out.shape)
        loss = (out * torch.tensor(gout)).sum() + (0 if weights is None else weights.sum())
        loss.backward()
        cases.append({"name": f"functional_{i}", "arrays": arrays, "kwargs": kwargs, "embed_dim": E, "num_heads": H,
                      "out": out, "weights": weights, "gout": gout, "grads": {n: t.grad for n, t in ts.items()}})
    return cases


def _enc_layer(**kwargs: Any) -> dict[str, Any]:
    return {"ctor": "TransformerEncoderLayer", "args": [6, 2], "kwargs": {"dim_feedforward": 10, **kwargs}}


def _dec_layer(**kwargs: Any) -> dict[str, Any]:
    return {"ctor": "TransformerDecoderLayer", "args": [6, 2], "kwargs": {"dim_feedforward": 10, **kwargs}}


def transformer_cases() -> list[dict[str, Any]]:
    L, S, N, E = 4, 5, 2, 6
    src = {"src": _normal(50, S, N, E)}
    kpm = _bool(51, N, S)
    kpm[:, 0] = False
    causal_float = np.triu(np.full((L, L), -np.inf), 1)
    causal_s = np.triu(np.full((S, S), -np.inf), 1)
    tgt = {"tgt": _normal(52, L, N, E), "mem": _normal(53, S, N, E)}
    enc2 = {"ctor": "TransformerEncoder", "args": [_enc_layer(dropout=0.0), 2],
            "kwargs": {"norm": {"ctor": "LayerNorm", "args": [E]}}}
    dec2 = {"ctor": "TransformerDecoder", "args": [_dec_layer(dropout=0.0, norm_first=True), 2]}
    small = {"ctor": "Transformer", "kwargs": {"d_model": E, "nhead": 2, "num_encoder_layers": 2,
                                                "num_decoder_layers": 2, "dim_feedforward": 10}}
    return [
        _module_case("enc_layer", _enc_layer(), src, ["src"], seed=30),
        _module_case("enc_layer_masks", _enc_layer(), {**src, "kpm": kpm, "am": _bool(54, S, S, p=0.2)}, ["src"],
                     {"src_mask": "am", "src_key_padding_mask": "kpm"}, seed=31),
        _module_case("enc_layer_norm_first_gelu", _enc_layer(norm_first=True, activation="gelu"),
                     {**src, "am": causal_s}, ["src"], {"src_mask": "am", "is_causal": True}, seed=32),
        _module_case("enc_layer_batch_first_no_bias", _enc_layer(batch_first=True, bias=False, layer_norm_eps=1e-3),
                     {"src": _normal(55, N, S, E), "kpm": kpm}, ["src"], {"src_key_padding_mask": "kpm"}, seed=33),
        _module_case("enc_layer_gelu_module", _enc_layer(activation={"ctor": "GELU", "args": ["tanh"]}), src,
                     ["src"], seed=34),
        _module_case("enc_layer_train_dropout", _enc_layer(dropout=0.3), src, ["src"], train=True, seed=35,
                     dropout_seed=7),
        _module_case("dec_layer", _dec_layer(), {**tgt, "tm": causal_float, "mkpm": kpm}, ["tgt", "mem"],
                     {"tgt_mask": "tm", "memory_key_padding_mask": "mkpm"}, seed=36),
        _module_case("dec_layer_norm_first_gelu_batch_first", _dec_layer(norm_first=True, activation="gelu",
                                                                         batch_first=True),
                     {"tgt": _normal(56, N, L, E), "mem": _normal(57, N, S, E), "tm": causal_float,
                      "mm": _bool(58, L, S, p=0.2)},
                     ["tgt", "mem"], {"tgt_mask": "tm", "memory_mask": "mm", "tgt_is_causal": True}, seed=37),
        _module_case("dec_layer_train_dropout", _dec_layer(dropout=0.2), tgt, ["tgt", "mem"], train=True, seed=38,
                     dropout_seed=8),
        _module_case("encoder_2_layers", enc2, {**src, "am": causal_s}, ["src"], {"mask": "am"}, seed=39),
        _module_case("encoder_2_layers_padding", enc2, {**src, "kpm": kpm}, ["src"],
                     {"src_key_padding_mask": "kpm"}, seed=40),
        _module_case("decoder_2_layers", dec2, {**tgt, "tm": causal_float}, ["tgt", "mem"], {"tgt_mask": "tm"},
                     seed=41),
        _module_case("transformer_small", small,
                     {"src": _normal(59, S, N, E), "tgt": _normal(60, L, N, E), "tm": causal_float, "skpm": kpm,
                      "mkpm": kpm},
                     ["src", "tgt"], {"tgt_mask": "tm", "src_key_padding_mask": "skpm",
                                      "memory_key_padding_mask": "mkpm"}, seed=42),
        _module_case("transformer_batch_first_norm_first", {"ctor": "Transformer", "kwargs": {
                         **small["kwargs"], "batch_first": True, "norm_first": True, "activation": "gelu",
                         "num_encoder_layers": 1}},
                     {"src": _normal(61, N, S, E), "tgt": _normal(62, N, L, E)}, ["src", "tgt"], seed=43),
    ]


def init_cases() -> list[dict[str, Any]]:
    """Default float32 initial states of larger modules (bit-exact init checks only)."""
    specs = [
        ("transformer_default_sizes_small", {"ctor": "Transformer", "kwargs": {
            "d_model": 16, "nhead": 4, "num_encoder_layers": 2, "num_decoder_layers": 1, "dim_feedforward": 32}}, 0),
        ("mha_bias_kv_kdim", _mha(8, 4, add_bias_kv=True, kdim=3, vdim=5), 1),
        ("encoder_3_layers", {"ctor": "TransformerEncoder", "args": [_enc_layer(), 3]}, 2),
    ]
    out = []
    for name, spec, seed in specs:
        torch.manual_seed(seed)
        module = build(spec)
        state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
        out.append({"name": name, "spec": spec, "seed": seed, "state": state, "keys": list(state)})
    return out


def main(out_dir: Path) -> None:
    masks = {str(n): tnn.Transformer.generate_square_subsequent_mask(n) for n in (1, 3)}
    payload = {"sdpa": sdpa_cases(), "mha_functional": mha_functional_cases(),
               "modules": mha_cases() + transformer_cases(), "init": init_cases(), "masks": masks,
               "mask_float64": tnn.Transformer.generate_square_subsequent_mask(2, dtype=torch.float64)}
    write_json(out_dir / "attention.json", payload)
