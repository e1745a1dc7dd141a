"""The math family beyond the reference cases: accuracy of erf / erfinv / lgamma / digamma against independent
values, the Tensor surface of every function, in-place storage and version rules, and views."""

from __future__ import annotations

import math

import numpy as np
import pytest

import trainer
from trainer.autograd import math_ops
from trainer.autograd.out_argument import OUT_NAMES

GRID = np.concatenate([np.linspace(-6.0, 6.0, 241), [1e-300, -1e-20, 0.46875, 4.0, 26.5, 27.3, -27.3]])


def test_erf_and_erfc_match_the_c_library_in_float64() -> None:
    expected_erf = np.array([math.erf(v) for v in GRID])
    expected_erfc = np.array([math.erfc(v) for v in GRID])
    np.testing.assert_allclose(trainer.erf(trainer.tensor(GRID)).numpy(), expected_erf, rtol=1e-15, atol=0)
    np.testing.assert_allclose(trainer.erfc(trainer.tensor(GRID)).numpy(), expected_erfc, rtol=1e-15, atol=1e-310)


def test_erf_keeps_float32_and_rounds_once() -> None:
    x = trainer.tensor(GRID.astype(np.float32))
    out = trainer.erf(x)
    assert out.dtype == trainer.float32
    expected = np.array([math.erf(float(v)) for v in GRID.astype(np.float32)], dtype=np.float32)
    np.testing.assert_array_equal(out.numpy(), expected)


def test_erfinv_inverts_erf_to_float64_rounding() -> None:
    y = np.concatenate([np.linspace(-0.999, 0.999, 401), [1e-12, -1e-300, 0.9999999]])
    x = trainer.erfinv(trainer.tensor(y)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=4e-16, atol=1e-300)
    ends = trainer.erfinv(trainer.tensor([1.0, -1.0, 1.0 + 1e-15, -2.0, float("nan")], dtype=trainer.float64))
    ends = ends.numpy()
    assert ends[0] == np.inf and ends[1] == -np.inf and np.isnan(ends[2:]).all()


def test_lgamma_matches_math_lgamma_and_digamma_is_its_derivative() -> None:
    x = np.array([-3.7, -2.5, -0.5, 0.1, 0.5, 1.0, 1.4616, 2.5, 7.0, 13.3, 250.0])
    np.testing.assert_allclose(trainer.lgamma(trainer.tensor(x)).numpy(), [math.lgamma(v) for v in x],
                               rtol=1e-15, atol=0)
    h = 1e-5
    slope = np.array([(math.lgamma(v + h) - math.lgamma(v - h)) / (2 * h) for v in x])
    np.testing.assert_allclose(trainer.digamma(trainer.tensor(x)).numpy(), slope, rtol=1e-8, atol=1e-9)


def test_digamma_recurrence_and_known_values() -> None:
    x = np.array([0.3, 1.0, 2.7, 9.99, 10.0, 15.5, -1.25, -7.5])
    psi = trainer.digamma(trainer.tensor(x)).numpy()
    psi_next = trainer.digamma(trainer.tensor(x + 1)).numpy()
    np.testing.assert_allclose(psi_next, psi + 1 / x, rtol=1e-14, atol=1e-14)
    euler_gamma = 0.5772156649015329
    np.testing.assert_allclose(trainer.digamma(trainer.tensor([1.0, 0.5], dtype=trainer.float64)).numpy(),
                               [-euler_gamma, -euler_gamma - 2 * math.log(2)], rtol=1e-15)


def test_trigamma_is_the_gradient_of_digamma() -> None:
    x = trainer.tensor([0.7, 2.0, 5.5, -0.3], dtype=trainer.float64, requires_grad=True)
    trainer.digamma(x).sum().backward()
    h = 1e-5
    xs = x.detach().numpy()
    fd = (trainer.digamma(trainer.tensor(xs + h)).numpy() - trainer.digamma(trainer.tensor(xs - h)).numpy()) / (2 * h)
    np.testing.assert_allclose(x.grad.numpy(), fd, rtol=1e-7)
    np.testing.assert_allclose(x.grad.numpy()[1], math.pi**2 / 6 - 1, rtol=1e-9)  # psi'(2) = pi^2/6 - 1


def _public_functions() -> list[str]:
    return [name for name in math_ops.__all__ if not name.endswith("_")]


@pytest.mark.parametrize("name", _public_functions())
def test_every_function_is_a_torch_function_and_a_tensor_method(name: str) -> None:
    public, fn = getattr(trainer, name), getattr(math_ops, name)
    assert public is fn or (name in OUT_NAMES and public.__wrapped__ is fn)  # taking out= (autograd.out_argument)
    assert callable(getattr(trainer.Tensor, name))


@pytest.mark.parametrize("name", [n for n in math_ops.__all__ if n.endswith("_")])
def test_every_top_level_in_place_function_writes_into_its_argument(name: str) -> None:
    t = trainer.tensor([0.25, 0.5])
    extra = (t.clone(),) if name == "xlogy_" else ()
    expected = getattr(t.clone(), name)(*extra).numpy()
    arr = t._array
    assert getattr(trainer, name)(t, *extra) is t and t._array is arr and t._version == 1
    np.testing.assert_array_equal(t.numpy(), expected)


