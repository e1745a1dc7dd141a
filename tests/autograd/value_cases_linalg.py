"""Value cases for `torch.linalg` (see value_cases.py): results, dtypes and shapes, batched and broadcast forms,
named-tuple fields, float32, and the errors (LinAlgError for singular and not positive-definite matrices, with
PyTorch's messages; wrong shapes and dtypes). Singular vectors and eigenvectors are compared by absolute value."""

from __future__ import annotations

from typing import Any

from .value_cases import INF, NAN, ValueCase

V = ValueCase
F32 = ("float32",)

G3 = [[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.5, 1.0, 4.0]]
SPD3 = [[4.0, 1.0, 2.0], [1.0, 5.0, 3.0], [2.0, 3.0, 7.0]]
B32 = [[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]]
V3 = [1.0, -2.0, 0.5]
SING3 = [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
SING2 = [[1.0, 2.0], [2.0, 4.0]]
NOTPD2 = [[1.0, 2.0], [2.0, 1.0]]
NOTPD3 = [[4.0, 2.0, 1.0], [2.0, 1.0, 3.0], [1.0, 3.0, 5.0]]  # its leading minor of order 2 is singular
TRIANGLES = [[4.0, 2.0], [1.0, 3.0]]  # lower and upper triangles stand for different symmetric matrices
T43 = [[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [2.0, -1.0, 1.0], [1.0, 1.0, 3.0]]
Y42 = [[1.0, 0.0], [0.0, -1.0], [-1.0, 2.0], [2.0, 1.0]]
I64 = ("int64",)


def _message(m: Any, fn) -> str:
    """The class and message of the error fn raises."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the error is the value
        return f"{type(exc).__name__}: {exc}"
    return "no error"


def _raised(fn):
    """A case giving `_message` of fn(m, *tensors)."""
    return lambda m, *ts: _message(m, lambda: fn(m, *ts))


def _two(m: Any, a: Any, b: Any) -> Any:
    return m.stack([a, b])


def _grad_fns(m: Any, a: Any) -> dict:
    """The node names of the linalg results of a tensor that requires grad."""
    x = a.detach().requires_grad_()
    s = x @ x.mT + m.eye(3, dtype=x.dtype)
    names = {
        "solve": m.linalg.solve(x, x), "inv": m.linalg.inv(x), "inverse": x.inverse(), "det": m.det(x),
        "slogdet": m.linalg.slogdet(x).logabsdet, "logdet": m.logdet(s), "cholesky": m.linalg.cholesky(s),
        "cholesky_fn": m.cholesky(s), "cholesky_ex": m.linalg.cholesky_ex(s).L, "qr": m.linalg.qr(x).Q,
        "eigh": m.linalg.eigh(s).eigenvectors, "eigvalsh": m.linalg.eigvalsh(s), "svd": m.linalg.svd(x).U,
        "svdvals": m.linalg.svdvals(x), "lstsq": m.linalg.lstsq(x, x).solution, "pinv": m.linalg.pinv(x),
        "pinverse": x.pinverse(), "power0": m.linalg.matrix_power(x, 0), "power1": x.matrix_power(1),
        "power2": m.matrix_power(x, 2), "power_neg1": m.linalg.matrix_power(x, -1),
        "matrix_exp": m.linalg.matrix_exp(x), "cross": m.linalg.cross(x, x), "vecdot": m.linalg.vecdot(x, x),
        "multi_dot": m.linalg.multi_dot([x, x, x]), "solve_triangular": m.linalg.solve_triangular(s, x, upper=True),
        "vander": m.linalg.vander(x[0]), "diagonal": m.linalg.diagonal(x), "cholesky_inverse": m.cholesky_inverse(s),
        "cholesky_solve": m.cholesky_solve(x, s),
    }
    return {k: type(v.grad_fn).__name__ for k, v in names.items()}


def _backward_error(fn):
    """The message of the error the backward of fn(m, leaf) raises."""
    def case(m: Any, a: Any) -> str:
        x = a.detach().requires_grad_()
        return _message(m, lambda: fn(m, x).sum().backward())
    return case


def _fields(result: Any, names: str) -> dict:
    return {name: getattr(result, name) for name in names.split()}


CASES: dict[str, ValueCase] = {
    # ----- solve
    "solve": V(lambda m, a, b: m.linalg.solve(a, b), (G3, B32)),
    "solve_vector": V(lambda m, a, b: m.linalg.solve(a, b), (G3, V3)),
    "solve_batch_of_vectors": V(lambda m, a, b, v: m.linalg.solve(_two(m, a, b), _two(m, v, v * 2)), (G3, SPD3, V3)),
    "solve_vector_batched_a": V(lambda m, a, b, v: m.linalg.solve(_two(m, a, b), v), (G3, SPD3, V3)),
    "solve_matrix_b_batched_a": V(lambda m, a, b: m.linalg.solve(a.expand(2, 3, 3), b), (G3, SPD3)),
    "solve_broadcast_shape": V(lambda m, a, b: m.linalg.solve(a.expand(2, 1, 3, 3), b.expand(4, 3, 2)).shape,
                               (G3, B32)),
    "solve_left_false": V(lambda m, a, b: m.linalg.solve(a, b.mT, left=False), (G3, B32)),
    "solve_float32": V(lambda m, a, b: m.linalg.solve(a, b), (G3, B32), ("float32", "float32")),
    "solve_ex": V(lambda m, a, b: _fields(m.linalg.solve_ex(a, b), "result info"), (G3, B32)),
    "solve_ex_singular_info": V(lambda m, a, v: m.linalg.solve_ex(a, v).info, (SING3, V3)),
    "solve_ex_batch_info": V(lambda m, a, b, v: m.linalg.solve_ex(_two(m, a, b), v).info, (SING3, G3, V3)),
    "solve_ex_check_errors": V(_raised(lambda m, a, v: m.linalg.solve_ex(a, v, check_errors=True)), (SING3, V3)),
    "solve_ex_incompatible": V(_raised(lambda m, a, b: m.linalg.solve_ex(a, b[:2])), (G3, B32)),
    "solve_singular": V(_raised(lambda m, a, v: m.linalg.solve(a, v)), (SING3, V3)),
    "solve_singular_batch": V(_raised(lambda m, a, b, v: m.linalg.solve(_two(m, a, b), v)), (G3, SING3, V3)),
    "solve_singular_class": V(lambda m, a, v: m.linalg.solve(a, v), (SING3, V3)),
    "solve_incompatible": V(_raised(lambda m, a, b: m.linalg.solve(a, b[:2])), (G3, B32)),
    "solve_incompatible_left_false": V(_raised(lambda m, a, b: m.linalg.solve(a, b, left=False)), (G3, B32)),
    "solve_vector_left_false": V(_raised(lambda m, a, v: m.linalg.solve(a, v, left=False)), (G3, V3)),
    "solve_dtype_mismatch": V(_raised(lambda m, a, b: m.linalg.solve(a.float(), b)), (G3, B32)),
    "solve_int": V(_raised(lambda m, a, b: m.linalg.solve(a, b)), ([[1, 0], [0, 1]], [1, 2]), I64 * 2),
    "solve_b_0d": V(_raised(lambda m, a: m.linalg.solve(a, a[0, 0])), (G3,)),
    "solve_a_1d": V(_raised(lambda m, v: m.linalg.solve(v, v)), (V3,)),
    "solve_not_square": V(_raised(lambda m, a, b: m.linalg.solve(a, b)), (T43, Y42)),
    "solve_batch_mismatch": V(_raised(lambda m, a, b: m.linalg.solve(a.expand(2, 3, 3), b.expand(3, 3, 2))),
                              (G3, B32)),
    # ----- inverses
    "inv": V(lambda m, a: m.linalg.inv(a), (G3,)),
    "inv_float32": V(lambda m, a: m.linalg.inv(a), (SPD3,), F32),
    "inv_batched": V(lambda m, a, b: m.linalg.inv(_two(m, a, b)), (G3, SPD3)),
    "inv_empty": V(lambda m, a: m.linalg.inv(a.reshape(0, 0)), ([],)),
    "inv_ex": V(lambda m, a: _fields(m.linalg.inv_ex(a), "inverse info"), (G3,)),
    "inv_ex_tuple": V(lambda m, a: list(m.linalg.inv_ex(a)), (G3,)),
    "inv_ex_singular_info": V(lambda m, a: m.linalg.inv_ex(a).info, (SING3,)),
    "inv_ex_batch_info": V(lambda m, a, b: m.linalg.inv_ex(_two(m, a, b)).info, (G3, SING3)),
    "inv_ex_check_errors": V(_raised(lambda m, a: m.linalg.inv_ex(a, check_errors=True)), (SING3,)),
    "inv_singular": V(_raised(lambda m, a: m.linalg.inv(a)), (SING3,)),
    "inv_singular_2x2": V(_raised(lambda m, a: m.linalg.inv(a)), (SING2,)),
    "inv_singular_batch": V(_raised(lambda m, a, b: m.linalg.inv(_two(m, a, b))), (G3, SING3)),
    "inv_singular_class": V(lambda m, a: m.linalg.inv(a), (SING3,)),
    "inverse": V(lambda m, a: (m.inverse(a), a.inverse()), (G3,)),
    "inverse_singular": V(_raised(lambda m, a: m.inverse(a)), (SING3,)),
    "inv_not_square": V(_raised(lambda m, a: m.linalg.inv(a)), (T43,)),
    "inv_1d": V(_raised(lambda m, v: m.linalg.inv(v)), (V3,)),
    "inv_int": V(_raised(lambda m, a: m.linalg.inv(a)), ([[1, 0], [0, 1]],), I64),
    "inv_bool": V(_raised(lambda m, a: m.linalg.inv(a)), ([[True, False], [False, True]],), ("bool",)),
    "inv_half": V(_raised(lambda m, a: m.linalg.inv(a)), (SPD3,), ("float16",)),
    # ----- determinants
    "det": V(lambda m, a: m.linalg.det(a), (G3,)),
    "det_forms": V(lambda m, a: (m.det(a), a.det()), (SPD3,)),
    "det_float32": V(lambda m, a: m.linalg.det(a), (G3,), F32),
    "det_batched": V(lambda m, a, b: m.linalg.det(_two(m, a, b)), (G3, SPD3)),
    "det_singular": V(lambda m, a: m.linalg.det(a), (SING2,)),
    "det_empty": V(lambda m, a: m.linalg.det(a.reshape(0, 0)), ([],)),
    "det_int": V(_raised(lambda m, a: m.linalg.det(a)), ([[1, 0], [0, 1]],), I64),
    "det_half": V(_raised(lambda m, a: m.linalg.det(a)), (SPD3,), ("float16",)),
    "det_not_square": V(_raised(lambda m, a: m.det(a)), (T43,)),
    "det_singular_gradient": V(lambda m, a: (lambda x: (m.linalg.det(x).backward(), x.grad)[1])(
        a.detach().requires_grad_()), (SING2,)),
    "slogdet": V(lambda m, a: _fields(m.linalg.slogdet(a), "sign logabsdet"), (G3,)),
    "slogdet_negative": V(lambda m, a: list(m.linalg.slogdet(a)), ([[0.0, 1.0], [1.0, 0.0]],)),
    "slogdet_singular": V(lambda m, a: list(m.linalg.slogdet(a)), (SING2,)),
    "slogdet_batched_float32": V(lambda m, a, b: list(m.linalg.slogdet(_two(m, a, b))), (G3, SPD3), F32 * 2),
    "slogdet_forms": V(lambda m, a: (_fields(m.slogdet(a), "sign logabsdet"), list(a.slogdet())), (SPD3,)),
    "slogdet_repr": V(lambda m, a: (repr(m.linalg.slogdet(a)), repr(m.slogdet(a))), ([[2.0, 0.0], [0.0, 3.0]],)),
    "slogdet_sign_requires_grad": V(lambda m, a: (lambda r: (r.sign.requires_grad, r.logabsdet.requires_grad))(
        m.linalg.slogdet(a.detach().requires_grad_())), (G3,)),
    "slogdet_int": V(_raised(lambda m, a: m.slogdet(a)), ([[1, 0], [0, 1]],), I64),
    "slogdet_half": V(_raised(lambda m, a: m.linalg.slogdet(a)), (SPD3,), ("float16",)),
    "logdet": V(lambda m, a: (m.logdet(a), a.logdet()), (SPD3,)),
    "logdet_negative": V(lambda m, a: m.logdet(a), ([[0.0, 1.0], [1.0, 0.0]],)),
    "logdet_singular": V(lambda m, a: m.logdet(a), (SING2,)),
    "logdet_batched": V(lambda m, a, b: m.logdet(_two(m, a, b)), (G3, SPD3)),
    "logdet_negative_gradient": V(lambda m, a: (lambda x: (m.logdet(x).backward(), x.grad)[1])(
        a.detach().requires_grad_()), ([[0.0, 1.0], [1.0, 0.0]],)),
    "logdet_int": V(_raised(lambda m, a: m.logdet(a)), ([[1, 0], [0, 1]],), I64),
    "logdet_not_square": V(_raised(lambda m, a: m.logdet(a)), (T43,)),
    "grad_fn_names": V(_grad_fns, (G3,)),
    # ----- Cholesky
    "cholesky": V(lambda m, a: m.linalg.cholesky(a), (SPD3,)),
    "cholesky_upper": V(lambda m, a: m.linalg.cholesky(a, upper=True), (SPD3,)),
    "cholesky_triangle_read": V(lambda m, a: (m.linalg.cholesky(a), m.linalg.cholesky(a, upper=True)), (TRIANGLES,)),
    "cholesky_float32": V(lambda m, a: m.linalg.cholesky(a), (SPD3,), F32),
    "cholesky_batched": V(lambda m, a: m.linalg.cholesky(_two(m, a, a * 2)), (SPD3,)),
    "cholesky_not_pd": V(_raised(lambda m, a: m.linalg.cholesky(a)), (NOTPD2,)),
    "cholesky_not_pd_order2_of_3": V(_raised(lambda m, a: m.linalg.cholesky(a)), (NOTPD3,)),
    "cholesky_not_pd_batch": V(_raised(lambda m, a, b: m.linalg.cholesky(_two(m, a, b))), (SPD3, NOTPD3)),
    "cholesky_not_pd_class": V(lambda m, a: m.linalg.cholesky(a), (NOTPD2,)),
    "cholesky_not_square": V(_raised(lambda m, a: m.linalg.cholesky(a)), (T43,)),
    "cholesky_1d": V(_raised(lambda m, v: m.linalg.cholesky(v)), (V3,)),
    "cholesky_int": V(_raised(lambda m, a: m.linalg.cholesky(a)), ([[1, 0], [0, 1]],), I64),
    "cholesky_half": V(_raised(lambda m, a: m.linalg.cholesky(a)), (SPD3,), ("float16",)),
    "cholesky_ex": V(lambda m, a: _fields(m.linalg.cholesky_ex(a), "L info"), (SPD3,)),
    "cholesky_ex_not_pd": V(lambda m, a: list(m.linalg.cholesky_ex(a)), (NOTPD3,)),
    "cholesky_ex_not_pd_upper": V(lambda m, a: list(m.linalg.cholesky_ex(a, upper=True)), (NOTPD2,)),
    "cholesky_ex_first_minor": V(lambda m, a: list(m.linalg.cholesky_ex(a * -1)), (SPD3,)),
    "cholesky_ex_batch_info": V(lambda m, a, b: m.linalg.cholesky_ex(_two(m, a, b)).info, (SPD3, NOTPD3)),
    "cholesky_ex_check_errors": V(_raised(lambda m, a: m.linalg.cholesky_ex(a, check_errors=True)), (NOTPD2,)),
    "cholesky_ex_1d": V(_raised(lambda m, v: m.linalg.cholesky_ex(v)), (V3,)),
    "cholesky_fn": V(lambda m, a: (m.cholesky(a), m.cholesky(a, True), a.cholesky(upper=False)), (SPD3,)),
    "cholesky_fn_triangle_read": V(lambda m, a: (m.cholesky(a), m.cholesky(a, upper=True)), (TRIANGLES,)),
    "cholesky_fn_not_pd": V(_raised(lambda m, a: m.cholesky(a)), (NOTPD2,)),
    "cholesky_fn_int": V(_raised(lambda m, a: m.cholesky(a)), ([[1, 0], [0, 1]],), I64),
    "cholesky_fn_1d": V(_raised(lambda m, v: m.cholesky(v)), (V3,)),
    "cholesky_fn_not_square": V(_raised(lambda m, a: m.cholesky(a)), (T43,)),
    # ----- cholesky_solve, cholesky_inverse
    "cholesky_solve": V(lambda m, b, a: m.cholesky_solve(b, m.linalg.cholesky(a)), (B32, SPD3)),
    "cholesky_solve_upper": V(lambda m, b, a: m.cholesky_solve(b, m.linalg.cholesky(a, upper=True), True),
                              (B32, SPD3)),
    "cholesky_solve_triangle_read": V(lambda m, a: (m.cholesky_solve(m.ones(2, 1, dtype=a.dtype), a),
                                                    m.cholesky_solve(m.ones(2, 1, dtype=a.dtype), a, upper=True)),
                                      ([[2.0, 5.0], [1.0, 3.0]],)),
    "cholesky_solve_broadcast": V(lambda m, b, a: m.cholesky_solve(b.expand(2, 3, 2), m.linalg.cholesky(a)),
                                  (B32, SPD3)),
    "cholesky_solve_method_float32": V(lambda m, b, a: b.cholesky_solve(m.linalg.cholesky(a)), (B32, SPD3), F32 * 2),
    "cholesky_solve_vector": V(_raised(lambda m, v, a: m.cholesky_solve(v, a)), (V3, SPD3)),
    "cholesky_solve_factor_1d": V(_raised(lambda m, b, v: m.cholesky_solve(b, v)), (B32, V3)),
    "cholesky_solve_dtype": V(_raised(lambda m, b, a: m.cholesky_solve(b.float(), a)), (B32, SPD3)),
    "cholesky_solve_sizes": V(_raised(lambda m, b, a: m.cholesky_solve(b[:2], a)), (B32, SPD3)),
    "cholesky_solve_not_square": V(_raised(lambda m, b, a: m.cholesky_solve(b, a)), (B32, B32)),
    "cholesky_solve_int": V(_raised(lambda m, b, a: m.cholesky_solve(b, a)), ([[1], [2]], [[1, 0], [0, 1]]), I64 * 2),
    "cholesky_inverse": V(lambda m, a: m.cholesky_inverse(m.linalg.cholesky(a)), (SPD3,)),
    "cholesky_inverse_upper": V(lambda m, a: m.cholesky_inverse(m.linalg.cholesky(a, upper=True), upper=True),
                                (SPD3,)),
    "cholesky_inverse_triangle_read": V(lambda m, a: (m.cholesky_inverse(a), a.cholesky_inverse(True)),
                                        ([[2.0, 5.0], [1.0, 3.0]],)),
    "cholesky_inverse_batched_float32": V(lambda m, a: m.cholesky_inverse(m.linalg.cholesky(_two(m, a, a * 3))),
                                          (SPD3,), F32),
    "cholesky_inverse_singular": V(_raised(lambda m, a: m.cholesky_inverse(a)), (SING3,)),
    "cholesky_inverse_singular_batch": V(_raised(lambda m, a, b: m.cholesky_inverse(_two(m, a, b))), (SPD3, SING3)),
    "cholesky_inverse_1d": V(_raised(lambda m, v: m.cholesky_inverse(v)), (V3,)),
    "cholesky_inverse_not_square": V(_raised(lambda m, a: m.cholesky_inverse(a)), (T43,)),
    "cholesky_inverse_int": V(_raised(lambda m, a: m.cholesky_inverse(a)), ([[1, 0], [0, 1]],), I64),
    # ----- triangular solves
    "solve_triangular": V(lambda m, a, b: (m.linalg.solve_triangular(a, b, upper=True),
                                           m.linalg.solve_triangular(a, b, upper=False)), (G3, B32)),
    "solve_triangular_right": V(lambda m, a, b: m.linalg.solve_triangular(a, b.mT, upper=True, left=False),
                                (G3, B32)),
    "solve_triangular_unit": V(lambda m, a, b: (m.linalg.solve_triangular(a, b, upper=True, unitriangular=True),
                                                m.linalg.solve_triangular(a, b.mT, upper=False, left=False,
                                                                          unitriangular=True)), (G3, B32)),
    "solve_triangular_broadcast": V(lambda m, a, b: m.linalg.solve_triangular(a.expand(2, 1, 3, 3),
                                                                              b.expand(4, 3, 2), upper=True),
                                    (SPD3, B32)),
    "solve_triangular_promotes": V(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=False), (SPD3, B32),
                                   ("float64", "float32")),
    "solve_triangular_zero_diagonal": V(lambda m, a: m.linalg.solve_triangular(a * 0, m.ones(3, 1, dtype=a.dtype),
                                                                               upper=True), (G3,)),
    "solve_triangular_float32": V(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True), (SPD3, B32), F32 * 2),
    "solve_triangular_b_1d": V(_raised(lambda m, a, v: m.linalg.solve_triangular(a, v, upper=True)), (G3, V3)),
    "solve_triangular_a_1d": V(_raised(lambda m, v, b: m.linalg.solve_triangular(v, b, upper=True)), (V3, B32)),
    "solve_triangular_not_square": V(_raised(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True)),
                                     (T43, Y42)),
    "solve_triangular_incompatible": V(_raised(lambda m, a, b: m.linalg.solve_triangular(a, b[:2], upper=True)),
                                       (G3, B32)),
    "solve_triangular_incompatible_right": V(_raised(lambda m, a, b: m.linalg.solve_triangular(
        a, b, upper=True, left=False)), (G3, B32)),
    "solve_triangular_int": V(_raised(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True)),
                              ([[1, 0], [0, 1]], [[1], [2]]), I64 * 2),
    "solve_triangular_no_upper": V(lambda m, a, b: m.linalg.solve_triangular(a, b), (G3, B32)),
    "solve_triangular_batch_mismatch": V(_raised(lambda m, a, b: m.linalg.solve_triangular(
        a.expand(2, 3, 3), b.expand(3, 3, 2), upper=True)), (G3, B32)),
    # ----- QR
    "qr": V(lambda m, a: _fields(m.linalg.qr(a), "Q R"), (T43,)),
    "qr_square": V(lambda m, a: list(m.linalg.qr(a)), (G3,)),
    "qr_wide": V(lambda m, a: list(m.linalg.qr(a.mT)), (T43,)),
    "qr_complete": V(lambda m, a: list(m.linalg.qr(a, mode="complete")), (T43,)),
    "qr_complete_wide_shapes": V(lambda m, a: [t.shape for t in m.linalg.qr(a.mT, mode="complete")], (T43,)),
    "qr_r": V(lambda m, a: list(m.linalg.qr(a, "r")), (T43,)),
    "qr_r_batched": V(lambda m, a: [t.shape for t in m.linalg.qr(a.expand(2, 4, 3), mode="r")], (T43,)),
    "qr_batched_float32": V(lambda m, a: list(m.linalg.qr(a.expand(2, 4, 3))), (T43,), F32),
    "qr_bad_mode": V(_raised(lambda m, a: m.linalg.qr(a, mode="full")), (G3,)),
    "qr_1d": V(_raised(lambda m, v: m.linalg.qr(v)), (V3,)),
    "qr_int": V(_raised(lambda m, a: m.linalg.qr(a)), ([[1, 0], [0, 1]],), I64),
    "qr_half": V(_raised(lambda m, a: m.linalg.qr(a)), (SPD3,), ("float16",)),
    "qr_r_backward": V(_backward_error(lambda m, x: m.linalg.qr(x, mode="r").R), (T43,)),
    "qr_complete_tall_backward": V(_backward_error(lambda m, x: m.linalg.qr(x, mode="complete").R), (T43,)),
    "qr_q_empty_requires_grad": V(lambda m, a: (lambda q: (q.shape, q.requires_grad))(
        m.linalg.qr(a.detach().requires_grad_(), mode="r").Q), (T43,)),
    # ----- eigh
    "eigh": V(lambda m, a: (lambda r: {"eigenvalues": r.eigenvalues, "eigenvectors": r.eigenvectors.abs()})(
        m.linalg.eigh(a)), (SPD3,)),
    "eigh_triangle_read": V(lambda m, a: (m.linalg.eigh(a)[0], m.linalg.eigh(a, "U")[0], m.linalg.eigh(a, UPLO="u")[0]),
                            (TRIANGLES,)),
    "eigh_batched": V(lambda m, a, b: (lambda r: [r[0], r[1].abs()])(m.linalg.eigh(_two(m, a, b + b.mT))),
                      (SPD3, G3)),
    "eigh_float32": V(lambda m, a: m.linalg.eigh(a)[0], (SPD3,), F32),
    "eigvalsh": V(lambda m, a: (m.linalg.eigvalsh(a), m.linalg.eigvalsh(a, UPLO="U")), (G3,)),
    "eigvalsh_float32_batched": V(lambda m, a: m.linalg.eigvalsh(_two(m, a, a * 2)), (SPD3,), F32),
    "eigh_bad_uplo": V(_raised(lambda m, a: m.linalg.eigh(a, UPLO="X")), (SPD3,)),
    "eigh_not_square": V(_raised(lambda m, a: m.linalg.eigh(a)), (T43,)),
    "eigvalsh_1d": V(_raised(lambda m, v: m.linalg.eigvalsh(v)), (V3,)),
    "eigh_int": V(_raised(lambda m, a: m.linalg.eigh(a)), ([[1, 0], [0, 1]],), I64),
    # ----- SVD
    "svd": V(lambda m, a: (lambda r: {"U": r.U.abs(), "S": r.S, "Vh": r.Vh.abs()})(
        m.linalg.svd(a, full_matrices=False)), (T43,)),
    "svd_wide": V(lambda m, a: (lambda r: [r[0].abs(), r[1], r[2].abs()])(m.linalg.svd(a.mT, False)), (T43,)),
    "svd_shapes": V(lambda m, a: [[t.shape for t in m.linalg.svd(x, full_matrices=f)] for x in (a, a.mT)
                                  for f in (True, False)], (T43,)),
    "svd_float32_batched": V(lambda m, a: m.linalg.svd(a.expand(2, 4, 3))[1], (T43,), F32),
    "svdvals": V(lambda m, a: (m.linalg.svdvals(a), m.linalg.svdvals(a.mT)), (T43,)),
    "svd_1d": V(_raised(lambda m, v: m.linalg.svd(v)), (V3,)),
    "svd_int": V(_raised(lambda m, a: m.linalg.svd(a)), ([[1, 0], [0, 1]],), I64),
    "svd_driver": V(_raised(lambda m, a: m.linalg.svd(a, driver="gesvd")), (G3,)),
    # ----- lstsq
    "lstsq": V(lambda m, a, b: _fields(m.linalg.lstsq(a, b), "solution residuals rank singular_values"), (T43, Y42)),
    "lstsq_drivers": V(lambda m, a, b: [list(m.linalg.lstsq(a, b, driver=d)) for d in ("gels", "gelsy", "gelsd",
                                                                                       "gelss")], (T43, Y42)),
    "lstsq_vector": V(lambda m, a, b: [list(m.linalg.lstsq(a, b[:, 0], driver=d)) for d in ("gelsy", "gelsd")],
                      (T43, Y42)),
    "lstsq_batched_shapes": V(lambda m, a, b: [t.shape for t in m.linalg.lstsq(a.expand(2, 4, 3), b.expand(1, 4, 2),
                                                                              driver="gelsd")], (T43, Y42)),
    "lstsq_batched_vector_shapes": V(lambda m, a, b: [t.shape for t in m.linalg.lstsq(
        a.expand(2, 4, 3), b[:, 0].expand(2, 4), driver="gelsd")], (T43, Y42)),
    "lstsq_wide": V(lambda m, a, b: list(m.linalg.lstsq(a.mT, b[:3], driver="gelsd")), (T43, Y42)),
    "lstsq_rank_deficient": V(lambda m, a, b: (lambda r: [r.solution, r.rank])(m.linalg.lstsq(
        m.stack([a[:, 0], a[:, 1], a[:, 1]], 1), b)), (T43, Y42)),
    "lstsq_rank_deficient_gelsd": V(lambda m, a, b: (lambda r: [r.solution, r.residuals, r.rank,
                                                                r.singular_values[:2]])(  # the third is ~1e-16
        m.linalg.lstsq(m.stack([a[:, 0], a[:, 1], a[:, 1]], 1), b, driver="gelsd")), (T43, Y42)),
    "lstsq_rcond": V(lambda m, a, b: m.linalg.lstsq(a, b, 0.5, driver="gelsd").rank, (T43, Y42)),
    "lstsq_float32": V(lambda m, a, b: (lambda r: [r.solution, r.residuals.shape, r.rank, r.singular_values])(
        m.linalg.lstsq(a, b, driver="gelsd")), (T43, Y42), F32 * 2),
    "lstsq_a_1d": V(_raised(lambda m, a, b: m.linalg.lstsq(a[:, 0], b)), (T43, Y42)),
    "lstsq_b_0d": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b[0, 0])), (T43, Y42)),
    "lstsq_dtype": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b.float())), (T43, Y42)),
    "lstsq_int": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b)), ([[1, 0], [0, 1]], [[1], [2]]), I64 * 2),
    "lstsq_dims": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b.expand(2, 4, 2))), (T43, Y42)),
    "lstsq_rows": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b[:3])), (T43, Y42)),
    "lstsq_rows_vector": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b[:3, 0])), (T43, Y42)),
    "lstsq_driver": V(_raised(lambda m, a, b: m.linalg.lstsq(a, b, driver="gelsx")), (T43, Y42)),
    "lstsq_batch_mismatch": V(_raised(lambda m, a, b: m.linalg.lstsq(a.expand(2, 4, 3), b)), (T43, Y42)),
    # ----- pinv, matrix_rank
    "pinv": V(lambda m, a: (m.linalg.pinv(a), m.linalg.pinv(a.mT)), (T43,)),
    "pinv_square": V(lambda m, a: m.linalg.pinv(a), (G3,)),
    "pinv_singular": V(lambda m, a: (m.linalg.pinv(a), m.linalg.pinv(a, hermitian=True)), (SING2,)),
    "pinv_hermitian": V(lambda m, a: m.linalg.pinv(a, hermitian=True), (SPD3,)),
    "pinv_tolerances": V(lambda m, a: (m.linalg.pinv(a, rtol=0.4), m.linalg.pinv(a, atol=1.5), m.linalg.pinv(a, 0.4),
                                       m.linalg.pinv(a, atol=0.0), m.linalg.pinv(a, atol=1.5, rtol=0.0)), (T43,)),
    "pinv_batched_atol": V(lambda m, a, b: m.linalg.pinv(_two(m, a, b), atol=m.tensor([0.0, 3.0],
                                                                                      dtype=a.dtype)), (G3, SPD3)),
    "pinv_float32": V(lambda m, a: m.linalg.pinv(a), (T43,), F32),
    "pinverse": V(lambda m, a: (m.pinverse(a), a.pinverse(), m.pinverse(a, rcond=0.4)), (T43,)),
    "pinv_1d": V(_raised(lambda m, v: m.linalg.pinv(v)), (V3,)),
    "pinv_int": V(_raised(lambda m, a: m.linalg.pinv(a)), ([[1, 0], [0, 1]],), I64),
    "pinverse_float32_1d": V(_raised(lambda m, v: m.pinverse(v)), (V3,), F32),
    "matrix_rank": V(lambda m, a, s: (m.linalg.matrix_rank(a), m.linalg.matrix_rank(s)), (T43, SING2)),
    "matrix_rank_tolerances": V(lambda m, a: [m.linalg.matrix_rank(a, atol=1.0), m.linalg.matrix_rank(a, rtol=0.3),
                                              m.linalg.matrix_rank(a, 1.0), m.linalg.matrix_rank(a, tol=1.0),
                                              m.linalg.matrix_rank(a, atol=0.0)], (T43,)),
    "matrix_rank_hermitian": V(lambda m, a, s: (m.linalg.matrix_rank(a, hermitian=True),
                                                m.linalg.matrix_rank(s, hermitian=True)), (SPD3, SING2)),
    "matrix_rank_batched": V(lambda m, a, s: (m.linalg.matrix_rank(_two(m, a, s)), m.linalg.matrix_rank(
        _two(m, a, s), atol=m.tensor([0.1, 2.0], dtype=a.dtype))), ([[1.0, 0.0], [0.0, 1.0]], SING2)),
    "matrix_rank_empty": V(lambda m, a: m.linalg.matrix_rank(a.reshape(2, 0, 3)), ([],)),
    "matrix_rank_float32": V(lambda m, a: m.linalg.matrix_rank(a), (SING2,), F32),
    "matrix_rank_1d": V(_raised(lambda m, v: m.linalg.matrix_rank(v)), (V3,)),
    "matrix_rank_int": V(_raised(lambda m, a: m.linalg.matrix_rank(a)), ([[1, 0], [0, 1]],), I64),
    # ----- matrix_power, matrix_exp
    "matrix_power": V(lambda m, a: [m.linalg.matrix_power(a, n) for n in (0, 1, 2, 3, 5, -1, -2)], (G3,)),
    "matrix_power_forms": V(lambda m, a: (m.matrix_power(a, 4), a.matrix_power(-3)), (SPD3,)),
    "matrix_power_batched_float32": V(lambda m, a: m.linalg.matrix_power(_two(m, a, a * 0.5), 3), (G3,), F32),
    "matrix_power_int": V(lambda m, a: [m.linalg.matrix_power(a, n) for n in (0, 1, 3)], ([[1, 2], [0, 1]],), I64),
    "matrix_power_int_negative": V(_raised(lambda m, a: m.linalg.matrix_power(a, -1)), ([[1, 2], [0, 1]],), I64),
    "matrix_power_singular_negative": V(_raised(lambda m, a: m.linalg.matrix_power(a, -2)), (SING2,)),
    "matrix_power_float_n": V(lambda m, a: m.linalg.matrix_power(a, 2.0), (G3,)),
    "matrix_power_not_square": V(_raised(lambda m, a: m.matrix_power(a, 2)), (T43,)),
    "matrix_power_1d": V(_raised(lambda m, v: m.linalg.matrix_power(v, 2)), (V3,)),
    "matrix_exp": V(lambda m, a: m.linalg.matrix_exp(a), (G3,)),
    "matrix_exp_forms": V(lambda m, a: (m.matrix_exp(a), a.matrix_exp(), m.linalg.matrix_exp(a * 0)), (SPD3,)),
    "matrix_exp_diagonal": V(lambda m, a: m.linalg.matrix_exp(m.diag(a)), (V3,)),
    "matrix_exp_large_norm": V(lambda m, a: m.linalg.matrix_exp(a * 0.8), (SPD3,)),
    "matrix_exp_batched_float32": V(lambda m, a: m.linalg.matrix_exp(_two(m, a, a * 0.1)), (G3,), F32),
    "matrix_exp_empty": V(lambda m, a: m.linalg.matrix_exp(a.reshape(0, 0)), ([],)),
    "matrix_exp_int": V(_raised(lambda m, a: m.linalg.matrix_exp(a)), ([[1, 0], [0, 1]],), I64),
    "matrix_exp_not_square": V(_raised(lambda m, a: m.matrix_exp(a)), (T43,)),
    "matrix_exp_1d": V(_raised(lambda m, v: m.linalg.matrix_exp(v)), (V3,)),
    # ----- products
    "vecdot": V(lambda m, a, v: (m.linalg.vecdot(a, v), m.linalg.vecdot(a, a, dim=0)), (G3, V3)),
    "vecdot_float32": V(lambda m, a, v: m.linalg.vecdot(a, v), (T43, V3), F32 * 2),
    "vecdot_dtype": V(_raised(lambda m, a, v: m.linalg.vecdot(a, v.float())), (G3, V3)),
    "vecdot_int": V(_raised(lambda m, a: m.linalg.vecdot(a, a)), ([1, 2],), I64),
    "vecdot_positional_dim": V(lambda m, a: m.linalg.vecdot(a, a, 0), (G3,)),
    "multi_dot": V(lambda m, a, b, t: (m.linalg.multi_dot([a, b]), m.linalg.multi_dot([t, a, b]),
                                       m.linalg.multi_dot([t.mT, t, a, b, b.mT])), (G3, B32, T43)),
    "multi_dot_vectors": V(lambda m, v, a, b: (m.linalg.multi_dot([v, a, v]), m.linalg.multi_dot([v, a, b]),
                                               m.linalg.multi_dot([a, b, b[0]]), m.linalg.multi_dot([v, v])),
                           (V3, G3, B32)),
    "multi_dot_int": V(lambda m, a: m.linalg.multi_dot([a, a, a]), ([[1, 2], [0, 1]],), I64),
    "multi_dot_one": V(_raised(lambda m, a: m.linalg.multi_dot([a])), (G3,)),
    "multi_dot_none": V(_raised(lambda m, a: m.linalg.multi_dot([])), (G3,)),
    "multi_dot_first_3d": V(_raised(lambda m, a: m.linalg.multi_dot([a.expand(2, 3, 3), a])), (G3,)),
    "multi_dot_last_3d": V(_raised(lambda m, a: m.linalg.multi_dot([a, a.expand(2, 3, 3)])), (G3,)),
    "multi_dot_middle_1d": V(_raised(lambda m, a, v: m.linalg.multi_dot([a, v, a])), (G3, V3)),
    "multi_dot_shapes": V(_raised(lambda m, a, b: m.linalg.multi_dot([a, a, b.mT])), (G3, B32)),
    "multi_dot_dtype": V(_raised(lambda m, a: m.linalg.multi_dot([a, a.float()])), (G3,)),
    "vander": V(lambda m, v: (m.linalg.vander(v), m.linalg.vander(v, N=5), m.linalg.vander(v.reshape(1, 3), N=2)),
                (V3,)),
    "vander_int": V(lambda m, v: m.linalg.vander(v), ([2, -1, 3],), I64),
    "vander_float32": V(lambda m, v: m.linalg.vander(v), (V3,), F32),
    "vander_bool": V(_raised(lambda m, v: m.linalg.vander(v)), ([True, False],), ("bool",)),
    "vander_half": V(_raised(lambda m, v: m.linalg.vander(v)), (V3,), ("float16",)),
    "vander_N1": V(_raised(lambda m, v: m.linalg.vander(v, N=1)), (V3,)),
    "vander_0d": V(_raised(lambda m, v: m.linalg.vander(v[0])), (V3,)),
    "vander_positional_N": V(lambda m, v: m.linalg.vander(v, 2), (V3,)),
    "linalg_cross": V(lambda m, a, b: (m.linalg.cross(a, b), m.linalg.cross(a, b, dim=0)), (G3, SPD3)),
    "linalg_cross_broadcast": V(lambda m, a, v: m.linalg.cross(a, v.reshape(1, 3)), (G3, V3)),
    "linalg_cross_size": V(_raised(lambda m, a: m.linalg.cross(a, a)), (T43,)),
    "linalg_diagonal": V(lambda m, a: (m.linalg.diagonal(a), m.linalg.diagonal(a, offset=-1),
                                       m.linalg.diagonal(a.reshape(2, 2, 3), dim1=0, dim2=2)), (T43,)),
    "linalg_matmul": V(lambda m, a, b: m.linalg.matmul(a, b), (G3, B32)),
    # ----- the error class
    "linalg_error_class": V(lambda m: (m.linalg.LinAlgError.__name__, issubclass(m.linalg.LinAlgError, RuntimeError))),
    "linalg_error_caught": V(lambda m, a: _message(m, lambda: _catch(m, a)), (SING3,)),
    "nan_and_inf_inputs": V(lambda m, a: (m.linalg.det(a), m.linalg.inv_ex(a).info.shape),
                            ([[NAN, 1.0], [1.0, INF]],)),
}


def _catch(m: Any, a: Any) -> None:
    """Raise a ValueError naming what `except torch.linalg.LinAlgError` caught."""
    try:
        m.linalg.inv(a)
    except m.linalg.LinAlgError as exc:
        raise ValueError(f"caught {type(exc).__name__}") from None
