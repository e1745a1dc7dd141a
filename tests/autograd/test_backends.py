"""`trainer.backends` has PyTorch 2.13's modules, defaults and setters (the values PyTorch's CPU build prints), with
nothing but the CPU available."""

from __future__ import annotations

import pytest

import trainer as torch

b = torch.backends


def test_defaults_as_pytorch_prints_them() -> None:
    m = b.cuda.matmul
    assert (m.allow_tf32, m.allow_fp16_reduced_precision_reduction, m.allow_bf16_reduced_precision_reduction) == (
        False, True, True)
    assert (b.cuda.flash_sdp_enabled(), b.cuda.mem_efficient_sdp_enabled(), b.cuda.math_sdp_enabled(),
            b.cuda.cudnn_sdp_enabled()) == (True, True, True, True)
    assert (b.cudnn.allow_tf32, b.cudnn.version(), b.cudnn.enabled, b.cudnn.deterministic, b.cudnn.benchmark) == (
        True, None, True, False, False)
    assert not any(f() for f in (b.cuda.is_built, b.cuda.is_flash_attention_available, b.cudnn.is_available,
                                 b.mps.is_available, b.mps.is_built, b.mkl.is_available, b.mkldnn.is_available,
                                 b.openmp.is_available, b.opt_einsum.is_available))
    assert b.cpu.get_cpu_capability() in ("AVX512", "AVX2", "DEFAULT")


def test_allow_tf32_is_the_legacy_spelling_of_the_matmul_precision() -> None:
    try:
        b.cuda.matmul.allow_tf32 = True
        assert torch.get_float32_matmul_precision() == "high" and b.cuda.matmul.allow_tf32 is True
        torch.set_float32_matmul_precision("medium")
        assert b.cuda.matmul.allow_tf32 is True
        b.cuda.matmul.allow_tf32 = False
        assert torch.get_float32_matmul_precision() == "highest" and b.cuda.matmul.allow_tf32 is False
    finally:
        torch.set_float32_matmul_precision("highest")


def test_flags_are_recorded_and_unknown_ones_refused() -> None:
    try:
        b.cuda.enable_flash_sdp(False)
        assert b.cuda.flash_sdp_enabled() is False and b.cuda.math_sdp_enabled() is True
        b.cudnn.allow_tf32 = False
        b.cudnn.benchmark = True
        assert (b.cudnn.allow_tf32, b.cudnn.benchmark) == (False, True)
    finally:
        b.cuda.enable_flash_sdp(True)
        b.cudnn.allow_tf32, b.cudnn.benchmark = True, False
    with pytest.raises(AttributeError, match="^Unknown attribute foo$"):
        b.cuda.matmul.foo = 1
    with pytest.raises(AttributeError, match="^Unknown attribute fast$"):
        b.cudnn.fast = True
