"""Value cases for the activation family (see value_cases.py), compared with PyTorch's results."""

from __future__ import annotations

import warnings

from .value_cases import INF, NAN, SPECIAL, ValueCase

# the bounds and kinks of the cut-off activations, NaN and the infinities, with upstream gradients that are inf or
# NaN at some of them (PyTorch passes +0 where an op cut its input off, whatever the upstream gradient)
EDGES = [-3.0, -1.0, -0.5, 0.0, -0.0, 0.5, 0.7, 1.0, 3.0, 6.0, NAN, INF, -INF, 20.0, -20.0, 1e-300, -2.9]
G_EDGES = [INF, NAN, -1.0, 2.0, 3.0, INF, NAN, -INF, 5.0, 4.0, 4.0, 1.0, 1.0, -2.0, INF, 1.5, 0.25]
G_SPECIAL = [1.0, -2.0, INF, NAN, 3.0, -1.0, 2.0, -INF, 0.5]


def F(m):  # noqa: N802 - PyTorch's alias
    return m.nn.functional


def through(fn):
    """Output, input gradient for the upstream gradient `g`, and the node's name, of fn(m, x) on a fresh leaf."""
    def run(m, a, g):
        x = a.clone().requires_grad_(True)
        y = fn(m, x)
        y.backward(g)
        return [y.detach(), x.grad, type(y.grad_fn).__name__]
    return run


def in_place(fn):
    """fn(m, h) on h = x * 1 (a non-leaf), which it must overwrite and return: output, gradient, node name."""
    def run(m, a, g):
        x = a.clone().requires_grad_(True)
        h = x * 1
        y = fn(m, h)
        same = y is h
        y.backward(g)
        return [y.detach(), x.grad, type(y.grad_fn).__name__, same]
    return run


def seeded_rrelu(inplace: bool, lower: float = 1.0 / 8, upper: float = 1.0 / 3):
    """rrelu in training mode after manual_seed(0): output, gradient, and the next draw (the generator's position)."""
    def run(m, a, g):
        m.manual_seed(0)
        x = a.clone().requires_grad_(True)
        h = x * 1
        y = (F(m).rrelu_(h, lower, upper, True) if inplace else F(m).rrelu(h, lower, upper, training=True))
        y.backward(g)
        return [y.detach(), x.grad, type(y.grad_fn).__name__, m.rand(2, dtype=a.dtype)]
    return run


