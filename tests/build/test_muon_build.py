"""Muon as a config builds it: Muon on 2-D weights, AdamW on the rest, one optimizer to the loop.

The combined optimizer itself (`trainer.optim.MuonWithAdamW`) is tested in tests/optim/test_muon_adamw.py.
"""

from __future__ import annotations

from trainer.build import build_experiment
from trainer.config import load_config
from trainer.optim import AdamW, Muon, MuonWithAdamW

from ..config.helpers import seed, user_error


def test_config_muon_splits_parameters_and_sets_the_adamw_group():
    cfg = load_config(seed(optimizer={"type": "muon", "lr": 0.02, "adamw": {"lr": 0.003, "betas": [0.9, 0.95]}}))
    exp = build_experiment(cfg)
    opt = exp.optimizer
    assert isinstance(opt, MuonWithAdamW) and isinstance(opt.muon, Muon) and isinstance(opt.adamw, AdamW)
    assert [p.ndim for p in opt.muon.param_groups[0]["params"]] == [2, 2]
    assert [p.ndim for p in opt.adamw.param_groups[0]["params"]] == [1, 1]
    assert [g["lr"] for g in opt.param_groups] == [0.02, 0.003] and opt.adamw.param_groups[0]["betas"] == (0.9, 0.95)
    assert exp.resolved["optimizer"]["adamw"]["weight_decay"] == 0.01


def test_defaults_of_the_adamw_group_are_adamws():
    cfg = load_config(seed(optimizer="muon"))
    assert cfg.optimizer.adamw.lr == 1e-3 and cfg.optimizer.adamw.weight_decay == 0.01


def test_bad_adamw_settings_name_the_key():
    assert user_error(load_config, seed(optimizer={"type": "muon", "adamw": {"lr": -1}})).key == "optimizer.adamw.lr"
    err = user_error(load_config, seed(optimizer={"type": "muon", "param_groups": []}))
    assert err.key == "optimizer.param_groups" and "unknown key" in err.message
