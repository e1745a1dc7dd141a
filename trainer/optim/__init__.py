"""Optimizers and learning-rate schedulers with PyTorch's names, arguments, defaults and update rules."""

from . import lr_scheduler
from .adabelief import AdaBelief
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .adan import Adan
from .ademamix import AdEMAMix
from .adopt import ADOPT
from .asgd import ASGD
from .lamb import Lamb
from .lbfgs import LBFGS
from .lion import Lion
from .lookahead import Lookahead
from .mars import MARS
from .muon import Muon
from .muon_adamw import MuonWithAdamW
from .nadam import NAdam
from .optimizer import Optimizer
from .prodigy import Prodigy
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .schedule_free import AdamWScheduleFree, RAdamScheduleFree, SGDScheduleFree
from .sgd import SGD
from .soap import SOAP

__all__ = ["ADOPT", "ASGD", "LBFGS", "MARS", "SGD", "SOAP", "AdEMAMix", "AdaBelief", "Adadelta", "Adafactor", "Adagrad",
           "Adam", "AdamW", "AdamWScheduleFree", "Adamax", "Adan", "Lamb", "Lion", "Lookahead", "Muon", "MuonWithAdamW",
           "NAdam", "Optimizer", "Prodigy", "RAdam", "RAdamScheduleFree", "RMSprop", "Rprop", "SGDScheduleFree",
           "lr_scheduler"]
