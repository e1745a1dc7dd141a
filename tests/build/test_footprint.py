"""Shapes estimated from the config alone (for the memory check) follow PyTorch's formulas."""

from __future__ import annotations

from types import SimpleNamespace as Spec

import pytest

from trainer.build.footprint import spatial_footprint


@pytest.mark.parametrize("spec, shape, params, out", [
    (Spec(out_channels=16, kernel_size=3, padding=1, stride=1, dilation=1, groups=1, bias=True), (1, 8, 8),
     16 * 9 + 16, (16, 8, 8)),
    (Spec(out_channels=4, kernel_size=[3, 5], padding="valid", stride=[2, 1], dilation=1, groups=2, bias=False),
     (6, 9, 9), 4 * 3 * 15, (4, 4, 5)),
    (Spec(out_channels=4, kernel_size=3, padding="same", stride=1, dilation=2, groups=1, bias=True), (2, 7),
     28, (4, 7)),
    (Spec(out_channels=3, kernel_size=2, padding=0, stride=2, dilation=1, groups=1, bias=True, output_padding=1),
     (5, 4, 4), 5 * 3 * 4 + 3, (3, 9, 9)),
    (Spec(kernel_size=2, stride=None, padding=0, dilation=1, ceil_mode=False), (16, 5, 5), 0, (16, 2, 2)),
    (Spec(kernel_size=2, stride=None, padding=0, dilation=1, ceil_mode=True), (16, 5, 5), 0, (16, 3, 3)),
    (Spec(kernel_size=3, stride=1, padding=1), (4, 10), 0, (4, 10)),
    (Spec(output_size=[1, None]), (8, 4, 4), 0, (8, 1, 4)),
    (Spec(start_dim=1, end_dim=-1), (16, 2, 2), 0, (64,)),
    (Spec(start_dim=2, end_dim=3), (16, 2, 2), 0, (16, 4)),
    (Spec(dim=1, unflattened_size=[1, 8, 8]), (64,), 0, (1, 8, 8)),
    (Spec(size=None, scale_factor=2.0), (3, 4, 4), 0, (3, 8, 8)),
    (Spec(affine=True, num_features=None), (6, 4, 4), 12, (6, 4, 4)),
    (Spec(), (6, 4, 4), 0, (6, 4, 4)),
])
def test_spatial_layers(spec, shape, params, out):
    n_params, got, _ = spatial_footprint(spec, shape)
    assert (n_params, got) == (params, out)


def test_rows_and_unusable_values_give_no_estimate():
    assert spatial_footprint(Spec(kernel_size=2), (64,)) is None
    assert spatial_footprint(Spec(kernel_size="big", stride=None, padding=0, dilation=1), (1, 8, 8)) is None
