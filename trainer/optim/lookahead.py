"""Lookahead: wraps any optimizer, pulling its weights back toward slow weights every k steps (pytorch_optimizer's)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd import from_numpy, no_grad
from . import _pytorch_optimizer as po
from ._functional import lerp_
from .optimizer import Optimizer, StateDict, _copy_state


class Lookahead(Optimizer):
    """Wraps any optimizer; every k steps pulls the weights back toward slow weights (Zhang et al. 2019).

    pytorch_optimizer's `Lookahead`. `param_groups` are the inner optimizer's (each gains a `counter`),
    so LR schedulers on a Lookahead change the inner optimizer's lr; `state` holds the slow weights.
    `pullback_momentum` also interpolates ('pullback') or zeroes ('reset') the inner `momentum_buffer`.
    """

    def __init__(self, optimizer: Optimizer, k: int = 5, alpha: float = 0.5, pullback_momentum: str = "none") -> None:
        po.check_positive(k=k)
        po.check_range(alpha, "alpha", 0.0, 1.0)
        po.check_options(pullback_momentum, "pullback_momentum", ["none", "reset", "pullback"])
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"Lookahead wraps an optimizer instance, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.needs_closure = optimizer.needs_closure  # LBFGS inside needs one too
        self.alpha = alpha
        self.k = k
        self.pullback_momentum = pullback_momentum
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for group in self.param_groups:
            self._init_group(group)
        self.defaults = {"lookahead_alpha": alpha, "lookahead_k": k, "lookahead_pullback_momentum": pullback_momentum,
                         **optimizer.defaults}

    @property
    def param_groups(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return self.optimizer.param_groups

    def __repr__(self) -> str:
        return f"Lookahead(k={self.k}, alpha={self.alpha}, pullback_momentum={self.pullback_momentum!r}) over\n" \
            + repr(self.optimizer)

    def _init_group(self, group: dict[str, Any]) -> None:
        group.setdefault("counter", 0)
        for p in group["params"]:
            state = self.state[p]
            if "slow_params" not in state:
                state["slow_params"] = from_numpy(np.array(p._array, copy=True))
                if self.pullback_momentum == "pullback":
                    state["slow_momentum"] = po.zeros_like(p)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        self.optimizer.add_param_group(param_group)
        self._init_group(self.param_groups[-1])

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.optimizer.zero_grad(set_to_none)

    def train(self) -> None:
        """Switch the wrapped optimizer to its training point (schedule-free ones move; others do nothing)."""
        self.optimizer.train()

    def eval(self) -> None:
        """Switch the wrapped optimizer to its evaluation point."""
        self.optimizer.eval()

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """The inner optimizer's step; every k of them, the slow-weight update of each group."""
        loss = self.optimizer.step(closure)
        for group in self.param_groups:
            group["counter"] += 1
            if group["counter"] >= self.k:
                group["counter"] = 0
                self._pull_back(group)
        return loss

    def _pull_back(self, group: dict[str, Any]) -> None:
        inner = self.optimizer.state
        for p in group["params"]:
            if p.grad is None:
                continue
            slow = self.state[p]["slow_params"]._array
            lerp_(p._array, slow, 1.0 - self.alpha)
            slow[...] = p._array
            if self.pullback_momentum == "pullback":
                if "momentum_buffer" not in inner[p]:
                    inner[p]["momentum_buffer"] = po.zeros_like(p)
                buffer, slow_buffer = inner[p]["momentum_buffer"]._array, self.state[p]["slow_momentum"]._array
                lerp_(buffer, slow_buffer, 1.0 - self.alpha)
                slow_buffer[...] = buffer
            elif self.pullback_momentum == "reset":
                inner[p]["momentum_buffer"] = po.zeros_like(p)

    def backup_and_load_cache(self) -> None:
        """Keep the fast weights aside and load the slow ones (to evaluate at the slow weights)."""
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["backup_params"] = from_numpy(np.array(p._array, copy=True))
                p._array[...] = state["slow_params"]._array

    def clear_and_load_backup(self) -> None:
        """Put back the fast weights `backup_and_load_cache` kept."""
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                p._array[...] = state.pop("backup_params")._array

    def state_dict(self) -> StateDict:
        """`{"lookahead_state": {(group index, index in group): slow state}, "base_optimizer": inner state_dict}`."""
        lookahead_state = {(gi, pi): _copy_state(dict(self.state[p]))
                           for gi, group in enumerate(self.param_groups)
                           for pi, p in enumerate(group["params"]) if p in self.state}
        return {"lookahead_state": lookahead_state, "base_optimizer": self.optimizer.state_dict()}

    def load_state_dict(self, state_dict: StateDict) -> None:
        """Restore a `state_dict()` (keys "g,i" or [g, i] from JSON-like checkpoints are accepted too)."""
        saved = {_pair(k): v for k, v in state_dict["lookahead_state"].items()}
        restored = {}
        for gi, group in enumerate(self.param_groups):
            for pi, p in enumerate(group["params"]):
                if (gi, pi) in saved:
                    restored[p] = _copy_state(dict(saved[(gi, pi)]), p)
        count = sum(len(group["params"]) for group in self.param_groups)
        if len(restored) != len(saved) or len(restored) != count:
            raise ValueError("lookahead state does not match the current parameters")
        self.optimizer.load_state_dict(state_dict["base_optimizer"])
        self.state = defaultdict(dict, restored)


def _pair(key: Any) -> tuple[int, int]:
    if isinstance(key, str):
        key = key.strip("()[] ").split(",")
    gi, pi = key
    return int(gi), int(pi)
