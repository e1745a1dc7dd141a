"""`Optimizer`: parameter groups, lazily created per-parameter state, and PyTorch's state_dict format.

Subclasses implement `step()` by updating each parameter's numpy array in place (`p._array`), so
parameters keep their identity; a built-in `step()` is wrapped only to then count one in-place change of
every parameter it was given a gradient for (PyTorch's version counters: a graph that saved a parameter
before the step refuses to backward after it). Nothing else wraps `step()`: built-in steps are decorated
with `@no_grad()`, as PyTorch's are, and a subclass that records no graph must say so the same way.
Hyperparameters live in `param_groups` so schedulers can change them between steps. Scalars used
in updates are Python floats: a numpy float64 scalar would silently promote float32 parameters.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd import Tensor, enable_grad, from_numpy, get_default_dtype
from ..autograd.tensor import _last_inplace, _node_counter
from ._flat import FlatGather, StateArena
from ._functional import Scratch

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]
StateDict = dict[str, Any]


class _RequiredParameter:
    """Marks a hyperparameter every parameter group must give."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _to_scalar(x: Any) -> Any:
    """A hyperparameter as a Python number (one-element tensors and numpy scalars included)."""
    if type(x) is float:  # the usual case, first: steps call this for every group
        return x
    if isinstance(x, Tensor):
        if x.numel() != 1:
            raise ValueError("Tensor hyperparameters must be 1-element")
        return x.item()
    if isinstance(x, np.generic | np.ndarray):
        return np.asarray(x).item()
    return x


def _scalar_dtype() -> np.dtype:
    """dtype of scalar state such as `step` (PyTorch: float64 only when that is the default dtype)."""
    return np.dtype(np.float64) if get_default_dtype() == np.float64 else np.dtype(np.float32)


def _scalar_tensor(value: float) -> Tensor:
    """A 0-d state tensor like PyTorch's `state['step']`."""
    return from_numpy(np.array(value, dtype=_scalar_dtype()))


def _increment(step: np.ndarray) -> float:
    """`step += 1` on a 0-d step array, in its dtype; returns the new count as a Python float.

    Written as a 0-d assignment: the exact sum of a float32/float64 count and 1 rounds to the same
    value `+=` gives, and the assignment costs ~50 ns where an in-place ufunc on a 0-d array costs ~1.5 µs.
    """
    step[()] = float(step) + 1.0
    return float(step)


def _zeros_like(p: Tensor) -> Tensor:
    return from_numpy(np.zeros_like(p._array))


def check_lr(lr: Any) -> None:
    """PyTorch's `if not 0.0 <= lr` check (lr may be a one-element tensor)."""
    if not 0.0 <= _to_scalar(lr):
        raise ValueError(f"Invalid learning rate: {lr}")


def check_non_negative(**values: float) -> None:
    """PyTorch's `if not 0.0 <= value` checks, in the order given: `Invalid {name} value: {value}`.

    The names are those of PyTorch's messages (`epsilon` for eps, `weight_decay`, `momentum`, ...).
    """
    for name, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas: tuple[float, float]) -> None:
    """Both coefficients in [0, 1), PyTorch's messages."""
    for i, beta in enumerate(betas):
        if not 0.0 <= _to_scalar(beta) < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_common(lr: float, eps: float, weight_decay: float) -> None:
    """lr, eps and weight_decay must be non-negative (the checks Adam and its variants start with)."""
    check_lr(lr)
    check_non_negative(epsilon=eps, weight_decay=weight_decay)


FLAGS: dict[str, Any] = {"foreach": None, "capturable": False, "differentiable": False, "fused": None}
"""PyTorch's implementation switches: accepted, validated and recorded in `param_groups`, with no effect here."""


