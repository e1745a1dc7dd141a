"""PyTorch's `torch.utils`: `trainer.utils.data` (datasets, samplers, `DataLoader`), `trainer.utils.hooks`, and
`trainer.utils.checkpoint` (activation checkpointing), loaded on first access."""

from .._lazy import lazy_exports
from . import data, hooks

__getattr__, __dir__ = lazy_exports(__name__, {}, submodules=("checkpoint",))

__all__ = ["data", "hooks", "checkpoint"]