def _implicit_dim(m, a):
    """softmin without dim: PyTorch's legacy choice, and its deprecation warning (recorded, not shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = F(m).softmin(a)
    return [out, [str(w.message) for w in caught]]


V = ValueCase
_POINTWISE = {
    "hardtanh": lambda m, x: F(m).hardtanh(x),
    "hardtanh_bounds": lambda m, x: F(m).hardtanh(x, -0.5, 0.7),
    "hardtanh_equal_bounds": lambda m, x: F(m).hardtanh(x, 0.5, 0.5),
    "relu6": lambda m, x: F(m).relu6(x),
    "threshold": lambda m, x: F(m).threshold(x, 0.5, 20.0),
    "threshold_value_below": lambda m, x: F(m).threshold(x, 0.5, -1.0),
    "hardsigmoid": lambda m, x: F(m).hardsigmoid(x),
    "hardswish": lambda m, x: F(m).hardswish(x),
    "softshrink": lambda m, x: F(m).softshrink(x),
    "softshrink_zero": lambda m, x: F(m).softshrink(x, 0.0),
    "softshrink_one": lambda m, x: F(m).softshrink(x, 1.0),
    "hardshrink": lambda m, x: F(m).hardshrink(x),
    "hardshrink_negative_lambd": lambda m, x: F(m).hardshrink(x, -1.0),
    "mish": lambda m, x: F(m).mish(x),
    "selu": lambda m, x: F(m).selu(x),
    "celu": lambda m, x: F(m).celu(x),
    "celu_alpha": lambda m, x: F(m).celu(x, 0.5),
    "celu_alpha_inexact": lambda m, x: F(m).celu(x, 0.6),
    "elu": lambda m, x: F(m).elu(x),
    "logsigmoid": lambda m, x: F(m).logsigmoid(x),
    "softsign": lambda m, x: F(m).softsign(x),
    "tanhshrink": lambda m, x: F(m).tanhshrink(x),
    "rrelu_eval": lambda m, x: F(m).rrelu(x),
    "leaky_relu": lambda m, x: F(m).leaky_relu(x, 0.2),
    "prelu": lambda m, x: F(m).prelu(x, m.tensor([0.3], dtype=x.dtype)),
    "nn_hardtanh": lambda m, x: m.nn.Hardtanh(-2.0, 0.5)(x),
    "nn_relu6": lambda m, x: m.nn.ReLU6()(x),
    "nn_threshold": lambda m, x: m.nn.Threshold(1.0, 0.5)(x),
    "nn_selu": lambda m, x: m.nn.SELU()(x),
    "nn_celu": lambda m, x: m.nn.CELU(2.0)(x),
    "nn_mish": lambda m, x: m.nn.Mish()(x),
    "nn_hardswish": lambda m, x: m.nn.Hardswish()(x),
    "nn_hardsigmoid": lambda m, x: m.nn.Hardsigmoid()(x),
    "nn_logsigmoid": lambda m, x: m.nn.LogSigmoid()(x),
    "nn_softsign": lambda m, x: m.nn.Softsign()(x),
    "nn_tanhshrink": lambda m, x: m.nn.Tanhshrink()(x),
    "nn_softshrink": lambda m, x: m.nn.Softshrink(0.7)(x),
    "nn_hardshrink": lambda m, x: m.nn.Hardshrink(0.7)(x),
    "nn_rrelu_eval": lambda m, x: m.nn.RReLU(0.1, 0.3).eval()(x),
    "nn_prelu": lambda m, x: m.nn.PReLU(1, 0.1).to(x.dtype)(x),
}
_IN_PLACE = {
    "hardtanh_": lambda m, h: F(m).hardtanh_(h, -0.5, 0.7),
    "hardtanh_inplace": lambda m, h: F(m).hardtanh(h, inplace=True),
    "relu6_inplace": lambda m, h: F(m).relu6(h, inplace=True),
    "threshold_": lambda m, h: F(m).threshold_(h, 0.5, 20.0),
    "threshold_inplace_value_below": lambda m, h: F(m).threshold(h, 0.5, -1.0, inplace=True),
    "elu_": lambda m, h: F(m).elu_(h),
    "elu_inplace": lambda m, h: F(m).elu(h, 0.5, inplace=True),
    "selu_": lambda m, h: F(m).selu_(h),
    "celu_": lambda m, h: F(m).celu_(h, 0.5),
    "celu_inexact_alpha_": lambda m, h: F(m).celu_(h, 0.3),
    "rrelu_eval_": lambda m, h: F(m).rrelu_(h),
    "leaky_relu_": lambda m, h: F(m).leaky_relu_(h, 0.2),
    "hardsigmoid_inplace": lambda m, h: F(m).hardsigmoid(h, inplace=True),
    "hardswish_inplace": lambda m, h: F(m).hardswish(h, inplace=True),
    "mish_inplace": lambda m, h: F(m).mish(h, inplace=True),
    "nn_relu6_inplace": lambda m, h: m.nn.ReLU6(inplace=True)(h),
    "nn_selu_inplace": lambda m, h: m.nn.SELU(inplace=True)(h),
    "nn_threshold_inplace": lambda m, h: m.nn.Threshold(0.0, 3.0, inplace=True)(h),
}

CASES: dict[str, ValueCase] = {}
for _name, _fn in _POINTWISE.items():
    for _dtype in ("float64", "float32"):
        CASES[f"{_name}_edges_{_dtype}"] = V(through(_fn), (EDGES, G_EDGES), (_dtype, _dtype))
    CASES[f"{_name}_special"] = V(through(_fn), (SPECIAL, G_SPECIAL))
for _name, _fn in _IN_PLACE.items():
    for _dtype in ("float64", "float32"):
        CASES[f"{_name}_edges_{_dtype}"] = V(in_place(_fn), (EDGES, G_EDGES), (_dtype, _dtype))

_X = [[-1.5, 0.25, 2.0, -0.0], [0.0, -3.0, 0.5, -0.75], [NAN, -2.0, 1.0, -1e-3]]
_G = [[1.0, 2.0, -1.0, 0.5], [3.0, -2.0, 1.5, 1.0], [1.0, 1.0, 1.0, 1.0]]
for _dtype in ("float64", "float32"):
    CASES[f"rrelu_train_{_dtype}"] = V(seeded_rrelu(False), (_X, _G), (_dtype, _dtype))
    CASES[f"rrelu_train_bounds_{_dtype}"] = V(seeded_rrelu(False, 0.1, 0.9), (_X, _G), (_dtype, _dtype))
    CASES[f"rrelu_train_inplace_{_dtype}"] = V(seeded_rrelu(True, 0.3, 0.31), (_X, _G), (_dtype, _dtype))
    CASES[f"rrelu_train_equal_bounds_{_dtype}"] = V(seeded_rrelu(False, 0.2, 0.2), (_X, _G), (_dtype, _dtype))



def on_view(fn):
    """fn(m, v) in place on v = h[1:] of a non-leaf h: h's values and the gradient reaching x through both."""
    def run(m, a, g):
        x = a.clone().requires_grad_(True)
        h = x * 2
        fn(m, h[1:])
        h.backward(g)
        return [h.detach(), x.grad, type(h.grad_fn).__name__]
    return run


