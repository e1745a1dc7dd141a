"""trainer.device and the device= keywords: PyTorch's API on a CPU-only machine."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer import nn


def test_device_objects_print_and_compare_as_pytorch() -> None:
    d = trainer.device("cpu")
    assert repr(d) == "device(type='cpu')" and str(d) == "cpu" and d.type == "cpu" and d.index is None
    assert repr(trainer.device("cpu", 0)) == "device(type='cpu', index=0)" and str(trainer.device("cpu:0")) == "cpu:0"
    assert d == trainer.device("cpu") and d != trainer.device("cpu:0")
    assert (d == "cpu") is False  # PyTorch 2.13: a device never equals a string
    assert trainer.get_default_device() == d


@pytest.mark.parametrize("make", [
    lambda: trainer.device("cuda"), lambda: trainer.device("mps"), lambda: trainer.zeros(2, device="cuda"),
    lambda: trainer.ones(2).to("cuda"), lambda: trainer.ones(2).cuda(), lambda: trainer.set_default_device("cuda"),
    lambda: nn.Linear(2, 2).to("cuda:0"), lambda: trainer.tensor([1.0], device="mps"),
])
def test_other_devices_are_a_clear_error(make) -> None:
    with pytest.raises(RuntimeError, match="trainer runs on the CPU only"):
        make()


def test_unknown_device_types_as_pytorch() -> None:
    with pytest.raises(RuntimeError, match="device type at start of device string: gpu"):
        trainer.device("gpu")


@pytest.mark.parametrize("factory", [
    lambda d: trainer.tensor([1.0], device=d), lambda d: trainer.zeros(2, device=d),
    lambda d: trainer.ones(2, device=d),
    lambda d: trainer.full((2,), 1.0, device=d), lambda d: trainer.empty(2, device=d),
    lambda d: trainer.arange(3, device=d), lambda d: trainer.linspace(0, 1, 3, device=d),
    lambda d: trainer.rand(2, device=d), lambda d: trainer.randn(2, device=d),
    lambda d: trainer.randint(0, 3, (2,), device=d),
    lambda d: trainer.randperm(3, device=d), lambda d: trainer.eye(2, device=d),
    lambda d: trainer.as_tensor([1], device=d),
    lambda d: trainer.zeros_like(trainer.ones(2), device=d), lambda d: trainer.ones_like(trainer.ones(2), device=d),
    lambda d: trainer.normal(0.0, 1.0, size=(2,), device=d),
])
@pytest.mark.parametrize("dev", ["cpu", trainer.device("cpu")])
def test_every_factory_takes_device(factory, dev) -> None:
    assert factory(dev).device == trainer.device("cpu")


def test_tensor_to_and_cpu() -> None:
    x = trainer.ones(2)
    d = trainer.device("cpu")
    assert x.to("cpu") is x and x.cpu() is x and not x.is_cuda
    assert x.to(d, trainer.float64).dtype == np.float64 and x.to(device=d, dtype="float64").dtype == np.float64
    assert x.to(trainer.zeros(1, dtype=trainer.float64)).dtype == np.float64


def test_cuda_and_backends_report_nothing() -> None:
    assert trainer.cuda.is_available() is False and trainer.cuda.device_count() == 0
    assert trainer.backends.mps.is_available() is False
    trainer.cuda.manual_seed_all(0)


def test_module_to_device() -> None:
    m = nn.Linear(2, 2)
    assert m.to(trainer.device("cpu")) is m and m.to("cpu", trainer.float64).weight.dtype == np.float64
