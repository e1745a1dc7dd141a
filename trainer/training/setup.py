"""From a config to what the loop needs: the built experiment, the loop settings and the resolved config."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import UserError
from .settings import EarlyStoppingSettings, LoopSettings


def load(source: Any, overrides: Sequence[str] = ()) -> Any:
    """A validated RunConfig from a path, a dict or a RunConfig, with `KEY=VALUE` overrides applied."""
    from ..config import load_config

    return load_config(source, overrides)


def settings_for(cfg: Any, experiment: Any) -> LoopSettings:
    """The loop settings of a config's `training` block and what the builders decided (metrics, intervals)."""
    t = cfg.training
    early = None
    if t.early_stopping is not None:
        es = t.early_stopping
        early = EarlyStoppingSettings(patience=es.patience, min_delta=es.min_delta, monitor=es.monitor)
    return LoopSettings(
        epochs=t.epochs, seed=cfg.seed, batch_size=t.batch_size, shuffle=t.shuffle, log_every=t.log_every,
        grad_clip_norm=t.grad_clip_norm, grad_clip_value=t.grad_clip_value, checkpoint_every=t.checkpoint_every,
        metrics=tuple(experiment.metrics), logits=experiment.logits, scheduler_interval=experiment.scheduler_interval,
        scheduler_monitor=experiment.scheduler_monitor, early_stopping=early, detect_anomaly=t.detect_anomaly,
    )


def build(cfg: Any) -> tuple[Any, LoopSettings, dict[str, Any]]:
    """Build the experiment (seeded as the config says) and the loop settings; also the resolved config."""
    from ..config import build_experiment

    experiment = build_experiment(cfg)
    return experiment, settings_for(cfg, experiment), experiment.resolved


def _check_experiment_blocks(cfg: Any) -> None:
    """A config's compare: list and sweep: block get the checks `trainer compare` / `trainer sweep` make."""
    if cfg.compare is None and cfg.sweep is None:
        return
    from ..experiments.compare import plan_compare
    from ..experiments.sweep import plan_sweep

    for block, plan in (("compare", plan_compare), ("sweep", plan_sweep)):
        if getattr(cfg, block) is None:
            continue
        try:
            plan(cfg)
        except UserError as exc:
            if exc.file is None and getattr(cfg, "source", None):
                exc.file = str(cfg.source)
            key = (exc.key or "").removeprefix("optimizers.")
            exc.key = key if key.startswith(block) else f"{block}.{key}" if key else block
            raise


def validate(source: Any, overrides: Sequence[str] = ()) -> str:
    """Check a config as far as possible without training; a one-line description of what it builds."""
    from ..config import validate_experiment

    exp = validate_experiment(source, overrides)
    settings_for(exp.config, exp)
    _check_experiment_blocks(exp.config)
    data = exp.data
    layers = len(exp.config.model.layers)
    n_params = sum(int(p.numel()) for p in exp.model.parameters())
    split = f", {data.n_val} validation" if data.has_val else ""
    return (f"{exp.task} on {data.n_train} training rows{split}; {layers} layers, {n_params} parameters; "
            f"{exp.config.loss.type} loss, {exp.config.optimizer.type}")
