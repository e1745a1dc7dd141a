"""Matrix factorizations and what is built on them: `torch.linalg.cholesky`, `cholesky_ex`, `qr`, `eigh`,
`eigvalsh`, `svd`, `lstsq`, `pinv` and `matrix_rank`, and the top-level `torch.cholesky` and `torch.pinverse`
(with their Tensor methods).

Backward rules are PyTorch's (torch/csrc/autograd/FunctionsManual.cpp): cholesky_backward (a symmetric gradient),
linalg_qr_backward, linalg_eig_backward for Hermitian input, svd_backward, pinv_backward and
linalg_lstsq_backward. A factorization with several differentiable outputs records one node per output; each passes
its own gradient through the (linear) rule, and their sum is the rule applied to all of them.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._linalg_common import (
    batch_error,
    broadcast_batch,
    check_float,
    check_matrix,
    check_square,
    cholesky_info,
    expand_batch,
    eye_like,
    mT,
    not_implemented_for,
    not_positive_definite_message,
    result_type,
    triangular_solve,
)
from .dtypes import scalar_type_name
from .tensor import Tensor, unbroadcast

__all__ = ["cholesky", "pinverse"]

CholeskyExResult = result_type("linalg_cholesky_ex", "L info")
QrResult = result_type("linalg_qr", "Q R")
EighResult = result_type("linalg_eigh", "eigenvalues eigenvectors")
SvdResult = result_type("linalg_svd", "U S Vh")
LstsqResult = result_type("linalg_lstsq", "solution residuals rank singular_values")


# ----- Cholesky -----------------------------------------------------------------------------------


def _symmetric(a: np.ndarray, upper: bool) -> np.ndarray:
    """The symmetric matrix A's lower (or upper) triangle stands for."""
    return np.tril(a) + mT(np.tril(a, -1)) if not upper else np.triu(a) + mT(np.triu(a, 1))


def _cholesky_backward(g: np.ndarray, low: np.ndarray) -> np.ndarray:
    """PyTorch's cholesky_backward (Murray 2016) for the lower factor: sym(L^{-T} Phi(L^T gL) L^{-1})."""
    phi = np.tril(mT(low) @ g)
    phi = phi - 0.5 * np.diagonal(phi, 0, -2, -1)[..., None] * eye_like(phi)
    inv = triangular_solve(low, eye_like(low), upper=False)
    ga = mT(inv) @ phi @ inv
    return 0.5 * (ga + mT(ga))


def _factor(A: Tensor, upper: bool, op: str) -> tuple[Tensor, np.ndarray]:  # noqa: N803
    """(L, or U = L^T if `upper`; the batch's potrf info), reading A's lower (or upper) triangle."""
    sym = _symmetric(A._array, upper)
    try:
        low, info = np.linalg.cholesky(sym), np.zeros(sym.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        low, info = cholesky_info(sym)

    def backward(g: np.ndarray):
        return (_cholesky_backward(mT(g) if upper else g, low),)

    res = Tensor._make(np.ascontiguousarray(mT(low)) if upper else low, (A,), backward, op)
    res._ctx = upper  # for `higher_order`
    return res, info


def _checked_factor(A: Tensor, upper: bool) -> tuple[Tensor, np.ndarray]:  # noqa: N803
    check_square(A, "linalg.cholesky")
    check_float(A, "linalg.cholesky")
    not_implemented_for(A, "cholesky_cpu")
    return _factor(A, upper, "LinalgCholeskyEx")


def linalg_cholesky(A: Tensor, *, upper: bool = False) -> Tensor:  # noqa: N803
    """`torch.linalg.cholesky`: L with L L^T = A (U with U^T U = A if `upper`, reading A's upper triangle)."""
    factor, info = _checked_factor(A, upper)
    if info.any():
        raise batch_error("linalg.cholesky", info, A.ndim, not_positive_definite_message)
    return factor


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False):  # noqa: N803
    """`torch.linalg.cholesky_ex`: (L, info), info the order of the first leading minor that is not
    positive-definite (L holds the columns factored before it)."""
    factor, info = _checked_factor(A, upper)
    if check_errors and info.any():
        raise batch_error("linalg.cholesky_ex", info, A.ndim, not_positive_definite_message)
    return CholeskyExResult(factor, Tensor._wrap(info))


