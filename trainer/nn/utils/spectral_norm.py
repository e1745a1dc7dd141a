"""Spectral normalization (Miyato et al., 2018), W / sigma(W) with sigma estimated by power iteration: the legacy
forward pre-hook form of `torch.nn.utils.spectral_norm` (`weight_orig`, `weight_u`, `weight_v`), and what it shares
with `parametrizations.spectral_norm` (the default dim, the weight as a matrix, the normalization of a vector).

A weight of more than two dimensions is read as a matrix with `dim` first and the others flattened.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ...autograd.grad_mode import no_grad
from ...autograd.more_ops import dot, mv
from ...autograd.tensor import Tensor
from ..conv import ConvTranspose1d, ConvTranspose2d
from ..functional.distance import normalize
from ..module import Module
from ..parameter import Parameter
from .weight_norm import remove_hook

__all__ = ["SpectralNorm", "spectral_norm", "remove_spectral_norm"]

T_module = TypeVar("T_module", bound=Module)


def output_dim(module: Module, dim: int | None) -> int:
    """`dim`, or by default the dimension of the outputs: 1 for transposed convolutions, 0 otherwise."""
    if dim is not None:
        return dim
    return 1 if isinstance(module, ConvTranspose1d | ConvTranspose2d) else 0


def check_power_iterations(n_power_iterations: int) -> None:
    """PyTorch's refusal of a count below one."""
    if n_power_iterations <= 0:
        raise ValueError(f"Expected n_power_iterations to be positive, but got n_power_iterations={n_power_iterations}")


def as_matrix(weight: Tensor, dim: int) -> Tensor:
    """`weight` as a (size of `dim`, rest) matrix, a view with `dim` moved to the front."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.ndim) if d != dim))
    return weight.reshape(weight.shape[0], -1)


def unit(x: Tensor, eps: float) -> Tensor:
    """x / max(||x||, eps), the normalization every power-iteration step applies."""
    return normalize(x, dim=0, eps=eps)


def random_unit(size: int, like: Tensor, eps: float) -> Tensor:
    """A normalized vector of N(0, 1) draws of `like`'s dtype (PyTorch's numbers for the same seed)."""
    return unit(like.new_empty(size).normal_(0, 1), eps)


class SpectralNorm:
    """The forward pre-hook that sets `module.<name>` to `<name>_orig / sigma` before each forward, first stepping the
    power iteration on the buffers `<name>_u` and `<name>_v` in training mode."""

    _version: int = 1
    name: str
    dim: int
    n_power_iterations: int
    eps: float

    def __init__(self, name: str = "weight", n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        self.name = name
        self.dim = dim
        check_power_iterations(n_power_iterations)
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        return as_matrix(weight, self.dim)

    def compute_weight(self, module: Module, do_power_iteration: bool) -> Tensor:
        """The normalized weight; with `do_power_iteration`, u and v are first updated in place (v, then u)."""
        weight = getattr(module, self.name + "_orig")
        u = getattr(module, self.name + "_u")
        v = getattr(module, self.name + "_v")
        matrix = self.reshape_weight_to_matrix(weight)
        if do_power_iteration:
            with no_grad():
                for _ in range(self.n_power_iterations):
                    v.copy_(unit(mv(matrix.t(), u), self.eps))
                    u.copy_(unit(mv(matrix, v), self.eps))
                u, v = u.clone(), v.clone()  # a later step may not change what this graph saved
        return weight / dot(u, mv(matrix, v))

    def remove(self, module: Module) -> None:
        """Make `module.<name>` a parameter again, holding the weight normalized by the current estimate."""
        with no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))

    @staticmethod
    def apply(module: Module, name: str, n_power_iterations: int, dim: int, eps: float) -> SpectralNorm:
        """Move the parameter `name` to `name_orig`, add random unit buffers `name_u` and `name_v`, hook the module."""
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, SpectralNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two spectral_norm hooks on the same parameter {name}")
        fn = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = module._parameters[name]
        if weight is None:
            raise ValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
        with no_grad():
            height, width = fn.reshape_weight_to_matrix(weight).shape
            u = random_unit(height, weight, fn.eps)
            v = random_unit(width, weight, fn.eps)
        delattr(module, fn.name)
        module.register_parameter(fn.name + "_orig", weight)
        setattr(module, fn.name, weight.data)
        module.register_buffer(fn.name + "_u", u)
        module.register_buffer(fn.name + "_v", v)
        module.register_forward_pre_hook(fn)
        return fn


def spectral_norm(module: T_module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> T_module:
    """Hook form of spectral normalization: `module.<name>` = `<name>_orig / sigma`, recomputed before every forward
    (`parametrizations.spectral_norm` is the newer form)."""
    SpectralNorm.apply(module, name, n_power_iterations, output_dim(module, dim), eps)
    return module


def remove_spectral_norm(module: T_module, name: str = "weight") -> T_module:
    """Undo `spectral_norm`: `module.<name>` becomes a parameter holding the normalized weight."""
    remove_hook(module, SpectralNorm, name, "spectral_norm")
    return module
