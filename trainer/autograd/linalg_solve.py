"""Linear systems, inverses and determinants: `torch.linalg.solve`, `solve_ex`, `inv`, `inv_ex`, `det`, `slogdet`,
`solve_triangular`, and the top-level `torch.inverse`, `det`, `logdet`, `slogdet`, `cholesky_solve` and
`cholesky_inverse` (with their Tensor methods).

The backward rules are PyTorch's (derivatives.yaml): the solvers' gB = A^{-T} gX and gA = -gB X^T, projected onto
the triangle for triangular solves; det's gradient is det * A^{-T} (zero where det is zero, as PyTorch's first-order
formula gives); batch dimensions broadcast and their gradients are summed back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from ._linalg_common import (
    batch_error,
    broadcast_batch,
    check_float,
    check_square,
    expand_batch,
    eye_like,
    lu_info,
    mT,
    not_implemented_for,
    result_type,
    same_dtype,
    singular_message,
    triangular_solve,
)
from .tensor import Tensor, unbroadcast

__all__ = ["inverse", "det", "logdet", "slogdet", "cholesky_solve", "cholesky_inverse"]

SolveExResult = result_type("linalg_solve_ex", "result info")
InvExResult = result_type("linalg_inv_ex", "inverse info")
LinalgSlogdetResult = result_type("linalg_slogdet", "sign logabsdet")
SlogdetResult = result_type("slogdet", "sign logabsdet")


def _guarded(compute: Any, a: np.ndarray, *rest: np.ndarray, source: np.ndarray | None = None):
    """(compute(a, *rest), LU info of `source`'s batch (a by default; A before its batch was broadcast)): results
    for the matrices numpy finds singular are NaN, their info the first zero pivot."""
    source = a if source is None else source
    try:
        return compute(a, *rest), np.zeros(source.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        info = lu_info(source)
        bad = (info > 0)[..., None, None]
        out = compute(np.where(bad, eye_like(a), a), *rest)
        return np.where(bad, np.nan, out), info


# ----- solve --------------------------------------------------------------------------------------


def _is_vector_rhs(A: Tensor, B: Tensor) -> bool:  # noqa: N803
    """PyTorch's rule: B is a (batch of) vector(s) if 1-D or shaped as A without its last dimension."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def _solve(A: Tensor, B: Tensor, left: bool) -> tuple[Tensor, np.ndarray]:  # noqa: N803
    """X with AX = B (XA = B when not `left`) and the batch's info (non-zero where A is singular)."""
    fn = "linalg.solve"  # solve_ex's checks say so too
    check_float(A, fn)
    not_implemented_for(A, "lu_cpu")
    if B.ndim < 1:
        raise RuntimeError(f"{fn}: The input tensor B must have at least 2 dimensions.")
    same_dtype(A, B, f"{fn}: Expected A and B to have the same dtype, but found A of type {{}} and B of type {{}} "
                     "instead")
    check_square(A, fn)
    vector = _is_vector_rhs(A, B)
    b = B._array[..., None] if vector else B._array
    n = A.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
                           f"({n}x{n} and {b.shape[-2]}x{b.shape[-1]})")
    batch = broadcast_batch(b.shape[:-2], A.shape[:-2])
    a, b = expand_batch(A._array, batch), expand_batch(b, batch)
    if left:
        x, info = _guarded(np.linalg.solve, a, b, source=A._array)
    else:
        xt, info = _guarded(lambda at, bt: np.linalg.solve(mT(at), bt), a, mT(b), source=A._array)
        x = mT(xt)

    def backward(g: np.ndarray):
        gx = g[..., None] if vector else g
        gb = np.linalg.solve(mT(a), gx) if left else mT(np.linalg.solve(a, mT(gx)))
        ga = unbroadcast(-(gb @ mT(x)) if left else -(mT(x) @ gb), A._array.shape) if A.requires_grad else None
        return ga, unbroadcast(gb[..., 0] if vector else gb, B._array.shape) if B.requires_grad else None

    out = np.ascontiguousarray(x[..., 0] if vector else x)
    res = Tensor._make(out, (A, B), backward, "LinalgSolveEx")
    res._ctx = (left, vector)  # for `higher_order`
    return res, info


def _singular_system(info: int) -> str:
    return "The solver failed because the input matrix is singular."


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:  # noqa: N803 - PyTorch's names
    """`torch.linalg.solve`: X with AX = B (or XA = B); B may be a vector or a batch of vectors; batches broadcast."""
    x, info = _solve(A, B, left)
    if info.any():
        raise batch_error("torch.linalg.solve", info, A.ndim, _singular_system)
    return x


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False):  # noqa: N803
    """`torch.linalg.solve_ex`: (result, info), info non-zero where A is singular (the result there is NaN)."""
    x, info = _solve(A, B, left)
    if check_errors and info.any():
        raise batch_error("torch.linalg.solve_ex", info, A.ndim, _singular_system)
    return SolveExResult(x, Tensor._wrap(info))


