"""Ops on sparse COO tensors with PyTorch's backward rules, and the `torch.sparse` namespace (`trainer.sparse`):
`mm`, `addmm`, `sum`, `softmax`, `log_softmax`, `check_sparse_tensor_invariants` and the legacy
`torch.sparse.FloatTensor(indices, values, size)` constructors; `torch.spmm` is `spmm`.

A gradient reaching a sparse node is a dense array or a `COO`; a dense parent always gets a dense array.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import as_dtype, get_default_dtype, int64, scalar_type_name
from .more_ops import addmm as _dense_addmm
from .more_ops import mm as _dense_mm
from .sparse import (
    COO,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    SparseTensor,
    _not_for_sparse,
    added,
    check_sparse_tensor_invariants,
    coalesced,
    gathered,
    linear,
    make_sparse,
    sparse_coo,
    spmm_array,
    transposed,
)
from .tensor import Tensor

__all__ = ["mm", "addmm", "sum", "softmax", "log_softmax", "spdiags", "check_sparse_tensor_invariants", "FloatTensor",
           "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor"]


def _dense_grad(g: Any) -> np.ndarray:
    return g.dense() if isinstance(g, COO) else g


def _dim(dim: int, ndim: int) -> int:
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim % max(ndim, 1)


# ----- construction and conversion ----------------------------------------------------------------
def from_values(c: COO, values: Tensor) -> SparseTensor:
    """`sparse_coo_tensor(indices, values)` of values that require grad (SparseCooTensorWithDimsAndTensorsBackward0)."""
    idx, shape = c.indices, c.shape
    return make_sparse(c, (values,), lambda g: (gathered(g, idx, shape),), "SparseCooTensorWithDimsAndTensors")


def values_of(t: SparseTensor, op: str, differentiable: bool = True) -> Tensor:
    """`values()` / `_values()`: the values tensor (ValuesBackward0 when `t` is in the graph)."""
    c = t._array
    if not (differentiable and t.requires_grad):
        return Tensor._wrap(c.values)
    return Tensor._make(c.values, (t,), lambda g: (COO(c.indices, g, c.shape, c.coalesced),), op)


def coalesce(t: SparseTensor) -> SparseTensor:
    """Duplicates summed and indices sorted (the tensor itself when already coalesced)."""
    c = t._array
    if c.coalesced:
        return t
    out = coalesced(c)
    return make_sparse(out, (t,), lambda g: (COO(c.indices, gathered(g, c.indices, c.shape), c.shape, c.coalesced),),
                       "Coalesce")


def to_dense(t: SparseTensor, dtype: Any = None) -> Tensor:
    if dtype is not None:
        raise RuntimeError("dtype argument is not supported by sparse_to_dense")
    c = t._array
    arr = c.dense()
    return Tensor._make(arr, (t,), lambda g: (COO(c.indices, g[tuple(c.indices)], c.shape, c.coalesced),),
                        "ToDense")


def dense_to_sparse(t: Tensor, sparse_dim: int) -> SparseTensor:
    """The entries of `t` whose values (over the dims after `sparse_dim`) are not all zero, in row-major order."""
    a = t._array
    if a.ndim == 0:
        keep = a.reshape(1)[a.reshape(1) != 0]
        return make_sparse(COO(np.zeros((0, keep.size), int64), keep, (), True), (t,), lambda g: (_dense_grad(g),),
                           "ToSparse1")
    nz = a != 0
    mask = nz.reshape(*a.shape[:sparse_dim], -1).any(axis=-1) if a.ndim > sparse_dim else nz
    idx = np.array(np.nonzero(mask), dtype=int64).reshape(sparse_dim, -1)
    c = COO(idx, a[tuple(idx)], a.shape, True)
    return make_sparse(c, (t,), lambda g: (_dense_grad(g),), "ToSparse1")


def clone(t: SparseTensor) -> SparseTensor:
    c = t._array
    return make_sparse(COO(c.indices.copy(), c.values.copy(), c.shape, c.coalesced), (t,), lambda g: (g,), "Clone")


def _cast(t: SparseTensor, dtype: np.dtype) -> SparseTensor:
    c = t._array
    src = c.dtype
    return make_sparse(c.astype(dtype), (t,), lambda g: (g.astype(src),), "ToCopy")


# ----- arithmetic ------------------------------------------------------------------------------------
def _shape_error(a: Tensor, b: Tensor) -> RuntimeError:
    return RuntimeError(f"add: expected sizes of 'self' and 'other' to match, but {list(a.shape)} != {list(b.shape)}")


def add(a: Any, b: Any, *, alpha: float = 1) -> Tensor:
    """sparse + sparse is sparse, dense + sparse dense; sparse + dense is refused, as in PyTorch."""
    if not isinstance(a, SparseTensor):
        if not isinstance(b, SparseTensor):
            raise TypeError("add: expected a sparse operand")
        dense = a if isinstance(a, Tensor) else Tensor._wrap(np.asarray(a, dtype=b._array.dtype))
        cb = b._array
        scaled = cb * alpha if alpha != 1 else cb
        out = dense._array + scaled  # COO's protocol: the dense sum, with PyTorch's size check
        return Tensor._make(out, (dense, b), lambda g: (g, g * alpha if alpha != 1 else g), "Add")
    if not isinstance(b, SparseTensor):
        raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")
    ca, cb = a._array, b._array
    if ca.shape != cb.shape:
        raise _shape_error(a, b)
    out = added(ca, cb * alpha if alpha != 1 else cb)
    if np.result_type(ca.dtype, cb.dtype) != ca.dtype:
        out = out.astype(np.result_type(ca.dtype, cb.dtype))
    return make_sparse(out, (a, b), lambda g: (g, g * alpha if alpha != 1 else g), "Add")


def _scalar(x: Any) -> Any:
    return x._array if isinstance(x, Tensor) else x


def _value_dtype(c: COO, s: Any, true_div: bool = False) -> np.dtype:
    kind = c.dtype.kind
    if true_div and kind not in "fc":
        return get_default_dtype()
    if kind in "fc":
        return c.dtype
    return get_default_dtype() if isinstance(s, float) or np.asarray(s).dtype.kind == "f" else c.dtype


def mul(a: SparseTensor, other: Any, op: str = "Mul") -> SparseTensor:
    """sparse * scalar (or 0-dim tensor), sparse * dense (the dense values at the entries), sparse * sparse (the
    entries both have)."""
    c = a._array
    if isinstance(other, SparseTensor):
        return _mul_sparse(a, other)
    if isinstance(other, Tensor) and other._array.ndim:
        d = other._array
        if d.shape != c.shape:
            raise RuntimeError(f"mul: expected 'self' and 'other' to have same size, but self has size {list(c.shape)} "
                               f"while other has size {list(d.shape)} (FYI: broadcasting is not supported)")
        idx = tuple(c.indices)
        at = d[idx]
        out = COO(c.indices, (c.values * at).astype(np.result_type(c.dtype, d.dtype), copy=False), c.shape,
                  c.coalesced)

        def backward_dense(g: Any):
            gv = gathered(g, c.indices, c.shape)
            gd = None
            if other.requires_grad:
                gd = np.zeros(d.shape, d.dtype)
                np.add.at(gd, idx, gv * c.values)
            return (COO(c.indices, gv * at, c.shape, c.coalesced) if a.requires_grad else None, gd)

        return make_sparse(out, (a, other), backward_dense, op)
    s = _scalar(other)
    dtype = _value_dtype(c, s)
    out = COO(c.indices, (c.values * s).astype(dtype, copy=False), c.shape, c.coalesced)
    if isinstance(other, Tensor):
        def backward_tensor(g: Any):
            gv = gathered(g, c.indices, c.shape)
            return (COO(c.indices, gv * s, c.shape, c.coalesced) if a.requires_grad else None,
                    np.asarray((gv * c.values).sum(), dtype=other._array.dtype) if other.requires_grad else None)

        return make_sparse(out, (a, other), backward_tensor, op)
    return make_sparse(out, (a,), lambda g: (g * s,), op)


def _mul_sparse(a: SparseTensor, b: SparseTensor) -> SparseTensor:
    """PyTorch's sparse * sparse: the entries of the operand with fewer (the first on a tie), times the other's
    (coalesced) values there, zero where it has none."""
    ca, cb = a._array, b._array
    if ca.shape != cb.shape:
        raise RuntimeError(f"mul(sparse, sparse): expected 'self' and 'other' to have same size, but "
                           f"{list(ca.shape)} != {list(cb.shape)}")
    first = ca.nnz <= cb.nnz
    p, o = (ca, cb) if first else (cb, ca)
    at = gathered(o, p.indices, p.shape)
    dtype = np.result_type(ca.dtype, cb.dtype)
    out = COO(p.indices, (p.values * at).astype(dtype, copy=False), p.shape, p.coalesced)

    def backward(g: Any):
        gv = gathered(g, p.indices, p.shape)
        gp, go = COO(p.indices, gv * at, p.shape, p.coalesced), COO(p.indices, gv * p.values, p.shape, p.coalesced)
        ga, gb = (gp, go) if first else (go, gp)
        return (ga if a.requires_grad else None, gb if b.requires_grad else None)

    return make_sparse(out, (a, b), backward, "Mul")


def div(a: SparseTensor, other: Any) -> SparseTensor:
    """sparse / scalar (or 0-dim tensor)."""
    if isinstance(other, Tensor) and other._array.ndim:
        raise RuntimeError(f"Sparse division requires a scalar or zero-dim dense tensor divisor (got shape "
                           f"{list(other.shape)} for divisor)")
    c = a._array
    s = _scalar(other)
    dtype = _value_dtype(c, s, true_div=True)
    out = COO(c.indices, (c.values / s).astype(dtype, copy=False), c.shape, c.coalesced)
    if isinstance(other, Tensor):
        def backward(g: Any):
            gv = gathered(g, c.indices, c.shape)
            return (COO(c.indices, gv / s, c.shape, c.coalesced) if a.requires_grad else None,
                    np.asarray(-(gv * c.values).sum() / (s * s), other._array.dtype) if other.requires_grad else None)

        return make_sparse(out, (a, other), backward, "Div")
    return make_sparse(out, (a,), lambda g: (g * (1 / s),), "Div")


def pow(a: SparseTensor, exponent: Any) -> SparseTensor:  # noqa: A001 - PyTorch's name
    """sparse ** scalar (a positive exponent keeps zeros zero)."""
    if isinstance(exponent, Tensor) and exponent._array.ndim:
        raise _not_for_sparse("pow.Tensor_Tensor")
    e = _scalar(exponent)
    if e <= 0:
        raise RuntimeError(f"pow: exponent must be positive for sparse tensors (got {e})")
    c = coalesced(a._array)
    out = COO(c.indices, (c.values ** e).astype(_value_dtype(c, e), copy=False), c.shape, True)
    return make_sparse(out, (a,), lambda g: (COO(c.indices, gathered(g, c.indices, c.shape) * e * c.values ** (e - 1),
                                                 c.shape, True),), "Pow")


def _transpose_grad(g: Any, d0: int, d1: int) -> Any:
    return transposed(g, d0, d1) if isinstance(g, COO) else np.swapaxes(g, d0, d1)


def t(a: SparseTensor) -> SparseTensor:
    c = a._array
    dense = c.ndim - c.sparse_dim
    if c.sparse_dim > 2 or dense:
        raise RuntimeError(f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got {c.sparse_dim} "
                           f"sparse and {dense} dense dimensions")
    if c.ndim < 2:
        return make_sparse(COO(c.indices, c.values, c.shape, c.coalesced), (a,), lambda g: (g,), "T")
    return make_sparse(transposed(c, 0, 1), (a,), lambda g: (_transpose_grad(g, 0, 1),), "T")


def transpose(a: SparseTensor, dim0: int, dim1: int) -> SparseTensor:
    c = a._array
    d0, d1 = _dim(dim0, c.ndim), _dim(dim1, c.ndim)
    if d0 >= c.sparse_dim or d1 >= c.sparse_dim:
        if d0 != d1:
            raise RuntimeError(f"transpose(): the dims {dim0} and {dim1} of a sparse tensor must both be sparse "
                               "dims (trainer transposes sparse dims only)")
    return make_sparse(transposed(c, d0, d1), (a,), lambda g: (_transpose_grad(g, d0, d1),), "Transpose")


# ----- matrix products -----------------------------------------------------------------------------------
def _check_mm(c: COO, d: np.ndarray, other_ndim: int) -> None:
    if c.sparse_dim != 2 or c.ndim != 2:
        raise RuntimeError(f"addmm: matrices expected, got {c.sparse_dim}D tensor")
    if other_ndim < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(other_ndim, 1)}, "
                         f"{max(other_ndim, 1) - 1}], but got 1)")
    if other_ndim != 2:
        raise RuntimeError(f"addmm: matrices expected, got {other_ndim}D tensor")
    if d.shape[0] != c.shape[1]:
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {c.shape[1]}, got {d.shape[0]}")
    if d.dtype != c.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_name(c.dtype)} but found {_scalar_name(d.dtype)}")


def _scalar_name(dtype: np.dtype) -> str:
    return scalar_type_name(dtype)


def _sparse_dense(a: SparseTensor, b: Tensor, op: str, bias: Tensor | None = None, beta: float = 1,
                  alpha: float = 1) -> Tensor:
    """beta * bias + alpha * (a @ b) for a sparse matrix `a` and a dense matrix `b`."""
    c = a._array
    d = b._array
    _check_mm(c, d, d.ndim)
    prod = spmm_array(c, d)
    out = prod if alpha == 1 else prod * alpha
    if bias is not None:
        out = out + (bias._array if beta == 1 else beta * bias._array)
    out = out.astype(c.dtype, copy=False)
    rows, cols = c.indices
    ct = transposed(c, 0, 1)

    def backward(g: np.ndarray):
        g = _dense_grad(g)
        ga = gd = gbias = None
        if a.requires_grad and op == "Mm":  # MmBackward0 gives a sparse input a dense gradient, as PyTorch's
            ga = np.dot(g, d.T) * alpha if alpha != 1 else np.dot(g, d.T)
        elif a.requires_grad:  # SparseAddmmBackward0: the gradient at the input's entries
            vals = np.einsum("kj,kj->k", g[rows], d[cols]) * alpha
            ga = COO(c.indices, vals.astype(c.dtype, copy=False), c.shape, c.coalesced)
        if b.requires_grad:
            gd = spmm_array(ct, g) * alpha if alpha != 1 else spmm_array(ct, g)
        if bias is not None and bias.requires_grad:
            gbias = g * beta if beta != 1 else g
        return (ga, gd) if bias is None else (gbias, ga, gd)

    parents = (a, b) if bias is None else (bias, a, b)
    return Tensor._make(out, parents, backward, op)


def _sparse_sparse(a: SparseTensor, b: SparseTensor) -> SparseTensor:
    ca, cb = a._array, b._array
    if ca.ndim != 2 or cb.ndim != 2:
        raise RuntimeError(f"addmm: matrices expected, got {min(ca.ndim, cb.ndim)}D tensor")
    if ca.shape[1] != cb.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({ca.shape[0]}x{ca.shape[1]} and "
                           f"{cb.shape[0]}x{cb.shape[1]})")
    da, db = ca.dense(), cb.dense()
    pa, pb = np.zeros(ca.shape), np.zeros(cb.shape)
    pa[tuple(ca.indices)] = 1
    pb[tuple(cb.indices)] = 1
    pattern = (pa @ pb) > 0
    idx = np.array(np.nonzero(pattern), dtype=int64).reshape(2, -1)
    prod = da @ db
    out = COO(idx, prod[tuple(idx)].astype(ca.dtype, copy=False), (ca.shape[0], cb.shape[1]), True)

    def backward(g: Any):
        gd = _dense_grad(g)
        ga = gb = None
        if a.requires_grad:
            ga = COO(ca.indices, (gd @ db.T)[tuple(ca.indices)], ca.shape, ca.coalesced)
        if b.requires_grad:
            gb = COO(cb.indices, (da.T @ gd)[tuple(cb.indices)], cb.shape, cb.coalesced)
        return ga, gb

    return make_sparse(out, (a, b), backward, "SparseSparseMatmul")


def _dense_sparse(a: Tensor, b: SparseTensor, op: str) -> Tensor:
    """dense @ sparse, as PyTorch computes it: (b.t() @ a.t()).t()."""
    c = b._array
    d = a._array
    if d.ndim != 2:
        raise RuntimeError(f"addmm: matrices expected, got {d.ndim}D tensor")
    ct = transposed(c, 0, 1) if c.ndim == 2 else c
    _check_mm(ct, d.T, 2)
    out = spmm_array(ct, d.T).T
    rows, cols = c.indices

    def backward(g: np.ndarray):
        g = _dense_grad(g)
        ga = spmm_array(c, g.T).T if a.requires_grad else None  # g @ b.T
        gb = None
        if b.requires_grad and op == "Mm":
            gb = np.dot(d.T, g)
        elif b.requires_grad:  # torch.sparse.mm: the gradient at b's entries
            gb = COO(c.indices, np.einsum("ki,ki->k", d[:, rows].T, g[:, cols].T), c.shape, c.coalesced)
        return ga, gb

    return Tensor._make(np.ascontiguousarray(out), (a, b), backward, op)


def mm(mat1: Any, mat2: Any) -> Tensor:
    """`torch.sparse.mm`: sparse @ dense (SparseAddmmBackward0), sparse @ sparse (a sparse result), dense @ sparse,
    or dense @ dense."""
    if isinstance(mat1, SparseTensor):
        if isinstance(mat2, SparseTensor):
            return _sparse_sparse(mat1, mat2)
        return _sparse_dense(mat1, mat2, "SparseAddmm")
    if isinstance(mat2, SparseTensor):
        return _dense_sparse(mat1, mat2, "Transpose")
    return _dense_mm(mat1, mat2)


def spmm(mat1: Any, mat2: Any) -> Tensor:
    """`torch.spmm` (and `sparse @ dense`): the product, recorded as PyTorch's MmBackward0."""
    if isinstance(mat1, SparseTensor) and not isinstance(mat2, SparseTensor):
        return _sparse_dense(mat1, mat2, "Mm")
    if isinstance(mat2, SparseTensor) and not isinstance(mat1, SparseTensor):
        return _dense_sparse(mat1, mat2, "Mm")
    return mm(mat1, mat2)