for _name, _fn in {"hardtanh_": lambda m, v: F(m).hardtanh_(v, -0.5, 0.7), "elu_": lambda m, v: F(m).elu_(v, 0.5),
                   "celu_": lambda m, v: F(m).celu_(v, 0.3), "threshold_": lambda m, v: F(m).threshold_(v, 0.5, 9.0),
                   "rrelu_": lambda m, v: F(m).rrelu_(v), "mish": lambda m, v: F(m).mish(v, inplace=True),
                   "hardswish": lambda m, v: F(m).hardswish(v, inplace=True)}.items():
    CASES[f"{_name}_on_view"] = V(on_view(_fn), ([-2.0, -0.3, 0.2, 0.6, 1.4, -4.0], [1.0, 2.0, -1.0, 0.5, 3.0, 1.5]))


def as_floats(fn):
    """fn's results as Python floats, compared at rtol 1e-12: float32 results must then match to the bit."""
    def run(m, *tensors):
        return [t.tolist() if not isinstance(t, str) else t for t in fn(m, *tensors)]
    return run


for _dtype in ("float64", "float32"):
    CASES[f"rrelu_train_bits_{_dtype}"] = V(as_floats(seeded_rrelu(False)), (_X, _G), (_dtype, _dtype))
    CASES[f"rrelu_train_bounds_bits_{_dtype}"] = V(as_floats(seeded_rrelu(False, 0.1, 0.9)), (_X, _G),
                                                   (_dtype, _dtype))
CASES["hardsigmoid_grad_bits_float32"] = V(as_floats(through(lambda m, x: F(m).hardsigmoid(x))),
                                           ([-1.0, 0.5, 2.0, 2.5], [1.0, -3.0, 0.1, 7.0]), ("float32", "float32"))
CASES["hardsigmoid_grad_bits_float64"] = V(as_floats(through(lambda m, x: F(m).hardsigmoid(x))),
                                           ([-1.0, 0.5, 2.0, 2.5], [1.0, -3.0, 0.1, 7.0]))

