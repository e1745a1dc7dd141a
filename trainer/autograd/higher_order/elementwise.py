"""Rules for the elementwise functions and activations."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import math_ops, ops
from ..tensor import Tensor
from ._base import (
    Rule,
    _const,
    _ctx,
    _rule,
    _scalar,
    _sign,
    masked,
)


@_rule("Exp")
def _exp(node: Tensor, g: Tensor) -> tuple:
    return (ops.mul(g, node),)


@_rule("Log")
def _log(node: Tensor, g: Tensor) -> tuple:
    return (ops.div(g, node._parents[0]),)


@_rule("Log1p")
def _log1p(node: Tensor, g: Tensor) -> tuple:
    (a,) = node._parents
    return (ops.div(g, ops.add(a, _const(np.ones((), a._array.dtype)))),)


@_rule("Sqrt")
def _sqrt(node: Tensor, g: Tensor) -> tuple:
    return (ops.div(g, ops.mul(node, _const(np.asarray(2, node._array.dtype)))),)


@_rule("Sin")
def _sin(node: Tensor, g: Tensor) -> tuple:
    return (ops.mul(g, ops.cos(node._parents[0])),)


@_rule("Cos")
def _cos(node: Tensor, g: Tensor) -> tuple:
    return (ops.neg(ops.mul(g, ops.sin(node._parents[0]))),)


@_rule("Tanh")
def _tanh(node: Tensor, g: Tensor) -> tuple:
    one = _const(np.ones((), node._array.dtype))
    return (ops.mul(g, ops.sub(one, ops.mul(node, node))),)


@_rule("Sigmoid")
def _sigmoid(node: Tensor, g: Tensor) -> tuple:
    one = _const(np.ones((), node._array.dtype))
    return (ops.mul(ops.mul(g, node), ops.sub(one, node)),)


@_rule("Sgn", "Sign")
def _zero_gradient(node: Tensor, g: Tensor) -> tuple:
    return (_const(np.zeros_like(node._parents[0]._array)),)


@_rule("Abs")
def _abs(node: Tensor, g: Tensor) -> tuple:
    return (ops.mul(g, _sign(node._parents[0])),)


@_rule("MaskedGrad")
def _masked(node: Tensor, g: Tensor) -> tuple:
    mask, factor = _ctx(node)
    source = node._parents[1]
    return masked(g, mask, source, factor), _const(np.zeros_like(source._array))


@_rule("Relu")
def _relu(node: Tensor, g: Tensor) -> tuple:
    return (masked(g, node._array != 0, node),)


@_rule("LeakyRelu")
def _leaky_relu(node: Tensor, g: Tensor) -> tuple:
    x, slope = node._parents[0], _ctx(node)
    a = x._array
    return (masked(g, a > 0, x, np.where(a > 0, 1, slope).astype(a.dtype)),)


@_rule("Softplus")
def _softplus(node: Tensor, g: Tensor) -> tuple:
    (x,), (beta, threshold) = node._parents, _ctx(node)
    dt = x._array.dtype
    linear = x._array * beta > threshold
    slope = ops.sigmoid(ops.mul(x, _const(np.asarray(beta, dt))))
    return (ops.where(_const(linear), g, ops.mul(g, slope)),)


@_rule("Hardtanh")
def _hardtanh(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's hardtanh_backward: g strictly inside (lo, hi), with a zero-gradient link to the input."""
    (x,), (lo, hi) = node._parents, _ctx(node)
    a = x._array
    return (masked(g, (a > lo) & (a < hi), x),)


