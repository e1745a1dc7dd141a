"""Wrong shapes and dtypes raise errors that name the function and both shapes; where PyTorch broadcasts (with its
warning) or promotes instead, so does trainer (a PyTorch script runs as under PyTorch)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import trainer
import trainer.nn as nn
import trainer.nn.functional as F

X = trainer.randn(4, 1)
Y_FLAT = trainer.randn(4)


@pytest.mark.parametrize("fn", [F.soft_margin_loss, F.poisson_nll_loss, F.kl_div, F.binary_cross_entropy_with_logits,
                                F.hinge_embedding_loss])
def test_target_shape_mismatch_raises_instead_of_broadcasting(fn) -> None:
    with pytest.raises(ValueError) as err:
        fn(X, Y_FLAT)
    msg = str(err.value)
    assert msg.startswith(fn.__name__ + ":")
    assert "(4, 1)" in msg and "(4,)" in msg


BROADCAST_WARNING = re.escape("Using a target size (torch.Size([4])) that is different to the input size "
                              "(torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. "
                              "Please ensure they have the same size.")


@pytest.mark.parametrize("fn", [F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss])
def test_pointwise_regression_losses_broadcast_a_mismatched_target_with_pytorchs_warning(fn) -> None:
    x = X.detach().requires_grad_()
    with pytest.warns(UserWarning, match=BROADCAST_WARNING) as caught:
        loss = fn(x, Y_FLAT, reduction="sum")
    assert caught[0].filename == __file__  # pointing at the caller, as PyTorch's does
    wide = Y_FLAT.expand(4, 4)
    expected = fn(X.expand(4, 4), wide, reduction="sum")
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    assert loss.grad_fn.next_functions[0][0].name() == "ExpandBackward0"
    loss.backward()
    assert x.grad.shape == (4, 1)
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(3\) must match the size of tensor b \(2\) at "
                                           r"non-singleton dimension 1$"):
        fn(trainer.randn(4, 3), trainer.randn(2))


def test_loss_modules_broadcast_the_same_way() -> None:
    with pytest.warns(UserWarning, match=BROADCAST_WARNING):
        assert nn.MSELoss()(X, Y_FLAT).shape == ()
    with pytest.warns(UserWarning, match=BROADCAST_WARNING):
        assert nn.L1Loss(reduction="none")(X, Y_FLAT).shape == (4, 4)


def test_binary_cross_entropy_checks_shape_and_range() -> None:
    with pytest.raises(ValueError, match=r"binary_cross_entropy: input shape \(4, 1\) and target shape \(4,\)"):
        F.binary_cross_entropy(trainer.rand(4, 1), trainer.rand(4))
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy(trainer.tensor([1.5]), trainer.tensor([1.0]))
    with pytest.raises(ValueError, match=r"weight shape \(3,\) does not broadcast to input shape \(4, 2\)"):
        F.binary_cross_entropy(trainer.rand(4, 2), trainer.rand(4, 2), trainer.ones(3))


@pytest.mark.parametrize("fn", [F.mse_loss, F.l1_loss, F.smooth_l1_loss])
def test_a_float64_target_promotes_as_in_pytorch(fn) -> None:
    x = trainer.randn(3, requires_grad=True)
    loss = fn(x, trainer.randn(3, dtype="float64"))
    loss.backward()
    assert loss.dtype == np.float64 and x.grad.dtype == np.float32


def test_mismatched_float_dtypes_raise_where_pytorch_does() -> None:
    with pytest.raises(ValueError, match="huber_loss: input dtype float32 and target dtype float64"):
        F.huber_loss(trainer.randn(3), trainer.randn(3, dtype="float64"))
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 must have the same dtype, but got Double and Float$"):
        nn.Linear(3, 2)(trainer.randn(2, 3, dtype="float64"))
    with pytest.raises(RuntimeError, match=r"^expected m1 and m2 to have the same dtype, but got: long int != float$"):
        F.linear(trainer.ones(2, 3).long(), trainer.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"^self and mat2 must have the same dtype, but got Double and Float$"):
        F.linear(trainer.ones(2, 3), trainer.ones(2, 3), trainer.ones(2).double())


def test_integer_regression_targets_are_converted_like_pytorch() -> None:
    out = F.mse_loss(trainer.tensor([1.0, 2.0]), trainer.tensor([1, 4]))
    assert out.dtype == np.float32 and out.item() == pytest.approx(2.0)


def test_cross_entropy_and_nll_shape_and_dtype_errors() -> None:
    logits = trainer.randn(5, 4)
    with pytest.raises(ValueError, match=r"cross_entropy: input shape \(5, 4\) needs a class-index target of shape "
                                         r"\(5,\), got target shape \(4,\)"):
        F.cross_entropy(logits, trainer.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"nll_loss: input shape \(5, 4\) needs .* got target shape \(5, 1\)"):
        F.nll_loss(logits, trainer.zeros(5, 1, dtype="int64"))
    with pytest.raises(ValueError, match=r"probability targets must have the input's shape \(5, 4\), got \(5,\)"):
        F.cross_entropy(logits, trainer.tensor([0.0, 1, 2, 3, 1]))
    with pytest.raises(ValueError, match="class-index targets must be integers"):
        F.nll_loss(logits, trainer.tensor([0.0, 1, 2, 3, 1]))
    with pytest.raises(ValueError, match=r"weight shape \(3,\) does not match the 4 classes"):
        F.cross_entropy(logits, trainer.tensor([0, 1, 2, 3, 1]), weight=trainer.ones(3))
    with pytest.raises(IndexError, match="Target 4 is out of bounds"):
        F.cross_entropy(logits, trainer.tensor([0, 1, 2, 4, 1]))
    with pytest.raises(ValueError, match="label_smoothing"):
        nn.CrossEntropyLoss(label_smoothing=1.5)


def test_layer_shape_errors_name_the_layer_and_shapes_or_are_pytorchs() -> None:
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)$"):
        nn.Linear(3, 4)(trainer.randn(2, 5))
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied \(8x5 and 3x2\)$"):
        F.linear(trainer.ones(2, 4, 5), trainer.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"^The expanded size of the tensor \(2\) must match the existing size "
                                           r"\(3\) at non-singleton dimension 1.  Target sizes: \[4, 2\].  "
                                           r"Tensor sizes: \[3\]$"):
        F.linear(trainer.ones(4, 3), trainer.ones(2, 3), trainer.ones(3))
    b = trainer.zeros(1, 2, requires_grad=True)  # a bias that broadcasts is added, as addmm does
    F.linear(trainer.ones(4, 3), trainer.ones(2, 3), b).sum().backward()
    assert b.grad.tolist() == [[4.0, 4.0]]
    with pytest.raises(ValueError, match=r"BatchNorm1d: input shape \(2, 4\) has 4 channels"):
        nn.BatchNorm1d(3)(trainer.randn(2, 4))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input"):
        nn.BatchNorm1d(3)(trainer.randn(2, 3, 1, 1))
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"\(1, 3\)"):
        nn.BatchNorm1d(3)(trainer.randn(1, 3))
    assert nn.BatchNorm1d(3).eval()(trainer.randn(1, 3)).shape == (1, 3)
    with pytest.raises(ValueError, match=r"layer_norm: normalized_shape \(3,\) expects .* got \(2, 4\)"):
        nn.LayerNorm(3)(trainer.randn(2, 4))
    with pytest.raises(ValueError, match=r"embedding: indices must be integers, got dtype float32"):
        nn.Embedding(5, 2)(trainer.tensor([1.0]))
    with pytest.raises(IndexError, match="index out of range"):
        nn.Embedding(5, 2)(trainer.tensor([5]))
    with pytest.raises(ValueError, match="Flatten"):
        nn.Flatten(start_dim=3)(trainer.randn(2, 3))


def test_margin_and_gaussian_shape_errors() -> None:
    a, b = trainer.randn(4, 3), trainer.randn(4, 3)
    with pytest.raises(ValueError, match=r"cosine_embedding_loss: .* input shape \(4, 3\) and target shape \(3,\)"):
        F.cosine_embedding_loss(a, b, trainer.ones(3))
    with pytest.raises(ValueError, match=r"margin_ranking_loss: input shape \(4, 3\) and input2 shape \(3,\)"):
        F.margin_ranking_loss(a, trainer.randn(3), trainer.ones(4, 3))
    with pytest.raises(ValueError, match=r"gaussian_nll_loss: var shape \(2,\) is incorrect for input shape \(4, 3\)"):
        F.gaussian_nll_loss(a, b, trainer.ones(2))
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(a, b, -1.0)
    with pytest.raises(ValueError, match=r"target shape \(4,\) does not fit input shape \(4, 3\)"):
        F.gaussian_nll_loss(a, trainer.randn(4), trainer.ones(4, 3))


@pytest.mark.parametrize("bad", ["avg", "batchmean"])
def test_invalid_reduction(bad: str) -> None:
    with pytest.raises(ValueError, match=f"{bad} is not a valid value for reduction"):
        F.mse_loss(X, X, reduction=bad)
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.CrossEntropyLoss(reduction=bad)
    assert nn.KLDivLoss(reduction="batchmean").reduction == "batchmean"


def test_option_validation() -> None:
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="negative values for beta"):
        F.smooth_l1_loss(X, X, beta=-1.0)
    with pytest.raises(ValueError, match="non-positive values for delta"):
        F.huber_loss(X, X, delta=0.0)
    with pytest.raises(ValueError, match="approximate"):
        nn.GELU("fast")
    with pytest.raises(ValueError, match="expected a floating-point input"):
        F.relu(trainer.tensor([1, 2]))
    with pytest.raises(TypeError, match="argument 'input' must be a Tensor"):
        F.sigmoid("x")


def test_all_targets_ignored_gives_nan_loss_and_zero_gradient() -> None:
    x = trainer.tensor([[1.0, 2.0], [0.0, 1.0]], requires_grad=True)
    loss = F.cross_entropy(x, trainer.tensor([-100, -100]))
    assert np.isnan(loss.item())
    loss.backward()
    assert x.grad._array.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    x.grad = None
    F.nll_loss(x, trainer.tensor([-100, -100]), reduction="mean").backward()
    assert x.grad._array.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_bce_target_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match="target should be between 0 and 1"):
        F.binary_cross_entropy(trainer.tensor([0.5]), trainer.tensor([2.0]))


def test_load_state_dict_reports_a_full_match_like_pytorch() -> None:
    model = nn.Linear(2, 1)
    assert repr(model.load_state_dict(model.state_dict())) == "<All keys matched successfully>"
