"""PyTorch's `torch.utils`: `trainer.utils.data` (datasets, samplers, `DataLoader`)."""

from . import data

__all__ = ["data"]