def addmm(mat: Tensor, mat1: SparseTensor, mat2: Tensor, *, beta: float = 1.0, alpha: float = 1.0) -> Tensor:
    """`torch.sparse.addmm`: beta * mat + alpha * (mat1 @ mat2) for a sparse `mat1`."""
    if not isinstance(mat1, SparseTensor):
        return _dense_addmm(mat, mat1, mat2, beta=beta, alpha=alpha)
    c = mat1._array
    if isinstance(mat, Tensor) and mat._array.shape != (c.shape[0], mat2.shape[1]) and c.ndim == 2:
        raise RuntimeError(f"addmm: Argument #1 (t): Expected dim 0 size {c.shape[0]}, got {mat.shape[0]}")
    return _sparse_dense(mat1, mat2, "SparseAddmm", mat, beta, alpha)


# ----- reductions --------------------------------------------------------------------------------------
def _dims(dim: Any, ndim: int) -> list[int]:
    dims = [dim] if isinstance(dim, int | np.integer) else list(dim)
    out = sorted({_dim(int(d), ndim) for d in dims})
    return out


def _sum(t: SparseTensor, dim: Any, dtype: Any, op_all: str, op_dim: str, dense_grad_all: bool) -> Tensor:
    c = t._array
    target = c.dtype if dtype is None else as_dtype(dtype)
    if dtype is None and c.dtype.kind in "biu":
        target = np.dtype(int64)
    if dim is None:
        total = np.asarray(c.values.sum(dtype=target))
        shape = c.shape

        def backward_all(g: np.ndarray):
            if dense_grad_all:
                return (np.broadcast_to(g, shape).astype(c.dtype),)
            cc = coalesced(c)  # at the coalesced input's entries, as PyTorch's
            return (COO(cc.indices, np.broadcast_to(g, cc.values.shape).astype(c.dtype), shape, True),)

        return Tensor._make(total, (t,), backward_all, op_all)
    dims = _dims(dim, c.ndim)
    sd = c.sparse_dim
    sparse_summed = [d for d in dims if d < sd]
    dense_summed = tuple(d - sd + 1 for d in dims if d >= sd)
    kept = [d for d in range(sd) if d not in sparse_summed]
    vals = c.values.sum(axis=dense_summed, dtype=target) if dense_summed else c.values.astype(target, copy=False)
    out_dense_shape = tuple(n for k, n in enumerate(c.shape[sd:]) if k + 1 not in dense_summed)

    def spread(gv: np.ndarray) -> np.ndarray:
        """Per-entry gradient rows of the output back to the input's values shape."""
        for ax in dense_summed:
            gv = np.expand_dims(gv, ax)
        return np.broadcast_to(gv, c.values.shape).astype(c.dtype)

    if not kept:
        result = np.asarray(vals.sum(axis=0))

        def backward_dense(g: np.ndarray):
            gv = np.broadcast_to(_dense_grad(g), (c.nnz, *out_dense_shape))
            return (COO(c.indices, spread(gv), c.shape, c.coalesced),)

        return Tensor._make(result, (t,), backward_dense, op_dim)
    out_shape = tuple(c.shape[d] for d in kept) + out_dense_shape
    kept_idx = c.indices[kept]
    out = coalesced(COO(kept_idx, vals, out_shape, False))

    def backward(g: Any):
        gv = gathered(g, kept_idx, out_shape)
        return (COO(c.indices, spread(gv), c.shape, c.coalesced),)

    return make_sparse(out, (t,), backward, op_dim)


