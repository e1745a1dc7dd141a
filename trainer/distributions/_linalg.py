"""The few differentiable matrix ops the Gaussian family needs (`torch.linalg.cholesky`,
`torch.linalg.solve_triangular`, `torch.cholesky_inverse`), with PyTorch's backward rules."""

from __future__ import annotations

import numpy as np

from .. import autograd as _ag
from ..autograd import Tensor


def _mh(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _tri_solve(a: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """a^{-1} b reading only a's upper or lower triangle (batch dims broadcast)."""
    a = np.triu(a) if upper else np.tril(a)
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return np.linalg.solve(np.broadcast_to(a, shape + a.shape[-2:]), np.broadcast_to(b, shape + b.shape[-2:]))


def _not_positive_definite(a: np.ndarray) -> int:
    """The order of the first leading minor that is not positive-definite (0 if a is)."""
    for k in range(1, a.shape[-1] + 1):
        try:
            np.linalg.cholesky(a[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return 0


def cholesky(A: Tensor) -> Tensor:  # noqa: N803 - PyTorch's name
    """`torch.linalg.cholesky(A)` (lower): L with L L^T = A; A's lower triangle is read."""
    a = A._array
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError("linalg.cholesky: A must be batches of square matrices, but they are "
                           f"{a.shape[-2] if a.ndim >= 2 else 1} by {a.shape[-1]} matrices")
    sym = np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2)
    try:
        low = np.linalg.cholesky(sym)
    except np.linalg.LinAlgError:
        flat = sym.reshape(-1, *sym.shape[-2:])
        bad = next(k for k in map(_not_positive_definite, flat) if k)
        raise RuntimeError(f"linalg.cholesky: The factorization could not be completed because the input is not "
                           f"positive-definite (the leading minor of order {bad} is not positive-definite).") from None

    def backward(g: np.ndarray):
        phi = np.tril(_mh(low) @ g)
        phi = 0.5 * (phi + _mh(np.tril(phi, -1)))
        ga = _tri_solve(_mh(low), phi, upper=True)  # L^{-H} phi
        ga = _mh(_tri_solve(_mh(low), _mh(ga), upper=True))  # X L = L^{-H} phi, i.e. X = L^{-H} phi L^{-1}
        return (ga,)

    return Tensor._make(low, (A,), backward, "LinalgCholeskyEx")


def cholesky_ok(A: Tensor) -> Tensor:  # noqa: N803
    """A bool tensor over the batch: whether each matrix is positive-definite (`cholesky_ex(A).info == 0`)."""
    a = A._array
    flat = a.reshape(-1, *a.shape[-2:])
    ok = np.array([_not_positive_definite(np.tril(m) + np.tril(m, -1).T) == 0 for m in flat], dtype=bool)
    return Tensor._wrap(ok.reshape(a.shape[:-2]))


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool) -> Tensor:  # noqa: N803
    """`torch.linalg.solve_triangular(A, B, upper=upper)` (left=True): X with A X = B."""
    x = _tri_solve(A._array, B._array, upper)

    def backward(g: np.ndarray):
        gb = _tri_solve(_mh(A._array), g, upper=not upper)
        ga = None
        if A.requires_grad:
            ga = -(gb @ _mh(x))
            ga = np.triu(ga) if upper else np.tril(ga)
        return ga, (gb if B.requires_grad else None)

    return Tensor._make(x, (A, B), backward, "LinalgSolveTriangular")


def cholesky_inverse(L: Tensor) -> Tensor:  # noqa: N803
    """(L L^T)^{-1} from a lower Cholesky factor L, as a composite of differentiable ops."""
    eye = _ag.eye(L.shape[-1], dtype=L.dtype)
    inv = solve_triangular(L, eye, upper=False)
    return _ag.matmul(inv.transpose(-2, -1), inv)