_DEPRECATED_CHOLESKY = [
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
    "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\nU = "
    "torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will "
    "produce equivalent results for all valid (symmetric positive definite) inputs."]


def cholesky(input: Tensor, upper: bool = False) -> Tensor:  # noqa: A002
    """`torch.cholesky` (deprecated; warns once, as PyTorch): `torch.linalg.cholesky` with `upper` positional."""
    if _DEPRECATED_CHOLESKY:
        warnings.warn(_DEPRECATED_CHOLESKY.pop(), UserWarning, stacklevel=2)
    check_square(input, "cholesky")
    not_implemented_for(input, "cholesky_cpu")
    factor, info = _factor(input, upper, "Cholesky")
    if info.any():
        raise batch_error("cholesky", info, input.ndim, not_positive_definite_message)
    return factor


# ----- QR -----------------------------------------------------------------------------------------

_QR_MODES = ("reduced", "complete", "r")


def _qr_backward(gq: np.ndarray | None, gr: np.ndarray | None, q: np.ndarray, r: np.ndarray,
                 mode: str) -> np.ndarray:
    """PyTorch's linalg_qr_backward for real input."""
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please "
                           "use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")
    m, n = q.shape[-2], r.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    big_m = (gr @ mT(r) if gr is not None else 0) - (mT(q) @ gq if gq is not None else 0)
    if m >= n:
        tri = np.triu(big_m)
        sym = tri + mT(tri) - np.diagonal(tri, 0, -2, -1)[..., None] * eye_like(tri)
        ga = q @ sym + (gq if gq is not None else 0)
        return triangular_solve(mT(r), ga, upper=False, left=False)
    skew = np.tril(-big_m - mT(-big_m))
    ga = triangular_solve(mT(r[..., :m]), q @ skew, upper=False, left=False)
    ga = np.concatenate([ga, np.zeros(ga.shape[:-1] + (n - m,), ga.dtype)], -1)
    return ga + (q @ gr if gr is not None else 0)


def qr(A: Tensor, mode: str = "reduced"):  # noqa: N803
    """`torch.linalg.qr`: (Q, R), reduced, complete, or R alone with an empty Q (mode 'r')."""
    check_matrix(A, "linalg.qr")
    check_float(A, "linalg.qr")
    not_implemented_for(A, "geqrf_cpu")
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or "
                           "'complete'")
    a = A._array
    if mode == "r":
        r, q = np.linalg.qr(a, mode="r"), np.empty((0,), a.dtype)
    else:
        q, r = np.linalg.qr(a, mode=mode)
    return QrResult(Tensor._make(q, (A,), lambda g: (_qr_backward(g, None, q, r, mode),), "LinalgQr"),
                    Tensor._make(r, (A,), lambda g: (_qr_backward(None, g, q, r, mode),), "LinalgQr"))


# ----- symmetric eigendecomposition ---------------------------------------------------------------


def _uplo(UPLO: str) -> str:  # noqa: N803
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO.upper()


def _eigh_checked(A: Tensor, UPLO: str) -> str:  # noqa: N803
    check_square(A, "linalg.eigh")
    uplo = _uplo(UPLO)
    not_implemented_for(A, "linalg_eigh_cpu")
    return uplo


