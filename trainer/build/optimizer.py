"""Build the optimizer (with parameter groups, or Muon + AdamW) and the learning-rate scheduler."""

from __future__ import annotations

import re
from typing import Any

from .. import optim
from ..config import introspect
from ..config.registry import lookup
from ..config.resolve import default_interval
from ..data import num_batches
from ..errors import UserError, did_you_mean

BUILD_ERRORS = (ValueError, TypeError, KeyError, IndexError, ArithmeticError, MemoryError)

# A constructor's (PyTorch-style) error message -> the argument it is about; `{0}` is the first group.
ARGUMENT_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Invalid beta parameter at index (\d+)", "betas.{0}"),
    (r"Invalid learning rate|Learning rate should be", "lr"),
    (r"Invalid epsilon value", "eps"),
    (r"epsilon1 should be", "eps.0"),
    (r"epsilon2 should be", "eps.1"),
    (r"Invalid eta values", "etas"),
    (r"weight decay should be", "weight_decay"),
    (r"Nesterov momentum requires", "nesterov"),
    (r"Invalid (\w+) value", "{0}"),  # weight_decay, momentum, rho, alpha, lr_decay, momentum_decay, ...
)


def argument_key(message: str, arguments: list[str]) -> str | None:
    """The argument (`betas.0`, `lr`) a constructor's error message names, if it is one of `arguments`."""
    for pattern, template in ARGUMENT_MESSAGES:
        match = re.search(pattern, message)
        if match and template.format(*match.groups()).split(".")[0] in arguments:
            return template.format(*match.groups())
    named = [a for a in arguments if re.search(rf"\b{re.escape(a)}\b", message, re.IGNORECASE)]
    return named[0] if named else None


def _error_key(exc: BaseException, section: str, entry: Any) -> str | None:
    """`section.argument` when the error names one of the entry's arguments, else None."""
    arg = argument_key(str(exc), [a.name for a in introspect.arguments(entry)])
    return f"{section}.{arg}" if arg else None


def _settings(spec: Any, entry: Any) -> dict[str, Any]:
    return {a.name: getattr(spec, a.name) for a in introspect.arguments(entry)}


def _group_params(model: Any, group: Any, gi: int, n_layers: int, section: str) -> list[tuple[str, Any]]:
    key = f"{section}.param_groups.{gi}"
    named = dict(model.named_parameters())
    chosen: dict[str, Any] = {}
    if not group.layers and not group.params:
        raise UserError("a parameter group needs layers (indices into model.layers) or params (names)", key=key,
                        hint=f"parameter names: {', '.join(named)}")
    for i in group.layers or ():
        if not 0 <= i < n_layers:
            raise UserError(f"there is no layer {i}; the model has {n_layers} layers", key=f"{key}.layers")
        mine = {n: p for n, p in named.items() if n.split(".", 1)[0] == str(i)}
        if not mine:
            raise UserError(f"model.layers.{i} has no parameters", key=f"{key}.layers")
        chosen.update(mine)
    for name in group.params or ():
        if name not in named:
            raise UserError(f"no parameter '{name}'{did_you_mean(name, list(named))}",
                            key=f"{key}.params", hint=f"parameter names: {', '.join(named)}")
        chosen[name] = named[name]
    return list(chosen.items())


def param_groups(model: Any, spec: Any, entry: Any, n_layers: int, section: str = "optimizer") -> list[Any]:
    """The optimizer's `params`: a plain list, or group dicts (the ungrouped parameters first, with the defaults)."""
    params = list(model.parameters())
    if not spec.param_groups:
        return params
    owner: dict[int, int] = {}
    groups = []
    for gi, group in enumerate(spec.param_groups):
        members = _group_params(model, group, gi, n_layers, section)
        for name, p in members:
            if id(p) in owner:
                raise UserError(f"parameter '{name}' is already in param_groups.{owner[id(p)]}",
                                key=f"{section}.param_groups.{gi}")
            owner[id(p)] = gi
        settings = {k: v for k, v in _settings(group, entry).items() if v is not None}
        groups.append({"params": [p for _, p in members], **settings})
    rest = [p for p in params if id(p) not in owner]
    return ([{"params": rest}] if rest else []) + groups


def build_optimizer(spec: Any, model: Any, n_layers: int, section: str = "optimizer") -> Any:
    """The optimizer of the config's `optimizer` section over the model's parameters.

    A wrapper (`lookahead`) builds its nested `optimizer:` block first (`section` names it in errors).
    """
    entry = lookup("optimizer", spec.type, section)
    if not list(model.parameters()):
        raise UserError("the model has no parameters to optimize", key="model.layers",
                        hint="add a layer with weights, such as {type: linear, out_features: 1}")
    inner = build_optimizer(spec.optimizer, model, n_layers, f"{section}.optimizer") if entry.name == "lookahead" \
        else None
    try:
        if inner is not None:
            return entry.load()(inner, **_settings(spec, entry))
        if spec.type == "muon":
            adamw = lookup("optimizer", "adamw")
            return optim.MuonWithAdamW(model.parameters(), _settings(spec, entry), _settings(spec.adamw, adamw))
        params = param_groups(model, spec, entry, n_layers, section)
        return entry.load()(params, **_settings(spec, entry))
    except BUILD_ERRORS as exc:
        key = f"{section}.param_groups" if getattr(spec, "param_groups", None) else section
        key = _error_key(exc, section, entry) or key
        if spec.type == "muon" and key == section:
            key = _error_key(exc, f"{section}.adamw", lookup("optimizer", "adamw")) or key
        raise UserError(f"cannot build optimizer '{spec.type}': {exc}", key=key) from None


