"""The component catalogue: every name a config can use, the class or function it builds, and its facts.

Entries name their target lazily ("module:attribute"), so listing names costs no imports; the
arguments a config may set come from the target's real signature (see `introspect`). What the
builders must know about a component (a loss's targets, a scheduler's stepping) is stated here, once.
The built-in entries are fixed; `register` adds a plugin's (see `config.plugins`), never under a built-in name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from ..errors import UserError, did_you_mean, invisible_hint, visible

KINDS = ("data", "layer", "init", "loss", "optimizer", "scheduler", "objective")
REDUCTIONS = ("mean", "sum", "none")
INFERABLE = ("in_features", "normalized_shape", "in_channels", "num_features", "num_channels")  # from the input shape


class LossFacts(NamedTuple):
    """How a loss reads targets, and what it needs of the model.

    targets: `regression` (float, same shape as the output), `gaussian` (output holds mean and log-variance
    columns), `index` (int64 class indices, one output per class), `binary` (float 0/1, one output),
    `sign` (float -1/+1, one output) or `distribution` (probabilities; one-hot for class labels).
    `classification`: the loss wants class labels. `logits`: a binary output is thresholded at 0 (else 0.5).
    `last_layer`: the layer types the model must end with (empty: any). `reductions`: its allowed values.
    """

    targets: str
    classification: bool
    logits: bool = True
    last_layer: tuple[str, ...] = ()
    reductions: tuple[str, ...] = REDUCTIONS


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
    loss: LossFacts | None = None  # losses only
    interval: Literal["epoch", "batch"] = "epoch"  # schedulers: stepped per epoch or per batch by default
    composite: bool = False  # schedulers made of other schedulers (sequential, chained)
    state_slots: int = 2  # optimizers: per-parameter state tensors kept (Adam's two moments), for memory estimates
    reference: str = ""  # optimizers: the implementation whose numbers this one reproduces (a PyPI package)
    plugin: str | None = None  # registered by a plugin: where it came from (a file path or a module name)
    cls: Any = None  # a registered class itself (it may have no importable name)

    def choices(self, arg: str) -> Any:
        """A Literal of the strings an argument allows, when this entry states them (a loss's reduction)."""
        if self.loss is not None and arg == "reduction":
            return Literal[self.loss.reductions]
        return None

    def load(self) -> Any:
        """The class or function this entry builds."""
        if self.cls is not None:
            return self.cls
        module, attr = self.target.split(":")
        value = importlib.import_module(module)
        for part in attr.split("."):  # a plugin's class may be nested
            value = getattr(value, part)
        return value

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _layer(name: str, cls: str, *aliases: str, inferred: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Entry:
    return Entry("layer", name, f"trainer.nn:{cls}", (*aliases, f"nn_{name}"), inferred=inferred, skip=skip)


def _loss(name: str, cls: str, functional: str, r_module: str, facts: LossFacts) -> Entry:
    aliases = [functional, f"nn_{r_module}", f"nnf_{functional}"]
    return Entry("loss", name, f"trainer.nn:{cls}", tuple(dict.fromkeys(a for a in aliases if a != name)),
                 loss=facts)


def _optimizer(name: str, cls: str, slots: int = 2, reference: str = "torch") -> Entry:
    return Entry("optimizer", name, f"trainer.optim:{cls}", (f"optim_{name}",), state_slots=slots,
                 reference=reference)


def _scheduler(name: str, cls: str, *aliases: str, optional: tuple[str, ...] = (),
               interval: Literal["epoch", "batch"] = "epoch", composite: bool = False) -> Entry:
    return Entry("scheduler", name, f"trainer.optim.lr_scheduler:{cls}", aliases, optional=optional,
                 skip=("last_epoch", "verbose"), interval=interval, composite=composite)


def _init(name: str) -> Entry:
    return Entry("init", name, f"trainer.nn.init:{name}_", (f"{name}_", f"nn_init_{name}_", f"nn_init_{name}"))


def _data(name: str) -> Entry:
    return Entry("data", name, f"trainer.data:{name}")


def _objective(name: str, cls: str, *aliases: str) -> Entry:
    return Entry("objective", name, f"trainer.objectives:{cls}", aliases)


_REGRESSION = LossFacts("regression", False)

_ENTRIES: tuple[Entry, ...] = (
    *(_data(n) for n in ("linear", "polynomial", "sine", "blobs", "moons", "circles", "spirals", "xor", "csv", "npz")),
    *(_data(n) for n in ("dataset", "openml")),  # scikit-learn's loaders: the datasets extra
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
    _layer("conv1d", "Conv1d", "conv_1d", inferred=("in_channels",)),
    _layer("conv2d", "Conv2d", "conv_2d", inferred=("in_channels",)),
    _layer("conv_transpose2d", "ConvTranspose2d", "conv_transpose_2d", "convtranspose2d", inferred=("in_channels",)),
    # image layers (return_indices is left out: a Sequential passes on one tensor)
    _layer("maxpool1d", "MaxPool1d", "max_pool1d", "nn_max_pool1d", skip=("return_indices",)),
    _layer("maxpool2d", "MaxPool2d", "max_pool2d", "nn_max_pool2d", skip=("return_indices",)),
    _layer("avgpool1d", "AvgPool1d", "avg_pool1d", "nn_avg_pool1d"),
    _layer("avgpool2d", "AvgPool2d", "avg_pool2d", "nn_avg_pool2d"),
    _layer("adaptive_avgpool1d", "AdaptiveAvgPool1d", "adaptive_avg_pool1d", "nn_adaptive_avg_pool1d"),
    _layer("adaptive_avgpool2d", "AdaptiveAvgPool2d", "adaptive_avg_pool2d", "nn_adaptive_avg_pool2d"),
    _layer("adaptive_maxpool1d", "AdaptiveMaxPool1d", "adaptive_max_pool1d", "nn_adaptive_max_pool1d",
           skip=("return_indices",)),
    _layer("adaptive_maxpool2d", "AdaptiveMaxPool2d", "adaptive_max_pool2d", "nn_adaptive_max_pool2d",
           skip=("return_indices",)),
    _layer("batchnorm2d", "BatchNorm2d", "batch_norm2d", "nn_batch_norm2d", inferred=("num_features",)),
    _layer("groupnorm", "GroupNorm", "group_norm", "nn_group_norm", inferred=("num_channels",)),
    _layer("dropout1d", "Dropout1d"),
    _layer("dropout2d", "Dropout2d"),
    _layer("unflatten", "Unflatten"),
    _layer("upsample", "Upsample"),
    # more normalisation and padding layers
    _layer("rmsnorm", "RMSNorm", "rms_norm", "nn_rms_norm", inferred=("normalized_shape",)),
    _layer("instancenorm1d", "InstanceNorm1d", "instance_norm1d", "nn_instance_norm1d", inferred=("num_features",)),
    _layer("instancenorm2d", "InstanceNorm2d", "instance_norm2d", "nn_instance_norm2d", inferred=("num_features",)),
    _layer("localresponsenorm", "LocalResponseNorm", "local_response_norm", "nn_local_response_norm"),
    *(_layer(f"{kind}pad{d}d", f"{cls}Pad{d}d", f"{kind}_pad{d}d", f"nn_{kind}_pad{d}d")
      for kind, cls in (("zero", "Zero"), ("constant", "Constant"), ("reflection", "Reflection"),
                        ("replication", "Replication"), ("circular", "Circular")) for d in (1, 2)),
    # more activations (PReLU's `init` slope is left out: a layer's `init:` sets its weight, e.g. constant val 0.1)
    _layer("hardtanh", "Hardtanh"),
    _layer("relu6", "ReLU6"),
    _layer("threshold", "Threshold"),
    _layer("hardswish", "Hardswish"),
    _layer("hardsigmoid", "Hardsigmoid"),
    _layer("mish", "Mish"),
    _layer("selu", "SELU"),
    _layer("celu", "CELU"),
    _layer("prelu", "PReLU", skip=("init",)),
    _layer("rrelu", "RReLU"),
    _layer("logsigmoid", "LogSigmoid", "log_sigmoid", "nn_log_sigmoid"),
    _layer("softsign", "Softsign"),
    _layer("softshrink", "Softshrink"),
    _layer("hardshrink", "Hardshrink"),
    _layer("tanhshrink", "Tanhshrink"),
    _layer("softmin", "Softmin"),
    _layer("glu", "GLU"),
    _layer("lazylinear", "LazyLinear", "lazy_linear"),  # in_features from the probe's forward
    *(_init(n) for n in ("uniform", "normal", "constant", "zeros", "ones", "xavier_uniform", "xavier_normal",
                         "kaiming_uniform", "kaiming_normal")),
    _loss("mse", "MSELoss", "mse_loss", "mse_loss", _REGRESSION),
    _loss("l1", "L1Loss", "l1_loss", "l1_loss", _REGRESSION),
    _loss("smooth_l1", "SmoothL1Loss", "smooth_l1_loss", "smooth_l1_loss", _REGRESSION),
    _loss("huber", "HuberLoss", "huber_loss", "huber_loss", _REGRESSION),
    _loss("bce", "BCELoss", "binary_cross_entropy", "bce_loss",
          LossFacts("binary", True, logits=False, last_layer=("sigmoid",))),
    _loss("bce_with_logits", "BCEWithLogitsLoss", "binary_cross_entropy_with_logits", "bce_with_logits_loss",
          LossFacts("binary", True)),
    _loss("cross_entropy", "CrossEntropyLoss", "cross_entropy", "cross_entropy_loss", LossFacts("index", True)),
    _loss("nll", "NLLLoss", "nll_loss", "nll_loss", LossFacts("index", True, last_layer=("log_softmax",))),
    _loss("kl_div", "KLDivLoss", "kl_div", "kl_div_loss",
          LossFacts("distribution", True, last_layer=("log_softmax",), reductions=(*REDUCTIONS, "batchmean"))),
    _loss("poisson_nll", "PoissonNLLLoss", "poisson_nll_loss", "poisson_nll_loss", _REGRESSION),
    _loss("gaussian_nll", "GaussianNLLLoss", "gaussian_nll_loss", "gaussian_nll_loss", LossFacts("gaussian", False)),
    _loss("hinge_embedding", "HingeEmbeddingLoss", "hinge_embedding_loss", "hinge_embedding_loss",
          LossFacts("sign", True)),
    _loss("soft_margin", "SoftMarginLoss", "soft_margin_loss", "soft_margin_loss", LossFacts("sign", True)),
    *(_optimizer(n, c, k) for n, c, k in (  # k: state slots (see build.memory for the optional ones)
        ("sgd", "SGD", 1), ("adam", "Adam", 2), ("adamw", "AdamW", 2), ("rmsprop", "RMSprop", 1),
        ("adagrad", "Adagrad", 1), ("adadelta", "Adadelta", 2), ("adamax", "Adamax", 2), ("nadam", "NAdam", 2),
        ("radam", "RAdam", 2), ("rprop", "Rprop", 2), ("asgd", "ASGD", 1), ("lbfgs", "LBFGS", 4),
        ("adafactor", "Adafactor", 2), ("muon", "Muon", 1))),
    # beyond torch.optim: (name, class, state slots, reference package)
    *(_optimizer(n, c, k, r) for n, c, k, r in (
        ("lion", "Lion", 1, "lion-pytorch"),
        ("adamw_schedule_free", "AdamWScheduleFree", 2, "schedulefree"),
        ("sgd_schedule_free", "SGDScheduleFree", 1, "schedulefree"),
        ("radam_schedule_free", "RAdamScheduleFree", 2, "schedulefree"),
        ("prodigy", "Prodigy", 4, "prodigyopt"),
        ("adopt", "ADOPT", 2, "torch-adopt"),
        ("lamb", "Lamb", 2, "pytorch_optimizer"), ("ademamix", "AdEMAMix", 3, "pytorch_optimizer"),
        ("mars", "MARS", 3, "pytorch_optimizer"), ("soap", "SOAP", 2, "pytorch_optimizer"),
        ("adabelief", "AdaBelief", 2, "pytorch_optimizer"), ("adan", "Adan", 4, "pytorch_optimizer"),
        ("lookahead", "Lookahead", 1, "pytorch_optimizer"),
    )),
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
    _scheduler("sequential", "SequentialLR", "sequentiallr", composite=True),
    _scheduler("chained", "ChainedScheduler", "chainedscheduler", composite=True),
    _objective("rosenbrock", "Rosenbrock"),
    _objective("rastrigin", "Rastrigin"),
    _objective("beale", "Beale"),
    _objective("booth", "Booth"),
    _objective("himmelblau", "Himmelblau"),
    _objective("ackley", "Ackley"),
    _objective("styblinski_tang", "StyblinskiTang", "styblinskitang"),
    _objective("saddle", "Saddle"),
    _objective("quadratic", "Quadratic"),
)


_BUILT_IN = {kind: frozenset(name for e in _ENTRIES if e.kind == kind for name in e.names) for kind in KINDS}
_REGISTERED: list[Entry] = []  # plugin entries, in registration order
_GENERATION = [0]  # bumped by every registration, so schemas built from the catalogue know they are stale


def entries(kind: str) -> tuple[Entry, ...]:
    """Every entry of one kind, in a stable order: the built-ins, then registered ones."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return tuple(e for e in (*_ENTRIES, *_REGISTERED) if e.kind == kind)


def _index(kind: str) -> dict[str, Entry]:
    return {name: e for e in entries(kind) for name in e.names}


_INDEX = {kind: _index(kind) for kind in KINDS}


def generation() -> int:
    """How many entries have been registered so far (0: the built-ins only)."""
    return _GENERATION[0]


def register(entry: Entry) -> Entry:
    """Add a plugin's entry; registering the same target under the same name again is a no-op.

    A name (or alias) that is built in, or that another target already holds, is a UserError.
    """
    taken = _INDEX[entry.kind]
    for name in entry.names:
        if name in _BUILT_IN[entry.kind]:
            raise UserError(f"{entry.kind} type '{name}' ({entry.target}) clashes with the built-in "
                            f"{entry.kind} '{name}'", file=entry.plugin,
                            hint=f"register it under another name: register_{entry.kind}(cls, name=...)")
        held = taken.get(name)
        if held is not None and (held.target != entry.target or held.load() is not entry.load()):
            raise UserError(f"{entry.kind} type '{name}' is registered twice: {held.target} and {entry.target}",
                            file=entry.plugin, hint=f"give one of them another name: register_{entry.kind}"
                                                    "(cls, name=...)")
    if all(taken.get(name) is not None for name in entry.names):
        return taken[entry.name]
    _REGISTERED.append(entry)
    _INDEX[entry.kind] = _index(entry.kind)
    _GENERATION[0] += 1
    return entry


def forget_registered() -> None:
    """Drop every registered entry (the built-ins stay): a fresh catalogue, as in a new process."""
    _REGISTERED.clear()
    for kind in KINDS:
        _INDEX[kind] = _index(kind)
    _GENERATION[0] += 1


PLUGIN_HINT = "a plugin's type? load its file with --plugin PATH.py"


def names(kind: str, aliases: bool = True) -> list[str]:
    """Canonical names of one kind (and, with `aliases`, every accepted spelling)."""
    return list(_INDEX[kind]) if aliases else [e.name for e in entries(kind)]


def find(kind: str, name: str) -> Entry | None:
    """The entry for `name` (canonical or alias), or None."""
    return _INDEX[kind].get(name)


def lookup(kind: str, name: str, key: str | None = None) -> Entry:
    """The entry for `name` (canonical or alias); a UserError with a did-you-mean otherwise."""
    try:
        return _INDEX[kind][name]
    except (KeyError, TypeError):
        pass
    listed = f"{kind} types: {', '.join(names(kind, aliases=False))}"
    if kind in PLUGGABLE:
        listed += f"; {PLUGIN_HINT}"
    raise UserError(f"unknown {kind} type '{visible(name)}'{did_you_mean(name, names(kind))}", key=key,
                    hint=invisible_hint(name, "the name") or listed)


PLUGGABLE = ("layer", "loss", "optimizer")  # the kinds a plugin may add to