def sum(input: Any, dim: Any = None, dtype: Any = None) -> Tensor:  # noqa: A001, A002 - PyTorch's names
    """`torch.sparse.sum`: over all dims (a dense 0-dim tensor), or over `dim` (sparse while sparse dims remain)."""
    if not isinstance(input, SparseTensor):
        raise _not_for_sparse("_indices", "CPU")
    return _sum(input, dim, dtype, "Sum", "SparseSum", False)


def tensor_sum(t: SparseTensor, dim: Any, keepdim: bool, dtype: Any) -> Tensor:
    """`Tensor.sum` of a sparse tensor: all of it (dense gradient, as PyTorch) or over `dim` (SumBackward1)."""
    if keepdim:
        raise RuntimeError("sum(): keepdim=True is not supported for sparse tensors")
    return _sum(t, dim, dtype, "Sum", "Sum1", True)


def _groups(c: COO, dim: int) -> tuple[np.ndarray, int]:
    """For a softmax over sparse dim `dim`: each entry's group id (entries sharing the other sparse indices)."""
    others = [d for d in range(c.sparse_dim) if d != dim]
    if not others:
        return np.zeros(c.nnz, np.int64), 1
    key = linear(c.indices[others], [c.shape[d] for d in others])
    uniq, inv = np.unique(key, return_inverse=True)
    return inv.reshape(-1), uniq.shape[0]


