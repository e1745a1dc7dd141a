"""Value cases of the products and tensor_extras families (see value_cases.py): integer and bool results, dtypes,
random draws after a seed, named results, and the exception classes PyTorch raises."""

from __future__ import annotations

from typing import Any

from .value_cases import INF, NAN, ValueCase

V = ValueCase
INTS = [12, -9, 0, 7, 30, -4]
FLOATS = [3.0, -3.0, 0.0, -0.0, 5.5, -7.25, NAN, INF, -INF, 1e-300]


def _seeded(m: Any, fn: Any) -> Any:
    m.manual_seed(3)
    return fn()


def _asarray_facts(m: Any, a: Any) -> list:
    same = m.asarray(a)
    cast = m.asarray(a, dtype=m.float32)
    copied = m.asarray(a, copy=True)
    copied.add_(1.0)
    grad = m.asarray(a, requires_grad=True)
    return [same is a, cast.dtype == m.float32, a[0].item(), copied, grad.requires_grad, grad is a]


CASES: dict[str, ValueCase] = {
    # remainder: Python's sign, integers, zeros
    "remainder_floats": V(lambda m, a: m.remainder(a.reshape(-1, 1), a.reshape(1, -1)), (FLOATS,)),
    "remainder_scalar": V(lambda m, a: a.remainder(-1.5), (FLOATS,)),
    "remainder_ints": V(lambda m, a, b: m.remainder(a, b), (INTS, [5, 5, -3, -3, 7, 2]), ("int64", "int64")),
    "remainder_int_by_zero": V(lambda m, a: m.remainder(a, 0), (INTS,), ("int64",)),
    "remainder_int_float": V(lambda m, a: a.remainder(2.5), (INTS,), ("int64",)),
    "remainder_bool": V(lambda m, a: m.remainder(a, a), ([True, False],), ("bool",)),
    "remainder_inplace_int": V(lambda m, a: a.clone().remainder_(4), (INTS,), ("int64",)),
    "remainder_grad_fn": V(lambda m, a, b: [type(a.requires_grad_().remainder(2.0).grad_fn).__name__,
                                            type(m.remainder(a, b).grad_fn).__name__], ([1.5, 2.0], [1.0, 0.5])),
    # the integer ops
    "floor_divide_method": V(lambda m, a: a.floor_divide(4), (INTS,), ("int64",)),
    "floor_divide_inplace": V(lambda m, a: a.clone().floor_divide_(-3), (INTS,), ("int64",)),
    "bitwise_methods": V(lambda m, a, b: [a.bitwise_and(b), a.bitwise_or(b), a.bitwise_xor(b), a.bitwise_not()],
                         (INTS, [5, 3, 1, -1, 8, 2]), ("int64", "int64")),
    "bitwise_bool": V(lambda m, a, b: [a.bitwise_and(b), a.bitwise_xor(b), a.bitwise_not()],
                      ([True, False, True], [True, True, False]), ("bool", "bool")),
    "bitwise_inplace": V(lambda m, a, b: [a.clone().bitwise_and_(b), a.clone().bitwise_or_(b),
                                          a.clone().bitwise_xor_(3), a.clone().bitwise_not_()],
                         (INTS, [5, 3, 1, -1, 8, 2]), ("int64", "int64")),
    "bitwise_inplace_int32": V(lambda m, a: a.clone().bitwise_or_(6), ([1, 2, 3],), ("int32",)),
    "shifts": V(lambda m, a, b: [m.bitwise_left_shift(a, b), m.bitwise_right_shift(a, b), a.bitwise_left_shift(2),
                                 a.bitwise_right_shift(1)], (INTS, [1, 2, 0, 3, 4, 1]), ("int64", "int64")),
    "shifts_int32_inplace": V(lambda m, a: [a.clone().bitwise_left_shift_(3), a.clone().bitwise_right_shift_(1)],
                              ([5, -6, 7],), ("int32",)),
    "shift_float_raises": V(lambda m, a: m.bitwise_left_shift(a, 1), ([1.0],)),
    "gcd_lcm": V(lambda m, a, b: [m.gcd(a, b), m.lcm(a, b), a.gcd(b), a.lcm(b)], (INTS, [8, 6, 5, 0, -12, 6]),
                 ("int64", "int64")),
    "gcd_inplace": V(lambda m, a, b: [a.clone().gcd_(b), a.clone().lcm_(b)], ([4, 9], [6, 6]), ("int32", "int32")),
    "gcd_float_raises": V(lambda m, a: m.gcd(a, a), ([1.0, 2.0],)),
    "isin": V(lambda m, a, b: [m.isin(a, b), m.isin(a, b, invert=True), m.isin(a, 7), m.isin(3, b)],
              (INTS, [7, 0, -4, 99]), ("int64", "int64")),
    "isin_floats": V(lambda m, a: m.isin(a, a[:3]), (FLOATS,)),
    # scatter_reduce
    "scatter_reduce_all": V(lambda m, a, s: [m.scatter_reduce(a, 0, m.tensor([0, 1, 0, 3]), s, r, include_self=i)
                                             for r in ("sum", "prod", "mean", "amax", "amin") for i in (True, False)],
                            ([1.0, 2.0, 3.0, 4.0], [5.0, -1.0, 2.5, NAN])),
    "scatter_reduce_int_mean": V(lambda m, a, s: [a.scatter_reduce(0, m.tensor([0, 0, 1]), s, "mean"),
                                                  a.scatter_reduce(0, m.tensor([0, 0, 1]), s, "mean",
                                                                   include_self=False)],
                                 ([1, 2, 3], [4, 7, -5]), ("int64", "int64")),
    "scatter_reduce_2d": V(lambda m, a, s: a.scatter_reduce(1, m.tensor([[2, 0], [1, 1]]), s, "amax"),
                           ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[9.0, -1.0], [0.0, 8.0]])),
    "scatter_reduce_max_min": V(lambda m, a: [a.scatter_reduce(0, m.tensor([0]), a, r) for r in ("max", "min")],
                                ([1.0],)),
    "scatter_reduce_bad_reduce": V(lambda m, a: a.scatter_reduce(0, m.tensor([0]), a, "foo"), ([1.0],)),
    "scatter_reduce_float_index": V(lambda m, a: a.scatter_reduce(0, m.tensor([0.0]), a, "sum"), ([1.0],)),
    "scatter_reduce_bad_index": V(lambda m, a: a.scatter_reduce(0, m.tensor([0], dtype=m.int32), a, "sum"), ([1.0],)),
    "scatter_reduce_grad_fn": V(lambda m, a: type(a.requires_grad_().scatter_reduce(0, m.tensor([0]), a, "sum")
                                                  .grad_fn).__name__, ([1.0, 2.0],)),
    # products: dtypes and errors
    "inner_ints": V(lambda m, a, b: m.inner(a, b), ([[1, 2], [3, 4]], [5, 6]), ("int64", "int64")),
    "inner_mismatch": V(lambda m, a, b: m.inner(a, b), ([1.0, 2.0], [1.0, 2.0, 3.0])),
    "vdot_2d_raises": V(lambda m, a: m.vdot(a, a), ([[1.0, 2.0]],)),
    "ger_ints": V(lambda m, a, b: a.ger(b), ([1, 2], [3, 4, 5]), ("int64", "int64")),
    "addmv_beta_zero_ignores_nan": V(lambda m, x, a, v: m.addmv(x, a, v, beta=0), ([NAN, INF], [[1.0, 2.0],
                                                                                                  [3.0, 4.0]],
                                                                                     [1.0, -1.0])),
    "addr_ints": V(lambda m, x, a, b: m.addr(x, a, b, beta=2, alpha=3), ([[1, 1], [1, 1]], [1, 2], [3, 4]),
                   ("int64", "int64", "int64")),
    "baddbmm_shape_raises": V(lambda m, x, a: m.baddbmm(x, a, a), ([1.0], [[[1.0, 2.0]]])),
    "block_diag_dtypes": V(lambda m, a, b, c: [m.block_diag(a, b), m.block_diag(b, c), m.block_diag(c)],
                           ([[1, 2]], [3.5], 7.0), ("int64", "float64", "float32")),
    "block_diag_3d_raises": V(lambda m, a: m.block_diag(a), ([[[1.0]]],)),
    "chain_matmul_one": V(lambda m, a: m.chain_matmul(a), ([[1.0, 2.0], [3.0, 4.0]],)),
    # tensor conveniences
    "clone_detach": V(lambda m, a: [m.clone(a), m.detach(a.requires_grad_()).requires_grad,
                                    m.clone(a).grad_fn is not None], ([1.0, 2.0],)),
    "asarray": V(lambda m, a: _asarray_facts(m, a), ([1.0, 2.0],)),
    "asarray_alias_raises": V(lambda m, a: m.asarray(a, dtype=m.float32, copy=False), ([1.0],)),
    "asarray_list": V(lambda m: [m.asarray([1, 2]), m.asarray([1, 2.5]), m.asarray(3), m.asarray([True]),
                                 m.asarray([1, 2], dtype=m.float64)]),
    "asarray_list_alias_raises": V(lambda m: m.asarray([1, 2], copy=False)),
    "where_method": V(lambda m, a: [a.where(a > 0, 0.0), a.where(a < 1, a * 2)], (FLOATS,)),
    "bernoulli_method": V(lambda m, a: _seeded(m, lambda: [a.bernoulli(), a.bernoulli(0.3)]),
                          ([0.1, 0.5, 0.9, 0.0, 1.0, 0.25, 0.75],)),
    "bernoulli_method_float32": V(lambda m, a: _seeded(m, lambda: a.bernoulli()), ([0.2, 0.8, 0.5],), ("float32",)),
    "msort": V(lambda m, a: [m.msort(a), a.msort()], ([[3, 1], [1, 2], [2, 0]],), ("int64",)),
    "split_with_sizes": V(lambda m, a: list(m.split_with_sizes(a, [1, 2])), ([1.0, 2.0, 3.0],)),
    "split_with_sizes_raises": V(lambda m, a: a.split_with_sizes([1, 1]), ([1.0, 2.0, 3.0],)),
    "cumprod_inplace_int": V(lambda m, a: a.clone().cumprod_(0), (INTS,), ("int64",)),
    "top_level_inplace": V(lambda m, a: [getattr(m, n)(a.clone()) for n in (
        "abs_", "ceil_", "cos_", "exp_", "floor_", "log10_", "log1p_", "log2_", "log_", "neg_", "round_",
        "sigmoid_", "sin_", "sqrt_", "square_", "tanh_", "trunc_", "zero_", "detach_")], ([0.5, 2.25, 4.0],)),
    "top_level_inplace_args": V(lambda m, a: [m.clamp_(a.clone(), -1, 1), m.clip_(a.clone(), max=0),
                                              m.clamp_min_(a.clone(), 0.5), m.clamp_max_(a.clone(), 0.5),
                                              m.fill_(a.clone(), 3.0)], ([-2.0, 0.25, 3.0],)),
    "top_level_inplace_ints": V(lambda m, a, b: [m.gcd_(a.clone(), b), m.lcm_(a.clone(), b)], ([4, 6], [6, 4]),
                                ("int64", "int64")),
    "inplace_methods_int": V(lambda m, a: [a.clone().floor_(), a.clone().ceil_(), a.clone().trunc_()],
                             ([1.5, -1.5, 2.0],)),
    "mod_operator": V(lambda m, a, b: _mod_grads(m, a, b), ([3.0, -3.0, 5.5, -0.0], [2.0, 2.0, -1.5, 3.0])),
    "mod_operator_scalars": V(lambda m, a: [a % -1.5, 5 % a, 5.0 % a, a % 2], ([3.0, -2.0, 1.5],)),
    "mod_operator_ints": V(lambda m, a: [a % 3, -7 % a, a % -3], ([7, -7, 3],), ("int64",)),
    "mod_inplace": V(lambda m, a: [a.clone().__imod__(2.5), a.clone().remainder_(-2.0)], ([3.0, -3.0, 7.0],)),
}


def _mod_grads(m: Any, a: Any, b: Any) -> list:
    """`%` records RemainderBackward0 with PyTorch's gradients for both operands."""
    a.requires_grad_()
    b.requires_grad_()
    out = a % b
    out.sum().backward()
    return [out.detach(), type(out.grad_fn).__name__, a.grad, b.grad]
