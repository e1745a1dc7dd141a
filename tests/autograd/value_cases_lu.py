"""Value cases for LU and Householder products (see value_cases.py): factors, int32 pivots and infos, shapes and
batches, the legacy torch.lu / lu_solve / lu_unpack forms, and the errors (class and PyTorch's message) for singular
matrices, wrong shapes, dtypes and pivots."""

from __future__ import annotations

from typing import Any

from .value_cases import INF, ValueCase

V = ValueCase
F32 = ("float32",)
I64 = ("int64",)

G3 = [[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.5, 1.0, 4.0]]
SWAPS3 = [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 9.0]]  # every column's pivot is a swap
SPD3 = [[4.0, 1.0, 2.0], [1.0, 5.0, 3.0], [2.0, 3.0, 7.0]]
SING3 = [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
RANK1 = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [4.0, 8.0, 13.0]]  # rank 2, its elimination exact in floating point
ZERO_COLUMN = [[0.0, 1.0], [0.0, 2.0]]
T43 = [[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [2.0, -1.0, 1.0], [1.0, 1.0, 3.0]]
C43 = [[0.5, -1.0, 2.0], [1.0, 0.0, 1.5], [-2.0, 1.0, 0.0], [3.0, 0.5, -1.0]]
B32 = [[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]]
TAU3 = [1.2, 0.5, -0.3]


def _message(fn) -> str:
    """The class and message of the error fn raises."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the error is the value
        return f"{type(exc).__name__}: {exc}"
    return "no error"


def _raised(fn):
    """A case giving `_message` of fn(m, *tensors)."""
    return lambda m, *ts: _message(lambda: fn(m, *ts))


def _two(m: Any, a: Any, b: Any) -> Any:
    return m.stack([a, b])


def _fields(result: Any, names: str) -> dict:
    return {name: getattr(result, name) for name in names.split()}


def _factor(m: Any, a: Any) -> Any:
    return m.linalg.lu_factor(a)


def _pivots(m: Any, n: int, dtype: Any = None) -> Any:
    return m.arange(1, n + 1, dtype=m.int32 if dtype is None else dtype)


def _grad_fns(m: Any, a: Any, t: Any, c: Any) -> dict:
    """The node names of the results of a tensor that requires grad (None where there is none)."""
    x = a.detach().requires_grad_()
    sq = x[:3]
    factor = m.linalg.lu_factor(sq)
    p, low, up = m.linalg.lu(x)
    unpacked = m.lu_unpack(*factor)
    names = {
        "lu_factor": factor.LU, "lu_factor_ex": m.linalg.lu_factor_ex(x).LU, "lu_P": p, "lu_L": low, "lu_U": up,
        "lu_legacy": m.lu(x)[0], "lu_solve": m.linalg.lu_solve(*factor, sq), "lu_solve_legacy": m.lu_solve(sq, *factor),
        "unpack_P": unpacked.P, "unpack_L": unpacked.L, "pivots": factor.pivots,
        "householder_product": m.linalg.householder_product(x, t), "orgqr": m.orgqr(x, t),
        "ormqr": m.ormqr(x, t, c), "geqrf": m.geqrf(x).a, "geqrf_tau": m.geqrf(x).tau,
    }
    return {k: None if v.grad_fn is None else type(v.grad_fn).__name__ for k, v in names.items()}


def _backward_error(fn):
    """The message of the error the backward of fn(m, leaf) raises."""
    def case(m: Any, a: Any) -> str:
        x = a.detach().requires_grad_()
        return _message(lambda: fn(m, x).sum().backward())
    return case


CASES: dict[str, ValueCase] = {
    # ----- lu_factor / lu_factor_ex
    "lu_factor": V(lambda m, a: _fields(m.linalg.lu_factor(a), "LU pivots"), (G3,)),
    "lu_factor_swaps": V(lambda m, a: list(m.linalg.lu_factor(a)), (SWAPS3,)),
    "lu_factor_float32": V(lambda m, a: list(m.linalg.lu_factor(a)), (SWAPS3,), F32),
    "lu_factor_batched": V(lambda m, a, b: list(m.linalg.lu_factor(_two(m, a, b))), (G3, SWAPS3)),
    "lu_factor_wide": V(lambda m, a: list(m.linalg.lu_factor(a.mT)), (T43,)),
    "lu_factor_tall": V(lambda m, a: list(m.linalg.lu_factor(a)), (T43,)),
    "lu_factor_batch_of_batches": V(lambda m, a: list(m.linalg.lu_factor(a.expand(2, 3, 4, 3))), (T43,)),
    "lu_factor_empty": V(lambda m, a: list(m.linalg.lu_factor(a.reshape(2, 0, 0))), ([],)),
    "lu_factor_one_row": V(lambda m, a: list(m.linalg.lu_factor(a[:1])), (T43,)),
    "lu_factor_pivots_dtype": V(lambda m, a: str(m.linalg.lu_factor(a).pivots.dtype), (G3,)),
    "lu_factor_ex": V(lambda m, a: _fields(m.linalg.lu_factor_ex(a), "LU pivots info"), (SWAPS3,)),
    "lu_factor_ex_singular": V(lambda m, a: list(m.linalg.lu_factor_ex(a)), (SING3,)),
    "lu_factor_ex_rank1": V(lambda m, a: list(m.linalg.lu_factor_ex(a)), (RANK1,)),
    "lu_factor_ex_zero_column": V(lambda m, a: list(m.linalg.lu_factor_ex(a)), (ZERO_COLUMN,)),
    "lu_factor_ex_batch_info": V(lambda m, a, b: m.linalg.lu_factor_ex(_two(m, a, b)).info, (G3, SING3)),
    "lu_factor_ex_info_dtype": V(lambda m, a: str(m.linalg.lu_factor_ex(a).info.dtype), (G3,)),
    "lu_factor_ex_check_errors": V(_raised(lambda m, a: m.linalg.lu_factor_ex(a, check_errors=True)), (SING3,)),
    "lu_factor_ex_check_errors_ok": V(lambda m, a: m.linalg.lu_factor_ex(a, check_errors=True).info, (G3,)),
    "lu_factor_singular": V(_raised(lambda m, a: m.linalg.lu_factor(a)), (SING3,)),
    "lu_factor_singular_batch": V(_raised(lambda m, a, b: m.linalg.lu_factor(_two(m, a, b))), (G3, SING3)),
    "lu_factor_singular_class": V(lambda m, a: m.linalg.lu_factor(a), (RANK1,)),
    "lu_factor_no_pivot": V(_raised(lambda m, a: m.linalg.lu_factor(a, pivot=False)), (G3,)),
    "lu_factor_ex_no_pivot": V(_raised(lambda m, a: m.linalg.lu_factor_ex(a, pivot=False)), (G3,)),
    "lu_factor_1d": V(_raised(lambda m, a: m.linalg.lu_factor(a[0])), (G3,)),
    "lu_factor_ex_1d": V(_raised(lambda m, a: m.linalg.lu_factor_ex(a[0])), (G3,)),
    "lu_factor_int": V(_raised(lambda m, a: m.linalg.lu_factor(a)), ([[1, 0], [0, 1]],), I64),
    "lu_factor_half": V(_raised(lambda m, a: m.linalg.lu_factor(a.half())), (G3,)),
    # ----- linalg.lu
    "lu": V(lambda m, a: _fields(m.linalg.lu(a), "P L U"), (SWAPS3,)),
    "lu_tuple": V(lambda m, a: list(m.linalg.lu(a)), (G3,)),
    "lu_float32": V(lambda m, a: list(m.linalg.lu(a)), (SWAPS3,), F32),
    "lu_batched": V(lambda m, a, b: list(m.linalg.lu(_two(m, a, b))), (G3, SWAPS3)),
    "lu_wide": V(lambda m, a: list(m.linalg.lu(a.mT)), (T43,)),
    "lu_tall": V(lambda m, a: list(m.linalg.lu(a)), (T43,)),
    "lu_shapes_wide": V(lambda m, a: [t.shape for t in m.linalg.lu(a.mT.expand(2, 3, 4))], (T43,)),
    "lu_shapes_tall": V(lambda m, a: [t.shape for t in m.linalg.lu(a.expand(2, 4, 3))], (T43,)),
    "lu_singular": V(lambda m, a: list(m.linalg.lu(a)), (RANK1,)),
    "lu_reconstructs": V(lambda m, a: (lambda r: r.P @ r.L @ r.U)(m.linalg.lu(a)), (SWAPS3,)),
    "lu_no_pivot": V(_raised(lambda m, a: m.linalg.lu(a, pivot=False)), (G3,)),
    "lu_1d": V(_raised(lambda m, a: m.linalg.lu(a[0])), (G3,)),
    "lu_int": V(_raised(lambda m, a: m.linalg.lu(a)), ([[1, 0], [0, 1]],), I64),
    # ----- legacy torch.lu and Tensor.lu
    "torch_lu": V(lambda m, a: list(m.lu(a)), (SWAPS3,)),
    "torch_lu_is_tuple": V(lambda m, a: type(m.lu(a)).__name__, (G3,)),
    "torch_lu_get_infos": V(lambda m, a: _fields(m.lu(a, get_infos=True), "LU pivots info"), (SING3,)),
    "torch_lu_get_infos_batch": V(lambda m, a, b: list(m.lu(_two(m, a, b), get_infos=True)), (SING3, G3)),
    "torch_lu_singular_no_error": V(lambda m, a: list(m.lu(a)), (SING3,)),
    "torch_lu_method": V(lambda m, a: list(a.lu(get_infos=True)), (SWAPS3,)),
    "torch_lu_no_pivot": V(_raised(lambda m, a: m.lu(a, pivot=False)), (G3,)),
    # ----- lu_unpack
    "lu_unpack": V(lambda m, a: _fields(m.lu_unpack(*_factor(m, a)), "P L U"), (SWAPS3,)),
    "lu_unpack_batched": V(lambda m, a, b: list(m.lu_unpack(*_factor(m, _two(m, a, b)))), (G3, SWAPS3)),
    "lu_unpack_wide": V(lambda m, a: list(m.lu_unpack(*_factor(m, a.mT))), (T43,)),
    "lu_unpack_tall": V(lambda m, a: list(m.lu_unpack(*_factor(m, a))), (T43,)),
    "lu_unpack_no_data": V(lambda m, a: list(m.lu_unpack(*_factor(m, a), unpack_data=False)), (SWAPS3,)),
    "lu_unpack_no_pivots": V(lambda m, a: list(m.lu_unpack(*_factor(m, a), unpack_pivots=False)), (SWAPS3,)),
    "lu_unpack_given_pivots": V(lambda m, a: m.lu_unpack(a, m.tensor([3, 3, 3], dtype=m.int32)).P, (G3,)),
    "lu_unpack_int64_pivots": V(_raised(lambda m, a: m.lu_unpack(a, _pivots(m, 3, m.int64))), (G3,)),
    "lu_unpack_pivot_too_large": V(_raised(lambda m, a: m.lu_unpack(a, _pivots(m, 3) + 1)), (G3,)),
    "lu_unpack_1d": V(_raised(lambda m, a: m.lu_unpack(a[0], _pivots(m, 3))), (G3,)),
    # ----- lu_solve
    "lu_solve": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b), (SWAPS3, B32)),
    "lu_solve_adjoint": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, adjoint=True), (SWAPS3, B32)),
    "lu_solve_right": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b.mT, left=False), (SWAPS3, B32)),
    "lu_solve_right_adjoint": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b.mT, left=False, adjoint=True),
                                (SWAPS3, B32)),
    "lu_solve_float32": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b), (SPD3, B32), F32 * 2),
    "lu_solve_batched": V(lambda m, a, b, c: m.linalg.lu_solve(*_factor(m, _two(m, a, b)), c), (G3, SWAPS3, B32)),
    "lu_solve_broadcast_shape": V(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a.expand(2, 3, 3)),
                                                                    b.expand(4, 1, 3, 2)).shape, (G3, B32)),
    "lu_solve_singular": V(lambda m, a, b: m.linalg.lu_solve(*m.linalg.lu_factor_ex(a)[:2], b), (SING3, B32)),
    "lu_solve_b_1d": V(_raised(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b[:, 0])), (G3, B32)),
    "lu_solve_not_square": V(_raised(lambda m, a, b: m.linalg.lu_solve(a, _pivots(m, 3), b[:4])), (T43, B32)),
    "lu_solve_dtype_mismatch": V(_raised(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b.float())), (G3, B32)),
    "lu_solve_int64_pivots": V(_raised(lambda m, a, b: m.linalg.lu_solve(a, _pivots(m, 3, m.int64), b)), (G3, B32)),
    "lu_solve_pivot_count": V(_raised(lambda m, a, b: m.linalg.lu_solve(a, _pivots(m, 2), b)), (G3, B32)),
    "lu_solve_incompatible": V(_raised(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b[:2])), (G3, B32)),
    "lu_solve_incompatible_right": V(_raised(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, left=False)),
                                     (G3, B32)),
    "torch_lu_solve": V(lambda m, a, b: m.lu_solve(b, *_factor(m, a)), (SWAPS3, B32)),
    "torch_lu_solve_method": V(lambda m, a, b: b.lu_solve(*_factor(m, a)), (SWAPS3, B32)),
    # ----- Householder products, geqrf, ormqr
    "householder_product": V(lambda m, a, t: m.linalg.householder_product(a, t), (T43, TAU3)),
    "householder_product_fewer_tau": V(lambda m, a, t: m.linalg.householder_product(a, t[:2]), (T43, TAU3)),
    "householder_product_float32": V(lambda m, a, t: m.linalg.householder_product(a, t), (T43, TAU3), F32 * 2),
    "householder_product_batched": V(lambda m, a, t: m.linalg.householder_product(_two(m, a, a * 2),
                                                                                  _two(m, t, -t)), (T43, TAU3)),
    "householder_product_of_geqrf": V(lambda m, a: m.linalg.householder_product(*m.geqrf(a)), (T43,)),
    "householder_product_1d": V(_raised(lambda m, a, t: m.linalg.householder_product(a[0], t)), (T43, TAU3)),
    "householder_product_wide": V(_raised(lambda m, a, t: m.linalg.householder_product(a.mT, t)), (T43, TAU3)),
    "householder_product_long_tau": V(_raised(lambda m, a, t: m.linalg.householder_product(a[:, :2], t)),
                                      (T43, TAU3)),
    "householder_product_tau_ndim": V(_raised(lambda m, a, t: m.linalg.householder_product(a, _two(m, t, t))),
                                      (T43, TAU3)),
    "householder_product_tau_batch": V(_raised(lambda m, a, t: m.linalg.householder_product(
        a.expand(2, 4, 3), t.expand(3, 3))), (T43, TAU3)),
    "householder_product_dtype": V(_raised(lambda m, a, t: m.linalg.householder_product(a, t.float())),
                                   (T43, TAU3)),
    "householder_product_int": V(_raised(lambda m, a, t: m.linalg.householder_product(a, t)),
                                 ([[1, 0], [0, 1]], [1]), I64 * 2),
    "orgqr": V(lambda m, a, t: m.orgqr(a, t), (T43, TAU3)),
    "orgqr_method": V(lambda m, a, t: a.orgqr(t[:1]), (T43, TAU3)),
    "geqrf": V(lambda m, a: _fields(m.geqrf(a), "a tau"), (T43,)),
    "geqrf_wide": V(lambda m, a: list(m.geqrf(a.mT)), (T43,)),
    "geqrf_batched": V(lambda m, a, b: list(m.geqrf(_two(m, a, b))), (G3, SWAPS3)),
    "geqrf_float32": V(lambda m, a: list(m.geqrf(a)), (T43,), F32),
    "geqrf_method": V(lambda m, a: list(a.geqrf()), (G3,)),
    "geqrf_1d": V(_raised(lambda m, a: m.geqrf(a[0])), (T43,)),
    "geqrf_backward": V(_backward_error(lambda m, x: m.geqrf(x).a), (T43,)),
    "ormqr": V(lambda m, a, c: m.ormqr(*m.geqrf(a), c), (T43, C43)),
    "ormqr_transpose": V(lambda m, a, c: m.ormqr(*m.geqrf(a), c, transpose=True), (T43, C43)),
    "ormqr_right": V(lambda m, a, c: m.ormqr(*m.geqrf(a), c.mT, left=False), (T43, C43)),
    "ormqr_right_transpose": V(lambda m, a, c: m.ormqr(*m.geqrf(a), c.mT, left=False, transpose=True), (T43, C43)),
    "ormqr_wide": V(lambda m, a, c: m.ormqr(*m.geqrf(a.mT), c[:3]), (T43, C43)),
    "ormqr_method": V(lambda m, a, c: a.ormqr(*m.geqrf(a)[1:], c), (T43, C43)),
    "ormqr_tau_length": V(_raised(lambda m, a, t, c: m.ormqr(a, t[:2], c)), (T43, TAU3, T43)),
    "ormqr_other_rows": V(_raised(lambda m, a, t, c: m.ormqr(a, t, c[:3])), (T43, TAU3, T43)),
    "ormqr_input_1d": V(_raised(lambda m, a, t, c: m.ormqr(a[0], t, c)), (T43, TAU3, T43)),
    "ormqr_other_1d": V(_raised(lambda m, a, t, c: m.ormqr(a, t, c[0])), (T43, TAU3, T43)),
    "ormqr_tau_ndim": V(_raised(lambda m, a, t, c: m.ormqr(a, _two(m, t, t), c)), (T43, TAU3, T43)),
    "ormqr_other_ndim": V(_raised(lambda m, a, t, c: m.ormqr(a.expand(2, 4, 3), t.expand(2, 3), c)),
                          (T43, TAU3, T43)),
    "ormqr_other_batch": V(_raised(lambda m, a, t, c: m.ormqr(a.expand(2, 4, 3), t.expand(2, 3),
                                                              c.expand(3, 4, 3))), (T43, TAU3, T43)),
    "ormqr_tau_dtype": V(_raised(lambda m, a, t, c: m.ormqr(a, t.float(), c)), (T43, TAU3, T43)),
    "ormqr_other_dtype": V(_raised(lambda m, a, t, c: m.ormqr(a, t, c.float())), (T43, TAU3, T43)),
    # ----- tensorinv, tensorsolve, cond
    "tensorinv": V(lambda m, a: m.linalg.tensorinv(a.reshape(3, 1, 3)), (G3,)),
    "tensorinv_ind1": V(lambda m, a: m.linalg.tensorinv(a.reshape(3, 3, 1), ind=1), (SWAPS3,)),
    "tensorinv_ind0": V(_raised(lambda m, a: m.linalg.tensorinv(a, ind=0)), (G3,)),
    "tensorinv_sizes": V(_raised(lambda m, a: m.linalg.tensorinv(a, ind=1)), (T43,)),
    "tensorinv_singular": V(_raised(lambda m, a: m.linalg.tensorinv(a.reshape(3, 1, 3))), (SING3,)),
    "tensorsolve": V(lambda m, a, b: m.linalg.tensorsolve(a.reshape(3, 3, 1), b[:, 0]), (G3, B32)),
    "tensorsolve_dims": V(lambda m, a, b: m.linalg.tensorsolve(a.reshape(3, 1, 3), b[:, 0], dims=(1,)), (G3, B32)),
    "tensorsolve_sizes": V(_raised(lambda m, a, b: m.linalg.tensorsolve(a, b[:, 0])), (T43, B32)),
    "tensorsolve_singular": V(_raised(lambda m, a, b: m.linalg.tensorsolve(a, b[:, 0])), (SING3, B32)),
    **{f"cond_{name}": V(lambda m, a, b, p=p: m.linalg.cond(_two(m, a, b), p), (G3, SING3))
       for name, p in (("none", None), ("2", 2), ("minus_2", -2), ("fro", "fro"), ("nuc", "nuc"), ("1", 1),
                       ("minus_1", -1), ("inf", INF), ("minus_inf", -INF), ("float_1", 1.0))},
    "cond_zero_matrix": V(lambda m, a: [m.linalg.cond(a * 0, p) for p in (None, "fro", "nuc", 1, INF, -2)], (G3,)),
    "cond_rectangular": V(lambda m, a: m.linalg.cond(a), (T43,)),
    "cond_empty": V(lambda m, a: [m.linalg.cond(a.reshape(2, 0, 0), p) for p in ("fro", 1, None)], ([],)),
    "cond_float32": V(lambda m, a: [m.linalg.cond(a, p) for p in (None, "fro", 1)], (G3,), F32),
    "cond_1d": V(_raised(lambda m, a: m.linalg.cond(a[0])), (G3,)),
    **{f"cond_rectangular_{name}": V(_raised(lambda m, a, p=p: m.linalg.cond(a, p)), (T43,))
       for name, p in (("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("minus_inf", -INF), ("float_1", 1.0),
                       ("invalid", 2.5), ("int_3", 3), ("string", "abc"))},
    "cond_invalid_string": V(_raised(lambda m, a: m.linalg.cond(a, "abc")), (G3,)),
    # ----- autograd node names
    "grad_fn_names": V(_grad_fns, (T43, TAU3, T43)),
}
