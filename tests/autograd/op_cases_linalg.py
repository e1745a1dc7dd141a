"""Differentiable `torch.linalg` cases (as in op_cases.py), against PyTorch and finite differences.

The drawn inputs are made well-conditioned inside each case: A + nI for solves and inverses, A A^T + nI for
Cholesky factors, symmetric matrices with spread eigenvalues for eigh. Eigenvectors and singular vectors are defined
up to sign, so their cases take losses that do not depend on it (V * V, U @ Vh), as PyTorch's own tests do.
"""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase


def _eye(m, a, scale: float = 1.0):
    return m.eye(a.shape[-1], dtype=a.dtype) * scale


def _well(m, a):
    """A + nI: square and well-conditioned."""
    return a + _eye(m, a, a.shape[-1])


def _spd(m, a):
    """A A^T + nI: symmetric positive-definite."""
    return a @ a.mT + _eye(m, a, a.shape[-1])


def _sym(m, a):
    """A + A^T plus a diagonal 0, 3, 6, ...: symmetric with well-separated eigenvalues."""
    return a + a.mT + m.diag(m.arange(a.shape[-1], dtype=a.dtype) * 3.0)


def _low(m, a):
    """A lower-triangular factor with a diagonal far from zero."""
    return a.tril() + _eye(m, a, 3.0)


def _up(m, a):
    return a.triu() + _eye(m, a, 3.0)


