"""trainer.amp on a machine without CUDA: PyTorch's warnings, and autocast casting nothing (the values of the
GradScaler flows are compared with PyTorch's in value_cases_tensor.py)."""

from __future__ import annotations

from contextlib import nullcontext

import pytest

import trainer


def test_cuda_spellings_disable_themselves_with_pytorchs_warnings() -> None:
    with pytest.warns(UserWarning, match=r"torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                                         r"Disabling."):
        assert not trainer.amp.GradScaler().is_enabled()
    with pytest.warns(FutureWarning, match=r"`torch.cuda.amp.GradScaler\(args...\)` is deprecated"), \
            pytest.warns(UserWarning, match="CUDA is not available"):
        assert not trainer.cuda.amp.GradScaler().is_enabled()
    with pytest.warns(UserWarning, match="CUDA is not available or torch_xla is imported. Disabling autocast."):
        trainer.autocast("cuda")
    with pytest.warns(FutureWarning, match=r"`torch.cuda.amp.autocast\(args...\)` is deprecated"), \
            pytest.warns(UserWarning, match="Disabling autocast"):
        trainer.cuda.amp.autocast()


def test_cpu_autocast_runs_the_block_in_the_inputs_dtypes() -> None:
    x = trainer.ones(2, 2)

    @trainer.autocast("cpu", enabled=False)
    def product(a: trainer.Tensor) -> trainer.Tensor:
        return a @ a

    assert product(x).dtype == trainer.float32 and not trainer.is_autocast_enabled()
    with pytest.warns(UserWarning, match="casts no op") if not trainer.autograd.amp._WARNED_CPU[0] else nullcontext():
        with trainer.autocast("cpu", dtype=trainer.float16):
            assert (x @ x).dtype == trainer.float32
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        trainer.autocast(0)

