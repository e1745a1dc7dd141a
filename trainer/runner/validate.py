"""`trainer validate` for one run: every check short of training, and a line describing what the config builds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..build import Experiment, loop_settings, validate_experiment


def describe(exp: Experiment) -> str:
    """`regression on 100 training rows; 3 layers, 161 parameters; mse loss, adam`."""
    data = exp.data
    if exp.config.objective is not None:  # `rosenbrock objective, a 2-D point; adam, one step per epoch`
        return (f"{exp.config.objective.type} objective, a {exp.model.dimension}-D point "
                f"({exp.config.training.dtype}); {exp.config.optimizer.type}, one step per epoch")
    layers = len(exp.config.model.layers)
    n_params = sum(int(p.numel()) for p in exp.model.parameters())
    split = f", {data.n_val} validation" if data.has_val else ""
    return (f"{exp.task} on {data.n_train} training rows{split}; {layers} layers, {n_params} parameters; "
            f"{exp.config.loss.type} loss, {exp.config.optimizer.type}")


def validate_run(source: Any, overrides: Sequence[str] = ()) -> Experiment:
    """Load, validate and build everything one run needs (the loop settings included); the built Experiment."""
    exp = validate_experiment(source, overrides)
    loop_settings(exp.config, exp)
    return exp
