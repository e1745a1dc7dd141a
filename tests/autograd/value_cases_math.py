"""Value cases for the math family (see value_cases.py), compared with PyTorch's results."""

from __future__ import annotations

from typing import Any

from .value_cases import INF, NAN, SPECIAL, ValueCase

V = ValueCase
S = (SPECIAL,)
INTS = [3, -2, 0, 7, -5, 1]
BOOLS = [True, False, True, False]
UNIT = [0.0, -0.0, 0.25, -0.75, 1.0, -1.0, 1.5, NAN, INF, -INF, 1e-300]


def _grads(m: Any, fn, *xs: Any) -> tuple:
    """fn's value and the gradients of its inputs for an all-ones output gradient."""
    ts = [x.detach().requires_grad_() for x in xs]
    out = fn(*ts)
    out.backward(m.ones_like(out))
    return (out.detach(), *[t.grad for t in ts])


def _outer(fn):
    """fn of every pair of SPECIAL values (a column against a row)."""
    return lambda m, a: fn(m, a.reshape(-1, 1), a.reshape(1, -1))


def _name(out: Any) -> str:
    return type(out.grad_fn).__name__


def _inplace_name(m: Any, a: Any, method: str) -> str:
    """The grad_fn name of an in-place method's result on a non-leaf tensor."""
    y = a.detach().requires_grad_() * 1.0
    getattr(y, method)()
    return _name(y)


def _on_nonleaf(m: Any, a: Any, method: str, *args: Any) -> tuple:
    """An in-place method on a non-leaf tensor: its grad_fn's name, value and the leaf's gradient."""
    x = a.detach().requires_grad_()
    y = x * 1.0
    getattr(y, method)(*args)
    name = _name(y)
    y.sum().backward()
    return name, y.detach(), x.grad


def _saved_result_changed(m: Any, a: Any, op: str, *args: Any) -> Any:
    """Change an op's result in place, then backward (an error where the op's gradient reads its result)."""
    x = a.detach().requires_grad_()
    y = getattr(x * 1.0, op)(*args)
    y.add_(1.0)
    y.sum().backward()
    return x.grad


def _saved_input_changed(m: Any, a: Any, op: str, *args: Any) -> Any:
    """Change an op's input in place, then backward (an error where the op's gradient reads its input)."""
    x = a.detach().requires_grad_()
    h = x * 1.0
    y = getattr(h, op)(*(x if isinstance(arg, str) else arg for arg in args))
    h.mul_(2.0)
    y.sum().backward()
    return x.grad


UNARY = ("rsqrt", "reciprocal", "expm1", "exp2", "erf", "erfc", "erfinv", "tan", "sinh", "cosh", "asin", "acos",
         "atan", "asinh", "acosh", "atanh", "sinc", "logit", "deg2rad", "rad2deg", "lgamma", "digamma")

