"""`LRScheduler`: the base of every learning-rate scheduler (PyTorch's chainable form)."""

from __future__ import annotations

import types
import warnings
from typing import Any

from ..autograd import Tensor
from .optimizer import Optimizer, _to_scalar

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. "
    "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from "
    "None, the closed form is used instead of the new chainable form, where available."
)


def format_param(name: str, optimizer: Optimizer, param: Any) -> list[Any]:
    """One value per parameter group: a scalar is repeated, a list must match the number of groups."""
    if isinstance(param, list | tuple):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. {name} has {len(param)} values, "
                f"param_groups has {len(optimizer.param_groups)}."
            )
        return list(param)
    return [param] * len(optimizer.param_groups)


def group_values(optimizer: Optimizer, key: str) -> list[Any]:
    """`group[key]` for every parameter group (tensors copied)."""
    return [g[key].clone() if isinstance(g[key], Tensor) else g[key] for g in optimizer.param_groups]


def set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    """Set a hyperparameter, in place when it is a tensor (so a tensor lr keeps its identity)."""
    if isinstance(group[key], Tensor):
        group[key]._array.fill(_to_scalar(value))
    else:
        group[key] = value


def _tracked_step(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
    """The optimizer's own `step`, noting that it was called (`_opt_called`)."""
    self._opt_called = True  # type: ignore[attr-defined]
    return type(self).step(self, *args, **kwargs)


def _track_step_calls(optimizer: Optimizer) -> None:
    """Make `optimizer.step()` record that it ran, so `LRScheduler.step` can warn when it comes first.

    As PyTorch's schedulers do, this patches the instance (once), not the class. The patch is a bound
    method, so a deep copy of the optimizer tracks its own calls.
    """
    step = optimizer.step
    if getattr(step, "__func__", None) is not _tracked_step:
        optimizer.step = types.MethodType(_tracked_step, optimizer)  # type: ignore[method-assign]


class LRScheduler:
    """Base class: `step()` advances `last_epoch` and writes `get_lr()` into every group's `lr`.

    Subclasses compute the new lr from the current one (chainable form) in `get_lr`, and may give a
    closed form in `_get_closed_form_lr` used when `step(epoch)` is called with an explicit epoch.
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                lr = group["lr"]
                group.setdefault("initial_lr", lr.clone() if isinstance(lr, Tensor) else lr)
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming scheduler with "
                        "last_epoch >= 0; load the optimizer's state first"
                    )
        self.base_lrs: list[Any] = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _track_step_calls(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def _state_dict_with(self, key: str, saved: list[Any]) -> dict[str, Any]:
        """`state_dict()` with attribute `key` (which holds objects, not values) saved as `saved` instead."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", key)}
        state[key] = saved
        return state

    def _load_state_dict_with(self, state_dict: dict[str, Any], key: str) -> list[Any]:
        """Restore every attribute but `key` from a `_state_dict_with(key, ...)`; returns what was saved for `key`."""
        state = dict(state_dict)
        saved = state.pop(key)
        self.__dict__.update(state)
        return saved

    def get_last_lr(self) -> list[Any]:
        """The learning rates the last `step()` set, one per parameter group."""
        return self._last_lr

    def get_lr(self) -> list[Any]:
        """The learning rates for `last_epoch`, computed from the current ones."""
        raise NotImplementedError(f"{type(self).__name__} must define get_lr(), as every scheduler subclass does")

    def _warn_if_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                UserWarning,
                stacklevel=3,
            )

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to `epoch`, deprecated) and update the optimizer's lr."""
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in the "
                "order optimizer.step(), then lr_scheduler.step(); otherwise the first value of the learning rate "
                "schedule is skipped.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            set_group_value(group, "lr", lr)
        self._last_lr = group_values(self.optimizer, "lr")
