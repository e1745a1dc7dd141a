"""Every name a config can use, mapped to the class or function it builds, with R torch's names as aliases.

Entries name their target lazily ("module:attribute"), so listing names costs no imports; the
arguments a config may set come from the target's real signature (see `introspect`).
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass, field
from typing import Any

from ..errors import UserError

KINDS = ("data", "layer", "init", "loss", "optimizer", "scheduler")


@dataclass(frozen=True)
class Entry:
    """One configurable type: its canonical name, aliases, and the callable it maps to."""

    kind: str
    name: str
    target: str
    aliases: tuple[str, ...] = ()
    inferred: tuple[str, ...] = ()  # arguments the builder fills in (e.g. a Linear's in_features)
    optional: tuple[str, ...] = ()  # required by the signature, but given a default by the builder
    skip: tuple[str, ...] = ()  # arguments a config never sets
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def load(self) -> Any:
        """The class or function this entry builds."""
        module, attr = self.target.split(":")
        return getattr(importlib.import_module(module), attr)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _layer(name: str, cls: str, *aliases: str, inferred: tuple[str, ...] = ()) -> Entry:
    return Entry("layer", name, f"trainer.nn:{cls}", (*aliases, f"nn_{name}"), inferred=inferred)


def _loss(name: str, cls: str, functional: str, r_module: str, r_functional: str | None = None) -> Entry:
    aliases = [functional, f"nn_{r_module}", f"nnf_{r_functional or functional}"]
    return Entry("loss", name, f"trainer.nn:{cls}", tuple(dict.fromkeys(a for a in aliases if a != name)))


def _optimizer(name: str, cls: str) -> Entry:
    return Entry("optimizer", name, f"trainer.optim:{cls}", (f"optim_{name}",))


def _scheduler(name: str, cls: str, *aliases: str, optional: tuple[str, ...] = (), **extra: Any) -> Entry:
    return Entry("scheduler", name, f"trainer.optim.lr_scheduler:{cls}", aliases, optional=optional,
                 skip=("last_epoch", "verbose"), extra=extra)


def _init(name: str) -> Entry:
    return Entry("init", name, f"trainer.nn.init:{name}_", (f"{name}_", f"nn_init_{name}_", f"nn_init_{name}"))


def _data(name: str) -> Entry:
    return Entry("data", name, f"trainer.data:{name}")


_ENTRIES: tuple[Entry, ...] = (
    *(_data(n) for n in ("linear", "polynomial", "sine", "blobs", "moons", "circles", "spirals", "xor", "csv", "npz")),
    _layer("linear", "Linear", inferred=("in_features",)),
    _layer("identity", "Identity"),
    _layer("flatten", "Flatten"),
    _layer("dropout", "Dropout"),
    _layer("batchnorm1d", "BatchNorm1d", "batch_norm1d", "nn_batch_norm1d", inferred=("num_features",)),
    _layer("layernorm", "LayerNorm", "layer_norm", "nn_layer_norm", inferred=("normalized_shape",)),
    _layer("embedding", "Embedding"),
    _layer("relu", "ReLU"),
    _layer("leaky_relu", "LeakyReLU", "leakyrelu"),
    _layer("elu", "ELU"),
    _layer("gelu", "GELU"),
    _layer("silu", "SiLU"),
    _layer("sigmoid", "Sigmoid"),
    _layer("tanh", "Tanh"),
    _layer("softplus", "Softplus"),
    _layer("softmax", "Softmax"),
    _layer("log_softmax", "LogSoftmax", "logsoftmax"),
    *(_init(n) for n in ("uniform", "normal", "constant", "zeros", "ones", "xavier_uniform", "xavier_normal",
                         "kaiming_uniform", "kaiming_normal")),
    _loss("mse", "MSELoss", "mse_loss", "mse_loss"),
    _loss("l1", "L1Loss", "l1_loss", "l1_loss"),
    _loss("smooth_l1", "SmoothL1Loss", "smooth_l1_loss", "smooth_l1_loss"),
    _loss("huber", "HuberLoss", "huber_loss", "huber_loss"),
    _loss("bce", "BCELoss", "binary_cross_entropy", "bce_loss"),
    _loss("bce_with_logits", "BCEWithLogitsLoss", "binary_cross_entropy_with_logits", "bce_with_logits_loss"),
    _loss("cross_entropy", "CrossEntropyLoss", "cross_entropy", "cross_entropy_loss"),
    _loss("nll", "NLLLoss", "nll_loss", "nll_loss"),
    _loss("kl_div", "KLDivLoss", "kl_div", "kl_div_loss"),
    _loss("poisson_nll", "PoissonNLLLoss", "poisson_nll_loss", "poisson_nll_loss"),
    _loss("gaussian_nll", "GaussianNLLLoss", "gaussian_nll_loss", "gaussian_nll_loss"),
    _loss("hinge_embedding", "HingeEmbeddingLoss", "hinge_embedding_loss", "hinge_embedding_loss"),
    _loss("soft_margin", "SoftMarginLoss", "soft_margin_loss", "soft_margin_loss"),
    *(_optimizer(n, c) for n, c in (
        ("sgd", "SGD"), ("adam", "Adam"), ("adamw", "AdamW"), ("rmsprop", "RMSprop"), ("adagrad", "Adagrad"),
        ("adadelta", "Adadelta"), ("adamax", "Adamax"), ("nadam", "NAdam"), ("radam", "RAdam"), ("rprop", "Rprop"),
        ("asgd", "ASGD"), ("lbfgs", "LBFGS"), ("adafactor", "Adafactor"), ("muon", "Muon"))),
    _scheduler("step", "StepLR", "lr_step", "steplr"),
    _scheduler("multistep", "MultiStepLR", "multi_step", "multisteplr"),
    _scheduler("exponential", "ExponentialLR", "exponentiallr"),
    _scheduler("cosine", "CosineAnnealingLR", "cosine_annealing", "lr_cosine_annealing", "cosineannealinglr",
               optional=("T_max",)),
    _scheduler("cosine_warm_restarts", "CosineAnnealingWarmRestarts", "cosineannealingwarmrestarts"),
    _scheduler("cyclic", "CyclicLR", "cycliclr", interval="batch"),
    _scheduler("polynomial", "PolynomialLR", "polynomiallr"),
    _scheduler("constant", "ConstantLR", "constantlr"),
    _scheduler("linear", "LinearLR", "linearlr"),
    _scheduler("onecycle", "OneCycleLR", "one_cycle", "lr_one_cycle", "onecyclelr", optional=("max_lr",),
               interval="batch"),
    _scheduler("plateau", "ReduceLROnPlateau", "reduce_on_plateau", "lr_reduce_on_plateau", "reducelronplateau"),
    _scheduler("sequential", "SequentialLR", "sequentiallr"),
    _scheduler("chained", "ChainedScheduler", "chainedscheduler"),
)

COMPOSITE_SCHEDULERS = frozenset({"sequential", "chained"})
BATCH_SCHEDULERS = frozenset({"cyclic", "onecycle"})


def entries(kind: str) -> tuple[Entry, ...]:
    """Every entry of one kind, in a stable order."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return tuple(e for e in _ENTRIES if e.kind == kind)


