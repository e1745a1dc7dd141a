"""nn.Transformer and its encoder/decoder stacks and layers against PyTorch (tests/references/nn/attention.json):
bit-exact default init after the same seed, then float64 outputs and gradients (eval mode, and training mode with
dropout drawn from the default generator), state_dict keys and reprs; plus masks, causal detection and training."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn.test_attention import REF, assert_init_matches, run_module_case
from trainer.nn.transformer import _detect_is_causal_mask

CASES = [c for c in REF["modules"] if not c["name"].startswith("mha")]

pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")  # PyTorch's notice, tested below


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_transformer_modules_match_pytorch(case: dict[str, Any]) -> None:
    run_module_case(case)


@pytest.mark.parametrize("case", [c for c in REF["init"] if c["name"] != "mha_bias_kv_kdim"],
                         ids=lambda c: c["name"])
def test_default_init_is_pytorchs(case: dict[str, Any]) -> None:
    assert_init_matches(case["spec"], case["seed"], case["state"], case["keys"])


def test_generate_square_subsequent_mask() -> None:
    for n, expected in REF["masks"].items():
        mask = nn.Transformer.generate_square_subsequent_mask(int(n))
        assert mask.dtype == trainer.float32
        np.testing.assert_array_equal(mask._array, expected)
    m64 = nn.Transformer.generate_square_subsequent_mask(2, dtype=trainer.float64)
    assert m64.dtype == trainer.float64
    np.testing.assert_array_equal(m64._array, REF["mask_float64"])
    assert nn.Transformer(8, 2, 1, 1, 16).generate_square_subsequent_mask(3).shape == (3, 3)


def test_causal_mask_detection() -> None:
    causal = nn.Transformer.generate_square_subsequent_mask(4)
    assert _detect_is_causal_mask(causal, None, 4)
    assert not _detect_is_causal_mask(causal, False, 4)
    assert not _detect_is_causal_mask(causal, None, 3)  # size mismatch
    assert not _detect_is_causal_mask(trainer.zeros(4, 4), None, 4)
    assert _detect_is_causal_mask(None, True)
    assert not _detect_is_causal_mask(None, None)


def test_encoder_clones_the_layer() -> None:
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = nn.TransformerEncoder(layer, 3)
    w = [lay.self_attn.in_proj_weight for lay in enc.layers]
    assert all(np.array_equal(w[0]._array, x._array) for x in w[1:])
    assert all(x is not layer.self_attn.in_proj_weight for x in w)
    with trainer.no_grad():
        w[0].add_(1.0)
    assert not np.array_equal(w[0]._array, w[1]._array)
    assert len(list(enc.parameters())) == 3 * len(list(layer.parameters()))


def test_nested_tensor_notice() -> None:
    with pytest.warns(UserWarning, match="self.use_nested_tensor is False because encoder_layer.norm_first was True"):
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, norm_first=True, batch_first=True), 1)
    assert enc.use_nested_tensor is False and enc.enable_nested_tensor is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, batch_first=True), 1).use_nested_tensor
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), 1, enable_nested_tensor=False)


def test_activation_choice() -> None:
    assert nn.TransformerEncoderLayer(4, 2).activation_relu_or_gelu == 1
    assert nn.TransformerEncoderLayer(4, 2, activation="gelu").activation is F.gelu
    assert nn.TransformerEncoderLayer(4, 2, activation=nn.GELU()).activation_relu_or_gelu == 2
    assert nn.TransformerEncoderLayer(4, 2, activation=F.tanh).activation_relu_or_gelu == 0
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerDecoderLayer(4, 2, activation="tanh")


def test_transformer_errors() -> None:
    model = nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        model(trainer.randn(5, 2, 8), trainer.randn(4, 3, 8))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
        model(trainer.randn(5, 2, 6), trainer.randn(4, 2, 6))


def test_unbatched_and_float32() -> None:
    model = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0).eval()
    src, tgt = trainer.randn(5, 8), trainer.randn(4, 8)
    out = model(src, tgt, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4))
    assert out.shape == (4, 8) and out.dtype == trainer.float32
    batched = model(src.unsqueeze(1), tgt.unsqueeze(1), tgt_mask=nn.Transformer.generate_square_subsequent_mask(4))
    np.testing.assert_allclose(out._array, batched._array[:, 0], rtol=1e-5, atol=1e-6)


def test_causal_hint_equals_the_mask() -> None:
    trainer.manual_seed(3)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), 2,
                                enable_nested_tensor=False).double()
    x = trainer.randn(2, 5, 8, dtype=trainer.float64)
    mask = nn.Transformer.generate_square_subsequent_mask(5, dtype=trainer.float64)
    a = enc(x, mask=mask)
    b = enc(x, mask=mask, is_causal=True)
    c = enc(x, mask=mask, is_causal=False)
    np.testing.assert_allclose(a._array, b._array, rtol=1e-12)
    np.testing.assert_allclose(a._array, c._array, rtol=1e-12)


def test_deepcopy_and_state_dict_round_trip() -> None:
    model = nn.Transformer(8, 2, 1, 1, 16)
    clone = copy.deepcopy(model)
    other = nn.Transformer(8, 2, 1, 1, 16)
    other.load_state_dict(clone.state_dict())
    for (k, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items(), strict=True):
        np.testing.assert_array_equal(a._array, b._array, err_msg=k)


def test_tiny_encoder_training_lowers_the_loss() -> None:
    trainer.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True), 2,
                                norm=nn.LayerNorm(8))
    head = nn.Linear(8, 1)
    opt = trainer.optim.Adam(list(enc.parameters()) + list(head.parameters()), lr=0.005)
    x = trainer.randn(32, 6, 8)
    y = x[:, :, 0].sum(dim=1, keepdim=True) * 0.5
    losses = []
    for _ in range(40):
        opt.zero_grad()
        loss = F.mse_loss(head(enc(x).mean(dim=1)), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.6 * np.mean(losses[:5])
