"""LU factorizations and Householder products: `torch.linalg.lu_factor`, `lu_factor_ex`, `lu`, `lu_solve` and
`householder_product`, and the top-level `torch.lu`, `lu_solve`, `lu_unpack`, `orgqr`, `geqrf` and `ormqr` (with
their Tensor methods); also `torch.linalg.tensorinv`, `tensorsolve` and `cond`, composed of inv, solve and the norms.

The LU is partial-pivoting Gaussian elimination as LAPACK's getrf does it (the first largest pivot of each column,
rows swapped before the column is eliminated, a zero pivot recorded in info and skipped), vectorised over the batch,
so the factors and the 1-based int32 pivots match PyTorch's. The backward rules are PyTorch's (FunctionsManual.cpp
linalg_lu_backward, lu_factor_ex_backward, linalg_lu_solve_LU / _B); householder_product's is the reverse of its
product of reflectors. P and the pivots carry no gradient.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import ops
from ._linalg_common import (
    batch_error,
    broadcast_batch,
    check_square,
    expand_batch,
    mT,
    not_implemented_for,
    result_type,
    same_dtype,
    singular_message,
    triangular_solve,
)
from .dtypes import scalar_type_name
from .linalg import matrix_norm, svdvals
from .linalg_solve import inv_ex
from .linalg_solve import solve as linalg_solve
from .math_ops import nan_to_num
from .rearranging import movedim
from .tensor import Tensor, unbroadcast

__all__ = ["lu", "lu_solve", "lu_unpack", "orgqr", "geqrf", "ormqr"]

LuFactorResult = result_type("linalg_lu_factor", "LU pivots")
LuFactorExResult = result_type("linalg_lu_factor_ex", "LU pivots info")
LuResult = result_type("linalg_lu", "P L U")
LuUnpackResult = result_type("lu_unpack", "P L U")
LuWithInfoResult = result_type("_lu_with_info", "LU pivots info")
GeqrfResult = result_type("geqrf", "a tau")

_DEPRECATED = {  # PyTorch warns once per process
    "lu": "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed "
          "in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, pivots "
          "= torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, "
          "get_infos=True)\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
    "lu_solve": "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch "
                "release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, "
                "pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)",
}
_warned: set[str] = set()


def _deprecated(name: str) -> None:
    if name not in _warned:
        _warned.add(name)
        warnings.warn(_DEPRECATED[name], UserWarning, stacklevel=3)


# ----- numpy kernels -----------------------------------------------------------------------------


def _getrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(LU, pivots, info) of each matrix of a batch, as LAPACK's getrf: L's strict lower part and U in one matrix,
    the 1-based row each step swapped in, and the first zero pivot (1-based; 0 if none)."""
    *batch, m, n = a.shape
    k = min(m, n)
    size = int(np.prod(batch, dtype=np.int64))
    u = np.array(a, copy=True).reshape(size, m, n)
    pivots = np.zeros((size, k), np.int32)
    info = np.zeros(size, np.int32)
    rows = np.arange(size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(k):
            p = j + np.argmax(np.abs(u[:, j:, j]), axis=1)
            pivots[:, j] = p + 1
            u[rows, j], u[rows, p] = u[rows, p], u[rows, j].copy()
            head = u[:, j, j]
            zero = head == 0
            info[zero & (info == 0)] = j + 1
            u[:, j + 1:, j] /= np.where(zero, 1, head)[:, None]  # a zero pivot's column is zero below it
            u[:, j + 1:, j + 1:] -= u[:, j + 1:, j, None] * u[:, j, None, j + 1:]
    return u.reshape(a.shape), pivots.reshape(*batch, k), info.reshape(batch)


def _permutation(pivots: np.ndarray, m: int, dtype: Any) -> np.ndarray:
    """P (m by m) with A = P L U, from getrf's 1-based pivots (row j swapped with row pivots[j] in turn)."""
    batch, k = pivots.shape[:-1], pivots.shape[-1]
    flat = pivots.reshape(-1, k).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (len(flat), 1))
    rows = np.arange(len(flat))
    for j in range(k):
        perm[rows, j], perm[rows, flat[:, j]] = perm[rows, flat[:, j]], perm[rows, j].copy()
    p = np.zeros((len(flat), m, m), dtype)
    p[rows[:, None], perm, np.arange(m)] = 1  # (P^T A)[i] = A[perm[i]]
    return p.reshape(*batch, m, m)


