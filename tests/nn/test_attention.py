"""F.scaled_dot_product_attention and nn.MultiheadAttention against PyTorch (tests/references/nn/attention.json).

Module cases: the default float32 init after the same manual_seed must equal PyTorch's bit for bit; then the
float64 module (weights loaded with load_state_dict) must give PyTorch's outputs, attention weights, input and
parameter gradients, including dropout drawn from the default generator in training mode.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.reference_data import assert_close, load_reference

REF = load_reference("nn", "attention")
SDPA = REF["sdpa"]
MHA_CASES = [c for c in REF["modules"] if c["name"].startswith("mha")]


def build(spec: Any) -> Any:
    """A trainer module from the references' constructor spec (nested specs build nested modules)."""
    if isinstance(spec, dict) and "ctor" in spec:
        args = [build(a) for a in spec.get("args", [])]
        kwargs = {k: build(v) for k, v in spec.get("kwargs", {}).items()}
        return getattr(nn, spec["ctor"])(*args, **kwargs)
    return spec


def _quiet_build(spec: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TransformerEncoder's enable_nested_tensor notice
        return build(spec)


def assert_init_matches(spec: Any, seed: int, expected: dict[str, np.ndarray], keys: list[str]) -> nn.Module:
    """Default init after manual_seed(seed) equals PyTorch's state bit for bit (float32), keys in its order."""
    trainer.manual_seed(seed)
    module = _quiet_build(spec)
    state = module.state_dict()
    assert list(state) == keys
    for key, value in expected.items():
        assert state[key].dtype == trainer.float32, key
        np.testing.assert_array_equal(state[key]._array, value, err_msg=f"init of {key}")
    return module


def run_module_case(case: dict[str, Any]) -> None:
    """The whole module check of one reference case (init, keys, repr, forward, backward)."""
    name = case["name"]
    module = assert_init_matches(case["spec"], case["seed"], case["init_state"], case["keys"]).double()
    result = module.load_state_dict({k: trainer.tensor(v) for k, v in case["state"].items()})
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert list(module.state_dict()) == case["keys"]
    assert repr(module) == case["repr"]
    module.train(case["train"])
    grad_names = set(case["input_grads"])
    ts = {n: trainer.tensor(a, requires_grad=n in grad_names) for n, a in case["tensors"].items()}
    kwargs = {k: ts[v] if isinstance(v, str) else v for k, v in case["kwargs"].items()}
    if case["dropout_seed"] is not None:
        trainer.manual_seed(case["dropout_seed"])
    out = module(*(ts[a] for a in case["args"]), **kwargs)
    outs = list(out) if isinstance(out, tuple) else [out]
    assert len(outs) == len(case["outs"])
    for i, (o, e) in enumerate(zip(outs, case["outs"], strict=True)):
        if e is None:
            assert o is None, f"{name}: output {i} should be None"
        else:
            assert o.dtype == trainer.float64
            assert_close(o, e, what=f"{name} output {i}")
    if not case["backward"]:
        return
    loss = sum((o * trainer.tensor(g)).sum() for o, g in zip(outs, case["gouts"], strict=True) if o is not None)
    loss.backward()
    for n, expected in case["input_grads"].items():  # float masks too; None where PyTorch drops a causal mask
        if expected is None:
            assert ts[n].grad is None, f"{name}: {n} should get no gradient"
        else:
            assert_close(ts[n].grad, expected, what=f"{name} grad of input {n}")
    params = dict(module.named_parameters())
    assert set(params) == set(case["param_grads"])
    for n, expected in case["param_grads"].items():
        assert_close(params[n].grad, expected, what=f"{name} grad of {n}")


# ----- scaled_dot_product_attention ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", SDPA, ids=[c["name"] for c in SDPA])
def test_sdpa_matches_pytorch(case: dict[str, Any]) -> None:
    q, k, v = (trainer.tensor(case[n], requires_grad=True) for n in "qkv")
    m = case["mask"]
    mask = None if m is None else trainer.tensor(m, requires_grad=m.dtype == np.float64)
    if case["seed"] is not None:
        trainer.manual_seed(case["seed"])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, **case["kwargs"])
    assert_close(out, case["out"], what=f"{case['name']} output")
    out.backward(trainer.tensor(case["gout"]))
    for t, expected, n in zip((q, k, v), case["grads"], "qkv", strict=True):
        assert_close(t.grad, expected, what=f"{case['name']} grad of {n}")
    if case["mask_grad"] is not None:
        assert_close(mask.grad, case["mask_grad"], what=f"{case['name']} grad of the float mask")