# ----- inverses -----------------------------------------------------------------------------------


def _inv(A: Tensor) -> tuple[Tensor, np.ndarray]:  # noqa: N803
    check_square(A, "linalg.inv")
    check_float(A, "linalg.inv", low_precision=True)
    inverse, info = _guarded(np.linalg.inv, A._array)
    return Tensor._make(inverse, (A,), lambda g: (-(mT(inverse) @ g @ mT(inverse)),), "LinalgInvEx"), info


def inv_ex(A: Tensor, *, check_errors: bool = False):  # noqa: N803
    """`torch.linalg.inv_ex`: (inverse, info), info the first zero pivot of A's LU (the inverse there is NaN)."""
    inverse, info = _inv(A)
    if check_errors and info.any():
        raise batch_error("linalg.inv_ex", info, A.ndim, singular_message)
    return InvExResult(inverse, Tensor._wrap(info))


def inv(A: Tensor) -> Tensor:  # noqa: N803
    """`torch.linalg.inv`; a singular matrix raises LinAlgError naming the zero pivot; backward -A^{-T} g A^{-T}."""
    inverse, info = _inv(A)
    if info.any():
        raise batch_error("linalg.inv", info, A.ndim, singular_message)
    return inverse


def inverse(input: Tensor) -> Tensor:  # noqa: A002
    """`torch.inverse` / `Tensor.inverse`: `torch.linalg.inv`."""
    return inv(input)


# ----- determinants -------------------------------------------------------------------------------