CASES: dict[str, OpCase] = {
    # solve: B a matrix, a vector, batches of vectors, broadcast batches, X A = B
    "solve": C(lambda m, a, b: m.linalg.solve(_well(m, a), b), ((3, 3), (3, 2))),
    "solve_vector": C(lambda m, a, b: m.linalg.solve(_well(m, a), b), ((3, 3), (3,))),
    "solve_batch_of_vectors": C(lambda m, a, b: m.linalg.solve(_well(m, a), b), ((2, 3, 3), (2, 3))),
    "solve_vector_batched_a": C(lambda m, a, b: m.linalg.solve(_well(m, a), b), ((2, 3, 3), (3,))),
    "solve_broadcast": C(lambda m, a, b: m.linalg.solve(_well(m, a), b), ((2, 1, 3, 3), (4, 3, 2))),
    "solve_left_false": C(lambda m, a, b: m.linalg.solve(_well(m, a), b, left=False), ((3, 3), (2, 3))),
    "solve_left_false_batched": C(lambda m, a, b: m.linalg.solve(_well(m, a), b, left=False),
                                  ((2, 3, 3), (1, 4, 3))),
    "solve_ex": C(lambda m, a, b: m.linalg.solve_ex(_well(m, a), b).result, ((3, 3), (3, 2))),
    # inverses
    "inv": C(lambda m, a: m.linalg.inv(_well(m, a)), ((3, 3),)),
    "inv_batched": C(lambda m, a: m.linalg.inv(_well(m, a)), ((2, 4, 4),)),
    "inv_ex": C(lambda m, a: m.linalg.inv_ex(_well(m, a)).inverse, ((3, 3),)),
    "inverse": C(lambda m, a: m.inverse(_well(m, a)), ((3, 3),)),
    "inverse_method": C(lambda m, a: _well(m, a).inverse(), ((2, 2, 2),)),
    # determinants
    "det": C(lambda m, a: m.linalg.det(a), ((3, 3),)),
    "det_batched": C(lambda m, a: m.linalg.det(a), ((2, 3, 4, 4),)),
    "det_fn": C(lambda m, a: m.det(a), ((2, 2),)),
    "det_method": C(lambda m, a: a.det(), ((2, 3, 3),)),
    "slogdet_logabsdet": C(lambda m, a: m.linalg.slogdet(a).logabsdet, ((3, 3),)),
    "slogdet_both": C(lambda m, a: m.linalg.slogdet(a)[0] * m.linalg.slogdet(a)[1], ((2, 3, 3),)),
    "slogdet_fn": C(lambda m, a: m.slogdet(a).logabsdet, ((4, 4),)),
    "slogdet_method": C(lambda m, a: a.slogdet()[1], ((3, 3),)),
    "logdet": C(lambda m, a: m.logdet(_spd(m, a)), ((3, 3),)),
    "logdet_method": C(lambda m, a: _spd(m, a).logdet(), ((2, 3, 3),)),
    # triangular solves
    "solve_triangular_upper": C(lambda m, a, b: m.linalg.solve_triangular(a + _eye(m, a, 3.0), b, upper=True),
                                ((3, 3), (3, 2))),
    "solve_triangular_lower": C(lambda m, a, b: m.linalg.solve_triangular(a + _eye(m, a, 3.0), b, upper=False),
                                ((3, 3), (3, 4))),
    "solve_triangular_right": C(lambda m, a, b: m.linalg.solve_triangular(a + _eye(m, a, 3.0), b, upper=True,
                                                                          left=False), ((3, 3), (2, 3))),
    "solve_triangular_unit": C(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=False, unitriangular=True),
                               ((3, 3), (3, 2))),
    "solve_triangular_right_unit": C(lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True, left=False,
                                                                               unitriangular=True), ((3, 3), (2, 3))),
    "solve_triangular_broadcast": C(lambda m, a, b: m.linalg.solve_triangular(a + _eye(m, a, 3.0), b, upper=True),
                                    ((2, 1, 3, 3), (4, 3, 2))),
    # Cholesky
    "cholesky": C(lambda m, a: m.linalg.cholesky(_spd(m, a)), ((3, 3),)),
    "cholesky_upper": C(lambda m, a: m.linalg.cholesky(_spd(m, a), upper=True), ((3, 3),)),
    "cholesky_batched": C(lambda m, a: m.linalg.cholesky(_spd(m, a)), ((2, 4, 4),)),
    "cholesky_ex": C(lambda m, a: m.linalg.cholesky_ex(_spd(m, a)).L, ((3, 3),)),
    "cholesky_fn": C(lambda m, a: m.cholesky(_spd(m, a)), ((3, 3),)),
    "cholesky_fn_upper": C(lambda m, a: m.cholesky(_spd(m, a), True), ((2, 3, 3),)),
    "cholesky_method": C(lambda m, a: _spd(m, a).cholesky(), ((3, 3),)),
    "cholesky_solve": C(lambda m, b, a: m.cholesky_solve(b, _low(m, a)), ((3, 2), (3, 3))),
    "cholesky_solve_upper": C(lambda m, b, a: m.cholesky_solve(b, _up(m, a), upper=True), ((3, 2), (3, 3))),
    "cholesky_solve_broadcast": C(lambda m, b, a: m.cholesky_solve(b, _low(m, a)), ((2, 3, 2), (3, 3))),
    "cholesky_solve_method": C(lambda m, b, a: b.cholesky_solve(m.linalg.cholesky(_spd(m, a))), ((3, 1), (3, 3))),
    "cholesky_inverse": C(lambda m, a: m.cholesky_inverse(_low(m, a)), ((3, 3),)),
    "cholesky_inverse_upper": C(lambda m, a: m.cholesky_inverse(_up(m, a), upper=True), ((3, 3),)),
    "cholesky_inverse_batched": C(lambda m, a: _low(m, a).cholesky_inverse(), ((2, 3, 3),)),
    # QR
    "qr_square": C(lambda m, a: m.cat([t.flatten() for t in m.linalg.qr(a)]), ((3, 3),)),
    "qr_tall": C(lambda m, a: m.cat([t.flatten() for t in m.linalg.qr(a)]), ((5, 3),)),
    "qr_wide": C(lambda m, a: m.cat([t.flatten() for t in m.linalg.qr(a)]), ((3, 5),)),
    "qr_complete_wide": C(lambda m, a: m.cat([t.flatten() for t in m.linalg.qr(a, mode="complete")]), ((2, 4),)),
    "qr_complete_square": C(lambda m, a: m.linalg.qr(a, mode="complete").Q, ((3, 3),)),
    "qr_Q_tall": C(lambda m, a: m.linalg.qr(a).Q, ((4, 2),)),
    "qr_R_wide": C(lambda m, a: m.linalg.qr(a).R, ((2, 4),)),
    "qr_batched": C(lambda m, a: m.linalg.qr(a)[0] * 2 + m.linalg.qr(a)[1].sum(-2, keepdim=True), ((2, 4, 3),)),
    # symmetric eigendecomposition (sign-free functions of the eigenvectors)
    "eigh_eigenvalues": C(lambda m, a: m.linalg.eigh(_sym(m, a)).eigenvalues, ((4, 4),)),
    "eigh_eigenvectors_squared": C(lambda m, a: m.linalg.eigh(_sym(m, a)).eigenvectors ** 2, ((3, 3),)),
    "eigh_both": C(lambda m, a: (lambda r: r[1] * r[1] * r[0])(m.linalg.eigh(_sym(m, a))), ((3, 3),)),
    "eigh_upper": C(lambda m, a: m.linalg.eigh(_sym(m, a), UPLO="U").eigenvectors ** 2, ((3, 3),)),
    "eigh_batched": C(lambda m, a: (lambda r: r.eigenvectors ** 2 + r.eigenvalues[..., None, :])(
        m.linalg.eigh(_sym(m, a))), ((2, 3, 3),)),
    "eigh_projector": C(lambda m, a: (lambda v: v[..., :1] @ v[..., :1].mT)(m.linalg.eigh(_sym(m, a))[1]),
                        ((4, 4),)),
    "eigvalsh": C(lambda m, a: m.linalg.eigvalsh(_sym(m, a)), ((3, 3),)),
    "eigvalsh_upper_batched": C(lambda m, a: m.linalg.eigvalsh(_sym(m, a), UPLO="U"), ((2, 4, 4),)),
    # SVD (sign-free functions of the singular vectors)
    "svd_S": C(lambda m, a: m.linalg.svd(a, full_matrices=False).S, ((4, 3),)),
    "svd_U_squared_tall": C(lambda m, a: m.linalg.svd(a, full_matrices=False).U ** 2, ((4, 3),)),
    "svd_Vh_squared_wide": C(lambda m, a: m.linalg.svd(a, full_matrices=False).Vh ** 2, ((3, 5),)),
    "svd_U_squared_wide": C(lambda m, a: m.linalg.svd(a, full_matrices=False)[0] ** 2, ((3, 5),)),
    "svd_Vh_squared_tall": C(lambda m, a: m.linalg.svd(a, full_matrices=False)[2] ** 2, ((5, 3),)),
    "svd_polar_square": C(lambda m, a: (lambda r: r.U @ r.Vh)(m.linalg.svd(a)), ((3, 3),)),
    "svd_all_tall": C(lambda m, a: (lambda r: (r.U * r.S) @ r.Vh + r.U[..., :1] * r.Vh[..., :1, :])(
        m.linalg.svd(a, full_matrices=False)), ((4, 3),)),
    "svd_full_matrices": C(lambda m, a: (lambda r: r.U[:, :2] ** 2 * r.S)(m.linalg.svd(a)), ((4, 2),)),
    "svd_batched": C(lambda m, a: (lambda r: r[0] @ r[2] + r[1].sum())(m.linalg.svd(a, full_matrices=False)),
                     ((2, 3, 3),)),
    "svdvals_batched": C(lambda m, a: m.linalg.svdvals(a), ((2, 3, 4),)),
    # least squares, pseudo-inverse
    "lstsq": C(lambda m, a, b: m.linalg.lstsq(a, b).solution, ((5, 3), (5, 2))),
    "lstsq_vector": C(lambda m, a, b: m.linalg.lstsq(a, b)[0], ((4, 2), (4,))),
    "lstsq_batched": C(lambda m, a, b: m.linalg.lstsq(a, b).solution, ((2, 4, 3), (1, 4, 2))),
    "lstsq_wide": C(lambda m, a, b: m.linalg.lstsq(a, b).solution, ((2, 4), (2, 3))),
    "lstsq_gelsd_residuals": C(lambda m, a, b: (lambda r: r.solution.sum(0) + r.residuals)(
        m.linalg.lstsq(a, b, driver="gelsd")), ((5, 2), (5, 3))),
    "lstsq_gels_residuals": C(lambda m, a, b: m.linalg.lstsq(a, b, driver="gels").residuals, ((4, 2), (4, 2))),
    "pinv_tall": C(lambda m, a: m.linalg.pinv(a), ((4, 3),)),
    "pinv_wide": C(lambda m, a: m.linalg.pinv(a), ((2, 4),)),
    "pinv_square_batched": C(lambda m, a: m.linalg.pinv(a), ((2, 3, 3),)),
    "pinv_hermitian": C(lambda m, a: m.linalg.pinv(_spd(m, a), hermitian=True), ((3, 3),)),
    "pinv_rtol": C(lambda m, a: m.linalg.pinv(a, rtol=1e-3), ((3, 4),)),
    "pinverse": C(lambda m, a: m.pinverse(a), ((3, 2),)),
    "pinverse_method": C(lambda m, a: a.pinverse(rcond=1e-10), ((2, 3),)),
    # matrix powers and the exponential
    "matrix_power_0": C(lambda m, a: m.linalg.matrix_power(a, 0) + a, ((3, 3),)),
    "matrix_power_1": C(lambda m, a: m.linalg.matrix_power(a, 1), ((3, 3),)),
    "matrix_power_2": C(lambda m, a: m.linalg.matrix_power(a, 2), ((3, 3),)),
    "matrix_power_3": C(lambda m, a: m.linalg.matrix_power(a, 3), ((3, 3),)),
    "matrix_power_6": C(lambda m, a: m.linalg.matrix_power(a * 0.5, 6), ((3, 3),)),
    "matrix_power_neg1": C(lambda m, a: m.linalg.matrix_power(_well(m, a), -1), ((3, 3),)),
    "matrix_power_neg3": C(lambda m, a: m.linalg.matrix_power(_well(m, a), -3), ((3, 3),)),
    "matrix_power_batched": C(lambda m, a: m.linalg.matrix_power(a, 5), ((2, 2, 2),)),
    "matrix_power_fn": C(lambda m, a: m.matrix_power(a, 2), ((3, 3),)),
    "matrix_power_method": C(lambda m, a: a.matrix_power(3), ((2, 3, 3),)),
    "matrix_exp": C(lambda m, a: m.linalg.matrix_exp(a), ((3, 3),)),
    "matrix_exp_small": C(lambda m, a: m.linalg.matrix_exp(a * 1e-3), ((3, 3),)),
    "matrix_exp_large": C(lambda m, a: m.linalg.matrix_exp(a * 4.0), ((3, 3),)),
    "matrix_exp_batched": C(lambda m, a: m.linalg.matrix_exp(a), ((2, 4, 4),)),
    "matrix_exp_fn": C(lambda m, a: m.matrix_exp(a), ((2, 2),)),
    "matrix_exp_method": C(lambda m, a: a.matrix_exp(), ((3, 3),)),
    # products
    "linalg_cross": C(lambda m, a, b: m.linalg.cross(a, b), ((4, 3), (4, 3))),
    "linalg_cross_dim0_broadcast": C(lambda m, a, b: m.linalg.cross(a, b, dim=0), ((3, 2), (3, 1))),
    "vecdot": C(lambda m, a, b: m.linalg.vecdot(a, b), ((3, 4), (4,))),
    "vecdot_dim0": C(lambda m, a, b: m.linalg.vecdot(a, b, dim=0), ((3, 4), (3, 1))),
    "multi_dot_two": C(lambda m, a, b: m.linalg.multi_dot([a, b]), ((2, 3), (3, 4))),
    "multi_dot_three": C(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), ((2, 5), (5, 3), (3, 4))),
    "multi_dot_four": C(lambda m, a, b, c, d: m.linalg.multi_dot((a, b, c, d)), ((4, 2), (2, 5), (5, 1), (1, 3))),
    "multi_dot_vectors": C(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), ((3,), (3, 4), (4,))),
    "multi_dot_row_vector": C(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), ((3,), (3, 4), (4, 2))),
    "linalg_matmul": C(lambda m, a, b: m.linalg.matmul(a, b), ((2, 3, 4), (4, 2))),
    "vander": C(lambda m, a: m.linalg.vander(a), ((4,),)),
    "vander_N": C(lambda m, a: m.linalg.vander(a, N=3), ((2, 4),)),
    "linalg_diagonal": C(lambda m, a: m.linalg.diagonal(a), ((2, 3, 4),)),
    "linalg_diagonal_offset": C(lambda m, a: m.linalg.diagonal(a, offset=1, dim1=0, dim2=2), ((3, 2, 4),)),
}
