"""Pooling, interpolation and the image norms: finite-difference gradients, PyTorch's size and index rules,
unbatched inputs, dtypes, and use inside a network."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F
from tests.gradcheck import gradcheck
from trainer.autograd import upsampling

RNG = np.random.default_rng(5)


@pytest.mark.parametrize("fn", [
    lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True),
    lambda x: F.max_pool2d(x, (2, 3), (1, 2), (1, 0), dilation=(2, 1)),
    lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    lambda x: F.avg_pool2d(x, 2, 1, divisor_override=3),
    lambda x: F.adaptive_avg_pool2d(x, (3, 4)),
    lambda x: F.adaptive_max_pool2d(x, (4, None)),
    lambda x: F.max_pool1d(x.flatten(2), 3, 2, 1, dilation=2),
    lambda x: F.avg_pool1d(x.flatten(2), 4, 3, 2, ceil_mode=True),
    lambda x: F.adaptive_avg_pool1d(x.flatten(2), 7),
    lambda x: F.interpolate(x, scale_factor=1.7, mode="bilinear"),
    lambda x: F.interpolate(x, size=(3, 8), mode="bilinear", align_corners=True),
    lambda x: F.interpolate(x, scale_factor=(0.6, 2), mode="nearest"),
    lambda x: F.interpolate(x.flatten(2), size=11, mode="linear"),
    lambda x: F.group_norm(x, 2),
    lambda x: F.batch_norm(x, None, None, training=True),
    lambda x: F.max_pool2d(x[0], 2),
    lambda x: F.adaptive_max_pool2d(x[0], 3),
], ids=["max", "max_dilated", "avg_ceil", "avg_divisor", "adaptive_avg", "adaptive_max", "max1d", "avg1d",
        "adaptive_avg1d", "bilinear", "bilinear_aligned", "nearest", "linear", "group_norm", "batch_norm",
        "max_unbatched", "adaptive_max_unbatched"])
def test_gradients_match_finite_differences(fn) -> None:
    gradcheck(fn, RNG.standard_normal((2, 4, 5, 6)))


def test_group_norm_parameter_gradients() -> None:
    gradcheck(lambda x, w, b: F.group_norm(x, 3, w, b, eps=1e-3), RNG.standard_normal((2, 6, 3)),
              RNG.uniform(0.5, 1.5, 6), RNG.standard_normal(6))


@pytest.mark.parametrize(("size", "kernel", "stride", "pad", "expected"), [
    (5, 2, 2, 0, 3),   # ceil keeps the partial last window
    (4, 2, 2, 0, 2),
    (5, 3, 3, 1, 2),   # the third window would start in the right padding: dropped
    (6, 3, 3, 1, 3),
])
def test_ceil_mode_keeps_windows_that_start_inside(size: int, kernel: int, stride: int, pad: int,
                                                   expected: int) -> None:
    x = trainer.randn(1, 1, size)
    assert F.max_pool1d(x, kernel, stride, pad, ceil_mode=True).shape[-1] == expected
    assert F.avg_pool1d(x, kernel, stride, pad, ceil_mode=True).shape[-1] == expected


def test_indices_are_flat_positions_in_the_unpadded_plane() -> None:
    x = trainer.tensor(RNG.standard_normal((2, 3, 6, 5)))
    out, idx = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    assert idx.dtype == trainer.int64 and idx.shape == out.shape
    flat = x._array.reshape(2, 3, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, idx._array.reshape(2, 3, -1), 2).reshape(out.shape),
                                  out._array)
    unpooled = nn.MaxUnpool2d(3, 2, 1)(out, idx, output_size=x.shape[-2:])
    assert unpooled.shape == x.shape
    kept = unpooled._array != 0
    np.testing.assert_array_equal(unpooled._array[kept], x._array[kept])


def test_a_window_of_minus_infinity_points_inside_the_input() -> None:
    x = trainer.full((1, 1, 3, 3), float("-inf"), requires_grad=True)
    out, idx = F.max_pool2d(x, 2, 1, 1, return_indices=True)
    assert np.isneginf(out._array).all()
    assert idx._array.min() >= 0 and idx._array.max() < 9
    out.sum().backward()
    assert x.grad._array.sum() == out.numel()


def test_unbatched_inputs_match_batched_ones() -> None:
    x = trainer.tensor(RNG.standard_normal((3, 7, 6)))
    for fn in (lambda t: F.max_pool2d(t, 2), lambda t: F.avg_pool2d(t, 3, 1, 1), lambda t: F.adaptive_avg_pool2d(t, 2),
               lambda t: F.adaptive_max_pool2d(t, (3, 2))):
        np.testing.assert_array_equal(fn(x)._array, fn(x.unsqueeze(0))._array[0])
    line = x[0]
    for fn in (lambda t: F.max_pool1d(t, 2), lambda t: F.avg_pool1d(t, 3), lambda t: F.adaptive_avg_pool1d(t, 4),
               lambda t: F.adaptive_max_pool1d(t, 4)):
        np.testing.assert_array_equal(fn(line)._array, fn(line.unsqueeze(0))._array[0])


@pytest.mark.parametrize("layer", [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(3), nn.AdaptiveMaxPool2d(2),
                                   nn.Upsample(scale_factor=2), nn.Upsample(size=5, mode="bilinear"),
                                   nn.GroupNorm(2, 4), nn.BatchNorm2d(4), nn.Dropout2d(0.3), nn.Unflatten(1, (2, 2))])
def test_float32_stays_float32(layer: nn.Module) -> None:
    x = trainer.randn(2, 4, 6, 6, requires_grad=True)
    out = layer(x)
    assert out.dtype == trainer.float32
    out.sum().backward()
    assert x.grad.dtype == trainer.float32


def test_adaptive_windows_are_pytorchs() -> None:
    x = trainer.arange(10.0).reshape(1, 1, 10)
    # windows [0, 4), [3, 7), [6, 10): floor(i*10/3) to ceil((i+1)*10/3)
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 3)._array.ravel(), [1.5, 4.5, 7.5])
    out, idx = F.adaptive_max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(idx._array.ravel(), [3, 6, 9])
    assert F.adaptive_avg_pool2d(trainer.randn(1, 2, 5, 4), (None, 2)).shape == (1, 2, 5, 2)


def test_nearest_and_bilinear_source_indices() -> None:
    x = trainer.arange(4.0).reshape(1, 1, 4)
    np.testing.assert_array_equal(F.interpolate(x, size=6)._array.ravel(), [0, 0, 1, 2, 2, 3])  # floor(dst * 4/6)
    np.testing.assert_array_equal(F.interpolate(x, size=6, mode="nearest-exact")._array.ravel(), [0, 1, 1, 2, 3, 3])
    np.testing.assert_allclose(F.interpolate(x, size=7, mode="linear", align_corners=True)._array.ravel(),
                               np.linspace(0, 3, 7))
    # recompute_scale_factor: the kernel sees in/out (4/6) instead of 1/1.7
    a = F.interpolate(x, scale_factor=1.7, mode="linear")._array
    b = F.interpolate(x, scale_factor=1.7, mode="linear", recompute_scale_factor=True)._array
    assert a.shape == b.shape == (1, 1, 6) and not np.allclose(a, b)


def test_modifying_a_max_pool_input_in_place_is_refused_at_backward() -> None:
    x = trainer.randn(1, 1, 4, 4, requires_grad=True)
    y = x * 1.0
    out = F.max_pool2d(y, 2)
    y.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    z = x * 1.0
    up = F.interpolate(z, scale_factor=2)  # PyTorch's upsampling saves no input: allowed
    z.add_(1.0)
    up.sum().backward()


def test_an_image_network_trains() -> None:
    trainer.manual_seed(0)
    net = nn.Sequential(nn.BatchNorm2d(2), nn.MaxPool2d(2), nn.GroupNorm(1, 2), nn.Upsample(scale_factor=2),
                        nn.AvgPool2d(3, 1, 1), nn.Dropout2d(0.2), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
                        nn.Linear(8, 1))
    x, y = trainer.randn(8, 2, 6, 6), trainer.randn(8, 1)
    opt = trainer.optim.Adam(net.parameters(), lr=0.05)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert losses[-1] < losses[0]
    assert int(net[0].num_batches_tracked) == 20


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_large_axes_scatter_the_same_gradient_as_the_matrix_product(mode: str, monkeypatch) -> None:
    x = RNG.standard_normal((2, 3, 5, 7))
    gout = RNG.standard_normal((2, 3, 9, 11))

    def grad() -> np.ndarray:
        t = trainer.tensor(x, requires_grad=True)
        F.interpolate(t, size=(9, 11), mode=mode).backward(trainer.tensor(gout))
        return t.grad._array

    dense = grad()
    monkeypatch.setattr(upsampling, "_DENSE", 0)
    np.testing.assert_allclose(grad(), dense, rtol=1e-12, atol=1e-12)