def test_sdpa_fully_masked_rows_are_zero_with_zero_gradient() -> None:
    q = trainer.randn(1, 3, 4, dtype=trainer.float64, requires_grad=True)
    k = trainer.randn(1, 5, 4, dtype=trainer.float64)
    mask = trainer.ones(3, 5, dtype=trainer.bool)
    mask[1] = False
    out = F.scaled_dot_product_attention(q, k, k, attn_mask=mask)
    assert np.all(out._array[0, 1] == 0) and np.isfinite(out._array).all()
    out.sum().backward()
    assert np.all(q.grad._array[0, 1] == 0) and np.isfinite(q.grad._array).all()


def test_sdpa_float32_and_default_scale() -> None:
    q = trainer.randn(2, 3, 8)
    out = F.scaled_dot_product_attention(q, q, q)
    assert out.dtype == trainer.float32 and out.shape == (2, 3, 8)
    explicit = F.scaled_dot_product_attention(q, q, q, scale=1 / 8 ** 0.5)
    np.testing.assert_allclose(out._array, explicit._array, rtol=1e-6)


def test_sdpa_mask_dtypes_shapes_and_empty_sequences() -> None:
    q = trainer.randn(1, 2, 3, 4, dtype=trainer.float64)
    k = trainer.randn(1, 2, 5, 4, dtype=trainer.float64)
    out = F.scaled_dot_product_attention(q, k, k, attn_mask=trainer.zeros(3, 5))  # a float32 mask is accepted
    assert out.dtype == trainer.float64
    np.testing.assert_allclose(out._array, F.scaled_dot_product_attention(q, k, k)._array, rtol=1e-12)
    with pytest.raises(RuntimeError, match="attn_mask dtype"):  # ... a float64 one is not, for float32 inputs
        F.scaled_dot_product_attention(q.float(), k.float(), k.float(),
                                       attn_mask=trainer.zeros(3, 5, dtype=trainer.float64))
    with pytest.raises(RuntimeError, match="broadcast shape"):
        F.scaled_dot_product_attention(q[0], k[0], k[0], attn_mask=trainer.zeros(2, 2, 3, 5, dtype=trainer.float64))
    with pytest.raises(RuntimeError, match="not broadcastable"):
        F.scaled_dot_product_attention(q, k, k, attn_mask=trainer.zeros(4, 5, dtype=trainer.float64))
    empty_keys = trainer.zeros(1, 2, 0, 4, dtype=trainer.float64)
    qg = q.clone().requires_grad_()
    out = F.scaled_dot_product_attention(qg, empty_keys, empty_keys, is_causal=True)
    assert out.shape == (1, 2, 3, 4) and not out._array.any()
    out.sum().backward()
    assert qg.grad.shape == q.shape and not qg.grad._array.any()
    assert F.scaled_dot_product_attention(q[:, :, :0], k, k).shape == (1, 2, 0, 4)


def test_sdpa_errors() -> None:
    q = trainer.randn(1, 2, 3, 4, dtype=trainer.float64)
    with pytest.raises(RuntimeError, match="same dtype"):
        F.scaled_dot_product_attention(q, q.float(), q)
    with pytest.raises(RuntimeError, match="attn_mask dtype"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=trainer.zeros(3, 3, dtype=trainer.int64))
    with pytest.raises(RuntimeError, match="dropout probability"):
        F.scaled_dot_product_attention(q, q, q, dropout_p=1.5)
    with pytest.raises(RuntimeError, match="Explicit attn_mask"):  # the math path (3-D inputs) refuses both
        F.scaled_dot_product_attention(q[0], q[0], q[0], attn_mask=trainer.ones(3, 3, dtype=trainer.bool),
                                       is_causal=True)
    with pytest.raises(RuntimeError, match="Number of heads"):
        F.scaled_dot_product_attention(trainer.randn(1, 3, 2, 4), trainer.randn(1, 2, 2, 4),
                                       trainer.randn(1, 2, 2, 4), enable_gqa=True)


# ----- MultiheadAttention -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Support for mismatched")  # PyTorch warns the same for bool/float mask pairs
@pytest.mark.parametrize("case", MHA_CASES, ids=[c["name"] for c in MHA_CASES])
def test_multihead_attention_matches_pytorch(case: dict[str, Any]) -> None:
    run_module_case(case)


