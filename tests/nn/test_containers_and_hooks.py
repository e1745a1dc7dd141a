"""Containers, forward hooks and the Module API, with PyTorch 2.13's printing (tests/references/torch_api)."""

from __future__ import annotations

from collections import OrderedDict

import pytest

import trainer
from tests.reference_data import load_reference
from trainer import nn

PRINTING = load_reference("torch_api", "printing")


def _expected(key: str) -> str:
    return PRINTING[key]


def _fixed(module: nn.Module) -> nn.Module:
    """Parameters 0.1, 0.2, ... times their position, as tools/references_torch_api.py sets them."""
    for i, p in enumerate(module.parameters()):
        p._array[...] = (trainer.arange(1, p.numel() + 1, dtype=p.dtype).reshape(p.shape) * 0.1 * (i + 1))._array
    return module


def test_state_dict_is_an_ordered_dict_printed_like_pytorchs() -> None:
    seq = _fixed(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)))
    state = seq.state_dict()
    assert type(state).__name__ == PRINTING["state_dict_type"] and isinstance(state, OrderedDict)
    assert repr(state) == _expected("state_dict")
    assert repr(seq) == _expected("sequential")
    assert repr(seq.load_state_dict(state)) == _expected("incompatible_keys")
    assert repr(trainer.optim.Adam(seq.parameters(), lr=0.1).state_dict()) == _expected("optimizer_state_dict")


def test_container_reprs_are_pytorchs() -> None:
    plist = nn.ParameterList([nn.Parameter(trainer.ones(2)), nn.Parameter(trainer.zeros(2, 3), requires_grad=False)])
    pdict = nn.ParameterDict({"a": nn.Parameter(trainer.ones(2)), "b": nn.Parameter(trainer.zeros(3, 1))})
    mdict = nn.ModuleDict({"enc": nn.Linear(3, 4), "act": nn.Tanh(), "head": nn.Sequential(nn.Linear(4, 1))})
    mlist = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])
    assert repr(plist) == _expected("parameter_list")
    assert repr(pdict) == _expected("parameter_dict")
    assert repr(mdict) == _expected("module_dict")
    assert repr(mlist) == _expected("module_list")
    assert repr(mlist[1:3]) == _expected("module_list_slice")
    assert repr(mlist[:1] + mlist[2:3]) == _expected("module_list_add")
    assert repr(nn.Sequential(OrderedDict(body=mlist[:2], head=mdict["head"]))) == _expected("nested")


def test_module_list_edits_renumber() -> None:
    a, b, c = nn.Linear(1, 1), nn.ReLU(), nn.Tanh()
    ml = nn.ModuleList([a, b])
    ml.insert(0, c)
    assert list(ml) == [c, a, b] and list(ml._modules) == ["0", "1", "2"]
    del ml[0]
    assert list(ml) == [a, b] and list(ml._modules) == ["0", "1"]
    ml += [c]
    assert ml.pop(-1) is c and len(ml) == 2 and b in ml
    assert isinstance(ml[:1], nn.ModuleList) and [n for n, _ in ml.named_parameters()] == ["0.weight", "0.bias"]


def test_module_dict_and_parameter_containers_register_their_entries() -> None:
    md = nn.ModuleDict([("lin", nn.Linear(2, 3))])
    md["out"] = nn.Linear(3, 1)
    assert list(md) == ["lin", "out"] and "out" in md and len(md) == 2
    assert [k for k, _ in md.named_parameters()] == ["lin.weight", "lin.bias", "out.weight", "out.bias"]
    md.pop("lin")
    assert list(md.keys()) == ["out"]
    pl = nn.ParameterList([trainer.zeros(2)])
    pl.append(trainer.ones(3))
    assert all(isinstance(p, nn.Parameter) for p in pl) and len(list(pl.parameters())) == 2
    pd = nn.ParameterDict({"w": trainer.zeros(2)})
    assert isinstance(pd["w"], nn.Parameter) and list(pd.state_dict()) == ["w"]
    with pytest.raises(RuntimeError, match="should not be called"):
        pl()


def test_sequential_slicing_append_insert_add() -> None:
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    seq.append(nn.Linear(2, 1)).insert(1, nn.Tanh())
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "ReLU", "Linear"]
    assert isinstance(seq[1:], nn.Sequential) and len(seq + seq[:1]) == 5


def test_forward_hooks_replace_inputs_and_outputs_and_remove() -> None:
    lin = nn.Linear(1, 1)
    lin.weight._array[...] = 2.0
    lin.bias._array[...] = 0.0
    calls = []
    pre = lin.register_forward_pre_hook(lambda m, args: (args[0] * 10,))
    post = lin.register_forward_hook(lambda m, args, out: out + 1)
    lin.register_forward_hook(lambda m, args, out: calls.append("first"), prepend=True)
    assert lin(trainer.tensor([[1.0]])).item() == 21.0 and calls == ["first"]
    pre.remove()
    post.remove()
    assert lin(trainer.tensor([[1.0]])).item() == 2.0


def test_hooks_with_kwargs_and_always_call() -> None:
    class Scale(nn.Module):
        def forward(self, x: trainer.Tensor, factor: float = 1.0) -> trainer.Tensor:
            if factor < 0:
                raise ValueError("negative")
            return x * factor

    m = Scale()
    seen = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(kwargs["factor"]), with_kwargs=True)
    assert m(trainer.tensor([1.0])).item() == 3.0 and seen == [3.0]
    failing = Scale()
    failing.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="negative"):
        failing(trainer.tensor([1.0]), factor=-1.0)
    assert seen[-1] is None
    with nn.Linear(1, 1).register_forward_hook(lambda *a: None) as handle:
        assert isinstance(handle, nn.RemovableHandle)


def test_get_parameter_and_get_buffer() -> None:
    model = nn.Sequential(OrderedDict(body=nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))))
    assert model.get_parameter("body.0.weight") is model.body[0].weight
    assert model.get_buffer("body.1.running_mean") is model.body[1].running_mean
    with pytest.raises(AttributeError, match="is not an nn.Parameter"):
        model.get_parameter("body.1.running_mean")
    with pytest.raises(AttributeError, match="is not a buffer"):
        model.get_buffer("body.0.weight")
