"""`trainer.nn.functional` (import as `F`): activations, layer functions and losses, PyTorch's names."""

from __future__ import annotations

from ..._lazy import lazy_exports
from .fold import fold, unfold  # eager: the submodule `fold` would otherwise shadow the function once imported

# public name -> the submodule that defines it, imported on first access (a run loads only what its layers call)
_WHERE = {name: module for module, names in {
    "activations": "elu gelu leaky_relu leaky_relu_ log_softmax relu relu_ sigmoid silu softmax softplus "
                   "tanh",
    "classification": "binary_cross_entropy binary_cross_entropy_with_logits cross_entropy kl_div nll_loss",
    "conv": "conv1d conv2d conv_transpose1d conv_transpose2d",
    "layers": "batch_norm dropout dropout1d dropout2d embedding group_norm layer_norm linear one_hot",
    "margin": "cosine_embedding_loss hinge_embedding_loss margin_ranking_loss soft_margin_loss",
    "padding": "pad",
    "pooling": "adaptive_avg_pool1d adaptive_avg_pool2d adaptive_max_pool1d "
               "adaptive_max_pool1d_with_indices adaptive_max_pool2d adaptive_max_pool2d_with_indices "
               "avg_pool1d avg_pool2d max_pool1d max_pool1d_with_indices max_pool2d "
               "max_pool2d_with_indices max_unpool2d",
    "regression": "gaussian_nll_loss huber_loss l1_loss mse_loss poisson_nll_loss smooth_l1_loss",
    "upsampling": "interpolate upsample",
    "attention": "",
}.items() for name in names.split()}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE)


__all__ = [*_WHERE, "fold", "unfold"]
