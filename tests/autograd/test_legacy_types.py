"""The legacy tensor types behave as PyTorch 2.13's (the texts and values are what it prints for the same lines)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import trainer as torch


def test_the_types_are_classes_of_tensortype_not_tensor_subclasses() -> None:
    assert repr(torch.FloatTensor) == "<class 'torch.FloatTensor'>"
    assert type(torch.FloatTensor) is torch.tensortype
    assert not issubclass(torch.FloatTensor, torch.Tensor)
    assert torch.FloatTensor.dtype == torch.float32 and repr(torch.DoubleTensor.dtype) == "torch.float64"
    assert torch.FloatTensor.is_cuda is False and repr(torch.cuda.FloatTensor) == "<class 'torch.cuda.FloatTensor'>"
    assert pickle.loads(pickle.dumps(torch.LongTensor)) is torch.LongTensor


@pytest.mark.parametrize(("name", "dtype"), [
    ("FloatTensor", "float32"), ("DoubleTensor", "float64"), ("HalfTensor", "float16"), ("LongTensor", "int64"),
    ("IntTensor", "int32"), ("ShortTensor", "int16"), ("CharTensor", "int8"), ("ByteTensor", "uint8"),
    ("BoolTensor", "bool")])
def test_each_type_builds_tensors_of_its_dtype_and_recognises_them(name: str, dtype: str) -> None:
    cls = getattr(torch, name)
    t = cls([1, 0])
    assert t._array.dtype == np.dtype(dtype) and t.type() == f"torch.{name}"
    assert isinstance(t, cls) and isinstance(t, torch.Tensor)
    others = [c for c in (torch.FloatTensor, torch.LongTensor, torch.BoolTensor) if c is not cls]
    assert not any(isinstance(t, c) for c in others)
    assert not isinstance(t, getattr(torch.cuda, name)) and not isinstance(1, cls)


def test_construction_from_sizes_data_arrays_and_tensors() -> None:
    assert torch.FloatTensor(2).shape == (2,) and torch.FloatTensor().shape == (0,)
    assert torch.FloatTensor(torch.Size([2, 1])).shape == (2, 1) and torch.FloatTensor(2, 3).shape == (2, 3)
    assert repr(torch.LongTensor([1.7, 2])) == "tensor([1, 2])"
    assert repr(torch.FloatTensor([[1, 2]])) == "tensor([[1., 2.]])"
    assert repr(torch.BoolTensor([1, 0])) == "tensor([ True, False])"
    assert repr(torch.FloatTensor(np.array([1, 2]))) == "tensor([1., 2.])"
    assert repr(torch.FloatTensor((1, 2))) == "tensor([1., 2.])"
    source = torch.tensor([1.0, 2.0])
    alias = torch.FloatTensor(source)
    source.add_(1)
    assert alias.tolist() == [2.0, 3.0]  # the same storage


def test_pytorchs_errors() -> None:
    with pytest.raises(TypeError) as info:
        torch.FloatTensor(torch.tensor([1, 2]))
    assert str(info.value) == (
        "expected TensorOptions(dtype=float, device=cpu, layout=Strided, requires_grad=false (default), "
        "pinned_memory=false (default), memory_format=(nullopt)) (got TensorOptions(dtype=long int, device=cpu, "
        "layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)))")
    with pytest.raises(TypeError, match=r"^type torch.cuda.FloatTensor not available. Torch not compiled with CUDA"):
        torch.cuda.FloatTensor([1])
    with pytest.raises(TypeError, match=r"^new\(\): invalid data type 'str'$"):
        torch.FloatTensor("a")
    with pytest.raises(TypeError, match=r"^new\(\) received an invalid combination of arguments - got \(int, "
                                        r"requires_grad=bool\), but expected one of:"):
        torch.FloatTensor(2, requires_grad=True)


def test_type_converts_to_a_legacy_type_or_its_name() -> None:
    x = torch.tensor([1.5])
    assert repr(x.type(torch.LongTensor)) == "tensor([1])"
    assert x.type(torch.DoubleTensor).type() == "torch.DoubleTensor"
    assert x.type("torch.DoubleTensor").dtype == torch.float64 and x.type(torch.float64).dtype == torch.float64
    assert torch.Tensor.type(x) == "torch.FloatTensor"
    with pytest.raises(TypeError, match="not available"):
        x.type(torch.cuda.FloatTensor)


def test_set_default_tensor_type_warns_and_sets_the_default_dtype() -> None:
    try:
        with pytest.warns(UserWarning, match=r"^torch.set_default_tensor_type\(\) is deprecated as of PyTorch 2.1"):
            torch.set_default_tensor_type(torch.DoubleTensor)
        assert torch.get_default_dtype() == torch.float64 and torch.zeros(1).dtype == torch.float64
        with pytest.warns(UserWarning):
            torch.set_default_tensor_type("torch.FloatTensor")
        assert torch.get_default_dtype() == torch.float32
        with pytest.warns(UserWarning), pytest.raises(TypeError, match="only floating-point types"):
            torch.set_default_tensor_type(torch.LongTensor)
    finally:
        torch.set_default_dtype(torch.float32)
