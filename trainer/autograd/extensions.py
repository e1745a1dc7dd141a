"""The engine's larger op families (PyTorch's math, shape, statistics and utility functions beyond the core ops a
training step uses), loaded together on first use so that `trainer run` and the sweep workers never import them.

Each module lists its public names in `__all__` (tensor_methods has only methods) and registers its Tensor
methods when imported. `load()` imports them all once: `trainer.autograd`'s module `__getattr__` calls it for a
name it lacks, and a `Pending` stand-in on Tensor for a method (no `Tensor.__getattr__`: defining one slows every
attribute look-up of every tensor). It imports nothing of trainer's at import time.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

PACKAGE = "trainer.autograd"
MODULES = ("tensor_methods", "dtype_info", "settings", "amp", "math_ops", "index_reads", "index_writes",
           "rearranging", "diagonals", "joining", "splitting", "broadcasting", "combining", "selection",
           "reductions", "quantiles", "scans", "distances", "searching", "covariance", "products", "tensor_extras",
           "linalg_solve", "linalg_decompositions", "linalg_functions", "signal_windows", "numeric_extras",
           "linalg_legacy", "linalg_lu", "integration")
NOT_TOP_LEVEL = {"amp"}  # trainer.amp's names stay there (torch.amp.GradScaler), but for the aliases below
ALIASES = {  # torch's name -> (module, attribute) where a family's function takes a core op's name
    "cat": ("joining", "concat"), "add": ("math_ops", "add_scaled"), "div": ("math_ops", "divide"),
    "sub": ("math_ops", "subtract"), "autocast": ("amp", "autocast"),
    "is_autocast_enabled": ("amp", "is_autocast_enabled"),
}
# The Tensor methods and properties the families define (or, for add/div/sub, take over): each is a `Pending`
# stand-in until the first use loads the families (tests/test_imports.py keeps this list exact)
METHODS = (
    "H", "absolute", "absolute_", "acos", "acos_", "acosh", "acosh_", "add", "addcdiv", "addcmul", "adjoint",
    "amin", "aminmax", "apply_", "arccos", "arccos_", "arccosh", "arccosh_", "arcsin", "arcsin_", "arcsinh",
    "arcsinh_", "arctan", "arctan2", "arctan2_", "arctan_", "arctanh", "arctanh_", "argwhere", "asin", "asin_",
    "asinh", "asinh_", "atan", "atan2", "atan2_", "atan_", "atanh", "atanh_", "broadcast_to", "byte", "char",
    "copysign", "copysign_", "corrcoef", "cosh", "cosh_", "count_nonzero", "cov", "cross", "cummax", "cummin",
    "data_ptr", "deg2rad", "deg2rad_", "diag_embed", "diagflat", "diagonal", "diagonal_scatter", "diff",
    "digamma", "digamma_", "dist", "div", "divide", "divide_", "dsplit", "element_size", "eq_", "erf", "erf_",
    "erfc", "erfc_", "erfinv", "erfinv_", "exp2", "exp2_", "expm1", "expm1_", "fix", "fix_", "fliplr", "flipud",
    "float_power", "float_power_", "fmax", "fmin", "fmod", "fmod_", "frac", "frac_", "ge_", "greater",
    "greater_", "greater_equal", "greater_equal_", "gt_", "half", "heaviside", "heaviside_", "histc", "hsplit",
    "hypot", "hypot_", "index_add", "index_add_", "index_copy", "index_copy_", "index_fill", "index_fill_",
    "index_put", "index_put_", "index_select", "is_complex", "is_contiguous", "is_cpu", "is_floating_point",
    "is_inference", "is_meta", "is_mkldnn", "is_nested", "is_nonzero", "is_pinned", "is_quantized",
    "is_same_size", "is_shared", "is_signed", "is_sparse", "isfinite", "isinf", "isnan", "isneginf", "isposinf",
    "isreal", "itemsize", "kron", "kthvalue", "le_", "lerp", "less", "less_", "less_equal", "less_equal_",
    "lgamma", "lgamma_", "logaddexp", "logaddexp2", "logcumsumexp", "logical_and", "logical_and_",
    "logical_not", "logical_not_", "logical_or", "logical_or_", "logical_xor", "logical_xor_", "logit",
    "logit_", "lt_", "mH", "mT", "map_", "masked_scatter", "masked_scatter_", "masked_select", "median", "mode",
    "moveaxis", "movedim", "multiply", "multiply_", "nan_to_num", "nan_to_num_", "nanmean", "nanmedian",
    "nanquantile", "nansum", "nbytes", "ndimension", "ne_", "negative", "negative_", "new_empty", "new_full",
    "new_ones", "new_tensor", "new_zeros", "nonzero", "not_equal", "not_equal_", "pin_memory", "positive",
    "put", "put_", "quantile", "rad2deg", "rad2deg_", "ravel", "reciprocal", "reciprocal_", "renorm", "renorm_",
    "repeat_interleave", "rot90", "rsqrt", "rsqrt_", "select", "select_scatter", "sgn", "sgn_", "share_memory_",
    "short", "signbit", "sinc", "sinc_", "sinh", "sinh_", "slice_scatter", "storage_offset", "stride", "sub",
    "subtract", "subtract_", "sum_to_size", "swapaxes", "swapaxes_", "swapdims", "swapdims_", "take",
    "take_along_dim", "tan", "tan_", "tensor_split", "tile", "trace", "transpose_", "true_divide",
    "true_divide_", "type_as", "unflatten", "unfold", "unique_consecutive", "vsplit", "xlogy", "xlogy_",
    # products, tensor_extras
    "addbmm", "addbmm_", "addmv", "addmv_", "addr", "addr_", "baddbmm", "baddbmm_", "bernoulli", "bitwise_and",
    "bitwise_and_", "bitwise_left_shift", "bitwise_left_shift_", "bitwise_not", "bitwise_not_", "bitwise_or",
    "bitwise_or_", "bitwise_right_shift", "bitwise_right_shift_", "bitwise_xor", "bitwise_xor_", "ceil_",
    "cumprod_", "floor_", "floor_divide", "gcd", "gcd_", "ger", "inner", "lcm", "lcm_", "log10_", "log1p_", "log2_",
    "msort", "remainder", "remainder_", "scatter_reduce", "scatter_reduce_", "split_with_sizes", "trunc_", "vdot",
    "where",
    # linalg_solve, linalg_decompositions, linalg_functions
    "cholesky", "cholesky_inverse", "cholesky_solve", "det", "inverse", "logdet", "matrix_exp", "matrix_power",
    "pinverse", "slogdet",
    # signal_windows, numeric_extras, linalg_legacy
    "fill_diagonal_", "frexp", "histogram", "i0", "i0_", "index_reduce", "index_reduce_", "ldexp", "ldexp_", "new",
    "nextafter", "nextafter_", "polygamma", "polygamma_", "qr", "svd", "triangular_solve",
    # linalg_lu
    "geqrf", "lu", "lu_solve", "orgqr", "ormqr",
)
_loaded: dict[str, object] = {}
_linalg: dict[str, object] = {}  # torch.linalg's names the families define (each module's `LINALG`)
_loading: list[bool] = []


class Pending:
    """A class attribute standing for a family's Tensor method: its first look-up loads the families, whose
    modules replace every stand-in with the real method, and returns that."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type) -> object:
        if _loading:
            raise AttributeError(self.name)
        load()
        return getattr(owner if obj is None else obj, self.name)


