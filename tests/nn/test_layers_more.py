"""RMSNorm, InstanceNorm1d/2d/3d, LocalResponseNorm, BatchNorm3d, the padding modules, Bilinear and the
multi-class / multi-label / triplet margin losses against PyTorch (tests/references/nn/layers.json, made by
tools/references_layers.py): default initialisation bit for bit after manual_seed, then outputs, gradients,
running statistics, reprs, state_dict keys and the errors of bad calls (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.nn.helpers import check_outcome
from tests.reference_data import assert_close, load_reference

REF = load_reference("nn", "layers")
MODULES = REF["modules"]
LOSSES = REF["losses"]
LOSS_MODULES = REF["loss_modules"]
ERRORS = REF["errors"]
DISTANCES = {"cosine": lambda a, b: 1.0 - F.cosine_similarity(a, b), "l1": lambda a, b: (a - b).abs().sum(-1)}


def _tensor(value: Any, requires_grad: bool = False) -> Any:
    if isinstance(value, np.ndarray):
        return trainer.tensor(value, requires_grad=requires_grad and value.dtype.kind == "f")
    return value


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    out = {k: _tensor(v) for k, v in kwargs.items()}
    if isinstance(out.get("distance_function"), str):
        out["distance_function"] = DISTANCES[out["distance_function"]]
    return out


def _error_id(case: dict[str, Any]) -> str:
    return f"{case.get('fn') or case.get('ctor')}-{case['message'][:40] if case['error'] else 'ok'}"


@pytest.mark.parametrize("case", MODULES, ids=[c["name"] for c in MODULES])
def test_module_matches_pytorch(case: dict[str, Any]) -> None:
    module = getattr(nn, case["ctor"])(**case["kwargs"]).double()
    result = module.load_state_dict(case["state"])
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert list(module.state_dict()) == case["keys"]
    assert repr(module) == case["repr"]
    for i, step in enumerate(case["steps"]):
        what = f"{case['name']} step {i}"
        module.train(step["train"])
        module.zero_grad()
        inputs = [trainer.tensor(x, requires_grad=True) for x in step["inputs"]]
        out = module(*inputs)
        assert_close(out, step["out"], what=f"{what} output")
        assert type(out.grad_fn).__name__ == step["grad_fn"]
        out.backward(trainer.tensor(step["gout"]))
        for x, expected in zip(inputs, step["input_grads"], strict=True):
            assert_close(x.grad, expected, what=f"{what} input grad")
        params = dict(module.named_parameters())
        assert set(step["param_grads"]) == {k for k, p in params.items() if p.grad is not None}
        for name, expected in step["param_grads"].items():
            assert_close(params[name].grad, expected, what=f"{what} grad of {name}")
        state = module.state_dict()
        for name, expected in step["state_after"].items():
            assert_close(state[name]._array, expected, what=f"{what} state {name}")
            assert state[name].dtype == (trainer.int64 if name.endswith("num_batches_tracked") else trainer.float64)


@pytest.mark.parametrize("case", REF["init"], ids=[f"seed{c['seed']}" for c in REF["init"]])
def test_default_init_is_pytorchs_bit_for_bit(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    built = [getattr(nn, m["ctor"])(**m["kwargs"]) for m in case["modules"]]
    for module, ref in zip(built, case["modules"], strict=True):
        state = module.state_dict()
        assert set(state) == set(ref["state"])  # (the order is checked by the module cases)
        for name, expected in ref["state"].items():
            assert state[name]._array.dtype == expected.dtype, name
            np.testing.assert_array_equal(state[name]._array, expected, err_msg=f"{ref['ctor']} {name}")


@pytest.mark.parametrize("case", LOSSES, ids=[c["name"] for c in LOSSES])
def test_functional_loss_matches_pytorch(case: dict[str, Any]) -> None:
    tensors = {k: _tensor(case["inputs"][k], True) for k in case["order"]}
    out = getattr(F, case["fn"])(*tensors.values(), **_options(case["kwargs"]))
    assert_close(out, case["out"], what=f"{case['name']} output")
    assert out.dtype == trainer.float64
    assert type(out.grad_fn).__name__ == case["grad_fn"]
    out.backward(trainer.tensor(case["gout"]))
    for name, expected in case["grads"].items():
        assert_close(tensors[name].grad, expected, what=f"{case['name']} grad of {name}")


@pytest.mark.parametrize("case", LOSS_MODULES, ids=[c["name"] for c in LOSS_MODULES])
def test_loss_module_matches_pytorch(case: dict[str, Any]) -> None:
    kwargs = {k: (trainer.tensor(case["weights"][v]) if k == "weight" else v) for k, v in case["kwargs"].items()}
    module = getattr(nn, case["ctor"])(**kwargs)
    assert repr(module) == case["repr"]
    assert list(module.state_dict()) == case["keys"]
    tensors = {k: _tensor(case["inputs"][k], True) for k in case["order"]}
    out = module(*tensors.values())
    assert_close(out, case["out"], what=f"{case['name']} output")
    out.backward(trainer.tensor(case["gout"]))
    for name, expected in case["grads"].items():
        assert_close(tensors[name].grad, expected, what=f"{case['name']} grad of {name}")


@pytest.mark.parametrize("case", REF["reprs"], ids=[r["repr"] for r in REF["reprs"]])
def test_repr_matches_pytorch(case: dict[str, Any]) -> None:
    assert repr(getattr(nn, case["ctor"])(**case["kwargs"])) == case["repr"]


def _call(case: dict[str, Any]) -> Any:
    if case["kind"] == "F":
        return getattr(F, case["fn"])(*[_tensor(a) for a in case["args"]], **_options(case["kwargs"]))
    module = getattr(nn, case["ctor"])(**case["kwargs"]).double()
    return module(*[_tensor(a) for a in case["args"]]) if case["args"] else trainer.zeros(0)


@pytest.mark.parametrize("case", ERRORS, ids=[_error_id(c) for c in ERRORS])
def test_errors_and_warnings_match_pytorch(case: dict[str, Any]) -> None:
    check_outcome(lambda: _call(case), case)


def test_every_new_layer_is_covered() -> None:
    covered = {c["ctor"] for c in MODULES}
    padding = [f"{kind}Pad{d}d" for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
               for d in (1, 2, 3)]
    for name in ("RMSNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm", "BatchNorm3d",
                 "Bilinear", *padding):
        assert name in covered, name
    assert {c["ctor"] for c in LOSS_MODULES} == {"MultiMarginLoss", "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss",
                                                 "TripletMarginLoss", "TripletMarginWithDistanceLoss"}


def test_rms_norm_default_eps_follows_the_dtype() -> None:
    x = trainer.tensor([[1e-5, -1e-5, 2e-5]], dtype=trainer.float32)
    expected = x._array / np.sqrt(np.mean(x._array.astype(np.float64) ** 2) + np.finfo(np.float32).eps)
    out = F.rms_norm(x, [3])
    assert out.dtype == trainer.float32
    np.testing.assert_allclose(out._array, expected, rtol=1e-6)
    out64 = F.rms_norm(x.double(), (3,))
    eps64 = np.finfo(np.float64).eps
    np.testing.assert_allclose(out64._array, x._array / np.sqrt(np.mean(x._array.astype(np.float64) ** 2) + eps64),
                               rtol=1e-12)


def test_instance_norm_eval_without_tracking_uses_input_stats() -> None:
    m = nn.InstanceNorm1d(2).double().eval()
    x = trainer.randn(3, 2, 5, dtype=trainer.float64)
    np.testing.assert_allclose(m(x)._array, F.instance_norm(x)._array)
    assert m.running_mean is None and list(m.state_dict()) == []


def test_instance_norm_tracked_leaves_num_batches_tracked_and_follows_to() -> None:
    m = nn.InstanceNorm2d(3, track_running_stats=True, momentum=None)
    m(trainer.randn(2, 3, 4, 4))
    assert int(m.num_batches_tracked) == 0
    np.testing.assert_array_equal(m.running_mean._array, np.zeros(3, np.float32))  # momentum None: factor 0
    assert m.double().running_var.dtype == trainer.float64


def test_triplet_with_distance_default_is_a_pairwise_distance_submodule() -> None:
    loss = nn.TripletMarginWithDistanceLoss()
    assert isinstance(loss.distance_function, nn.PairwiseDistance)
    assert [name for name, _ in loss.named_children()] == ["distance_function"]
    a, p, n = (trainer.randn(4, 3, dtype=trainer.float64) for _ in range(3))
    assert_close(loss(a, p, n), F.triplet_margin_loss(a, p, n))
    custom = nn.TripletMarginWithDistanceLoss(distance_function=lambda x, y: (x - y).abs().sum(-1))
    assert list(custom.named_children()) == []


def test_multi_margin_loss_weight_is_a_buffer() -> None:
    w = trainer.tensor([1.0, 2.0, 0.5])
    loss = nn.MultiMarginLoss(weight=w).double()
    assert list(loss.state_dict()) == ["weight"] and loss.weight.dtype == trainer.float64
    with pytest.raises(ValueError, match="expected weight to be None or 1D tensor, got 2D"):
        nn.MultiMarginLoss(weight=trainer.ones(3, 1))


def test_padding_modules_in_a_sequential_pass_gradients() -> None:
    net = nn.Sequential(nn.ReflectionPad2d(1), nn.ZeroPad2d((0, 1, 1, 0)), nn.CircularPad2d(1))
    x = trainer.randn(1, 1, 3, 3, requires_grad=True)
    out = net(x)
    assert tuple(out.shape) == (1, 1, 8, 8)
    out.sum().backward()
    assert tuple(x.grad.shape) == (1, 1, 3, 3) and float(x.grad.sum()) > 0
