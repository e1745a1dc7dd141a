"""`torch.nn.utils.parametrizations`: weight normalization, spectral normalization and orthogonal matrices
registered as parametrizations (`parametrize.register_parametrization`), the forms PyTorch recommends over the
legacy hooks.

`weight_norm` keeps g as `parametrizations.weight.original0` and v as `original1`; `spectral_norm` keeps the weight
as `parametrizations.weight.original` and the power iteration's vectors as the buffers `_u` and `_v` of
`parametrizations.weight[0]`; `orthogonal` maps the original through the matrix exponential, the Cayley map or
Householder reflectors (with `use_trivialization`, times the orthogonal buffer `base` of `parametrizations.weight[0]`).
"""

from __future__ import annotations

from enum import Enum, auto

import numpy as np

from ...autograd import linalg, ops
from ...autograd.creation import eye, randn
from ...autograd.grad_mode import no_grad
from ...autograd.more_ops import dot, mv
from ...autograd.tensor import Tensor
from ..module import Module
from . import parametrize
from .spectral_norm import as_matrix, check_power_iterations, output_dim, random_unit, unit
from .weight_norm import _weight_norm, norm_except_dim

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


class _WeightNorm(Module):
    """w = g * v / ||v||, with one norm per slice along `dim` (the whole tensor for None or -1)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple[Tensor, Tensor]:
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Parametrize `module.<name>` as g * v / ||v|| (Salimans and Kingma, 2016), g = original0, v = original1."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


def _tensor_named(module: Module, name: str) -> Tensor:
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    return weight


class _SpectralNorm(Module):
    """W / sigma(W), sigma = u^T W v from a power iteration on the buffers `_u` and `_v`, stepped
    `n_power_iterations` times on each access in training mode (a 1-d weight is divided by its norm)."""

    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        check_power_iterations(n_power_iterations)
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            matrix = as_matrix(weight, self.dim)
            height, width = matrix.shape
            with no_grad():
                self.register_buffer("_u", random_unit(height, matrix, self.eps))
                self.register_buffer("_v", random_unit(width, matrix, self.eps))
            self._power_method(matrix, 15)  # start from a fair estimate

    def _power_method(self, matrix: Tensor, n_power_iterations: int) -> None:
        """Step u and v in place (u first), outside the graph."""
        with no_grad():
            for _ in range(n_power_iterations):
                self._u.copy_(unit(mv(matrix, self._v), self.eps))
                self._v.copy_(unit(mv(matrix.t(), self._u), self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return unit(weight, self.eps)
        matrix = as_matrix(weight, self.dim)
        if self.training:
            self._power_method(matrix, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()  # a later step may not change what this graph saved
        return weight / dot(u, mv(matrix, v))

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    """Parametrize `module.<name>` as W / sigma(W) (Miyato et al., 2018), sigma estimated by power iteration."""
    weight = _tensor_named(module, name)
    dim = output_dim(module, dim)
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


# ----- orthogonal ----------------------------------------------------------------------------------------------


def _is_orthogonal(q: np.ndarray) -> bool:
    n, k = q.shape[-2:]
    return bool(np.allclose(np.swapaxes(q, -1, -2) @ q, np.eye(k), rtol=1e-5, atol=10.0 * n * np.finfo(q.dtype).eps))


def _make_orthogonal(a: np.ndarray) -> np.ndarray:
    """The Q of A = QR (A tall) with diag(R) >= 0."""
    q, r = np.linalg.qr(a)
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _Orthogonal(Module):
    """An orthogonal matrix (orthonormal columns, or rows for a wide one) of each matrix of the last two dims."""

    base: Tensor

    def __init__(self, weight: Tensor, orthogonal_map: _OrthMaps, *, use_trivialization: bool = True) -> None:
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:  # noqa: N803 - PyTorch's name
        n, k = X.shape[-2:]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n  # noqa: N806
        if self.orthogonal_map == _OrthMaps.householder:
            a = X.tril(-1)
            q = linalg.householder_product(a, 2.0 / (1.0 + (a * a).sum(dim=-2)))
            q = q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)  # the diagonal holds signs, not parameters
        else:
            q = self._skew_map(X.tril(), n, k)
        if hasattr(self, "base"):
            q = self.base @ q
        return q.mT if transposed else q

    def _skew_map(self, x: Tensor, n: int, k: int) -> Tensor:
        """exp or the Cayley map (I + A/2)(I - A/2)^-1 of the skew-symmetric A = X - X^T (X padded to n by n)."""
        if n != k:
            x = ops.cat([x, x.new_zeros(n, n - k).expand(*x.shape[:-2], -1, -1)], dim=-1)
        a = x - x.mT
        if self.orthogonal_map == _OrthMaps.matrix_exp:
            q = linalg.matrix_exp(a)
        else:
            ident = eye(n, dtype=a.dtype)
            q = linalg.solve(ident - a * 0.5, ident + a * 0.5)
        return q[..., :k] if n != k else q

    def right_inverse(self, Q: Tensor) -> Tensor:  # noqa: N803
        """An original whose image is Q (made orthogonal first if it is not); with trivialization, Q goes to `base`."""
        if Q.shape != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        with no_grad():
            q = Q._array
            transposed = q.shape[-2] < q.shape[-1]
            if transposed:
                q = np.swapaxes(q, -1, -2)
            if not hasattr(self, "base"):
                out = self._householder_original(q)
            else:
                self.base = Tensor._wrap(self._orthogonal_base(q))
                out = np.zeros(q.shape, q.dtype)
                out[..., range(q.shape[-1]), range(q.shape[-1])] = -1.0  # householder(0) = I: so is the base's image
            return Tensor._wrap(np.swapaxes(out, -1, -2).copy() if transposed else out)

    def _householder_original(self, q: np.ndarray) -> np.ndarray:
        if self.orthogonal_map != _OrthMaps.householder:
            raise NotImplementedError("It is not possible to assign to the matrix exponential or the Cayley "
                                      "parametrizations when use_trivialization=False.")
        reflectors, tau = np.linalg.qr(q, mode="raw")
        out = np.swapaxes(reflectors, -1, -2).copy()
        diag = np.sign(np.diagonal(out, axis1=-2, axis2=-1)) * np.where(tau == 0.0, -1.0, 1.0)
        k = q.shape[-1]
        out[..., range(k), range(k)] = diag
        return out

    def _orthogonal_base(self, q: np.ndarray) -> np.ndarray:
        """q itself if it is square and orthogonal, else the orthogonal factor of q completed with N(0, 1) columns."""
        n, k = q.shape[-2:]
        if n == k:
            return q.copy() if _is_orthogonal(q) else _make_orthogonal(q)
        extra = randn(*q.shape[:-2], n, n - k, dtype=Tensor._wrap(q).dtype)._array
        return _make_orthogonal(np.concatenate([q, extra], axis=-1))


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    """Parametrize the matrix (or batch of matrices) `module.<name>` as orthogonal: its columns orthonormal, or its
    rows when it is wide. `orthogonal_map`: "matrix_exp" (the default for square), "cayley" or "householder"."""
    weight = _tensor_named(module, name)
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    kind = getattr(_OrthMaps, orthogonal_map, None)
    if kind is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    parametrize.register_parametrization(module, name, _Orthogonal(weight, kind, use_trivialization=use_trivialization),
                                         unsafe=True)
    return module