def test_in_place_methods_return_self_and_keep_the_storage() -> None:
    t = trainer.tensor([0.2, 0.4, 0.6])
    arr = t._array
    other = trainer.tensor([0.5, 1.5, -2.0])
    calls = [
        lambda: t.rsqrt_(), lambda: t.reciprocal_(), lambda: t.expm1_(), lambda: t.exp2_(), lambda: t.erf_(),
        lambda: t.erfinv_(), lambda: t.erfc_(), lambda: t.tan_(), lambda: t.sinh_(), lambda: t.cosh_(),
        lambda: t.frac_(), lambda: t.asin_(), lambda: t.arccos_(), lambda: t.atan_(), lambda: t.asinh_(),
        lambda: t.atanh_(), lambda: t.sinc_(), lambda: t.logit_(), lambda: t.sgn_(), lambda: t.deg2rad_(),
        lambda: t.rad2deg_(), lambda: t.nan_to_num_(), lambda: t.negative_(), lambda: t.absolute_(),
        lambda: t.fix_(), lambda: t.atan2_(other), lambda: t.hypot_(other), lambda: t.fmod_(other),
        lambda: t.xlogy_(other), lambda: t.copysign_(other), lambda: t.divide_(other), lambda: t.subtract_(other),
        lambda: t.multiply_(other), lambda: t.true_divide_(other), lambda: t.heaviside_(other),
        lambda: t.logical_not_(), lambda: t.logical_xor_(other), lambda: t.greater_(other),
        lambda: t.lgamma_(),
    ]
    for i, call in enumerate(calls, 1):
        assert call() is t, i
        assert t._array is arr and t._version == i and t.dtype == trainer.float32
    d = trainer.tensor([0.2, 0.4, 0.6], dtype=trainer.float64)
    arr = d._array
    assert d.float_power_(other) is d and d._array is arr and d._version == 1


def test_in_place_op_on_a_view_rewrites_its_base_with_the_right_gradient() -> None:
    x = trainer.tensor([0.1, 0.2, 0.3, 0.4], dtype=trainer.float64, requires_grad=True)
    y = x * 1.0
    y[1:3].erf_()
    assert type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    inner = 2 / math.sqrt(math.pi) * np.exp(-np.array([0.2, 0.3]) ** 2)
    np.testing.assert_allclose(x.grad.numpy(), [1.0, *inner, 1.0], rtol=1e-15)


def test_result_reading_ops_allow_changing_their_input_but_not_their_result() -> None:
    x = trainer.tensor([0.5, 2.0], dtype=trainer.float64, requires_grad=True)
    h = x * 1.0
    y = h.rsqrt()
    h.add_(1.0)  # rsqrt's backward reads its result only, as PyTorch's does
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), -0.5 * np.array([0.5, 2.0]) ** -1.5, rtol=1e-15)
    z = x.tan()
    z.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_under_no_grad_on_a_leaf_and_the_leaf_rule() -> None:
    x = trainer.tensor([0.5, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.expm1_()
    with trainer.no_grad():
        x.expm1_()
    assert x.requires_grad and x.grad_fn is None and x._version == 1
    np.testing.assert_allclose(x.detach().numpy(), np.expm1([0.5, 2.0]).astype(np.float32), rtol=1e-6)


def test_no_gradient_is_recorded_without_grad_mode() -> None:
    x = trainer.tensor([0.5, 2.0], requires_grad=True)
    with trainer.no_grad():
        outs = [x.erf(), x.atan2(x), x.lerp(x, 0.5), trainer.xlogy(x, x), x.logit(), x.float_power(2)]
    assert all(not o.requires_grad and o.grad_fn is None for o in outs)


def test_heaviside_records_a_node_whose_backward_raises() -> None:
    x = trainer.tensor([1.0, 0.0, -1.0], requires_grad=True)
    out = trainer.heaviside(x, trainer.tensor([0.5]))
    assert out.requires_grad and type(out.grad_fn).__name__ == "NotImplemented"
    np.testing.assert_array_equal(out.detach().numpy(), [1.0, 0.5, 0.0])
    with pytest.raises(RuntimeError, match="derivative for aten::heaviside is not implemented"):
        out.sum().backward()


def test_broadcast_gradients_are_summed_back() -> None:
    a = trainer.tensor(np.linspace(0.5, 1.5, 6).reshape(2, 3), dtype=trainer.float64, requires_grad=True)
    w = trainer.tensor([[0.25], [0.75]], dtype=trainer.float64, requires_grad=True)
    e = trainer.tensor([2.0, 3.0, 4.0], dtype=trainer.float64, requires_grad=True)
    trainer.lerp(a, e, w).sum().backward()
    assert a.grad.shape == (2, 3) and e.grad.shape == (3,) and w.grad.shape == (2, 1)
    np.testing.assert_allclose(e.grad.numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(w.grad.numpy(), (e.detach().numpy() - a.detach().numpy()).sum(1, keepdims=True))


def test_nonzero_and_count_nonzero_agree_on_random_masks() -> None:
    rng = np.random.default_rng(0)
    for shape in [(5,), (3, 4), (2, 3, 4), (0, 3)]:
        x = trainer.tensor((rng.random(shape) < 0.4).astype(np.float64))
        idx = trainer.nonzero(x)
        assert idx.shape == (int(trainer.count_nonzero(x)), len(shape)) and idx.dtype == trainer.int64
        assert len(trainer.nonzero(x, as_tuple=True)) == len(shape)
        if idx.shape[0]:
            assert (x[tuple(trainer.nonzero(x, as_tuple=True))] == 1).all()
