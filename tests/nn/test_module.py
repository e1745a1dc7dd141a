"""Module and Parameter behaviour: registration, traversal, modes, gradients, state_dict, dtype, repr, copying."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.norm = nn.BatchNorm1d(4)
        self.scale = nn.Parameter(trainer.ones(4))
        self.register_buffer("offset", trainer.zeros(4))
        self.register_buffer("scratch", trainer.zeros(2), persistent=False)
        self.plain = 3

    def forward(self, x: trainer.Tensor) -> trainer.Tensor:
        return self.norm(self.fc(x)) * self.scale + self.offset


def test_parameter_is_a_leaf_tensor_that_shares_data() -> None:
    t = trainer.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, trainer.Tensor) and p.requires_grad and p.is_leaf
    assert p._array is t._array
    assert not nn.Parameter(t, requires_grad=False).requires_grad
    assert repr(p) == "Parameter containing:\n" + repr(trainer.tensor([1.0, 2.0], requires_grad=True))
    assert nn.Parameter().shape == (0,)
    with pytest.raises(RuntimeError):
        nn.Parameter(trainer.tensor([1, 2]))
    assert not hasattr(p, "__dict__")


def test_attribute_assignment_registers_parameters_buffers_and_modules() -> None:
    b = Block()
    assert [n for n, _ in b.named_parameters()] == ["scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias"]
    assert [n for n, _ in b.named_buffers()] == [
        "offset", "scratch", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"]
    assert [n for n, _ in b.named_children()] == ["fc", "norm"]
    assert [n for n, _ in b.named_modules()] == ["", "fc", "norm"]
    assert list(b.children()) == [b.fc, b.norm]
    assert len(list(b.modules())) == 3
    assert len(list(b.parameters())) == 5
    assert len(list(b.parameters(recurse=False))) == 1
    assert b.plain == 3 and "plain" not in b._parameters
    assert "fc" in dir(b) and "scale" in dir(b)
    with pytest.raises(AttributeError, match="'Block' object has no attribute 'missing'"):
        _ = b.missing


def test_reassignment_and_deletion_follow_pytorch_rules() -> None:
    b = Block()
    with pytest.raises(TypeError, match="parameter 'scale'"):
        b.scale = trainer.ones(4)
    b.scale = None
    assert "scale" not in dict(b.named_parameters())
    with pytest.raises(TypeError, match="child module 'fc'"):
        b.fc = 3
    b.offset = trainer.ones(4)
    assert b.state_dict()["offset"]._array.tolist() == [1, 1, 1, 1]
    with pytest.raises(TypeError):
        b.offset = 5
    b.fc = nn.Identity()
    assert "fc.weight" not in dict(b.named_parameters())
    del b.norm
    assert [n for n, _ in b.named_children()] == ["fc"]
    with pytest.raises(KeyError):
        b.register_buffer("plain", trainer.zeros(1))
    with pytest.raises(KeyError):
        b.register_parameter("a.b", None)


def test_assignment_before_init_fails_clearly() -> None:
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(trainer.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Broken()


def test_shared_parameters_are_listed_once() -> None:
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(net.parameters())) == 2
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_train_eval_reach_every_submodule() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="boolean"):
        net.train("no")


def test_zero_grad_sets_none_or_zeros() -> None:
    net = nn.Linear(3, 2)
    net(trainer.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad._array.any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_gradients_accumulate_until_zeroed() -> None:
    net = nn.Linear(3, 1)
    x = trainer.randn(5, 3)
    net(x).sum().backward()
    first = net.weight.grad._array.copy()
    net(x).sum().backward()
    np.testing.assert_allclose(net.weight.grad._array, 2 * first, rtol=1e-6)


def test_state_dict_uses_pytorch_keys_and_shares_memory() -> None:
    b = Block()
    sd = b.state_dict()
    assert list(sd) == ["scale", "offset", "fc.weight", "fc.bias", "norm.weight", "norm.bias", "norm.running_mean",
                        "norm.running_var", "norm.num_batches_tracked"]
    assert all(not v.requires_grad for v in sd.values())
    assert sd["fc.weight"]._array is b.fc.weight._array
    assert b.state_dict(keep_vars=True)["fc.weight"] is b.fc.weight
    assert sd["norm.num_batches_tracked"].dtype == np.int64


def test_load_state_dict_copies_values_in_place_and_checks_keys() -> None:
    src, dst = Block(), Block()
    with trainer.no_grad():
        src.fc.weight.add_(1.0)
    weight = dst.fc.weight
    result = dst.load_state_dict(src.state_dict())
    assert result == nn.IncompatibleKeys([], [])
    assert dst.fc.weight is weight
    np.testing.assert_array_equal(dst.fc.weight._array, src.fc.weight._array)
    assert dst.fc.weight._array is not src.fc.weight._array
    arrays = {k: v._array.copy() for k, v in src.state_dict().items()}
    assert dst.load_state_dict(arrays).missing_keys == []

    partial = dict(src.state_dict())
    del partial["fc.bias"]
    partial["extra"] = trainer.zeros(1)
    with pytest.raises(RuntimeError) as err:
        dst.load_state_dict(partial)
    assert 'Missing key(s) in state_dict: "fc.bias"' in str(err.value)
    assert 'Unexpected key(s) in state_dict: "extra"' in str(err.value)
    assert dst.load_state_dict(partial, strict=False) == nn.IncompatibleKeys(["fc.bias"], ["extra"])

    wrong = dict(src.state_dict())
    wrong["fc.weight"] = trainer.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"size mismatch for fc.weight.*\(3, 4\).*\(4, 3\)"):
        dst.load_state_dict(wrong, strict=False)


def test_load_state_dict_keeps_dtype_unless_assign() -> None:
    net = nn.Linear(2, 2)
    sd = {k: v._array.astype(np.float64) for k, v in nn.Linear(2, 2).state_dict().items()}
    net.load_state_dict(sd)
    assert net.weight.dtype == np.float32
    net.load_state_dict(sd, assign=True)
    assert net.weight.dtype == np.float64


def test_batchnorm_accepts_state_dicts_without_num_batches_tracked() -> None:
    bn = nn.BatchNorm1d(3)
    sd = {k: v for k, v in nn.BatchNorm1d(3).state_dict().items() if k != "num_batches_tracked"}
    assert bn.load_state_dict(sd).missing_keys == []


def test_to_double_float_convert_parameters_buffers_and_grads_in_place() -> None:
    b = Block()
    b(trainer.randn(5, 3)).sum().backward()
    weight = b.fc.weight
    assert b.double() is b
    assert b.fc.weight is weight
    assert all(p.dtype == np.float64 and p.grad.dtype == np.float64 for p in b.parameters())
    assert b.norm.running_mean.dtype == np.float64 and b.offset.dtype == np.float64
    assert b.norm.num_batches_tracked.dtype == np.int64
    out = b(trainer.randn(5, 3, dtype="float64"))
    assert out.dtype == np.float64
    b.float()
    assert all(p.dtype == np.float32 for p in b.parameters())
    assert b.to("float64").fc.weight.dtype == np.float64
    assert b.to(trainer.float32).fc.weight.dtype == np.float32
    assert b.to("cpu") is b
    with pytest.raises(TypeError):
        b.to(trainer.int64)


def test_float32_by_default_and_dtype_argument() -> None:
    assert nn.Linear(2, 3).weight.dtype == np.float32
    assert nn.Linear(2, 3, dtype="float64").bias.dtype == np.float64
    for module in (nn.BatchNorm1d(3), nn.LayerNorm(3), nn.Embedding(4, 2)):
        assert all(p.dtype == np.float32 for p in module.parameters())
    out = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.LayerNorm(4))(trainer.randn(2, 3))
    assert out.dtype == np.float32


def test_repr_nests_like_pytorch() -> None:
    net = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Sequential(nn.Linear(32, 1), nn.Dropout(0.1)))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=3, out_features=32, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=32, out_features=1, bias=True)\n"
        "    (1): Dropout(p=0.1, inplace=False)\n"
        "  )\n"
        ")"
    )
    assert repr(Block()).startswith("Block(\n  (fc): Linear(")


def test_sequential_indexing_len_append_and_iteration() -> None:
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    net = nn.Sequential(a, b)
    assert len(net) == 2 and net[0] is a and net[-1] is b
    assert net.append(c) is net and len(net) == 3 and net[2] is c
    assert list(net) == [a, b, c]
    head = net[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, b]
    assert list(net[1:].state_dict()) == ["2.weight", "2.bias"]
    net[1] = nn.Tanh()
    assert isinstance(net[1], nn.Tanh)
    del net[1]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    net.insert(1, nn.ReLU())
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError):
        net[3]
    named = nn.Sequential({"hidden": nn.Linear(2, 2), "act": nn.ReLU()})
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias"]
    with pytest.raises(TypeError):
        nn.Sequential(nn.ReLU(), "relu")
    x = trainer.randn(4, 2)
    np.testing.assert_allclose(net(x)._array, c(trainer.relu(a(x)))._array)


def test_module_list_registers_its_modules() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.append(nn.Linear(2, 1))
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    assert list(layers.state_dict())[-1] == "2.bias"
    mixed = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Sequential(nn.ReLU()),
                           nn.Sequential(nn.ReLU())])
    assert repr(mixed) == (  # PyTorch 2.13's output for the same list
        "ModuleList(\n"
        "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (2): ReLU()\n"
        "  (3-4): 2 x Sequential(\n"
        "    (0): ReLU()\n"
        "  )\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_deepcopy_and_pickle_keep_parameters_independent() -> None:
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    clone = copy.deepcopy(net)
    assert isinstance(clone[0].weight, nn.Parameter)
    assert clone[0].weight._array is not net[0].weight._array
    np.testing.assert_array_equal(clone[0].weight._array, net[0].weight._array)
    restored = pickle.loads(pickle.dumps(net))
    assert isinstance(restored[0].weight, nn.Parameter) and restored[0].weight.requires_grad
    assert list(restored.state_dict()) == list(net.state_dict())
    x = trainer.randn(4, 3)
    np.testing.assert_array_equal(restored(x)._array, net(x)._array)


def test_forward_is_required() -> None:
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(trainer.ones(1))


def test_apply_requires_grad_and_get_submodule() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1)))
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "Linear", "Sequential", "Sequential"]
    assert net.get_submodule("1.0") is net[1][0]
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_no_graph_is_recorded_for_inputs_without_grad() -> None:
    net = nn.Linear(3, 2).requires_grad_(False)
    out = F.cross_entropy(net(trainer.randn(4, 3)), trainer.tensor([0, 1, 1, 0]))
    assert not out.requires_grad and out.grad_fn is None
    with trainer.no_grad():
        assert nn.Linear(3, 2)(trainer.randn(1, 3)).grad_fn is None


def test_linear_is_one_graph_node() -> None:
    out = nn.Linear(3, 2)(trainer.randn(4, 3))
    assert out.grad_fn.name() == "AddmmBackward0"
    assert {p is not None for p in out._parents} == {True} and len(out._parents) == 3


def test_utils_attribute_loads_the_subpackage_when_present() -> None:
    present = (Path(nn.__file__).parent / "utils" / "__init__.py").exists()
    if present:
        assert nn.utils.__name__ == "trainer.nn.utils"
    else:
        with pytest.raises(AttributeError, match="utils"):
            _ = nn.utils
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = nn.nothing_here
