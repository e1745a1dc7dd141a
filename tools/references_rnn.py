"""PyTorch reference values for the recurrent layers (trainer.nn.rnn) and trainer.nn.utils.rnn.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py rnn
Writes tests/references/nn/rnn.json: per configuration the float32 state_dict right after `torch.manual_seed(seed)`
and default init, a float64 input (padded, then packed when the case says so), the outputs and hidden states of the
module in float64, and the gradients of sum(output * weights) with respect to the input, the initial state and
every parameter; also reprs, error messages, and the packing/padding functions on their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
from reference_io import write_json
from torch.nn.utils import rnn as rnn_utils

AREA = "nn"


def _flat(result: Any) -> list[torch.Tensor]:
    """A module's or cell's outputs as a flat list: output (packed data) first, then h_n, c_n."""
    if isinstance(result, torch.Tensor):
        return [result]
    if isinstance(result, rnn_utils.PackedSequence):
        return [result.data]
    items: list[torch.Tensor] = []
    for r in result:
        items += _flat(r)
    return items


def _state_tensors(hx: Any, requires_grad: bool = True) -> Any:
    if hx is None:
        return None
    if isinstance(hx, list):
        return tuple(torch.tensor(h, requires_grad=requires_grad) for h in hx)
    return torch.tensor(hx, requires_grad=requires_grad)


def _grads(hx: Any) -> Any:
    if hx is None:
        return None
    if isinstance(hx, tuple):
        return [h.grad for h in hx]
    return hx.grad


# (name, ctor, kwargs, input shape, hx shapes (None, a shape, or a list of two), packed, train/forward seed)
MODULE_CASES: list[tuple[str, str, dict[str, Any], tuple[int, ...], Any, dict[str, Any] | None, int | None]] = [
    ("rnn_tanh", "RNN", {"input_size": 3, "hidden_size": 5}, (4, 2, 3), None, None, None),
    ("rnn_relu_2layer_bidir_hx", "RNN", {"input_size": 3, "hidden_size": 5, "num_layers": 2,
                                         "nonlinearity": "relu", "bidirectional": True}, (4, 3, 3), (4, 3, 5),
     None, None),
    ("rnn_batch_first_nobias_unbatched_hx", "RNN", {"input_size": 3, "hidden_size": 4, "batch_first": True,
                                                    "bias": False}, (5, 3), (1, 4), None, None),
    ("rnn_unbatched", "RNN", {"input_size": 2, "hidden_size": 3, "num_layers": 2}, (4, 2), None, None, None),
    ("lstm", "LSTM", {"input_size": 3, "hidden_size": 5}, (4, 2, 3), None, None, None),
    ("lstm_2layer_bidir_batch_first_hx", "LSTM", {"input_size": 3, "hidden_size": 5, "num_layers": 2,
                                                  "bidirectional": True, "batch_first": True}, (2, 4, 3),
     [(4, 2, 5), (4, 2, 5)], None, None),
    ("lstm_proj_hx", "LSTM", {"input_size": 4, "hidden_size": 6, "proj_size": 3}, (5, 2, 4),
     [(1, 2, 3), (1, 2, 6)], None, None),
    ("lstm_proj_2layer_bidir", "LSTM", {"input_size": 4, "hidden_size": 6, "proj_size": 2, "num_layers": 2,
                                        "bidirectional": True}, (3, 2, 4), None, None, None),
    ("lstm_unbatched_hx", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, (5, 3),
     [(2, 4), (2, 4)], None, None),
    ("lstm_nobias_unbatched_batch_first", "LSTM", {"input_size": 3, "hidden_size": 4, "bias": False,
                                                   "batch_first": True}, (5, 3), None, None, None),
    ("gru", "GRU", {"input_size": 3, "hidden_size": 5}, (4, 2, 3), None, None, None),
    ("gru_2layer_bidir_batch_first_hx", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                                "bidirectional": True, "batch_first": True}, (3, 5, 3), (4, 3, 4),
     None, None),
    ("gru_unbatched_hx_nobias", "GRU", {"input_size": 3, "hidden_size": 4, "bias": False}, (6, 3), (1, 4),
     None, None),
    ("lstm_packed_unsorted_bidir_hx", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                               "bidirectional": True}, (5, 4, 3), [(4, 4, 4), (4, 4, 4)],
     {"lengths": [2, 5, 3, 1], "enforce_sorted": False}, None),
    ("lstm_packed_proj_unsorted", "LSTM", {"input_size": 3, "hidden_size": 5, "proj_size": 2,
                                           "bidirectional": True, "batch_first": True}, (4, 4, 3), None,
     {"lengths": [3, 4, 4, 1], "enforce_sorted": False}, None),
    ("gru_packed_sorted_batch_first", "GRU", {"input_size": 3, "hidden_size": 4, "batch_first": True}, (3, 5, 3),
     None, {"lengths": [5, 3, 3], "enforce_sorted": True}, None),
    ("gru_packed_unsorted_bidir_hx", "GRU", {"input_size": 2, "hidden_size": 3, "bidirectional": True,
                                             "num_layers": 2}, (4, 3, 2), (4, 3, 3),
     {"lengths": [1, 4, 2], "enforce_sorted": False}, None),
    ("rnn_packed_unsorted_bidir_hx", "RNN", {"input_size": 3, "hidden_size": 4, "bidirectional": True},
     (4, 3, 3), (2, 3, 4), {"lengths": [2, 2, 4], "enforce_sorted": False}, None),
    ("lstm_dropout_train", "LSTM", {"input_size": 3, "hidden_size": 5, "num_layers": 3, "dropout": 0.4},
     (4, 2, 3), None, None, 123),
    ("gru_dropout_train_bidir_packed", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                               "dropout": 0.5, "bidirectional": True}, (4, 3, 3), None,
     {"lengths": [3, 4, 2], "enforce_sorted": False}, 7),
    ("rnn_dropout_eval", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.5},
     (3, 2, 3), None, None, None),
]

CELL_CASES: list[tuple[str, str, dict[str, Any], tuple[int, ...], Any]] = [
    ("rnncell", "RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 3), None),
    ("rnncell_relu_hx", "RNNCell", {"input_size": 3, "hidden_size": 4, "nonlinearity": "relu"}, (2, 3), (2, 4)),
    ("rnncell_unbatched_hx_nobias", "RNNCell", {"input_size": 3, "hidden_size": 4, "bias": False}, (3,), (4,)),
    ("lstmcell", "LSTMCell", {"input_size": 3, "hidden_size": 4}, (2, 3), None),
    ("lstmcell_hx", "LSTMCell", {"input_size": 3, "hidden_size": 4}, (3, 3), [(3, 4), (3, 4)]),
    ("lstmcell_unbatched_hx", "LSTMCell", {"input_size": 3, "hidden_size": 4, "bias": False}, (3,),
     [(4,), (4,)]),
    ("grucell", "GRUCell", {"input_size": 3, "hidden_size": 4}, (2, 3), None),
    ("grucell_hx", "GRUCell", {"input_size": 3, "hidden_size": 5}, (3, 3), (3, 5)),
    ("grucell_unbatched", "GRUCell", {"input_size": 3, "hidden_size": 4}, (3,), None),
]


def _hx_arrays(rng: np.random.Generator, shapes: Any) -> Any:
    if shapes is None:
        return None
    if isinstance(shapes, list):
        return [rng.standard_normal(s) for s in shapes]
    return rng.standard_normal(shapes)


def _run_case(seed: int, name: str, ctor: str, kwargs: dict[str, Any], x_shape: tuple[int, ...], hx_shapes: Any,
              packed: dict[str, Any] | None, forward_seed: int | None) -> dict[str, Any]:
    torch.manual_seed(seed)
    module = getattr(tnn, ctor)(**kwargs)
    state = {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
    case: dict[str, Any] = {"name": name, "ctor": ctor, "kwargs": kwargs, "seed": seed, "state": state,
                            "keys": list(state), "repr": repr(module), "packed": packed,
                            "train": forward_seed is not None, "forward_seed": forward_seed}
    module = module.double()
    module.train(forward_seed is not None)
    rng = np.random.default_rng(seed + 500)
    x = rng.standard_normal(x_shape)
    hx = _hx_arrays(rng, hx_shapes)
    case.update(input=x, hx=hx)
    xt = torch.tensor(x, requires_grad=True)
    ht = _state_tensors(hx)
    model_input: Any = xt
    if packed is not None:
        model_input = rnn_utils.pack_padded_sequence(xt, packed["lengths"], batch_first=module.batch_first,
                                                     enforce_sorted=packed["enforce_sorted"])
    if forward_seed is not None:
        torch.manual_seed(forward_seed)
    result = module(model_input) if ht is None else module(model_input, ht)
    outs = _flat(result)
    gouts = [rng.standard_normal(tuple(o.shape)) for o in outs]
    loss = sum((o * torch.tensor(g)).sum() for o, g in zip(outs, gouts))
    loss.backward()
    case.update(outs=[o.detach() for o in outs], gouts=gouts, input_grad=xt.grad, hx_grad=_grads(ht),
                param_grads={k: p.grad for k, p in module.named_parameters()})
    if packed is not None:
        out_packed = result[0]
        padded, lengths = rnn_utils.pad_packed_sequence(out_packed, batch_first=module.batch_first)
        case.update(batch_sizes=out_packed.batch_sizes, sorted_indices=out_packed.sorted_indices,
                    unsorted_indices=out_packed.unsorted_indices, padded_out=padded.detach(), lengths=lengths)
    return case


def _run_cell(seed: int, name: str, ctor: str, kwargs: dict[str, Any], x_shape: tuple[int, ...],
              hx_shapes: Any) -> dict[str, Any]:
    return _run_case(seed, name, ctor, kwargs, x_shape, hx_shapes, None, None)


REPRS = [
    ("LSTM", {"input_size": 10, "hidden_size": 20, "num_layers": 2, "batch_first": True}),
    ("LSTM", {"input_size": 10, "hidden_size": 20, "proj_size": 5, "bias": False, "dropout": 0.25,
              "num_layers": 3, "bidirectional": True}),
    ("RNN", {"input_size": 4, "hidden_size": 8, "nonlinearity": "relu"}),
    ("GRU", {"input_size": 4, "hidden_size": 8, "dropout": 0.0, "bidirectional": True}),
    ("GRU", {"input_size": 4, "hidden_size": 8, "num_layers": 2, "dropout": 1}),
    ("RNNCell", {"input_size": 4, "hidden_size": 8, "nonlinearity": "relu", "bias": False}),
    ("RNNCell", {"input_size": 4, "hidden_size": 8}),
    ("LSTMCell", {"input_size": 4, "hidden_size": 8, "bias": False}),
    ("GRUCell", {"input_size": 4, "hidden_size": 8}),
]

# (ctor, kwargs, input shape, hx shapes) whose forward raises in PyTorch
FORWARD_ERRORS = [
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 4), None),
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), [(1, 3, 4), (1, 2, 4)]),
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), [(1, 2, 4), (1, 2, 5)]),
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), [(2, 4), (2, 4)]),
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5, 3), [(1, 1, 4), (1, 1, 4)]),
    ("LSTM", {"input_size": 3, "hidden_size": 4}, (5,), None),
    ("LSTM", {"input_size": 3, "hidden_size": 6, "proj_size": 2}, (5, 2, 3), [(1, 2, 6), (1, 2, 6)]),
    ("GRU", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), (2, 2, 4)),
    ("GRU", {"input_size": 3, "hidden_size": 4}, (2, 5, 2, 3), None),
    ("GRU", {"input_size": 3, "hidden_size": 4, "batch_first": True}, (5, 2, 3), (1, 2, 4)),
    ("RNN", {"input_size": 3, "hidden_size": 4}, (5, 2, 3), (1, 4)),
    ("RNN", {"input_size": 3, "hidden_size": 4}, (5, 3), (1, 1, 4)),
    ("RNN", {"input_size": 3, "hidden_size": 4}, (5, 2, 2), None),
    ("RNN", {"input_size": 3, "hidden_size": 4}, (1, 2, 5, 2, 3), None),
    ("RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 5), None),
    ("RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 3), (3, 4)),
    ("RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 3), (2, 5)),
    ("RNNCell", {"input_size": 3, "hidden_size": 4}, (1, 2, 3), None),
    ("RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 3), (1, 2, 4)),
    ("RNNCell", {"input_size": 3, "hidden_size": 4, "nonlinearity": "gelu"}, (2, 3), None),
    ("LSTMCell", {"input_size": 3, "hidden_size": 4}, (2, 3), [(2, 4), (3, 4)]),
    ("LSTMCell", {"input_size": 3, "hidden_size": 4}, (2, 3), [(2, 4), (2, 1, 4)]),
    ("LSTMCell", {"input_size": 3, "hidden_size": 4}, (2, 3), [(2, 5), (2, 4)]),
    ("GRUCell", {"input_size": 3, "hidden_size": 4}, (2, 2), None),
    ("GRUCell", {"input_size": 3, "hidden_size": 4}, (3,), (2, 4)),
]

CTOR_ERRORS = [
    ("RNN", {"input_size": 3, "hidden_size": 4, "nonlinearity": "gelu"}),
    ("RNN", {"input_size": 3, "hidden_size": 4, "proj_size": 2}),
    ("GRU", {"input_size": 3, "hidden_size": 4, "proj_size": 2}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "proj_size": 4}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "proj_size": -1}),
    ("LSTM", {"input_size": 3, "hidden_size": 0}),
    ("LSTM", {"input_size": 0, "hidden_size": 4}),
    ("LSTM", {"input_size": 3, "hidden_size": 4.0}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 0}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "dropout": 1.5}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "dropout": True}),
    ("LSTM", {"input_size": 3, "hidden_size": 4, "bias": 1}),
    ("GRU", {"input_size": 3, "hidden_size": 4, "batch_first": "yes"}),
]


def _error(fn: Any) -> dict[str, str] | None:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the reference records whatever torch raises
        return {"type": type(e).__name__, "message": str(e)}
    return None


def _forward_error(ctor: str, kwargs: dict[str, Any], x_shape: tuple[int, ...], hx_shapes: Any) -> dict[str, Any]:
    module = getattr(tnn, ctor)(**kwargs)
    hx = None
    if hx_shapes is not None:
        hx = tuple(torch.zeros(s) for s in hx_shapes) if isinstance(hx_shapes, list) else torch.zeros(hx_shapes)
    x = torch.zeros(x_shape)
    err = _error(lambda: module(x) if hx is None else module(x, hx))
    assert err is not None, (ctor, kwargs, x_shape, hx_shapes)
    return {"ctor": ctor, "kwargs": kwargs, "input_shape": list(x_shape),
            "hx_shapes": hx_shapes if hx_shapes is None else (
                [list(s) for s in hx_shapes] if isinstance(hx_shapes, list) else list(hx_shapes)),
            "error": err}


def _util_cases() -> dict[str, Any]:
    """The packing functions alone (float64 values, and gradients of a weighted sum of the result)."""
    rng = np.random.default_rng(99)
    seqs = [rng.standard_normal((n, 2)) for n in (3, 5, 1, 4)]
    cases: dict[str, Any] = {"sequences": seqs}
    for batch_first in (False, True):
        for side in ("right", "left"):
            ts = [torch.tensor(s, requires_grad=True) for s in seqs]
            out = rnn_utils.pad_sequence(ts, batch_first=batch_first, padding_value=-1.5, padding_side=side)
            w = rng.standard_normal(tuple(out.shape))
            (out * torch.tensor(w)).sum().backward()
            cases[f"pad_sequence_{batch_first}_{side}"] = {"batch_first": batch_first, "padding_side": side,
                                                          "out": out.detach(), "w": w,
                                                          "grads": [t.grad for t in ts]}
    ts = [torch.tensor(s, requires_grad=True) for s in seqs]
    packed = rnn_utils.pack_sequence(ts, enforce_sorted=False)
    w = rng.standard_normal(tuple(packed.data.shape))
    (packed.data * torch.tensor(w)).sum().backward()
    padded, lengths = rnn_utils.pad_packed_sequence(packed, batch_first=True, padding_value=2.0, total_length=7)
    cases["pack_sequence"] = {"data": packed.data.detach(), "batch_sizes": packed.batch_sizes,
                              "sorted_indices": packed.sorted_indices, "unsorted_indices": packed.unsorted_indices,
                              "w": w, "grads": [t.grad for t in ts], "padded": padded.detach(), "lengths": lengths,
                              "unpacked": [u.detach() for u in rnn_utils.unpack_sequence(packed)]}
    ints = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6])]
    cases["pad_sequence_int"] = {"sequences": [t.numpy() for t in ints],
                                 "out": rnn_utils.pad_sequence(ints, batch_first=True, padding_value=-1)}
    padded = rnn_utils.pad_sequence([torch.tensor(s) for s in seqs])
    pieces = rnn_utils.unpad_sequence(padded, torch.tensor([3, 5, 1, 4]))
    cases["unpad_sequence"] = {"pieces": pieces, "shape_after": list(padded.shape)}
    x = torch.zeros(4, 3, 2)
    cases["pack_errors"] = {
        "unsorted": _error(lambda: rnn_utils.pack_padded_sequence(x, [2, 3, 1])),
        "zero": _error(lambda: rnn_utils.pack_padded_sequence(x, [3, 2, 0])),
        "count": _error(lambda: rnn_utils.pack_padded_sequence(x, [3, 2])),
        "negative_unsorted": _error(lambda: rnn_utils.pack_padded_sequence(x, [3, -1, 2], enforce_sorted=False)),
        "empty_list": _error(lambda: rnn_utils.pad_sequence([])),
        "side": _error(lambda: rnn_utils.pad_sequence([torch.ones(2)], padding_side="top")),
        "not_iterable": _error(lambda: rnn_utils.pad_sequence(3)),
        "total_length": _error(lambda: rnn_utils.pad_packed_sequence(
            rnn_utils.pack_padded_sequence(x, [3, 2, 1]), total_length=2)),
    }
    return cases


def main(out_dir: Path) -> None:
    modules = [_run_case(10 + i, *spec) for i, spec in enumerate(MODULE_CASES)]
    cells = [_run_cell(100 + i, *spec) for i, spec in enumerate(CELL_CASES)]
    reprs = [{"ctor": c, "kwargs": k, "repr": repr(getattr(tnn, c)(**k))} for c, k in REPRS]
    ctor_errors = [{"ctor": c, "kwargs": k, "error": _error(lambda c=c, k=k: getattr(tnn, c)(**k))}
                   for c, k in CTOR_ERRORS]
    forward_errors = [_forward_error(*spec) for spec in FORWARD_ERRORS]
    write_json(out_dir / "rnn.json", {"modules": modules, "cells": cells, "reprs": reprs,
                                      "ctor_errors": ctor_errors, "forward_errors": forward_errors,
                                      "utils": _util_cases()})
