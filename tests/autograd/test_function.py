"""trainer.autograd.Function and trainer.autograd.grad, as PyTorch behaves (checked in a PyTorch 2.13 venv)."""

from __future__ import annotations

import numpy as np
import pytest

import trainer
from trainer.autograd import Function


class Scale(Function):
    @staticmethod
    def forward(ctx, x, k, *, shift=0.0):
        ctx.k = k
        ctx.save_for_backward(x)
        return x * k + shift, x + 1

    @staticmethod
    def backward(ctx, g1, g2):
        ctx.seen = (g1, g2, ctx.needs_input_grad)
        return g1 * ctx.k + g2, None


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


def test_single_output_function_trains_like_the_builtin() -> None:
    x = trainer.tensor([0.5, -1.0], requires_grad=True)
    y = Exp.apply(x)
    assert repr(y.grad_fn).startswith("<torch.autograd.function.ExpBackward object at 0x")
    assert y.grad_fn.name() == "ExpBackward"
    (y * 2).sum().backward()
    np.testing.assert_allclose(x.grad.data.numpy(), 2 * np.exp([0.5, -1.0]), rtol=1e-6)


def test_multiple_outputs_share_one_node_and_unused_grads_are_zeros() -> None:
    x = trainer.ones(2, requires_grad=True)
    a, b = Scale.apply(x, 3.0, shift=1.0)
    assert a.grad_fn is b.grad_fn
    assert a.data.numpy().tolist() == [4.0, 4.0]
    a.sum().backward()
    assert x.grad.data.numpy().tolist() == [3.0, 3.0]


def test_backward_sees_needs_input_grad_and_materialized_zeros() -> None:
    seen = {}

    class Two(Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.set_materialize_grads(False)
            return x * y, x - y

        @staticmethod
        def backward(ctx, ga, gb):
            seen["grads"] = (ga, gb)
            seen["needs"] = ctx.needs_input_grad
            return ga, None

    x = trainer.ones(2, requires_grad=True)
    a, _ = Two.apply(x, trainer.ones(2))
    a.sum().backward()
    assert seen["needs"] == (True, False)
    assert seen["grads"][1] is None
    assert x.grad.data.numpy().tolist() == [1.0, 1.0]


def test_forward_runs_without_a_graph_and_non_differentiable_outputs() -> None:
    class ArgmaxAndMax(Function):
        @staticmethod
        def forward(ctx, x):
            assert not trainer.is_grad_enabled()
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x.max(), idx

        @staticmethod
        def backward(ctx, g, _):
            return g * 0 + 1

    x = trainer.tensor([1.0, 3.0], requires_grad=True)
    m, i = ArgmaxAndMax.apply(x)
    assert m.requires_grad and not i.requires_grad


def test_no_graph_when_no_input_needs_grad() -> None:
    y = Exp.apply(trainer.ones(2))
    assert y.grad_fn is None and not y.requires_grad


def test_grad_returns_without_touching_dot_grad() -> None:
    x = trainer.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    gh, gx = trainer.autograd.grad((h * h).sum(), [h, x])
    assert gh.data.numpy().tolist() == [4.0, 8.0] and gx.data.numpy().tolist() == [8.0, 16.0]
    assert x.grad is None and h.grad is None
    (g,) = trainer.autograd.grad(x * 3, x, grad_outputs=trainer.ones(2))
    assert g.data.numpy().tolist() == [3.0, 3.0]


def test_grad_errors_as_pytorch() -> None:
    x = trainer.ones(2, requires_grad=True)
    unused = trainer.ones(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="index 1 appears to not have been used"):
        trainer.autograd.grad((x * x).sum(), [x, unused])
    assert trainer.autograd.grad((x * x).sum(), [x, unused], allow_unused=True)[1] is None
    assert trainer.autograd.grad((x * x).sum(), [x, unused], materialize_grads=True)[1].data.numpy().tolist() == [0.0]
    with pytest.raises(RuntimeError, match="does not require grad"):
        trainer.autograd.grad((x * x).sum(), trainer.ones(1))


def test_function_names_stay_out_of_the_top_level() -> None:
    assert not hasattr(trainer, "Function") and "grad" not in trainer.autograd.__all__


SEEN: list[tuple] = []


class MulConstant(Function):
    """PyTorch 2's style: forward without ctx, then setup_context(ctx, inputs, output)."""

    @staticmethod
    def forward(x, k=2.0):
        return x * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]
        SEEN.append((len(inputs), inputs[1], type(output).__name__))

    @staticmethod
    @trainer.autograd.function.once_differentiable
    def backward(ctx, g):
        SEEN.append(("grad mode", trainer.is_grad_enabled()))
        return g * ctx.k, None


def test_setup_context_binds_forwards_defaults_and_once_differentiable_runs_without_a_graph() -> None:
    # PyTorch 2.13: inputs (x, 2.0) with the default bound, then (x, 3.0) from k=3.0; x.grad [2, 2] then [5, 5];
    # the backward runs with grad mode off; the node is MulConstantBackward
    SEEN.clear()
    x = trainer.ones(2, requires_grad=True)
    y = MulConstant.apply(x)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0] and type(y.grad_fn).__name__ == "MulConstantBackward"
    MulConstant.apply(x, k=3.0).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]
    assert SEEN == [(2, 2.0, "Tensor"), ("grad mode", False), (2, 3.0, "Tensor"), ("grad mode", False)]
    with pytest.raises(NotImplementedError, match="setup_context is not implemented"):
        Function.setup_context(None, (), None)
