"""Value cases of the signal_windows, numeric_extras and linalg_legacy families and of the top-level functional
forms (see value_cases.py): histograms, windows, dtypes, named results, and the exception classes PyTorch raises."""

from __future__ import annotations

from typing import Any

from .value_cases import INF, NAN, ValueCase

V = ValueCase
DATA = [0.5, 2.25, -1.0, 3.5, 2.25, 0.0, 7.0, -3.0]
WINDOWS = ("hann_window", "hamming_window", "bartlett_window", "blackman_window", "kaiser_window")


def _windows(m: Any, **kwargs: Any) -> list:
    return [getattr(m, name)(n, periodic, **kwargs) for name in WINDOWS for n in (0, 1, 2, 5, 8)
            for periodic in (True, False)]


def _new_facts(m: Any, a: Any) -> list:
    empty, sized, data, size = a.new(), a.new(2, 3), a.new([1.7, -2]), a.new(m.Size([4]))
    return [empty, list(sized.shape), sized.dtype == a.dtype, data, list(size.shape), a.new(a) is a,
            a.new((2, 3))]


CASES: dict[str, ValueCase] = {
    # histogram
    "histogram_bins": V(lambda m, a: list(m.histogram(a, 4)), (DATA,)),
    "histogram_range_weight": V(lambda m, a: list(a.histogram(3, range=(-1.0, 4.0), weight=a.abs())), (DATA,)),
    "histogram_density": V(lambda m, a: list(m.histogram(a, 5, density=True)), (DATA,)),
    "histogram_edges": V(lambda m, a, e: list(m.histogram(a, e)), (DATA, [-1.0, 0.5, 2.25, 7.0])),
    "histogram_float32": V(lambda m, a: list(m.histogram(a, 3, density=True, weight=a * 0 + 2)), (DATA,),
                           ("float32",)),
    "histogram_constant_and_empty": V(lambda m, a: [list(m.histogram(a, 4)), list(m.histogram(a[:0], 3))],
                                      ([1.0, 1.0, 1.0],)),
    "histogram_fields": V(lambda m, a: [type(m.histogram(a, 2)).__name__, m.histogram(a, 2).hist,
                                        m.histogram(a, 2).bin_edges], (DATA,)),
    "histogram_2d": V(lambda m, a: list(m.histogram(a.reshape(2, 4), 3)), (DATA,)),
    "histogram_int_raises": V(lambda m, a: m.histogram(a, 2), ([1, 2],), ("int64",)),
    "histogram_zero_bins_raises": V(lambda m, a: m.histogram(a, 0), (DATA,)),
    "histogram_bad_range_raises": V(lambda m, a: m.histogram(a, 2, range=(3.0, 1.0)), (DATA,)),
    "histogram_nan_raises": V(lambda m, a: m.histogram(a, 2), ([1.0, NAN],)),
    "histogram_inf_raises": V(lambda m, a: m.histogram(a, 2), ([1.0, INF],)),
    "histogram_edges_dtype_raises": V(lambda m, a: m.histogram(a, m.tensor([0.0, 1.0])), (DATA,)),
    "histogram_edges_2d_raises": V(lambda m, a, e: m.histogram(a, e), (DATA, [[0.0, 1.0]])),
    "histogram_weight_raises": V(lambda m, a: m.histogram(a, 2, weight=a[:2]), (DATA,)),
    # windows
    "windows_float32": V(lambda m: _windows(m)),
    "windows_float64": V(lambda m: _windows(m, dtype=m.float64)),
    "window_options": V(lambda m: [m.hamming_window(6, False, 0.5, 0.4), m.kaiser_window(7, False, 5.0),
                                   m.kaiser_window(6, True, 0.0, dtype=m.float64),
                                   m.hann_window(4, requires_grad=True).requires_grad]),
    "window_int_dtype_raises": V(lambda m: m.hann_window(3, dtype=m.int64)),
    "window_negative_raises": V(lambda m: m.blackman_window(-1)),
    # frexp, ldexp, nextafter, i0, polygamma
    "frexp": V(lambda m, a: list(m.frexp(a)), ([0.0, -0.0, -3.5, 1e-310, 6.0, INF, -INF, NAN, 0.1],)),
    "frexp_float32_method": V(lambda m, a: [type(a.frexp()).__name__, *a.frexp()], ([0.3, -12.0, 1e-40],),
                              ("float32",)),
    "frexp_int_raises": V(lambda m, a: m.frexp(a), ([1, 2],), ("int64",)),
    "ldexp_dtypes": V(lambda m, a, b, c: [m.ldexp(a, b), m.ldexp(c, b), m.ldexp(a, c), a.ldexp(b), c.ldexp_(b)],
                      ([1, 3, -2], [-2, 0, 5], [1.5, 0.25, -1.0]), ("int64", "int64", "float32")),
    "nextafter": V(lambda m, a, b: [m.nextafter(a, b), a.nextafter(b.float()), m.nextafter(a.float(), b.float()),
                                    a.clone().nextafter_(b)], ([0.0, 1.0, -1.0, INF, 2.0], [1.0, 0.0, -INF, 0.0, 2.0])),
    "nextafter_int_raises": V(lambda m, a: m.nextafter(a, a), ([1, 2],), ("int64",)),
    "i0": V(lambda m, a: [m.i0(a), a.float().i0(), m.i0(a.long()), a.clone().i0_()],
            ([0.0, 0.5, -1.5, 3.0, 12.0, -30.0, INF, -INF, NAN],)),
    "polygamma": V(lambda m, a: [m.polygamma(n, a) for n in range(5)],
                   ([0.25, 0.5, 1.0, 2.5, 7.0, 30.0, 150.0, -0.5, -2.25, 1e-3],)),
    "polygamma_float32_int": V(lambda m, a: [m.polygamma(2, a), m.polygamma(3, a.float()), a.polygamma(1)],
                               ([1, 2, 5],), ("int64",)),
    "polygamma_negative_n_raises": V(lambda m, a: m.polygamma(-1, a), ([1.0],)),
    # index_reduce
    "index_reduce_all": V(lambda m, a, s: [m.index_reduce(a, 0, m.tensor([0, 4, 2, 0]), s, r, include_self=i)
                                           for r in ("prod", "mean", "amax", "amin") for i in (True, False)],
                          ([[2.0, -1.0, 0.5]] * 5, [[0.0, 1.0, 2.0], [3.0, NAN, 5.0], [6.0, 7.0, -8.0],
                                                     [9.0, 10.0, 11.0]])),
    "index_reduce_int_mean": V(lambda m, a, s: [a.index_reduce(0, m.tensor([0, 0]), s, "mean"),
                                                a.index_reduce(1, m.tensor([1, 1], dtype=m.int32), s.T, "amax")],
                               ([[1, 2], [3, 4]], [[5, 6], [7, 9]]), ("int64", "int64")),
    "index_reduce_inplace": V(lambda m, a, s: a.clone().index_reduce_(0, m.tensor([1, 1]), s, "prod",
                                                                      include_self=False), ([1.0, 2.0], [3.0, 4.0])),
    "index_reduce_sum_raises": V(lambda m, a: a.index_reduce(0, m.tensor([0]), a[:1], "sum"), ([1.0, 2.0],)),
    "index_reduce_float_index_raises": V(lambda m, a: a.index_reduce(0, m.tensor([0.0]), a[:1], "prod"), ([1.0],)),
    "index_reduce_out_of_range_raises": V(lambda m, a: a.index_reduce(0, m.tensor([5]), a[:1], "prod"), ([1.0],)),
    "index_reduce_dtype_raises": V(lambda m, a: a.index_reduce(0, m.tensor([0]), a[:1].float(), "prod"), ([1.0],)),
    "index_reduce_2d_index_raises": V(lambda m, a: a.index_reduce(0, m.tensor([[0]]), a[:1], "prod"), ([1.0],)),
    "index_reduce_length_raises": V(lambda m, a: a.index_reduce(0, m.tensor([0, 1]), a[:1], "prod"), ([1.0, 2.0],)),
    # Tensor.new, fill_diagonal_
    "new": V(lambda m, a: _new_facts(m, a), ([1.5, 2.0],)),
    "new_int": V(lambda m, a: [a.new([1.7, -2.2]), a.new(3).dtype == a.dtype], ([1, 2],), ("int64",)),
    "new_other_dtype_raises": V(lambda m, a: a.new(m.tensor([1])), ([1.0],)),
    "new_scalar_raises": V(lambda m, a: a.new(2.5), ([1.0],)),
    "new_ragged_raises": V(lambda m, a: a.new([[1, 2], [3]]), ([1.0],)),
    "new_negative_raises": V(lambda m, a: a.new(-1), ([1.0],)),
    "fill_diagonal": V(lambda m, a: [a.reshape(3, 4).clone().fill_diagonal_(9.0), a.reshape(4, 3).clone()
                                     .fill_diagonal_(-1.0), a.reshape(6, 2).clone().fill_diagonal_(5.0, wrap=True),
                                     a[:8].reshape(2, 2, 2).clone().fill_diagonal_(0.0)], (list(range(12)),)),
    "fill_diagonal_int": V(lambda m, a: a.reshape(2, 3).clone().fill_diagonal_(1.7), (list(range(6)),), ("int64",)),
    "fill_diagonal_1d_raises": V(lambda m, a: a.fill_diagonal_(1.0), ([1.0, 2.0],)),
    "fill_diagonal_unequal_raises": V(lambda m, a: m.zeros(2, 3, 3).fill_diagonal_(1.0), ([1.0],)),
    # linalg_legacy
    "svd_shapes": V(lambda m, a: [[list(t.shape) for t in m.svd(a, some=s)] for s in (True, False)]
                    + [m.svd(a).S, list(m.svd(a, compute_uv=False))[::2], type(m.svd(a)).__name__],
                    ([[3.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 4.0], [2.0, 0.0, 1.0]],)),
    "qr_shapes": V(lambda m, a: [[list(t.shape) for t in m.qr(a, some=s)] for s in (True, False)]
                   + [type(m.qr(a)).__name__, m.qr(a).R.abs()], ([[3.0, 1.0], [1.0, 2.0], [0.0, 1.0]],)),
    "triangular_solve": V(lambda m, b, a: [type(m.triangular_solve(b, a)).__name__, *m.triangular_solve(b, a),
                                           b.triangular_solve(a, upper=False, unitriangular=True).solution,
                                           m.triangular_solve(b, a, transpose=True).solution],
                          ([[1.0, 2.0], [3.0, 4.0]], [[2.0, 1.0], [0.5, 4.0]])),
    "triangular_solve_1d_raises": V(lambda m, b, a: m.triangular_solve(b, a), ([1.0, 2.0], [[2.0, 1.0], [0.5, 4.0]])),
    # top-level functional forms
    "dropout_forms": V(lambda m, a: [m.dropout(a, 0.5, False), m.alpha_dropout(a, 0.3, False),
                                     m.feature_dropout(a, 0.0, True), m.feature_alpha_dropout(a, 0.2, False),
                                     m.dropout(a, 1.0, True), m.dropout_(a.clone(), 0.0, True),
                                     m.feature_dropout(a, 1.0, True)], ([[1.0, -2.0], [3.0, 0.5]],)),
    "dropout_p_raises": V(lambda m, a: m.dropout(a, 1.5, True), ([1.0],)),
    "embedding_forms": V(lambda m, w: [m.embedding(w, m.tensor([2, 0, 2])), m.embedding(w, m.tensor([[1], [0]]), 0)],
                         ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],)),
    "kl_div_reductions": V(lambda m, a, t: [m.kl_div(a, t), m.kl_div(a, t, 0), m.kl_div(a, t, 1), m.kl_div(a, t, 2),
                                            m.kl_div(a, t, 2, log_target=True)],
                           ([-1.0, -0.5, -2.0], [0.2, 0.5, 0.3])),
    "loss_reductions": V(lambda m, a, b, y: [m.hinge_embedding_loss(a, y), m.hinge_embedding_loss(a, y, 0.5, 2),
                                             m.margin_ranking_loss(a, b, y), m.margin_ranking_loss(a, b, y, 0.1, 1),
                                             m.binary_cross_entropy_with_logits(a, b.sigmoid()),
                                             m.binary_cross_entropy_with_logits(a, b.sigmoid(), None, b.abs(), 2),
                                             m.cosine_embedding_loss(a.reshape(1, 3), b.reshape(1, 3), y[:1])],
                         ([0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [1.0, -1.0, 1.0])),
    "constant_pad_nd": V(lambda m, a: [m.constant_pad_nd(a, [1, 0]), m.constant_pad_nd(a, [0, 1, 1, 1], -2.5)],
                         ([[1.0, 2.0], [3.0, 4.0]],)),
    "constant_pad_nd_odd_raises": V(lambda m, a: m.constant_pad_nd(a, [1]), ([[1.0, 2.0]],)),
    "norm_forms": V(lambda m, x: [m.batch_norm(x, None, None, m.zeros(2, dtype=m.float64),
                                               m.ones(2, dtype=m.float64), False, 0.1, 1e-5, False),
                                  m.instance_norm(x.reshape(1, 2, 2), None, None, None, None, True, 0.1, 1e-5, False)],
                    ([[1.0, 2.0], [3.0, 5.0]],)),
    "activation_forms": V(lambda m, a: [m.selu(a), m.celu(a, 2.0), m.hardshrink(a, 1.0), m.rrelu(a),
                                        m.prelu(a, m.tensor([0.25], dtype=m.float64)), m.selu_(a.clone()),
                                        m.pixel_unshuffle(m.pixel_shuffle(a.reshape(1, 4, 1, 1), 2), 2)],
                          ([-2.0, -0.5, 0.5, 3.0],)),
}