def _eigenvalues_backward(g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """V diag(gL) V^T."""
    return (v * g[..., None, :]) @ mT(v)


def _eigenvectors_backward(g: np.ndarray, w: np.ndarray, v: np.ndarray) -> np.ndarray:
    """V (skew(V^T gV) / E) V^T, E_ij = L_j - L_i (ones on the diagonal)."""
    vg = mT(v) @ g
    skew = 0.5 * (vg - mT(vg))
    gaps = w[..., None, :] - w[..., :, None] + eye_like(vg)
    return v @ (skew / gaps) @ mT(v)


def eigh(A: Tensor, UPLO: str = "L"):  # noqa: N803
    """`torch.linalg.eigh`: ascending eigenvalues and orthonormal eigenvectors of the symmetric matrix A's lower (or
    upper) triangle stands for; the gradient is PyTorch's (a loss of the eigenvectors should not depend on their
    signs)."""
    w, v = np.linalg.eigh(A._array, UPLO=_eigh_checked(A, UPLO))
    return EighResult(Tensor._make(w, (A,), lambda g: (_eigenvalues_backward(g, v),), "LinalgEigh"),
                      Tensor._make(v, (A,), lambda g: (_eigenvectors_backward(g, w, v),), "LinalgEigh"))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:  # noqa: N803
    """`torch.linalg.eigvalsh`: the eigenvalues of `eigh`, with its gradient V diag(g) V^T."""
    uplo = _eigh_checked(A, UPLO)
    if not A.requires_grad:
        return Tensor._wrap(np.linalg.eigvalsh(A._array, UPLO=uplo))
    return eigh(A, uplo).eigenvalues


# ----- SVD ----------------------------------------------------------------------------------------


def _svd_backward(gu: np.ndarray | None, gs: np.ndarray | None, gvh: np.ndarray | None, u: np.ndarray,
                  s: np.ndarray, vh: np.ndarray) -> np.ndarray:
    """PyTorch's svd_backward for real input and reduced factors (U m x k, Vh k x n)."""
    m, n = u.shape[-2], vh.shape[-1]
    if gu is None and gvh is None:
        return (u * gs[..., None, :]) @ vh
    s2 = s * s
    gaps = s2[..., None, :] - s2[..., :, None] + eye_like(u, s.shape[-1])
    inner = 0
    if gu is not None:
        uhgu = mT(u) @ gu
        inner = inner + (uhgu - mT(uhgu)) / gaps * s[..., None, :]
    if gvh is not None:
        vhgv = vh @ mT(gvh)
        inner = inner + s[..., :, None] * ((vhgv - mT(vhgv)) / gaps)
    if gs is not None:
        inner = inner + gs[..., None] * eye_like(u, s.shape[-1])
    if m > n and gu is not None:
        gus = gu / s[..., None, :]
        return (u @ inner + gus - u @ (mT(u) @ gus)) @ vh
    if m < n and gvh is not None:
        sgvh = gvh / s[..., :, None]
        return u @ (inner @ vh + sgvh - (sgvh @ mT(vh)) @ vh)
    return u @ inner @ vh


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None):  # noqa: N803
    """`torch.linalg.svd`: (U, S, Vh), S descending; with full_matrices only the first min(m, n) singular vectors
    carry gradient, as in PyTorch."""
    check_matrix(A, "linalg.svd")
    check_float(A, "linalg.svd")
    not_implemented_for(A, "linalg_svd_cpu")
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
                           "cuSOLVER backend.")
    u, s, vh = np.linalg.svd(A._array, full_matrices=full_matrices)
    k = s.shape[-1]
    uk, vhk = u[..., :k], vh[..., :k, :]

    def u_backward(g: np.ndarray):
        return (_svd_backward(g[..., :k], None, None, uk, s, vhk),)

    def vh_backward(g: np.ndarray):
        return (_svd_backward(None, None, g[..., :k, :], uk, s, vhk),)

    return SvdResult(Tensor._make(u, (A,), u_backward, "LinalgSvd"),
                     Tensor._make(s, (A,), lambda g: (_svd_backward(None, g, None, uk, s, vhk),), "LinalgSvd"),
                     Tensor._make(vh, (A,), vh_backward, "LinalgSvd"))


# ----- pseudo-inverse, rank, least squares --------------------------------------------------------


def _tolerances(a: np.ndarray, atol: Any, rtol: Any) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's get_atol_rtol: atol 0 by default; rtol eps * max(m, n) unless a positive atol is given."""
    def value(t: Any) -> np.ndarray:
        return np.asarray(t._array if isinstance(t, Tensor) else t, np.float64)

    atol_v = np.zeros(()) if atol is None else value(atol)
    if rtol is not None:
        return atol_v, value(rtol)
    default = np.asarray(np.finfo(a.dtype).eps * max(a.shape[-2:]), np.float64)
    return atol_v, (default if atol is None else np.where(atol_v > 0, 0.0, default))


def _kept(s: np.ndarray, largest: np.ndarray, atol: np.ndarray, rtol: np.ndarray) -> np.ndarray:
    """Where the singular values exceed max(atol, rtol * largest), batch-wise."""
    return s > np.maximum(atol[..., None], rtol[..., None] * largest)


