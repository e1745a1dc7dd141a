"""trainer.distributions behaviour that the reference tables do not express: PyTorch scripts run unchanged,
validation switches, dispatch of user-registered KLs, constraints, expand, laziness of the import."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import trainer
import trainer as torch
from tests.reference_data import load_reference
from trainer.distributions import (
    Bernoulli,
    Categorical,
    Distribution,
    Independent,
    MultivariateNormal,
    Normal,
    OneHotCategorical,
    Uniform,
    constraints,
    kl_divergence,
    register_kl,
)

from .scripts import SCRIPTS


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_training_loops_match_pytorch(name: str) -> None:
    """The same seed draws the same actions and reaches the same weights as PyTorch."""
    expected = load_reference("distributions", "scripts")[name]
    actual = SCRIPTS[name](trainer)
    for key, ref in expected.items():
        if key == "actions":
            assert actual[key] == ref
        else:
            np.testing.assert_allclose(np.asarray(actual[key]), ref, rtol=1e-5, atol=1e-6, err_msg=key)


def test_reinforce_learns_the_best_arm() -> None:
    probs = SCRIPTS["reinforce"](trainer, steps=60)["probs"]
    assert probs[0, 2] > 0.6


def test_mvn_rsample_uses_the_standard_normal_draws() -> None:
    torch.manual_seed(3)
    eps = torch.randn(5, 3)
    torch.manual_seed(3)
    x = MultivariateNormal(torch.zeros(3), scale_tril=torch.eye(3)).rsample((5,))
    assert np.array_equal(x.numpy(), eps.numpy())


def test_rsample_is_differentiable_and_sample_is_not() -> None:
    loc = torch.tensor([0.5, -1.0], requires_grad=True)
    d = Normal(loc, 2.0)
    assert d.rsample().requires_grad
    assert not d.sample().requires_grad
    assert type(d.rsample().grad_fn).__name__ == "AddBackward0"


def test_set_default_validate_args() -> None:
    try:
        Distribution.set_default_validate_args(False)
        assert Normal(0.0, -1.0).scale.item() == -1.0
        Distribution.set_default_validate_args(True)
        with pytest.raises(ValueError, match="GreaterThan"):
            Normal(0.0, -1.0)
        with pytest.raises(ValueError):
            Distribution.set_default_validate_args(2)
    finally:
        Distribution.set_default_validate_args(True)


def test_shapes_and_expand() -> None:
    d = Normal(torch.zeros(3), 1.0).expand((4, 3))
    assert d.batch_shape == torch.Size([4, 3]) and d.event_shape == torch.Size([])
    assert d.sample((2,)).shape == (2, 4, 3)
    i = Independent(Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)
    assert (i.batch_shape, i.event_shape) == (torch.Size([2]), torch.Size([3]))
    assert i.log_prob(torch.zeros(2, 3)).shape == (2,)
    o = OneHotCategorical(logits=torch.zeros(5, 4))
    assert o.sample((2,)).shape == (2, 5, 4) and o.enumerate_support().shape == (4, 5, 4)
    c = Categorical(probs=torch.ones(2, 3))
    assert c.sample((4,)).dtype == torch.int64 and c.enumerate_support().shape == (3, 2)
    assert Bernoulli(0.3).enumerate_support(expand=False).shape == (2,)
    assert MultivariateNormal(torch.zeros(2, 3), torch.eye(3)).covariance_matrix.shape == (2, 3, 3)


def test_constraints() -> None:
    assert repr(constraints.positive) == "GreaterThan(lower_bound=0.0)"
    assert repr(constraints.real_vector) == "IndependentConstraint(Real(), 1)"
    assert repr(constraints.simplex) == "Simplex()"
    assert constraints.unit_interval.check(torch.tensor([0.0, 1.0, 1.5])).tolist() == [True, True, False]
    assert constraints.simplex.check(torch.tensor([[0.5, 0.5], [0.9, 0.2]])).tolist() == [True, False]
    assert constraints.is_dependent(Uniform.support) and Normal.support is constraints.real
    assert constraints.positive_definite.check(torch.tensor([[[2.0, 0.5], [0.5, 1.0]], [[1.0, 2.0], [2.0, 1.0]]])
                                               ).tolist() == [True, False]
    assert Uniform(0.0, 2.0).support.check(torch.tensor(1.0)).item()


def test_register_kl_dispatches_to_the_most_specific_pair() -> None:
    class MyNormal(Normal):
        pass

    @register_kl(MyNormal, Normal)
    def _kl_mine(p, q):
        return torch.zeros(p.batch_shape)

    p, q = MyNormal(torch.zeros(2), 1.0), Normal(torch.ones(2), 1.0)
    assert kl_divergence(p, q).tolist() == [0.0, 0.0]
    assert kl_divergence(q, q).tolist() == [0.0, 0.0]
    with pytest.raises(NotImplementedError, match="No KL"):
        kl_divergence(Categorical(logits=torch.zeros(2)), q)


def test_lazy_logits_and_probs() -> None:
    b = Bernoulli(logits=torch.tensor([0.0, 2.0]))
    assert "probs" not in b.__dict__
    np.testing.assert_allclose(b.probs.numpy(), [0.5, 1 / (1 + np.exp(-2.0))], rtol=1e-6)
    assert "probs" in b.__dict__


def test_import_trainer_does_not_import_distributions() -> None:
    code = "import sys, trainer; print('trainer.distributions' in sys.modules); trainer.distributions.Normal"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _quantile_shift(alpha: float, x: float, h: float) -> float:
    """The x' with P(alpha + h, x') = P(alpha, x), by bisection."""
    from trainer.distributions._gamma import gammainc

    target = gammainc(np.array(alpha), np.array(x))
    lo, hi = x * 0.5, x * 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if gammainc(np.array(alpha + h), np.array(mid)) < target else (lo, mid)
    return 0.5 * (lo + hi)


@pytest.mark.parametrize(("alpha", "x"), [(0.3, 0.05), (1.0, 1.3), (2.5, 0.4), (9.0, 12.0), (40.0, 35.0)])
def test_gamma_rsample_gradient_is_the_implicit_derivative(alpha: float, x: float) -> None:
    from trainer.distributions._gamma import standard_gamma_grad

    h = 1e-6
    numeric = (_quantile_shift(alpha, x, h) - _quantile_shift(alpha, x, -h)) / (2 * h)
    np.testing.assert_allclose(standard_gamma_grad(np.array(alpha), np.array(x)), numeric, rtol=1e-5)


def test_gamma_and_dirichlet_pathwise_gradients_are_unbiased() -> None:
    from trainer.distributions import Dirichlet, Gamma

    torch.manual_seed(0)
    conc = torch.tensor([0.8, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    Gamma(conc, 2.0).rsample((4000,)).mean(0).sum().backward()  # d E[x] / d conc = 1 / rate
    np.testing.assert_allclose(conc.grad.numpy(), [0.5, 0.5, 0.5], rtol=0.05)
    conc.grad = None
    Dirichlet(conc).rsample((4000,))[:, 0].mean().backward()  # d (a_0 / sum a) / d a_j
    total = 5.8
    np.testing.assert_allclose(conc.grad.numpy(), [(total - 0.8) / total**2, -0.8 / total**2, -0.8 / total**2],
                               rtol=0.1)


def test_gamma_cdf_is_differentiable_in_rate_and_value() -> None:
    from trainer.distributions import Gamma

    rate = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([1.5, 0.3], dtype=torch.float64)
    Gamma(torch.tensor([2.0, 0.7], dtype=torch.float64), rate).cdf(x).sum().backward()
    pdf = Gamma(torch.tensor([2.0, 0.7], dtype=torch.float64), rate.detach()).log_prob(x).exp()
    np.testing.assert_allclose(rate.grad.numpy(), (pdf * x / rate.detach()).numpy(), rtol=1e-10)


_EXPANDABLE = {
    "Normal": lambda D: D.Normal(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 2.0])),
    "Laplace": lambda D: D.Laplace(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 2.0])),
    "Cauchy": lambda D: D.Cauchy(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 2.0])),
    "Gamma": lambda D: D.Gamma(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 0.5])),
    "Beta": lambda D: D.Beta(torch.tensor([2.0, 3.0]), torch.tensor([1.5, 0.5])),
    "Uniform": lambda D: D.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 2.0])),
    "Poisson": lambda D: D.Poisson(torch.tensor([2.0, 3.0])),
    "Exponential": lambda D: D.Exponential(torch.tensor([2.0, 3.0])),
    "StudentT": lambda D: D.StudentT(torch.tensor([3.0, 5.0]), torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])),
    "Bernoulli": lambda D: D.Bernoulli(probs=torch.tensor([0.2, 0.7])),
    "Bernoulli_logits": lambda D: D.Bernoulli(logits=torch.tensor([0.2, -0.7])),
    "Geometric": lambda D: D.Geometric(probs=torch.tensor([0.2, 0.7])),
    "Binomial": lambda D: D.Binomial(torch.tensor([5.0, 3.0]), probs=torch.tensor([0.2, 0.7])),
    "NegativeBinomial": lambda D: D.NegativeBinomial(torch.tensor([5.0, 3.0]), logits=torch.tensor([0.2, -0.7])),
}


@pytest.mark.parametrize("name", sorted(_EXPANDABLE))
def test_expand_broadcasts_every_parameter_and_keeps_validation(name: str) -> None:
    d = _EXPANDABLE[name](trainer.distributions)
    d._validate_args = True
    e = d.expand((3, 2))
    assert type(e) is type(d) and e.batch_shape == torch.Size([3, 2]) and e._validate_args
    value = d.sample()
    np.testing.assert_allclose(e.log_prob(value)._array, np.broadcast_to(d.log_prob(value)._array, (3, 2)))
    np.testing.assert_allclose(e.mean._array, np.broadcast_to(d.mean._array, (3, 2)))
    for key in d.__dict__:
        if key in ("probs", "logits", "loc", "scale", "rate", "concentration", "low", "high", "df", "total_count"):
            assert e.__dict__[key].shape == (3, 2), key