# ----- schedulers --------------------------------------------------------------------------------


class ScheduleTooShort(UserError):
    """A onecycle schedule shorter than the steps the run takes; `resumed()` says why for a resumed run."""

    def __init__(self, total: int, steps: int, per_epoch: int | None, key: str) -> None:
        super().__init__(f"onecycle is {total} steps long but this schedule steps it {steps} times", key=key,
                         hint="leave total_steps (and epochs/steps_per_epoch) out: the builder fits them")
        self.total, self.steps, self.per_epoch = total, steps, per_epoch

    def resumed(self) -> UserError:
        """The same problem for `--resume`: the total came from the run's original length, not from the user."""
        total, per = self.total, self.per_epoch
        where = "" if self.key == "scheduler" else f" ({self.key})"
        length = ""
        if per is not None and total % per == 0:
            length = f" ({total // per} epochs × {per} batches)" if per > 1 else f" ({total} epochs)"
        epochs = str(self.steps // per) if per else "N"
        extend = f"{epochs} epochs ({self.steps} steps)" if per else f"{self.steps} steps"
        return UserError(f"onecycle's schedule{where} was fixed for the run's original length: total_steps = "
                         f"{total}{length}, saved in config.yaml when the run started; a resumed run cannot "
                         f"extend it to {extend}", file=self.file, key="training.epochs",
                         hint="start a new run with more epochs (onecycle spans the whole run), "
                              f"e.g. trainer run CONFIG --set training.epochs={epochs}")


def _lrs(optimizer: Any) -> Any:
    lrs = [float(g["lr"]) for g in optimizer.param_groups]
    return lrs[0] if len(set(lrs)) == 1 else lrs


def _fill(spec: Any, steps: int, optimizer: Any) -> dict[str, Any]:
    """Builder defaults: cosine's T_max and onecycle's total_steps span the schedule; onecycle's max_lr is the lr."""
    filled: dict[str, Any] = {}
    if spec.type == "cosine" and spec.T_max is None:
        filled["T_max"] = max(1, steps)
    if spec.type == "onecycle":
        if spec.total_steps is None and (spec.epochs is None or spec.steps_per_epoch is None):
            filled["total_steps"] = max(1, steps)
        if spec.max_lr is None:
            filled["max_lr"] = _lrs(optimizer)
    return filled


def _one(spec: Any, optimizer: Any, steps: int, key: str, filled: dict[str, Any], per_epoch: int | None = None
         ) -> Any:
    entry = lookup("scheduler", spec.type, key)
    extra = _fill(spec, steps, optimizer)
    if extra:
        filled[key] = extra
    kwargs = {**_settings(spec, entry), **extra}
    if spec.type == "onecycle":
        total = kwargs.get("total_steps") or (kwargs.get("epochs") or 0) * (kwargs.get("steps_per_epoch") or 0)
        if total < steps:
            raise ScheduleTooShort(total, steps, per_epoch, key)
    try:
        return entry.load()(optimizer, **kwargs)
    except BUILD_ERRORS as exc:
        raise UserError(f"cannot build scheduler '{spec.type}': {exc}", key=_error_key(exc, key, entry) or key
                        ) from None


def build_scheduler(spec: Any, optimizer: Any, epochs: int, batches_per_epoch: int
                    ) -> tuple[Any, str, dict[str, dict[str, Any]]]:
    """(scheduler, interval, values the builder filled in by key path) for the config's `scheduler` section."""
    interval = spec.interval or default_interval(spec)
    if spec.type == "plateau" and interval == "batch":
        raise UserError("plateau steps on a metric once per epoch; it cannot step per batch", key="scheduler.interval")
    steps = epochs * (batches_per_epoch if interval == "batch" else 1)
    filled: dict[str, dict[str, Any]] = {}
    if spec.type not in ("sequential", "chained"):
        per_epoch = batches_per_epoch if interval == "batch" else 1
        return _one(spec, optimizer, steps, "scheduler", filled, per_epoch), interval, filled
    if spec.type == "sequential":
        bounds = [0, *spec.milestones, steps]
        spans = [int(b - a) for a, b in zip(bounds, bounds[1:])] if len(bounds) == len(spec.schedulers) + 1 \
            else [steps] * len(spec.schedulers)
    else:
        spans = [steps] * len(spec.schedulers)
    children = [_one(child, optimizer, span, f"scheduler.schedulers.{i}", filled)
                for i, (child, span) in enumerate(zip(spec.schedulers, spans))]
    entry = lookup("scheduler", spec.type, "scheduler")
    try:
        if spec.type == "sequential":
            scheduler = entry.load()(optimizer, children, list(spec.milestones))
        else:
            scheduler = entry.load()(children, optimizer)
    except BUILD_ERRORS as exc:
        key = _error_key(exc, "scheduler", entry) or "scheduler"
        raise UserError(f"cannot build scheduler '{spec.type}': {exc}", key=key) from None
    return scheduler, interval, filled


def steps_per_epoch(n_train: int, batch_size: int | None) -> int:
    """Batches in one epoch (no batch is dropped)."""
    return num_batches(n_train, batch_size)


