"""The convolution, padding and fold ops of the engine: finite-difference gradchecks over their arguments,
im2col/col2im as adjoints, dtypes kept, and the graph rules (saved inputs, node names)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.gradcheck import gradcheck
from trainer.autograd.conv import col2im, im2col

RNG = np.random.default_rng(16)

CONV: dict[str, tuple[Callable, tuple[int, ...], tuple[int, ...], dict]] = {
    "2d_plain": (F.conv2d, (2, 3, 5, 4), (2, 3, 3, 2), {}),
    "2d_stride_padding_dilation": (F.conv2d, (2, 2, 7, 6), (3, 2, 3, 2), {"stride": (2, 3), "padding": (1, 2),
                                                                           "dilation": (2, 1)}),
    "2d_groups": (F.conv2d, (1, 4, 5, 5), (6, 2, 2, 3), {"groups": 2, "padding": 1}),
    "2d_depthwise": (F.conv2d, (2, 3, 5, 5), (3, 1, 3, 3), {"groups": 3, "stride": 2}),
    "2d_same_even": (F.conv2d, (1, 2, 5, 6), (2, 2, 2, 4), {"padding": "same", "dilation": (1, 1)}),
    "2d_unbatched": (F.conv2d, (2, 4, 4), (3, 2, 2, 2), {"padding": "valid"}),
    "1d": (F.conv1d, (2, 3, 8), (4, 3, 3), {"stride": 2, "padding": 2, "dilation": 2}),
    "1d_groups_same": (F.conv1d, (2, 4, 6), (2, 2, 4), {"groups": 2, "padding": "same"}),
    "transpose2d": (F.conv_transpose2d, (2, 3, 3, 4), (3, 2, 3, 3), {"stride": 2, "padding": 1,
                                                                        "output_padding": 1}),
    "transpose2d_groups_dilation": (F.conv_transpose2d, (1, 4, 3, 3), (4, 1, 2, 3), {"groups": 2, "stride": (3, 1),
                                                                                     "dilation": (1, 2),
                                                                                     "output_padding": (2, 0)}),
    "transpose1d": (F.conv_transpose1d, (2, 2, 4), (2, 3, 3), {"stride": 3, "padding": 1, "output_padding": 1}),
}


@pytest.mark.parametrize("name", sorted(CONV))
def test_convolution_gradients_match_finite_differences(name: str) -> None:
    fn, xs, ws, kwargs = CONV[name]
    transposed = "transpose" in name
    c_out = ws[1] * kwargs.get("groups", 1) if transposed else ws[0]
    gradcheck(lambda x, w, b: fn(x, w, b, **kwargs), RNG.standard_normal(xs), RNG.standard_normal(ws),
              RNG.standard_normal(c_out))


def test_convolution_without_bias_gradchecks() -> None:
    gradcheck(lambda x, w: F.conv2d(x, w, stride=2, padding=1), RNG.standard_normal((2, 2, 5, 5)),
              RNG.standard_normal((3, 2, 3, 3)))


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pad", [(2, 1), (1, 2, 2, 0), (-1, 2, 1, -1)], ids=str)
def test_pad_gradients_match_finite_differences(mode: str, pad: tuple[int, ...]) -> None:
    shape = (2, 2, 4, 5) if len(pad) == 4 else (2, 3, 5)  # non-constant modes pad (N, C, *dims) or (C, *dims)
    gradcheck(lambda x: F.pad(x, pad, mode=mode), RNG.standard_normal(shape))


def test_fold_and_unfold_gradients_match_finite_differences() -> None:
    kwargs = {"kernel_size": (2, 3), "dilation": (2, 1), "padding": 1, "stride": (1, 2)}
    gradcheck(lambda x: F.unfold(x, **kwargs), RNG.standard_normal((2, 2, 5, 6)))
    blocks = F.unfold(trainer.zeros(1, 2, 5, 6), **kwargs).shape[-1]
    gradcheck(lambda x: F.fold(x, (5, 6), **kwargs), RNG.standard_normal((2, 12, blocks)))


def test_col2im_is_the_adjoint_of_im2col() -> None:
    """<im2col(a), c> == <a, col2im(c)> for every stride, dilation and grouping: the backward is the exact
    transpose."""
    a = RNG.standard_normal((2, 7, 8, 6))  # channels-last (N, H, W, C)
    for kernel, stride, dilation, groups in (((3, 2), (1, 1), (1, 1), 1), ((2, 3), (2, 3), (2, 1), 2),
                                             ((1, 1), (3, 2), (1, 1), 6)):
        out = tuple((n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(a.shape[1:3], kernel, stride, dilation))
        cols = im2col(a, kernel, stride, dilation, out, groups)
        c = RNG.standard_normal(cols.shape)
        back = col2im(c, 2, 6, a.shape[1:3], kernel, stride, dilation, out, groups)
        assert np.isclose(np.sum(cols * c), np.sum(a * back), rtol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_convolutions_keep_the_input_dtype(dtype: str) -> None:
    d = getattr(trainer, dtype)
    x = trainer.randn(2, 3, 6, 6, dtype=d, requires_grad=True)
    w = trainer.randn(4, 3, 3, 3, dtype=d, requires_grad=True)
    b = trainer.randn(4, dtype=d, requires_grad=True)
    y = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), w, b, stride=2)
    z = F.conv_transpose2d(y, w, stride=2, output_padding=1)
    z.sum().backward()
    for t in (y, z, x.grad, w.grad, b.grad):
        assert t.dtype == d


def test_an_empty_batch_gives_an_empty_output() -> None:
    x = trainer.zeros(0, 3, 5, 5, requires_grad=True)
    y = F.conv2d(x, trainer.ones(2, 3, 3, 3), padding=1)
    assert y.shape == (0, 2, 5, 5)
    y.sum().backward()
    assert x.grad.shape == (0, 3, 5, 5)


def test_changing_a_saved_input_in_place_is_refused_at_backward() -> None:
    x = trainer.randn(1, 2, 4, 4, requires_grad=True)
    w = trainer.randn(3, 2, 3, 3, requires_grad=True)
    h = x * 1
    y = F.conv2d(h, w)
    h.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_padding_saves_nothing_so_in_place_changes_after_it_are_fine() -> None:
    x = trainer.randn(1, 2, 4, requires_grad=True)
    h = x * 1
    y = F.pad(h, (1, 2), mode="reflect")
    h.mul_(2)
    y.sum().backward()
    assert x.grad is not None


def test_node_names_are_pytorchs() -> None:
    x = trainer.randn(1, 2, 5, 5, requires_grad=True)
    w = trainer.randn(3, 2, 2, 2)
    assert F.pad(x, (1, 1, 1, 1), mode="circular").grad_fn.name() == "CopySlices"
    assert F.conv2d(x, w).grad_fn.name() == "ConvolutionBackward0"
    same = F.conv2d(x, w, padding="same")  # an even kernel: the extra row and column are a ConstantPadNd first
    assert same.grad_fn.name() == "ConvolutionBackward0"
    assert same.grad_fn.next_functions[0][0].name() == "ConstantPadNdBackward0"
    assert F.conv_transpose2d(x, w.transpose(0, 1)).grad_fn.name() == "ConvolutionBackward0"


def test_in_place_ops_on_a_convolution_output_and_its_views_match_out_of_place() -> None:
    """A convolution's result is a channels-last numpy view; in-place ops on it and on its views still rebase."""
    trainer.manual_seed(3)
    x = trainer.randn(2, 2, 5, 5, dtype=trainer.float64, requires_grad=True)
    w = trainer.randn(3, 2, 3, 3, dtype=trainer.float64, requires_grad=True)
    weights = trainer.randn(2, 3, 5, 5, dtype=trainer.float64)
    scale = trainer.tensor([1.0, 2.0, 1.0], dtype=trainer.float64).reshape(1, 3, 1, 1)
    expected = F.relu(F.conv2d(x, w, padding=1) * scale)
    (expected * weights).sum().backward()
    gx, gw = x.grad.numpy().copy(), w.grad.numpy().copy()
    x.grad = w.grad = None
    y = F.conv2d(x, w, padding=1)
    y[:, 1].mul_(2)
    y.relu_()
    (y * weights).sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), gx, rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), gw, rtol=1e-12)
