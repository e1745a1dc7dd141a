"""Neural-network building blocks with PyTorch's names: modules, layers, init, functional, losses.

`trainer.nn.functional` (as `F`) and `trainer.nn.init` are submodules; they, the layers and the losses load on first
access, and `trainer.nn.utils` too when it is installed.
"""

from __future__ import annotations

from .._lazy import lazy_exports
from .module import IncompatibleKeys, Module
from .parameter import Parameter

# public name -> the module that defines it, imported on first access (`trainer.nn.Conv2d`, `from trainer.nn import
# Linear`), so a run imports only the layers and losses it uses; `functional` and `init` are submodules
_WHERE = {name: module for module, names in {
    "activation": "CELU ELU GELU GLU Hardshrink Hardsigmoid Hardswish Hardtanh LeakyReLU LogSigmoid LogSoftmax Mish "
                  "PReLU ReLU ReLU6 RReLU SELU Sigmoid SiLU Softmax Softmax2d Softmin Softplus Softshrink Softsign "
                  "Tanh Tanhshrink Threshold",
    "container": "ModuleDict ModuleList ParameterDict ParameterList Sequential",
    "conv": "Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d",
    "distance": "CosineSimilarity PairwiseDistance",
    "dropout": "Dropout Dropout1d Dropout2d Dropout3d",
    "flatten": "Flatten Unflatten",
    "fold": "Fold Unfold",
    "hooks": "RemovableHandle",
    "linear": "Bilinear Identity Linear",
    "lazy": "LazyBatchNorm1d LazyBatchNorm2d LazyConv1d LazyConv2d LazyConvTranspose1d LazyConvTranspose2d "
            "LazyInstanceNorm1d LazyInstanceNorm2d LazyLinear "
            "LazyBatchNorm3d LazyConv3d LazyConvTranspose3d LazyInstanceNorm3d",
    "parameter": "Buffer UninitializedBuffer UninitializedParameter",
    "alpha_dropout": "AlphaDropout FeatureAlphaDropout",
    "lp_pool_unpool": "LPPool1d LPPool2d LPPool3d MaxUnpool1d",
    "upsampling_fixed": "UpsamplingBilinear2d UpsamplingNearest2d",
    "embedding_bag": "EmbeddingBag",
    "channel_shuffle": "ChannelShuffle",
    "loss": "BCELoss BCEWithLogitsLoss CosineEmbeddingLoss CrossEntropyLoss GaussianNLLLoss HingeEmbeddingLoss "
            "HuberLoss KLDivLoss L1Loss MarginRankingLoss MSELoss MultiLabelMarginLoss MultiLabelSoftMarginLoss "
            "MultiMarginLoss NLLLoss PoissonNLLLoss SmoothL1Loss SoftMarginLoss TripletMarginLoss "
            "TripletMarginWithDistanceLoss",
    "normalization": "BatchNorm1d BatchNorm2d BatchNorm3d GroupNorm InstanceNorm1d InstanceNorm2d InstanceNorm3d "
                     "LayerNorm LocalResponseNorm RMSNorm",
    "pixel_shuffle": "PixelShuffle PixelUnshuffle",
    "pooling": "AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveMaxPool1d AdaptiveMaxPool2d AvgPool1d AvgPool2d MaxPool1d "
               "MaxPool2d MaxUnpool2d "
               "AdaptiveAvgPool3d AdaptiveMaxPool3d AvgPool3d MaxPool3d MaxUnpool3d",
    "sparse": "Embedding",
    "upsampling": "Upsample",
    "padding": "CircularPad1d CircularPad2d CircularPad3d ConstantPad1d ConstantPad2d ConstantPad3d ReflectionPad1d "
               "ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d ZeroPad1d "
               "ZeroPad2d ZeroPad3d",
    "rnn": "GRU GRUCell LSTM LSTMCell RNN RNNBase RNNCell RNNCellBase",
    "attention": "MultiheadAttention",
    "transformer": "Transformer TransformerDecoder TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer",
}.items() for name in names.split()}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, submodules=("functional", "init", "utils"))


__all__ = ["Module", "Parameter", "IncompatibleKeys", *_WHERE, "functional", "init"]
