"""grad_fn nodes and trainer.Size print as PyTorch 2.13 prints them (names recorded in its scratch venv)."""

from __future__ import annotations

import re

import pytest

import trainer
import trainer.nn.functional as F
from trainer import nn

x = trainer.randn(3, 2, requires_grad=True)
w = trainer.randn(2, 2, requires_grad=True)
v = trainer.randn(2, requires_grad=True)
idx = trainer.tensor([[0], [1], [0]])

# what `type(t.grad_fn).__name__` is in PyTorch 2.13 for each expression
PYTORCH_NAMES = {
    "AddBackward0": lambda: x + x, "MulBackward0": lambda: x * 2, "SubBackward0": lambda: x - 1,
    "DivBackward0": lambda: x / 2, "NegBackward0": lambda: -x, "PowBackward0": lambda: x**2,
    "PowBackward1": lambda: x.abs() ** x, "ExpBackward0": lambda: x.exp(), "TanhBackward0": lambda: x.tanh(),
    "SigmoidBackward0": lambda: x.sigmoid(),
    "ReluBackward0": lambda: x.relu(), "Log1PBackward0": lambda: x.abs().log1p(),
    "MmBackward0": lambda: x @ w, "MvBackward0": lambda: x @ v, "DotBackward0": lambda: v @ v,
    "BmmBackward0": lambda: trainer.bmm(x[None], w[None]), "AddmmBackward0": lambda: nn.Linear(2, 4)(x),
    "SumBackward0": lambda: x.sum(), "SumBackward1": lambda: x.sum(0), "MeanBackward0": lambda: x.mean(),
    "MeanBackward1": lambda: x.mean(1), "MaxBackward1": lambda: x.max(), "MaxBackward0": lambda: x.max(0)[0],
    "ViewBackward0": lambda: x.view(-1), "TBackward0": lambda: x.t(), "PermuteBackward0": lambda: x.permute(1, 0),
    "TransposeBackward0": lambda: x.transpose(0, 1), "UnsqueezeBackward0": lambda: x.unsqueeze(0),
    "SelectBackward0": lambda: x[0], "SliceBackward0": lambda: x[:, 0:1],
    "IndexBackward0": lambda: x[trainer.tensor([0])],
    "CatBackward0": lambda: trainer.cat([x, x]), "StackBackward0": lambda: trainer.stack([x, x]),
    "ClampBackward1": lambda: x.clamp(0, 1), "ClampMinBackward0": lambda: x.clamp_min(0),
    "ToCopyBackward0": lambda: x.double(), "SoftmaxBackward0": lambda: x.softmax(1),
    "LogSoftmaxBackward0": lambda: x.log_softmax(1), "MseLossBackward0": lambda: F.mse_loss(x, x.detach()),
    "NllLossBackward0": lambda: F.cross_entropy(x, trainer.tensor([0, 1, 0])),
    "RoundBackward0": lambda: x.round(), "RoundBackward1": lambda: x.round(decimals=1),
    "LinalgVectorNormBackward0": lambda: x.norm(), "GatherBackward0": lambda: x.gather(1, idx),
    "ScatterBackward0": lambda: x.scatter(1, idx, x), "ScatterBackward1": lambda: x.scatter(1, idx, 2.0),
    "ScatterAddBackward0": lambda: x.scatter_add(1, idx, x), "MaskedFillBackward0": lambda: x.masked_fill(x > 0, 0.0),
    "TopkBackward0": lambda: x.topk(1)[0], "SortBackward0": lambda: x.sort()[0], "CumsumBackward0": lambda: x.cumsum(0),
    "CumprodBackward0": lambda: x.cumprod(0), "SplitBackward0": lambda: x.chunk(2, 1)[0],
    "SplitWithSizesBackward0": lambda: x.split([1, 2])[0], "RepeatBackward0": lambda: x.repeat(2, 1),
    "FlipBackward0": lambda: x.flip(0), "RollBackward0": lambda: x.roll(1, 0), "TrilBackward0": lambda: x.tril(),
    "NormalBackward1": lambda: trainer.normal(x, 1.0), "SignBackward0": lambda: x.sign(),
}


@pytest.mark.parametrize("name", sorted(PYTORCH_NAMES))
def test_node_names_match_pytorch(name: str) -> None:
    out = PYTORCH_NAMES[name]()
    assert out.grad_fn.name() == name
    assert re.fullmatch(rf"<{name} object at 0x[0-9a-f]+>", repr(out.grad_fn))
    assert f"grad_fn=<{name}>" in repr(out)


def test_next_functions_and_identity() -> None:
    y = (x * trainer.ones(3, 2)).sum()
    assert y.grad_fn is y.grad_fn
    (mul, i), = y.grad_fn.next_functions
    assert i == 0 and mul.name() == "MulBackward0"
    acc, none = mul.next_functions
    assert acc[0].variable is x and repr(acc[0]).startswith("<AccumulateGrad object at 0x") and none == (None, 0)
    assert x.grad_fn is None


def test_size_prints_and_counts() -> None:
    s = trainer.zeros(3, 2).shape
    assert isinstance(s, tuple) and s == (3, 2) and isinstance(s, trainer.Size)
    assert repr(s) == str(s) == "torch.Size([3, 2])" and s.numel() == 6
    assert repr(trainer.zeros(()).size()) == "torch.Size([])" and trainer.zeros(()).shape.numel() == 1
    assert repr(s[1:]) == "torch.Size([2])" and s[0] == 3
    assert trainer.zeros(4, 5).size(1) == 5
