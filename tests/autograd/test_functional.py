"""`trainer.autograd.functional` beyond the values (value_cases_functional.py checks those against PyTorch):
how it is reached, and PyTorch's messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

import trainer
from trainer.autograd import functional as F


def test_reached_as_an_attribute_like_torch_autograd_functional() -> None:
    code = "import trainer; print(trainer.autograd.functional.hessian.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "hessian"


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: F.vjp(lambda a: a**2, x, trainer.ones(2)), r"^v has invalid size: should be torch.Size\(\[3\]\) but "
                                                          r"got torch.Size\(\[2\]\).$"),
    (lambda x: F.hvp(lambda a, b: (a * b).sum(), (x, x), (x,)),
     r"^v is a tuple of invalid length: should be 2 but got 1.$"),
    (lambda x: F.vjp(lambda a: a**2, x), "^The vector v can only be None if the user-provided function returns a "
                                         "single Tensor with a single element.$"),
    (lambda x: F.hessian(lambda a: a**2, x), "^The Tensor returned by the function given to hessian should contain a "
                                             "single element$"),
    (lambda x: F.jacobian(lambda a, b: a, (x, x), strict=True), "^Output 0 of the user-provided function is "
                                                                "independent of input 1. This is not allowed in "
                                                                "strict mode.$"),
    (lambda x: F.jvp(lambda a: a, (x, x), (x,)), "^v is a tuple of invalid length: should be 2 but got 1.$"),
])
def test_messages_are_pytorchs(call, message) -> None:
    with pytest.raises(RuntimeError, match=message):
        call(trainer.tensor([1.0, 2.0, 3.0]))


def test_not_a_tensor_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="The inputs given to jacobian must be either a Tensor or a tuple of Tensors "
                                        "but the value at index 1 has type <class 'float'>."):
        F.jacobian(lambda a, b: a, (trainer.ones(1), 2.0))
