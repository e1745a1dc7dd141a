"""Differentiable shape op cases (same form as op_cases.py), checked against PyTorch and finite differences."""

from __future__ import annotations

import warnings

from .op_cases import OpCase

C = OpCase
CASES: dict[str, OpCase] = {
    # selecting by index (repeated indices accumulate their gradients)
    "index_select_repeats": C(lambda m, a: m.index_select(a, 1, m.tensor([0, 2, 0, 3, 0])), ((3, 4),)),
    "index_select_neg_dim": C(lambda m, a: a.index_select(-2, m.tensor([2, 2])), ((3, 4),)),
    "index_select_0d_index": C(lambda m, a: a.index_select(0, m.tensor(1)) * 2, ((3, 2),)),
    "index_select_0d_input": C(lambda m, a: a.sum().index_select(0, m.tensor([0])), ((2,),)),
    "index_select_empty": C(lambda m, a: a.index_select(0, m.tensor([], dtype=m.int64)).sum() + a.sum(), ((3,),)),
    "masked_select": C(lambda m, a: m.masked_select(a, a > 0), ((3, 4),), "kinkfree"),
    "masked_select_broadcast_mask": C(lambda m, a: a.masked_select(m.tensor([True, False, True, True])), ((3, 4),)),
    "masked_select_broadcast_input": C(lambda m, a: a.masked_select(m.tensor([[True], [False], [True]])), ((4,),)),
    "take": C(lambda m, a: m.take(a, m.tensor([[0, 5], [-1, 5]])), ((3, 4),)),
    "take_0d": C(lambda m, a: a.sum().take(m.tensor(0)), ((2,),)),
    "take_along_dim": C(lambda m, a: m.take_along_dim(a, a.argsort(1), 1), ((3, 4),), "kinkfree"),
    "take_along_dim_broadcast": C(lambda m, a: a.take_along_dim(m.tensor([[1, 0, 1]]), 1), ((3, 4),)),
    "take_along_dim_negative": C(lambda m, a: m.take_along_dim(a, m.tensor([[-1], [0], [-1]]), -1), ((3, 4),)),
    "take_along_dim_flat": C(lambda m, a: m.take_along_dim(a, m.tensor([[11, 0], [0, 3]])), ((3, 4),)),
    "select": C(lambda m, a: m.select(a, 1, -1), ((3, 4),)),
    "select_method": C(lambda m, a: a.select(0, 2) * a.select(-1, 0)[0].unsqueeze(-1), ((3, 4, 2),)),
    # repeating
    "repeat_interleave_int": C(lambda m, a: m.repeat_interleave(a, 2), ((2, 3),)),
    "repeat_interleave_int_dim": C(lambda m, a: a.repeat_interleave(3, dim=-1), ((2, 3),)),
    "repeat_interleave_tensor": C(lambda m, a: a.repeat_interleave(m.tensor([1, 0, 3]), dim=0), ((3, 2),)),
    "repeat_interleave_tensor_flat": C(lambda m, a: m.repeat_interleave(a, m.tensor([2, 1, 0, 1])), ((2, 2),)),
    "repeat_interleave_one_count": C(lambda m, a: a.repeat_interleave(m.tensor([2]), 1, output_size=6), ((2, 3),)),
    "repeat_interleave_0d": C(lambda m, a: a.sum().repeat_interleave(3), ((2,),)),
    "tile": C(lambda m, a: m.tile(a, (2,)), ((2, 3),)),
    "tile_more_dims": C(lambda m, a: a.tile(2, 1, 2), ((2, 3),)),
    # moving and reshaping dimensions
    "movedim_int": C(lambda m, a: m.movedim(a, 0, -1), ((2, 3, 4),)),
    "movedim_seq": C(lambda m, a: a.movedim((0, 2), (2, 0)), ((2, 3, 4),)),
    "moveaxis": C(lambda m, a: m.moveaxis(a, [1, 0], [2, 1]) * m.arange(3.0, dtype=m.float64), ((2, 3, 4),)),
    "swapaxes": C(lambda m, a: m.swapaxes(a, 0, -1) * m.arange(2.0, dtype=m.float64), ((2, 3),)),
    "swapdims_method": C(lambda m, a: a.swapdims(1, 2).swapaxes(0, 1), ((2, 3, 4),)),
    "transpose_inplace": C(lambda m, a: (a * 1).transpose_(0, 1) * m.arange(3.0, dtype=m.float64), ((3, 2),)),
    "unflatten": C(lambda m, a: m.unflatten(a, 1, (2, -1))[:, 1], ((3, 6),)),
    "unflatten_method": C(lambda m, a: a.unflatten(-1, [3, 1, 2]).sum(1), ((2, 6),)),
    "ravel_transposed": C(lambda m, a: m.ravel(a.t()) * m.arange(6.0, dtype=m.float64), ((2, 3),)),
    # diagonals
    "diagonal": C(lambda m, a: m.diagonal(a), ((3, 4),)),
    "diagonal_offset": C(lambda m, a: a.diagonal(1) * a.diagonal(-1)[:1], ((3, 4),)),
    "diagonal_dims": C(lambda m, a: a.diagonal(offset=-1, dim1=2, dim2=0), ((3, 2, 4),)),
    "diagonal_write_through": C(lambda m, a: _write_diagonal(a), ((3, 3),)),
    "diag_embed": C(lambda m, a: m.diag_embed(a), ((2, 3),)),
    "diag_embed_offset_dims": C(lambda m, a: a.diag_embed(-1, 0, 2), ((2, 3),)),
    "diagflat": C(lambda m, a: m.diagflat(a, 1), ((2, 2),)),
    "trace": C(lambda m, a: m.trace(a), ((3, 4),)),
    "trace_method": C(lambda m, a: (a * a).trace(), ((3, 3),)),
    # joining
    "concat": C(lambda m, a, b: m.concat([a, b], dim=-1), ((2, 3), (2, 1))),
    "concatenate_axis": C(lambda m, a, b: m.concatenate((a, b), axis=0), ((2, 3), (1, 3))),
    "concat_int_float": C(lambda m, a: m.concat([m.tensor([[1, 2]]), a]), ((1, 2),)),
    "hstack": C(lambda m, a, b: m.hstack([a, b]), ((2, 3), (2, 2))),
    "hstack_1d_0d": C(lambda m, a, b: m.hstack((a, b.sum())), ((3,), (2,))),
    "vstack": C(lambda m, a, b: m.vstack([a, b]), ((3,), (2, 3))),
    "row_stack": C(lambda m, a, b: m.row_stack([a, b]), ((3,), (3,))),
    "dstack": C(lambda m, a, b: m.dstack([a, b]), ((2, 3), (2, 3, 2))),
    "dstack_1d": C(lambda m, a, b: m.dstack([a, b]), ((3,), (3,))),
    "column_stack": C(lambda m, a, b, c: m.column_stack([a, b, c]), ((2,), (2, 3), (2,))),
    "column_stack_0d": C(lambda m, a, b: m.column_stack((a.sum(), b)), ((2,), (1, 3))),
    "atleast_1d": C(lambda m, a: m.atleast_1d(a.sum()) * 2, ((2,),)),
    "atleast_2d_many": C(lambda m, a, b: m.cat(m.atleast_2d(a, b), 1), ((1, 2), (2,))),
    "atleast_3d": C(lambda m, a, b, c: m.cat(m.atleast_3d([a, b.sum(), c]), 2).sum(1), ((1, 1, 2), (2,), (1,))),
    "atleast_3d_2d": C(lambda m, a: m.atleast_3d(a) * m.arange(2.0, dtype=m.float64), ((3, 1),)),
    # splitting
    "tensor_split_sections": C(lambda m, a: m.cat(m.tensor_split(a, 3, 1)[::2], 1), ((2, 7),)),
    "tensor_split_indices": C(lambda m, a: m.cat([t * (i + 1) for i, t in enumerate(a.tensor_split([-2, 1, 4]))]),
                              ((6, 2),)),
    "tensor_split_tensor": C(lambda m, a: a.tensor_split(m.tensor([2, 3]), dim=-1)[2], ((2, 5),)),
    "hsplit": C(lambda m, a: m.hsplit(a, 2)[1] * m.hsplit(a, [1])[0], ((3, 4),)),
    "hsplit_1d": C(lambda m, a: m.hsplit(a, 3)[1], ((6,),)),
    "vsplit": C(lambda m, a: a.vsplit([1, 2])[2], ((4, 2),)),
    "dsplit": C(lambda m, a: m.dsplit(a, 2)[0] - m.dsplit(a, 2)[1], ((2, 1, 4),)),
    # broadcasting and grids
    "broadcast_to": C(lambda m, a: m.broadcast_to(a, (2, -1, 3)) * m.arange(3.0, dtype=m.float64), ((4, 1),)),
    "broadcast_to_method": C(lambda m, a: a.broadcast_to((2, 3)), ((3,),)),
    "broadcast_tensors": C(lambda m, a, b: m.broadcast_tensors(a, b)[0] * m.broadcast_tensors(a, b)[1],
                           ((3, 1), (4,))),
    "meshgrid_ij": C(lambda m, a, b: _grid_sum(m.meshgrid(a, b, indexing="ij")), ((3,), (2,))),
    "meshgrid_xy": C(lambda m, a, b, c: _grid_sum(m.meshgrid([a, b, c], indexing="xy")), ((3,), (2,), (2,))),
    "meshgrid_0d": C(lambda m, a, b: _grid_sum(m.meshgrid(a.sum(), b, indexing="xy")), ((2,), (3,))),
    "cartesian_prod": C(lambda m, a, b: m.cartesian_prod(a, b) * m.tensor([1.0, 3.0], dtype=m.float64),
                        ((3,), (2,))),
    "cartesian_prod_one": C(lambda m, a: m.cartesian_prod(a) * 2, ((3,),)),
    # flips and rotations
    "fliplr": C(lambda m, a: m.fliplr(a) * m.arange(4.0, dtype=m.float64), ((3, 4),)),
    "flipud": C(lambda m, a: a.flipud() * m.arange(4.0, dtype=m.float64), ((3, 4),)),
    "rot90": C(lambda m, a: m.rot90(a) * m.arange(3.0, dtype=m.float64), ((3, 4),)),
    "rot90_k": C(lambda m, a: a.rot90(-3, [-1, 0]) * m.arange(3.0, dtype=m.float64), ((3, 4),)),
    "rot90_half": C(lambda m, a: m.rot90(a, 2, (2, 1)) * m.arange(3.0, dtype=m.float64), ((2, 4, 3),)),
    # writing at indices
    "index_add": C(lambda m, a, b: m.index_add(a, 1, m.tensor([0, 2, 0]), b), ((3, 4), (3, 3))),
    "index_add_alpha": C(lambda m, a, b: a.index_add(0, m.tensor([1, 1]), b, alpha=-2.5), ((3, 2), (2, 2))),
    "index_add_inplace": C(lambda m, a, b: (a * 1).index_add_(-1, m.tensor([3, 0]), b) * a, ((2, 4), (2, 2))),
    "index_copy": C(lambda m, a, b: m.index_copy(a, 0, m.tensor([2, 0]), b) * a, ((3, 2), (2, 2))),
    "index_copy_inplace": C(lambda m, a, b: (a + 0).index_copy_(1, m.tensor([1]), b), ((2, 3), (2, 1))),
    "index_fill": C(lambda m, a: m.index_fill(a, 1, m.tensor([0, -1, 0]), -1.5) * a, ((2, 4),)),
    "index_fill_tensor_value": C(lambda m, a, b: a.index_fill(0, m.tensor([1, 1, 2]), b.sum()), ((3, 2), (2,))),
    "index_fill_inplace": C(lambda m, a: (a * 2).index_fill_(0, m.tensor([1]), 0.5), ((3, 2),)),
    "masked_scatter": C(lambda m, a, b: m.masked_scatter(a, a > 0, b), ((3, 4), (13,)), "kinkfree"),
    "masked_scatter_broadcast": C(lambda m, a, b: a.masked_scatter(m.tensor([[True], [False]]), b), ((3,), (2, 2))),
    "masked_scatter_inplace": C(lambda m, a, b: (a * 1).masked_scatter_(a > 0, b), ((3, 4), (3, 4)), "kinkfree"),
    "index_put": C(lambda m, a, b: a.index_put((m.tensor([0, 2]), m.tensor([1, 1])), b), ((3, 4), (2,))),
    "index_put_broadcast": C(lambda m, a, b: m.index_put(a, (m.tensor([2, 0]),), b), ((3, 4), (4,))),
    "index_put_accumulate": C(lambda m, a, b: a.index_put([m.tensor([0, 0, 1])], b, accumulate=True),
                              ((2, 3), (1, 3))),
    "index_put_mask": C(lambda m, a, b: a.index_put((a > 0,), b.sum()), ((3, 4), (2,)), "kinkfree"),
    "index_put_inplace": C(lambda m, a, b: (a * 1).index_put_((m.tensor([1]),), b, True) * a, ((2, 3), (3,))),
    "put": C(lambda m, a, b: m.put(a, m.tensor([0, -1, 5]), b), ((3, 4), (3,))),
    "put_accumulate": C(lambda m, a, b: a.put(m.tensor([[1, 1]]), b, accumulate=True), ((2, 2), (2,))),
    "put_inplace": C(lambda m, a, b: (a * 1).put_(m.tensor([3, 0]), b) * a, ((2, 2), (1, 2))),
    "select_scatter": C(lambda m, a, b: m.select_scatter(a, b, 0, -1) * a, ((3, 4), (4,))),
    "select_scatter_method": C(lambda m, a, b: a.select_scatter(b, -1, 1), ((3, 4), (3,))),
    "diagonal_scatter": C(lambda m, a, b: m.diagonal_scatter(a, b, 1) * a, ((3, 4), (3,))),
    "diagonal_scatter_dims": C(lambda m, a, b: a.diagonal_scatter(b, -1, 2, 0), ((3, 2, 4), (2, 3))),
    "slice_scatter": C(lambda m, a, b: m.slice_scatter(a, b, 1, 0, 4, 2) * a, ((3, 4), (3, 2))),
    "slice_scatter_defaults": C(lambda m, a, b: a.slice_scatter(b, start=-1), ((3, 4), (1, 4))),
    # windows and combinations
    "unfold": C(lambda m, a: a.unfold(1, 3, 1) * m.arange(3.0, dtype=m.float64), ((2, 5),)),
    "unfold_step": C(lambda m, a: a.unfold(0, 2, 3), ((7, 2),)),
    "unfold_0d": C(lambda m, a: a.sum().unfold(0, 1, 2) * 2, ((2,),)),
    "unfold_empty_windows": C(lambda m, a: a.unfold(-1, 0, 2).sum() + a.sum(), ((2, 3),)),
    "combinations": C(lambda m, a: m.combinations(a) * m.tensor([1.0, 2.0], dtype=m.float64), ((4,),)),
    "combinations_replacement": C(lambda m, a: m.combinations(a, 3, with_replacement=True), ((3,),)),
    # differences and products
    "diff": C(lambda m, a: m.diff(a), ((3, 5),)),
    "diff_n_dim": C(lambda m, a: a.diff(n=2, dim=0), ((4, 3),)),
    "diff_prepend_append": C(lambda m, a, b, c: m.diff(a, 1, 0, b, c), ((3, 2), (1, 2), (2, 2))),
    "diff_past_length": C(lambda m, a: m.diff(a, n=4).sum() + a.sum(), ((3,),)),
    "diff_n0": C(lambda m, a: m.diff(a, n=0) * 2, ((3,),)),
    "kron": C(lambda m, a, b: m.kron(a, b), ((2, 3), (3, 2))),
    "kron_ranks": C(lambda m, a, b: a.kron(b), ((2,), (2, 1, 3))),
    "kron_0d": C(lambda m, a, b: m.kron(a.sum(), b), ((2,), (3,))),
    "cross": C(lambda m, a, b: m.cross(a, b, dim=1), ((2, 3), (2, 3))),
    "cross_broadcast": C(lambda m, a, b: a.cross(b, dim=0), ((3, 1), (3, 4))),
    "cross_default_dim": C(lambda m, a, b: _quiet(m.cross, a, b), ((4, 3), (4, 3))),
}


def _write_diagonal(a):
    """A write through the diagonal view reaches the matrix it views (PyTorch's view semantics)."""
    b = a * 1
    b.diagonal().mul_(3)
    return b


def _grid_sum(grids):
    return sum(g * (i + 1) for i, g in enumerate(grids))


def _quiet(fn, *args):
    """fn(*args) without its deprecation warning (test_shape_ops.py checks the warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args)