def _accept_flags(init: Callable[..., None], flags: tuple[str, ...]) -> Callable[..., None]:
    """`init` taking the keyword-only `flags` too, stashed for `Optimizer.__init__`, with a signature showing them."""

    @functools.wraps(init)
    def wrapper(self: Optimizer, *args: Any, **kwargs: Any) -> None:
        given = {name: kwargs.pop(name) for name in flags if name in kwargs}
        pending = self.__dict__.setdefault("_pending_flags", {})
        for name, value in given.items():
            pending.setdefault(name, value)
        init(self, *args, **kwargs)

    sig = inspect.signature(init)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=FLAGS[name],
                               annotation="bool | None" if FLAGS[name] is None else "bool") for name in flags]
    params = list(sig.parameters.values())
    cut = next((i for i, q in enumerate(params) if q.kind is inspect.Parameter.VAR_KEYWORD), len(params))
    wrapper.__signature__ = sig.replace(parameters=[*params[:cut], *extra, *params[cut:]])  # type: ignore[attr-defined]
    return wrapper


def _with_flags(defaults: dict[str, Any], tail: tuple[str, ...], given: dict[str, Any]) -> dict[str, Any]:
    """`defaults` in PyTorch's key order: its own keys not in `tail`, then `tail`'s, flags filled in."""
    unknown = set(given) - set(tail)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    if given.get("fused") and given.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if given.get("fused") and given.get("differentiable"):
        raise RuntimeError("`fused` does not support `differentiable`")
    out = {k: v for k, v in defaults.items() if k not in tail}
    for key in tail:
        if key in defaults:
            out[key] = defaults[key]
        elif key in FLAGS:
            out[key] = given.get(key, FLAGS[key])
    return out


_ATOMS = frozenset({bool, int, float, str, type(None)})


