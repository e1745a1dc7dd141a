"""Optimizers and learning-rate schedulers with PyTorch's names, arguments, defaults and update rules.

Each optimizer's module (and `lr_scheduler`) is imported on first access (`trainer.optim.Adam`,
`from trainer.optim import SGD`), so a run imports only the optimizer it trains with.
"""

from __future__ import annotations

from .._lazy import lazy_exports
from .optimizer import Optimizer

_WHERE = {  # public name -> the module that defines it
    "AdaBelief": "adabelief", "Adadelta": "adadelta", "Adafactor": "adafactor", "Adagrad": "adagrad",
    "Adam": "adam", "AdamW": "adam", "Adamax": "adamax", "Adan": "adan", "AdEMAMix": "ademamix", "ADOPT": "adopt",
    "ASGD": "asgd", "Lamb": "lamb", "LBFGS": "lbfgs", "Lion": "lion", "Lookahead": "lookahead", "MARS": "mars",
    "Muon": "muon", "MuonWithAdamW": "muon_adamw", "NAdam": "nadam", "Prodigy": "prodigy", "RAdam": "radam",
    "RMSprop": "rmsprop", "Rprop": "rprop", "AdamWScheduleFree": "schedule_free",
    "RAdamScheduleFree": "schedule_free", "SGDScheduleFree": "schedule_free", "SGD": "sgd", "SOAP": "soap",
}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, submodules=("lr_scheduler", "swa_utils"))


__all__ = ["ADOPT", "ASGD", "LBFGS", "MARS", "SGD", "SOAP", "AdEMAMix", "AdaBelief", "Adadelta", "Adafactor", "Adagrad",
           "Adam", "AdamW", "AdamWScheduleFree", "Adamax", "Adan", "Lamb", "Lion", "Lookahead", "Muon", "MuonWithAdamW",
           "NAdam", "Optimizer", "Prodigy", "RAdam", "RAdamScheduleFree", "RMSprop", "Rprop", "SGDScheduleFree",
           "lr_scheduler"]
