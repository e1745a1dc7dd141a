"""PyTorch's older top-level linear algebra, built on `torch.linalg`'s: `torch.svd` (V, not Vh), `torch.qr`
(`some`) and `torch.triangular_solve` (b first; the solution and a copy of A), as torch.X and Tensor methods."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import ops
from ._linalg_common import result_type
from .linalg_decompositions import qr as linalg_qr
from .linalg_decompositions import svd as linalg_svd
from .linalg_solve import solve_triangular
from .tensor import Tensor

__all__ = ["svd", "qr", "triangular_solve"]

_Svd = result_type("svd", "U S V")
_Qr = result_type("qr", "Q R")
_TriangularSolve = result_type("triangular_solve", "solution cloned_coefficient")
_DEPRECATED = {  # PyTorch warns once per process
    "qr": "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
          "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
          "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
    "triangular_solve": "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be "
                        "removed in a future PyTorch release.\ntorch.linalg.solve_triangular has its arguments "
                        "reversed and does not return a copy of one of the inputs.\nX = torch.triangular_solve(B, "
                        "A).solution\nshould be replaced with\nX = torch.linalg.solve_triangular(A, B).",
}
_warned: set[str] = set()


def _deprecated(name: str) -> None:
    if name not in _warned:
        _warned.add(name)
        warnings.warn(_DEPRECATED[name], UserWarning, stacklevel=3)


def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:  # noqa: A002
    """(U, S, V) with input = U diag(S) V^T; `some` keeps min(m, n) columns of U and V. Without `compute_uv`,
    U and V are zero matrices of shape (m, m) and (n, n)."""
    u, s, vh = linalg_svd(input, full_matrices=not some)
    if not compute_uv:
        m, n = input.shape[-2:]
        batch = tuple(input.shape[:-2])
        dtype = input._array.dtype
        return _Svd(Tensor._wrap(np.zeros(batch + (m, m), dtype)), s.detach(),
                    Tensor._wrap(np.zeros(batch + (n, n), dtype)))
    return _Svd(u, s, ops.transpose(vh, -2, -1))


def qr(input: Tensor, some: bool = True) -> Any:  # noqa: A002
    """(Q, R) with input = Q R: reduced when `some`, else complete."""
    _deprecated("qr")
    q, r = linalg_qr(input, "reduced" if some else "complete")
    return _Qr(q, r)


def triangular_solve(b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,  # noqa: N803
                     unitriangular: bool = False) -> Any:
    """(X, A's copy) with A X = b (A^T X = b if `transpose`), reading A's upper or lower triangle."""
    for t, name in ((b, "b"), (A, "A")):
        if t.ndim < 2:
            raise RuntimeError(f"torch.triangular_solve: Expected {name} to have at least 2 dimensions, but it has "
                               f"{t.ndim} dimensions instead")
    _deprecated("triangular_solve")
    coefficient = ops.transpose(A, -2, -1) if transpose else A
    solution = solve_triangular(coefficient, b, upper=upper != transpose, unitriangular=unitriangular)
    return _TriangularSolve(solution, ops.clone(A))


def _triangular_solve_method(self: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,  # noqa: N803
                             unitriangular: bool = False) -> Any:
    return triangular_solve(self, A, upper, transpose, unitriangular)


Tensor.svd = svd
Tensor.qr = qr
Tensor.triangular_solve = _triangular_solve_method
