"""PyTorch's `out=` argument for the top-level functions that take one (`torch.add(a, b, out=c)`).

`trainer/__init__` wraps each name in `OUT_NAMES` (PyTorch 2.13's top-level functions with `out=`, read off
torch's own signatures by `tools/torch_out_names.py`) with `with_out`, once, when the name is first used; the
engine's functions themselves stay as they are. With `out`, the result is computed as without it and written into
`out`, which is returned: PyTorch's casting rule (a result that cannot be cast `same_kind` to `out`'s dtype is an
error), its resizing of an `out` of another shape (with its deprecation warning when `out` was not empty), its
refusal under autograd, a tuple of tensors for functions with several results, and factories (`torch.rand(2, 2,
out=t)`) drawing in `out`'s dtype.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import grad_mode
from .dtypes import cxx_type_name, scalar_type_name
from .return_types import ReturnType, return_type
from .tensor import Tensor

OUT_NAMES = frozenset({
    "abs", "absolute", "acos", "acosh", "add", "addbmm", "addcdiv", "addcmul", "addmm", "addmv", "addr", "all",
    "amax", "amin", "aminmax", "any", "arange", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2",
    "arctanh", "argmax", "argmin", "argsort", "asin", "asinh", "atan", "atan2", "atanh", "baddbmm", "bernoulli",
    "bitwise_and", "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bmm",
    "bucketize", "cat", "ceil", "chain_matmul", "cholesky", "cholesky_inverse", "cholesky_solve", "clamp",
    "clamp_max", "clamp_min", "clip", "column_stack", "concat", "concatenate", "copysign", "cos", "cosh", "cross",
    "cummax", "cummin", "cumprod", "cumsum", "deg2rad", "diag", "diff", "digamma", "div", "divide", "dot", "dstack",
    "empty", "eq", "erf", "erfc", "erfinv", "exp", "exp2", "expm1", "eye", "fix", "float_power", "floor",
    "floor_divide", "fmax", "fmin", "fmod", "frac", "frexp", "full", "gather", "gcd", "ge", "geqrf", "ger", "greater",
    "greater_equal", "gt", "hardshrink", "heaviside", "histc", "histogram", "hstack", "hypot", "i0", "index_select",
    "inner", "inverse", "isin", "isneginf", "isposinf", "kron", "kthvalue", "lcm", "ldexp", "le", "lerp", "less",
    "less_equal", "lgamma", "linspace", "log", "log10", "log1p", "log2", "log_softmax", "logaddexp", "logaddexp2",
    "logcumsumexp", "logical_and", "logical_not", "logical_or", "logical_xor", "logit", "logspace", "logsumexp", "lt",
    "lu", "lu_solve", "lu_unpack", "masked_select", "matmul", "matrix_power", "max", "maximum", "mean", "median",
    "min", "minimum", "mm", "mode", "msort", "mul", "multinomial", "multiply", "mv", "nan_to_num", "nanmean",
    "nanmedian", "nanquantile", "nansum", "ne", "neg", "negative", "nextafter", "nonzero", "norm", "normal",
    "not_equal", "ones", "orgqr", "ormqr", "outer", "polygamma", "pow", "prod", "qr", "quantile", "rad2deg", "rand",
    "randint", "randn", "randperm", "reciprocal", "remainder", "renorm", "round", "row_stack", "rsqrt", "scatter",
    "searchsorted", "sgn", "sigmoid", "sign", "signbit", "sin", "sinc", "sinh", "slice_scatter", "slogdet", "softmax",
    "sort", "spmm", "sqrt", "square", "stack", "std", "sub", "subtract", "sum", "svd", "take", "take_along_dim",
    "tan", "tanh", "topk", "triangular_solve", "tril", "triu", "true_divide", "trunc", "var", "vdot", "vstack",
    "where", "xlogy", "zeros",
})
# factories make their result in `out`'s dtype unless given one
FACTORIES = frozenset({"arange", "empty", "eye", "full", "linspace", "logspace", "normal", "ones", "rand", "randint",
                       "randn", "randperm", "zeros"})
# ops whose integer results must go into an `out` of exactly their dtype
_EXACT = frozenset({"argmax", "argmin", "argsort", "bucketize", "multinomial", "nonzero", "searchsorted"})
_RESIZED = ("An output with one or more elements was resized since it had shape {}, which does not match the "
            "required output shape {}. This behavior is deprecated, and in a future PyTorch release outputs will "
            "not be resized unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, "
            "inplace, to zero elements with t.resize_(0).")


def with_out(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """`fn` taking PyTorch's keyword `out` (itself when it takes one already)."""
    try:
        if "out" in inspect.signature(fn).parameters:
            return fn
    except (TypeError, ValueError):
        pass
    factory = name in FACTORIES

    @functools.wraps(fn)
    def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        if factory and isinstance(out, Tensor) and kwargs.get("dtype") is None:
            kwargs["dtype"] = out._array.dtype
        return written(name, fn(*args, **kwargs), out)

    return call


def written(name: str, result: Any, out: Any) -> Any:
    """`result` stored into `out` (a tensor, or a tuple of them for several results); returns what PyTorch returns."""
    if isinstance(result, tuple):
        if not isinstance(out, tuple | list) or not all(isinstance(o, Tensor) for o in out):
            raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}")
        if len(out) != len(result):
            raise TypeError(f"expected tuple of {len(result)} elements but got {len(out)}")
        for r, o in zip(result, out, strict=True):
            _store(name, r, o)
        if isinstance(result, ReturnType):
            return return_type(f"{type(result).__name__}_out")(*out)
        return tuple(out)
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    _store(name, result, out)
    return out


def _store(name: str, result: Any, out: Tensor) -> None:
    if grad_mode._enabled[0] and (out.requires_grad or (isinstance(result, Tensor) and result.requires_grad)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    src = result._array if isinstance(result, Tensor) else np.asarray(result)
    target = out._array.dtype
    if name in _EXACT and src.dtype != target:
        raise RuntimeError(f"Expected out tensor to have dtype {cxx_type_name(src.dtype)}, but got "
                           f"{cxx_type_name(target)} instead")
    if not np.can_cast(src.dtype, target, "same_kind"):
        raise RuntimeError(f"result type {scalar_type_name(src.dtype)} can't be cast to the desired output type "
                           f"{scalar_type_name(target)}")
    if out._array.shape != src.shape:
        if out._array.size:
            warnings.warn(_RESIZED.format(list(out._array.shape), list(src.shape)), UserWarning, stacklevel=4)
        out._array = np.empty(src.shape, target)
    np.copyto(out._array, src, casting="unsafe")
    out._bump()
