"""`trainer.nn.functional` (import as `F`): activations, layer functions and losses, PyTorch's names."""

from __future__ import annotations

from ..._lazy import lazy_exports
from .fold import fold, unfold  # eager: the submodule `fold` would otherwise shadow the function once imported

# public name -> the submodule that defines it, imported on first access (a run loads only what its layers call)
_WHERE = {name: module for module, names in {
    "activations": "celu celu_ elu elu_ gelu glu hardshrink hardsigmoid hardswish hardtanh hardtanh_ leaky_relu "
                   "leaky_relu_ log_softmax logsigmoid mish prelu relu relu6 relu_ rrelu rrelu_ selu selu_ sigmoid "
                   "silu softmax softmin softplus softshrink softsign tanh tanhshrink threshold threshold_",
    "classification": "binary_cross_entropy binary_cross_entropy_with_logits cross_entropy kl_div nll_loss",
    "conv": "conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d",
    "distance": "cosine_similarity normalize pairwise_distance pdist pixel_shuffle pixel_unshuffle",
    "layers": "batch_norm bilinear dropout dropout1d dropout2d dropout3d embedding group_norm instance_norm "
              "layer_norm linear local_response_norm one_hot rms_norm",
    "margin": "cosine_embedding_loss hinge_embedding_loss margin_ranking_loss multi_margin_loss "
              "multilabel_margin_loss multilabel_soft_margin_loss soft_margin_loss triplet_margin_loss "
              "triplet_margin_with_distance_loss",
    "padding": "pad",
    "pooling": "adaptive_avg_pool1d adaptive_avg_pool2d adaptive_max_pool1d "
               "adaptive_max_pool1d_with_indices adaptive_max_pool2d adaptive_max_pool2d_with_indices "
               "avg_pool1d avg_pool2d max_pool1d max_pool1d_with_indices max_pool2d "
               "max_pool2d_with_indices max_unpool2d "
               "adaptive_avg_pool3d adaptive_max_pool3d adaptive_max_pool3d_with_indices avg_pool3d max_pool3d "
               "max_pool3d_with_indices max_unpool3d",
    "regression": "gaussian_nll_loss huber_loss l1_loss mse_loss poisson_nll_loss smooth_l1_loss",
    "upsampling": "interpolate upsample",
    "attention": "multi_head_attention_forward scaled_dot_product_attention",
    "self_normalizing_dropout": "alpha_dropout feature_alpha_dropout",
    "embedding_bags": "embedding_bag",
    "lp_pool_unpool": "lp_pool1d lp_pool2d lp_pool3d max_unpool1d",
    "grid_sampling": "affine_grid grid_sample",
    "sampling": "gumbel_softmax",
    "shuffling": "channel_shuffle",
    "upsampling_deprecated": "upsample_bilinear upsample_nearest",
}.items() for name in names.split()}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE)


__all__ = [*_WHERE, "fold", "unfold"]
