"""Matrix functions and products: `torch.linalg.matrix_power`, `matrix_exp`, `vecdot`, `multi_dot`, `vander`,
`cross`, `diagonal` and `matmul`, and the top-level `torch.matrix_power` and `torch.matrix_exp` (with their Tensor
methods).

matrix_exp is Higham's scaling and squaring with the [13/13] Padé approximant, its backward PyTorch's: the
exponential of the block matrix [[A^T, G], [0, A^T]], whose upper-right block is the gradient. The others are
composites of differentiable ops, built in PyTorch's order (matrix_power's binary powering, multi_dot's cheapest
parenthesization, vander's cumulative product), so their nodes and gradients are PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import ops
from ._linalg_common import check_float, check_square, mT, same_dtype
from .combining import cross
from .diagonals import diagonal
from .dtypes import scalar_type_name
from .linalg_solve import inv
from .more_ops import cumprod
from .tensor import Tensor

__all__ = ["matrix_power", "matrix_exp"]


# ----- powers -------------------------------------------------------------------------------------


def _power(A: Tensor, n: Any, fn: str) -> Tensor:  # noqa: N803
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"{fn}(): argument 'n' (position 2) must be int, not {type(n).__name__}")
    check_square(A, "linalg.matrix_power")
    n = int(n)
    if n == 0:
        eye = np.broadcast_to(np.eye(A.shape[-1], dtype=A._array.dtype), A._array.shape).copy()
        return Tensor._make(eye, (A,), lambda g: (np.zeros_like(g),), "CopyBackwards")
    if n == 1:
        return ops.clone(A)
    if n < 0:
        A, n = inv(A), -n  # noqa: N806
        if n == 1:
            return A
    result, z = None, None
    while n:  # binary powering, from the lowest bit up
        n, bit = divmod(n, 2)
        z = A if z is None else ops.matmul(z, z)
        if bit:
            result = z if result is None else ops.matmul(result, z)
    return result


def linalg_matrix_power(A: Tensor, n: int) -> Tensor:  # noqa: N803
    """`torch.linalg.matrix_power`: A^n for an integer n (n < 0 powers the inverse; n = 0 gives the identity)."""
    return _power(A, n, "linalg_matrix_power")


def matrix_power(input: Tensor, n: int) -> Tensor:  # noqa: A002
    """`torch.matrix_power` / `Tensor.matrix_power`."""
    return _power(input, n, "matrix_power")


# ----- exponential --------------------------------------------------------------------------------

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
           10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152  # the largest 1-norm the [13/13] approximant handles to double precision


def _expm(a: np.ndarray) -> np.ndarray:
    """e^A of each matrix of a batch (float64): scale by 2^-s to 1-norm <= theta_13, Padé [13/13], square s times."""
    norm = np.max(np.sum(np.abs(a), axis=-2), axis=-1) if a.size else np.zeros(a.shape[:-2])
    s = np.maximum(0, np.ceil(np.log2(np.maximum(norm, 1e-300) / _THETA13))).astype(int)
    x = a / (2.0 ** s)[..., None, None]
    b = _PADE13
    eye = np.eye(a.shape[-1])
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * eye)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for k in range(int(s.max(initial=0))):
        r = np.where((k < s)[..., None, None], r @ r, r)
    return r


def _matrix_exp(A: Tensor) -> Tensor:  # noqa: N803
    check_square(A, "linalg.matrix_exp")
    check_float(A, "linalg.matrix_exp")
    a = A._array
    n = a.shape[-1]
    out = _expm(a.astype(np.float64)).astype(a.dtype)

    def backward(g: np.ndarray):
        block = np.zeros(a.shape[:-2] + (2 * n, 2 * n))
        block[..., :n, :n] = block[..., n:, n:] = mT(a)
        block[..., :n, n:] = g
        return (_expm(block)[..., :n, n:].astype(g.dtype),)

    return Tensor._make(out, (A,), backward, "LinalgMatrixExp")


def linalg_matrix_exp(A: Tensor) -> Tensor:  # noqa: N803
    """`torch.linalg.matrix_exp`: e^A of square matrices."""
    return _matrix_exp(A)


def matrix_exp(input: Tensor) -> Tensor:  # noqa: A002
    """`torch.matrix_exp` / `Tensor.matrix_exp`."""
    return _matrix_exp(input)


# ----- products -----------------------------------------------------------------------------------


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """`torch.linalg.vecdot`: sum(x * y) along `dim`, x and y broadcast (real tensors: no conjugate)."""
    check_float(x, "linalg.vecdot")
    same_dtype(x, y, "linalg.vecdot: Expected x and y to have the same dtype, but found x of type {} and y of type "
                     "{} instead")
    return ops.sum(ops.mul(x, y), dim)


_TYPE_META = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int", "int32": "int",
              "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _multi_dot_checks(tensors: list[Tensor]) -> None:
    """PyTorch's: at least two, the ends 1-D or 2-D, the middle 2-D, one dtype, fitting shapes."""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for which, t in (("first", tensors[0]), ("last", tensors[-1])):
        if t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got {t.ndim}D")
    for i in range(1, n - 1):
        if tensors[i].ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {tensors[i].ndim}D")
    first = tensors[0]._array.dtype
    for i in range(1, n):
        dtype = tensors[i]._array.dtype
        if dtype != first:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{_TYPE_META.get(first.name, first.name)} and tensor {i} "
                               f"{_TYPE_META.get(dtype.name, dtype.name)}")
        before, here = tensors[i - 1], tensors[i]
        if before.shape[-1] != here.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i - 1} and {i} with shapes {list(before.shape)} and "
                               f"{list(here.shape)} cannot be multiplied")


