"""`RemovableHandle` for module hooks: the engine's handle (trainer.autograd.hooks), which tensor hooks return too."""

from ..autograd.hooks import RemovableHandle

__all__ = ["RemovableHandle"]
