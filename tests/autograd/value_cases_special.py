"""Value cases for trainer.special (see value_cases.py): values, gradients and grad_fn names against torch.special."""

from __future__ import annotations

from .value_cases import SPECIAL, ValueCase

V = ValueCase


def _with_grad(m, name: str, x, *more):
    x = x.requires_grad_()
    out = getattr(m.special, name)(x, *more)
    out.sum().backward()
    return out, x.grad


POINTS = ([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5],)
CASES: dict[str, ValueCase] = {
    "entr": V(lambda m, x: _with_grad(m, "entr", x), ([-1.0, 0.0, 0.5, 1.0, 2.0],)),
    "entr_special": V(lambda m, x: m.special.entr(x), (SPECIAL,)),
    "entr_grad_fn": V(lambda m, x: type(m.special.entr(x.requires_grad_()).grad_fn).__name__, ([0.5],)),
    "entr_float32": V(lambda m, x: m.special.entr(x), ([0.1, 0.7, 3.0],), ("float32",)),
    "ndtr": V(lambda m, x: _with_grad(m, "ndtr", x), POINTS),
    "ndtri": V(lambda m, p: _with_grad(m, "ndtri", p), ([0.01, 0.1, 0.5, 0.9, 0.999],)),
    "ndtri_ends": V(lambda m, p: m.special.ndtri(p), ([0.0, 1.0, -0.5, 1.5],)),
    "log_ndtr": V(lambda m, x: _with_grad(m, "log_ndtr", x), ([-40.0, -25.0, -19.0, -10.0, -3.0, 0.0, 3.0, 9.0],)),
    "log_ndtr_float32": V(lambda m, x: m.special.log_ndtr(x), ([-30.0, -5.0, 0.0, 5.0],), ("float32",)),
    "xlog1py": V(lambda m, x, y: (m.special.xlog1py(x, y), m.special.xlog1py(x, 2.0)),
                 ([0.0, 0.0, 2.0, -1.5, 0.0], [-1.0, float("nan"), 1.0, 0.5, 3.0])),
    "xlog1py_grad": V(lambda m, x, y: _xlog1py_grads(m, x, y), ([0.0, 2.0, -1.5], [3.0, 1.0, 0.5])),
    "multigammaln": V(lambda m, x: (_with_grad(m, "multigammaln", x, 3)), ([1.5, 2.0, 4.25],)),
    "multigammaln_domain": V(lambda m, x: m.special.multigammaln(x, 3), ([0.9, 2.0],)),
    "aliases": V(lambda m, x: (m.special.expit(x), m.special.logit(m.special.expit(x)), m.special.erf(x),
                               m.special.erfc(x), m.special.expm1(x), m.special.exp2(x), m.special.sinc(x),
                               m.special.gammaln(x.abs() + 0.5), m.special.psi(x.abs() + 0.5),
                               m.special.digamma(x.abs() + 1), m.special.logsumexp(x, 0),
                               m.special.softmax(x, 0), m.special.log_softmax(x, 0), m.special.round(x * 3),
                               m.special.xlogy(x.abs(), 2.0), m.special.log1p(x.abs()),
                               m.special.erfinv(x * 0.3)), POINTS),
}


def _xlog1py_grads(m, x, y):
    x, y = x.requires_grad_(), y.requires_grad_()
    m.special.xlog1py(x, y).sum().backward()
    return x.grad, y.grad
