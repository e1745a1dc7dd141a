"""`out=` on the top-level functions that have it in PyTorch 2.13 (texts and values as PyTorch prints them)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import trainer as torch
from trainer.autograd.out_argument import OUT_NAMES


def test_the_result_is_written_into_out_and_out_is_returned() -> None:
    a, b, c = torch.rand(2, 2), torch.rand(2, 2), torch.zeros(2, 2)
    assert torch.matmul(a, b, out=c) is c and torch.equal(c, a @ b)
    assert torch.add(a, b, out=c) is c and torch.equal(c, a + b)
    s = torch.empty(2)
    torch.sum(a, dim=0, out=s)
    assert torch.equal(s, a.sum(0))
    view = c[0]
    torch.add(a, 1, out=c)
    assert torch.equal(view, a[0] + 1)  # same storage: a view of out sees the result
    z = torch.zeros(3)
    torch.arange(3, out=z)
    assert z.tolist() == [0.0, 1.0, 2.0] and z.dtype == torch.float32


def test_factories_draw_in_outs_dtype_as_pytorch() -> None:
    torch.manual_seed(0)
    o = torch.zeros(2, 2, dtype=torch.float64)
    torch.rand(2, 2, out=o)
    torch.manual_seed(0)
    assert o.dtype == torch.float64 and torch.equal(o, torch.rand(2, 2, dtype=torch.float64))


def test_several_results_go_into_a_tuple_and_print_as_pytorchs_out_types() -> None:
    a = torch.tensor([[1.0, 4.0], [3.0, 2.0]])
    values, indices = torch.empty(2), torch.empty(2, dtype=torch.long)
    r = torch.max(a, 1, out=(values, indices))
    assert r.values is values and r.indices is indices
    assert repr(r) == "torch.return_types.max_out(\nvalues=tensor([4., 3.]),\nindices=tensor([1, 0]))"
    with pytest.raises(TypeError, match=r"^max\(\): argument 'out' must be tuple of Tensors, not Tensor$"):
        torch.max(a, 1, out=torch.empty(2))


def test_an_out_of_another_shape_is_resized_with_pytorchs_warning() -> None:
    a, c = torch.rand(2, 2), torch.zeros(3)
    with pytest.warns(UserWarning, match=re.escape("An output with one or more elements was resized since it had "
                                                   "shape [3], which does not match the required output shape [2, 2]")):
        torch.add(a, a, out=c)
    assert c.shape == (2, 2)
    e = torch.empty(0)
    torch.add(a, a, out=e)  # an empty out is resized silently
    assert e.shape == (2, 2)


def test_pytorchs_errors() -> None:
    a = torch.rand(2, 2)
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        torch.add(a, a, out=torch.zeros(2, 2, dtype=torch.long))
    with pytest.raises(RuntimeError, match="^Expected out tensor to have dtype long int, but got float instead$"):
        torch.argmax(a, out=torch.empty(0))
    with pytest.raises(TypeError, match=r"^add\(\): argument 'out' must be Tensor, not list$"):
        torch.add(a, a, out=[1])
    x = torch.rand(2, requires_grad=True)
    message = (r"^mul\(\): functions with out=\.\.\. arguments don't support automatic differentiation, but one of "
               r"the arguments requires grad\.$")
    with pytest.raises(RuntimeError, match=message):
        torch.mul(x, 2, out=torch.zeros(2))
    with pytest.raises(RuntimeError, match=message):
        torch.mul(a, 2, out=torch.zeros(2, 2, requires_grad=True))
    with torch.no_grad():
        assert torch.equal(torch.mul(x, 2, out=torch.zeros(2)), x.detach() * 2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'out'"):
        torch.relu(a, out=torch.empty(0))  # PyTorch's relu has no out=


def test_every_listed_name_takes_out_and_integer_results_keep_their_dtype() -> None:
    for name in sorted(OUT_NAMES):
        fn = getattr(torch, name)
        assert "out" in fn.__code__.co_varnames[:fn.__code__.co_argcount + fn.__code__.co_kwonlyargcount], name
    i = torch.empty(0, dtype=torch.long)
    assert torch.argmax(torch.tensor([[1.0, 4.0], [3.0, 2.0]]), out=i) is i and i.item() == 1
    assert np.array_equal(torch.cat([torch.ones(1), torch.zeros(1)], out=torch.empty(2)).numpy(), [1.0, 0.0])