def _unpack(lu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L (m by k, unit lower) and U (k by n, upper) of a packed LU."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    low = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    return low, np.triu(lu[..., :k, :])


def _lu_backward(gl: np.ndarray, gu: np.ndarray, p: np.ndarray, low: np.ndarray, up: np.ndarray) -> np.ndarray:
    """PyTorch's linalg_lu_backward: with A = P L U and k = min(m, n), L = [L1; L2], U = [U1 U2] (L1, U1 k by k),
    gA = P [L1^{-T} X U1^{-T}, L1^{-T} gU2; gL2 U1^{-T}], X = tril(L1^T gL1 - gU2 U2^T, -1) + triu(gU1 U1^T - L2^T gL2)
    (only one of L2 and U2 is not empty)."""
    k = low.shape[-1]
    l1, l2, gl1, gl2 = low[..., :k, :], low[..., k:, :], gl[..., :k, :], gl[..., k:, :]
    u1, u2, gu1, gu2 = up[..., :k], up[..., k:], gu[..., :k], gu[..., k:]
    x = np.tril(mT(l1) @ gl1 - gu2 @ mT(u2), -1) + np.triu(gu1 @ mT(u1) - mT(l2) @ gl2)

    def left(b: np.ndarray) -> np.ndarray:  # L1^{-T} b
        return triangular_solve(mT(l1), b, upper=True, unit=True)

    def right(b: np.ndarray) -> np.ndarray:  # b U1^{-T}
        return triangular_solve(mT(u1), b, upper=False, left=False)

    ga = right(left(x))
    if u2.shape[-1]:
        ga = np.concatenate([ga, left(gu2)], -1)
    if l2.shape[-2]:
        ga = np.concatenate([ga, right(gl2)], -2)
    return p @ ga


def _lu_apply(p: np.ndarray, low: np.ndarray, up: np.ndarray, b: np.ndarray, adjoint: bool) -> np.ndarray:
    """A^{-1} B (A^{-T} B if `adjoint`) for A = P L U; batches broadcast."""
    if adjoint:
        y = triangular_solve(mT(up), b, upper=False)
        return p @ triangular_solve(mT(low), y, upper=True, unit=True)
    y = triangular_solve(low, mT(p) @ b, upper=False, unit=True)
    return triangular_solve(up, y, upper=True)


def _lu_solve_array(p: np.ndarray, low: np.ndarray, up: np.ndarray, b: np.ndarray, left: bool,
                    adjoint: bool) -> np.ndarray:
    """X with A X = B, A^T X = B, X A = B or X A^T = B."""
    if left:
        return _lu_apply(p, low, up, b, adjoint)
    return mT(_lu_apply(p, low, up, mT(b), not adjoint))


def _householder(a: np.ndarray, tau: np.ndarray) -> list[np.ndarray]:
    """The partial products Q_i = H_i ... H_k E (E the first n columns of I), Q_0 = H_1 ... H_k E last."""
    m, n = a.shape[-2:]
    reflectors = np.tril(a, -1) + np.eye(m, n, dtype=a.dtype)
    q = np.broadcast_to(np.eye(m, n, dtype=a.dtype), a.shape)
    steps = [q]
    for i in reversed(range(tau.shape[-1])):
        v = reflectors[..., i:i + 1]
        q = q - tau[..., i, None, None] * (v @ (mT(v) @ q))
        steps.append(q)
    return steps


def _householder_backward(g: np.ndarray, a: np.ndarray, tau: np.ndarray,
                          steps: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(gA, gtau) of Q = H_1 ... H_k E, H_i = I - tau_i v_i v_i^T, stepping back through the reflectors."""
    m, n = a.shape[-2:]
    reflectors = np.tril(a, -1) + np.eye(m, n, dtype=a.dtype)
    ga, gtau = np.zeros_like(a), np.zeros_like(tau)
    k = tau.shape[-1]
    for step, i in enumerate(range(k)):
        before = steps[k - 1 - step]  # the product H_{i+1} ... H_k E this reflector multiplies
        v, t = reflectors[..., i:i + 1], tau[..., i, None, None]
        w = mT(v) @ before
        gtau[..., i] = -(mT(v) @ g @ mT(w))[..., 0, 0]
        gv = -t * (g @ mT(w) + before @ (mT(g) @ v))
        ga[..., i + 1:, i] = gv[..., i + 1:, 0]
        g = g - t * (v @ (mT(v) @ g))
    return ga, gtau


# ----- LU factorizations -------------------------------------------------------------------------


def _pivot_checked(A: Tensor, fn: str, pivot: bool) -> None:  # noqa: N803
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    not_implemented_for(A, "lu_cpu")


def _factor(A: Tensor, fn: str, pivot: bool) -> tuple[Tensor, np.ndarray, np.ndarray]:  # noqa: N803
    """(the LU node, pivots, info)."""
    _pivot_checked(A, fn, pivot)
    packed, pivots, info = _getrf(A._array)
    m = A.shape[-2]

    def backward(g: np.ndarray):
        low, up = _unpack(packed)
        k = low.shape[-1]
        p = _permutation(pivots, m, packed.dtype)
        return (_lu_backward(np.tril(g[..., :, :k], -1), np.triu(g[..., :k, :]), p, low, up),)

    return Tensor._make(packed, (A,), backward, "LinalgLuFactorEx"), pivots, info


def _zero_pivot(info: int) -> str:
    return (f"U[{info},{info}] is zero and using it on lu_solve would result in a division by zero. If you still "
            "want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")


def _zero_pivot_error(fn: str, info: np.ndarray, ndim: int) -> RuntimeError:
    """PyTorch's error (a RuntimeError, not LinAlgError) for the first matrix with a zero on U's diagonal."""
    return RuntimeError(str(batch_error(fn, info, ndim, _zero_pivot)))


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False):  # noqa: N803
    """`torch.linalg.lu_factor_ex`: (LU, pivots, info); info is the first zero on U's diagonal (1-based, 0 if none)."""
    packed, pivots, info = _factor(A, "torch.lu_factor", pivot)
    if check_errors and info.any():
        raise _zero_pivot_error("torch.linalg.lu_factor_ex", info, A.ndim)
    return LuFactorExResult(packed, Tensor._wrap(pivots), Tensor._wrap(info))


def lu_factor(A: Tensor, *, pivot: bool = True):  # noqa: N803
    """`torch.linalg.lu_factor`: (LU, pivots) with A = P L U; a zero on U's diagonal raises RuntimeError."""
    packed, pivots, info = _factor(A, "torch.lu_factor", pivot)
    if info.any():
        raise _zero_pivot_error("torch.linalg.lu_factor", info, A.ndim)
    return LuFactorResult(packed, Tensor._wrap(pivots))


def linalg_lu(A: Tensor, *, pivot: bool = True):  # noqa: N803
    """`torch.linalg.lu`: (P, L, U) with A = P L U, L (m by k) unit lower, U (k by n) upper, k = min(m, n)."""
    _pivot_checked(A, "linalg.lu", pivot)
    packed, pivots, _ = _getrf(A._array)
    low, up = _unpack(packed)
    p = _permutation(pivots, A.shape[-2], packed.dtype)
    zeros_l, zeros_u = np.zeros_like(low), np.zeros_like(up)
    return LuResult(Tensor._wrap(p),
                    Tensor._make(low, (A,), lambda g: (_lu_backward(g, zeros_u, p, low, up),), "LinalgLu"),
                    Tensor._make(up, (A,), lambda g: (_lu_backward(zeros_l, g, p, low, up),), "LinalgLu"))


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False):  # noqa: N803
    """`torch.lu` / `Tensor.lu` (deprecated): (LU, pivots), or `_lu_with_info` (LU, pivots, info) if `get_infos`."""
    _deprecated("lu")
    packed, pivots, info = _factor(A, "torch.lu_factor", pivot)
    if get_infos:
        return LuWithInfoResult(packed, Tensor._wrap(pivots), Tensor._wrap(info))
    return packed, Tensor._wrap(pivots)


def _unpack_checked(LU_data: Tensor, LU_pivots: Tensor) -> None:  # noqa: N803
    if LU_data.ndim < 2:
        raise RuntimeError(f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(LU_data.shape)} instead")
    if LU_pivots._array.dtype != np.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by "
                           "torch.linalg.lu_factor")
    piv = LU_pivots._array
    if piv.size and (piv.min() < 1 or piv.max() > LU_data.shape[-2]):
        raise RuntimeError("pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive.Did you properly "
                           "pass the result of lu_factor?")


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True,  # noqa: N803
              unpack_pivots: bool = True):
    """`torch.lu_unpack`: (P, L, U) of lu_factor's result; an output not asked for is an empty tensor."""
    _unpack_checked(LU_data, LU_pivots)
    packed = LU_data._array
    empty = np.empty((0,), packed.dtype)
    p = _permutation(LU_pivots._array, packed.shape[-2], packed.dtype) if unpack_pivots else empty
    if not unpack_data:
        return LuUnpackResult(Tensor._wrap(p), Tensor._wrap(empty), Tensor._wrap(empty.copy()))
    low, up = _unpack(packed)
    k = low.shape[-1]

    def backward_l(g: np.ndarray):
        out = np.zeros_like(packed)
        out[..., :, :k] = np.tril(g, -1)
        return (out,)

    def backward_u(g: np.ndarray):
        out = np.zeros_like(packed)
        out[..., :k, :] = np.triu(g)
        return (out,)

    return LuUnpackResult(Tensor._wrap(p), Tensor._make(low, (LU_data,), backward_l, "LuUnpack"),
                          Tensor._make(up, (LU_data,), backward_u, "LuUnpack"))