@pytest.mark.parametrize("case", REF["mha_functional"], ids=lambda c: c["name"])
def test_multi_head_attention_forward_matches_pytorch(case: dict[str, Any]) -> None:
    ts = {n: trainer.tensor(a, requires_grad=True) for n, a in case["arrays"].items()}
    out, weights = F.multi_head_attention_forward(
        ts["query"], ts["key"], ts["value"], case["embed_dim"], case["num_heads"], ts.get("in_proj_weight"),
        ts.get("in_proj_bias"), None, None, False, 0.0, ts["out_proj_weight"], ts.get("out_proj_bias"),
        q_proj_weight=ts.get("q_proj_weight"), k_proj_weight=ts.get("k_proj_weight"),
        v_proj_weight=ts.get("v_proj_weight"), static_k=ts.get("static_k"), static_v=ts.get("static_v"),
        **case["kwargs"])
    assert_close(out, case["out"], what="output")
    if case["weights"] is None:
        assert weights is None
    else:
        assert_close(weights, case["weights"], what="weights")
    loss = (out * trainer.tensor(case["gout"])).sum() + (0 if weights is None else weights.sum())
    loss.backward()
    assert set(ts) == set(case["grads"])
    for n, expected in case["grads"].items():  # None for key/value when static_k/static_v replace them
        if expected is None:
            assert ts[n].grad is None, n
        else:
            assert_close(ts[n].grad, expected, what=f"grad of {n}")


def test_default_init_is_pytorchs_for_separate_projections_and_bias_kv() -> None:
    case = next(c for c in REF["init"] if c["name"] == "mha_bias_kv_kdim")
    module = assert_init_matches(case["spec"], case["seed"], case["state"], case["keys"])
    assert module.in_proj_weight is None and module.q_proj_weight.shape == (8, 8)
    assert module.k_proj_weight.shape == (8, 3) and module.v_proj_weight.shape == (8, 5)


def test_attributes_and_parameters() -> None:
    m = nn.MultiheadAttention(8, 2, dropout=0.1, batch_first=True)
    assert (m.embed_dim, m.num_heads, m.head_dim, m.kdim, m.vdim, m.batch_first) == (8, 2, 4, 8, 8, True)
    assert m._qkv_same_embed_dim and m.bias_k is None and m.bias_v is None
    assert [n for n, _ in m.named_parameters()] == ["in_proj_weight", "in_proj_bias", "out_proj.weight",
                                                   "out_proj.bias"]
    assert type(m.out_proj).__name__ == "NonDynamicallyQuantizableLinear" and isinstance(m.out_proj, nn.Linear)
    assert np.all(m.in_proj_bias._array == 0) and np.all(m.out_proj.bias._array == 0)
    no_bias = nn.MultiheadAttention(8, 2, bias=False)
    assert no_bias.in_proj_bias is None and no_bias.out_proj.bias is None


def test_constructor_errors() -> None:
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(ValueError, match="greater than 0"):
        nn.MultiheadAttention(0, 2)


def test_forward_errors_and_warnings() -> None:
    m = nn.MultiheadAttention(4, 2)
    x = trainer.randn(3, 2, 4)
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 4"):
        m(trainer.randn(3, 2, 5), trainer.randn(3, 2, 5), trainer.randn(3, 2, 5))
    with pytest.raises(AssertionError, match="expected `key` and `value` to be 3-D"):
        m(x, x[0], x[0])
    with pytest.raises(RuntimeError, match="The shape of the 2D attn_mask"):
        m(x, x, x, attn_mask=trainer.zeros(2, 2))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        m(x, x, x, is_causal=True)
    with pytest.raises(AssertionError, match="only bool and floating types"):
        m(x, x, x, attn_mask=trainer.zeros(3, 3, dtype=trainer.int64))
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"):
        m(x, x, x, key_padding_mask=trainer.zeros(2, 3, dtype=trainer.bool), attn_mask=trainer.zeros(3, 3))


def test_float32_module_keeps_float32_and_need_weights_false_returns_none() -> None:
    m = nn.MultiheadAttention(4, 2, batch_first=True)
    x = trainer.randn(2, 3, 4)
    out, weights = m(x, x, x)
    assert out.dtype == trainer.float32 and weights.shape == (2, 3, 3)
    np.testing.assert_allclose(weights._array.sum(-1), 1, rtol=1e-6)
    out2, none = m(x, x, x, need_weights=False)
    assert none is None
    np.testing.assert_allclose(out._array, out2._array, rtol=1e-5, atol=1e-6)


def test_training_lowers_the_loss() -> None:
    trainer.manual_seed(0)
    attn = nn.MultiheadAttention(8, 2, batch_first=True)
    head = nn.Linear(8, 1)
    params = list(attn.parameters()) + list(head.parameters())
    opt = trainer.optim.Adam(params, lr=0.01)
    x = trainer.randn(16, 5, 8)
    y = x.sum(dim=(1, 2)).unsqueeze(-1) * 0.1
    losses = []
    for _ in range(60):
        opt.zero_grad()
        out, _ = attn(x, x, x, need_weights=False)
        loss = F.mse_loss(head(out.mean(dim=1)), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
