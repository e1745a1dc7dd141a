"""Shapes that do not broadcast raise PyTorch's RuntimeError (the texts PyTorch 2.13 prints for the same lines)."""

from __future__ import annotations

import pytest

import trainer as torch
from trainer.autograd.broadcast_check import broadcast_error, broadcast_shape

A, B = torch.rand(2, 3), torch.rand(3, 2)
MESSAGE = "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"


@pytest.mark.parametrize("op", [
    lambda: A + B, lambda: A - B, lambda: A * B, lambda: A / B, lambda: A ** B, lambda: A == B, lambda: A < B,
    lambda: torch.maximum(A, B), lambda: torch.where(A > 0, A, B), lambda: A.clone().add_(B),
    lambda: A.clone().mul_(torch.rand(2, 2)), lambda: torch.atan2(A, B), lambda: torch.hypot(A, B),
    lambda: torch.fmod(A, B), lambda: torch.xlogy(A, B), lambda: torch.special.xlog1py(A, B),
    lambda: torch.lerp(A, B, 0.5), lambda: torch.addcmul(A, A, B), lambda: torch.remainder(A, B),
    lambda: torch.nextafter(A, B),
])
def test_binary_ops_name_the_last_dimension_that_does_not_fit(op) -> None:
    with pytest.raises(RuntimeError) as info:
        op()
    assert str(info.value) == MESSAGE


def test_the_dimension_is_counted_in_the_broadcast_shape() -> None:
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(2\) must match the size of tensor b \(3\) at "
                                           r"non-singleton dimension 2$"):
        torch.ones(4, 3, 2) * torch.rand(4, 3)
    with pytest.raises(RuntimeError, match=r"^output with shape \[3\] doesn't match the broadcast shape \[2, 3\]$"):
        torch.ones(3).add_(torch.ones(2, 3))  # broadcastable, but not into the left operand


def test_the_shared_check() -> None:
    assert broadcast_error((2, 1, 3), (4, 1)) is None and broadcast_shape((2, 1, 3), (4, 1)) == (2, 4, 3)
    assert broadcast_shape((0, 1), (1, 5)) == (0, 5) and broadcast_shape() == ()
    assert str(broadcast_error((2, 3), (2, 3), (4,))) == ("The size of tensor a (3) must match the size of tensor b "
                                                         "(4) at non-singleton dimension 1")
