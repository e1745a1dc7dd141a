"""trainer: a YAML-driven training tool on its own numpy autograd engine, with PyTorch's names.

`trainer.tensor`, `trainer.Tensor`, `trainer.no_grad`, ... are the engine's; they, `trainer.nn`,
`trainer.optim` and the experiment API load on first use, so start-up stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# The engine's public names (trainer.autograd.__all__, checked by a test), loaded on first use so that
# `trainer --help` and the other light commands never import numpy.
_ENGINE_NAMES = frozenset({
    "dtype",
    "half",
    "int16",
    "short",
    "int8",
    "uint8",
    "remainder",
    "allclose",
    "ceil",
    "diag",
    "floor",
    "log2",
    "log10",
    "logspace",
    "prod",
    "trunc",
    "unique",
    "full_like",
    "empty_like",
    "is_tensor",
    "is_floating_point",
    "multinomial",
    "relu_",
    "isclose",
    "equal",
    "bincount",
    "inference_mode",
    "is_inference_mode_enabled",
    "logical_or",
    "logical_and",
    "int",
    "floor_divide",
    "float",
    "bool",
    "bitwise_xor",
    "bitwise_or",
    "bitwise_not",
    "bitwise_and",
    "AnomalyError",
    "Tensor",
    "Generator",
    "bernoulli",
    "normal",
    "seed",
    "abs",
    "add",
    "amax",
    "arange",
    "argmax",
    "argmin",
    "as_tensor",
    "bool_",
    "cat",
    "clamp",
    "clip",
    "cos",
    "default_generator",
    "detect_anomaly",
    "div",
    "double",
    "empty",
    "enable_grad",
    "eq",
    "exp",
    "expand",
    "eye",
    "flatten",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "ge",
    "get_default_dtype",
    "get_rng_state",
    "gt",
    "initial_seed",
    "int32",
    "int64",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "le",
    "linspace",
    "log",
    "log1p",
    "logsumexp",
    "long",
    "lt",
    "manual_seed",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mul",
    "ne",
    "neg",
    "no_grad",
    "ones",
    "ones_like",
    "permute",
    "pow",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "relu",
    "reshape",
    "set_default_dtype",
    "set_grad_enabled",
    "set_rng_state",
    "sigmoid",
    "sin",
    "sqrt",
    "squeeze",
    "stack",
    "std",
    "sub",
    "sum",
    "tanh",
    "tensor",
    "transpose",
    "unbroadcast",
    "unsqueeze",
    "var",
    "where",
    "zeros",
    "zeros_like",
    "device",
    "get_default_device",
    "set_default_device",
    "Size",
    "addmm",
    "all",
    "any",
    "argsort",
    "bmm",
    "chunk",
    "clamp_max",
    "clamp_min",
    "cumprod",
    "cumsum",
    "dot",
    "einsum",
    "flip",
    "gather",
    "log_softmax",
    "masked_fill",
    "mm",
    "mv",
    "narrow",
    "norm",
    "numel",
    "outer",
    "roll",
    "round",
    "scatter",
    "scatter_add",
    "sign",
    "softmax",
    "sort",
    "split",
    "square",
    "t",
    "topk",
    "tril",
    "triu",
    "unbind",
    "set_printoptions",
    "get_printoptions",
}) | frozenset({  # trainer.autograd.dtype_info.__all__ and trainer.autograd.settings.__all__
    "finfo", "iinfo", "promote_types", "result_type", "can_cast", "set_num_threads", "get_num_threads",
    "set_num_interop_threads", "get_num_interop_threads", "set_float32_matmul_precision",
    "get_float32_matmul_precision", "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled", "compile", "autocast", "is_autocast_enabled",
}) | frozenset({  # trainer.autograd.math_ops.__all__
    "isnan", "isfinite", "isinf", "isposinf", "isneginf", "isreal", "signbit", "logical_not", "logical_xor",
    "count_nonzero", "nonzero", "argwhere", "is_nonzero", "is_complex", "greater", "greater_equal", "less",
    "less_equal", "not_equal", "rsqrt", "reciprocal", "expm1", "exp2", "erf", "erfc", "erfinv", "tan", "sinh", "cosh",
    "asin", "arcsin", "acos", "arccos", "atan", "arctan", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
    "sinc", "logit", "frac", "sgn", "deg2rad", "rad2deg", "nan_to_num", "negative", "positive", "absolute", "fix",
    "lgamma", "digamma", "atan2", "arctan2", "hypot", "fmod", "fmax", "fmin", "lerp", "addcmul", "addcdiv", "xlogy",
    "copysign", "float_power", "logaddexp", "logaddexp2", "heaviside", "true_divide", "divide", "multiply",
    "subtract", "rsqrt_", "reciprocal_", "expm1_", "exp2_", "erf_", "erfc_", "tan_", "sinh_", "cosh_", "asin_",
    "arcsin_", "acos_", "arccos_", "atan_", "arctan_", "asinh_", "arcsinh_", "acosh_", "arccosh_", "atanh_",
    "arctanh_", "sinc_", "logit_", "frac_", "deg2rad_", "rad2deg_", "nan_to_num_", "negative_", "fix_", "xlogy_",
}) | frozenset({  # index_reads, index_writes, rearranging, diagonals, joining, splitting, broadcasting, combining
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "broadcast_to",
    "cartesian_prod", "column_stack", "combinations", "concat", "concatenate", "cross", "diag_embed", "diagflat",
    "diagonal", "diagonal_scatter", "diff", "dsplit", "dstack", "fliplr", "flipud", "hsplit", "hstack", "index_add",
    "index_copy", "index_fill", "index_put", "index_select", "kron", "masked_scatter", "masked_select", "meshgrid",
    "moveaxis", "movedim", "put", "ravel", "repeat_interleave", "rot90", "row_stack", "select", "select_scatter",
    "slice_scatter", "swapaxes", "swapdims", "take", "take_along_dim", "tensor_split", "tile", "trace", "unflatten",
    "vsplit", "vstack",
}) | frozenset({  # statistics: selection, reductions, quantiles, scans, distances, searching, covariance
    "amin", "aminmax", "nansum", "nanmean", "median", "nanmedian", "quantile", "nanquantile", "std_mean",
    "var_mean", "kthvalue", "mode", "cummax", "cummin", "logcumsumexp", "dist", "cdist", "histc", "bucketize",
    "searchsorted", "cov", "corrcoef", "unique_consecutive", "renorm",
}) | frozenset({  # products and tensor_extras
    "addbmm", "addmv", "addmv_", "addr", "baddbmm", "block_diag", "chain_matmul", "ger", "inner", "vdot", "asarray",
    "bitwise_left_shift", "bitwise_right_shift", "clone", "detach", "gcd", "isin", "lcm", "msort", "scatter_reduce",
    "split_with_sizes", "abs_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "detach_", "exp_",
    "fill_", "floor_", "gcd_", "lcm_", "log10_", "log1p_", "log2_", "log_", "neg_", "round_", "sigmoid_", "sin_",
    "sqrt_", "square_", "tanh_", "trunc_", "zero_",
}) | frozenset({  # linalg_solve, linalg_decompositions, linalg_functions (torch.linalg's own: trainer.linalg)
    "inverse", "det", "logdet", "slogdet", "cholesky_solve", "cholesky_inverse", "cholesky", "pinverse",
    "matrix_power", "matrix_exp",
}) | frozenset({  # integration
    "trapezoid", "trapz", "cumulative_trapezoid",
}) | frozenset({  # signal_windows, numeric_extras, linalg_legacy
    "histogram", "hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window", "frexp",
    "ldexp", "nextafter", "i0", "polygamma", "index_reduce", "svd", "qr", "triangular_solve",
    "lu", "lu_solve", "lu_unpack", "orgqr", "geqrf", "ormqr",
})
_SUBMODULES = {"nn", "optim", "data", "metrics", "utils", "config", "training", "build", "runner", "experiments",
               "autograd", "serialization", "distributions", "func",
               "testing"}
_MODULES = {  # PyTorch's submodule names for engine modules
    "linalg": "trainer.autograd.linalg", "cuda": "trainer.autograd.cuda", "backends": "trainer.autograd.backends",
    "amp": "trainer.autograd.amp", "special": "trainer.autograd.special",
    "sparse": "trainer.autograd.sparse_ops",  # torch.sparse: mm, sum, softmax, the legacy sparse types
}
_API = {  # public callables defined in subpackages: name -> "module:attribute"
    "run": "trainer.runner:run",
    "RunResult": "trainer.runner:RunResult",
    "load_run": "trainer.runner:load_run",
    "LoadedRun": "trainer.runner:LoadedRun",
    "load_config": "trainer.config:load_config",
    "compare": "trainer.experiments.compare:compare",
    "sweep": "trainer.experiments.sweep:sweep",
    "benchmark": "trainer.experiments.benchmark:benchmark",
    "save": "trainer.serialization:save",
    **{name: f"trainer.autograd.legacy_types:{name}" for name in (  # the legacy tensor types, `torch.FloatTensor`
        "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
        "ByteTensor", "BoolTensor", "tensortype", "set_default_tensor_type")},
    "register_optimizer": "trainer.config.registration:register_optimizer",
    "register_loss": "trainer.config.registration:register_loss",
    "register_layer": "trainer.config.registration:register_layer",
    "load_plugin": "trainer.config.plugins:load_plugin",
    "load": "trainer.serialization:load",
    **{name: f"trainer.autograd.sparse:{name}" for name in (  # sparse COO tensors and the layouts
        "sparse_coo_tensor", "sparse_coo", "strided", "layout")},
    "spmm": "trainer.autograd.sparse_ops:spmm",
    **{name: f"trainer.autograd.grid_sampling:{name}" for name in (  # F.grid_sample's and F.affine_grid's ops
        "grid_sampler", "grid_sampler_2d", "grid_sampler_3d", "affine_grid_generator")},
    "vmap": "trainer.func._vmap:vmap",
}
# torch.conv2d, torch.max_pool2d, ...: the functional forms PyTorch also exposes at the top level with the same
# argument order (batch_norm, dropout, embedding, the losses, ...: their top-level signatures differ, so
# trainer.nn.torch_functional adapts them)
_API.update({name: f"trainer.nn.functional:{name}" for name in (
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "max_pool1d_with_indices",
    "avg_pool1d", "adaptive_avg_pool1d", "layer_norm", "group_norm", "cosine_similarity", "pairwise_distance",
    "selu", "selu_", "celu", "celu_", "prelu", "rrelu_", "hardshrink", "bilinear", "pixel_shuffle", "pixel_unshuffle",
    "conv3d", "conv_transpose3d", "max_pool3d")})
_API.update({name: f"trainer.nn.torch_functional:{name}" for name in (
    "alpha_dropout", "alpha_dropout_", "batch_norm", "binary_cross_entropy_with_logits", "constant_pad_nd",
    "cosine_embedding_loss", "dropout", "dropout_", "embedding", "feature_alpha_dropout", "feature_alpha_dropout_",
    "feature_dropout", "feature_dropout_", "hinge_embedding_loss", "instance_norm", "kl_div", "margin_ranking_loss",
    "rrelu")})


def __getattr__(name: str) -> Any:
    if name in _ENGINE_NAMES:
        value = _with_out(name, getattr(importlib.import_module(f"{__name__}.autograd"), name))
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    if name in _API:
        module, attr = _API[name].split(":")
        value = getattr(importlib.import_module(module), attr)
        return value if not callable(value) or isinstance(value, type) else _with_out(name, value)
    raise AttributeError(f"module 'trainer' has no attribute {name!r}")


_OUT: dict[str, Any] = {}  # name -> the function taking `out=` (autograd.out_argument), made once


def _with_out(name: str, value: Any) -> Any:
    """`value`, taking PyTorch's `out=` if the top-level function of that name has it."""
    if name in _OUT:
        return _OUT[name]
    if not str(getattr(value, "__module__", "")).startswith(("trainer.autograd", "trainer.nn")):
        return value  # run, compare, load_config, ...: not ops, and the engine stays unimported for them
    out_argument = importlib.import_module(f"{__name__}.autograd.out_argument")
    if name not in out_argument.OUT_NAMES:
        return value
    wrapped = _OUT[name] = out_argument.with_out(value, name)
    return wrapped


def __dir__() -> list[str]:
    return sorted({*globals(), *_ENGINE_NAMES, *_SUBMODULES, *_MODULES, *_API})


__all__ = [*sorted(_ENGINE_NAMES), *sorted(_SUBMODULES), *_MODULES, *_API, "__version__"]
