"""Neural-network building blocks with PyTorch's names: modules, layers, init, functional, losses.

`trainer.nn.functional` (as `F`) and `trainer.nn.init` are submodules; `trainer.nn.utils` is
loaded on first access when it is installed.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import functional, init
from .activation import ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, SiLU, Softmax, Softplus, Tanh
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout, Dropout1d, Dropout2d
from .flatten import Flatten, Unflatten
from .fold import Fold, Unfold
from .hooks import RemovableHandle
from .linear import Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    NLLLoss,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
)
from .module import IncompatibleKeys, Module
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .parameter import Parameter
from .pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool2d,
)
from .sparse import Embedding
from .upsampling import Upsample


def __getattr__(name: str) -> Any:
    if name == "utils":
        try:
            return importlib.import_module(f"{__name__}.utils")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.utils":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Module", "Parameter", "IncompatibleKeys", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
    "ParameterDict", "RemovableHandle", "Linear", "Identity", "Flatten",
    "Dropout", "BatchNorm1d", "LayerNorm", "Embedding",
    "ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax",
    "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
    "NLLLoss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
    "MarginRankingLoss", "CosineEmbeddingLoss", "functional", "init",
    "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "MaxUnpool2d", "BatchNorm2d", "GroupNorm", "Dropout1d", "Dropout2d", "Unflatten", "Upsample",
    "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "Fold", "Unfold",
]
