"""PyTorch's `torch.utils.hooks`: `RemovableHandle`, what registering a module or tensor hook returns."""

from ..autograd.hooks import RemovableHandle

__all__ = ["RemovableHandle"]
