"""The image layers in YAML: catalogue names and aliases, int or list arguments, no return_indices, the schema."""

from __future__ import annotations

import numpy as np
import pytest

import trainer.nn as nn
from trainer.build.model import build_model
from trainer.config import load_config
from trainer.config.schema import json_schema

from .helpers import seed, user_error

IMAGE_LAYERS = [
    {"type": "maxpool2d", "kernel_size": 2},
    {"type": "nn_max_pool2d", "kernel_size": [2, 1], "stride": [1, 1], "padding": [1, 0], "ceil_mode": True},
    {"type": "avg_pool2d", "kernel_size": [3, 3], "stride": 1, "padding": 1, "count_include_pad": False},
    {"type": "adaptive_avgpool2d", "output_size": [4, None]},
    {"type": "adaptive_max_pool2d", "output_size": 3},
    {"type": "dropout2d", "p": 0.1},
    {"type": "upsample", "scale_factor": [2, 1.5], "mode": "bilinear", "align_corners": False},
    {"type": "unflatten", "dim": 1, "unflattened_size": [1, -1]},
    {"type": "flatten", "start_dim": 1, "end_dim": 2},
]


def test_image_layers_load_and_build_from_yaml() -> None:
    cfg = load_config(seed(model={"layers": IMAGE_LAYERS}))
    built = build_model(cfg.model.layers, np.random.default_rng(0).standard_normal((2, 2, 6, 6)), np.dtype("float64"))
    kinds = [type(layer) for layer in built.model]
    assert kinds == [nn.MaxPool2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d,
                     nn.Dropout2d, nn.Upsample, nn.Unflatten, nn.Flatten]
    assert built.model[0].kernel_size == 2 and built.model[1].kernel_size == (2, 1)
    assert built.output.shape == (2, 2, 6, 4)


def test_norm_layers_leave_their_channels_to_the_builder() -> None:
    cfg = load_config(seed(model={"layers": [{"type": "batch_norm2d"}, {"type": "nn_group_norm", "num_groups": 1},
                                             {"type": "maxpool1d", "kernel_size": [2]},
                                             {"type": "adaptive_avg_pool1d", "output_size": 2},
                                             {"type": "avgpool1d", "kernel_size": 1}, {"type": "dropout1d"}]}))
    assert [layer.type for layer in cfg.model.layers] == ["batchnorm2d", "groupnorm", "maxpool1d", "adaptive_avgpool1d",
                                                          "avgpool1d", "dropout1d"]
    assert cfg.model.layers[0].num_features is None and cfg.model.layers[1].num_channels is None


@pytest.mark.parametrize("layer", [{"type": "maxpool2d", "kernel_size": 2, "return_indices": True},
                                   {"type": "adaptive_maxpool2d", "output_size": 2, "return_indices": True}])
def test_return_indices_is_not_a_yaml_argument(layer: dict) -> None:
    err = user_error(lambda: load_config(seed(model={"layers": [layer]})))
    assert err.key == "model.layers.0.return_indices"


def test_bad_image_layer_values_are_refused_with_their_key() -> None:
    assert user_error(lambda: load_config(seed(model={"layers": [{"type": "maxpool2d", "kernel_size": "2"}]}))
                      ).key == "model.layers.0.kernel_size"
    assert user_error(lambda: load_config(seed(model={"layers": [{"type": "upsample", "mode": "bicubic",
                                                                  "scale_factor": 2}]}))).key == "model.layers.0.mode"


def test_the_schema_lists_the_image_layers() -> None:
    text = str(json_schema())
    for name in ("maxpool2d", "avgpool1d", "adaptive_avgpool2d", "adaptive_maxpool2d", "batchnorm2d", "groupnorm",
                 "dropout2d", "unflatten", "upsample", "nn_max_pool2d", "batch_norm2d"):
        assert name in text, name
