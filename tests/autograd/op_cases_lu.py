"""Differentiable LU and Householder cases (as in op_cases.py), against PyTorch and finite differences.

Solves take A + nI (well-conditioned); the factorizations take drawn matrices as they are, so that their pivots swap
rows (a permutation that small nudges of the inputs leave unchanged: standard-normal entries have no ties). P and
the pivots carry no gradient, so every case returns a factor, a product of factors, or a solution.
"""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase


def _well(m, a):
    """A + nI: square and well-conditioned."""
    return a + m.eye(a.shape[-1], dtype=a.dtype) * a.shape[-1]


def _factor(m, a):
    return m.linalg.lu_factor(_well(m, a))


def _product(result):
    """L U: P^T A, smooth where the pivots do not change."""
    return result.L @ result.U


CASES: dict[str, OpCase] = {
    # lu_factor: the packed LU
    "lu_factor": C(lambda m, a: m.linalg.lu_factor(a).LU, ((3, 3),)),
    "lu_factor_batched": C(lambda m, a: m.linalg.lu_factor(a).LU, ((2, 4, 4),)),
    "lu_factor_wide": C(lambda m, a: m.linalg.lu_factor(a).LU, ((3, 5),)),
    "lu_factor_tall": C(lambda m, a: m.linalg.lu_factor(a).LU, ((5, 3),)),
    "lu_factor_ex": C(lambda m, a: m.linalg.lu_factor_ex(a).LU, ((2, 3, 3),)),
    "lu_factor_legacy": C(lambda m, a: m.lu(a)[0], ((3, 3),)),
    "lu_factor_legacy_infos": C(lambda m, a: m.lu(a, get_infos=True).LU, ((2, 3, 3),)),
    "lu_factor_method": C(lambda m, a: a.lu()[0], ((4, 4),)),
    # linalg.lu: L, U and their product
    "lu_L": C(lambda m, a: m.linalg.lu(a).L, ((4, 4),)),
    "lu_U": C(lambda m, a: m.linalg.lu(a).U, ((4, 4),)),
    "lu_LU": C(lambda m, a: _product(m.linalg.lu(a)), ((3, 3),)),
    "lu_both": C(lambda m, a: m.linalg.lu(a).L * 2.0 + m.linalg.lu(a).U ** 2, ((2, 3, 3),)),
    "lu_wide_L": C(lambda m, a: m.linalg.lu(a).L, ((3, 5),)),
    "lu_wide_U": C(lambda m, a: m.linalg.lu(a).U, ((3, 5),)),
    "lu_wide_LU": C(lambda m, a: _product(m.linalg.lu(a)), ((2, 3, 4),)),
    "lu_tall_L": C(lambda m, a: m.linalg.lu(a).L, ((5, 3),)),
    "lu_tall_U": C(lambda m, a: m.linalg.lu(a).U, ((5, 3),)),
    "lu_tall_LU": C(lambda m, a: _product(m.linalg.lu(a)), ((2, 4, 2),)),
    "lu_batched": C(lambda m, a: m.linalg.lu(a).U, ((2, 2, 3, 3),)),
    # lu_unpack of lu_factor's result
    "lu_unpack_L": C(lambda m, a: m.lu_unpack(*m.linalg.lu_factor(a)).L, ((4, 4),)),
    "lu_unpack_U": C(lambda m, a: m.lu_unpack(*m.linalg.lu_factor(a)).U, ((4, 4),)),
    "lu_unpack_wide": C(lambda m, a: _product(m.lu_unpack(*m.linalg.lu_factor(a))), ((3, 4),)),
    "lu_unpack_tall": C(lambda m, a: _product(m.lu_unpack(*m.linalg.lu_factor(a))), ((2, 4, 3),)),
    # lu_solve: gradients to B and, through lu_factor, to A
    "lu_solve": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b), ((3, 3), (3, 2))),
    "lu_solve_adjoint": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, adjoint=True), ((3, 3), (3, 2))),
    "lu_solve_right": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, left=False), ((3, 3), (2, 3))),
    "lu_solve_right_adjoint": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, left=False, adjoint=True),
                                ((3, 3), (4, 3))),
    "lu_solve_batched": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b), ((2, 4, 4), (2, 4, 1))),
    "lu_solve_broadcast": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b), ((2, 3, 3), (3, 1, 3, 2))),
    "lu_solve_broadcast_lu": C(lambda m, a, b: m.linalg.lu_solve(*_factor(m, a), b, left=False),
                               ((3, 3), (2, 2, 3))),
    "lu_solve_packed_lu": C(lambda m, a, b: m.linalg.lu_solve(_well(m, a), m.arange(1, 4, dtype=m.int32), b),
                            ((3, 3), (3, 2))),
    "lu_solve_legacy": C(lambda m, a, b: m.lu_solve(b, *_factor(m, a)), ((3, 3), (3, 2))),
    "lu_solve_method": C(lambda m, a, b: b.lu_solve(*_factor(m, a)), ((2, 3, 3), (2, 3, 2))),
    # Householder products
    "householder_product": C(lambda m, a, t: m.linalg.householder_product(a, t), ((4, 3), (3,))),
    "householder_product_fewer_tau": C(lambda m, a, t: m.linalg.householder_product(a, t), ((5, 3), (2,))),
    "householder_product_square": C(lambda m, a, t: m.linalg.householder_product(a, t), ((3, 3), (3,))),
    "householder_product_batched": C(lambda m, a, t: m.linalg.householder_product(a, t), ((2, 4, 2), (2, 2))),
    "orgqr": C(lambda m, a, t: m.orgqr(a, t), ((4, 2), (2,))),
    "orgqr_method": C(lambda m, a, t: a.orgqr(t), ((2, 3, 3), (2, 2))),
    "ormqr": C(lambda m, a, t, c: m.ormqr(a, t, c), ((4, 3), (3,), (4, 2))),
    "ormqr_transpose": C(lambda m, a, t, c: m.ormqr(a, t, c, transpose=True), ((4, 2), (2,), (4, 3))),
    "ormqr_wide": C(lambda m, a, t, c: m.ormqr(a, t, c), ((3, 4), (3,), (3, 2))),
    "ormqr_right": C(lambda m, a, t, c: m.ormqr(a, t, c, left=False), ((3, 3), (3,), (2, 3))),
    "ormqr_right_transpose": C(lambda m, a, t, c: m.ormqr(a, t, c, left=False, transpose=True),
                               ((2, 4, 2), (2, 2), (2, 3, 4))),
    "ormqr_method": C(lambda m, a, t, c: a.ormqr(t, c), ((3, 2), (2,), (3, 3))),
    "ormqr_column": C(lambda m, a, t, c: m.ormqr(a, t, c), ((4, 3), (3,), (4, 1))),
    # tensorinv, tensorsolve, cond
    "tensorinv": C(lambda m, a: m.linalg.tensorinv(_well(m, a.reshape(6, 6)).reshape(2, 3, 6)), ((2, 3, 6),)),
    "tensorinv_ind1": C(lambda m, a: m.linalg.tensorinv(_well(m, a.reshape(4, 4)).reshape(4, 2, 2), ind=1),
                        ((4, 2, 2),)),
    "tensorsolve": C(lambda m, a, b: m.linalg.tensorsolve(_well(m, a.reshape(6, 6)).reshape(2, 3, 6), b),
                     ((2, 3, 6), (2, 3))),
    "tensorsolve_dims": C(lambda m, a, b: m.linalg.tensorsolve(_well(m, a.reshape(6, 6)).reshape(6, 2, 3), b,
                                                                dims=(0,)), ((6, 2, 3), (2, 3))),
    "cond": C(lambda m, a: m.linalg.cond(a), ((3, 3),)),
    "cond_rectangular": C(lambda m, a: m.linalg.cond(a), ((2, 3, 4),)),
    "cond_minus_2": C(lambda m, a: m.linalg.cond(a, -2), ((3, 3),)),
    "cond_nuc": C(lambda m, a: m.linalg.cond(_well(m, a), "nuc"), ((2, 3, 3),)),
}
