"""Indexing records PyTorch's node (that of its last non-trivial step), a linear layer lists its inputs as
addmm(bias, input, weight.t()), and one-element integer tensors are Python indices (PyTorch 2.13's behaviour)."""

import pytest

import trainer as torch

CASES = [
    ((1, 2, 3), "SelectBackward0"), ((slice(None), slice(None), 0), "SelectBackward0"),
    ((0, slice(1, 3)), "SliceBackward0"), ((slice(None),), "AliasBackward0"), ((slice(0, 2),), "AliasBackward0"),
    ((None,), "UnsqueezeBackward0"), ((Ellipsis, 1), "SelectBackward0"), ((slice(None), None), "UnsqueezeBackward0"),
    ((0, Ellipsis), "SelectBackward0"), ((Ellipsis,), "AliasBackward0"),
    ((slice(0, 2), 0, slice(None)), "SelectBackward0"), ((slice(1, None),), "SliceBackward0"),
    ((slice(None, None, 2),), "SliceBackward0"),
]


@pytest.mark.parametrize(("index", "name"), CASES, ids=[str(c[0]) for c in CASES])
def test_basic_indexing_names_the_node_as_pytorch(index, name):
    a = torch.randn(2, 3, 4, requires_grad=True)
    assert type(a[index].grad_fn).__name__ == name


def test_index_with_a_tensor_is_index_backward():
    a = torch.randn(2, 3, requires_grad=True)
    assert type(a[torch.tensor([0, 1])].grad_fn).__name__ == "IndexBackward0"


def test_linear_lists_bias_input_and_transposed_weight():
    layer = torch.nn.Linear(3, 2)
    x = torch.randn(4, 3, requires_grad=True)
    (bias, _), (inp, _), (t, _) = layer(x).grad_fn.next_functions
    assert bias.variable is layer.bias and inp.variable is x
    assert t.name() == "TBackward0" and t.next_functions[0][0].variable is layer.weight
    no_bias = torch.nn.Linear(3, 2, bias=False)(torch.randn(4, 3)).grad_fn.next_functions
    assert no_bias[0][0] is None and no_bias[1][0].name() == "TBackward0"


def test_one_element_integer_tensors_are_indices():
    classes = ("a", "b", "c", "d")
    assert classes[torch.tensor(2)] == "c" and classes[torch.tensor([[1]])] == "b"
    assert list(range(torch.tensor(3))) == [0, 1, 2] and [0, 1][torch.tensor(True)] == 1
    for bad in (torch.tensor(2.0), torch.tensor([1, 2])):
        with pytest.raises(TypeError, match="only integer tensors of a single element"):
            classes[bad]


def test_top_level_functional_forms_are_nn_functionals():
    x, w = torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3)
    assert torch.equal(torch.conv2d(x, w, None, 1, 1), torch.nn.functional.conv2d(x, w, padding=1))
    assert torch.max_pool2d(x, 2).shape == (1, 2, 2, 2) and torch.group_norm(x, 1).shape == x.shape