CASES.update({
    "nn_rrelu_train": V(lambda m, a: (m.manual_seed(3), m.nn.RReLU()(a), m.rand(1))[1:], (_X,)),
    "nn_rrelu_train_no_negatives": V(lambda m, a: (m.manual_seed(3), m.nn.RReLU()(a.abs() + 1), m.rand(2))[1:],
                                     (_X,)),
    "rrelu_train_float32_values": V(lambda m, a: (m.manual_seed(11), F(m).rrelu(a, training=True))[1], (_X,),
                                    ("float32",)),
    # integer and bool inputs
    "hardtanh_int": V(lambda m, a: F(m).hardtanh(a), ([-2, 0, 3, 7, -1],), ("int64",)),
    "hardtanh_int_bounds": V(lambda m, a: F(m).hardtanh(a, -3.0, 4.0), ([-5, 0, 3, 7, -1],), ("int64",)),
    "hardtanh_bool": V(lambda m, a: F(m).hardtanh(a), ([True, False],), ("bool",)),
    "relu6_int": V(lambda m, a: F(m).relu6(a), ([-2, 0, 3, 7, 6],), ("int64",)),
    "relu6_bool": V(lambda m, a: F(m).relu6(a), ([True, False],), ("bool",)),
    "threshold_int": V(lambda m, a: F(m).threshold(a, 1, 5), ([-2, 0, 1, 3, 7],), ("int64",)),
    "hardsigmoid_int": V(lambda m, a: F(m).hardsigmoid(a), ([1, 2],), ("int64",)),
    "hardswish_int": V(lambda m, a: F(m).hardswish(a), ([1, 2],), ("int64",)),
    "mish_int": V(lambda m, a: F(m).mish(a), ([1, 2],), ("int64",)),
    "selu_int": V(lambda m, a: F(m).selu(a), ([1, 2],), ("int64",)),
    "celu_int": V(lambda m, a: F(m).celu(a), ([1, 2],), ("int64",)),
    "logsigmoid_int": V(lambda m, a: F(m).logsigmoid(a), ([1, 2],), ("int64",)),
    "softshrink_int": V(lambda m, a: F(m).softshrink(a), ([1, 2],), ("int64",)),
    "hardshrink_int": V(lambda m, a: F(m).hardshrink(a), ([1, 2],), ("int64",)),
    "glu_int": V(lambda m, a: F(m).glu(a), ([1, 2],), ("int64",)),
    "prelu_int": V(lambda m, a: F(m).prelu(a, m.tensor([1])), ([1, 2],), ("int64",)),
    "rrelu_int": V(lambda m, a: F(m).rrelu(a), ([1, 2],), ("int64",)),
    "softmin_int": V(lambda m, a: F(m).softmin(a, 0), ([1, 2],), ("int64",)),
    "softmin_int_dtype": V(lambda m, a: F(m).softmin(a, 0, dtype=m.float64), ([1, 2, 0],), ("int64",)),
    "softsign_int": V(lambda m, a: F(m).softsign(a), ([-2, 0, 3, 7],), ("int64",)),
    "tanhshrink_int": V(lambda m, a: F(m).tanhshrink(a), ([-2, 0, 3, 7],), ("int64",)),
    "softsign_float32": V(lambda m, a: F(m).softsign(a), ([-2.0, 0.0, 3.0, INF],), ("float32",)),
    # argument errors
    "hardtanh_min_above_max": V(lambda m, a: F(m).hardtanh(a, 2.0, 1.0), ([1.0],)),
    "celu_alpha_zero": V(lambda m, a: F(m).celu(a, 0.0), ([1.0],)),
    "softshrink_negative_lambd": V(lambda m, a: F(m).softshrink(a, -1.0), ([1.0],)),
    "rrelu_lower_above_upper": V(lambda m, a: F(m).rrelu(a, 0.5, 0.1, True), ([1.0],)),
    "rrelu_eval_lower_above_upper": V(lambda m, a: F(m).rrelu(a, 0.5, 0.1), ([1.0],)),
    "glu_odd": V(lambda m, a: F(m).glu(a), ([1.0, 2.0, 3.0],)),
    "glu_odd_dim0": V(lambda m, a: F(m).glu(a, 0), ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],)),
    "glu_scalar": V(lambda m, a: F(m).glu(a), (1.0,)),
    "glu_dim_out_of_range": V(lambda m, a: F(m).glu(a, 2), ([[1.0, 2.0]],)),
    "prelu_channel_mismatch": V(lambda m, a, w: F(m).prelu(a, w), ([[1.0, 2.0, 3.0]], [0.1, 0.2])),
    "prelu_1d_many_weights": V(lambda m, a, w: F(m).prelu(a, w), ([1.0, -2.0], [0.1, 0.2])),
    "prelu_2d_weight": V(lambda m, a, w: F(m).prelu(a, w), ([[1.0, -2.0]], [[0.1], [0.2]])),
    "prelu_dtype_mismatch": V(lambda m, a, w: F(m).prelu(a, w), ([1.0, -2.0], [0.1]), ("float64", "float32")),
    "hardtanh_list": V(lambda m: F(m).hardtanh([1.0])),
    # shapes, dims, dtypes
    "prelu_scalar_input": V(through(lambda m, x: F(m).prelu(x, m.tensor([0.5], dtype=x.dtype))), (-2.0, 3.0)),
    "prelu_scalar_weight": V(lambda m, a, w: F(m).prelu(a, w), ([1.0, -2.0], 0.5)),
    "prelu_float32": V(lambda m, a, w: F(m).prelu(a, w), ([[1.0, -2.0], [-3.0, 4.0]], [0.5, 0.25]),
                       ("float32", "float32")),
    "glu_float32": V(lambda m, a: F(m).glu(a, 0), ([[1.0, -2.0], [-3.0, 4.0]],), ("float32",)),
    "glu_negative_dim": V(through(lambda m, x: F(m).glu(x, -2)), ([[1.0, -2.0], [-3.0, 4.0]], [[1.0, 2.0]])),
    "glu_special": V(through(lambda m, x: F(m).glu(x)), ([[NAN, INF, -INF, 0.0], [1.0, 2.0, INF, -INF]],
                                                      [[1.0, 2.0], [3.0, NAN]])),
    "softmin_dtype": V(lambda m, a: F(m).softmin(a, 0, dtype=m.float32), ([1.0, 2.0, -1.0],)),
    "softmin_implicit_dim_2d": V(lambda m, a: _implicit_dim(m, a), ([[1.0, 2.0], [-1.0, 0.5]],)),
    "softmin_implicit_dim_3d": V(lambda m, a: _implicit_dim(m, a), ([[[1.0, 2.0], [-1.0, 0.5]]],)),
    "softmin_float32": V(lambda m, a: F(m).softmin(a, -1), ([[1.0, 2.0, 3.0]],), ("float32",)),
    "nn_softmin": V(lambda m, a: m.nn.Softmin(1)(a), ([[1.0, 2.0], [-1.0, 0.5]],)),
    "softmax2d_3d": V(through(lambda m, x: m.nn.Softmax2d()(x)), ([[[1.0, 2.0]], [[-1.0, 0.5]]],
                                                               [[[1.0, 2.0]], [[3.0, 4.0]]])),
    "softmax2d_4d": V(lambda m, a: m.nn.Softmax2d()(a), ([[[[1.0]], [[2.0]], [[0.0]]]],)),
    "softmax2d_2d": V(lambda m, a: m.nn.Softmax2d()(a), ([[1.0, 2.0]],)),
    "nn_glu": V(lambda m, a: m.nn.GLU(0)(a), ([[1.0, -2.0], [-3.0, 4.0]],)),
    "selu_constants": V(lambda m, a: F(m).selu(a), ([-1e3, -1.0, 1.0, 1e3],)),
    "mish_large": V(through(lambda m, x: F(m).mish(x)), ([-800.0, -40.0, 40.0, 800.0], [1.0, 1.0, 1.0, 1.0])),
    "logsigmoid_large": V(through(lambda m, x: F(m).logsigmoid(x)), ([-800.0, -40.0, 40.0, 800.0],
                                                                      [1.0, 1.0, 1.0, 1.0])),
    "prelu_weight_grad_special": V(lambda m, a, w: (lambda x, ww: (F(m).prelu(x, ww).sum().backward(), x.grad,
                                                                   ww.grad)[1:])(
        a.clone().requires_grad_(True), w.clone().requires_grad_(True)), ([[NAN, -1.0], [2.0, -INF]], [0.5, 2.0])),
    # reprs
    "reprs": V(lambda m: [repr(mod) for mod in (
        m.nn.Hardtanh(), m.nn.Hardtanh(-2, 3), m.nn.Hardtanh(-0.5, 0.5, True), m.nn.ReLU6(), m.nn.ReLU6(True),
        m.nn.Threshold(0.1, 20.0), m.nn.Threshold(1, 2, True), m.nn.Hardswish(), m.nn.Hardswish(True),
        m.nn.Hardsigmoid(), m.nn.Hardsigmoid(True), m.nn.Mish(), m.nn.Mish(True), m.nn.SELU(), m.nn.SELU(True),
        m.nn.CELU(), m.nn.CELU(0.5, True), m.nn.PReLU(), m.nn.PReLU(3, 0.1), m.nn.RReLU(), m.nn.RReLU(0.1, 0.3, True),
        m.nn.LogSigmoid(), m.nn.Softsign(), m.nn.Softshrink(), m.nn.Softshrink(1), m.nn.Hardshrink(),
        m.nn.Hardshrink(2.5), m.nn.Tanhshrink(), m.nn.Softmin(), m.nn.Softmin(1), m.nn.Softmax2d(), m.nn.GLU(),
        m.nn.GLU(1), m.nn.CosineSimilarity(), m.nn.CosineSimilarity(0, 1e-5), m.nn.PairwiseDistance(),
        m.nn.PairwiseDistance(1, 1e-3, True), m.nn.PixelShuffle(2), m.nn.PixelUnshuffle(3),
        m.nn.Sequential(m.nn.Linear(2, 3), m.nn.PReLU(3), m.nn.Hardswish()))]),
    "module_attributes": V(lambda m: [
        list(m.nn.PReLU(4).weight.shape), m.nn.PReLU(2, 0.3).weight.tolist(), list(m.nn.PReLU().state_dict()),
        m.nn.ReLU6().min_val, m.nn.ReLU6().max_val, m.nn.RReLU().lower, m.nn.PairwiseDistance(3.0).norm,
        m.nn.Hardswish(True).inplace, m.nn.CosineSimilarity().eps]),
    "prelu_dtype": V(lambda m: [str(m.nn.PReLU(dtype=m.float64).weight.dtype), str(m.nn.PReLU().weight.dtype)]),
    # distances
    "normalize_zero_row": V(through(lambda m, x: F(m).normalize(x)), ([[0.0, 0.0], [3.0, 4.0], [1e-13, 0.0]],
                                                                    [[1.0, 2.0], [1.0, -1.0], [2.0, 1.0]])),
    "normalize_special": V(through(lambda m, x: F(m).normalize(x, dim=0)), ([NAN, 1.0, INF], [1.0, 1.0, 1.0])),
    "normalize_inf_p": V(through(lambda m, x: F(m).normalize(x, INF, 1)), ([[1.0, -3.0, 3.0], [0.5, 0.25, 0.0]],
                                                                         [[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])),
    "normalize_float32": V(lambda m, a: F(m).normalize(a, dim=0), ([3.0, 4.0],), ("float32",)),
    "normalize_int": V(lambda m, a: F(m).normalize(a, dim=0), ([3, 4],), ("int64",)),
    "normalize_dim_out_of_range": V(lambda m, a: F(m).normalize(a), ([3.0, 4.0],)),
    "cosine_similarity_zero_vectors": V(lambda m, a, b: (lambda x, y: (F(m).cosine_similarity(x, y).sum().backward(),
                                                                       x.grad, y.grad)[1:])(
        a.clone().requires_grad_(True), b.clone().requires_grad_(True)),
        ([[0.0, 0.0], [1.0, 2.0], [1e-9, 0.0]], [[1.0, 2.0], [0.0, 0.0], [1.0, 1.0]])),
    "cosine_similarity_eps_grad": V(lambda m, a, b: (lambda x, y: (
        F(m).cosine_similarity(x, y, 0, 0.5).backward(m.ones(2, dtype=x.dtype)), x.grad, y.grad)[1:])(
        a.clone().requires_grad_(True), b.clone().requires_grad_(True)),
        ([[0.1, -0.2], [0.05, 0.3], [-0.1, 0.02]], [[1.0, 2.0], [0.5, -1.0], [0.3, 0.1]])),
    "cosine_similarity_broadcast": V(lambda m, a, b: F(m).cosine_similarity(a, b), ([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]],
                                                                                   [1.0, 1.0, 1.0])),
    "cosine_similarity_broadcast_dim0": V(lambda m, a, b: F(m).cosine_similarity(a, b, 0),
                                          ([[1.0, 2.0], [0.0, 1.0]], [[1.0], [2.0]])),
    "cosine_similarity_int": V(lambda m, a, b: F(m).cosine_similarity(a, b, 0), ([1, 2], [3, 4]),
                               ("int64", "int64")),
    "cosine_similarity_int_float": V(lambda m, a, b: F(m).cosine_similarity(a, b, 0), ([1, 2], [3.0, 4.5]),
                                     ("int64", "float32")),
    "cosine_similarity_float32": V(lambda m, a, b: F(m).cosine_similarity(a, b), ([[1.0, 2.0]], [[3.0, -1.0]]),
                                   ("float32", "float32")),
    "cosine_similarity_mixed": V(lambda m, a, b: F(m).cosine_similarity(a, b), ([[1.0, 2.0]], [[3.0, -1.0]]),
                                 ("float32", "float64")),
    "cosine_similarity_dim_out_of_range": V(lambda m, a, b: F(m).cosine_similarity(a, b), ([1.0], [2.0])),
    "nn_cosine_similarity": V(lambda m, a, b: m.nn.CosineSimilarity(0, 1e-3)(a, b), ([[1.0, 2.0], [0.0, 1.0]],
                                                                                    [[1.0, 0.5], [2.0, 1.0]])),
    "pairwise_distance_int": V(lambda m, a, b: F(m).pairwise_distance(a, b), ([1, 2], [1, 2]), ("int64", "int64")),
    "pairwise_distance_scalars": V(through(lambda m, x: F(m).pairwise_distance(x, m.tensor(3.0, dtype=x.dtype))),
                                   (1.0, 2.0)),
    "pairwise_distance_equal": V(through(lambda m, x: F(m).pairwise_distance(x, x.detach() + 1e-6, eps=0.0)),
                                 ([[1.0, 2.0]], [3.0])),
    "pairwise_distance_inf_p": V(through(lambda m, x: F(m).pairwise_distance(x, m.zeros(2, 3, dtype=x.dtype), INF)),
                                 ([[1.0, -3.0, 3.0], [0.5, 0.25, 0.0]], [1.0, 2.0])),
    "pairwise_distance_broadcast": V(lambda m, a, b: F(m).pairwise_distance(a, b, keepdim=True),
                                     ([[[1.0, 2.0]], [[3.0, 4.0]]], [[0.0, 1.0], [2.0, 2.0]])),
    "pairwise_distance_float32": V(lambda m, a, b: F(m).pairwise_distance(a, b), ([[1.0, 2.0]], [[3.0, -1.0]]),
                                   ("float32", "float32")),
    "nn_pairwise_distance": V(lambda m, a, b: m.nn.PairwiseDistance(1.0, 0.0, True)(a, b),
                              ([[1.0, 2.0], [0.0, 1.0]], [[1.0, 0.5], [2.0, 1.0]])),
    "pdist_duplicate_rows": V(through(lambda m, x: F(m).pdist(x)), ([[1.0, 2.0], [1.0, 2.0], [0.0, -1.0]],
                                                                  [1.0, 2.0, 3.0])),
    "pdist_inf_ties": V(through(lambda m, x: F(m).pdist(x, INF)), ([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0]],
                                                                   [1.0, 2.0, 3.0])),
    "pdist_p0": V(through(lambda m, x: F(m).pdist(x, 0)), ([[1.0, 2.0], [1.0, 4.0], [0.0, 2.0]], [1.0, 2.0, 3.0])),
    "pdist_one_row": V(lambda m, a: F(m).pdist(a), ([[1.0, 2.0]],)),
    "pdist_float32": V(lambda m, a: F(m).pdist(a, 1.5), ([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]],), ("float32",)),
    "pdist_1d": V(lambda m, a: F(m).pdist(a), ([1.0, 2.0],)),
    "pdist_negative_p": V(lambda m, a: F(m).pdist(a, -1.0), ([[1.0, 2.0], [3.0, -1.0]],)),
    "pdist_int": V(lambda m, a: F(m).pdist(a), ([[1, 2], [3, 4]],), ("int64",)),
    "pixel_shuffle_values": V(lambda m, a: F(m).pixel_shuffle(a.reshape(1, 8, 1, 2), 2), (list(range(16)),),
                              ("int64",)),
    "pixel_unshuffle_values": V(lambda m, a: F(m).pixel_unshuffle(a.reshape(2, 1, 2, 4), 2), (list(range(16)),),
                                ("float32",)),
    "pixel_shuffle_5d": V(lambda m, a: F(m).pixel_shuffle(a.reshape(2, 1, 4, 1, 2), 2).shape, (list(range(16)),)),
    "pixel_shuffle_grad_fn": V(lambda m, a: [type(F(m).pixel_shuffle(a.reshape(1, 4, 1, 1).requires_grad_(True),
                                                                      2).grad_fn).__name__,
                                             type(F(m).pixel_unshuffle(a.reshape(1, 1, 2, 2).requires_grad_(True),
                                                                        2).grad_fn).__name__], ([1.0, 2.0, 3.0, 4.0],)),
    "pixel_shuffle_bad_channels": V(lambda m, a: F(m).pixel_shuffle(a.reshape(1, 3, 1, 1), 2), ([1.0, 2.0, 3.0],)),
    "pixel_shuffle_2d": V(lambda m, a: F(m).pixel_shuffle(a.reshape(4, 1), 2), ([1.0, 2.0, 3.0, 4.0],)),
    "pixel_unshuffle_bad_size": V(lambda m, a: F(m).pixel_unshuffle(a.reshape(1, 1, 1, 3), 2), ([1.0, 2.0, 3.0],)),
    "nn_pixel_shuffle": V(lambda m, a: m.nn.PixelUnshuffle(2)(m.nn.PixelShuffle(2)(a.reshape(1, 4, 1, 2))),
                          (list(range(8)),)),
})