CASES: dict[str, ValueCase] = {
    # ----- predicates
    "isnan": V(lambda m, a: m.isnan(a), S),
    "isfinite": V(lambda m, a: a.isfinite(), S),
    "isinf": V(lambda m, a: m.isinf(a), S),
    "isposinf": V(lambda m, a: m.isposinf(a), S),
    "isneginf": V(lambda m, a: a.isneginf(), S),
    "isreal": V(lambda m, a: m.isreal(a), S),
    "signbit": V(lambda m, a: m.signbit(a), S),
    "signbit_method_float32": V(lambda m, a: a.signbit(), S, ("float32",)),
    "predicates_float32": V(lambda m, a: (a.isnan(), a.isinf(), a.isfinite(), a.isposinf(), a.isneginf()), S,
                            ("float32",)),
    "predicates_int": V(lambda m, a: (m.isnan(a), m.isinf(a), m.isfinite(a), m.isposinf(a), m.isneginf(a),
                                      m.isreal(a), m.signbit(a)), (INTS,), ("int64",)),
    "predicates_bool": V(lambda m, a: (m.isnan(a), m.isinf(a), m.isfinite(a), m.isposinf(a), m.isneginf(a),
                                       m.isreal(a), m.signbit(a)), (BOOLS,), ("bool",)),
    "predicates_0d": V(lambda m, a: (m.isnan(a), m.isinf(a), m.signbit(a)), (-INF,)),
    "predicates_2d": V(lambda m, a: m.isfinite(a.reshape(3, 3)), S),
    # ----- logical
    "logical_not": V(lambda m, a: m.logical_not(a), S),
    "logical_not_int": V(lambda m, a: a.logical_not(), (INTS,), ("int64",)),
    "logical_not_bool": V(lambda m, a: m.logical_not(a), (BOOLS,), ("bool",)),
    "logical_not_inplace": V(lambda m, a: a.clone().logical_not_(), S),
    "logical_xor": V(lambda m, a, b: m.logical_xor(a, b), ([0.0, 1.5, NAN, 0.0], [0.0, 0.0, 2.0, -0.0])),
    "logical_xor_mixed": V(lambda m, a, b: a.logical_xor(b), (INTS, [True, True, False, False, True, False]),
                           ("int64", "bool")),
    "logical_xor_broadcast": V(lambda m, a, b: m.logical_xor(a.reshape(2, 3), b), (INTS, [1.0, 0.0, 0.0])),
    "logical_xor_inplace": V(lambda m, a, b: a.clone().logical_xor_(b), ([0.0, 1.5, 3.0], [1.0, 0.0, 2.0])),
    "logical_xor_scalar_error": V(lambda m, a: m.logical_xor(a, 1), S),
    "logical_and_or_methods": V(lambda m, a, b: (a.logical_and(b), a.logical_or(b)),
                                ([0.0, 1.5, NAN, 0.0], [0.0, 0.0, 2.0, 1.0])),
    "logical_and_or_inplace": V(lambda m, a, b: (a.clone().logical_and_(b), a.clone().logical_or_(b)),
                                (INTS, [0, 1, 0, 1, 1, 0]), ("int64", "int64")),
    # ----- counting and finding non-zeros
    "count_nonzero": V(lambda m, a: m.count_nonzero(a), S),
    "count_nonzero_dim": V(lambda m, a: m.count_nonzero(a.reshape(3, 3), dim=0), S),
    "count_nonzero_negative_dim": V(lambda m, a: a.reshape(3, 3).count_nonzero(-1), S),
    "count_nonzero_dims": V(lambda m, a: m.count_nonzero(a.reshape(2, 3), dim=(0, 1)), (INTS,), ("int64",)),
    "count_nonzero_bool": V(lambda m, a: m.count_nonzero(a), (BOOLS,), ("bool",)),
    "count_nonzero_0d": V(lambda m, a: m.count_nonzero(a), (2.5,)),
    "count_nonzero_bad_dim": V(lambda m, a: m.count_nonzero(a, dim=1), S),
    "nonzero": V(lambda m, a: m.nonzero(a.reshape(3, 3)), S),
    "nonzero_as_tuple": V(lambda m, a: m.nonzero(a.reshape(3, 3), as_tuple=True), S),
    "nonzero_method": V(lambda m, a: a.nonzero(), (INTS,), ("int64",)),
    "nonzero_method_as_tuple": V(lambda m, a: a.reshape(2, 3).nonzero(as_tuple=True), (INTS,), ("int64",)),
    "nonzero_3d_bool": V(lambda m, a: m.nonzero(a.reshape(2, 1, 2)), (BOOLS,), ("bool",)),
    "nonzero_0d": V(lambda m, a: (m.nonzero(a), m.nonzero(a * 0), m.nonzero(a, as_tuple=True)), (2.5,)),
    "nonzero_empty": V(lambda m, a: (m.nonzero(a), m.nonzero(a, as_tuple=True)), ([],)),
    "nonzero_none": V(lambda m, a: m.nonzero(a.reshape(2, 2)), ([0.0, 0.0, -0.0, 0.0],)),
    "argwhere": V(lambda m, a: m.argwhere(a.reshape(3, 3)), S),
    "argwhere_method_0d": V(lambda m, a: a.argwhere(), (3,), ("int64",)),
    "is_nonzero": V(lambda m, a: (m.is_nonzero(a), a.is_nonzero()), (1.5,)),
    "is_nonzero_zero": V(lambda m, a: (m.is_nonzero(a), m.is_nonzero(a.reshape(1, 1))), (-0.0,)),
    "is_nonzero_nan": V(lambda m, a: m.is_nonzero(a), ([NAN],)),
    "is_nonzero_int_bool": V(lambda m, a, b: (m.is_nonzero(a), m.is_nonzero(b)), ([0], [True]), ("int64", "bool")),
    "is_nonzero_many": V(lambda m, a: m.is_nonzero(a), ([1.0, 2.0],)),
    "is_nonzero_empty": V(lambda m, a: a.is_nonzero(), ([],)),
    "is_complex": V(lambda m, a, b: (m.is_complex(a), a.is_complex(), b.is_complex()), (S[0], INTS),
                    ("float64", "int64")),
    # ----- comparison aliases
    "greater": V(lambda m, a, b: (m.greater(a, b), m.greater_equal(a, b), m.less(a, b), m.less_equal(a, b),
                                  m.not_equal(a, b)), (SPECIAL, SPECIAL[::-1])),
    "comparison_alias_methods": V(lambda m, a: (a.greater(0), a.greater_equal(1.5), a.less(0.0), a.less_equal(-2.25),
                                                a.not_equal(3)), S),
    "comparison_alias_inplace": V(lambda m, a, b: (a.clone().greater_(b), a.clone().less_equal_(1.5),
                                                   a.clone().not_equal_(b)), (SPECIAL, SPECIAL[::-1])),
    "comparison_inplace": V(lambda m, a: (a.clone().gt_(0), a.clone().ge_(1), a.clone().lt_(0), a.clone().le_(3),
                                          a.clone().eq_(0), a.clone().ne_(7)), (INTS,), ("int64",)),
    # ----- unary functions: special values, float32, integer and bool inputs
    **{f"{name}_special": V(lambda m, a, name=name: getattr(m, name)(a), S) for name in UNARY},
    **{f"{name}_float32": V(lambda m, a, name=name: getattr(a, name)(), S, ("float32",)) for name in UNARY
       if name != "digamma"},  # (float32 digamma: PyTorch's own float32 rounding near its root at 1.46)
    "digamma_float32": V(lambda m, a: a.digamma(), ([-2.5, -0.7, 0.25, 3.0, 12.0, 1e5, 0.0, -0.0, -3.0],),
                         ("float32",)),
    "unary_unit_interval": V(lambda m, a: tuple(getattr(m, n)(a) for n in ("erfinv", "asin", "acos", "atanh",
                                                                              "logit", "acosh")), (UNIT,)),
    "unary_unit_interval_float32": V(lambda m, a: tuple(getattr(a, n)() for n in ("erfinv", "asin", "atanh",
                                                                                  "logit")), (UNIT,), ("float32",)),
    "unary_int": V(lambda m, a: tuple(getattr(m, n)(a) for n in UNARY), (INTS,), ("int64",)),
    "unary_bool": V(lambda m, a: tuple(getattr(m, n)(a) for n in UNARY), (BOOLS,), ("bool",)),
    "unary_0d": V(lambda m, a: tuple(getattr(m, n)(a) for n in UNARY), (0.3,)),
    "unary_aliases": V(lambda m, a: (m.arcsin(a), m.arccos(a), m.arctan(a), m.arcsinh(a), m.arctanh(a),
                                     m.arccosh(a + 2)), ([0.1, -0.3, 0.7],)),
    "erf_range": V(lambda m, a: (m.erf(a), m.erfc(a)), ([-30.0, -6.0, -3.3, -1.0, -0.4, 0.1, 0.47, 0.5, 2.0, 4.0,
                                                         4.5, 6.0, 10.0, 26.0, 27.5, 1e-10],)),
    "erfinv_range": V(lambda m, a: m.erfinv(a), ([-0.999, -0.9, -0.7, -0.3, 1e-8, 0.05, 0.5, 0.69, 0.71, 0.95,
                                                  0.99, 0.9999],)),
    "lgamma_range": V(lambda m, a: m.lgamma(a), ([-4.5, -3.0, -2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 2.0, 2.5, 10.0,
                                                  100.0, 1e10, 1e306],)),
    "digamma_range": V(lambda m, a: m.digamma(a), ([-4.5, -3.0, -2.0, -1.5, -1.0, -0.5, 0.25, 0.5, 1.0, 2.0, 2.5,
                                                    9.5, 10.0, 10.5, 100.0, 1e10, 1e20],)),
    "logit_eps": V(lambda m, a: (m.logit(a, eps=0.2), a.logit(1e-6), m.logit(a, 0.0)), (UNIT,)),
    "logit_eps_float32": V(lambda m, a: m.logit(a, eps=0.2), (UNIT,), ("float32",)),
    "logit_eps_int": V(lambda m, a: m.logit(a, eps=0.25), ([0, 1, 2],), ("int64",)),
    "sinc_small": V(lambda m, a: m.sinc(a), ([1e-8, -1e-12, 1e-20, 1e-160, 1.0, 2.0, -3.0, 0.5],)),
    "frac": V(lambda m, a: m.frac(a), S),
    "frac_float32": V(lambda m, a: a.frac(), ([1.25, -1.25, 7.0, -0.5, 1e10],), ("float32",)),
    "frac_int_error": V(lambda m, a: m.frac(a), (INTS,), ("int64",)),
    "frac_bool_error": V(lambda m, a: a.frac(), (BOOLS,), ("bool",)),
    "sgn": V(lambda m, a: m.sgn(a), S),
    "sgn_int_bool": V(lambda m, a, b: (m.sgn(a), b.sgn()), (INTS, BOOLS), ("int64", "bool")),
    "nan_to_num": V(lambda m, a: m.nan_to_num(a), S),
    "nan_to_num_values": V(lambda m, a: m.nan_to_num(a, nan=-1.0, posinf=100.0, neginf=-100.0), S),
    "nan_to_num_partial": V(lambda m, a: (a.nan_to_num(posinf=5.0), a.nan_to_num(neginf=-5.0), a.nan_to_num(2.0)),
                            S),
    "nan_to_num_float32": V(lambda m, a: (m.nan_to_num(a), m.nan_to_num(a, posinf=1e300)), S, ("float32",)),
    "nan_to_num_int_bool": V(lambda m, a, b: (m.nan_to_num(a), m.nan_to_num(b, nan=3.0)), (INTS, BOOLS),
                             ("int64", "bool")),
    "nan_to_num_inplace": V(lambda m, a: a.clone().nan_to_num_(nan=9.0), S),
    "negative": V(lambda m, a, b: (m.negative(a), b.negative()), (S[0], INTS), ("float64", "int64")),
    "negative_bool_error": V(lambda m, a: m.negative(a), (BOOLS,), ("bool",)),
    "positive": V(lambda m, a, b: (m.positive(a), b.positive(), m.positive(a) is a), (S[0], INTS),
                  ("float64", "int64")),
    "positive_bool_error": V(lambda m, a: m.positive(a), (BOOLS,), ("bool",)),
    "absolute": V(lambda m, a, b: (m.absolute(a), b.absolute()), (S[0], INTS), ("float64", "int64")),
    "absolute_bool_error": V(lambda m, a: m.absolute(a), (BOOLS,), ("bool",)),
    "fix": V(lambda m, a, b: (m.fix(a), b.fix(), a.fix()), (S[0], INTS), ("float64", "int64")),
    "fix_bool_error": V(lambda m, a: m.fix(a), (BOOLS,), ("bool",)),
    "deg2rad_int": V(lambda m, a: (m.deg2rad(a), m.rad2deg(a)), ([180, -90, 0, 360],), ("int64",)),
    # ----- binary functions over every pair of special values
    "atan2_special": V(_outer(lambda m, a, b: m.atan2(a, b)), S),
    "hypot_special": V(_outer(lambda m, a, b: m.hypot(a, b)), S),
    "fmod_special": V(_outer(lambda m, a, b: m.fmod(a, b)), S),
    "fmax_special": V(_outer(lambda m, a, b: m.fmax(a, b)), S),
    "fmin_special": V(_outer(lambda m, a, b: m.fmin(a, b)), S),
    "copysign_special": V(_outer(lambda m, a, b: m.copysign(a, b)), S),
    "xlogy_special": V(_outer(lambda m, a, b: m.xlogy(a, b)), S),
    "float_power_special": V(_outer(lambda m, a, b: m.float_power(a, b)), S),
    "logaddexp_special": V(_outer(lambda m, a, b: m.logaddexp(a, b)), S),
    "logaddexp2_special": V(_outer(lambda m, a, b: m.logaddexp2(a, b)), S),
    "heaviside_special": V(_outer(lambda m, a, b: m.heaviside(a, b)), S),
    "divide_floor_special": V(_outer(lambda m, a, b: m.divide(a, b, rounding_mode="floor")), S),
    "divide_trunc_special": V(_outer(lambda m, a, b: m.divide(a, b, rounding_mode="trunc")), S),
    "lerp_special": V(_outer(lambda m, a, b: m.lerp(a, b, 0.25)), S),
    "lerp_special_high": V(_outer(lambda m, a, b: m.lerp(a, b, 0.75)), S),
    "lerp_tensor_weight_special": V(lambda m, a, b, w: m.lerp(a, b, w), (SPECIAL, SPECIAL[::-1], SPECIAL)),
    "binary_float32_special": V(_outer(lambda m, a, b: (m.atan2(a, b), m.hypot(a, b), m.fmod(a, b), m.fmax(a, b),
                                                        m.copysign(a, b), m.xlogy(a, b), m.logaddexp(a, b),
                                                        m.divide(a, b, rounding_mode="floor"))), S, ("float32",)),
    "divide_floor_values": V(lambda m, a, b: (m.divide(a, b, rounding_mode="floor"), m.div(a, b)),
                             ([7.0, -7.0, 7.0, -7.0, 0.5, -0.5, 1e300, 6.0, -1e-300],
                              [2.0, 2.0, -2.0, -2.0, 0.1, 0.1, 1e-10, 3.0, 1.0])),
    # ----- dtypes, broadcasting, scalars, errors
    "binary_int_int": V(lambda m, a, b: (m.atan2(a, b), m.fmax(a, b), m.fmin(a, b), m.xlogy(a, b), m.copysign(a, b),
                                         m.float_power(a, b), m.heaviside(a, b), m.true_divide(a, b)),
                        (INTS, [2, 3, -1, 0, 4, -2]), ("int64", "int64")),
    "binary_bool_bool": V(lambda m, a, b: (m.atan2(a, b), m.fmax(a, b), m.xlogy(a, b), m.copysign(a, b),
                                           m.float_power(a, b), m.heaviside(a, b)), (BOOLS, BOOLS[::-1]),
                          ("bool", "bool")),
    "binary_float32_int": V(lambda m, a, b: (m.atan2(a, b), m.hypot(a, b), m.fmod(a, b), m.fmax(a, b),
                                             m.xlogy(a, b), m.copysign(a, b), m.float_power(a, b),
                                             m.logaddexp(a, b)),
                            ([1.5, -2.0, 0.0, 4.0], [2, 3, -1, 5]), ("float32", "int64")),
    "binary_float32_float64": V(lambda m, a, b: (m.atan2(a, b), m.hypot(a, b), m.fmod(a, b), m.fmin(a, b),
                                                 m.xlogy(a, b), m.copysign(a, b), m.logaddexp2(a, b)),
                                ([1.5, -2.0, 0.0, 4.0], [2.0, 3.0, -1.0, 0.5]), ("float32", "float64")),
    "binary_float32_0d_float64": V(lambda m, a, b: (m.atan2(a, b), m.fmod(a, b), m.xlogy(a, b), m.copysign(a, b)),
                                   ([1.5, -2.0, 0.0, 4.0], 0.7), ("float32", "float64")),
    "binary_int_float_scalar": V(lambda m, a: (m.fmod(a, 2.5), m.xlogy(a, 2.5), m.copysign(a, -2.5),
                                               m.float_power(a, 2.5), m.divide(a, 2.5, rounding_mode="floor")),
                                 (INTS,), ("int64",)),
    "binary_float32_int_scalar": V(lambda m, a: (m.fmod(a, 2), a.xlogy(3), a.copysign(-1), m.float_power(a, 2),
                                                 m.divide(a, 2, rounding_mode="trunc")),
                                   ([1.5, -2.0, 0.0, 4.0],), ("float32",)),
    "fmod_int": V(lambda m, a, b: (m.fmod(a, b), a.fmod(3), m.fmod(a, -4)), (INTS, [2, 3, -1, 5, 4, -2]),
                  ("int64", "int64")),
    "fmod_int_zero_error": V(lambda m, a, b: m.fmod(a, b), (INTS, [2, 3, 0, 5, 4, -2]), ("int64", "int64")),
    "fmod_bool_error": V(lambda m, a: m.fmod(a, a), (BOOLS,), ("bool",)),
    "hypot_int_error": V(lambda m, a: m.hypot(a, a), (INTS,), ("int64",)),
    "logaddexp_int_error": V(lambda m, a: m.logaddexp(a, a), (INTS,), ("int64",)),
    "logaddexp2_bool_error": V(lambda m, a: m.logaddexp2(a, a), (BOOLS,), ("bool",)),
    "heaviside_dtype_error": V(lambda m, a, b: m.heaviside(a, b), (SPECIAL, [0.5]), ("float64", "float32")),
    "heaviside_broadcast": V(lambda m, a, b: a.heaviside(b), (SPECIAL, [0.5]), ("float64", "float64")),
    "heaviside_inplace": V(lambda m, a, b: a.clone().heaviside_(b), (SPECIAL, [-1.0]), ("float64", "float64")),
    "atan2_scalar_error": V(lambda m, a: m.atan2(a, 2.0), S),
    "hypot_scalar_error": V(lambda m, a: a.hypot(2.0), S),
    "fmax_scalar_error": V(lambda m, a: m.fmax(a, 2), S),
    "fmin_scalar_error": V(lambda m, a: a.fmin(0.5), S),
    "logaddexp_scalar_error": V(lambda m, a: m.logaddexp(a, 1.0), S),
    "heaviside_scalar_error": V(lambda m, a: m.heaviside(a, 0.5), S),
    "xlogy_scalar_self": V(lambda m, a: (m.xlogy(2.0, a), m.xlogy(0.0, a), m.xlogy(3, a)), S),
    "xlogy_scalar_self_int": V(lambda m, a: (m.xlogy(2, a), m.xlogy(2.5, a)), (INTS,), ("int64",)),
    "xlogy_scalar_other": V(lambda m, a: (m.xlogy(a, 0.0), m.xlogy(a, -1.0), m.xlogy(a, INF), m.xlogy(a, NAN)), S),
    "float_power_scalars": V(lambda m, a: (m.float_power(2.0, a), m.float_power(a, -1), m.float_power(a, 0.5),
                                           a.float_power(3)), S),
    "float_power_float32": V(lambda m, a: (m.float_power(a, a), m.float_power(a, 2.0), m.float_power(2, a)), S,
                             ("float32",)),
    "fmax_fmin_int_bool": V(lambda m, a, b: (m.fmax(a, b), m.fmin(a, b)), (INTS, [True] * 6), ("int64", "bool")),
    "lerp_float32": V(lambda m, a, b: (m.lerp(a, b, 0.3), m.lerp(a, b, 0.6), a.lerp(b, 2.0), a.lerp(b, -0.5)),
                      (SPECIAL, SPECIAL[::-1]), ("float32", "float32")),
    "lerp_tensor_weight_broadcast": V(lambda m, a, b, w: m.lerp(a.reshape(3, 1), b, w),
                                      ([1.0, 2.0, 3.0], [10.0, 20.0], [[0.0], [0.5], [1.0]])),
    "lerp_dtype_error": V(lambda m, a, b: m.lerp(a, b, 0.5), ([1.0, 2.0], [3.0, 4.0]), ("float64", "float32")),
    "lerp_weight_dtype_error": V(lambda m, a, w: m.lerp(a, a, w), ([1.0, 2.0], [0.5, 0.5]), ("float64", "float32")),
    "lerp_int_error": V(lambda m, a: m.lerp(a, a, 0.5), (INTS,), ("int64",)),
    "lerp_inplace": V(lambda m, a, b: a.clone().lerp_(b, 0.75), ([1.0, 2.0, -4.0], [3.0, -4.0, 8.0])),
    "addcmul": V(lambda m, c, a, b: (m.addcmul(c, a, b), m.addcmul(c, a, b, value=-2), c.addcmul(a, b, value=0.5)),
                 ([1.0, 2.0, 3.0], [0.5, -1.5, 2.0], [4.0, 0.25, -3.0])),
    "addcmul_int": V(lambda m, c, a, b: (m.addcmul(c, a, b), m.addcmul(c, a, b, value=3)),
                     ([1, 2, 3], [4, -5, 6], [7, 8, -9]), ("int64", "int64", "int64")),
    "addcmul_mixed": V(lambda m, c, a, b: m.addcmul(c, a, b), ([1, 2, 3], [0.5, 1.5, 2.0], [2, 2, 2]),
                       ("int64", "float32", "int64")),
    "addcmul_broadcast": V(lambda m, c, a, b: m.addcmul(c, a.reshape(3, 1), b),
                           (1.5, [0.5, -1.5, 2.0], [4.0, 0.25])),
    "addcdiv": V(lambda m, c, a, b: (m.addcdiv(c, a, b), m.addcdiv(c, a, b, value=-2), c.addcdiv(a, b, value=0.5)),
                 ([1.0, 2.0, 3.0, 0.0], [0.5, -1.5, 2.0, 1.0], [4.0, 0.25, -3.0, 0.0])),
    "addcdiv_float32": V(lambda m, c, a, b: m.addcdiv(c, a, b, value=3), ([1.0, 2.0], [0.5, -1.5], [3.0, 7.0]),
                         ("float32", "float32", "float32")),
    "addcdiv_int_error": V(lambda m, c, a, b: m.addcdiv(c, a, b), ([1, 2], [3, 4], [5, 6]),
                           ("int64", "int64", "int64")),
    "divide": V(lambda m, a, b: (m.divide(a, b), m.true_divide(a, b), a.divide(b), a.true_divide(b)),
                ([7.0, -7.0, 1.0], [2.0, 0.0, 3.0])),
    "divide_int": V(lambda m, a, b: (m.divide(a, b), m.divide(a, b, rounding_mode="trunc"),
                                     m.divide(a, b, rounding_mode="floor"), a.divide(2, rounding_mode="floor"),
                                     a.divide(-3, rounding_mode="trunc")),
                    ([7, -7, 7, -7, 0, 9], [2, 2, -2, -2, 5, 3]), ("int64", "int64")),
    "divide_int_zero_error": V(lambda m, a, b: m.divide(a, b, rounding_mode="floor"), ([7, 1], [0, 1]),
                               ("int64", "int64")),
    "divide_int_zero_true": V(lambda m, a, b: m.divide(a, b), ([7, 0, -1], [0, 0, 0]), ("int64", "int64")),
    "divide_bad_mode": V(lambda m, a: m.divide(a, a, rounding_mode="round"), S),
    "divide_inplace": V(lambda m, a, b: (a.clone().divide_(b), a.clone().divide_(b, rounding_mode="floor"),
                                         a.clone().true_divide_(b)), ([7.0, -7.0, 1.0], [2.0, 4.0, 3.0])),
    "divide_inplace_int_error": V(lambda m, a, b: a.clone().divide_(b), ([7, -7], [2, 4]), ("int64", "int64")),
    "divide_inplace_int_floor": V(lambda m, a, b: a.clone().divide_(b, rounding_mode="floor"), ([7, -7], [2, 4]),
                                  ("int64", "int64")),
    "multiply_subtract": V(lambda m, a, b: (m.multiply(a, b), a.multiply(b), m.subtract(a, b), a.subtract(b, alpha=2),
                                            m.subtract(a, 1.5, alpha=3)), ([7.0, -7.0, 1.0], [2.0, 4.0, 3.0])),
    "subtract_int": V(lambda m, a, b: (m.subtract(a, b, alpha=2), a.subtract(b), m.subtract(a, 1)),
                      ([7, -7, 1], [2, 4, 3]), ("int64", "int64")),
    "subtract_int_float_alpha_error": V(lambda m, a, b: m.subtract(a, b, alpha=0.5), ([7, -7], [2, 4]),
                                        ("int64", "int64")),
    "subtract_bool_error": V(lambda m, a: m.subtract(a, a), (BOOLS,), ("bool",)),
    "multiply_subtract_inplace": V(lambda m, a, b: (a.clone().multiply_(b), a.clone().subtract_(b, alpha=2)),
                                   ([7.0, -7.0, 1.0], [2.0, 4.0, 3.0])),
    # ----- gradients at the special points of each formula
    "grad_atan2_zero": V(lambda m, a, b: _grads(m, m.atan2, a, b), ([0.0, 1e-155, 0.0, 1.0, -0.0, INF],
                                                                    [0.0, 1e-155, 1e-155, 0.0, -1.0, 1.0])),
    "grad_hypot_zero": V(lambda m, a, b: _grads(m, m.hypot, a, b), ([0.0, 3.0, INF], [0.0, 4.0, 1.0])),
    "grad_fmod": V(lambda m, a, b: _grads(m, m.fmod, a, b), ([5.0, -5.0, 5.0, 0.0, 6.0], [3.0, 3.0, 0.0, 2.0, -3.0])),
    "grad_fmax_fmin_ties_nan": V(lambda m, a, b: (_grads(m, m.fmax, a, b), _grads(m, m.fmin, a, b)),
                                 ([1.0, 2.0, NAN, 1.0, NAN, -0.0], [1.0, 1.0, 1.0, NAN, NAN, 0.0])),
    "grad_xlogy_zero": V(lambda m, a, b: _grads(m, m.xlogy, a, b),
                         ([0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -0.0, 2.0], [0.0, -1.0, 2.0, 0.0, NAN, INF, -0.0, -1.0])),
    "grad_xlogy_scalar_other": V(lambda m, a: (_grads(m, lambda x: m.xlogy(x, 0.0), a),
                                               _grads(m, lambda x: m.xlogy(x, 2.0), a),
                                               _grads(m, lambda x: m.xlogy(x, -1.0), a)), ([0.0, 1.0, -0.0],)),
    "grad_xlogy_scalar_self": V(lambda m, a: (_grads(m, lambda y: m.xlogy(0.0, y), a),
                                              _grads(m, lambda y: m.xlogy(2.0, y), a)), ([0.0, 1.0, -1.0, INF],)),
    "grad_copysign_zero": V(lambda m, a, b: _grads(m, m.copysign, a, b),
                            ([0.0, -0.0, 1.0, -2.0, 3.0, INF], [-1.0, 1.0, -0.0, 0.0, NAN, -1.0])),
    "grad_copysign_scalar": V(lambda m, a: _grads(m, lambda x: m.copysign(x, -1.0), a), ([0.0, 1.0, -2.0],)),
    "grad_logaddexp_inf": V(lambda m, a, b: (_grads(m, m.logaddexp, a, b), _grads(m, m.logaddexp2, a, b)),
                            ([1.0, INF, -INF, INF, 800.0], [2.0, INF, -INF, 1.0, -800.0])),
    "grad_lerp": V(lambda m, a, b, w: (_grads(m, lambda x, y: m.lerp(x, y, 0.3), a, b), _grads(m, m.lerp, a, b, w)),
                   ([1.0, INF, 0.0], [2.0, 1.0, NAN], [0.3, 0.9, 0.5])),
    "grad_addcmul_addcdiv": V(lambda m, c, a, b: (_grads(m, lambda x, y, z: m.addcmul(x, y, z, value=2), c, a, b),
                                                  _grads(m, lambda x, y, z: m.addcdiv(x, y, z, value=2), c, a, b)),
                              ([1.0, 2.0], [3.0, 0.0], [0.0, -2.0])),
    "grad_divide_modes": V(lambda m, a, b: (_grads(m, lambda x, y: m.divide(x, y, rounding_mode="floor"), a, b),
                                            _grads(m, lambda x, y: m.divide(x, y, rounding_mode="trunc"), a, b)),
                           ([5.0, -5.0], [2.0, 0.0])),
    "grad_subtract_alpha": V(lambda m, a, b: _grads(m, lambda x, y: m.subtract(x, y, alpha=-1.5), a, b),
                             ([5.0, -5.0], [2.0, 0.0])),
    "grad_float_power_float32": V(lambda m, a, b: _grads(m, m.float_power, a, b), ([2.0, 0.5], [3.0, -1.0]),
                                  ("float32", "float64")),
    "grad_unary_special": V(lambda m, a: tuple(_grads(m, getattr(m, n), a) for n in UNARY), (SPECIAL,)),
    "grad_unary_unit": V(lambda m, a: tuple(_grads(m, getattr(m, n), a) for n in ("erfinv", "asin", "acos",
                                                                                  "atanh", "acosh", "logit")),
                         (UNIT,)),
    "grad_logit_eps": V(lambda m, a: _grads(m, lambda x: m.logit(x, eps=0.25), a),
                        ([-0.5, 0.0, 0.2, 0.25, 0.3, 0.75, 0.8, 1.0, 1.5, NAN],)),
    "grad_sinc": V(lambda m, a: _grads(m, m.sinc, a), ([0.0, -0.0, 1e-300, 1e-160, 1e-8, 1.0, 0.5, INF],)),
    "grad_nan_to_num": V(lambda m, a: _grads(m, m.nan_to_num, a), S),
    "grad_others_special": V(lambda m, a: tuple(_grads(m, getattr(m, n), a) for n in ("frac", "nan_to_num",
                                                                                      "negative", "fix")), S),
    "grad_float32": V(lambda m, a: tuple(_grads(m, getattr(m, n), a) for n in ("rsqrt", "erf", "erfinv", "sinc",
                                                                               "lgamma", "atan")),
                      ([0.3, 0.6, 0.9],), ("float32",)),
    "grad_heaviside_error": V(lambda m, a, b: _grads(m, m.heaviside, a, b), ([1.0, 0.0], [0.5])),
    "comparison_inplace_nonleaf": V(lambda m, a, b: tuple(_on_nonleaf(m, a, f, o) for o in (0.5, b)
                                                          for f in ("gt_", "greater_equal_", "ne_", "less_")),
                                    ([0.3, 0.6, 0.9], [0.5, 0.25, 2.0])),
    "logical_inplace_nonleaf": V(lambda m, a, b: (_on_nonleaf(m, a, "logical_not_"),
                                                  _on_nonleaf(m, a, "logical_xor_", b),
                                                  _on_nonleaf(m, a, "logical_and_", b),
                                                  _on_nonleaf(m, a, "logical_or_", b)),
                                 ([0.0, 0.6, 0.9], [0.5, 0.0, 2.0])),
    "logical_inplace_leaf": V(lambda m, a: (a.requires_grad_().logical_not_(), a.requires_grad, a.grad_fn is None,
                                            a._version), ([0.0, 0.6],)),
    "count_nonzero_repeated_dim": V(lambda m, a: m.count_nonzero(a.reshape(3, 3), dim=(0, -3)), S),
    "logit_eps_above_half": V(lambda m, a: (m.logit(a, eps=0.6), _grads(m, lambda x: m.logit(x, eps=0.6), a)),
                              ([0.3, 0.5, 0.7, NAN],)),
    "lerp_0d_weight_float64": V(lambda m, a, w: (m.lerp(a, a * 2, w), _grads(m, m.lerp, a, a * 3, w)),
                                ([1.0, 2.0], 0.25), ("float32", "float64")),
    "addcmul_int_fractional_value": V(lambda m, c, a, b: (m.addcmul(c, a, b, value=0.5), m.addcmul(c, a, b, value=2.9)),
                                      ([1, 2], [1, 2], [3, 4]), ("int64", "int64", "int64")),
    "float_power_scalar_base_grads": V(lambda m, a: (_grads(m, lambda x: m.float_power(2.0, x), a),
                                                     _grads(m, lambda x: m.float_power(0.0, x), a),
                                                     _grads(m, lambda x: m.float_power(-2, x), a),
                                                     _name(m.float_power(3, a.requires_grad_()))),
                                       ([0.0, 1.5, -2.0, 3.0],)),
    "heaviside_requires_grad": V(lambda m, a, b: (m.heaviside(a.requires_grad_(), b).requires_grad,
                                                  _name(m.heaviside(a, b))), ([1.0, 0.0], [0.5])),
    # ----- node names
    "grad_fn_names": V(lambda m, a, b: tuple(_name(f(a.detach().requires_grad_(), b)) for f in (
        lambda x, y: x.rsqrt(), lambda x, y: x.reciprocal(), lambda x, y: x.expm1(), lambda x, y: x.exp2(),
        lambda x, y: x.erf(), lambda x, y: x.erfc(), lambda x, y: x.erfinv(), lambda x, y: x.tan(),
        lambda x, y: x.sinh(), lambda x, y: x.cosh(), lambda x, y: x.arcsin(), lambda x, y: x.arccos(),
        lambda x, y: x.arctan(), lambda x, y: x.arcsinh(), lambda x, y: x.arccosh(), lambda x, y: x.arctanh(),
        lambda x, y: x.sinc(), lambda x, y: x.logit(), lambda x, y: x.logit(0.1), lambda x, y: x.frac(),
        lambda x, y: x.sgn(), lambda x, y: x.deg2rad(), lambda x, y: x.rad2deg(), lambda x, y: x.nan_to_num(),
        lambda x, y: x.negative(), lambda x, y: x.absolute(), lambda x, y: x.fix(), lambda x, y: x.lgamma(),
        lambda x, y: x.digamma(), lambda x, y: m.positive(x * 1),
        lambda x, y: x.atan2(y), lambda x, y: x.arctan2(y), lambda x, y: x.hypot(y), lambda x, y: x.fmod(y),
        lambda x, y: x.fmod(2.0), lambda x, y: x.fmax(y), lambda x, y: x.fmin(y), lambda x, y: x.lerp(y, 0.5),
        lambda x, y: x.lerp(y, y), lambda x, y: x.addcmul(y, y), lambda x, y: x.addcdiv(y, y),
        lambda x, y: x.xlogy(y), lambda x, y: x.xlogy(2.0), lambda x, y: m.xlogy(2.0, x), lambda x, y: x.copysign(y),
        lambda x, y: x.copysign(-1.0), lambda x, y: x.float_power(y), lambda x, y: x.float_power(2),
        lambda x, y: x.float()[0:2].float_power(2), lambda x, y: x.logaddexp(y), lambda x, y: x.logaddexp2(y),
        lambda x, y: x.divide(y), lambda x, y: x.divide(y, rounding_mode="floor"),
        lambda x, y: x.divide(2.0, rounding_mode="trunc"), lambda x, y: x.true_divide(y), lambda x, y: x.multiply(y),
        lambda x, y: x.subtract(y), lambda x, y: x.subtract(y, alpha=2))), ([0.3, 0.6, 0.9], [0.5, 0.25, 2.0])),
    "inplace_grad_fn_names": V(lambda m, a: tuple(_inplace_name(m, a, f) for f in (
        "rsqrt_", "reciprocal_", "expm1_", "exp2_", "erf_", "erfc_", "erfinv_", "tan_", "sinh_", "cosh_",
        "asin_", "arcsin_", "acos_", "atan_", "asinh_", "acosh_", "atanh_", "arctanh_", "sinc_", "logit_", "frac_",
        "sgn_", "deg2rad_", "rad2deg_", "nan_to_num_", "negative_", "absolute_", "fix_", "lgamma_", "digamma_")),
        ([0.3, 0.6, 0.9],)),
    # ----- in-place forms
    "inplace_values": V(lambda m, a: tuple(getattr(a.clone(), f + "_")() for f in UNARY + (
        "frac", "sgn", "nan_to_num", "negative", "absolute", "fix")), (SPECIAL,)),
    "inplace_values_float32": V(lambda m, a: tuple(getattr(a.clone(), f + "_")() for f in UNARY[:-1]), (SPECIAL,),
                                ("float32",)),
    "inplace_binary_values": V(lambda m, a, b: (a.clone().atan2_(b), a.clone().arctan2_(b), a.clone().hypot_(b),
                                                a.clone().fmod_(b), a.clone().fmod_(2.0), a.clone().xlogy_(b),
                                                a.clone().xlogy_(2.0), a.clone().copysign_(b),
                                                a.clone().copysign_(-1.0), a.clone().float_power_(b),
                                                a.clone().float_power_(2)), (SPECIAL, SPECIAL[::-1])),
    "inplace_returns_self": V(lambda m, a: tuple(getattr(b, f)() is b for b in (a.clone(),) for f in (
        "rsqrt_", "erf_", "sgn_", "frac_", "nan_to_num_", "logical_not_")), S),
    "inplace_version": V(lambda m, a: tuple(getattr(b, f)()._version for f in ("erf_", "tan_", "fix_", "sgn_")
                                            for b in (a.clone(),)), S),
    "inplace_int_float_result_error": V(lambda m, a: a.clone().rsqrt_(), (INTS,), ("int64",)),
    "inplace_int_erf_error": V(lambda m, a: a.clone().erf_(), (INTS,), ("int64",)),
    "inplace_int_atan2_error": V(lambda m, a: a.clone().atan2_(a), (INTS,), ("int64",)),
    "inplace_int_kept": V(lambda m, a: (a.clone().sgn_(), a.clone().fix_(), a.clone().negative_(),
                                        a.clone().absolute_(), a.clone().nan_to_num_(), a.clone().fmod_(3)),
                          (INTS,), ("int64",)),
    "inplace_broadcast_error": V(lambda m, a, b: a.clone().atan2_(b), ([1.0, 2.0], [[1.0], [2.0]])),
    "inplace_leaf_error": V(lambda m, a: a.requires_grad_().erf_(), S),
    "float_power_inplace_float32_error": V(lambda m, a: a.clone().float_power_(2), S, ("float32",)),
    "torch_inplace_functions": V(lambda m, a: tuple(getattr(m, f + "_")(a.clone()) for f in (
        "rsqrt", "reciprocal", "expm1", "exp2", "erf", "erfc", "tan", "sinh", "cosh", "asin", "arcsin", "acos",
        "arccos", "atan", "arctan", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sinc", "logit",
        "frac", "deg2rad", "rad2deg", "nan_to_num", "negative", "fix")), S),
    "torch_xlogy_inplace": V(lambda m, a, b: (m.xlogy_(a.clone(), b), m.xlogy_(a.clone(), 2.0)),
                             (SPECIAL, SPECIAL[::-1])),
    "torch_nan_to_num_inplace_args": V(lambda m, a: (m.nan_to_num_(a.clone(), 1.0, 2.0, -2.0),
                                                     m.logit_(a.clone(), 0.25)), S),
    "inplace_nonleaf_grads": V(lambda m, a: tuple(_on_nonleaf(m, a, f)[1:] for f in (
        "rsqrt_", "erfinv_", "sinc_", "logit_", "lgamma_", "digamma_", "deg2rad_", "frac_", "nan_to_num_")),
        ([0.3, 0.6, 0.9],)),
    "inplace_nonleaf_binary_grads": V(lambda m, a, b: (_on_nonleaf(m, a, "atan2_", b)[1:],
                                                       _on_nonleaf(m, a, "fmod_", b)[1:],
                                                       _on_nonleaf(m, a, "xlogy_", b)[1:],
                                                       _on_nonleaf(m, a, "copysign_", b)[1:],
                                                       _on_nonleaf(m, a, "float_power_", b)[1:],
                                                       _on_nonleaf(m, a, "lerp_", b, 0.25)[1:],
                                                       _on_nonleaf(m, a, "hypot_", b)[1:]),
                                      ([0.3, -0.6, 0.9], [0.5, 0.25, -2.0])),
    "inplace_asinh_backward_error": V(lambda m, a: _on_nonleaf(m, a, "asinh_"), ([0.3, 0.6],)),
    "inplace_acosh_backward_error": V(lambda m, a: _on_nonleaf(m, a, "arccosh_"), ([1.3, 1.6],)),
    "inplace_atanh_backward_error": V(lambda m, a: _on_nonleaf(m, a, "atanh_"), ([0.3, 0.6],)),
    "inplace_asinh_no_grad": V(lambda m, a: (a.clone().asinh_(), a.clone().arcsinh_(), a.clone().atanh_(),
                                             (a + 1).acosh_()), ([0.3, 0.6],)),
    # ----- in-place changes of saved values: PyTorch checks what each backward reads
    **{f"saved_result_changed_{op}": V(lambda m, a, op=op: _saved_result_changed(m, a, op), ([0.3, 0.6],))
       for op in ("rsqrt", "reciprocal", "expm1", "exp2", "tan", "erf", "sinh", "deg2rad", "frac", "nan_to_num")},
    **{f"saved_input_changed_{op}": V(lambda m, a, op=op: _saved_input_changed(m, a, op), ([0.3, 0.6],))
       for op in ("rsqrt", "reciprocal", "expm1", "exp2", "tan", "erf", "erfinv", "sinh", "asin", "deg2rad",
                  "rad2deg", "frac", "sinc", "lgamma", "logit", "nan_to_num", "negative")},
    "saved_result_changed_sgn": V(lambda m, a: _saved_result_changed(m, a, "sgn"), ([0.3, -0.6],)),
    "saved_result_changed_hypot": V(lambda m, a: _saved_result_changed(m, a, "hypot", a), ([0.3, -0.6],)),
    "saved_result_changed_copysign": V(lambda m, a: _saved_result_changed(m, a, "copysign", a), ([0.3, -0.6],)),
    "saved_result_changed_copysign_scalar": V(lambda m, a: _saved_result_changed(m, a, "copysign", -1.0),
                                              ([0.3, -0.6],)),
    "saved_result_changed_atan2": V(lambda m, a: _saved_result_changed(m, a, "atan2", a), ([0.3, -0.6],)),
    "saved_result_changed_xlogy": V(lambda m, a: _saved_result_changed(m, a, "xlogy", a), ([0.3, 0.6],)),
    "saved_input_changed_fmod_scalar": V(lambda m, a: _saved_input_changed(m, a, "fmod", 0.25), ([0.3, 0.6],)),
    "saved_input_changed_fmod_tensor": V(lambda m, a: _saved_input_changed(m, a, "fmod", "leaf"), ([0.3, 0.6],)),
    "saved_input_changed_lerp_scalar": V(lambda m, a: _saved_input_changed(m, a, "lerp", a, 0.25), ([0.3, 0.6],)),
    "saved_input_changed_lerp_tensor": V(lambda m, a: _saved_input_changed(m, a, "lerp", a, "leaf"), ([0.3, 0.6],)),
    "saved_input_changed_atan2": V(lambda m, a: _saved_input_changed(m, a, "atan2", a), ([0.3, 0.6],)),
    # sign of NaN and -0; clamp with tensor bounds: ties go to x, crossed bounds to max, lost where min == max
    "sign_special": V(lambda m, a: (m.sign(a), a.sign(), m.signbit(m.sign(a))), S),
    "sign_float32_and_int": V(lambda m, a: (m.sign(a.float()), m.sign(a.long())), ([NAN, -0.0, -3.0, 2.0],)),
    "clamp_tensor_bounds": V(lambda m, x, lo, hi: (_grads(m, lambda a, b, c: m.clamp(a, b, c), x, lo, hi),
                                                   _name(m.clamp(x.requires_grad_(), lo, hi))),
                             ([0.5, 3.0, 1.0, 2.0, NAN, 1.0], [1.0, 1.0, 1.0, 3.0, 0.0, NAN],
                              [1.0, 1.0, 1.0, 2.5, 2.0, 2.0])),
    "clamp_tensor_min_only": V(lambda m, x, lo: _grads(m, lambda a, b: m.clamp(a, min=b), x, lo),
                               ([0.5, 3.0, 1.0, NAN], [1.0, 1.0, 1.0, 0.0])),
    "clamp_tensor_max_broadcast": V(lambda m, x, hi: _grads(m, lambda a, b: m.clamp(a, max=b), x, hi),
                                    ([[0.5, 3.0], [1.0, -2.0]], [1.0])),
    "clamp_min_max_tensor": V(lambda m, x, b: (_grads(m, lambda a, c: m.clamp_min(a, c), x, b),
                                               _grads(m, lambda a, c: m.clamp_max(a, c), x, b),
                                               _grads(m, lambda a, c: a.clamp(c, c), x, b),
                                               _name(m.clamp_min(x.requires_grad_(), b)),
                                               _name(m.clamp_max(x.requires_grad_(), b))),
                              ([0.5, 3.0, 1.0], [1.0, 1.0, 1.0])),
}

