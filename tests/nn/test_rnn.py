"""trainer.nn's recurrent layers and trainer.nn.utils.rnn against PyTorch (tests/references/nn/rnn.json, made by
tools/references_rnn.py): default init bit for bit after the same seed, then in float64 with torch's weights the
outputs, hidden states and gradients, packed sequences, dropout between layers, reprs and error messages."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from tests.reference_data import assert_close, load_reference
from trainer.nn.utils import rnn as rnn_utils

REF = load_reference("nn", "rnn")
CASES = REF["modules"] + REF["cells"]


def _flat(result: Any) -> list[trainer.Tensor]:
    if isinstance(result, trainer.Tensor):
        return [result]
    if isinstance(result, rnn_utils.PackedSequence):
        return [result.data]
    items: list[trainer.Tensor] = []
    for r in result:
        items += _flat(r)
    return items


def _state(hx: Any) -> Any:
    if hx is None:
        return None
    if isinstance(hx, list):
        return tuple(trainer.tensor(h, requires_grad=True) for h in hx)
    return trainer.tensor(hx, requires_grad=True)


def _build(case: dict[str, Any]) -> nn.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(nn, case["ctor"])(**case["kwargs"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_default_init_is_pytorchs(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    module = _build(case)
    state = module.state_dict()
    assert list(state) == case["keys"]
    for name, expected in case["state"].items():
        assert state[name].dtype == trainer.float32
        np.testing.assert_array_equal(state[name]._array, expected, err_msg=name)
    assert repr(module) == case["repr"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_forward_backward_match_pytorch(case: dict[str, Any]) -> None:
    module = _build(case).double()
    module.load_state_dict(case["state"])
    module.train(case["train"])
    x = trainer.tensor(case["input"], requires_grad=True)
    hx = _state(case["hx"])
    packed = case["packed"]
    model_input: Any = x
    if packed is not None:
        model_input = rnn_utils.pack_padded_sequence(x, packed["lengths"], batch_first=module.batch_first,
                                                     enforce_sorted=packed["enforce_sorted"])
    if case["forward_seed"] is not None:
        trainer.manual_seed(case["forward_seed"])
    result = module(model_input) if hx is None else module(model_input, hx)
    outs = _flat(result)
    assert len(outs) == len(case["outs"])
    for i, (out, expected) in enumerate(zip(outs, case["outs"])):
        assert out.dtype == trainer.float64
        assert_close(out, expected, what=f"{case['name']} output {i}")
    loss = sum((o * trainer.tensor(g)).sum() for o, g in zip(outs, case["gouts"]))
    loss.backward()
    assert_close(x.grad, case["input_grad"], what=f"{case['name']} input grad")
    if hx is not None:
        grads = [h.grad for h in hx] if isinstance(hx, tuple) else [hx.grad]
        expected = case["hx_grad"] if isinstance(hx, tuple) else [case["hx_grad"]]
        for g, e in zip(grads, expected):
            assert_close(g, e, what=f"{case['name']} hx grad")
    for name, p in module.named_parameters():
        assert_close(p.grad, case["param_grads"][name], what=f"{case['name']} grad of {name}")
    if packed is not None:
        out_packed = result[0]
        assert isinstance(out_packed, rnn_utils.PackedSequence)
        np.testing.assert_array_equal(out_packed.batch_sizes._array, case["batch_sizes"])
        for key in ("sorted_indices", "unsorted_indices"):
            got = getattr(out_packed, key)
            if case[key] is None:
                assert got is None
            else:
                np.testing.assert_array_equal(got._array, case[key])
        padded, lengths = rnn_utils.pad_packed_sequence(out_packed, batch_first=module.batch_first)
        assert_close(padded, case["padded_out"], what=f"{case['name']} padded output")
        np.testing.assert_array_equal(lengths._array, case["lengths"])
        assert lengths.dtype == trainer.int64


@pytest.mark.parametrize("ref", REF["reprs"], ids=[r["repr"] for r in REF["reprs"]])
def test_repr(ref: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert repr(getattr(nn, ref["ctor"])(**ref["kwargs"])) == ref["repr"]


@pytest.mark.parametrize("ref", REF["ctor_errors"], ids=[r["error"]["message"][:40] for r in REF["ctor_errors"]])
def test_constructor_errors(ref: dict[str, Any]) -> None:
    error = {"ValueError": ValueError, "TypeError": TypeError, "RuntimeError": RuntimeError}[ref["error"]["type"]]
    with pytest.raises(error) as info:
        getattr(nn, ref["ctor"])(**ref["kwargs"])
    assert str(info.value) == ref["error"]["message"]


def _zeros_state(shapes: Any) -> Any:
    if shapes is None:
        return None
    if isinstance(shapes[0], list):
        return tuple(trainer.zeros(*s) for s in shapes)
    return trainer.zeros(*shapes)


@pytest.mark.parametrize("ref", REF["forward_errors"], ids=[r["error"]["message"][:50] for r in REF["forward_errors"]])
def test_forward_errors(ref: dict[str, Any]) -> None:
    module = getattr(nn, ref["ctor"])(**ref["kwargs"])
    x = trainer.zeros(*ref["input_shape"])
    hx = _zeros_state(ref["hx_shapes"])
    error = {"ValueError": ValueError, "RuntimeError": RuntimeError}[ref["error"]["type"]]
    with pytest.raises(error) as info:
        module(x) if hx is None else module(x, hx)
    assert str(info.value) == ref["error"]["message"]


def test_dtype_mismatch_message() -> None:
    lstm = nn.LSTM(3, 4)
    with pytest.raises(ValueError, match=r"RNN input dtype \(torch.float64\) does not match weight dtype "
                                         r"\(torch.float32\)"):
        lstm(trainer.zeros(2, 1, 3, dtype=trainer.float64))


def test_dropout_with_one_layer_warns() -> None:
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(3, 4, dropout=0.5)


def test_parameters_all_weights_and_flatten() -> None:
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    names = [n for n, _ in lstm.named_parameters()]
    assert names[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]
    assert names[5] == "weight_ih_l0_reverse" and names[-1] == "weight_hr_l1_reverse"
    assert lstm.weight_ih_l1.shape == (16, 4) and lstm.weight_hh_l0.shape == (16, 2)
    assert lstm.weight_hr_l0.shape == (2, 4)
    assert len(lstm.all_weights) == 4 and lstm.all_weights[1][0] is lstm.weight_ih_l0_reverse
    assert lstm.flatten_parameters() is None
    gru = nn.GRU(3, 4, bias=False)
    assert [n for n, _ in gru.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    cell = nn.LSTMCell(3, 4, bias=False)
    assert cell.bias_ih is None and [n for n, _ in cell.named_parameters()] == ["weight_ih", "weight_hh"]
    rnn = nn.RNN(3, 4, 1, "relu", False)  # nonlinearity as the fourth positional argument
    assert rnn.nonlinearity == "relu" and rnn.bias is False and rnn.mode == "RNN_RELU"


def test_grad_fn_of_outputs_and_eval_dropout_is_deterministic() -> None:
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5).eval()
    x = trainer.randn(5, 2, 3)
    a, _ = gru(x)
    b, _ = gru(x)
    np.testing.assert_array_equal(a._array, b._array)
    assert a.requires_grad


# ----- nn.utils.rnn ---------------------------------------------------------------------------------------------

UTILS = REF["utils"]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(batch_first: bool, side: str) -> None:
    ref = UTILS[f"pad_sequence_{batch_first}_{side}"]
    seqs = [trainer.tensor(s, requires_grad=True) for s in UTILS["sequences"]]
    out = rnn_utils.pad_sequence(seqs, batch_first=batch_first, padding_value=-1.5, padding_side=side)
    assert_close(out, ref["out"], what="pad_sequence")
    (out * trainer.tensor(ref["w"])).sum().backward()
    for s, g in zip(seqs, ref["grads"]):
        assert_close(s.grad, g, what="pad_sequence grad")


def test_pad_sequence_keeps_integer_dtype() -> None:
    ref = UTILS["pad_sequence_int"]
    out = rnn_utils.pad_sequence([trainer.tensor(s) for s in ref["sequences"]], batch_first=True, padding_value=-1)
    assert out.dtype == trainer.int64
    np.testing.assert_array_equal(out._array, ref["out"])


def test_pack_sequence_unsorted_and_back() -> None:
    ref = UTILS["pack_sequence"]
    seqs = [trainer.tensor(s, requires_grad=True) for s in UTILS["sequences"]]
    packed = rnn_utils.pack_sequence(seqs, enforce_sorted=False)
    assert_close(packed.data, ref["data"], what="packed data")
    for key in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        assert getattr(packed, key).dtype == trainer.int64
        np.testing.assert_array_equal(getattr(packed, key)._array, ref[key])
    (packed.data * trainer.tensor(ref["w"])).sum().backward()
    for s, g in zip(seqs, ref["grads"]):
        assert_close(s.grad, g, what="pack grad")
    padded, lengths = rnn_utils.pad_packed_sequence(packed, batch_first=True, padding_value=2.0, total_length=7)
    assert_close(padded, ref["padded"], what="pad_packed_sequence")
    np.testing.assert_array_equal(lengths._array, ref["lengths"])
    for piece, expected in zip(rnn_utils.unpack_sequence(packed), ref["unpacked"], strict=True):
        assert_close(piece, expected, what="unpack_sequence")
    data, batch_sizes, sorted_indices, unsorted_indices = packed  # a named tuple, as in PyTorch
    assert data is packed.data and repr(packed).startswith("PackedSequence(data=tensor(")


def test_unpad_sequence_transposes_a_time_major_batch_in_place() -> None:
    ref = UTILS["unpad_sequence"]
    padded = rnn_utils.pad_sequence([trainer.tensor(s) for s in UTILS["sequences"]])
    pieces = rnn_utils.unpad_sequence(padded, trainer.tensor([3, 5, 1, 4]))
    for piece, expected in zip(pieces, ref["pieces"], strict=True):
        assert_close(piece, expected, what="unpad_sequence")
    assert list(padded.shape) == ref["shape_after"]


@pytest.mark.parametrize("key", sorted(UTILS["pack_errors"]))
def test_packing_errors(key: str) -> None:
    ref = UTILS["pack_errors"][key]
    x = trainer.zeros(4, 3, 2)
    calls = {
        "unsorted": lambda: rnn_utils.pack_padded_sequence(x, [2, 3, 1]),
        "zero": lambda: rnn_utils.pack_padded_sequence(x, [3, 2, 0]),
        "count": lambda: rnn_utils.pack_padded_sequence(x, [3, 2]),
        "negative_unsorted": lambda: rnn_utils.pack_padded_sequence(x, [3, -1, 2], enforce_sorted=False),
        "empty_list": lambda: rnn_utils.pad_sequence([]),
        "side": lambda: rnn_utils.pad_sequence([trainer.ones(2)], padding_side="top"),
        "not_iterable": lambda: rnn_utils.pad_sequence(3),
        "total_length": lambda: rnn_utils.pad_packed_sequence(rnn_utils.pack_padded_sequence(x, [3, 2, 1]),
                                                              total_length=2),
    }
    error = {"ValueError": ValueError, "RuntimeError": RuntimeError}[ref["type"]]
    with pytest.raises(error) as info:
        calls[key]()
    assert str(info.value) == ref["message"]


def test_utils_rnn_is_an_attribute_of_nn_utils() -> None:
    assert nn.utils.rnn.pad_sequence is rnn_utils.pad_sequence
    assert "rnn" in nn.utils.__all__


# ----- training -------------------------------------------------------------------------------------------------


def test_lstm_learns_to_recall_the_first_element() -> None:
    """A toy task: the sign of the first step of a noisy sequence, read from h_n after 6 steps."""
    trainer.manual_seed(0)
    lstm = nn.LSTM(1, 8, batch_first=True)
    head = nn.Linear(8, 1)
    params = [*lstm.parameters(), *head.parameters()]
    opt = trainer.optim.Adam(params, lr=0.05)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(120):
        x = rng.standard_normal((32, 6, 1)).astype(np.float32)
        y = (x[:, 0, 0] > 0).astype(np.float32)[:, None]
        _, (h, _) = lstm(trainer.tensor(x))
        loss = nn.functional.binary_cross_entropy_with_logits(head(h[-1]), trainer.tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < 0.4 * np.mean(losses[:10])


def test_packed_sequence_conversions_and_checks() -> None:
    packed = rnn_utils.pack_sequence([trainer.randn(3, 2), trainer.randn(2, 2)])
    assert packed.to(trainer.float32) is packed
    as_double = packed.double()
    assert as_double.data.dtype == trainer.float64 and as_double.batch_sizes is packed.batch_sizes
    assert not packed.is_cuda
    lstm = nn.LSTM(2, 3)
    out, (h, c) = lstm(packed)
    assert out.data.shape == (5, 3) and h.shape == (1, 2, 3) and c.shape == (1, 2, 3)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 2, 3\), got \[1, 3, 3\]"):
        lstm(packed, (trainer.zeros(1, 3, 3), trainer.zeros(1, 2, 3)))
    with pytest.raises(RuntimeError, match="input must have 2 dimensions, got 3"):
        lstm(rnn_utils.PackedSequence(trainer.zeros(5, 1, 2), packed.batch_sizes))


def test_empty_sequences_and_empty_batches() -> None:
    lstm = nn.LSTM(3, 4)
    with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0 in RNN"):
        lstm(trainer.zeros(0, 2, 3))
    out, (h, c) = lstm(trainer.zeros(3, 0, 3))
    assert out.shape == (3, 0, 4) and h.shape == (1, 0, 4) and c.shape == (1, 0, 4)