@_rule("Clamp", "Clamp0", "ClampMin1", "ClampMax1")
def _clamp(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's clamp backward: a `where` on g alone for the input and each tensor bound (none of them is part
    of the gradient's graph); `_ctx` gives the masks."""
    zero = _scalar(0, g)
    return tuple(ops.where(_const(m), g, zero) if p.requires_grad else None
                 for m, p in zip(_ctx(node)(), node._parents))


@_rule("Maximum", "Minimum")
def _extremum(node: Tensor, g: Tensor) -> tuple:
    """g shared by the operands that are the extremum (halved on ties): a function of g alone, as in PyTorch."""
    a, b = node._parents
    wa, wb = _ctx(node)(g._array.dtype)
    return (ops.mul(g, _const(wa)) if a.requires_grad else None, ops.mul(g, _const(wb)) if b.requires_grad else None)


@_rule("Silu")
def _silu(node: Tensor, g: Tensor) -> tuple:
    """g * s * (1 + x (1 - s)) with s = sigmoid(x)."""
    (x,) = node._parents
    s, one = ops.sigmoid(x), _scalar(1, x)
    return (ops.mul(ops.mul(g, s), ops.add(one, ops.mul(x, ops.sub(one, s)))),)


@_rule("LogSigmoid")
def _log_sigmoid(node: Tensor, g: Tensor) -> tuple:
    """g * sigmoid(-x) (= 1 - sigmoid(x), without the cancellation)."""
    return (ops.mul(g, ops.sigmoid(ops.neg(node._parents[0]))),)


@_rule("Elu", "Celu", "Elu1", "Celu1")
def _elu(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's elu_backward, g * c exp(x s) below 0 (c = alpha scale s) and g * scale above; in place (`...1`)
    it reads the result r instead, g * s (r + alpha scale). The second derivative is 0 at 0 and above."""
    (x,), (negcoef, poscoef, s) = node._parents, _ctx(node)
    from_result = node._op.endswith("1")
    a = node._array if from_result else x._array
    below = ~(a >= 0)  # NaN takes the exponential branch, as the first-order rule
    rest = _const(np.where(a > 0, poscoef, s * negcoef).astype(a.dtype))
    if from_result:
        slope = ops.mul(ops.add(node, _scalar(negcoef, node)), _scalar(s, node))
    else:
        slope = ops.mul(ops.exp(ops.mul(x, _scalar(s, x))), _scalar(s * negcoef, x))
    return (ops.mul(g, ops.where(_const(below), slope, rest)),)


_SQRT_HALF, _INV_SQRT_2PI = math.sqrt(0.5), 1 / math.sqrt(2 * math.pi)


_TANH_BETA, _TANH_KAPPA = math.sqrt(2 / math.pi), 0.044715


@_rule("Gelu")
def _gelu(node: Tensor, g: Tensor) -> tuple:
    """g * (Phi(x) + x phi(x)) exactly; for approximate='tanh', with t = tanh(b (x + k x^3)),
    g * (0.5 (1 + t) + 0.5 x (1 - t^2) b (1 + 3 k x^2))."""
    (x,), approximate = node._parents, _ctx(node)
    half, one = _scalar(0.5, x), _scalar(1, x)
    if approximate == "tanh":
        x2 = ops.mul(x, x)
        t = ops.tanh(ops.mul(ops.add(x, ops.mul(ops.mul(x2, x), _scalar(_TANH_KAPPA, x))), _scalar(_TANH_BETA, x)))
        d_inner = ops.mul(ops.add(one, ops.mul(x2, _scalar(3 * _TANH_KAPPA, x))), _scalar(_TANH_BETA, x))
        slope = ops.add(ops.mul(half, ops.add(one, t)),
                        ops.mul(ops.mul(ops.mul(half, x), ops.sub(one, ops.mul(t, t))), d_inner))
    else:
        cdf = ops.mul(half, ops.add(one, math_ops.erf(ops.mul(x, _scalar(_SQRT_HALF, x)))))
        pdf = ops.mul(ops.exp(ops.mul(ops.mul(x, x), _scalar(-0.5, x))), _scalar(_INV_SQRT_2PI, x))
        slope = ops.add(cdf, ops.mul(x, pdf))
    return (ops.mul(g, slope),)


@_rule("Erf")
def _erf(node: Tensor, g: Tensor) -> tuple:
    (x,) = node._parents
    return (ops.mul(g, ops.mul(ops.exp(ops.neg(ops.mul(x, x))), _scalar(2 / math.sqrt(math.pi), x))),)


@_rule("Where")
def _where(node: Tensor, g: Tensor) -> tuple:
    x, y = node._parents
    cond = _const(_ctx(node))
    zero = _const(np.zeros((), g._array.dtype))
    return (ops.where(cond, g, zero) if x.requires_grad else None,
            ops.where(cond, zero, g) if y.requires_grad else None)


@_rule("ToCopy")
def _to_copy(node: Tensor, g: Tensor) -> tuple:
    return (ops.cast(g, node._parents[0]._array.dtype),)


@_rule("Clone")
def _identity(node: Tensor, g: Tensor) -> tuple:
    return (g,)


def _unary_rule(*names: str) -> Callable:
    """A rule g * slope(x, result) for a one-input elementwise op."""
    def register(slope: Callable[[Tensor, Tensor], Tensor]) -> Rule:
        def rule(node: Tensor, g: Tensor) -> tuple:
            return (ops.mul(g, slope(node._parents[0], node)),)
        return _rule(*names)(rule)
    return register


def _square(x: Tensor) -> Tensor:
    return ops.mul(x, x)


_unary_rule("Rsqrt")(lambda x, r: ops.mul(ops.pow(r, 3), _scalar(-0.5, r)))


_unary_rule("Reciprocal")(lambda x, r: ops.neg(_square(r)))


_unary_rule("Expm10")(lambda x, r: ops.add(r, _scalar(1, r)))


_unary_rule("Exp20")(lambda x, r: ops.mul(r, _scalar(math.log(2), r)))


_unary_rule("Tan")(lambda x, r: ops.add(_square(r), _scalar(1, r)))


_unary_rule("Sinh")(lambda x, r: math_ops.cosh(x))


_unary_rule("Cosh")(lambda x, r: math_ops.sinh(x))


_unary_rule("Asin")(lambda x, r: math_ops.rsqrt(ops.sub(_scalar(1, x), _square(x))))


_unary_rule("Acos")(lambda x, r: ops.neg(math_ops.rsqrt(ops.sub(_scalar(1, x), _square(x)))))


_unary_rule("Atan")(lambda x, r: ops.div(_scalar(1, x), ops.add(_square(x), _scalar(1, x))))


_unary_rule("Asinh")(lambda x, r: math_ops.rsqrt(ops.add(_square(x), _scalar(1, x))))


_unary_rule("Acosh")(lambda x, r: math_ops.rsqrt(ops.sub(_square(x), _scalar(1, x))))


_unary_rule("Atanh")(lambda x, r: ops.div(_scalar(1, x), ops.sub(_scalar(1, x), _square(x))))


_unary_rule("Log2")(lambda x, r: ops.div(_scalar(1 / math.log(2), x), x))


_unary_rule("Log10")(lambda x, r: ops.div(_scalar(1 / math.log(10), x), x))


_unary_rule("Erfc")(lambda x, r: ops.mul(ops.exp(ops.neg(_square(x))), _scalar(-2 / math.sqrt(math.pi), x)))


_unary_rule("Erfinv")(lambda x, r: ops.mul(ops.exp(_square(math_ops.erfinv(x))), _scalar(0.5 * math.sqrt(math.pi), x)))


@_rule("Atan20")
def _atan2(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    scaled = ops.div(g, ops.add(_square(a), _square(b)))
    return (ops.mul(scaled, b) if a.requires_grad else None, ops.neg(ops.mul(scaled, a)) if b.requires_grad else None)


@_rule("Hypot")
def _hypot(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    scaled = ops.div(g, node)
    return (ops.mul(scaled, a) if a.requires_grad else None, ops.mul(scaled, b) if b.requires_grad else None)


@_rule("Logaddexp", "Logaddexp20")
def _logaddexp(node: Tensor, g: Tensor) -> tuple:
    """g / (1 + exp(y - x)) and g / (1 + exp(x - y)) (exp2 for logaddexp2)."""
    a, b = node._parents
    exp = ops.exp if node._op == "Logaddexp" else math_ops.exp2

    def part(p: Tensor, q: Tensor) -> Tensor:
        return ops.div(g, ops.add(exp(ops.sub(q, p)), _scalar(1, p)))

    return (part(a, b) if a.requires_grad else None, part(b, a) if b.requires_grad else None)


def _xlogy_self(g: Tensor, x: np.ndarray, y: Tensor | np.ndarray) -> Tensor:
    """xlogy(g, y), 0 where x == 0 and y <= 0 (PyTorch's)."""
    ya = y._array if isinstance(y, Tensor) else np.asarray(y)
    return ops.where(_const((x == 0) & (ya <= 0)), _scalar(0, g),
                     math_ops.xlogy(g, y if isinstance(y, Tensor) else _const(ya.astype(g._array.dtype))))


@_rule("Xlogy")
def _xlogy(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (_xlogy_self(g, a._array, b) if a.requires_grad else None,
            ops.div(ops.mul(g, a), b) if b.requires_grad else None)


@_rule("Xlogy1")
def _xlogy_number_self(node: Tensor, g: Tensor) -> tuple:
    (b,), x = node._parents, _ctx(node)
    return (ops.div(ops.mul(g, _const(np.asarray(x, g._array.dtype))), b),)


@_rule("Xlogy2")
def _xlogy_number_other(node: Tensor, g: Tensor) -> tuple:
    (a,), y = node._parents, _ctx(node)
    return (_xlogy_self(g, a._array, y),)


@_rule("Lerp")
def _lerp(node: Tensor, g: Tensor) -> tuple:
    w = float(_ctx(node))
    return ops.mul(g, _scalar(1 - w, g)), ops.mul(g, _scalar(w, g))


@_rule("Lerp1")
def _lerp_tensor(node: Tensor, g: Tensor) -> tuple:
    a, b, w = node._parents
    return (ops.mul(g, ops.sub(_scalar(1, w), w)) if a.requires_grad else None,
            ops.mul(g, w) if b.requires_grad else None,
            ops.mul(g, ops.sub(b, a)) if w.requires_grad else None)


@_rule("Addcmul")
def _addcmul(node: Tensor, g: Tensor) -> tuple:
    _, t1, t2 = node._parents
    value = _ctx(node)
    return (g, ops.mul(g, ops.mul(t2, _scalar(value, t2))) if t1.requires_grad else None,
            ops.mul(g, ops.mul(t1, _scalar(value, t1))) if t2.requires_grad else None)


@_rule("Addcdiv")
def _addcdiv(node: Tensor, g: Tensor) -> tuple:
    _, t1, t2 = node._parents
    value = _ctx(node)
    return (g, ops.mul(g, ops.div(_scalar(value, t2), t2)) if t1.requires_grad else None,
            ops.neg(ops.mul(g, ops.div(ops.mul(t1, _scalar(value, t1)), _square(t2)))) if t2.requires_grad else None)