def _pinv_forward(a: np.ndarray, atol: Any, rtol: Any, hermitian: bool) -> np.ndarray:
    atol_v, rtol_v = _tolerances(a, atol, rtol)
    if a.size == 0:
        return np.zeros(a.shape[:-2] + a.shape[-1:] + a.shape[-2:-1], a.dtype)
    if hermitian:
        w, v = np.linalg.eigh(a)
        size = np.abs(w)
        keep = _kept(size, np.max(size, -1, keepdims=True), atol_v, rtol_v)
        with np.errstate(divide="ignore"):
            return (v * np.where(keep, 1 / w, 0).astype(a.dtype)[..., None, :]) @ mT(v)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    keep = _kept(s, s[..., :1], atol_v, rtol_v)
    with np.errstate(divide="ignore"):
        return (mT(vh) * np.where(keep, 1 / s, 0).astype(a.dtype)[..., None, :]) @ mT(u)


def _pinv_backward(g: np.ndarray, p: np.ndarray, a: np.ndarray) -> np.ndarray:
    """PyTorch's pinv_backward, P = pinv(A): -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A), grouped to
    multiply the smallest matrices."""
    m, n = a.shape[-2:]
    gh = mT(g)
    if m <= n:
        k = gh @ p
        kph = k @ mT(p)
        return -mT(p @ k) + kph - (a @ p) @ kph + (mT(p) @ p) @ (gh - k @ a)
    k = p @ gh
    phk = mT(p) @ k
    return -mT(k @ p) + (gh - a @ k) @ p @ mT(p) + phk - phk @ p @ a


def _pinv_input(A: Tensor) -> None:  # noqa: N803
    dtype = A._array.dtype
    if A.ndim < 2 or dtype.kind != "f" or dtype.itemsize < 4:
        raise RuntimeError(f"linalg.pinv({scalar_type_name(dtype)}{{{list(A.shape)}}}): expected a tensor with 2 or "
                           "more dimensions of float, double, cfloat or cdouble types")


def pinv(A: Tensor, rcond: Any = None, hermitian: bool = False, *, atol: Any = None,  # noqa: N803
         rtol: Any = None) -> Tensor:
    """`torch.linalg.pinv`: the pseudo-inverse from the SVD (or eigh if `hermitian`), dropping singular values at
    or below max(atol, rtol * largest); the legacy `rcond` is an rtol with atol 0."""
    _pinv_input(A)
    if rcond is not None:
        atol, rtol = 0.0, rcond
    a = A._array
    p = _pinv_forward(a, atol, rtol, hermitian)
    return Tensor._make(p, (A,), lambda g: (_pinv_backward(g, p, a),), "LinalgPinv")


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:  # noqa: A002
    """`torch.pinverse` / `Tensor.pinverse`: `torch.linalg.pinv` with rtol `rcond`."""
    return pinv(input, rcond)


def _float_or_double(t: Tensor) -> None:
    dtype = t._array.dtype
    if dtype.kind != "f" or dtype.itemsize < 4:
        raise RuntimeError("This function doesn't handle types other than float and double")


def matrix_rank(A: Tensor, tol: Any = None, hermitian: bool = False, *, atol: Any = None,  # noqa: N803
                rtol: Any = None) -> Tensor:
    """`torch.linalg.matrix_rank`: the number of singular values above max(atol, rtol * largest) (int64); the
    legacy `tol` is an atol with rtol 0."""
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    _float_or_double(A)
    if tol is not None:
        atol, rtol = tol, 0.0
    a = A._array
    atol_v, rtol_v = _tolerances(a, atol, rtol)
    if a.size == 0:
        return Tensor._wrap(np.zeros(a.shape[:-2], np.int64))
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    keep = _kept(s, np.max(s, -1, keepdims=True), atol_v, rtol_v)
    return Tensor._wrap(np.sum(keep, -1).astype(np.int64))