# ----- LU solves ---------------------------------------------------------------------------------


def _lu_solve_checks(LU: Tensor, pivots: Tensor, B: Tensor, left: bool) -> None:  # noqa: N803
    fn = "linalg.lu_solve"
    if B.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor B must have at least 2 dimensions.")
    check_square(LU, "torch.linalg.lu_solve")
    same_dtype(LU, B, f"{fn}: Expected LU and B to have the same dtype, but found LU of type {{}} and B of type {{}} "
                      "instead")
    if pivots._array.dtype != np.int32:
        raise RuntimeError(f"{fn}: pivots should be a Tensor of scalar type torch.int32")
    n = LU.shape[-1]
    if pivots.ndim < 1 or pivots.shape[-1] != n:
        raise RuntimeError(f"{fn}: Number of pivots per batch should be same as the dimension of the matrix")
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
                           f"({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    not_implemented_for(LU, "lu_solve_cpu")


def _solve_grad_a(gb: np.ndarray, x: np.ndarray, left: bool, adjoint: bool) -> np.ndarray:
    """The gradient of the system matrix A given B's (gB) and the solution X."""
    if left:
        return -(x @ mT(gb)) if adjoint else -(gb @ mT(x))
    return -(mT(gb) @ x) if adjoint else -(mT(x) @ gb)


