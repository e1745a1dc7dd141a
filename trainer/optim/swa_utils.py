"""Stochastic weight averaging (SWA) and EMA of a model's weights: PyTorch's `torch.optim.swa_utils`.

`AveragedModel` holds a deep copy of a model and folds the model's parameters (with `use_buffers`, its buffers
too) into it on every `update_parameters`; `update_bn` recomputes the batch-norm statistics for averaged weights
in one pass over a loader; `SWALR` anneals each group's lr to a fixed SWA lr. The `get_*_avg_fn` helpers give
the equal-weight (SWA) and exponential (EMA) averages, per tensor or over lists of tensors.

`trainer.optim` sits beside `trainer.nn` and may not import it (the layer contract in pyproject.toml), so
`AveragedModel` is not an `nn.Module` subclass: it offers the part of Module's interface an averaged model is
used through (calling, parameters, buffers, modules, train/eval, `to`, state_dict with PyTorch's keys), and a
batch-norm layer is told by its classes' names (`_is_batch_norm`).
"""

from __future__ import annotations

import copy
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from ..autograd import Tensor, addcdiv, is_complex, is_floating_point, lerp, long, no_grad, tensor
from ._lr_base import LRScheduler, format_param
from .optimizer import Optimizer

__all__ = ["SWALR", "AveragedModel", "get_ema_avg_fn", "get_ema_multi_avg_fn", "get_swa_avg_fn",
           "get_swa_multi_avg_fn", "update_bn"]

AvgFn = Callable[[Tensor, Tensor, Any], Tensor]
MultiAvgFn = Callable[[list[Tensor], list[Tensor], Any], None]

_PREFIX = "module."  # AveragedModel's keys for the copy's entries, as PyTorch's submodule `module`
_COUNT = "n_averaged"


# ----- averaging functions ----------------------------------------------------------------------------------------
def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


def _lerps_(starts: list[Tensor], ends: list[Tensor], weight: Any) -> None:
    """`start.lerp_(end, weight)` for each pair, with PyTorch's two-sided lerp (`trainer.lerp`)."""
    for start, end in zip(starts, ends, strict=True):
        start.copy_(lerp(start, end, weight))


def _lerpable(t: Tensor) -> bool:
    """Whether PyTorch's foreach lerp takes this dtype (floating or complex)."""
    return is_floating_point(t) or is_complex(t)