_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_checks(A: Tensor, B: Tensor, driver: str) -> bool:  # noqa: N803
    """PyTorch's argument checks; whether B is a (batch of) vector(s)."""
    fn = "torch.linalg.lstsq"
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: input must have at least 2 dimensions.")
    if B.ndim < 1:
        raise RuntimeError(f"{fn}: other must have at least 1 dimension.")
    if A._array.dtype != B._array.dtype:
        raise RuntimeError(f"{fn}: Expected input and other to have the same dtype, but got input's dtype "
                           f"{scalar_type_name(A._array.dtype)} and other's dtype {scalar_type_name(B._array.dtype)}")
    _float_or_double(A)
    if not 0 <= A.ndim - B.ndim <= 1:
        raise RuntimeError(f"{fn}: input.dim() must be greater or equal to other.dim() and (input.dim() - "
                           "other.dim()) <= 1")
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError(f"{fn}: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    vector = A.ndim - B.ndim == 1
    broadcast_batch(A.shape[:-2], B.shape[:-1] if vector else B.shape[:-2])
    if A.shape[-2] != B.shape[-1 if vector else -2]:
        raise RuntimeError(f"{fn}: input.size(-2) should match other.size({-1 if vector else -2})")
    return vector


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None):  # noqa: N803
    """`torch.linalg.lstsq`: (solution, residuals, rank, singular_values), the minimum-norm least-squares solution
    (A's rank set by rcond, eps * max(m, n) by default). As on PyTorch's CPU, the default driver is gelsy: rank
    only; gelsd and gelss also give the singular values; residuals come with gels, gelsd and gelss when m > n and
    every A has full rank."""
    driver = "gelsy" if driver is None else driver
    vector = _lstsq_checks(A, B, driver)
    m, n = A.shape[-2:]
    b = B._array[..., None] if vector else B._array
    batch = broadcast_batch(A.shape[:-2], b.shape[:-2])
    a, b = expand_batch(A._array, batch), expand_batch(b, batch)
    eps = np.finfo(a.dtype).eps
    cut = eps * max(m, n) if rcond is None else eps if rcond < 0 else rcond  # LAPACK: rcond < 0 means eps
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    keep = s > cut * s[..., :1] if s.shape[-1] else s > 0
    with np.errstate(divide="ignore"):
        x = (mT(vh) * np.where(keep, 1 / s, 0).astype(a.dtype)[..., None, :]) @ (mT(u) @ b)
    rank = np.sum(keep, -1).astype(np.int64)
    full_rank = m > n and driver != "gelsy" and (driver == "gels" or bool(np.all(rank == n)))
    resid = np.sum((a @ x - b) ** 2, -2) if full_rank else np.empty((0,), a.dtype)
    pinv_a = _pinv_forward(A._array, None, None, False) if A.requires_grad or B.requires_grad else None

    def solution_backward(g: np.ndarray):
        gx = g[..., None] if vector else g
        ga = unbroadcast(_pinv_backward(gx @ mT(b), pinv_a, A._array), A._array.shape) if A.requires_grad else None
        gb = mT(pinv_a) @ gx
        return ga, unbroadcast(gb[..., 0] if vector else gb, B._array.shape) if B.requires_grad else None

    def residuals_backward(g: np.ndarray):
        r = a @ x - b
        gl = g[..., None, :]
        ga = unbroadcast(2 * (gl * r) @ mT(x), A._array.shape) if A.requires_grad else None
        gb = -2 * gl * r
        return ga, unbroadcast(gb[..., 0] if vector else gb, B._array.shape) if B.requires_grad else None

    solution = Tensor._make(np.ascontiguousarray(x[..., 0] if vector else x), (A, B), solution_backward,
                            "LinalgLstsq")
    residuals = Tensor._make(resid, (A, B), residuals_backward, "LinalgLstsq") if resid.size else Tensor._wrap(resid)
    return LstsqResult(solution, residuals,
                       Tensor._wrap(rank if driver != "gels" else np.empty((0,), np.int64)),
                       Tensor._wrap(s if driver in ("gelsd", "gelss") else np.empty((0,), a.dtype)))


LINALG = {"cholesky": linalg_cholesky, "cholesky_ex": cholesky_ex, "qr": qr, "eigh": eigh, "eigvalsh": eigvalsh,
          "svd": svd, "pinv": pinv, "matrix_rank": matrix_rank, "lstsq": lstsq}

# ----- Tensor methods --------------------------------------------------------------------------

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
