"""The lazy layers and `nn.Buffer` against PyTorch (tests/references/nn/more_nn.json, made by
tools/references_more_nn.py): repr and state before the first forward, the eager class, repr and weights (float32,
bit for bit after the same seed) after it, `.double()` before it, and state dicts loaded into lazy layers."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from tests.reference_data import assert_close, load_reference

REF = load_reference("nn", "more_nn")


@pytest.mark.parametrize("case", REF["lazy"], ids=[f"{c['ctor']}-{i}" for i, c in enumerate(REF["lazy"])])
def test_lazy_layer_matches_pytorch(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"] - 100)
    module = getattr(nn, case["ctor"])(**case["kwargs"])
    before = case["before"]
    assert repr(module) == before["repr"]
    assert list(module.state_dict()) == before["keys"]
    assert [type(p).__name__ for p in module.parameters()] == before["params"]
    assert [type(b).__name__ for b in module.buffers()] == before["buffers"]
    lazy = any(n.startswith("Uninit") for n in before["params"] + before["buffers"])
    assert module.has_uninitialized_params() == lazy
    trainer.manual_seed(case["seed"])
    out = module(trainer.tensor(case["input"]))
    assert type(module).__name__ == case["class"] and type(module) is getattr(nn, case["class"])
    assert repr(module) == case["repr"]
    state = module.state_dict()
    assert list(state) == before["keys"] and set(state) == set(case["state"])
    params = dict(module.named_parameters())
    for name, expected in case["state"].items():
        assert state[name]._array.dtype == expected.dtype, name
        if name in params:  # drawn: bit for bit; running statistics: computed
            np.testing.assert_array_equal(state[name]._array, expected, err_msg=name)
        else:
            np.testing.assert_allclose(state[name]._array, expected, rtol=1e-6, err_msg=name)
    assert all(type(p) is nn.Parameter for p in module.parameters())
    np.testing.assert_allclose(out._array, case["out"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", REF["lazy_double"], ids=[c["ctor"] for c in REF["lazy_double"]])
def test_double_before_the_first_forward(case: dict[str, Any]) -> None:
    trainer.manual_seed(case["seed"])
    module = getattr(nn, case["ctor"])(**case["kwargs"]).double()
    x = trainer.tensor(case["input"], requires_grad=True)
    out = module(x)
    assert out.dtype == trainer.float64
    for name, value in module.state_dict().items():
        assert_close(value, case["state"][name], rtol=1e-6, what=name)  # float32 draws widened
    assert_close(out, case["out"], rtol=1e-6, what="output")
    out.backward(trainer.tensor(case["gout"]))
    assert_close(x.grad, case["input_grad"], what="input grad")
    for name, p in module.named_parameters():
        assert_close(p.grad, case["grads"][name], what=f"grad of {name}")


def test_uninitialized_parameters_refuse_shape_questions() -> None:
    p = nn.UninitializedParameter()
    assert repr(p) == "<UninitializedParameter>" and isinstance(p, nn.Parameter) and p.requires_grad
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        p.shape  # noqa: B018
    with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter in <method 'numel'"):
        p.numel()
    b = nn.UninitializedBuffer(dtype=trainer.float64)
    assert repr(b) == "<UninitializedBuffer>" and not b.requires_grad
    b.materialize((2, 3))
    assert type(b) is trainer.Tensor and b.shape == (2, 3) and b.dtype == trainer.float64
    p.materialize(4)
    assert type(p) is nn.Parameter and p.shape == (4,) and p.dtype == trainer.float32


def test_an_eager_state_dict_materialises_a_lazy_layer() -> None:
    source = nn.Linear(3, 2)
    lazy = nn.LazyLinear(2)
    result = lazy.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert type(lazy) is nn.LazyLinear and lazy.weight.shape == (2, 3) and lazy.in_features == 0
    np.testing.assert_array_equal(lazy.weight._array, source.weight._array)
    out = lazy(trainer.ones(1, 3))
    assert type(lazy) is nn.Linear and lazy.in_features == 3
    np.testing.assert_allclose(out._array, source(trainer.ones(1, 3))._array)
    with pytest.raises(AssertionError, match="is not equal to in_features from self.weight"):
        other = nn.LazyLinear(2)
        other.load_state_dict(source.state_dict())
        other(trainer.ones(1, 4))


def test_lazy_layers_copy_pickle_and_train_in_a_sequential() -> None:
    model = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
    clone = copy.deepcopy(model)
    restored = pickle.loads(pickle.dumps(model))
    assert repr(clone[0].weight) == "<UninitializedParameter>" and repr(restored[2].bias) == "<UninitializedParameter>"
    x, y = trainer.randn(16, 3), trainer.randn(16, 1)
    model(x)  # the dry run, then an optimizer over the materialised parameters
    opt = trainer.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(5):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]


def test_buffer_matches_pytorch() -> None:
    ref = REF["buffer"]

    class Holder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = nn.Buffer(trainer.ones(2))
            self.b = nn.Buffer(trainer.zeros(3), persistent=False)
            self.c = trainer.ones(1)
            self.register_buffer("d", trainer.zeros(1))
            self.d = nn.Buffer(trainer.ones(2), persistent=False)

    h = Holder()
    marked = nn.Buffer(trainer.arange(3.0))
    assert [k for k, _ in h.named_buffers()] == ref["buffers"]
    assert list(h.state_dict()) == ref["keys"]
    assert type(marked).__name__ == ref["type"]
    assert isinstance(marked, nn.Buffer) == ref["isinstance"]
    assert isinstance(trainer.ones(1), nn.Buffer) == ref["plain_isinstance"]
    assert marked.requires_grad == ref["requires_grad"] and repr(marked) == ref["repr"]
    source = trainer.ones(2)
    shared = nn.Buffer(source)
    shared.add_(1.0)
    assert source.tolist() == [2.0, 2.0]  # the buffer shares its data's storage


def test_lazylinear_is_a_yaml_layer(tmp_path) -> None:
    from trainer.config.registry import lookup

    assert lookup("layer", "lazylinear").load() is nn.LazyLinear
    cfg = trainer.load_config("configs/seed.yaml", overrides=["training.epochs=3"])
    lazy = trainer.load_config("configs/seed.yaml", overrides=["training.epochs=3", "model.layers.0.type=lazylinear"])
    eager = trainer.run(cfg, out=str(tmp_path / "eager"), quiet=True)
    result = trainer.run(lazy, out=str(tmp_path / "lazy"), quiet=True)
    assert result.summary["final_train_loss"] == eager.summary["final_train_loss"]  # the same weights, drawn later