def get_ema_multi_avg_fn(decay: float = 0.999) -> MultiAvgFn:
    """In-place EMA over lists: `ema = decay * ema + (1 - decay) * current` (a lerp for floating tensors)."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_params: list[Tensor], current_params: list[Tensor], _num_averaged: Any) -> None:
        if _lerpable(ema_params[0]):
            _lerps_(ema_params, current_params, 1 - decay)
            return
        for ema, current in zip(ema_params, current_params, strict=True):
            ema.copy_(ema * decay + current * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> MultiAvgFn:
    """In-place equal-weight average over lists: `avg += (current - avg) / (num_averaged + 1)`.

    As in PyTorch, a tensor `num_averaged` makes the lerp weight a tensor of the default dtype, and integer
    tensors go through `addcdiv` (which refuses them) or, with an int count, through `add_` with a float alpha.
    """

    @no_grad()
    def swa_update(averaged: list[Tensor], current: list[Tensor], num_averaged: Any) -> None:
        if _lerpable(averaged[0]):
            _lerps_(averaged, current, 1 / (num_averaged + 1))
            return
        diffs = [c - a for a, c in zip(averaged, current, strict=True)]
        for a, diff in zip(averaged, diffs, strict=True):
            if isinstance(num_averaged, Tensor):
                a.copy_(addcdiv(a, diff, num_averaged + 1))
            else:
                a.add_(diff, alpha=1.0 / (num_averaged + 1))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> AvgFn:
    """EMA of one tensor: returns `decay * ema + (1 - decay) * current`."""
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> AvgFn:
    """Equal-weight average of one tensor: returns `avg + (current - avg) / (num_averaged + 1)`."""

    @no_grad()
    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


# ----- the averaged model ----------------------------------------------------------------------------------------
def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _averaged_tensors(model: Any, use_buffers: bool) -> Iterator[Tensor]:
    """What `update_parameters` averages: the parameters, then (with `use_buffers`) the buffers."""
    return chain(model.parameters(), model.buffers()) if use_buffers else model.parameters()


def _by_device_and_dtype(pairs: list[tuple[Tensor, Tensor]]) -> list[tuple[str, list[Tensor], list[Tensor]]]:
    """(device, averaged, current) lists per device and dtype of the averaged tensors.

    The groups come last-seen first, the order PyTorch's C++ grouping yields them in on the CPU.
    """
    groups: dict[tuple[str, Any], tuple[list[Tensor], list[Tensor]]] = {}
    for mine, theirs in pairs:
        averaged, current = groups.setdefault((str(mine.device), mine.dtype), ([], []))
        averaged.append(mine)
        current.append(theirs)
    return [(device, *lists) for (device, _), lists in reversed(groups.items())]


class AveragedModel:
    """A deep copy of `model` holding a running average of its weights (SWA by default, EMA with a helper).

    `update_parameters(model)` copies the weights on its first call and then averages them in with `avg_fn`
    (one tensor at a time) or `multi_avg_fn` (lists of tensors of one device and dtype); neither means the
    equal-weight average. Without `use_buffers` the buffers are copied from `model` each time; with it they are
    averaged too. `n_averaged` (an int64 tensor) counts the updates and is saved in `state_dict()` beside the
    copy's entries, which are prefixed `module.`. Calling the averaged model calls the copy.
    """

    def __init__(self, model: Any, device: Any = None, avg_fn: AvgFn | None = None,
                 multi_avg_fn: MultiAvgFn | None = None, use_buffers: bool = False) -> None:
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.training = True
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.n_averaged = tensor(0, dtype=long, device=device)
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ----- averaging --------------------------------------------------------------------------------------------
    def update_parameters(self, model: Any) -> None:
        """Fold `model`'s current weights into the average (the first call copies them)."""
        pairs = [(mine.detach(), theirs.detach().to(mine.device)) for mine, theirs in
                 zip(_averaged_tensors(self.module, self.use_buffers), _averaged_tensors(model, self.use_buffers),
                     strict=False)]
        if bool(self.n_averaged == 0):
            for mine, theirs in pairs:
                mine.copy_(theirs)
        elif bool(self.n_averaged > 0):
            self._average(pairs)
        if not self.use_buffers:  # the buffers follow the model's
            for mine, theirs in zip(self.module.buffers(), model.buffers(), strict=True):
                mine.detach().copy_(theirs.detach().to(mine.device))
        self.n_averaged += 1

    def _average(self, pairs: list[tuple[Tensor, Tensor]]) -> None:
        if self.multi_avg_fn is not None:
            for device, averaged, current in _by_device_and_dtype(pairs):
                self.multi_avg_fn(averaged, current, self.n_averaged.to(device))
            return
        avg_fn = get_swa_avg_fn() if self.avg_fn is None else self.avg_fn  # PyTorch's CPU path: one tensor at a time
        for mine, theirs in pairs:
            mine.copy_(avg_fn(mine, theirs, self.n_averaged.to(mine.device)))

    # ----- Module's interface, over the copy -------------------------------------------------------------------
    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
                         ) -> Iterator[tuple[str, Tensor]]:
        if recurse:
            yield from self.module.named_parameters(_join(prefix, "module"), True, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Tensor]]:
        yield _join(prefix, _COUNT), self.n_averaged
        if recurse:
            yield from self.module.named_buffers(_join(prefix, "module"), True, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Any]]:
        if memo is not None:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        yield from self.module.named_modules(memo, _join(prefix, "module"), remove_duplicate)

    def modules(self) -> Iterator[Any]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Any]]:
        yield "module", self.module

    def children(self) -> Iterator[Any]:
        yield self.module

    def apply(self, fn: Callable[[Any], Any]) -> AveragedModel:
        self.module.apply(fn)
        fn(self)
        return self

    def train(self, mode: bool = True) -> AveragedModel:
        self.module.train(mode)  # checks `mode` with Module's message
        self.training = mode
        return self

    def eval(self) -> AveragedModel:
        return self.train(False)

    def to(self, *args: Any, **kwargs: Any) -> AveragedModel:
        self.module.to(*args, **kwargs)
        return self

    def double(self) -> AveragedModel:
        self.module.double()
        return self

    def float(self) -> AveragedModel:
        self.module.float()
        return self

    def cpu(self) -> AveragedModel:
        return self

    def requires_grad_(self, requires_grad: bool = True) -> AveragedModel:
        self.module.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.module.zero_grad(set_to_none)

    def state_dict(self, destination: dict | None = None, prefix: str = "", keep_vars: bool = False
                   ) -> OrderedDict[str, Tensor]:
        """`n_averaged`, then the copy's entries under `module.`: PyTorch's keys and order."""
        out: Any = OrderedDict() if destination is None else destination
        out[prefix + _COUNT] = self.n_averaged if keep_vars else self.n_averaged.detach()
        self.module.state_dict(out, prefix + _PREFIX, keep_vars)
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False) -> Any:
        """Load `n_averaged` and the copy's `module.` entries; the copy's own `load_state_dict` checks shapes.

        Returns the copy's `(missing_keys, unexpected_keys)` result with this model's key names.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        inner = {k[len(_PREFIX):]: v for k, v in state_dict.items() if k.startswith(_PREFIX)}
        result = self.module.load_state_dict(inner, strict=False, assign=assign)
        if _COUNT in state_dict:
            with no_grad():
                self.n_averaged.copy_(state_dict[_COUNT])
        missing = ([] if _COUNT in state_dict else [_COUNT]) + [_PREFIX + k for k in result.missing_keys]
        expected = set(self.state_dict())
        unexpected = [k for k in state_dict if k not in expected]
        if strict and (missing or unexpected):
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(_key_errors(missing, unexpected)))
        return type(result)(missing, unexpected)

    def __repr__(self) -> str:
        inner = repr(self.module).replace("\n", "\n  ")
        return f"{type(self).__name__}(\n  (module): {inner}\n)"


def _key_errors(missing: list[str], unexpected: list[str]) -> list[str]:
    """The lines of PyTorch's strict `load_state_dict` error for these keys."""
    lines = []
    if missing:
        lines.append("Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
    if unexpected:
        lines.append("Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
    return lines


# ----- batch-norm statistics -------------------------------------------------------------------------------------
def _is_batch_norm(module: Any) -> bool:
    """Whether PyTorch's `update_bn` resets this layer: a subclass of a class named `_BatchNorm`.

    Told by name because `trainer.nn` may not be imported here. trainer's `_InstanceNorm` derives from its
    `_BatchNorm` while PyTorch's does not, so instance norms are excluded by name as well.
    """
    names = {cls.__name__ for cls in type(module).__mro__}
    return "_BatchNorm" in names and "_InstanceNorm" not in names


@no_grad()
def update_bn(loader: Iterable[Any], model: Any, device: Any = None) -> None:
    """Recompute every batch-norm layer's running statistics in one pass over `loader`.

    The statistics are reset and, with `momentum` None for the pass, become the cumulative average over the
    batches; momenta and the model's training mode are restored afterwards. A batch that is a list or tuple is
    given to the model by its first element. A model without batch-norm layers is left as it is.
    """
    momenta = {}
    for module in model.modules():
        if _is_batch_norm(module):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    for batch in loader:
        if isinstance(batch, list | tuple):
            batch = batch[0]
        if device is not None:
            batch = batch.to(device)
        model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


# ----- the SWA learning rate -------------------------------------------------------------------------------------
def _cosine_anneal(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


def _linear_anneal(t: float) -> float:
    return t


_ANNEAL: dict[str, Callable[[float], float]] = {"cos": _cosine_anneal, "linear": _linear_anneal}


def _initial_lr(lr: Any, swa_lr: Any, alpha: float) -> Any:
    """The lr annealing started from, recovered from the lr `alpha` of the way to `swa_lr`."""
    if alpha == 1:
        return swa_lr
    return (lr - alpha * swa_lr) / (1 - alpha)


class SWALR(LRScheduler):
    """Anneal each group's lr to its `swa_lr` over `anneal_epochs` epochs ("cos" or "linear"), then keep it there.

    `swa_lr` is one value for every group or a list with one per group; it is stored as `group["swa_lr"]`. Each
    step moves from the current lr, so SWALR may take over from another scheduler mid-training.
    """

    def __init__(self, optimizer: Optimizer, swa_lr: float | list[float], anneal_epochs: int = 10,
                 anneal_strategy: str = "cos", last_epoch: int = -1) -> None:
        for value, group in zip(format_param("swa_lr", optimizer, swa_lr), optimizer.param_groups, strict=True):
            group["swa_lr"] = value
        if anneal_strategy not in _ANNEAL:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        self._anneal_strategy = anneal_strategy
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @property
    def anneal_func(self) -> Callable[[float], float]:
        """The annealing curve of `anneal_strategy`, from 0 at t=0 to 1 at t=1 (not part of the state_dict)."""
        return _ANNEAL[self._anneal_strategy]

    def _alpha(self, step: int) -> float:
        """How far along the annealing `step` steps are (0 to 1)."""
        return self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))

    def get_lr(self) -> list[Any]:
        self._warn_if_outside_step()
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha, alpha = self._alpha(step - 1), self._alpha(step)
        groups = self.optimizer.param_groups
        starts = [_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, starts, strict=True)]
