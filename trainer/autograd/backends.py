"""`trainer.backends`: PyTorch's backend switches as a CPU-only engine has them (PyTorch 2.13's defaults).

There is no CUDA, cuDNN or MPS here: `is_available()`/`is_built()` say False and their flags are recorded without
effect. `cuda.matmul.allow_tf32` is the legacy spelling of the float32 matmul precision ("high" when True,
"highest" when False: `settings.set_float32_matmul_precision`, loaded with the op families on first use); the
attention kernels' `enable_*_sdp` switches are recorded (`F.scaled_dot_product_attention` has one kernel).
`cpu.get_cpu_capability()` reads numpy's dispatch. Setting an attribute a module does not have is an error, as
in PyTorch.
"""

from __future__ import annotations

from typing import Any

from . import extensions


def _false() -> bool:
    return False


class _Flags:
    """A backend module: its functions and its flags; unknown attributes cannot be set."""

    def __init__(self, name: str, **members: Any) -> None:
        object.__setattr__(self, "_name", name)
        for key, value in members.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in vars(self) and not isinstance(getattr(type(self), name, None), property):
            raise AttributeError(f"Unknown attribute {name}")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"<module '{self._name}'>"


class _CublasModule(_Flags):
    """`torch.backends.cuda.matmul`: `allow_tf32` reads and writes the float32 matmul precision."""

    @property
    def allow_tf32(self) -> bool:
        return extensions.load()["get_float32_matmul_precision"]() != "highest"

    @allow_tf32.setter
    def allow_tf32(self, on: bool) -> None:  # the op families load together, settings among them
        extensions.load()["set_float32_matmul_precision"]("high" if on else "highest")


def _switch(flags: dict[str, bool], key: str) -> tuple[Any, Any]:
    """The getter `<key>_sdp_enabled()` and the setter `enable_<key>_sdp(enabled)` of one attention kernel."""

    def enabled() -> bool:
        return flags[key]

    def enable(enabled: bool) -> None:
        flags[key] = bool(enabled)

    return enabled, enable


_SDP = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}
_sdp = {f"{key}_sdp_enabled": _switch(_SDP, key)[0] for key in _SDP} | {
    f"enable_{key}_sdp": _switch(_SDP, key)[1] for key in _SDP}

cuda = _Flags("torch.backends.cuda", is_built=_false, is_flash_attention_available=_false,
              matmul=_CublasModule("torch.backends.cuda.matmul", allow_fp16_reduced_precision_reduction=True,
                                   allow_bf16_reduced_precision_reduction=True), **_sdp)
cudnn = _Flags("torch.backends.cudnn", is_available=_false, version=lambda: None, enabled=True, deterministic=False,
               benchmark=False, allow_tf32=True)
mps = _Flags("torch.backends.mps", is_available=_false, is_built=_false)
mkl = _Flags("torch.backends.mkl", is_available=_false)
mkldnn = _Flags("torch.backends.mkldnn", is_available=_false, enabled=True)
openmp = _Flags("torch.backends.openmp", is_available=_false)
opt_einsum = _Flags("torch.backends.opt_einsum", is_available=_false, enabled=False, strategy=None)


def _cpu_capability() -> str:
    """PyTorch's name for the vector instructions its kernels use here: AVX512, AVX2 or DEFAULT (numpy's view)."""
    import platform  # only here: most runs never ask

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return "DEFAULT"
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # numpy 1.x
        from numpy.core._multiarray_umath import __cpu_features__ as features
    if all(features.get(f) for f in ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ")):
        return "AVX512"
    return "AVX2" if features.get("AVX2") else "DEFAULT"


cpu = _Flags("torch.backends.cpu", get_cpu_capability=_cpu_capability)
