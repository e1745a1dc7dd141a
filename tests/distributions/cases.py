"""The distribution cases checked against PyTorch: one table read by tools/references_distributions.py (with
`torch`) and by the tests (with `trainer`). A builder receives the library's `distributions` module and the
parameters as tensors (float64 leaves requiring grad, or float32 for the sampling checks; Python floats stay floats).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Builder = Callable[[Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class DistCase:
    make: Builder
    params: dict[str, Any]  # name -> nested list (a tensor) or a Python float (kept a float)
    values: Any = None  # log_prob (and cdf) argument, float64
    quantiles: Any = None  # icdf argument
    sample_shapes: tuple[tuple[int, ...], ...] = ((), (4,), (2, 3))
    seed: int = 0
    cdf: bool = False
    entropy: bool = True
    cdf_grad: bool = True  # PyTorch's gammainc has no derivative w.r.t. the shape
    grad_rtol: float = 1e-7  # looser where trainer's gradient is exact and PyTorch's a fitted approximation
    sample_dtypes: tuple[str, ...] = ("float32", "float64")
    props: tuple[str, ...] = ("mean", "mode", "variance", "stddev")
    # False: PyTorch's transform rounds differently (BLAS matmul, vectorised log1p), or the transform's log / tan
    # differ in the last bit between CPUs (numpy's and PyTorch's AVX-512 kernels against the AVX2 machine that
    # recorded the references: exponential, cauchy, half_cauchy)
    exact_samples: bool = True


def _n(D, p):  # noqa: N803 - the distributions module
    return D.Normal(p["loc"], p["scale"])


def _u(D, p):  # noqa: N803
    return D.Uniform(p["low"], p["high"])


def _lap(D, p):  # noqa: N803
    return D.Laplace(p["loc"], p["scale"])


def _exp(D, p):  # noqa: N803
    return D.Exponential(p["rate"])


V3 = [[-0.7, 0.2, 1.9], [0.4, -1.3, 0.05]]
POS3 = [[0.3, 1.7, 0.9], [2.2, 0.45, 1.1]]
Q3 = [[0.1, 0.5, 0.97], [0.3, 0.02, 0.75]]
PROBS = [[0.2, 0.5, 0.3, 1.0], [0.05, 0.05, 0.7, 0.2], [1.0, 2.0, 3.0, 4.0]]
LOGITS = [[0.3, -1.2, 2.0, 0.1], [1.5, 0.0, -0.4, -2.0], [0.0, 0.0, 0.0, 0.0]]
COV = [[2.0, 0.3, -0.4], [0.3, 1.0, 0.2], [-0.4, 0.2, 1.5]]
COV_B = [COV, [[1.0, -0.5, 0.0], [-0.5, 2.0, 0.7], [0.0, 0.7, 0.9]]]
TRIL = [[1.3, 0.0, 0.0], [0.4, 0.8, 0.0], [-0.6, 0.25, 1.1]]
MU3 = [0.3, -1.0, 0.5]
X3 = [[0.1, -0.2, 0.7], [1.4, 0.3, -0.9]]

CASES: dict[str, DistCase] = {
    "normal_scalar_floats": DistCase(_n, {"loc": 0.5, "scale": 2.0}, values=[-1.0, 0.3, 2.5], quantiles=[0.1, 0.5, 0.9],
                                     cdf=True, sample_shapes=((), (5,), (20,), (3, 7))),
    "normal_vector": DistCase(_n, {"loc": [0.1, -2.0, 3.0], "scale": [0.5, 1.0, 2.5]}, values=V3, quantiles=Q3,
                              cdf=True, seed=3, sample_shapes=((), (4,), (8,), (2, 5))),
    "normal_broadcast": DistCase(_n, {"loc": [[0.0], [1.0]], "scale": [0.5, 1.5, 3.0]}, values=V3, quantiles=Q3,
                                 cdf=True, seed=11),
    "normal_float_loc": DistCase(_n, {"loc": 1.0, "scale": [0.5, 1.5, 3.0]}, values=V3[0], cdf=True, seed=5),
    "uniform_vector": DistCase(_u, {"low": [-1.0, 0.0, 2.0], "high": [1.0, 0.5, 7.0]}, values=[[0.2, 0.1, 3.0]],
                               quantiles=Q3, cdf=True, seed=2, props=("mean", "variance", "stddev")),
    "uniform_floats": DistCase(_u, {"low": -2.0, "high": 3.0}, values=[-1.0, 0.0, 2.5], cdf=True, seed=4,
                               sample_shapes=((), (6,), (20,))),
    "laplace_vector": DistCase(_lap, {"loc": [0.1, -2.0, 3.0], "scale": [0.5, 1.0, 2.5]}, values=V3, quantiles=Q3,
                               cdf=True, seed=6, sample_shapes=((), (4,), (8,), (2, 5)), exact_samples=False),
    "exponential_vector": DistCase(_exp, {"rate": [0.5, 1.0, 4.0]}, values=POS3, quantiles=Q3, cdf=True, seed=7,
                                   sample_shapes=((), (4,), (8,), (2, 5)), exact_samples=False),
    "exponential_float": DistCase(_exp, {"rate": 2.0}, values=[0.1, 1.0, 3.0], cdf=True, seed=8,
                                  sample_shapes=((), (20,))),
    "bernoulli_probs": DistCase(lambda D, p: D.Bernoulli(probs=p["probs"]), {"probs": [0.1, 0.5, 0.93, 0.3]},
                                values=[[0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]], seed=9),
    "bernoulli_logits": DistCase(lambda D, p: D.Bernoulli(logits=p["logits"]), {"logits": [[-2.0, 0.0, 1.5]]},
                                 values=[[1.0, 0.0, 1.0]], seed=10, sample_shapes=((), (5,), (2, 20))),
    "bernoulli_float": DistCase(lambda D, p: D.Bernoulli(p["probs"]), {"probs": 0.3}, values=[0.0, 1.0], seed=12,
                                sample_shapes=((), (7,), (20,))),
    "categorical_probs": DistCase(lambda D, p: D.Categorical(probs=p["probs"]), {"probs": PROBS},
                                  values=[[0.0, 3.0, 2.0], [1.0, 1.0, 0.0]], seed=13,
                                  sample_shapes=((), (1,), (5,), (2, 3)), props=("mode",)),
    "categorical_logits": DistCase(lambda D, p: D.Categorical(logits=p["logits"]), {"logits": LOGITS},
                                   values=[2.0, 0.0, 3.0], seed=14, sample_shapes=((), (6,)), props=("mode",)),
    "categorical_1d": DistCase(lambda D, p: D.Categorical(logits=p["logits"]), {"logits": [0.5, -0.2, 1.0]},
                               values=[0.0, 2.0, 1.0, 1.0], seed=15, sample_shapes=((), (10,), (3, 4)),
                               props=("mode", "mean", "variance")),
    "onehot_probs": DistCase(lambda D, p: D.OneHotCategorical(probs=p["probs"]), {"probs": PROBS[:2]},
                             values=[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]], seed=16,
                             sample_shapes=((), (3,)), props=("mean", "mode", "variance", "stddev")),
    "mvn_covariance": DistCase(lambda D, p: D.MultivariateNormal(p["loc"], covariance_matrix=p["cov"]),
                               {"loc": MU3, "cov": COV}, values=X3, seed=17, exact_samples=False,
                               sample_shapes=((), (4,), (2, 3))),
    "mvn_batched_cov": DistCase(lambda D, p: D.MultivariateNormal(p["loc"], covariance_matrix=p["cov"]),
                                {"loc": [MU3, [0.0, 0.0, 1.0]], "cov": COV_B}, values=X3, seed=18, exact_samples=False,
                                sample_shapes=((), (4,))),
    "mvn_scale_tril": DistCase(lambda D, p: D.MultivariateNormal(p["loc"], scale_tril=p["tril"]),
                               {"loc": MU3, "tril": TRIL}, values=X3, seed=19, exact_samples=False,
                               sample_shapes=((), (6,))),
    "mvn_precision": DistCase(lambda D, p: D.MultivariateNormal(p["loc"], precision_matrix=p["prec"]),
                              {"loc": MU3, "prec": COV}, values=X3, seed=20, exact_samples=False,
                              sample_shapes=((), (3,))),
    "independent_normal": DistCase(lambda D, p: D.Independent(D.Normal(p["loc"], p["scale"]), 1),
                                   {"loc": [[0.0, 1.0, -1.0], [2.0, 0.0, 0.5]], "scale": POS3}, values=V3, seed=21),
    "independent_bernoulli": DistCase(lambda D, p: D.Independent(D.Bernoulli(logits=p["logits"]), 2),
                                      {"logits": [[-2.0, 0.0, 1.5], [0.3, 0.7, -0.1]]},
                                      values=[[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]], seed=22),
    "expanded_normal": DistCase(lambda D, p: D.Normal(p["loc"], p["scale"]).expand((2, 3)),
                                {"loc": [0.0, 1.0, 2.0], "scale": [1.0, 0.5, 2.0]}, values=V3, cdf=True, seed=23),
    "expanded_categorical": DistCase(lambda D, p: D.Categorical(logits=p["logits"]).expand((2, 3)),
                                     {"logits": LOGITS}, values=[[0.0, 1.0, 2.0], [3.0, 3.0, 1.0]], seed=24,
                                     sample_shapes=((), (4,)), props=("mode",)),
}

GAMMA_CASES: dict[str, DistCase] = {
    "gamma_vector": DistCase(lambda D, p: D.Gamma(p["conc"], p["rate"]),
                             {"conc": [0.3, 1.0, 2.5, 9.0], "rate": [1.0, 2.0, 0.5, 3.0]},
                             values=[[0.2, 1.0, 3.0, 2.5]], cdf=True, cdf_grad=False, seed=30, grad_rtol=1e-4,
                             sample_shapes=((), (5,), (2, 3))),
    "gamma_floats": DistCase(lambda D, p: D.Gamma(p["conc"], p["rate"]), {"conc": 0.7, "rate": 1.5},
                             values=[0.1, 1.0, 4.0], cdf=True, cdf_grad=False, seed=31, sample_shapes=((), (20,))),
    "dirichlet": DistCase(lambda D, p: D.Dirichlet(p["conc"]), {"conc": [[0.5, 1.0, 3.0], [2.0, 2.0, 0.2]]},
                          values=[[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], seed=32, sample_shapes=((), (4,)), grad_rtol=None),
    "beta": DistCase(lambda D, p: D.Beta(p["a"], p["b"]), {"a": [0.5, 2.0, 5.0], "b": [1.5, 2.0, 0.7]},
                     values=[0.2, 0.5, 0.9], seed=33, sample_shapes=((), (3,)), grad_rtol=None),
    "beta_floats": DistCase(lambda D, p: D.Beta(p["a"], p["b"]), {"a": 2.0, "b": 3.0}, values=[0.2, 0.5],
                            seed=34, sample_shapes=((), (6,)), props=("mean", "variance", "stddev")),
}
CASES.update(GAMMA_CASES)


def _squashed(D, p):  # noqa: N803 - a SAC-style tanh-squashed Gaussian policy
    return D.TransformedDistribution(D.Normal(p["loc"], p["scale"]), [D.TanhTransform(cache_size=1)])


TRANSFORMED_CASES: dict[str, DistCase] = {
    "log_normal": DistCase(lambda D, p: D.LogNormal(p["loc"], p["scale"]), {"loc": [0.0, 0.5, -1.0],
                           "scale": [0.5, 1.0, 0.3]}, values=POS3, quantiles=Q3, cdf=True, seed=40),
    "tanh_normal": DistCase(_squashed, {"loc": [0.0, 0.5, -1.0], "scale": [0.5, 1.0, 0.3]},
                            values=[[0.1, -0.5, 0.9], [0.0, 0.3, -0.99]], quantiles=Q3, cdf=True, seed=41, props=(),
                            entropy=False),
    "affine_sigmoid_normal": DistCase(
        lambda D, p: D.TransformedDistribution(D.Normal(p["loc"], p["scale"]),
                                               [D.AffineTransform(p["shift"], 2.0), D.SigmoidTransform()]),
        {"loc": [0.0, 0.5, -1.0], "scale": [0.5, 1.0, 0.3], "shift": [[0.1], [-0.2]]},
        values=[[0.1, 0.5, 0.9], [0.2, 0.7, 0.4]], quantiles=Q3, cdf=True, seed=42, props=(), entropy=False),
    "exp_softplus_independent": DistCase(
        lambda D, p: D.TransformedDistribution(D.Independent(D.Normal(p["loc"], p["scale"]), 1),
                                               D.ComposeTransform([D.SoftplusTransform(), D.PowerTransform(p["k"])])),
        {"loc": [[0.0, 0.5, -1.0]], "scale": [0.5, 1.0, 0.3], "k": [2.0, 0.5, 1.5]}, values=POS3, seed=43,
        props=(), entropy=False),
}
# float32 exp/tanh/sigmoid round differently from PyTorch's vectorised ones: the base draws are equal, the
# transformed samples agree to a few ulps
TRANSFORMED_CASES = {k: dataclasses.replace(v, exact_samples=False) for k, v in TRANSFORMED_CASES.items()}
CASES.update(TRANSFORMED_CASES)

MORE_CASES: dict[str, DistCase] = {
    "cauchy": DistCase(lambda D, p: D.Cauchy(p["loc"], p["scale"]), {"loc": [0.0, 1.0, -2.0], "scale": [0.5, 1.0, 3.0]},
                       values=V3, quantiles=Q3, cdf=True, seed=50, props=("mean", "mode", "variance"),
                       sample_shapes=((), (4,), (8,)), exact_samples=False),
    "half_cauchy": DistCase(lambda D, p: D.HalfCauchy(p["scale"]), {"scale": [0.5, 1.0, 3.0]}, values=POS3,
                            quantiles=Q3, cdf=True, seed=51, props=("mean", "mode", "variance"), exact_samples=False),
    "half_normal": DistCase(lambda D, p: D.HalfNormal(p["scale"]), {"scale": [0.5, 1.0, 3.0]}, values=POS3,
                            quantiles=Q3, cdf=True, seed=52, sample_shapes=((), (8,))),
    "gumbel": DistCase(lambda D, p: D.Gumbel(p["loc"], p["scale"]), {"loc": [0.0, 1.0, -2.0], "scale": [0.5, 1.0, 3.0]},
                       values=V3, seed=53, exact_samples=False),
    "chi2": DistCase(lambda D, p: D.Chi2(p["df"]), {"df": [0.5, 1.0, 3.0, 10.0]}, values=[[0.2, 1.0, 3.0, 8.0]],
                     seed=54, grad_rtol=1e-4),
    "student_t": DistCase(lambda D, p: D.StudentT(p["df"], p["loc"], p["scale"]),
                          {"df": [0.8, 1.5, 3.0, 12.0], "loc": [0.0, 1.0, -1.0, 0.5], "scale": [1.0, 0.5, 2.0, 1.5]},
                          values=[[0.3, -1.0, 2.0, 0.0]], seed=55, grad_rtol=1e-3, sample_shapes=((), (3,), (5,))),
    "geometric_probs": DistCase(lambda D, p: D.Geometric(probs=p["probs"]), {"probs": [0.1, 0.5, 0.9, 1.0]},
                                values=[[0.0, 3.0, 1.0, 0.0]], seed=56, sample_shapes=((), (5,), (20,))),
    "geometric_logits": DistCase(lambda D, p: D.Geometric(logits=p["logits"]), {"logits": [-1.0, 0.0, 2.0]},
                                 values=[2.0, 0.0, 5.0], seed=57),
    "poisson": DistCase(lambda D, p: D.Poisson(p["rate"]), {"rate": [0.5, 3.0, 12.0, 100.0]},
                        values=[[0.0, 2.0, 15.0, 90.0]], seed=58, props=("mean", "mode", "variance", "stddev")),
}
MORE_CASES.update({
    "binomial_probs": DistCase(lambda D, p: D.Binomial(p["n"], probs=p["probs"]),
                               {"n": [5.0, 20.0, 100.0, 40.0], "probs": [0.3, 0.9, 0.05, 0.6]},
                               values=[[2.0, 18.0, 4.0, 25.0]], seed=60, sample_shapes=((), (4,), (3, 2)),
                               entropy=False),
    "binomial_logits": DistCase(lambda D, p: D.Binomial(10, logits=p["logits"]), {"logits": [-1.0, 0.0, 2.5]},
                                values=[3.0, 5.0, 9.0], seed=61, sample_shapes=((), (6,))),
    "multinomial": DistCase(lambda D, p: D.Multinomial(12, probs=p["probs"]), {"probs": PROBS[:2]},
                            values=[[3.0, 5.0, 4.0, 0.0], [0.0, 1.0, 8.0, 3.0]], seed=62, sample_shapes=((), (3,)),
                            props=("mean", "variance")),
    "mixture_normal": DistCase(
        lambda D, p: D.MixtureSameFamily(D.Categorical(logits=p["w"]), D.Normal(p["mu"], p["sigma"])),
        {"w": [[0.2, -0.5, 1.0], [0.0, 0.0, 0.0]], "mu": [[-1.0, 0.0, 2.0], [0.5, 1.5, -3.0]],
         "sigma": [[0.5, 1.0, 0.7], [1.0, 2.0, 0.3]]}, values=[[0.1, -2.0], [1.0, 0.0]], seed=63, cdf=True,
        props=("mean", "variance", "stddev"), entropy=False),
    "mixture_mvn": DistCase(
        lambda D, p: D.MixtureSameFamily(D.Categorical(probs=p["w"]),
                                         D.Independent(D.Normal(p["mu"], p["sigma"]), 1)),
        {"w": [0.3, 0.7], "mu": [[0.0, 1.0], [2.0, -1.0]], "sigma": [[1.0, 0.5], [0.3, 2.0]]},
        values=[[0.5, 0.5], [2.0, -2.0], [0.0, 0.0]], seed=64, props=("mean", "variance"), entropy=False),
    "relaxed_one_hot": DistCase(lambda D, p: D.RelaxedOneHotCategorical(p["t"], logits=p["logits"]),
                                {"t": [0.7], "logits": LOGITS[:2]}, values=[[0.2, 0.3, 0.4, 0.1], [0.7, 0.1, 0.1, 0.1]],
                                seed=65, props=(), entropy=False, exact_samples=False),
    "relaxed_bernoulli": DistCase(lambda D, p: D.RelaxedBernoulli(p["t"], probs=p["probs"]),
                                  {"t": [0.5], "probs": [0.2, 0.6, 0.9]}, values=[0.1, 0.5, 0.95], seed=66,
                                  props=(), entropy=False, exact_samples=False),
})
MORE_CASES["lowrank_mvn"] = DistCase(
    lambda D, p: D.LowRankMultivariateNormal(p["loc"], p["w"], p["d"]),
    {"loc": [MU3, [0.0, 1.0, -1.0]], "w": [[0.5, -0.2], [1.0, 0.3], [0.0, 0.8]], "d": [0.5, 1.0, 2.0]},
    values=X3, seed=67, exact_samples=False, sample_shapes=((), (4,)))
MORE_CASES.update({
    "pareto": DistCase(lambda D, p: D.Pareto(p["scale"], p["alpha"]),
                       {"scale": [1.0, 0.5, 2.0], "alpha": [0.8, 2.5, 4.0]},
                       values=[[1.5, 0.7, 3.0]], cdf=True, quantiles=Q3, seed=70, exact_samples=False),
    "weibull": DistCase(lambda D, p: D.Weibull(p["scale"], p["k"]), {"scale": [1.0, 0.5, 2.0], "k": [0.8, 2.5, 4.0]},
                        values=POS3, cdf=True, quantiles=Q3, seed=71, exact_samples=False),
    "inverse_gamma": DistCase(lambda D, p: D.InverseGamma(p["c"], p["r"]), {"c": [0.8, 2.5, 4.0], "r": [1.0, 0.5, 2.0]},
                              values=POS3, seed=72, exact_samples=False, grad_rtol=1e-4),
    "negative_binomial": DistCase(lambda D, p: D.NegativeBinomial(p["n"], probs=p["probs"]),
                                  {"n": [1.0, 5.0, 2.5], "probs": [0.3, 0.6, 0.9]}, values=[[0.0, 4.0, 12.0]],
                                  seed=73, entropy=False, sample_shapes=((), (5,))),
})
MORE_CASES["poisson"] = dataclasses.replace(MORE_CASES["poisson"], entropy=False)
CASES.update(MORE_CASES)

# KL(p || q): builders of p and q from one parameter dict
KL_CASES: dict[str, tuple[Builder, Builder, dict[str, Any]]] = {
    "normal_normal": (lambda D, p: D.Normal(p["m1"], p["s1"]), lambda D, p: D.Normal(p["m2"], p["s2"]),
                      {"m1": [0.0, 1.0, -1.0], "s1": [1.0, 0.5, 2.0], "m2": [[0.5], [-0.3]], "s2": [2.0, 1.0, 0.7]}),
    "categorical_categorical": (lambda D, p: D.Categorical(probs=p["a"]), lambda D, p: D.Categorical(logits=p["b"]),
                                {"a": PROBS, "b": LOGITS}),
    "categorical_zero_probs": (lambda D, p: D.Categorical(probs=p["a"]), lambda D, p: D.Categorical(probs=p["b"]),
                               {"a": [[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]], "b": [[0.3, 0.3, 0.4], [0.5, 0.5, 0.0]]}),
    "onehot_onehot": (lambda D, p: D.OneHotCategorical(probs=p["a"]), lambda D, p: D.OneHotCategorical(probs=p["b"]),
                      {"a": PROBS[:2], "b": PROBS[1:]}),
    "bernoulli_bernoulli": (lambda D, p: D.Bernoulli(probs=p["a"]), lambda D, p: D.Bernoulli(logits=p["b"]),
                            {"a": [0.1, 0.5, 0.9], "b": [0.3, -1.0, 2.0]}),
    "bernoulli_edge": (lambda D, p: D.Bernoulli(probs=p["a"]), lambda D, p: D.Bernoulli(probs=p["b"]),
                       {"a": [0.0, 1.0, 0.4, 0.4], "b": [0.3, 0.3, 0.0, 1.0]}),
    "uniform_uniform": (lambda D, p: D.Uniform(p["l1"], p["h1"]), lambda D, p: D.Uniform(p["l2"], p["h2"]),
                        {"l1": [0.0, 0.0, -1.0], "h1": [1.0, 2.0, 1.0], "l2": [-1.0, 0.5, -2.0],
                         "h2": [2.0, 3.0, 0.5]}),
    "exponential_exponential": (lambda D, p: D.Exponential(p["a"]), lambda D, p: D.Exponential(p["b"]),
                                {"a": [0.5, 1.0, 3.0], "b": [[2.0], [0.7]]}),
    "laplace_laplace": (lambda D, p: D.Laplace(p["m1"], p["s1"]), lambda D, p: D.Laplace(p["m2"], p["s2"]),
                        {"m1": [0.0, 1.0, -1.0], "s1": [1.0, 0.5, 2.0], "m2": [0.4, 1.0, 2.0], "s2": [2.0, 1.0, 0.7]}),
    "mvn_mvn": (lambda D, p: D.MultivariateNormal(p["m1"], covariance_matrix=p["c1"]),
                lambda D, p: D.MultivariateNormal(p["m2"], scale_tril=p["t2"]),
                {"m1": [MU3, [0.0, 0.0, 1.0]], "c1": COV_B, "m2": [0.1, 0.2, 0.3], "t2": TRIL}),
    "gamma_gamma": (lambda D, p: D.Gamma(p["c1"], p["r1"]), lambda D, p: D.Gamma(p["c2"], p["r2"]),
                    {"c1": [0.5, 2.0, 4.0], "r1": [1.0, 0.5, 2.0], "c2": [1.5, 1.0, 3.0], "r2": [0.7, 2.0, 1.0]}),
    "beta_beta": (lambda D, p: D.Beta(p["a1"], p["b1"]), lambda D, p: D.Beta(p["a2"], p["b2"]),
                  {"a1": [0.5, 2.0], "b1": [1.0, 3.0], "a2": [2.0, 1.0], "b2": [0.7, 1.5]}),
    "dirichlet_dirichlet": (lambda D, p: D.Dirichlet(p["a"]), lambda D, p: D.Dirichlet(p["b"]),
                            {"a": [[0.5, 1.0, 3.0]], "b": [[1.0, 1.0, 1.0], [2.0, 0.3, 0.9]]}),
    "cauchy_cauchy": (lambda D, p: D.Cauchy(p["m1"], p["s1"]), lambda D, p: D.Cauchy(p["m2"], p["s2"]),
                      {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "geometric_geometric": (lambda D, p: D.Geometric(probs=p["a"]), lambda D, p: D.Geometric(logits=p["b"]),
                            {"a": [0.2, 0.7], "b": [0.0, -1.0]}),
    "gumbel_gumbel": (lambda D, p: D.Gumbel(p["m1"], p["s1"]), lambda D, p: D.Gumbel(p["m2"], p["s2"]),
                      {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "halfnormal_halfnormal": (lambda D, p: D.HalfNormal(p["a"]), lambda D, p: D.HalfNormal(p["b"]),
                              {"a": [1.0, 0.5], "b": [2.0, 0.3]}),
    "poisson_poisson": (lambda D, p: D.Poisson(p["a"]), lambda D, p: D.Poisson(p["b"]),
                        {"a": [1.0, 4.5], "b": [2.0, 0.3]}),
    "lognormal_lognormal": (lambda D, p: D.LogNormal(p["m1"], p["s1"]), lambda D, p: D.LogNormal(p["m2"], p["s2"]),
                            {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "chi2_gamma": (lambda D, p: D.Chi2(p["df"]), lambda D, p: D.Gamma(p["c"], p["r"]),
                   {"df": [1.0, 4.0], "c": [0.5, 3.0], "r": [1.0, 0.7]}),
    "beta_uniform": (lambda D, p: D.Beta(p["a"], p["b"]), lambda D, p: D.Uniform(p["lo"], p["hi"]),
                     {"a": [0.5, 2.0, 2.0], "b": [1.0, 3.0, 3.0], "lo": [0.0, -1.0, 0.1], "hi": [1.0, 2.0, 1.0]}),
    "exponential_gamma": (lambda D, p: D.Exponential(p["a"]), lambda D, p: D.Gamma(p["c"], p["r"]),
                          {"a": [0.5, 2.0], "c": [1.5, 0.8], "r": [1.0, 3.0]}),
    "exponential_normal": (lambda D, p: D.Exponential(p["a"]), lambda D, p: D.Normal(p["m"], p["s"]),
                           {"a": [0.5, 2.0], "m": [1.5, -0.8], "s": [1.0, 3.0]}),
    "gamma_exponential": (lambda D, p: D.Gamma(p["c"], p["r"]), lambda D, p: D.Exponential(p["a"]),
                          {"a": [0.5, 2.0], "c": [1.5, 0.8], "r": [1.0, 3.0]}),
    "laplace_normal": (lambda D, p: D.Laplace(p["m1"], p["s1"]), lambda D, p: D.Normal(p["m2"], p["s2"]),
                       {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "normal_gumbel": (lambda D, p: D.Normal(p["m1"], p["s1"]), lambda D, p: D.Gumbel(p["m2"], p["s2"]),
                      {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "normal_laplace": (lambda D, p: D.Normal(p["m1"], p["s1"]), lambda D, p: D.Laplace(p["m2"], p["s2"]),
                       {"m1": [0.0, 1.0], "s1": [1.0, 0.5], "m2": [0.4, -1.0], "s2": [2.0, 1.0]}),
    "uniform_beta": (lambda D, p: D.Uniform(p["lo"], p["hi"]), lambda D, p: D.Beta(p["a"], p["b"]),
                     {"a": [0.5, 2.0, 2.0], "b": [1.0, 3.0, 3.0], "lo": [0.1, 0.2, -0.5], "hi": [0.9, 0.6, 0.5]}),
    "uniform_normal": (lambda D, p: D.Uniform(p["lo"], p["hi"]), lambda D, p: D.Normal(p["m"], p["s"]),
                       {"lo": [0.1, -2.0], "hi": [0.9, 0.6], "m": [1.5, -0.8], "s": [1.0, 3.0]}),
    "binomial_binomial": (lambda D, p: D.Binomial(10, probs=p["a"]), lambda D, p: D.Binomial(10, logits=p["b"]),
                          {"a": [0.2, 0.7], "b": [0.0, -1.0]}),
    "independent_independent": (lambda D, p: D.Independent(D.Normal(p["m1"], p["s1"]), 1),
                                lambda D, p: D.Independent(D.Normal(p["m2"], p["s2"]), 1),
                                {"m1": [[0.0, 1.0, -1.0]], "s1": POS3, "m2": V3, "s2": [1.0, 2.0, 0.5]}),
}

# constructions that PyTorch rejects: the exception class (and message) must match
ERROR_CASES: dict[str, Builder] = {
    "normal_zero_scale": lambda D, T: D.Normal(T([0.0, 1.0]), T([1.0, 0.0])),
    "normal_negative_float_scale": lambda D, T: D.Normal(0.0, -1.0),
    "bernoulli_probs_above_one": lambda D, T: D.Bernoulli(probs=T([0.5, 1.5])),
    "bernoulli_probs_below_zero": lambda D, T: D.Bernoulli(probs=T([-0.1])),
    "bernoulli_both": lambda D, T: D.Bernoulli(probs=T([0.5]), logits=T([0.0])),
    "categorical_negative_probs": lambda D, T: D.Categorical(probs=T([0.5, -0.5, 1.0])),
    "categorical_none": lambda D, T: D.Categorical(),
    "categorical_scalar": lambda D, T: D.Categorical(probs=T(0.5)),
    "uniform_low_above_high": lambda D, T: D.Uniform(T([0.0, 2.0]), T([1.0, 1.0])),
    "exponential_negative_rate": lambda D, T: D.Exponential(T([-1.0])),
    "laplace_zero_scale": lambda D, T: D.Laplace(0.0, 0.0),
    "mvn_not_pd": lambda D, T: D.MultivariateNormal(T([0.0, 0.0]), T([[1.0, 2.0], [2.0, 1.0]])),
    "mvn_two_matrices": lambda D, T: D.MultivariateNormal(T([0.0]), T([[1.0]]), scale_tril=T([[1.0]])),
    "mvn_bad_tril": lambda D, T: D.MultivariateNormal(T([0.0, 0.0]), scale_tril=T([[1.0, 0.5], [0.0, 1.0]])),
    "independent_too_many": lambda D, T: D.Independent(D.Normal(T([0.0]), T([1.0])), 2),
    "normal_log_prob_bad_shape": lambda D, T: D.Normal(T([0.0, 1.0]), T([1.0, 1.0])).log_prob(T([0.0, 1.0, 2.0])),
    "exponential_log_prob_outside": lambda D, T: D.Exponential(T([1.0])).log_prob(T([-1.0])),
    "categorical_log_prob_outside": lambda D, T: D.Categorical(logits=T([0.0, 1.0])).log_prob(T([2.0])),
    "kl_not_implemented": lambda D, T: D.kl_divergence(D.Categorical(logits=T([0.0, 1.0])), D.Normal(0.0, 1.0)),
    "log_prob_not_tensor": lambda D, T: D.Normal(0.0, 1.0).log_prob(0.5),
    "gamma_negative_rate": lambda D, T: D.Gamma(T([1.0]), T([-2.0])),
    "dirichlet_scalar": lambda D, T: D.Dirichlet(T(1.0)),
    "beta_zero": lambda D, T: D.Beta(T([0.0]), T([1.0])),
    "geometric_zero_probs": lambda D, T: D.Geometric(probs=T([0.5, 0.0])),
    "poisson_negative": lambda D, T: D.Poisson(T([-1.0])),
    "student_t_bad_df": lambda D, T: D.StudentT(T([0.0])),
    "validate_args_off": lambda D, T: D.Normal(T([0.0]), T([-1.0]), validate_args=False).scale,
}
