"""PyTorch's `torch.utils`: `trainer.utils.data` (datasets, samplers, `DataLoader`) and `trainer.utils.hooks`."""

from . import data, hooks

__all__ = ["data", "hooks"]