def _index(kind: str) -> dict[str, Entry]:
    return {name: e for e in entries(kind) for name in e.names}


_INDEX = {kind: _index(kind) for kind in KINDS}


def names(kind: str, aliases: bool = True) -> list[str]:
    """Canonical names of one kind (and, with `aliases`, every accepted spelling)."""
    return list(_INDEX[kind]) if aliases else [e.name for e in entries(kind)]


def _edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(name: str, choices: list[str]) -> str | None:
    """The closest of `choices` to `name` (case-insensitive; typos and swapped letters first), or None."""
    lowered = {str(c).lower(): c for c in choices}
    key = str(name).lower()
    close = difflib.get_close_matches(key, list(lowered), n=5, cutoff=0.6)
    if not close:
        return None
    return lowered[min(close, key=lambda c: (_edits(key, c), close.index(c)))]


def lookup(kind: str, name: str, key: str | None = None) -> Entry:
    """The entry for `name` (canonical or alias); a UserError with a did-you-mean otherwise."""
    try:
        return _INDEX[kind][name]
    except (KeyError, TypeError):
        pass
    guess = suggest(name, names(kind))
    mean = f" (did you mean '{guess}'?)" if guess else ""
    raise UserError(f"unknown {kind} type '{name}'{mean}", key=key,
                    hint=f"{kind} types: {', '.join(names(kind, aliases=False))}")