def _softmax(input: Any, dim: int, dtype: Any, log: bool) -> SparseTensor:
    name = "_sparse_log_softmax" if log else "_sparse_softmax"
    if not isinstance(input, SparseTensor):
        raise _not_for_sparse(name, "CPU")
    if dtype is not None:
        input = _cast(input, as_dtype(dtype))
    c0 = input._array
    d = _dim(dim, c0.ndim)
    c = coalesced(c0)
    v = c.values
    if d >= c.sparse_dim:
        ax = d - c.sparse_dim + 1
        m = v.max(axis=ax, keepdims=True) if v.size else v
        e = np.exp(v - m)
        s = e.sum(axis=ax, keepdims=True)
        out = (v - m - np.log(s)) if log else e / s

        def reduce(x: np.ndarray) -> np.ndarray:
            return x.sum(axis=ax, keepdims=True)
    else:
        grp, n = _groups(c, d)
        m = np.full((n, *v.shape[1:]), -np.inf, v.dtype)
        np.maximum.at(m, grp, v)
        e = np.exp(v - m[grp])
        s = np.zeros((n, *v.shape[1:]), v.dtype)
        np.add.at(s, grp, e)
        out = (v - m[grp] - np.log(s[grp])) if log else e / s[grp]

        def reduce(x: np.ndarray) -> np.ndarray:
            acc = np.zeros((n, *x.shape[1:]), x.dtype)
            np.add.at(acc, grp, x)
            return acc[grp]
    out = out.astype(v.dtype, copy=False)
    res = COO(c.indices, out, c.shape, True)

    def backward(g: Any):
        gv = gathered(g, c.indices, c.shape)
        gx = gv - np.exp(out) * reduce(gv) if log else out * (gv - reduce(gv * out))
        return (COO(c.indices, gx.astype(v.dtype, copy=False), c.shape, c0.coalesced),)

    return make_sparse(res, (input,), backward, "SparseLogSoftmax" if log else "SparseSoftmax")