def _chain_order(dims: list[int]) -> list[list[int]]:
    """The matrix-chain split table (dims p_0..p_n), ties to the first split, as PyTorch's matrix_chain_order."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k
    return split


def _chain(mats: list[Tensor], split: list[list[int]], i: int, j: int) -> Tensor:
    if i == j:
        return mats[i]
    k = split[i][j]
    return ops.matmul(_chain(mats, split, i, k), _chain(mats, split, k + 1, j))


def multi_dot(tensors: Any) -> Tensor:
    """`torch.linalg.multi_dot`: the product of a chain of matrices in the cheapest order (the first may be a row
    vector, the last a column vector, as 1-D tensors)."""
    ts = list(tensors)
    _multi_dot_checks(ts)
    first, last = ts[0], ts[-1]
    mats = [ops.unsqueeze(first, 0) if first.ndim == 1 else first, *ts[1:-1],
            ops.unsqueeze(last, -1) if last.ndim == 1 else last]
    shape = ([first.shape[0]] if first.ndim == 2 else []) + ([last.shape[1]] if last.ndim == 2 else [])
    if len(mats) == 3:  # PyTorch compares the two orders itself, preferring (AB)C on a tie
        a, b, c, d = mats[0].shape[0], mats[1].shape[0], mats[2].shape[0], mats[2].shape[1]
        left_first = a * c * (b + d) <= b * d * (a + c)
        out = (ops.matmul(ops.matmul(mats[0], mats[1]), mats[2]) if left_first
               else ops.matmul(mats[0], ops.matmul(mats[1], mats[2])))
    else:
        dims = [mats[0].shape[0], *(m.shape[1] for m in mats)]
        out = _chain(mats, _chain_order(dims), 0, len(mats) - 1)
    return ops.reshape(out, *shape) if shape else ops.reshape(out, ())


def linalg_vander(x: Tensor, *, N: int | None = None) -> Tensor:  # noqa: N803
    """`torch.linalg.vander`: the powers x^0 .. x^(N-1) along a new last dimension (N = x's last size)."""
    dtype = x._array.dtype
    if dtype == np.bool_ or (dtype.kind == "f" and dtype.itemsize < 4):
        raise RuntimeError(f"linalg.vander supports floating point, complex, and integer tensors, but got "
                           f"{scalar_type_name(dtype)}")
    x1 = ops.unsqueeze(x, -1) if x.ndim == 0 else x
    n = x1.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    powers = cumprod(ops.expand(ops.unsqueeze(x1, -1), *x1.shape, n - 1), -1)
    ones = Tensor._wrap(np.ones(tuple(x1.shape) + (1,), dtype))
    return ops.cat([ones, powers], -1)


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:  # noqa: A002
    """`torch.linalg.cross`: `torch.cross` along `dim` (the last by default)."""
    return cross(input, other, dim)


def linalg_diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """`torch.linalg.diagonal`: `torch.diagonal` of the last two dimensions by default."""
    return diagonal(A, offset, dim1, dim2)


LINALG = {"matrix_power": linalg_matrix_power, "matrix_exp": linalg_matrix_exp, "vecdot": vecdot,
          "multi_dot": multi_dot, "vander": linalg_vander, "cross": linalg_cross, "diagonal": linalg_diagonal,
          "matmul": ops.matmul}

# ----- Tensor methods --------------------------------------------------------------------------

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
