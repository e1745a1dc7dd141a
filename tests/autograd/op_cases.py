"""Every differentiable op as a small expression, written once for both trainer and PyTorch.

Each case is `fn(m, *inputs)` where `m` is the library module (`trainer` or `torch`), plus the
input shapes and how to draw the inputs. tools/references_autograd.py evaluates the cases with
PyTorch; the tests evaluate them with trainer and with finite differences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OpCase:
    fn: Callable
    shapes: tuple[tuple[int, ...], ...]
    kind: str = "normal"  # normal | positive | kinkfree (|x| >= 0.2, values distinct)


def draw_inputs(case: OpCase, seed: int) -> list[np.ndarray]:
    """Inputs for a case in float64, drawn deterministically."""
    rng = np.random.default_rng(seed)
    out = []
    for shape in case.shapes:
        if case.kind == "positive":
            x = rng.uniform(0.5, 2.0, shape)
        elif case.kind == "kinkfree":
            x = rng.uniform(0.2, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
            x = x + np.arange(x.size).reshape(shape) * 1e-3  # no ties
        else:
            x = rng.standard_normal(shape)
        out.append(np.asarray(x, dtype=np.float64))
    return out


C = OpCase
CASES: dict[str, OpCase] = {
    # arithmetic with broadcasting
    "add": C(lambda m, a, b: a + b, ((3, 4), (4,))),
    "add_broadcast_both": C(lambda m, a, b: a + b, ((2, 1, 3), (4, 1))),
    "add_scalar": C(lambda m, a: 2.5 + a, ((3,),)),
    "sub": C(lambda m, a, b: a - b, ((3, 1), (1, 4))),
    "rsub_scalar": C(lambda m, a: 1.0 - a, ((2, 3),)),
    "mul": C(lambda m, a, b: a * b, ((3, 4), (3, 1))),
    "mul_scalar": C(lambda m, a: a * -3.0, ((2, 2),)),
    "rmul_scalar": C(lambda m, a: -3.0 * a, ((2, 2),)),
    "sub_scalar": C(lambda m, a: a - 1.5, ((2, 2),)),
    "div_scalar": C(lambda m, a: a / 4.0, ((2, 2),)),
    "scalar_tensor_ops": C(lambda m, a: (a * a).sum() * 2.0 - a.mean(), ((3, 2),)),
    "div": C(lambda m, a, b: a / b, ((3, 4), (4,)), "positive"),
    "rdiv_scalar": C(lambda m, a: 2.0 / a, ((3,),), "positive"),
    "neg": C(lambda m, a: -a, ((2, 3),)),
    "pow_int": C(lambda m, a: a**3, ((2, 3),)),
    "pow_square": C(lambda m, a: a**2, ((2, 3),)),
    "pow_frac": C(lambda m, a: a**0.5, ((4,),), "positive"),
    "pow_negative": C(lambda m, a: a**-1.5, ((4,),), "positive"),
    "rpow_scalar": C(lambda m, a: 2.0**a, ((3, 2),)),
    "pow_tensor": C(lambda m, a, b: a**b, ((3, 2), (2,)), "positive"),
    # elementwise functions
    "abs": C(lambda m, a: a.abs(), ((3, 4),), "kinkfree"),
    "exp": C(lambda m, a: a.exp(), ((3, 4),)),
    "log": C(lambda m, a: a.log(), ((3, 4),), "positive"),
    "log1p": C(lambda m, a: a.log1p(), ((3, 4),), "positive"),
    "sqrt": C(lambda m, a: a.sqrt(), ((3, 4),), "positive"),
    "sin": C(lambda m, a: a.sin(), ((3, 4),)),
    "cos": C(lambda m, a: a.cos(), ((3, 4),)),
    "tanh": C(lambda m, a: a.tanh(), ((3, 4),)),
    "sigmoid": C(lambda m, a: a.sigmoid(), ((3, 4),)),
    "sigmoid_fn": C(lambda m, a: m.sigmoid(a * 10.0), ((3, 4),)),
    "relu": C(lambda m, a: a.relu(), ((3, 4),), "kinkfree"),
    "clamp_both": C(lambda m, a: a.clamp(min=-0.5, max=0.7), ((4, 5),), "kinkfree"),
    "clamp_min": C(lambda m, a: m.clamp(a, min=0.1), ((4, 5),), "kinkfree"),
    "clamp_max": C(lambda m, a: m.clamp(a, max=-0.3), ((4, 5),), "kinkfree"),
    "maximum": C(lambda m, a, b: m.maximum(a, b), ((3, 4), (4,)), "kinkfree"),
    "minimum": C(lambda m, a, b: m.minimum(a, b), ((3, 4), (3, 1)), "kinkfree"),
    # reductions
    "sum_all": C(lambda m, a: a.sum(), ((3, 4),)),
    "sum_dim": C(lambda m, a: a.sum(dim=1), ((3, 4),)),
    "sum_dims_keepdim": C(lambda m, a: a.sum(dim=(0, 2), keepdim=True), ((2, 3, 4),)),
    "sum_negative_dim": C(lambda m, a: m.sum(a, dim=-1), ((2, 3, 4),)),
    "mean_all": C(lambda m, a: a.mean(), ((3, 4),)),
    "mean_dim_keepdim": C(lambda m, a: a.mean(dim=0, keepdim=True), ((3, 4),)),
    "var_dim": C(lambda m, a: a.var(dim=1), ((3, 5),)),
    "var_all_biased": C(lambda m, a: a.var(unbiased=False), ((3, 5),)),
    "var_correction_keepdim": C(lambda m, a: a.var(dim=0, correction=0, keepdim=True), ((4, 3),)),
    "std_dim": C(lambda m, a: a.std(dim=1), ((3, 5),)),
    "max_all": C(lambda m, a: a.max(), ((3, 4),), "kinkfree"),
    "min_all": C(lambda m, a: m.min(a), ((3, 4),), "kinkfree"),
    "max_dim": C(lambda m, a: a.max(dim=1)[0], ((3, 4),), "kinkfree"),
    "max_dim_keepdim": C(lambda m, a: a.max(dim=0, keepdim=True).values, ((3, 4),), "kinkfree"),
    "min_dim": C(lambda m, a: a.min(dim=-1).values, ((2, 3, 4),), "kinkfree"),
    "amax_dim": C(lambda m, a: m.amax(a, dim=1), ((3, 4),), "kinkfree"),
    "logsumexp": C(lambda m, a: m.logsumexp(a, dim=1), ((3, 4),)),
    "logsumexp_keepdim": C(lambda m, a: a.logsumexp(dim=0, keepdim=True), ((3, 4),)),
    # shape
    "reshape": C(lambda m, a: a.reshape(4, 3) * m.arange(3, dtype=a.dtype), ((3, 4),)),
    "view_flat": C(lambda m, a: a.view(-1) * m.arange(12, dtype=a.dtype), ((3, 4),)),
    "flatten": C(lambda m, a: a.flatten(1), ((2, 3, 4),)),
    "transpose": C(lambda m, a: a.transpose(0, 1) @ m.ones(3, 2, dtype=a.dtype), ((3, 4),)),
    "T": C(lambda m, a: a.T * m.arange(3, dtype=a.dtype), ((3, 4),)),
    "permute": C(lambda m, a: a.permute(2, 0, 1), ((2, 3, 4),)),
    "squeeze": C(lambda m, a: a.squeeze(1), ((3, 1, 4),)),
    "squeeze_all": C(lambda m, a: a.squeeze(), ((3, 1, 4, 1),)),
    "unsqueeze": C(lambda m, a: a.unsqueeze(0) * m.ones(2, 1, 1, dtype=a.dtype), ((3, 4),)),
    "expand": C(lambda m, a: a.expand(3, 4), ((1, 4),)),
    "expand_new_dim": C(lambda m, a: a.expand(2, -1, 4), ((3, 1),)),
    # indexing
    "index_slice": C(lambda m, a: a[:, 0:1], ((4, 3),)),
    "index_int": C(lambda m, a: a[1], ((4, 3),)),
    "index_ellipsis": C(lambda m, a: a[..., 0], ((2, 3, 4),)),
    "index_step": C(lambda m, a: a[::2, 1:], ((5, 3),)),
    "index_int_array_repeats": C(lambda m, a: a[m.tensor([0, 2, 0, 3])], ((4, 3),)),
    "index_two_arrays": C(lambda m, a: a[m.tensor([0, 1, 3]), m.tensor([2, 2, 0])], ((4, 3),)),
    "index_mask": C(lambda m, a: a[a > 0], ((4, 3),), "kinkfree"),
    # matmul
    "matmul_vv": C(lambda m, a, b: a @ b, ((4,), (4,))),
    "matmul_mv": C(lambda m, a, b: a @ b, ((3, 4), (4,))),
    "matmul_vm": C(lambda m, a, b: a @ b, ((4,), (4, 2))),
    "matmul_mm": C(lambda m, a, b: a @ b, ((3, 4), (4, 2))),
    "matmul_batched_m": C(lambda m, a, b: a @ b, ((2, 3, 4), (4, 5))),
    "matmul_m_batched": C(lambda m, a, b: m.matmul(a, b), ((3, 4), (2, 4, 5))),
    "matmul_batched_batched": C(lambda m, a, b: a @ b, ((2, 3, 4), (2, 4, 5))),
    "matmul_batch_broadcast": C(lambda m, a, b: a @ b, ((2, 1, 3, 4), (3, 4, 2))),
    "matmul_batched_v": C(lambda m, a, b: a @ b, ((2, 3, 4), (4,))),
    "matmul_v_batched": C(lambda m, a, b: a @ b, ((4,), (2, 4, 3))),
    # joining and selecting
    "cat_dim0": C(lambda m, a, b: m.cat([a, b], dim=0), ((2, 3), (4, 3))),
    "cat_dim1": C(lambda m, a, b: m.cat([a, b, a], dim=1), ((2, 3), (2, 1))),
    "stack_dim1": C(lambda m, a, b: m.stack([a, b], dim=1), ((2, 3), (2, 3))),
    "where": C(lambda m, a, b: m.where(a > 0, a, b), ((3, 4), (4,)), "kinkfree"),
    # composites
    "softmax_by_hand": C(lambda m, a: a.exp() / a.exp().sum(dim=1, keepdim=True), ((3, 4),)),
    "silu_by_hand": C(lambda m, a: a * a.sigmoid(), ((3, 4),)),
    "two_layer_net": C(lambda m, x, w1, w2: ((x @ w1).relu() @ w2).tanh(), ((5, 3), (3, 4), (4, 2)), "kinkfree"),
    "reused_input": C(lambda m, a: a * a.exp() + a.sin() * a, ((3,),)),
    # products
    "mm": C(lambda m, a, b: m.mm(a, b), ((3, 4), (4, 2))),
    "mm_method": C(lambda m, a, b: a.mm(b), ((2, 3), (3, 3))),
    "bmm": C(lambda m, a, b: m.bmm(a, b), ((2, 3, 4), (2, 4, 5))),
    "mv": C(lambda m, a, b: m.mv(a, b), ((3, 4), (4,))),
    "dot": C(lambda m, a, b: m.dot(a, b), ((4,), (4,))),
    "outer": C(lambda m, a, b: m.outer(a, b), ((3,), (4,))),
    "addmm": C(lambda m, c, a, b: m.addmm(c, a, b), ((4,), (3, 2), (2, 4))),
    "addmm_beta_alpha": C(lambda m, c, a, b: c.addmm(a, b, beta=0.5, alpha=-2.0), ((3, 4), (3, 2), (2, 4))),
    # elementwise (zero gradients) and clamps
    "round": C(lambda m, a: a.round() * a, ((3, 4),), "kinkfree"),
    "round_decimals": C(lambda m, a: m.round(a * 10.0, decimals=1) + a, ((3, 4),), "kinkfree"),
    "sign": C(lambda m, a: a.sign() * a, ((3, 4),), "kinkfree"),
    "clamp_min_method": C(lambda m, a: a.clamp_min(0.1), ((4, 5),), "kinkfree"),
    "clamp_max_fn": C(lambda m, a: m.clamp_max(a, -0.3), ((4, 5),), "kinkfree"),
    "square": C(lambda m, a: m.square(a), ((3,),)),
    # norms
    "norm_fro": C(lambda m, a: a.norm(), ((3, 4),)),
    "norm_p1_dim": C(lambda m, a: m.norm(a, p=1, dim=1), ((3, 4),), "kinkfree"),
    "norm_p3_keepdim": C(lambda m, a: a.norm(p=3, dim=0, keepdim=True), ((3, 4),), "kinkfree"),
    "norm_inf": C(lambda m, a: a.norm(p=float("inf"), dim=1), ((3, 4),), "kinkfree"),
    "norm_p_half": C(lambda m, a: a.norm(p=0.5), ((5,),), "kinkfree"),
    "norm_fro_dims": C(lambda m, a: m.norm(a, dim=(1, 2)), ((2, 3, 4),)),
    "linalg_norm_vector": C(lambda m, a: m.linalg.norm(a), ((2, 3, 4),)),
    "linalg_norm_matrix_ord1": C(lambda m, a: m.linalg.norm(a, ord=1), ((3, 4),), "kinkfree"),
    "linalg_norm_dim_ord_inf": C(lambda m, a: m.linalg.norm(a, ord=float("inf"), dim=1), ((3, 4),), "kinkfree"),
    "vector_norm_ord3": C(lambda m, a: m.linalg.vector_norm(a, ord=3, dim=(0, 1)), ((2, 3, 2),), "kinkfree"),
    "vector_norm_neg_inf": C(lambda m, a: m.linalg.vector_norm(a, ord=float("-inf")), ((3, 4),), "kinkfree"),
    "matrix_norm_fro": C(lambda m, a: m.linalg.matrix_norm(a), ((2, 3, 4),)),
    "matrix_norm_inf_keepdim": C(lambda m, a: m.linalg.matrix_norm(a, ord=float("inf"), keepdim=True), ((2, 3, 4),),
                                 "kinkfree"),
    "matrix_norm_neg1": C(lambda m, a: m.linalg.matrix_norm(a, ord=-1), ((3, 4),), "kinkfree"),
    "matrix_norm_nuc": C(lambda m, a: m.linalg.matrix_norm(a, ord="nuc"), ((3, 4),)),
    "matrix_norm_2": C(lambda m, a: m.linalg.matrix_norm(a, ord=2, dim=(0, 2)), ((3, 2, 4),)),
    "matrix_norm_neg2": C(lambda m, a: m.linalg.matrix_norm(a, ord=-2), ((3, 3),)),
    # gather, scatter, masked_fill
    "gather": C(lambda m, a: a.gather(1, m.tensor([[0, 2, 2], [1, 0, 0], [3, 3, 1]])), ((3, 4),)),
    "gather_smaller_index": C(lambda m, a: m.gather(a, 0, m.tensor([[2, 0], [0, 0]])), ((3, 4),)),
    "scatter_src": C(lambda m, a, b: a.scatter(1, m.tensor([[0, 2], [3, 1]]), b), ((2, 4), (2, 2))),
    "scatter_value": C(lambda m, a: m.scatter(a, 0, m.tensor([[1, 0, 2]]), 1.5) * a, ((3, 3),)),
    "scatter_add": C(lambda m, a, b: a.scatter_add(0, m.tensor([[0, 1, 0], [0, 2, 0]]), b), ((3, 3), (2, 3))),
    "masked_fill": C(lambda m, a: a.masked_fill(a > 0, -1.0) * a, ((3, 4),), "kinkfree"),
    "masked_fill_broadcast_mask": C(lambda m, a: m.masked_fill(a, m.tensor([True, False, True, False]), 2.0),
                                    ((3, 4),)),
    "masked_fill_tensor_value": C(lambda m, a, v: a.masked_fill(a < 0, v.sum()), ((3, 4), (2,)), "kinkfree"),
    # sorting
    "sort": C(lambda m, a: a.sort().values, ((3, 4),), "kinkfree"),
    "sort_desc_dim0": C(lambda m, a: m.sort(a, dim=0, descending=True)[0], ((3, 4),), "kinkfree"),
    "sort_stable": C(lambda m, a: a.sort(stable=True, dim=1).values * m.arange(4.0), ((2, 4),), "kinkfree"),
    "argsort_gather": C(lambda m, a: a.gather(1, a.argsort(dim=1, descending=True)), ((3, 4),), "kinkfree"),
    "topk": C(lambda m, a: a.topk(2).values, ((3, 4),), "kinkfree"),
    "topk_smallest_dim0": C(lambda m, a: m.topk(a, 2, dim=0, largest=False)[0], ((3, 4),), "kinkfree"),
    # scans
    "cumsum": C(lambda m, a: a.cumsum(dim=1), ((3, 4),)),
    "cumsum_fn_dim0": C(lambda m, a: m.cumsum(a, 0), ((3, 4),)),
    "cumprod": C(lambda m, a: a.cumprod(1), ((3, 4),)),
    "cumprod_with_zero": C(lambda m, a: (a * m.tensor([1.0, 0.0, 1.0, 1.0], dtype=a.dtype)).cumprod(1),
                           ((2, 4),)),
    # einsum
    "einsum_matmul": C(lambda m, a, b: m.einsum("ij,jk->ik", a, b), ((3, 4), (4, 2))),
    "einsum_batched": C(lambda m, a, b: m.einsum("bij,bjk->bik", a, b), ((2, 3, 4), (2, 4, 5))),
    "einsum_implicit": C(lambda m, a, b: m.einsum("ij,jk", a, b), ((3, 4), (4, 2))),
    "einsum_trace": C(lambda m, a: m.einsum("ii", a), ((3, 3),)),
    "einsum_diag": C(lambda m, a: m.einsum("ii->i", a), ((3, 3),)),
    "einsum_sum_out": C(lambda m, a: m.einsum("ij->j", a), ((3, 4),)),
    "einsum_outer": C(lambda m, a, b: m.einsum("i,j->ij", a, b), ((3,), (4,))),
    "einsum_ellipsis": C(lambda m, a, b: m.einsum("...ij,...jk->...ik", a, b), ((2, 1, 3, 4), (3, 4, 2))),
    "einsum_three": C(lambda m, a, b, c: m.einsum("ij,jk,kl->il", a, b, c), ((2, 3), (3, 4), (4, 2))),
    "einsum_list": C(lambda m, a, b: m.einsum("i,i->", [a, b]), ((4,), (4,))),
    "einsum_transpose": C(lambda m, a: m.einsum("ijk->kji", a), ((2, 3, 4),)),
    # splitting and rearranging
    "chunk": C(lambda m, a: m.cat([c * (i + 1) for i, c in enumerate(a.chunk(3, dim=1))], dim=1), ((2, 5),)),
    "split_int": C(lambda m, a: m.cat([c * (i + 1) for i, c in enumerate(m.split(a, 2))]), ((5, 2),)),
    "split_sizes": C(lambda m, a: a.split([1, 3], dim=1)[1], ((2, 4),)),
    "unbind": C(lambda m, a: a.unbind(1)[2] * a.unbind(1)[0], ((2, 3),)),
    "narrow": C(lambda m, a: a.narrow(1, 1, 2), ((3, 4),)),
    "softmax_method": C(lambda m, a: a.softmax(1), ((3, 4),)),
    "softmax_fn_dim0": C(lambda m, a: m.softmax(a, dim=0), ((3, 4),)),
    "log_softmax_method": C(lambda m, a: a.log_softmax(dim=-1), ((3, 4),)),
    "log_softmax_fn": C(lambda m, a: m.log_softmax(a, 1), ((2, 3, 4),)),
    "t": C(lambda m, a: a.t() * m.arange(3.0), ((3, 4),)),
    "t_fn": C(lambda m, a: m.t(a), ((3, 2),)),
    "view_as": C(lambda m, a, b: a.view_as(b) * b, ((3, 4), (4, 3))),
    "expand_as": C(lambda m, a, b: a.expand_as(b) * b, ((1, 4), (3, 4))),
    "repeat": C(lambda m, a: a.repeat(2, 3), ((2, 3),)),
    "repeat_new_dims": C(lambda m, a: a.repeat(2, 1, 2), ((3,),)),
    "flip": C(lambda m, a: a.flip(0) * m.arange(12.0).reshape(3, 4), ((3, 4),)),
    "flip_fn_dims": C(lambda m, a: m.flip(a, (0, 1)), ((3, 4),)),
    "roll": C(lambda m, a: a.roll(1, 1) * m.arange(12.0).reshape(3, 4), ((3, 4),)),
    "roll_flat": C(lambda m, a: m.roll(a, 5) * m.arange(12.0).reshape(3, 4), ((3, 4),)),
    "roll_dims": C(lambda m, a: a.roll((1, -1), (0, 1)), ((3, 4),)),
    "tril": C(lambda m, a: a.tril(), ((3, 4),)),
    "triu_diagonal": C(lambda m, a: m.triu(a, diagonal=1), ((2, 3, 3),)),
    "tril_negative": C(lambda m, a: m.tril(a, -1), ((4, 3),)),
}