def softmax(input: Any, dim: int, dtype: Any = None) -> SparseTensor:  # noqa: A002 - PyTorch's name
    """`torch.sparse.softmax`: softmax over `dim` of the specified entries (unspecified ones count as -inf)."""
    return _softmax(input, dim, dtype, False)


def log_softmax(input: Any, dim: int, dtype: Any = None) -> SparseTensor:  # noqa: A002 - PyTorch's name
    """`torch.sparse.log_softmax`: log of `softmax` over `dim` of the specified entries."""
    return _softmax(input, dim, dtype, True)


def cast(t: SparseTensor, dtype: Any) -> SparseTensor:
    return _cast(t, as_dtype(dtype))



def spdiags(diagonals: Tensor, offsets: Tensor, shape: Any, layout: Any = None) -> SparseTensor:
    """`torch.sparse.spdiags`: a sparse matrix of `shape` with `diagonals[k, j]` at (j - offsets[k], j)."""
    if layout is not None and layout is not sparse_coo:
        raise RuntimeError(f"spdiags: trainer builds only torch.sparse_coo results, not {layout}")
    d, off = diagonals._array, np.asarray(offsets._array).reshape(-1)
    d2 = d.reshape(1, -1) if d.ndim == 1 else d
    if d2.shape[0] != off.shape[0]:
        raise RuntimeError(f"Number of diagonals ({d2.shape[0]}) does not match the number of offsets "
                           f"({off.shape[0]})")
    if len(set(off.tolist())) != off.shape[0]:
        raise RuntimeError("Offset tensor contains duplicate values")
    m, n = (int(x) for x in shape)
    kk = np.zeros(0, int64)
    jj = np.zeros(0, int64)
    for k, o in enumerate(off.tolist()):
        # PyTorch's count of a diagonal's entries may be negative for an offset beyond the matrix: it then takes
        # back that many of the entries already laid out (its output, reproduced)
        start, count = max(0, o), min(n, m + o, d2.shape[1]) - max(0, o)
        if count < 0:
            kk, jj = kk[:kk.shape[0] + count], jj[:jj.shape[0] + count]
            continue
        kk = np.concatenate([kk, np.full(count, k, int64)])
        jj = np.concatenate([jj, np.arange(start, start + count, dtype=int64)])
    idx = np.stack([jj - off[kk], jj]).astype(int64).reshape(2, -1)
    c = COO(idx, d2[kk, jj], (m, n), False)

    def backward(g: Any):
        raise RuntimeError("derivative for aten::_spdiags is not implemented")

    return make_sparse(c, (diagonals,), backward, "Spdiags")
