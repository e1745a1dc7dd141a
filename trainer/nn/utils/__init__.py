"""Utilities on parameters and gradients: clipping, flattening to a vector and back; `rnn` (packed sequences),
loaded on first access."""

from ..._lazy import lazy_exports
from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters

__getattr__, __dir__ = lazy_exports(__name__, {}, submodules=("rnn",))

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters", "rnn"]