def _cofactors(a: np.ndarray) -> np.ndarray:
    """The cofactor matrix (det(A) A^{-T}, defined for singular A too), from the SVD as PyTorch computes it."""
    u, s, vh = np.linalg.svd(a)
    before = np.cumprod(np.concatenate([np.ones_like(s[..., :1]), s[..., :-1]], -1), -1)
    after = np.flip(np.cumprod(np.concatenate([np.ones_like(s[..., :1]), np.flip(s[..., 1:], -1)], -1), -1), -1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * ((u * (before * after)[..., None, :]) @ vh)


def _det(A: Tensor) -> Tensor:  # noqa: N803
    check_square(A, "linalg.det")
    check_float(A, "linalg.det")
    not_implemented_for(A, "lu_cpu")
    a = A._array
    with np.errstate(invalid="ignore"):  # NaN inputs give NaN, silently as in PyTorch
        d = np.asarray(np.linalg.det(a), a.dtype)

    def backward(g: np.ndarray):
        scale = (g * d)[..., None, None]
        singular = (d == 0)[..., None, None]
        return (np.where(singular, 0, scale * mT(np.linalg.inv(np.where(singular, eye_like(a), a)))),)

    return Tensor._make(d, (A,), backward, "LinalgDet")


def linalg_det(A: Tensor) -> Tensor:  # noqa: N803
    """`torch.linalg.det`; backward det * A^{-T} (zero at singular matrices, as PyTorch's first-order rule)."""
    return _det(A)


def det(input: Tensor) -> Tensor:  # noqa: A002
    """`torch.det` / `Tensor.det`."""
    return _det(input)


def _slogdet(A: Tensor, fn: str, result: type):  # noqa: N803
    check_square(A, fn)
    check_float(A, fn, low_precision=True)
    a = A._array
    with np.errstate(invalid="ignore"):
        sign, logabs = (np.asarray(v, a.dtype) for v in np.linalg.slogdet(a))

    def backward(g: np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                inv_t = mT(np.linalg.inv(a))
            except np.linalg.LinAlgError:  # infinite where A is singular, as PyTorch's LU solve gives
                inv_t = _cofactors(a) / np.linalg.det(a)[..., None, None]
        return (g[..., None, None] * inv_t,)

    logabs_node = Tensor._make(logabs, (A,), backward, "LinalgSlogdet")
    logabs_node._ctx = True  # for `higher_order`: the differentiable output (the sign has none)
    return result(Tensor._make(sign, (A,), lambda g: (None,), "LinalgSlogdet"), logabs_node)


def linalg_slogdet(A: Tensor):  # noqa: N803
    """`torch.linalg.slogdet`: (sign, logabsdet); logabsdet's gradient is A^{-T}, the sign's is zero."""
    return _slogdet(A, "linalg.slogdet", LinalgSlogdetResult)


def slogdet(input: Tensor):  # noqa: A002
    """`torch.slogdet` / `Tensor.slogdet`: `torch.return_types.slogdet(sign, logabsdet)`."""
    return _slogdet(input, "linalg.slogdet", SlogdetResult)


def logdet(input: Tensor) -> Tensor:  # noqa: A002
    """`torch.logdet`: log det, NaN for a negative determinant (PyTorch's where(sign == -1, nan, logabsdet))."""
    sign, logabs = _slogdet(input, "logdet", SlogdetResult)
    return ops.where(Tensor._wrap(sign._array == -1), float("nan"), logabs)


# ----- triangular systems -------------------------------------------------------------------------


def _promoted(A: Tensor, B: Tensor, kernel: str) -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
    for t in (A, B):
        not_implemented_for(t, kernel)
    dtype = np.result_type(A._array, B._array)
    return A._array.astype(dtype, copy=False), B._array.astype(dtype, copy=False)


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,  # noqa: N803
                     unitriangular: bool = False) -> Tensor:
    """`torch.linalg.solve_triangular`: X with AX = B (XA = B) reading A's upper or lower triangle (a unit diagonal
    if `unitriangular`); backward gB = A^{-T} gX and gA = -gB X^T, kept to the triangle A is read from."""
    fn = "linalg.solve_triangular"
    for t, name in ((A, "A"), (B, "B")):
        if t.ndim < 2:
            raise RuntimeError(f"{fn}: The input tensor {name} must have at least 2 dimensions.")
    check_square(A, fn)
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
                           f"({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    a, b = _promoted(A, B, "triangular_solve_cpu")
    x = triangular_solve(a, b, upper, left, unitriangular)

    def backward(g: np.ndarray):
        gb = triangular_solve(mT(a), g, not upper, left, unitriangular)
        ga = None
        if A.requires_grad:
            ga = -(gb @ mT(x)) if left else -(mT(x) @ gb)
            ga = np.triu(ga, int(unitriangular)) if upper else np.tril(ga, -int(unitriangular))
            ga = unbroadcast(ga, a.shape).astype(A._array.dtype, copy=False)
        return ga, unbroadcast(gb, b.shape).astype(B._array.dtype, copy=False) if B.requires_grad else None

    return Tensor._make(x, (A, B), backward, "LinalgSolveTriangular")


def _factor_solve(f: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """(F F^T)^{-1} B for a lower factor F, (F^T F)^{-1} B for an upper one."""
    first = triangular_solve(mT(f) if upper else f, b, upper=False)
    return triangular_solve(f if upper else mT(f), first, upper=True)


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:  # noqa: A002
    """`torch.cholesky_solve(B, L)`: X with (L L^T) X = B, or (U^T U) X = B if `upper`; batches broadcast."""
    for t, name in ((input, "b"), (input2, "u")):
        if t.ndim < 2:
            raise RuntimeError(f"{name} should have at least 2 dimensions, but has {t.ndim} dimensions instead")
    same_dtype(input, input2, "Expected b and A to have the same dtype, but found b of type {} and A of type {} "
                              "instead.")
    check_square(input2, "cholesky_solve", prefix="")
    n = input2.shape[-1]
    if input.shape[-2] != n:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {n} by {n} but each b "
                           f"matrix is {input.shape[-2]} by {input.shape[-1]}")
    not_implemented_for(input, "cholesky_solve_cpu")
    b, f = input._array, input2._array
    x = _factor_solve(f, b, upper)

    def backward(g: np.ndarray):
        gb = _factor_solve(f, g, upper)
        gf = None
        if input2.requires_grad:
            common = gb @ mT(x)
            common = common + mT(common)
            gf = unbroadcast(-(f @ common) if upper else -(common @ f), f.shape)
        return unbroadcast(gb, b.shape) if input.requires_grad else None, gf

    return Tensor._make(x, (input, input2), backward, "CholeskySolve")


def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:  # noqa: A002
    """`torch.cholesky_inverse(L)`: (L L^T)^{-1} (or (U^T U)^{-1}); a zero on L's diagonal raises LinAlgError."""
    fn = "cholesky_inverse"
    check_square(input, fn)
    not_implemented_for(input, "cholesky_inverse_out_cpu")
    f = input._array
    zero = np.diagonal(f, 0, -2, -1) == 0
    if zero.any():
        raise batch_error(fn, np.where(zero.any(-1), np.argmax(zero, -1) + 1, 0), f.ndim, singular_message)
    inv_f = triangular_solve(f, eye_like(f), upper)
    out = inv_f @ mT(inv_f) if upper else mT(inv_f) @ inv_f

    def backward(g: np.ndarray):
        common = out @ (g + mT(g)) @ out
        return (-(f @ common) if upper else -(common @ f),)

    return Tensor._make(out, (input,), backward, "CholeskyInverse")


LINALG = {"solve": solve, "solve_ex": solve_ex, "inv": inv, "inv_ex": inv_ex, "det": linalg_det,
          "slogdet": linalg_slogdet, "solve_triangular": solve_triangular}

# ----- Tensor methods --------------------------------------------------------------------------

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
