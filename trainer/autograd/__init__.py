"""The numpy reverse-mode autograd engine."""

from . import ops
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from .creation import (
    arange,
    as_tensor,
    bernoulli,
    empty,
    eye,
    from_numpy,
    full,
    linspace,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import (
    bool_,
    double,
    float16,
    float32,
    float64,
    get_default_dtype,
    int32,
    int64,
    long,
    set_default_dtype,
)
from .dtypes import bool_ as bool  # noqa: A004 - PyTorch's dtype names
from .dtypes import float32 as float  # noqa: A004
from .dtypes import int32 as int  # noqa: A004
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import (
    abs,
    add,
    amax,
    argmax,
    argmin,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    cat,
    clamp,
    cos,
    div,
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
    remainder,
    reshape,
    sigmoid,
    sin,
    sqrt,
    squeeze,
    stack,
    std,
    sub,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from .random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .tensor import Tensor, unbroadcast

clip = clamp

__all__ = sorted(n for n, v in globals().items() if not n.startswith("_") and not isinstance(v, type(ops)))
