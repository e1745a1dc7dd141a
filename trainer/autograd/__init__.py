"""The numpy reverse-mode autograd engine."""

import importlib

from . import backends, cuda, extensions, heap, linalg, ops, quiet_numpy
from . import creation as _creation
from . import dtypes as _dtypes
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .comparison import allclose, bincount, equal, isclose
from .creation import bernoulli, from_numpy, is_floating_point, is_tensor
from .device import device, get_default_device, set_default_device, with_device
from .dtypes import default_dtype as get_default_dtype
from .dtypes import dtype, set_default_dtype
from .extra_ops import ceil, diag, floor, log2, log10, logspace, prod, trunc, unique
from .function import Function, FunctionCtx, backward, grad
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck
from .linalg import tensor_norm as norm
from .more_ops import (
    addmm,
    all,
    any,
    argsort,
    bmm,
    chunk,
    clamp_max,
    clamp_min,
    cumprod,
    cumsum,
    dot,
    einsum,
    flip,
    gather,
    log_softmax,
    masked_fill,
    mm,
    mv,
    narrow,
    normal,
    numel,
    outer,
    roll,
    round,
    scatter,
    scatter_add,
    sign,
    softmax,
    sort,
    split,
    square,
    t,
    topk,
    tril,
    triu,
    unbind,
)
from .multinomial import multinomial
from .ops import (
    abs,
    amax,
    argmax,
    argmin,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    clamp,
    cos,
    eq,
    exp,
    expand,
    flatten,
    floor_divide,
    ge,
    gt,
    le,
    log,
    log1p,
    logical_and,
    logical_or,
    logsumexp,
    lt,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    ne,
    neg,
    permute,
    pow,
    relu,
    relu_,
    reshape,
    sigmoid,
    sin,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from .printing import get_printoptions, set_printoptions
from .random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .size import Size
from .tensor import Tensor, unbroadcast
from .variable import Variable

clip = clamp

# PyTorch's dtype names, as the objects users see (printing `torch.float32`)
float32 = float = _dtypes.public(_dtypes.float32)  # noqa: A001
float64 = double = _dtypes.public(_dtypes.float64)
float16 = half = _dtypes.public(_dtypes.float16)
int64 = long = _dtypes.public(_dtypes.int64)
int32 = int = _dtypes.public(_dtypes.int32)  # noqa: A001
int16 = short = _dtypes.public("int16")
int8 = _dtypes.public("int8")
uint8 = _dtypes.public("uint8")
bool = bool_ = _dtypes.public(_dtypes.bool_)  # noqa: A001

# the factories take PyTorch's device= keyword (only the CPU exists)
arange = with_device(_creation.arange)
as_tensor = with_device(_creation.as_tensor)
empty = with_device(_creation.empty)
eye = with_device(_creation.eye)
full = with_device(_creation.full)
full_like = with_device(_creation.full_like)
empty_like = with_device(_creation.empty_like)
linspace = with_device(_creation.linspace)
ones = with_device(_creation.ones)
ones_like = with_device(_creation.ones_like)
rand = with_device(_creation.rand)
randint = with_device(_creation.randint)
randn = with_device(_creation.randn)
rand_like = with_device(_creation.rand_like)
randn_like = with_device(_creation.randn_like)
randperm = with_device(_creation.randperm)
tensor = with_device(_creation.tensor)
zeros = with_device(_creation.zeros)
zeros_like = with_device(_creation.zeros_like)
del with_device

# torch.autograd's own names, not torch.X: reached as trainer.autograd.X only
_AUTOGRAD_ONLY = {"Function", "FunctionCtx", "grad", "backward", "gradcheck", "GradcheckError", "Variable",
                  "set_detect_anomaly"}
extensions.install(Tensor)

_CORE = [n for n, v in globals().items()
         if not n.startswith("_") and not isinstance(v, type(ops)) and n not in _AUTOGRAD_ONLY]


_PUBLIC_SUBMODULES = frozenset({"functional"})


def __getattr__(name: str) -> object:
    """The op families' names (trainer.autograd.extensions), loaded on first use; `__all__` lists both."""
    if name in _PUBLIC_SUBMODULES:  # `torch.autograd.functional` without importing it first
        return importlib.import_module(f"{__name__}.{name}")
    if (name.startswith("__") and name != "__all__") or extensions.is_submodule(name):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # `from . import conv` imports it
    names = extensions.load()
    if name == "__all__":
        value: object = sorted({*_CORE, *(n for n, v in names.items() if not isinstance(v, type(ops)))})
    elif name in names:
        value = names[name]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *extensions.load()})
