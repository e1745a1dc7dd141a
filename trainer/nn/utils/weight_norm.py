"""Weight normalization (Salimans and Kingma, 2016), w = g * v / ||v||: the legacy forward pre-hook form of
`torch.nn.utils.weight_norm` (`weight_g`, `weight_v`), the two ops it and `parametrizations.weight_norm` share,
`norm_except_dim` and `_weight_norm`, and the removal of a legacy hook that it and `spectral_norm` share.

`dim` names the dimension that keeps one norm per slice (0: one per output row or channel); -1 or None normalize
the whole tensor by one norm.
"""

from __future__ import annotations

import warnings
from typing import Any, TypeVar

import numpy as np

from ...autograd.linalg import vector_norm
from ...autograd.tensor import Tensor
from ..module import Module
from ..parameter import Parameter

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm"]

T_module = TypeVar("T_module", bound=Module)


def norm_except_dim(v: Tensor, pow: float = 2, dim: int = 0) -> Tensor:  # noqa: A002 - PyTorch's name
    """`torch.norm_except_dim`: the `pow`-norm of each slice of `v` along `dim`, shaped to broadcast against `v`
    (size 1 in every other dimension); dim -1 gives the norm of the whole tensor, 0-d."""
    if dim == -1:
        return vector_norm(v, pow)
    keep = dim % v.ndim
    front = v.transpose(0, keep) if keep else v
    norms = vector_norm(front.reshape(front.shape[0], -1), pow, 1)
    shape = [1] * v.ndim
    shape[keep] = v.shape[keep]
    return norms.reshape(shape)


def _weight_norm(v: Tensor, g: Tensor, dim: int = 0) -> Tensor:
    """`torch._weight_norm`: v * (g / norm_except_dim(v, 2, dim)), one fused node when dim is the first or last."""
    if dim in (0, v.ndim - 1):
        return _fused_weight_norm(v, g, dim)
    return v * (g / norm_except_dim(v, 2, dim))


def _fused_weight_norm(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """PyTorch's `_weight_norm_interface`: one `WeightNormInterfaceBackward0` node with its closed-form gradients."""
    a, gains = v._array, g._array
    axes = tuple(i for i in range(a.ndim) if i != dim)
    norms = np.sqrt(np.sum(a * a, axis=axes, keepdims=True))
    scale = gains / norms

    def backward(grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        along = np.sum(grad * a, axis=axes, keepdims=True)
        grad_v = scale * (grad - a * (along / (norms * norms)))
        return grad_v, (along / norms).reshape(gains.shape)

    return Tensor._make(a * scale, (v, g), backward, "WeightNormInterface")


class WeightNorm:
    """The forward pre-hook that recomputes `module.<name>` from `<name>_g` and `<name>_v` before each forward."""

    name: str
    dim: int

    def __init__(self, name: str, dim: int | None) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Tensor:
        return _weight_norm(getattr(module, self.name + "_v"), getattr(module, self.name + "_g"), self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> WeightNorm:
        """Replace the parameter `name` by `name_g` (its norms) and `name_v` (itself), and hook the module."""
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=2)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, fn.dim).data))
        module.register_parameter(name + "_v", Parameter(weight.data))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        """Make `module.<name>` a parameter again, holding the current normalized weight."""
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.data))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: T_module, name: str = "weight", dim: int | None = 0) -> T_module:
    """Deprecated hook form of weight normalization: `module.<name>` = `<name>_g * <name>_v / ||<name>_v||`,
    recomputed before every forward (prefer `parametrizations.weight_norm`)."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: T_module, name: str = "weight") -> T_module:
    """Undo `weight_norm`: `module.<name>` becomes a parameter holding the normalized weight."""
    remove_hook(module, WeightNorm, name, "weight_norm")
    return module


def remove_hook(module: Module, hook_type: type, name: str, what: str) -> None:
    """Undo and unregister `module`'s forward pre-hook of `hook_type` on the parameter `name` (a `WeightNorm` or a
    `SpectralNorm`); `what` names the function that added it, for PyTorch's error when there is none."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, hook_type) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return
    raise ValueError(f"{what} of '{name}' not found in {module}")