def install(tensor_class: type) -> None:
    """Put a `Pending` stand-in on `tensor_class` for each of the families' methods."""
    for name in METHODS:
        setattr(tensor_class, name, Pending(name))


def load() -> dict[str, object]:
    """Every family's public names (and the aliases), importing the modules the first time."""
    if _loaded or _loading:
        return _loaded
    _loading.append(True)  # meanwhile the stand-ins are absent: the modules' `hasattr` checks see no method
    try:
        modules: dict[str, ModuleType] = {m: importlib.import_module(f"{PACKAGE}.{m}") for m in MODULES}
    finally:
        _loading.clear()
    names = {name: getattr(mod, name) for m, mod in modules.items() if m not in NOT_TOP_LEVEL
             for name in getattr(mod, "__all__", ())}
    names.update({alias: getattr(modules[m], attr) for alias, (m, attr) in ALIASES.items()})
    names["amp"] = modules["amp"]
    _linalg.update({name: fn for mod in modules.values() for name, fn in getattr(mod, "LINALG", {}).items()})
    _loaded.update(names)
    return _loaded


def linalg() -> dict[str, object]:
    """The families' `torch.linalg` functions by name (`trainer.linalg`'s module `__getattr__` reads them)."""
    load()
    return _linalg


def is_submodule(name: str) -> bool:
    """Whether `name` is a module or package of the engine (an import of it must not load the families)."""
    here = Path(__file__).parent
    return (here / f"{name}.py").exists() or (here / name / "__init__.py").exists()


def is_loaded() -> bool:
    return bool(_loaded)