def _trapezoid_grads(m, y, x):
    """The trapezoidal rule's values and gradients with respect to both the samples and their positions."""
    y.requires_grad_()
    x.requires_grad_()
    parts = [m.trapezoid(y, x), m.trapezoid(y, dx=0.5, dim=0), m.cumulative_trapezoid(y, x), m.trapz(y, dx=2.0)]
    sum(p.sum() for p in parts).backward()
    return [p.detach() for p in parts] + [y.grad, x.grad]


CASES.update({
    "trapezoid_grads": V(_trapezoid_grads, ([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], [0.0, 1.0, 3.0])),
    "trapezoid_x_same_shape": V(lambda m, y, x: [m.trapezoid(y, x, dim=0), m.cumulative_trapezoid(y, x, dim=0)],
                                ([[1.0, 2.0], [3.0, 5.0], [4.0, 0.5]], [[0.0, 0.0], [1.0, 2.0], [3.0, 2.5]])),
    "trapezoid_ints_and_empty": V(lambda m, y: [m.trapezoid(y), m.trapezoid(y[:0]), m.cumulative_trapezoid(y)],
                                  ([1, 2, 3],), ("int64",)),
    "trapezoid_wrong_x": V(lambda m, y, x: m.trapezoid(y, x), ([1.0, 2.0, 3.0], [0.0, 1.0])),
    "trapezoid_x_and_dx": V(lambda m, y, x: m.trapezoid(y, x=x, dx=1.0), ([1.0, 2.0, 3.0], [0.0, 1.0, 2.0])),
})
