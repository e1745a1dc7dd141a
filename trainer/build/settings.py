"""The loop settings of a config's `training` block and what the builders decided (metrics, intervals)."""

from __future__ import annotations

from ..config.schema import RunConfig
from ..training.settings import EarlyStoppingSettings, LoopSettings
from .experiment import Experiment


def loop_settings(cfg: RunConfig, experiment: Experiment) -> LoopSettings:
    """What the training loop needs to know besides the objects it trains."""
    t = cfg.training
    early = None
    if t.early_stopping is not None:
        es = t.early_stopping
        early = EarlyStoppingSettings(patience=es.patience, min_delta=es.min_delta, monitor=es.monitor,
                                      restore_best=es.restore_best)
    save_best = t.save_best if isinstance(t.save_best, bool) else True
    best_monitor = None if isinstance(t.save_best, bool) else t.save_best.monitor
    return LoopSettings(
        epochs=t.epochs, seed=cfg.seed, batch_size=t.batch_size, shuffle=t.shuffle, log_every=t.log_every,
        grad_clip_norm=t.grad_clip_norm, grad_clip_value=t.grad_clip_value, checkpoint_every=t.checkpoint_every,
        metrics=tuple(experiment.metrics), logits=experiment.logits, scheduler_interval=experiment.scheduler_interval,
        scheduler_monitor=experiment.scheduler_monitor, early_stopping=early, detect_anomaly=t.detect_anomaly,
        save_best=save_best, save_best_monitor=best_monitor,
    )
