"""Convolution layers in a config: kernel_size and friends as an int or a list, padding strings, bad values
reported with their key path."""

from __future__ import annotations

import pytest

from trainer.config import load_config
from trainer.errors import UserError

BASE = {"data": {"type": "linear", "n": 10, "d_in": 3}, "loss": {"type": "mse"}, "optimizer": {"type": "adam"}}


def _layers(*layers: dict) -> dict:
    return {**BASE, "model": {"layers": list(layers)}}


def test_ints_lists_and_padding_strings_are_accepted() -> None:
    config = load_config(_layers(
        {"type": "conv2d", "out_channels": 8, "kernel_size": [3, 2], "padding": "same"},
        {"type": "nn_conv2d", "out_channels": 8, "kernel_size": 3, "stride": [2, 1], "padding": [1, 0],
         "padding_mode": "reflect"},
        {"type": "conv_transpose2d", "out_channels": 4, "kernel_size": 4, "stride": 2, "output_padding": [1, 1]},
        {"type": "conv1d", "out_channels": 2, "kernel_size": 5, "padding": "valid", "dilation": 2}))
    conv, strided, transposed, conv1 = config.model.layers
    assert conv.kernel_size == (3, 2) and conv.padding == "same" and conv.in_channels is None
    assert strided.type == "conv2d" and strided.stride == (2, 1) and strided.padding_mode == "reflect"
    assert transposed.output_padding == (1, 1) and conv1.dilation == 2


@pytest.mark.parametrize(("bad", "key"), [({"padding": "full"}, "padding"), ({"kernel_size": [3, 2, 1]}, "kernel_size"),
                                          ({"padding_mode": "mirror"}, "padding_mode")])
def test_bad_values_name_their_key(bad: dict, key: str) -> None:
    with pytest.raises(UserError) as info:
        load_config(_layers({"type": "conv2d", "out_channels": 8, "kernel_size": 3, **bad}))
    assert info.value.key == f"model.layers.0.{key}"