def linalg_lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True,  # noqa: N803
                    adjoint: bool = False) -> Tensor:
    """`torch.linalg.lu_solve`: X with A X = B (A^T X = B if `adjoint`; X A = B, X A^T = B if not `left`) for the
    A = P L U lu_factor gave; batches broadcast. Backward: gB solves the adjoint system, gLU = tril(P^T gA U^T, -1)
    + triu(L^T P^T gA) from the gradient gA of A."""
    _lu_solve_checks(LU, pivots, B, left)
    batch = broadcast_batch(LU.shape[:-2], B.shape[:-2])
    packed = LU._array
    low, up = _unpack(packed)
    p = _permutation(pivots._array, packed.shape[-1], packed.dtype)
    x = np.ascontiguousarray(expand_batch(_lu_solve_array(p, low, up, B._array, left, adjoint), batch))

    def backward(g: np.ndarray):
        gb = _lu_solve_array(p, low, up, g, left, not adjoint)
        glu = None
        if LU.requires_grad:
            pga = mT(p) @ _solve_grad_a(gb, x, left, adjoint)
            glu = unbroadcast(np.tril(pga @ mT(up), -1) + np.triu(mT(low) @ pga), packed.shape)
        return glu, None, unbroadcast(gb, B._array.shape) if B.requires_grad else None

    return Tensor._make(x, (LU, pivots, B), backward, "LinalgLuSolve")


