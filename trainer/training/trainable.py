"""What the loop trains: a model with its loss, optimizer and scheduler, the data, and how metrics see outputs.

The build layer makes one (its `Experiment` adds the config it came from); the loop needs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import Tensor
from ..data import Dataset
from ..nn import Module
from ..optim import Optimizer

if TYPE_CHECKING:  # a run without a scheduler never imports the scheduler modules
    from ..optim.lr_scheduler import LRScheduler


@dataclass
class Trainable:
    """Everything one run trains with. `data` targets are already encoded as the loss expects."""

    data: Dataset
    model: Module
    loss_fn: Callable[[Tensor, Tensor], Tensor]
    optimizer: Optimizer
    scheduler: LRScheduler | None = None  # ReduceLROnPlateau is an LRScheduler too
    dtype: np.dtype = np.dtype(np.float32)  # the default dtype while training
    predict: Callable[[np.ndarray], np.ndarray] | None = None  # model output -> what metrics compare with targets
    measures: Callable[[], dict[str, float]] | None = None  # columns read off the model after each epoch (objectives)
    measure_columns: tuple[str, ...] = ()  # the names `measures` returns, in order
    unranked: tuple[str, ...] = ()  # columns with no best value (a point's coordinates): the summary gives their last

    def predictions(self, output: np.ndarray) -> np.ndarray:
        """The model's output as metrics should see it (identity for most losses)."""
        return output if self.predict is None else self.predict(output)
