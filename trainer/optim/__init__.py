"""Optimizers and learning-rate schedulers with PyTorch's names, arguments, defaults and update rules.

Each optimizer's module (and `lr_scheduler`) is imported on first access (`trainer.optim.Adam`,
`from trainer.optim import SGD`), so a run imports only the optimizer it trains with.
"""

from __future__ import annotations

import importlib
from typing import Any

from .optimizer import Optimizer

_WHERE = {  # public name -> the module that defines it
    "AdaBelief": "adabelief", "Adadelta": "adadelta", "Adafactor": "adafactor", "Adagrad": "adagrad",
    "Adam": "adam", "AdamW": "adam", "Adamax": "adamax", "Adan": "adan", "AdEMAMix": "ademamix", "ADOPT": "adopt",
    "ASGD": "asgd", "Lamb": "lamb", "LBFGS": "lbfgs", "Lion": "lion", "Lookahead": "lookahead", "MARS": "mars",
    "Muon": "muon", "MuonWithAdamW": "muon_adamw", "NAdam": "nadam", "Prodigy": "prodigy", "RAdam": "radam",
    "RMSprop": "rmsprop", "Rprop": "rprop", "AdamWScheduleFree": "schedule_free",
    "RAdamScheduleFree": "schedule_free", "SGDScheduleFree": "schedule_free", "SGD": "sgd", "SOAP": "soap",
}


def __getattr__(name: str) -> Any:
    if name == "lr_scheduler":
        return importlib.import_module(f"{__name__}.lr_scheduler")
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = ["ADOPT", "ASGD", "LBFGS", "MARS", "SGD", "SOAP", "AdEMAMix", "AdaBelief", "Adadelta", "Adafactor", "Adagrad",
           "Adam", "AdamW", "AdamWScheduleFree", "Adamax", "Adan", "Lamb", "Lion", "Lookahead", "Muon", "MuonWithAdamW",
           "NAdam", "Optimizer", "Prodigy", "RAdam", "RAdamScheduleFree", "RMSprop", "Rprop", "SGDScheduleFree",
           "lr_scheduler"]
