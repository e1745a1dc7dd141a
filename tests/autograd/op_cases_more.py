"""Differentiable cases of the products and tensor_extras families (same form as op_cases.py), checked against
PyTorch and finite differences."""

from __future__ import annotations

from .op_cases import OpCase

C = OpCase
CASES: dict[str, OpCase] = {
    "inner_vv": C(lambda m, a, b: m.inner(a, b), ((4,), (4,))),
    "inner_batched": C(lambda m, a, b: m.inner(a, b), ((2, 3, 4), (5, 4))),
    "inner_method_scalar": C(lambda m, a, b: a.inner(b.sum()), ((3, 2), (2,))),
    "ger": C(lambda m, a, b: m.ger(a, b), ((3,), (4,))),
    "vdot": C(lambda m, a, b: a.vdot(b), ((5,), (5,))),
    "addmv": C(lambda m, x, a, v: m.addmv(x, a, v), ((3,), (3, 4), (4,))),
    "addmv_scaled": C(lambda m, x, a, v: x.addmv(a, v, beta=0.5, alpha=-2.0), ((1,), (3, 4), (4,))),
    "addr": C(lambda m, x, a, b: m.addr(x, a, b, alpha=3.0), ((3, 4), (3,), (4,))),
    "baddbmm": C(lambda m, x, a, b: m.baddbmm(x, a, b, beta=2.0), ((2, 3, 5), (2, 3, 4), (2, 4, 5))),
    "baddbmm_broadcast": C(lambda m, x, a, b: x.baddbmm(a, b, alpha=0.5), ((5,), (2, 3, 4), (2, 4, 5))),
    "addbmm": C(lambda m, x, a, b: m.addbmm(x, a, b), ((3, 5), (2, 3, 4), (2, 4, 5))),
    "addmv_inplace": C(lambda m, x, a, v: (x * 1.0).addmv_(a, v, beta=1.5), ((3,), (3, 2), (2,))),
    "baddbmm_inplace": C(lambda m, x, a, b: (x * 1.0).baddbmm_(a, b), ((2, 2, 3), (2, 2, 4), (2, 4, 3))),
    "block_diag": C(lambda m, a, b, c: m.block_diag(a, b, c), ((2, 3), (4,), (1, 2))),
    "chain_matmul": C(lambda m, a, b, c: m.chain_matmul(a, b, c), ((2, 3), (3, 4), (4, 2))),
    "remainder_tensor": C(lambda m, a, b: m.remainder(a * 3.0, b), ((3, 4), (4,)), "positive"),
    "remainder_negative_divisor": C(lambda m, a: a.remainder(-0.7), ((3, 4),), "kinkfree"),
    "remainder_inplace": C(lambda m, a, b: (a * 2.0).remainder_(b), ((3, 4), (3, 4)), "positive"),
    "scatter_reduce_sum": C(lambda m, a, s: m.scatter_reduce(a, 0, m.tensor([[0, 1], [0, 2], [2, 2]]), s, "sum"),
                            ((3, 2), (3, 2))),
    "scatter_reduce_sum_exclude": C(lambda m, a, s: a.scatter_reduce(1, m.tensor([[0, 0, 2]]), s, "sum",
                                                                     include_self=False), ((2, 4), (1, 3))),
    "scatter_reduce_mean": C(lambda m, a, s: m.scatter_reduce(a, 0, m.tensor([0, 0, 2, 2, 2]), s, "mean"),
                             ((4,), (5,))),
    "scatter_reduce_mean_exclude": C(lambda m, a, s: a.scatter_reduce(0, m.tensor([1, 1, 3]), s, "mean",
                                                                      include_self=False), ((4,), (3,))),
    "scatter_reduce_inplace": C(lambda m, a, s: (a * 1.0).scatter_reduce_(0, m.tensor([1, 0]), s, "sum"),
                                ((3,), (2,))),
    "where_method": C(lambda m, a, b: a.where(a > 0, b), ((3, 4), (4,)), "kinkfree"),
    "clone_fn": C(lambda m, a: m.clone(a) * a, ((3,),)),
    "asarray_keeps_graph": C(lambda m, a: m.asarray(a * 2.0) + a, ((3,),)),
    "msort": C(lambda m, a: m.msort(a), ((4, 3),), "kinkfree"),
    "split_with_sizes": C(lambda m, a: a.split_with_sizes([1, 3], dim=1)[1] * 2.0, ((2, 4),)),
    "cumprod_inplace": C(lambda m, a: (a * 1.0).cumprod_(0), ((4, 2),)),
    "log2_inplace": C(lambda m, a: (a * 1.0).log2_(), ((3,),), "positive"),
    "log1p_inplace_top_level": C(lambda m, a: m.log1p_(a * 1.0), ((3,),), "positive"),
    "exp_inplace_top_level": C(lambda m, a: m.exp_(a * 1.0), ((3,),)),
    "floor_inplace": C(lambda m, a: (a * 2.0).floor_() + a, ((3,),), "kinkfree"),
}
