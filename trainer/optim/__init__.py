"""Optimizers and learning-rate schedulers with PyTorch's names, arguments, defaults and update rules."""

from . import lr_scheduler
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .adopt import ADOPT
from .asgd import ASGD
from .lbfgs import LBFGS
from .lion import Lion
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

__all__ = ["ADOPT", "ASGD", "LBFGS", "SGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW",
           "AdamWScheduleFree", "Adamax", "Lion", "Muon", "MuonWithAdamW", "NAdam", "Optimizer", "Prodigy", "RAdam",
           "RAdamScheduleFree", "RMSprop", "Rprop", "SGDScheduleFree", "lr_scheduler"]
