"""Run one case of cases.py with a library (`torch` or `trainer`) and collect plain numpy results, so the
reference generator and the tests share one procedure."""

from __future__ import annotations

from typing import Any

import numpy as np

from .cases import DistCase


def to_numpy(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy())


def _params(m: Any, case: DistCase, dtype: Any, requires_grad: bool) -> dict[str, Any]:
    return {k: v if isinstance(v, float) else m.tensor(v, dtype=dtype, requires_grad=requires_grad)
            for k, v in case.params.items()}


def _grads(params: dict[str, Any], fn: Any) -> dict[str, np.ndarray]:
    leaves = {k: v for k, v in params.items() if not isinstance(v, float)}
    if not leaves:
        return {}
    for v in leaves.values():
        v.grad = None
    fn().sum().backward()
    return {k: to_numpy(v.grad) if v.grad is not None else None for k, v in leaves.items()}


def _shape_key(dtype: str, shape: tuple[int, ...]) -> str:
    return f"{dtype}_{'x'.join(map(str, shape)) or 'scalar'}"


def samples(m: Any, case: DistCase) -> dict[str, np.ndarray]:
    """sample() then rsample() (where the distribution has one) after manual_seed, per dtype and sample shape."""
    out = {}
    floats_only = all(isinstance(v, float) for v in case.params.values())
    for dtype_name in case.sample_dtypes[:1] if floats_only else case.sample_dtypes:
        dist = case.make(m.distributions, _params(m, case, getattr(m, dtype_name), False))
        for i, shape in enumerate(case.sample_shapes):
            m.manual_seed(case.seed + i)
            out[_shape_key(dtype_name, shape) + "_sample"] = to_numpy(dist.sample(shape))
            if dist.has_rsample:
                out[_shape_key(dtype_name, shape) + "_rsample"] = to_numpy(dist.rsample(shape))
    return out


def values(m: Any, case: DistCase) -> dict[str, Any]:
    """Shapes, repr, log_prob/entropy/moments/cdf/icdf in float64, and their gradients w.r.t. the parameters."""
    f64 = m.float64

    def fresh() -> tuple[Any, dict[str, Any]]:
        p = _params(m, case, f64, True)
        return case.make(m.distributions, p), p

    dist, _ = fresh()
    out: dict[str, Any] = {"batch_shape": list(dist.batch_shape), "event_shape": list(dist.event_shape),
                           "repr": repr(dist), "has_rsample": bool(dist.has_rsample)}
    value = m.tensor(case.values, dtype=f64)
    out["log_prob"] = to_numpy(dist.log_prob(value))
    if case.entropy:
        out["entropy"] = to_numpy(dist.entropy())
    for prop in case.props:
        out[prop] = to_numpy(getattr(dist, prop))
    if case.cdf:
        out["cdf"] = to_numpy(dist.cdf(value))
    if case.quantiles is not None:
        out["icdf"] = to_numpy(dist.icdf(m.tensor(case.quantiles, dtype=f64)))
    grads = {}
    d, p = fresh()
    grads["log_prob"] = _grads(p, lambda: d.log_prob(value))
    if case.entropy:
        d, p = fresh()
        grads["entropy"] = _grads(p, d.entropy)
    if case.cdf and case.cdf_grad:
        d, p = fresh()
        grads["cdf"] = _grads(p, lambda: d.cdf(value))
    if dist.has_rsample:
        d, p = fresh()
        m.manual_seed(case.seed)
        grads["rsample"] = _grads(p, lambda: d.rsample(case.sample_shapes[-1]))
    out["grads"] = grads
    return out


def kl(m: Any, make_p: Any, make_q: Any, params: dict[str, Any]) -> dict[str, Any]:
    p = {k: m.tensor(v, dtype=m.float64, requires_grad=True) for k, v in params.items()}
    result = m.distributions.kl_divergence(make_p(m.distributions, p), make_q(m.distributions, p))
    out = {"value": to_numpy(result)}
    finite = m.where(m.isfinite(result), result, m.zeros_like(result))
    out["grads"] = _grads(p, lambda: finite)
    return out


def error(m: Any, build: Any) -> dict[str, str]:
    """The exception class and message a construction raises, or "ok"."""
    try:
        build(m.distributions, lambda v: m.tensor(v, dtype=m.float64))
    except Exception as exc:  # noqa: BLE001 - recording whatever PyTorch raises
        return {"class": type(exc).__name__, "message": str(exc)}
    return {"class": "ok", "message": ""}