def lu_solve(input: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:  # noqa: A002, N803
    """`torch.lu_solve(B, LU, pivots)` / `Tensor.lu_solve` (deprecated): `torch.linalg.lu_solve(LU, pivots, B)`."""
    _deprecated("lu_solve")
    return linalg_lu_solve(LU_data, LU_pivots, input)


# ----- Householder products ----------------------------------------------------------------------


def _householder_checks(A: Tensor, tau: Tensor, fn: str) -> None:  # noqa: N803
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: input must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if m < n:
        raise RuntimeError(f"{fn}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if tau.ndim >= 1 and n < tau.shape[-1]:
        raise RuntimeError(f"{fn}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if tau.ndim != A.ndim - 1:
        raise RuntimeError(f"{fn}: Expected tau to have one dimension less than input, but got tau.ndim equal to "
                           f"{tau.ndim} and input.ndim is equal to {A.ndim}")
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(f"{fn}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
                           f"{list(tau.shape[:-1])}")
    if tau._array.dtype != A._array.dtype:
        raise RuntimeError(f"{fn}: tau dtype {scalar_type_name(tau._array.dtype)} does not match input dtype "
                           f"{scalar_type_name(A._array.dtype)}")
    not_implemented_for(A, "orgqr_cpu")


def householder_product(A: Tensor, tau: Tensor) -> Tensor:  # noqa: N803
    """`torch.linalg.householder_product`: the first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^T, v_i the
    i-th column of the (m, n) A below its diagonal with a 1 on it."""
    _householder_checks(A, tau, "torch.linalg.householder_product")
    a, t = A._array, tau._array
    steps = _householder(a, t)

    def backward(g: np.ndarray):
        ga, gt = _householder_backward(g, a, t, steps)
        return ga if A.requires_grad else None, gt if tau.requires_grad else None

    return Tensor._make(np.ascontiguousarray(steps[-1]), (A, tau), backward, "LinalgHouseholderProduct")


def orgqr(input: Tensor, input2: Tensor) -> Tensor:  # noqa: A002
    """`torch.orgqr` / `Tensor.orgqr`: `torch.linalg.householder_product`."""
    return householder_product(input, input2)


def geqrf(input: Tensor):  # noqa: A002
    """`torch.geqrf`: LAPACK's QR (R on and above the diagonal, the reflectors below it, and tau); no gradient."""
    if input.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    not_implemented_for(input, "geqrf_cpu")
    reflectors, tau = np.linalg.qr(input._array, mode="raw")
    dtype = input._array.dtype

    def backward(g: np.ndarray):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")

    return GeqrfResult(Tensor._make(np.ascontiguousarray(mT(reflectors), dtype=dtype), (input,), backward, "Geqrf"),
                       Tensor._make(tau.astype(dtype), (input,), backward, "Geqrf"))


def _ormqr_checks(A: Tensor, tau: Tensor, C: Tensor, left: bool) -> None:  # noqa: N803
    fn = "torch.ormqr"
    for t, name in ((A, "input"), (C, "other")):
        if t.ndim < 2:
            raise RuntimeError(f"{fn}: {name} must have at least 2 dimensions.")
    if tau.ndim != A.ndim - 1:
        raise RuntimeError(f"{fn}: Expected tau to have one dimension less than input, but got tau.ndim equal to "
                           f"{tau.ndim} and input.ndim is equal to {A.ndim}")
    if C.ndim != A.ndim:
        raise RuntimeError(f"{fn}: Expected other to have the same number of dimensions as input, but got other.ndim "
                           f"equal to {C.ndim} and input.ndim is equal to {A.ndim}")
    for name, got in (("tau", tau.shape[:-1]), ("other", C.shape[:-2])):
        if tuple(got) != tuple(A.shape[:-2]):
            raise RuntimeError(f"{fn}: Expected batch dimensions of {name} to be equal to input.shape[:-2], but got "
                               f"{list(got)}")
    dim = -2 if left else -1
    if C.shape[dim] != A.shape[-2]:
        raise RuntimeError(f"{fn}: other.shape[{dim}] must be equal to input.shape[-2]")
    if tau.shape[-1] != min(C.shape[dim], A.shape[-1]):
        raise RuntimeError(f"{fn}: tau.shape[-1] must be equal to min(other.shape[{dim}], input.shape[-1])")
    for t, name in ((tau, "tau"), (C, "other")):
        if t._array.dtype != A._array.dtype:
            raise RuntimeError(f"{fn}: Expected input and {name} to have the same dtype, but input has dtype"
                               f"{scalar_type_name(A._array.dtype)} and {name} has dtype "
                               f"{scalar_type_name(t._array.dtype)}")
    not_implemented_for(A, "ormqr_cpu")


def _full_reflectors(a: np.ndarray) -> np.ndarray:
    """The reflectors as an m by m matrix (columns past m dropped, missing ones zero): its product is the full Q."""
    m, n = a.shape[-2:]
    a = a[..., :min(m, n)]
    return np.concatenate([a, np.zeros(a.shape[:-1] + (m - a.shape[-1],), a.dtype)], -1)


def ormqr(input: Tensor, input2: Tensor, input3: Tensor, left: bool = True,  # noqa: A002
          transpose: bool = False) -> Tensor:
    """`torch.ormqr(A, tau, C)`: Q C (Q^T C if `transpose`; C Q, C Q^T if not `left`) for the full m by m
    Q = H_1 ... H_k of geqrf's reflectors."""
    _ormqr_checks(input, input2, input3, left)
    a, tau, c = _full_reflectors(input._array), input2._array, input3._array
    steps = _householder(a, tau)
    qt = mT(steps[-1]) if transpose else steps[-1]
    out = np.ascontiguousarray(qt @ c if left else c @ qt)

    def backward(g: np.ndarray):
        gqt = g @ mT(c) if left else mT(c) @ g
        ga, gt = _householder_backward(mT(gqt) if transpose else gqt, a, tau, steps)
        n = input.shape[-1]
        used = min(n, a.shape[-1])
        ga = np.concatenate([ga[..., :used], np.zeros(ga.shape[:-1] + (n - used,), ga.dtype)], -1)
        return ga, gt, mT(qt) @ g if left else g @ mT(qt)

    return Tensor._make(out, (input, input2, input3), backward, "Ormqr")


# ----- tensor inverses and solves, condition numbers ---------------------------------------------


def _size(shape: Any) -> int:
    return int(np.prod(tuple(shape), dtype=np.int64))


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:  # noqa: N803
    """`torch.linalg.tensorinv`: the inverse of A read as a matrix of its first `ind` dims by the rest, shaped
    A.shape[ind:] + A.shape[:ind]."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    if _size(rows) != _size(cols):
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {_size(cols)} != {_size(rows)}")
    inverse, info = inv_ex(ops.reshape(A, _size(rows), _size(cols)))
    if info._array.any():
        raise batch_error("inv", info._array, 2, singular_message)  # torch.inverse's name, as PyTorch's
    return ops.reshape(inverse, *cols, *rows)


def tensorsolve(A: Tensor, B: Tensor, dims: Any = None) -> Tensor:  # noqa: N803
    """`torch.linalg.tensorsolve`: X with tensordot(A, X, X.ndim) = B (A's `dims` moved to the end first)."""
    if dims is not None:
        dims = list(dims)
        A = movedim(A, dims, list(range(A.ndim - len(dims), A.ndim)))  # noqa: N806
    rows, cols = _size(B.shape), tuple(A.shape[B.ndim:])  # as PyTorch, B's size (A's leading dims must agree)
    if _size(cols) != rows:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {_size(cols)} != {rows}")
    if _size(A.shape) != rows * _size(cols):  # PyTorch's view error (ops.reshape raises a ValueError)
        raise RuntimeError(f"shape '[{rows}, {_size(cols)}]' is invalid for input of size {_size(A.shape)}")
    x = linalg_solve(ops.reshape(A, rows, _size(cols)), ops.reshape(B, rows))
    return ops.reshape(x, *cols)


_COND_NORMS = ("fro", "nuc", 1, -1, float("inf"), -float("inf"))


def _cond_label(p: Any) -> str:
    """How PyTorch names the order in cond's square-matrix message."""
    if isinstance(p, str) or abs(p) == float("inf"):
        return str(p)
    return str(p) if isinstance(p, int) else f"{p:.6f}"


def cond(A: Tensor, p: Any = None) -> Tensor:  # noqa: N803
    """`torch.linalg.cond`: sigma_max / sigma_min (p None or 2; its inverse for -2), else
    norm(A, p) * norm(A^{-1}, p) on square matrices (infinite where A is singular)."""
    if A.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if 0 in A.shape[-2:] and (p is None or p in (2, -2) or A.shape[-2] == A.shape[-1]):
        return Tensor._wrap(np.zeros(A.shape[:-2], A._array.dtype))  # PyTorch's 0 for empty matrices
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        return small / big if p == -2 else big / small
    label = _cond_label(p)
    if not isinstance(p, str) and (p not in _COND_NORMS or isinstance(p, bool)):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    check_square(A, f"linalg.cond(ord={label})", prefix=f"linalg.cond(ord={label}): ")
    if p not in _COND_NORMS:  # a string: PyTorch checks the shape first
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    inverse, info = inv_ex(A)
    singular = Tensor._wrap(info._array > 0)
    inverse = ops.where(Tensor._wrap(singular._array[..., None, None]), 0.0, inverse)
    inverse_norm = ops.where(singular, float("inf"), matrix_norm(inverse, p))  # a singular A's inverse is infinite
    out = matrix_norm(A, p) * inverse_norm
    return out if p == "nuc" else nan_to_num(out, nan=float("inf"), posinf=float("inf"))


LINALG = {"lu_factor": lu_factor, "lu_factor_ex": lu_factor_ex, "lu": linalg_lu, "lu_solve": linalg_lu_solve,
          "householder_product": householder_product, "tensorinv": tensorinv, "tensorsolve": tensorsolve,
          "cond": cond}

# ----- Tensor methods --------------------------------------------------------------------------

Tensor.lu = lu
Tensor.lu_solve = lu_solve
Tensor.orgqr = orgqr
Tensor.geqrf = geqrf
Tensor.ormqr = ormqr
