"""Shape inference from YAML: channels from dim 1, features from the last dim, and messages naming layers and shapes.

The conv and pool layers here are small stand-ins (a 1x1 convolution, a 2x2 max pool) registered as plugins
(fake_conv2d, fake_maxpool2d) under PyTorch's class names, so the builder is tested apart from the real layers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import trainer
from trainer import nn
from trainer.build import validate_experiment
from trainer.config.plugins import forget_plugins
from trainer.config.registration import register_layer

from ..config.helpers import user_error


class Conv2d(nn.Module):
    """A 1x1 convolution: (n, in_channels, H, W) -> (n, out_channels, H, W)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.weight = nn.Parameter(trainer.randn(out_channels, in_channels) * 0.3)

    def forward(self, x: Any) -> Any:
        if x.ndim != 4:
            raise ValueError(f"expected 4-D input, got {x.ndim}-D")
        return trainer.einsum("nchw,oc->nohw", x, self.weight)


class MaxPool2d(nn.Module):
    """2x2 max pooling with stride 2."""

    def forward(self, x: Any) -> Any:
        n, c, h, w = x.shape
        return x.reshape(n, c, h // 2, 2, w // 2, 2).amax(dim=(3, 5))


class ChannelNorm(nn.Module):
    """Stands in for BatchNorm2d/GroupNorm: one scale per channel (dim 1)."""

    def __init__(self, num_channels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(trainer.ones(num_channels))

    def forward(self, x: Any) -> Any:
        return x * self.weight.reshape(1, -1, *([1] * (x.ndim - 2)))


@pytest.fixture(autouse=True)
def standins() -> Iterator[None]:
    forget_plugins()
    register_layer(Conv2d, name="fake_conv2d")
    register_layer(MaxPool2d, name="fake_maxpool2d")
    register_layer(ChannelNorm, name="channel_norm")
    yield
    forget_plugins()


def images(tmp_path: Path, shape: tuple[int, ...] = (12, 2, 8, 8)) -> Path:
    rng = np.random.default_rng(0)
    path = tmp_path / "images.npz"
    np.savez(path, x=rng.normal(size=shape), y=np.arange(shape[0]) % 3)
    return path


def config(path: Path, *layers: Any, **data: Any) -> dict[str, Any]:
    return {"data": {"type": "npz", "path": str(path), **data}, "model": {"layers": list(layers)},
            "loss": "cross_entropy", "optimizer": {"type": "sgd", "lr": 0.1}, "training": {"epochs": 1}}


CNN = ({"type": "fake_conv2d", "out_channels": 4}, "relu", "fake_maxpool2d", {"type": "channel_norm"}, "flatten",
       {"type": "linear", "out_features": 3})


def test_channels_come_from_dim_1_and_features_from_the_last_dim(tmp_path: Path) -> None:
    exp = validate_experiment(config(images(tmp_path), *CNN))
    conv, *_, norm, _, linear = list(exp.model)
    assert conv.in_channels == 2 and norm.weight.shape == (4,) and linear.in_features == 4 * 4 * 4
    assert [(s.index, s.type, s.output_shape[1:], s.params) for s in exp.layers] == [
        (0, "fake_conv2d", (4, 8, 8), 8), (1, "relu", (4, 8, 8), 0), (2, "fake_maxpool2d", (4, 4, 4), 0),
        (3, "channel_norm", (4, 4, 4), 4), (4, "flatten", (64,), 0), (5, "linear", (3,), 195)]
    assert exp.data.input_shape == (2, 8, 8) and exp.data.in_features == 128
    layers = exp.resolved["model"]["layers"]
    assert layers[0]["in_channels"] == 2 and layers[3]["num_channels"] == 4 and layers[5]["in_features"] == 64


def test_batchnorm1d_on_rows_still_reads_the_width(tmp_path: Path) -> None:
    exp = validate_experiment(config(images(tmp_path, (12, 5)), {"type": "batchnorm1d"},
                                     {"type": "linear", "out_features": 3}))
    assert list(exp.model)[0].num_features == 5


def test_a_linear_fed_images_names_the_layer_and_both_shapes(tmp_path: Path) -> None:
    layers = [layer for layer in CNN if layer != "flatten"]
    err = user_error(validate_experiment, config(images(tmp_path), *layers))
    assert err.key == "model.layers.4"
    assert "linear needs a flat input but gets (n, 4, 4, 4)" in err.message and "(n, 4, 4, 3)" in err.message
    assert err.hint == "put {type: flatten} before it"


def test_a_linear_on_the_last_dim_is_kept_when_the_output_fits(tmp_path: Path) -> None:
    """PyTorch's Linear acts on the last dim; a model whose output still fits the loss is not refused."""
    exp = validate_experiment(config(images(tmp_path, (12, 2, 1, 1)), {"type": "fake_conv2d", "out_channels": 1},
                                     {"type": "linear", "out_features": 3}, "flatten"))
    assert exp.layers[1].output_shape[1:] == (1, 1, 3) and exp.layers[2].output_shape[1:] == (3,)


def test_a_conv_on_flat_rows_says_which_shape_it_needs(tmp_path: Path) -> None:
    err = user_error(validate_experiment, config(images(tmp_path, (12, 64)), *CNN))
    assert err.key == "model.layers.0"
    assert err.message == "fake_conv2d needs (n, C, H, W) input but the data is (n, 64)"
    assert "data.shape: image" in err.hint and "unflatten" in err.hint


def test_a_pool_after_flatten_names_the_layer_before(tmp_path: Path) -> None:
    layers = ({"type": "fake_conv2d", "out_channels": 4}, "flatten", "fake_maxpool2d",
              {"type": "linear", "out_features": 3})
    err = user_error(validate_experiment, config(images(tmp_path), *layers))
    assert err.key == "model.layers.2"
    assert err.message == "fake_maxpool2d needs (n, C, H, W) input but the output of model.layers.1 is (n, 256)"


def test_a_given_channel_count_that_disagrees_is_refused(tmp_path: Path) -> None:
    err = user_error(validate_experiment, config(images(tmp_path), {"type": "fake_conv2d", "out_channels": 4,
                                                                      "in_channels": 3}, *CNN[1:]))
    assert err.key == "model.layers.0.in_channels"
    assert "in_channels is 3 but the input to this layer, (n, 2, 8, 8) (the data), has 2 channels" in err.message


def test_an_output_that_is_not_flat_gets_the_flatten_hint(tmp_path: Path) -> None:
    err = user_error(validate_experiment, config(images(tmp_path), {"type": "fake_conv2d", "out_channels": 3}))
    assert "(n, 3, 8, 8)" in err.message and err.hint == "put {type: flatten} before the last linear layer"


def test_layernorm_over_trailing_dims_is_accepted(tmp_path: Path) -> None:
    exp = validate_experiment(config(images(tmp_path), {"type": "layernorm", "normalized_shape": [8, 8]},
                                     "flatten", {"type": "linear", "out_features": 3}))
    assert list(exp.model)[0].normalized_shape == (8, 8)


def test_instance_norm_on_rows_says_which_shape_it_needs(tmp_path: Path) -> None:
    """InstanceNorm1d would take (n, features) for one unbatched (C, L) input: refused before training."""
    err = user_error(validate_experiment, config(images(tmp_path, (12, 5)), "instancenorm1d",
                                                 {"type": "linear", "out_features": 3}))
    assert err.key == "model.layers.0"
    assert err.message == "instancenorm1d needs (n, C, L) input but the data is (n, 5)"
    exp = validate_experiment(config(images(tmp_path, (12, 2, 8)), "instancenorm1d", "flatten",
                                     {"type": "linear", "out_features": 3}))
    assert list(exp.model)[0].num_features == 2
