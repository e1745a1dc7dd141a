"""Muon as it is used in practice: Muon on the 2-D weight matrices, AdamW on every other parameter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..autograd import Tensor, no_grad
from .adam import AdamW
from .muon import Muon
from .optimizer import Optimizer


class MuonWithAdamW(Optimizer):
    """One optimizer over two: `muon` steps the 2-D parameters, `adamw` the rest (biases, norms).

    `param_groups` lists Muon's groups then AdamW's (the same dict objects, so schedulers change
    both); `state_dict()` is `{"muon": ..., "adamw": ...}`.
    """

    def __init__(self, params: Iterable[Tensor], muon: dict[str, Any] | None = None,
                 adamw: dict[str, Any] | None = None) -> None:
        params = list(params)
        matrices = [p for p in params if p.ndim == 2]
        others = [p for p in params if p.ndim != 2]
        if not matrices:
            raise ValueError("muon needs at least one 2-D weight matrix (such as a linear layer's weight)")
        self.muon = Muon(matrices, **(muon or {}))
        self.adamw = AdamW(others, **(adamw or {})) if others else None
        self.defaults = self.muon.defaults

    @property
    def parts(self) -> list[Optimizer]:
        """The optimizers this one steps, Muon first."""
        return [self.muon] if self.adamw is None else [self.muon, self.adamw]

    @property
    def param_groups(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [group for part in self.parts for group in part.param_groups]

    @property
    def state(self) -> dict[Any, dict[str, Any]]:  # type: ignore[override]
        return {k: v for part in self.parts for k, v in part.state.items()}

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        raise TypeError("add parameter groups to .muon (2-D parameters) or .adamw (the others)")

    def zero_grad(self, set_to_none: bool = True) -> None:
        for part in self.parts:
            part.zero_grad(set_to_none)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Evaluate the closure once (if given), then step Muon and AdamW."""
        loss = self._evaluate(closure)
        for part in self.parts:
            part.step()
        return loss

    def state_dict(self) -> dict[str, Any]:
        return {"muon": self.muon.state_dict(), "adamw": None if self.adamw is None else self.adamw.state_dict()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        if set(state_dict) != {"muon", "adamw"}:
            raise ValueError("expected a MuonWithAdamW state dict with keys 'muon' and 'adamw'")
        if (state_dict["adamw"] is None) != (self.adamw is None):
            raise ValueError("the loaded state dict does not match this optimizer's AdamW group")
        self.muon.load_state_dict(state_dict["muon"])
        if self.adamw is not None:
            self.adamw.load_state_dict(state_dict["adamw"])

    def __repr__(self) -> str:
        return f"MuonWithAdamW(\n  muon={self.muon!r},\n  adamw={self.adamw!r}\n)"