def _copy_state(value: Any, like: Tensor | None = None, key: Any = None) -> Any:
    """Deep copy of a state value; arrays become Tensors, floating ones cast to `like`'s dtype (not `step`).

    Training loops snapshot the optimizer every epoch, so plain numbers (most hyperparameters) return first.
    """
    if type(value) in _ATOMS:
        return value
    if isinstance(value, Tensor | np.ndarray):
        arr = np.array(value._array if isinstance(value, Tensor) else value, copy=True)
        if like is not None and key != "step" and arr.dtype.kind == "f" and like._array.dtype.kind == "f":
            arr = arr.astype(like._array.dtype, copy=False)
        return Tensor._wrap(arr)
    if isinstance(value, dict):
        return {k: _copy_state(v, like, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copy_state(v, like) for v in value)
    return value


def _as_index(key: Any) -> Any:
    """A state key as an integer parameter index ("3" from a JSON checkpoint becomes 3)."""
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return int(key) if isinstance(key, int | np.integer) else key


def _bumping_versions(step: Callable[..., Any]) -> Callable[..., Any]:
    """`step`, then one version bump for each parameter that has a gradient (it was updated in place)."""

    @functools.wraps(step)
    def wrapped(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
        try:
            out = step(self, *args, **kwargs)
        finally:
            flat = self.__dict__.get("_flat")
            if flat is not None:
                flat.flush()  # the one-pass runs' step counters, back to each parameter's
        stamp = 0  # one stamp for the step (`Tensor._bump`'s): no graph node is recorded between the bumps
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if not stamp:
                        stamp = next(_node_counter)
                    vc = p._vc
                    if vc is None:
                        vc = p._counter()
                    vc.bump(stamp)
        if stamp:
            _last_inplace[0] = stamp
        return out

    return wrapped


class Optimizer:
    """Base class of all optimizers, with PyTorch's contract.

    `params` is an iterable of tensors, of `(name, tensor)` pairs, or of dicts defining parameter
    groups (`{"params": [...], "lr": ...}`); `defaults` fills in what a group does not specify.
    """

    needs_closure: bool = False
    """True when `step()` must be given a closure (it re-evaluates the loss), as LBFGS's does."""

    group_key_tail: tuple[str, ...] = ()
    """The end of PyTorch's `param_groups` key order from its first flag (`foreach`, ...) on, e.g. Adam's
    `("maximize", "foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay")`: the flags
    named here (`FLAGS`) become keyword arguments of the subclass's constructor and entries of its groups."""

    _elementwise: bool = False
    """True when the kernel `step()` feeds `_gather`'s lists to is elementwise with per-list constants, so
    adjacent parameters may come as one flat array (`_flat`); a subclass with its own `step()` gets False."""

    flat_updates: bool = True
    """Whether `_gather` may join adjacent parameters (set False on an instance for the per-tensor path)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__ and cls.__module__.startswith(__name__.rpartition(".")[0] + "."):
            cls.step = _bumping_versions(cls.__dict__["step"])  # built-ins write p._array, which counts nothing
        elif "step" in cls.__dict__ and "_elementwise" not in cls.__dict__:
            cls._elementwise = False  # its counters would never be written back
        own = [name for name in cls.group_key_tail if name in FLAGS]
        if "__init__" in cls.__dict__ and own:
            taken = inspect.signature(cls.__dict__["__init__"]).parameters
            cls.__init__ = _accept_flags(cls.__dict__["__init__"], tuple(n for n in own if n not in taken))

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        given = self.__dict__.pop("_pending_flags", {})
        if self.group_key_tail or given:
            defaults = _with_flags(defaults, self.group_key_tail, given)
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor"
            )
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._scratch = Scratch()
        self._flat = FlatGather()
        self._state_arena = StateArena()
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __repr__(self) -> str:
        """PyTorch's text: each group after a line break of its own (so groups are apart by an empty line)."""
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {k}: {group[k]}\n" for k in sorted(group) if k != "params")
        return text + ")"

    # ----- parameter groups ------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters (with its own hyperparameters) to `param_groups`."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors "
                "in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        tensors, names = [], []
        for p in params:
            if isinstance(p, tuple):
                names.append(p[0])
                tensors.append(p[1])
            else:
                tensors.append(p)
        if names and len(names) != len(tensors):
            raise ValueError("all optimizer params should be with/without names. Some param names are missing")
        param_group["params"] = tensors
        if names:
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        if len({id(p) for p in tensors}) != len(tensors):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    f"all optimizer param groups should be with/without names. cannot add param group {which} "
                    "to the optimizer"
                )
        if any(id(p) in seen for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ----- train and eval points -------------------------------------------------------------
    def train(self) -> None:
        """Put the parameters where gradients are taken; the training loop calls it before training steps.

        A no-op here: optimizers that evaluate at another point than they train at (the schedule-free
        ones) move the parameters in place, and record the mode in their `param_groups`.
        """

    def eval(self) -> None:
        """Put the parameters at the point to evaluate and save (before validation, `model.npz`, checkpoints).

        A no-op here, as `train()` is.
        """

    # ----- gradients and steps ---------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: to None (default) or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad._array.fill(0)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step; returns the closure's loss (None without a closure)."""
        raise NotImplementedError(f"{type(self).__name__} must define step(), as every optimizer subclass does")

    def _gather(
        self,
        group: dict[str, Any],
        keys: tuple[str, ...] = (),
        *,
        optional: dict[str, bool] | None = None,
        scalars: dict[str, float] | None = None,
        fill: dict[str, float] | None = None,
    ) -> tuple[list[np.ndarray], ...]:
        """The arrays a per-tensor update takes, for the group's parameters that have a gradient.

        Returns `(params, grads, *one list per state key, state_steps)`, the state keys in the order
        `scalars, keys, optional, fill`, which is also the order a parameter's state is created in on
        its first step (when its state is empty), after `state["step"]` (a 0-d scalar tensor at 0):
        `scalars` become 0-d scalar tensors of their value, `keys` zeros like the parameter, the
        `optional` keys whose flag is true zeros too (the others are neither created nor gathered:
        their lists stay empty), and `fill` arrays like the parameter full of their value. For an
        `_elementwise` optimizer, runs of adjacent parameters come as one entry each (`_flat`).
        """
        names: list[str | None] = [*scalars, *keys] if scalars else list(keys)
        if optional:
            for name, on in optional.items():
                names.append(name if on else None)  # left out: its list stays empty
        if fill:
            names += fill
        state_of = self.state
        if self._elementwise and self.flat_updates:
            live = [p for p in group["params"] if p.grad is not None]
            for p in live:
                state = state_of[p]
                if len(state) == 0:
                    self._new_state(state, p, keys, optional, scalars, fill)
            flat = self._flat.gather(group, live, state_of, names, len(scalars or ())) if len(live) > 1 else None
            if flat is not None:  # one entry per run of adjacent parameters
                return flat
        lists: list[list[np.ndarray]] = []
        gathered = []  # (key, append to its list) for the keys gathered
        for name in names:
            arrays: list[np.ndarray] = []
            lists.append(arrays)
            if name is not None:
                gathered.append((name, arrays.append))
        params: list[np.ndarray] = []
        grads: list[np.ndarray] = []
        state_steps: list[np.ndarray] = []
        for p in group["params"]:  # one plain loop: it runs on every step, and small networks feel each microsecond
            grad = p.grad
            if grad is None:
                continue
            state = state_of[p]
            if len(state) == 0:
                self._new_state(state, p, keys, optional, scalars, fill)
            params.append(p._array)
            grads.append(grad._array)
            for name, append in gathered:
                append(state[name]._array)
            state_steps.append(state["step"]._array)
        return (params, grads, *lists, state_steps)

    def _new_state(
        self,
        state: dict[str, Any],
        p: Tensor,
        keys: tuple[str, ...] = (),
        optional: dict[str, bool] | None = None,
        scalars: dict[str, float] | None = None,
        fill: dict[str, float] | None = None,
    ) -> None:
        """A parameter's first state, in `_gather`'s order and with its initial values.

        Its arrays are laid out like the parameter (`StateArena`), so adjacent parameters have adjacent state.
        """
        arena = self._state_arena
        state["step"] = _scalar_tensor(0.0)
        for name, value in (scalars or {}).items():
            state[name] = _scalar_tensor(value)
        for name in keys:
            state[name] = from_numpy(arena.full_like(p._array, name))
        for name, on in (optional or {}).items():
            if on:
                state[name] = from_numpy(arena.full_like(p._array, name))
        for name, value in (fill or {}).items():
            state[name] = from_numpy(arena.full_like(p._array, name, value))

    @staticmethod
    def _evaluate(closure: Callable[[], Any] | None) -> Any:
        """Run the closure (which usually calls backward) with graph recording on."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    # ----- state_dict ------------------------------------------------------------------------
    def state_dict(self) -> StateDict:
        """The optimizer state in PyTorch's format.

        `state` maps integer parameter indices (position across all groups, in order) to each
        parameter's state; `param_groups` holds the hyperparameters with `params` as index lists.
        Tensors are copies, so the result is a snapshot unaffected by later steps.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: _copy_state(v) for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {
            (index[id(k)] if isinstance(k, Tensor) else k): _copy_state(v) for k, v in self.state.items()
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: StateDict) -> None:
        """Restore a `state_dict()` (numpy arrays are accepted where tensors are expected)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups, strict=True):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
                )
        id_map = {
            int(saved_id): p
            for saved, group in zip(saved_groups, self.param_groups, strict=True)
            for saved_id, p in zip(saved["params"], group["params"], strict=True)
        }
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            index = _as_index(key)
            if index in id_map:
                state[id_map[index]] = self._laid_out(_copy_state(value, id_map[index]), id_map[index])
            else:
                state[key] = _copy_state(value)
        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups, strict=True):
            new_group = {k: _copy_state(v) for k, v in saved.items() if k != "params"}
            new_group["params"] = group["params"]
            for flag in (f for f in FLAGS if f in self.defaults):  # a state_dict saved before flags were recorded
                new_group.setdefault(flag, self.defaults[flag])
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            self._restore_group_types(new_group)
            new_groups.append(new_group)
        self.state = state
        self.param_groups = new_groups

    def _laid_out(self, state: Any, p: Tensor) -> Any:
        """Loaded state with its arrays shaped like `p` moved into `StateArena`, next to its neighbours'."""
        arr = p._array
        if not isinstance(state, dict) or arr.ndim == 0:  # a 0-d parameter's counters are shaped like it
            return state
        for key, value in state.items():
            if isinstance(value, Tensor) and value._array.shape == arr.shape and value._array.dtype == arr.dtype:
                moved = self._state_arena.full_like(arr, key)
                moved[...] = value._array
                state[key] = Tensor._wrap(moved)
        return state

    @staticmethod
    def _restore_group_types(group: dict[str, Any]) -> None:
        """Tuples of hyperparameters come back as lists from JSON-like checkpoints; make them tuples."""
        for key in ("betas", "etas", "step_sizes", "eps", "ns_coefficients"):
            if isinstance(group.get(key), list):
                group[key] = tuple(group[key])
