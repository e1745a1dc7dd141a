"""A view's version counter is the parent it views, also when parameters share one arena chunk."""

import trainer as torch
from trainer.autograd.tensor import Tensor


def test_a_view_of_the_second_parent_shares_its_counter_not_the_firsts():
    layer = torch.nn.Linear(3, 2)
    weight, bias = layer.weight, layer.bias
    assert weight._array.base is bias._array.base  # neighbours in one chunk
    view = Tensor._make(weight._array[0], (bias, weight), lambda g: (None, None), "Test")
    assert view._base is weight
    assert view._vc is weight._counter()


def test_in_place_change_of_a_viewed_parameter_is_seen_by_its_view():
    layer = torch.nn.Linear(3, 2)
    row = layer.weight[0]
    before = row._version
    with torch.no_grad():
        layer.bias.add_(1.0)
    assert row._version == before
    with torch.no_grad():
        layer.weight.add_(1.0)
    assert row._version > before
