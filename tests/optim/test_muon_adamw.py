"""MuonWithAdamW: Muon on the 2-D weights, AdamW on the other parameters, stepped as one optimizer."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer import nn
from trainer.optim import AdamW, Muon, MuonWithAdamW
from trainer.optim.lr_scheduler import StepLR


def model():
    trainer.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 8), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 1))


def loss_of(m):
    trainer.manual_seed(5)
    x = trainer.randn(16, 3)
    return (m(x) ** 2).mean()


def test_steps_match_muon_and_adamw_stepped_separately():
    a, b = model(), model()
    combined = MuonWithAdamW(a.parameters(), {"lr": 0.02}, {"lr": 0.01})
    matrices = [p for p in b.parameters() if p.ndim == 2]
    others = [p for p in b.parameters() if p.ndim != 2]
    muon, adamw = Muon(matrices, lr=0.02), AdamW(others, lr=0.01)
    for _ in range(3):
        combined.zero_grad()
        loss_of(a).backward()
        combined.step()
        muon.zero_grad()
        adamw.zero_grad()
        loss_of(b).backward()
        muon.step()
        adamw.step()
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert np.array_equal(pa.detach().numpy(), pb.detach().numpy())


def test_closure_is_evaluated_once_and_its_loss_returned():
    m = model()
    opt = MuonWithAdamW(m.parameters())
    calls = []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = loss_of(m)
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert len(calls) == 1 and np.isfinite(loss.item())


def test_schedulers_change_both_groups_and_state_dict_round_trips():
    m = model()
    opt = MuonWithAdamW(m.parameters(), {"lr": 0.02}, {"lr": 0.01})
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(2):
        opt.zero_grad()
        loss_of(m).backward()
        opt.step()
        sched.step()
    assert [g["lr"] for g in opt.param_groups] == [0.005, 0.0025]
    state = opt.state_dict()
    assert set(state) == {"muon", "adamw"} and len(opt.state) == len(list(m.parameters()))
    twin = model()
    twin.load_state_dict(m.state_dict())
    other = MuonWithAdamW(twin.parameters(), {"lr": 0.02}, {"lr": 0.01})
    other.load_state_dict(state)
    for o in (opt, other):
        o.zero_grad()
    loss_of(m).backward()
    loss_of(twin).backward()
    opt.step()
    other.step()
    for pa, pb in zip(m.parameters(), twin.parameters()):
        assert np.array_equal(pa.detach().numpy(), pb.detach().numpy())
    with pytest.raises(ValueError):
        other.load_state_dict({"muon": state["muon"]})


def test_without_matrices_or_without_others():
    with pytest.raises(ValueError, match="2-D"):
        MuonWithAdamW([trainer.zeros(3, requires_grad=True)])
    only = MuonWithAdamW(nn.Linear(3, 2, bias=False).parameters())
    assert only.adamw is None and len(only.param_groups) == 1 and only.state_dict()["adamw"] is None
    with pytest.raises(TypeError):
        only.add_param_group({"params": []})
