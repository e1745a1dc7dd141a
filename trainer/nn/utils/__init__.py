"""Utilities on parameters and gradients: clipping, flattening to a vector and back; the legacy weight_norm and
spectral_norm hooks; `rnn` (packed sequences), `parametrize`, `parametrizations` and `prune`, loaded on first access."""

import sys
import types

from ..._lazy import lazy_exports
from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters

# public name -> the submodule defining it; `weight_norm` and `spectral_norm` are also those submodules' names
_WHERE = {"weight_norm": "weight_norm", "remove_weight_norm": "weight_norm",
          "spectral_norm": "spectral_norm", "remove_spectral_norm": "spectral_norm"}


class _Package(types.ModuleType):
    """This package, whose `weight_norm` and `spectral_norm` stay the functions when the submodules of the same
    names are imported (the import system then sets the attribute to the submodule), as in PyTorch."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}" and name in _WHERE:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
__getattr__, __dir__ = lazy_exports(__name__, _WHERE, submodules=("rnn", "parametrize", "parametrizations", "prune",
                                                                     "stateless"))

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters", *_WHERE, "rnn", "parametrize", "parametrizations", "prune",
           "stateless"]
