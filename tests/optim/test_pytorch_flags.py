"""PyTorch's implementation flags (`foreach`, `capturable`, `differentiable`, `fused`): accepted and recorded."""

from __future__ import annotations

import inspect
import json

import pytest

import trainer
from tests.reference_data import load_reference
from trainer import optim

REFERENCE = load_reference("torch_api", "optimizers")


def _params() -> list[trainer.Tensor]:
    return [trainer.nn.Parameter(trainer.zeros(2, 2))]


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_param_groups_have_pytorchs_keys_in_pytorchs_order(name: str) -> None:
    ref = REFERENCE[name]
    opt = getattr(optim, name)(_params())
    group = opt.param_groups[0]
    assert list(group) == ref["keys"]
    assert {k: group[k] for k in ref["flags"]} == ref["flags"]
    assert list(opt.state_dict()["param_groups"][0]) == [*ref["keys"][1:], "params"]
    flags = [k for k in inspect.signature(getattr(optim, name)).parameters if k in ref["flags"]]
    assert sorted(flags) == sorted(ref["signature_flags"])


def test_flags_are_recorded_and_validated_like_pytorchs() -> None:
    opt = optim.AdamW(_params(), lr=0.1, fused=True, capturable=True)
    assert opt.param_groups[0]["fused"] is True and opt.defaults["capturable"] is True
    assert opt.param_groups[0]["decoupled_weight_decay"] is True
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        optim.SGD(_params(), foreach=True, fused=True)
    with pytest.raises(TypeError):
        optim.LBFGS(_params(), foreach=True)
    with pytest.raises(TypeError):
        optim.Adadelta(_params(), fused=True)  # PyTorch's Adadelta has no fused flag either


def test_a_state_dict_without_flags_loads_and_gets_them_back() -> None:
    opt = optim.Adam(_params(), lr=0.1)
    state = opt.state_dict()
    for key in ("foreach", "capturable", "differentiable", "fused"):
        del state["param_groups"][0][key]
    opt.load_state_dict(state)
    assert opt.param_groups[0]["fused"] is None and opt.param_groups[0]["capturable"] is False


def test_config_schema_never_offers_the_flags() -> None:
    text = json.dumps(trainer.config.json_schema())
    for key in ("foreach", "fused", "capturable", "differentiable"):
        assert f'"{key}"' not in text
