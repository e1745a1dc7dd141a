"""The reference problem of tools/references_optim.py rebuilt on trainer's engine, and spec -> optimizer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import trainer
from trainer import optim


def make_params(problem: dict[str, Any], dtype: str = "float64") -> list[trainer.Tensor]:
    return [trainer.tensor(p, dtype=dtype, requires_grad=True) for p in problem["params"]]


def loss_fn(params: list[trainer.Tensor], x: trainer.Tensor, y: trainer.Tensor, l2: float = 0.0) -> trainer.Tensor:
    w1, b1, w2, b2 = params
    if w1.dim() != 2:  # a matrix stored with extra unit dimensions (SOAP's merge_dims cases)
        w1 = w1.reshape(w1.shape[0], -1)
    out = (x @ w1 + b1).tanh() @ w2 + b2
    loss = ((out - y) ** 2).mean()
    if l2:
        penalty = (params[0] * params[0]).sum()
        for p in params[1:]:
            penalty = penalty + (p * p).sum()
        loss = loss + l2 * penalty
    return loss


def build(spec: dict[str, Any], params: list[trainer.Tensor]) -> optim.Optimizer:
    groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [params[i] for i in g["params"]]}
              for g in spec["groups"]]
    return getattr(optim, spec["cls"])(groups, **spec["kwargs"])


def make_closure(
    opt: optim.Optimizer, params: list[trainer.Tensor], problem: dict[str, Any], dtype: str = "float64", l2: float = 0.0
) -> Callable[[], trainer.Tensor]:
    x = trainer.tensor(problem["x"], dtype=dtype)
    y = trainer.tensor(problem["y"], dtype=dtype)

    def closure() -> trainer.Tensor:
        opt.zero_grad()
        loss = loss_fn(params, x, y, l2)
        loss.backward()
        return loss

    return closure


def flat(params: list[trainer.Tensor]) -> np.ndarray:
    return np.concatenate([p._array.reshape(-1) for p in params])
