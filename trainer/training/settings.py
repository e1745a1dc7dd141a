"""What the loop needs to know besides the objects it trains (taken from the config's `training` block).

NamedTuples rather than frozen dataclasses: the same fields and defaults, ~1.6 ms less at every import.
"""

from __future__ import annotations

from typing import NamedTuple


class EarlyStoppingSettings(NamedTuple):
    """Stop after `patience` epochs without an improvement of `monitor` larger than `min_delta`."""

    patience: int
    min_delta: float = 0.0
    monitor: str | None = None  # None: val_loss when there is a validation split, else train_loss
    restore_best: bool = True  # model.npz holds the best epoch's weights once the run ends


class LoopSettings(NamedTuple):
    """The training loop's knobs."""

    epochs: int
    seed: int = 0
    batch_size: int | None = None
    shuffle: bool = True
    log_every: int | None = 10
    grad_clip_norm: float | None = None
    grad_clip_value: float | None = None
    checkpoint_every: int | None = None
    metrics: tuple[str, ...] = ()
    logits: bool = True  # binary accuracy thresholds outputs at 0 (logits) or at 0.5 (probabilities)
    scheduler_interval: str = "epoch"  # "epoch" or "batch"
    scheduler_monitor: str | None = None  # ReduceLROnPlateau's value; None: like early stopping
    early_stopping: EarlyStoppingSettings | None = None
    detect_anomaly: bool = False  # run epochs inside the engine's anomaly mode (names the first non-finite op)
    save_best: bool = False  # track the best epoch's weights (always done with early stopping)
    save_best_monitor: str | None = None  # its monitor when there is no early stopping (None: the default)
