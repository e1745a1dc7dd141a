"""Differentiable cases of the signal_windows, numeric_extras and linalg_legacy families and of the top-level
functional forms (trainer.nn.torch_functional), checked against PyTorch and finite differences."""

from __future__ import annotations

from typing import Any

from .op_cases import OpCase


def _svd_parts(m: Any, a: Any) -> Any:
    """The singular values and the product U diag(S) V^T (free of the vectors' signs)."""
    u, s, v = m.svd(a)
    return m.cat([s, ((u * s) @ v.T).reshape(-1)])


def _qr_parts(m: Any, a: Any) -> Any:
    q, r = m.qr(a)
    return m.cat([r.abs().reshape(-1), (q @ r).reshape(-1)])


def _signs(m: Any, *values: float) -> Any:
    return m.tensor(values, dtype=m.float64)


C = OpCase
CASES: dict[str, OpCase] = {
    # numeric_extras
    "frexp_mantissa": C(lambda m, a: m.frexp(a * 3.0).mantissa, ((3, 4),), "kinkfree"),
    "ldexp": C(lambda m, a, b: m.ldexp(a, m.tensor([1, 0, 3])) + a.ldexp(b.round()), ((3,), (3,))),
    "ldexp_inplace": C(lambda m, a: (a * 1.0).ldexp_(m.tensor([2.0, -1.0])), ((2,),)),
    "i0": C(lambda m, a: m.i0(a * 3.0), ((3, 4),)),
    "i0_inplace": C(lambda m, a: (a * 1.0).i0_(), ((4,),)),
    "polygamma_0": C(lambda m, a: m.polygamma(0, a), ((5,),), "positive"),
    "polygamma_1": C(lambda m, a: m.polygamma(1, a), ((5,),), "positive"),
    "polygamma_2": C(lambda m, a: a.polygamma(2), ((5,),), "positive"),
    "polygamma_3_negative": C(lambda m, a: m.polygamma(3, a - 3.5), ((4,),), "positive"),
    "polygamma_inplace": C(lambda m, a: (a * 2.0).polygamma_(2), ((3,),), "positive"),
    "index_reduce_prod": C(lambda m, a, s: m.index_reduce(a, 0, m.tensor([0, 2, 0]), s, "prod"), ((3, 2), (3, 2))),
    "index_reduce_prod_exclude": C(lambda m, a, s: a.index_reduce(1, m.tensor([1, 1, 0]), s, "prod",
                                                                  include_self=False), ((2, 3), (2, 3))),
    "index_reduce_mean": C(lambda m, a, s: a.index_reduce(0, m.tensor([1, 1, 3]), s, "mean"), ((4, 2), (3, 2))),
    "index_reduce_mean_exclude": C(lambda m, a, s: a.index_reduce(0, m.tensor([1, 1, 3]), s, "mean",
                                                                  include_self=False), ((4,), (3,))),
    "index_reduce_amax": C(lambda m, a, s: a.index_reduce(0, m.tensor([0, 0, 2]), s, "amax"), ((3, 2), (3, 2)),
                           "kinkfree"),
    "index_reduce_amin_exclude": C(lambda m, a, s: a.index_reduce(1, m.tensor([0, 0]), s, "amin",
                                                                  include_self=False), ((2, 3), (2, 2)), "kinkfree"),
    "index_reduce_inplace": C(lambda m, a, s: (a * 1.0).index_reduce_(0, m.tensor([2, 0]), s, "prod"),
                              ((3,), (2,))),
    "fill_diagonal": C(lambda m, a: (a * 1.0).fill_diagonal_(2.5) * a, ((3, 4),)),
    "fill_diagonal_wrap": C(lambda m, a: (a * 1.0).fill_diagonal_(-1.0, wrap=True), ((7, 3),)),
    # linalg_legacy
    "svd": C(lambda m, a: _svd_parts(m, a), ((4, 3),)),
    "qr": C(lambda m, a: _qr_parts(m, a), ((4, 3),)),
    "triangular_solve": C(lambda m, b, a: m.triangular_solve(b, a.triu() + m.eye(3) * 3.0).solution,
                          ((3, 2), (3, 3))),
    "triangular_solve_lower_transpose": C(lambda m, b, a: b.triangular_solve(a + m.eye(3) * 3.0, upper=False,
                                                                             transpose=True)[0], ((3, 2), (3, 3))),
    "triangular_solve_unit_clone": C(lambda m, b, a: m.cat(list(m.triangular_solve(b, a, unitriangular=True)), 1),
                                     ((3, 1), (3, 3))),
    # top-level functional forms
    "selu": C(lambda m, a: m.selu(a), ((3, 4),), "kinkfree"),
    "celu": C(lambda m, a: m.celu(a, 0.7), ((3, 4),), "kinkfree"),
    "prelu": C(lambda m, a, w: m.prelu(a, w), ((2, 3, 4), (3,)), "kinkfree"),
    "hardshrink": C(lambda m, a: m.hardshrink(a, 0.3), ((3, 4),), "kinkfree"),
    "rrelu_eval": C(lambda m, a: m.rrelu(a, 0.1, 0.3, False), ((3, 4),), "kinkfree"),
    "dropout_eval": C(lambda m, a: m.dropout(a, 0.5, False) * 2.0, ((3,),)),
    "dropout_p0": C(lambda m, a: m.feature_dropout(a, 0.0, True) + m.alpha_dropout(a, 0.0, True), ((2, 3),)),
    "embedding": C(lambda m, w: m.embedding(w, m.tensor([[0, 2], [2, 3]])), ((4, 3),)),
    "batch_norm_train": C(lambda m, x, w, b: m.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
                          ((4, 3), (3,), (3,))),
    "batch_norm_eval": C(lambda m, x, w: m.batch_norm(x, w, None, m.tensor([0.5, -0.5], dtype=m.float64),
                                                      m.tensor([2.0, 0.5], dtype=m.float64),
                                                      False, 0.1, 1e-3, True), ((3, 2, 2), (2,))),
    "instance_norm": C(lambda m, x, w, b: m.instance_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
                       ((2, 3, 4), (3,), (3,))),
    "bilinear": C(lambda m, a, b, w, c: m.bilinear(a, b, w, c), ((2, 3), (2, 4), (5, 3, 4), (5,))),
    "kl_div": C(lambda m, a, t: m.kl_div(a, t.abs(), 1), ((3, 4), (3, 4))),
    "kl_div_sum_log_target": C(lambda m, a, t: m.kl_div(a, t, 2, log_target=True), ((3, 4), (3, 4))),
    "kl_div_default_none": C(lambda m, a, t: m.kl_div(a, t.abs()), ((3, 4), (3, 4))),
    "cosine_embedding_loss": C(lambda m, a, b: m.cosine_embedding_loss(a, b, _signs(m, 1.0, -1.0, 1.0), 0.1, 1),
                               ((3, 4), (3, 4))),
    "hinge_embedding_loss": C(lambda m, a: m.hinge_embedding_loss(a, _signs(m, 1.0, -1.0, -1.0), 1.5, 2),
                              ((3,),), "kinkfree"),
    "margin_ranking_loss": C(lambda m, a, b: m.margin_ranking_loss(a, b, _signs(m, 1.0, -1.0, 1.0), 0.2),
                             ((3,), (3,)), "kinkfree"),
    "bce_with_logits": C(lambda m, a, t: m.binary_cross_entropy_with_logits(
        a, t.sigmoid(), m.tensor([0.5, 1.0, 2.0], dtype=m.float64), m.tensor([3.0, 1.0, 0.5], dtype=m.float64), 1),
        ((2, 3), (2, 3))),
    "pixel_shuffle": C(lambda m, a: m.pixel_unshuffle(m.pixel_shuffle(a, 2) * a.sum(), 2), ((1, 4, 2, 3),)),
    "constant_pad_nd": C(lambda m, a: m.constant_pad_nd(a, [1, 2, 0, 1], 0.5) * 2.0, ((2, 3),)),
}
