"""Higher-order gradients: `backward(create_graph=True)` and `autograd.grad(..., create_graph=True)`.

The first-order walk (`tensor._run_backward`) runs each node's numpy rule and keeps no graph. With
`create_graph` the walk here runs instead: each node's gradient rule is written again below with Tensor
ops, so the gradients it produces are graph nodes themselves and can be differentiated again (Hessian-vector
products, gradient penalties, physics-informed losses, MAML's inner step). The rules state the same
derivatives as the numpy ones; `tests/autograd/value_cases_higher_order.py` checks them against PyTorch's
double and triple backward. Ops without a rule here refuse `create_graph` with their PyTorch node name.

Rules read a node's inputs (`_parents`), its result (the node itself, which is graph-connected to its
inputs) and, for ops whose rule needs an argument the shapes do not tell (a reduction's dims, a scalar
exponent, a loss's reduction), the node's `_ctx`, which those ops store when they record a node.
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import conv, grad_mode, linalg_solve, math_ops, more_ops, ops, pooling
from .hooks import HOOKS
from .nodes import node_name
from .plain import grad_where
from .tensor import _RETAINING, Tensor, _check_saved, _freed_backward, _last_inplace

Rule = Callable[[Tensor, Tensor], tuple]
_RULES: dict[str, Rule] = {}


def _rule(*names: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for name in names:
            _RULES[name] = fn
        return fn
    return register


def _const(arr: Any) -> Tensor:
    return Tensor._wrap(np.asarray(arr))


def _scalar(value: float, like: Tensor) -> Tensor:
    """`value` as a 0-d constant of `like`'s dtype."""
    return _const(np.asarray(value, like._array.dtype))


def _ctx(node: Tensor) -> Any:
    ctx = getattr(node, "_ctx", None)
    if ctx is None:
        raise _unsupported(node)
    return ctx


def _unsupported(node: Tensor) -> RuntimeError:
    return RuntimeError(
        f"create_graph=True: trainer cannot differentiate the gradient of {node_name(node._op)} (double backward "
        f"is implemented for {', '.join(sorted({node_name(op) for op in _RULES}))})")


# ----- arithmetic ------------------------------------------------------------------------------


def _scaled(node: Tensor, g: Tensor, sign: int) -> Tensor:
    """sign * alpha * g for the second operand of `add`/`sub` (`_ctx` is `alpha` when it is not 1)."""
    alpha = getattr(node, "_ctx", None)
    if alpha is None:
        return g if sign > 0 else ops.neg(g)
    return ops.mul(g, _const(np.asarray(sign * alpha, g._array.dtype)))


@_rule("Add")
def _add(node: Tensor, g: Tensor) -> tuple:
    return g, _scaled(node, g, 1)


@_rule("Sub")
def _sub(node: Tensor, g: Tensor) -> tuple:
    return g, _scaled(node, g, -1)


@_rule("Neg")
def _neg(node: Tensor, g: Tensor) -> tuple:
    return (ops.neg(g),)


@_rule("Mul", "Dot")
def _mul(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.mul(g, b) if a.requires_grad else None, ops.mul(g, a) if b.requires_grad else None)


@_rule("Div")
def _div(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    ga = ops.div(g, b) if a.requires_grad else None
    gb = ops.neg(ops.div(ops.mul(g, ops.div(a, b)), b)) if b.requires_grad else None
    return ga, gb


@_rule("Pow")
def _pow(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's pow_backward: zeros for exponent 0 (no graph), else grad * (p * x^(p-1))."""
    (a,), p = node._parents, _ctx(node)
    if p == 0:
        return (_const(np.zeros_like(a._array)),)
    return (ops.mul(g, ops.mul(ops.pow(a, p - 1), _const(np.asarray(p, a._array.dtype)))),)


# ----- elementwise functions -------------------------------------------------------------------


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


def _sign(x: Tensor) -> Tensor:
    """sign(x) as a node of x with a zero gradient (PyTorch's `sgn`), so what multiplies by it stays in the graph."""
    out = Tensor._make(np.sign(x._array), (x,), lambda v: (np.zeros_like(v),), "Sgn")
    return out


@_rule("Sgn", "Sign")
def _zero_gradient(node: Tensor, g: Tensor) -> tuple:
    return (_const(np.zeros_like(node._parents[0]._array)),)


@_rule("Abs")
def _abs(node: Tensor, g: Tensor) -> tuple:
    return (ops.mul(g, _sign(node._parents[0])),)


def masked(g: Tensor, mask: np.ndarray, source: Tensor, factor: np.ndarray | None = None) -> Tensor:
    """ReLU's gradient (`g` where `mask` holds, else +0) or, with `factor`, g * factor (LeakyReLU's): a node of
    g and of the `source` the mask was read from, whose gradient through `source` is zero, as in PyTorch's
    threshold_backward and leaky_relu_backward."""
    def apply(v: np.ndarray) -> np.ndarray:
        return grad_where(mask, v) if factor is None else v * factor

    out = Tensor._make(apply(g._array), (g, source), lambda v: (apply(v), np.zeros_like(source._array)),
                       "MaskedGrad")
    out._ctx = (mask, factor)
    return out


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


@_rule("Clone", "Alias")
def _identity(node: Tensor, g: Tensor) -> tuple:
    return (g,)


# ----- reductions ------------------------------------------------------------------------------


def _spread(node: Tensor, g: Tensor, axes: tuple[int, ...] | None, keepdim: bool) -> Tensor:
    shape = node._parents[0]._array.shape
    if axes is not None and not keepdim:
        g = ops.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return ops.expand(g, shape)


@_rule("Sum")
def _sum(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, g, None, False),)


@_rule("Sum1")
def _sum_dims(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, g, *_ctx(node)),)


def _count(node: Tensor, axes: tuple[int, ...] | None) -> Tensor:
    a = node._parents[0]._array
    n = a.size if axes is None else int(np.prod([a.shape[i] for i in axes]))
    return _const(np.asarray(n, a.dtype))


@_rule("Mean")
def _mean(node: Tensor, g: Tensor) -> tuple:
    return (_spread(node, ops.div(g, _count(node, None)), None, False),)


@_rule("Mean1")
def _mean_dims(node: Tensor, g: Tensor) -> tuple:
    axes, keepdim = _ctx(node)
    return (_spread(node, ops.div(g, _count(node, axes)), axes, keepdim),)


@_rule("LogSumExp")
def _logsumexp(node: Tensor, g: Tensor) -> tuple:
    """g * exp(x - logsumexp(x)), both spread back over the reduced dims."""
    axes, keepdim = _ctx(node)
    x = node._parents[0]
    return (ops.mul(_spread(node, g, axes, keepdim), ops.exp(ops.sub(x, _spread(node, node, axes, keepdim)))),)


def _log_softmax_grad(g: Tensor, logp: Tensor, axis: int | None) -> Tensor:
    """log_softmax's gradient g - exp(logp) * sum(g) along `axis`, for the log-probabilities `logp`."""
    return ops.sub(g, ops.mul(ops.exp(logp), ops.sum(g, axis, keepdim=True)))


@_rule("LogSoftmax")
def _log_softmax(node: Tensor, g: Tensor) -> tuple:
    return (_log_softmax_grad(g, node, *_ctx(node)),)


@_rule("Softmax")
def _softmax(node: Tensor, g: Tensor) -> tuple:
    """s * (g - sum(g * s)) along the softmax dim, s the result."""
    (axis,) = _ctx(node)
    return (ops.mul(node, ops.sub(g, ops.sum(ops.mul(g, node), axis, keepdim=True))),)


@_rule("LinalgVectorNorm")
def _vector_norm(node: Tensor, g: Tensor) -> tuple:
    (x,), (p, kept) = node._parents, _ctx(node)
    gk, norm = ops.reshape(g, kept), ops.reshape(node, kept)
    if p == 1:
        return (ops.mul(_const(np.sign(x._array)), gk),)
    zero = _const(np.zeros((), x._array.dtype))
    flat = _const(norm._array == 0)
    safe = ops.where(flat, _const(np.ones((), x._array.dtype)), norm)
    if p == 2:
        return (ops.where(flat, zero, ops.mul(x, ops.div(gk, safe))),)
    if p == 0:
        return (_const(np.zeros_like(x._array)),)
    a = x._array
    if math.isinf(p):  # amax of |x|, ties sharing: sgn(x) * mask * g / count
        mask = (np.abs(a) == norm._array) | np.isnan(a)
        weights = (mask / np.sum(mask, axis=tuple(i for i, n in enumerate(kept) if n == 1 and a.shape[i] != 1),
                                 keepdims=True)).astype(a.dtype)
        return (ops.mul(_sign(x), ops.mul(gk, _const(weights))),)
    # PyTorch's norm_backward: sgn(x) |x|^(p-1) / norm^(p-1), for p < 1 0 where x is 0
    absolute = ops.abs(x)
    if p < 1:
        at_zero = _const(a == 0)
        absolute = ops.where(at_zero, _const(np.ones((), a.dtype)), absolute)
        scaled = ops.where(at_zero, zero, ops.mul(_sign(x), ops.pow(absolute, p - 1)))
        return (ops.mul(ops.mul(scaled, gk), ops.pow(norm, 1 - p)),)
    scaled = ops.mul(_sign(x), ops.pow(absolute, p - 1)) if p < 2 else ops.mul(x, ops.pow(absolute, p - 2))
    return (ops.mul(scaled, ops.where(flat, zero, ops.div(gk, ops.pow(safe, p - 1)))),)


# ----- shapes ----------------------------------------------------------------------------------


@_rule("Reshape", "Squeeze", "Squeeze0")
def _reshape(node: Tensor, g: Tensor) -> tuple:
    return (ops.reshape(g, node._parents[0]._array.shape),)


@_rule("Expand")
def _expand(node: Tensor, g: Tensor) -> tuple:
    return (sum_to(g, node._parents[0]._array.shape),)


@_rule("Transpose", "T", "Permute", "Select", "Slice", "Unsqueeze", "Alias", "Index")
def _view(node: Tensor, g: Tensor) -> tuple:
    """Indexing (its `_ctx` is the index) and any op whose result is a numpy view of its input: the gradient
    scatters back to the positions read (repeated ones accumulate)."""
    parent = node._parents[0]
    index = getattr(node, "_ctx", None)
    if index is not None:
        pos = np.arange(parent._array.size, dtype=np.int64).reshape(parent._array.shape)[index]
    else:
        pos = _view_positions(node._array, parent._array)
    if pos is None:
        raise _unsupported(node)
    return (scatter(g, np.asarray(pos), parent._array.shape),)


def _view_positions(view: np.ndarray, parent: np.ndarray) -> np.ndarray | None:
    """The flat (C-order) index into `parent` of each element of `view`, by address (None unless `view` lies in
    `parent`'s memory and no two elements of `parent` share an address)."""
    if view.dtype != parent.dtype or view.size == 0:
        return None if view.size else np.zeros(view.shape, np.int64)

    def addresses(a: np.ndarray) -> np.ndarray:
        start = a.__array_interface__["data"][0]
        offsets = builtins.sum((np.arange(n, dtype=np.int64) * s).reshape((-1,) + (1,) * (a.ndim - i - 1))
                               for i, (n, s) in enumerate(zip(a.shape, a.strides)))
        return np.broadcast_to(start + np.asarray(offsets, np.int64), a.shape).reshape(-1)

    owner = addresses(parent)
    order = np.argsort(owner, kind="stable")
    ranked = owner[order]
    if ranked.size > 1 and np.any(ranked[1:] == ranked[:-1]):
        return None
    wanted = addresses(view)
    at = np.searchsorted(ranked, wanted)
    if np.any(at >= ranked.size) or np.any(ranked[np.minimum(at, ranked.size - 1)] != wanted):
        return None
    return order[at].reshape(view.shape)


def scatter(g: Tensor, pos: np.ndarray, shape: tuple[int, ...]) -> Tensor:
    """A zero array of `shape` with g's elements added at the flat positions `pos` (one per element of g)."""
    flat = np.zeros(int(np.prod(shape)), dtype=g._array.dtype)
    np.add.at(flat, pos.reshape(-1), g._array.reshape(-1))
    out = Tensor._make(flat.reshape(shape), (g,), lambda v: (v.reshape(-1)[pos.reshape(-1)].reshape(pos.shape),),
                       "ScatterPositions")
    if out._backward is not None:
        out._ctx = pos
    return out


def gather(v: Tensor, pos: np.ndarray) -> Tensor:
    """v's elements at the flat positions `pos`, shaped as `pos` (the adjoint of `scatter`)."""
    shape = v._array.shape
    out = Tensor._make(v._array.reshape(-1)[pos.reshape(-1)].reshape(pos.shape), (v,),
                       lambda g: (_scattered(g, pos, shape),), "GatherPositions")
    if out._backward is not None:
        out._ctx = pos
    return out


def _scattered(g: np.ndarray, pos: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    flat = np.zeros(int(np.prod(shape)), dtype=g.dtype)
    np.add.at(flat, pos.reshape(-1), g.reshape(-1))
    return flat.reshape(shape)


@_rule("ScatterPositions")
def _scatter_positions(node: Tensor, g: Tensor) -> tuple:
    return (gather(g, _ctx(node)),)


@_rule("GatherPositions")
def _gather_positions(node: Tensor, g: Tensor) -> tuple:
    return (scatter(g, _ctx(node), node._parents[0]._array.shape),)


@_rule("Cat")
def _cat(node: Tensor, g: Tensor) -> tuple:
    parents, shape = node._parents, node._array.shape
    dims = [d for d in range(len(shape)) if shape[d] == builtins.sum(p._array.shape[d] for p in parents)
            and all(p._array.shape[:d] + p._array.shape[d + 1:] == shape[:d] + shape[d + 1:] for p in parents)]
    if not dims:
        raise _unsupported(node)
    d, start, out = dims[0], 0, []
    for p in parents:
        n = p._array.shape[d]
        out.append(ops.getitem(g, (slice(None),) * d + (slice(start, start + n),)) if p.requires_grad else None)
        start += n
    return tuple(out)


# ----- more shapes: stacking, splitting, flips, triangles, diagonals, gathers, scatters, pads ------------------


def _injection_positions(node: Tensor) -> tuple:
    """For a node whose numpy rule hands each parent element at most one element of g (a copy, flip, split,
    triangle, diagonal, constant pad, scatter: linear in g alone), the flat index into g of each parent element's
    gradient (-1 for none), per parent: that rule applied to the positions 1..n."""
    n = node._array.size
    probe = np.arange(1, n + 1, dtype=np.float64).reshape(node._array.shape)
    out = []
    for p, r in zip(node._parents, node._backward(probe)):
        if r is None or not p.requires_grad:
            out.append(None)
            continue
        r = np.asarray(r)
        if r.dtype != np.float64 and n >= 1 << 24:  # positions no longer exact in a narrower float
            raise _unsupported(node)
        out.append(np.rint(r).astype(np.int64) - 1)
    return tuple(out)


def _pick(v: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return np.where(pos >= 0, v.reshape(-1)[np.maximum(pos, 0)], np.zeros((), v.dtype)).astype(v.dtype, copy=False)


def _put(v: np.ndarray, pos: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    flat, hit = np.zeros(math.prod(shape), v.dtype), pos >= 0
    np.add.at(flat, pos[hit], np.broadcast_to(v, pos.shape)[hit])
    return flat.reshape(shape)


def _picked(g: Tensor, pos: np.ndarray) -> Tensor:
    """g's elements at `pos` (0 at -1) as a linear node of g; its gradient adds back at those positions."""
    shape = g._array.shape
    return linear_map(g, lambda v: _pick(v, pos), lambda v: _put(v, pos, shape))


@_rule("Stack", "Split", "SplitWithSizes", "Unbind", "Flip", "Roll", "Tril", "Triu", "Diagonal", "Diag", "DiagEmbed",
       "ConstantPadNd", "Scatter", "Scatter1", "ScatterAdd")
def _injection(node: Tensor, g: Tensor) -> tuple:
    """Each parent's gradient picks elements of g (PyTorch's: functions of g alone)."""
    return tuple(None if pos is None else _picked(g, pos) for pos in _injection_positions(node))


@_rule("MaskedFill")
def _masked_fill(node: Tensor, g: Tensor) -> tuple:
    """g with zeros where the mask holds for the input; the sum of g there for a tensor value."""
    x, v = node._parents
    probe = np.arange(1, node._array.size + 1, dtype=np.float64).reshape(node._array.shape)
    pos = np.rint(np.asarray(node._backward(probe)[0])).astype(np.int64) - 1
    gx = _picked(g, pos) if x.requires_grad else None
    gv = ops.sum(ops.where(_const(pos < 0), g, _scalar(0, g))) if v.requires_grad else None
    return gx, gv


def _selected(g: Tensor, forward: Callable[[np.ndarray], np.ndarray], shape: tuple[int, ...]) -> Tensor:
    """The gradient of a result each of whose elements copies one input element (`forward` maps the input's flat
    positions to the result's): g added back at those positions."""
    pos = np.asarray(forward(np.arange(math.prod(shape), dtype=np.int64).reshape(shape)))
    return scatter(g, np.ascontiguousarray(pos), shape)


@_rule("Repeat", "IndexSelect", "Gather")
def _gathered(node: Tensor, g: Tensor) -> tuple:
    return (_selected(g, _ctx(node), node._parents[0]._array.shape),)


@_rule("ReflectionPad1D", "ReflectionPad2D", "ReflectionPad3D", "ReplicationPad1D", "ReplicationPad2D",
       "ReplicationPad3D", "CircularPad")
def _index_pad(node: Tensor, g: Tensor) -> tuple:
    lead, indices = _ctx(node)

    def forward(v: np.ndarray) -> np.ndarray:
        for i, idx in enumerate(indices):
            v = np.take(v, idx, axis=lead + i)
        return v

    x = node._parents[0]
    if node._op == "CircularPad":  # a composite of copies in PyTorch: a function of g alone
        return (_selected(g, forward, x._array.shape),)
    # reflection_pad / replication_pad _backward: linear in g, with a zero-gradient link to the input
    shape = x._array.shape
    pos = np.ascontiguousarray(forward(np.arange(math.prod(shape), dtype=np.int64).reshape(shape)))
    return (linear_map(g, lambda v: _scattered(v, pos, shape), lambda v: v.reshape(-1)[pos.reshape(-1)].reshape(
        pos.shape), x),)


@_rule("Einsum")
def _einsum(node: Tensor, g: Tensor) -> tuple:
    """Each operand's gradient is the einsum of g with the other operands (their broadcast shapes), onto the
    operand's distinct subscripts, spread over those only it has and put on the diagonal of repeated ones."""
    subs, out_subs, sizes = _ctx(node)
    parents = node._parents
    full = [ops.expand(t, tuple(sizes[c] for c in s)) for s, t in zip(subs, parents)]
    grads = []
    for i, (s, t) in enumerate(zip(subs, parents)):
        if not t.requires_grad:
            grads.append(None)
            continue
        uniq = "".join(dict.fromkeys(s))
        others = [j for j in range(len(subs)) if j != i]
        have = set(out_subs).union(*(subs[j] for j in others))
        reach = "".join(c for c in uniq if c in have)
        r = more_ops.einsum(",".join([out_subs, *(subs[j] for j in others)]) + "->" + reach, g,
                            *(full[j] for j in others))
        r = ops.expand(ops.reshape(r, tuple(sizes[c] if c in reach else 1 for c in uniq)),
                       tuple(sizes[c] for c in uniq))
        if len(uniq) != len(s):
            grid = np.indices(r._array.shape)
            target = tuple(sizes[c] for c in s)
            pos = np.ravel_multi_index(tuple(grid[uniq.index(c)] for c in s), target)
            r = scatter(r, pos, target)
        grads.append(r)
    return tuple(grads)


# ----- more reductions -------------------------------------------------------------------------


def _var_grad(node: Tensor, g: Tensor, axes: tuple[int, ...] | None, keepdim: bool, denom: float) -> Tensor:
    """PyTorch's var_backward: 2 / (n - correction) * g * (x - mean(x))."""
    x = node._parents[0]
    centred = ops.sub(x, ops.mean(x, axes, keepdim=True))
    return ops.mul(ops.mul(_spread(node, g, axes, keepdim), centred), _scalar(2 / denom if denom else math.inf, x))


def _std_to_var(node: Tensor, g: Tensor) -> Tensor:
    """g / (2 std), 0 where std is 0 (PyTorch's std_backward before var_backward)."""
    zero = node._array == 0
    safe = ops.where(_const(zero), _scalar(1, node), node)
    return ops.where(_const(zero), _scalar(0, g), ops.div(g, ops.mul(safe, _scalar(2, node))))


@_rule("Var", "VarMean", "StdMean")
def _var(node: Tensor, g: Tensor) -> tuple:
    axes, keepdim, denom, root = _ctx(node)
    if root is None:  # the mean of var_mean / std_mean (`denom` is the count)
        return (_spread(node, ops.div(g, _scalar(denom, g)), axes, keepdim),)
    return (_var_grad(node, _std_to_var(node, g) if root else g, axes, keepdim, denom),)


@_rule("Std")
def _std(node: Tensor, g: Tensor) -> tuple:
    return (_std_to_var(node, g),)


@_rule("Max", "Min", "Max1", "Min1", "Amax", "Amin", "Aminmax")
def _value_selecting(node: Tensor, g: Tensor) -> tuple:
    """g routed to the extremum's positions (shared on ties): the first-order weights, constants, times g spread
    back; a function of g alone, as in PyTorch. `_ctx` is (dims, keepdim) but for the full max() and min()."""
    axes, keepdim = (None, False) if node._op in ("Max1", "Min1") else _ctx(node)
    weights = np.asarray(_first(node._backward)(np.ones(node._array.shape, g._array.dtype)))
    return (ops.mul(_spread(node, g, axes, keepdim), _const(weights)),)


@_rule("Prod", "Prod1")
def _prod(node: Tensor, g: Tensor) -> tuple:
    """g * prod / x spread back (PyTorch's prod_backward without zeros in the input; with zeros it is refused)."""
    x = node._parents[0]
    if np.any(x._array == 0):
        raise _unsupported(node)
    axes, keepdim = (None, False) if node._op == "Prod" else ((_ctx(node)[0],), _ctx(node)[1])
    return (ops.div(ops.mul(_spread(node, g, axes, keepdim), _spread(node, node, axes, keepdim)), x),)


def _reverse_cumsum(v: Tensor, axis: int) -> Tensor:
    """sum_{j >= i} v_j along `axis`, as a product with a constant triangle (so differentiable to any order)."""
    n = v._array.shape[axis]
    moved = ops.transpose(v, axis, -1) if axis not in (-1, v._array.ndim - 1) else v
    out = ops.matmul(moved, _const(np.tril(np.ones((n, n), v._array.dtype))))
    return ops.transpose(out, axis, -1) if moved is not v else out


@_rule("Cumsum")
def _cumsum(node: Tensor, g: Tensor) -> tuple:
    """The reversed running sum of g (a 0-d cumsum, which records no axis, passes g)."""
    axis = getattr(node, "_ctx", None)
    return (g if axis is None else _reverse_cumsum(g, axis),)


@_rule("Cumprod")
def _cumprod(node: Tensor, g: Tensor) -> tuple:
    """reversed cumsum(g * cumprod) / x (PyTorch's cumprod_backward without zeros; with zeros it is refused)."""
    axis, x = getattr(node, "_ctx", None), node._parents[0]
    if axis is None:
        return (g,)
    if np.any(x._array == 0):
        raise _unsupported(node)
    return (ops.div(_reverse_cumsum(ops.mul(g, node), axis), x),)


# ----- more elementwise functions --------------------------------------------------------------


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


# ----- products and layers ---------------------------------------------------------------------


def _mT(t: Tensor) -> Tensor:
    return ops.transpose(t, -1, -2)


@_rule("Mm", "MatMul")
def _matmul(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(g, _mT(b)) if a.requires_grad else None, ops.matmul(_mT(a), g) if b.requires_grad else None)


@_rule("Mv")
def _mv(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(ops.unsqueeze(g, -1), ops.unsqueeze(b, 0)) if a.requires_grad else None,
            ops.matmul(_mT(a), g) if b.requires_grad else None)


@_rule("VecMat")
def _vecmat(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (ops.matmul(b, g) if a.requires_grad else None,
            ops.matmul(ops.unsqueeze(a, -1), ops.unsqueeze(g, 0)) if b.requires_grad else None)


@_rule("Addmm")
def _addmm(node: Tensor, g: Tensor) -> tuple:
    """beta * input + alpha * mat1 @ mat2 (the recurrent layers' products): g scaled, and the two matmul terms."""
    (c, a, b), (beta, alpha) = node._parents, _ctx(node)

    def scaled(t: Tensor, k: float) -> Tensor:
        return t if k == 1 else ops.mul(t, _scalar(k, t))

    return (scaled(g, beta) if c.requires_grad else None,
            scaled(ops.matmul(g, _mT(b)), alpha) if a.requires_grad else None,
            scaled(ops.matmul(_mT(a), g), alpha) if b.requires_grad else None)


@_rule("Linear", "LinearNoBias")
def _linear(node: Tensor, g: Tensor) -> tuple:
    x, w, *bias = node._parents
    gx = ops.matmul(g, w) if x.requires_grad else None
    g2 = ops.reshape(g, (-1, w._array.shape[0]))
    gw = ops.matmul(_mT(g2), ops.reshape(x, (-1, w._array.shape[1]))) if w.requires_grad else None
    if not bias:
        return gx, gw
    return gx, gw, (ops.sum(g2, 0) if bias[0].requires_grad else None)


@_rule("MseLoss")
def _mse_loss(node: Tensor, g: Tensor) -> tuple:
    x, t = node._parents
    reduction = _ctx(node)
    dt = x._array.dtype
    gx = ops.mul(ops.mul(ops.sub(x, t), _const(np.asarray(2, dt))), g)
    if reduction == "mean":
        gx = ops.div(gx, _const(np.asarray(x._array.size, dt)))
    return (gx if x.requires_grad else None, ops.neg(gx) if t.requires_grad else None)


def _weighted(v: Tensor, weight: np.ndarray | None, count: Any) -> Tensor:
    """A loss's gradient `v` times its weight and, for 'mean' (`count` not None), over the count: 0 when that is 0
    (every target ignored), as the first-order rule (`reduce_pointwise`)."""
    if weight is not None:
        v = ops.mul(v, _const(weight))
    if count is None:
        return v
    return ops.mul(v, _scalar(0, v)) if count == 0 else ops.div(v, _scalar(count, v))


def _mean_count(node: Tensor, reduction: str) -> int | None:
    return node._parents[0]._array.size if reduction == "mean" else None


@_rule("CrossEntropyLoss")
def _cross_entropy(node: Tensor, g: Tensor) -> tuple:
    """log_softmax then the negative log-likelihood, as PyTorch's decomposition: the log-probabilities' gradient
    is -g * coef, coef the (constant) class weights of index targets or the (smoothed, weighted) probability
    targets, and the probability targets' gradient -g * (1 - smoothing) * weight * logp."""
    x, t = node._parents
    cdim, reduction, count, coefficients, smoothing, weight = _ctx(node)
    g = _weighted(g, None, count if reduction == "mean" else None)
    if reduction == "none":
        g = ops.unsqueeze(g, cdim)
    logp = more_ops.log_softmax(x, cdim)
    if coefficients is not None:
        return _log_softmax_grad(ops.neg(ops.mul(g, _const(np.moveaxis(coefficients(), -1, cdim)))), logp, cdim), None
    g = ops.neg(g)
    if weight is not None:
        g = ops.mul(g, _const(weight.reshape((-1,) + (1,) * (x._array.ndim - cdim - 1))))
    target = t
    if smoothing:
        target = ops.add(ops.mul(t, _scalar(1 - smoothing, t)), _scalar(smoothing / x._array.shape[cdim], t))
    gx = _log_softmax_grad(ops.mul(g, target), logp, cdim) if x.requires_grad else None
    gt = None
    if t.requires_grad:
        gt = ops.mul(g, logp)
        if smoothing:
            gt = ops.mul(gt, _scalar(1 - smoothing, t))
    return gx, gt


@_rule("BinaryCrossEntropyWithLogits")
def _bce_with_logits(node: Tensor, g: Tensor) -> tuple:
    """(sigmoid(x) - y) * g for the logits and -x * g for the target, weighted."""
    x, t = node._parents
    reduction, weight = _ctx(node)
    count = _mean_count(node, reduction)
    return (_weighted(ops.mul(ops.sub(ops.sigmoid(x), t), g), weight, count) if x.requires_grad else None,
            _weighted(ops.mul(ops.neg(x), g), weight, count) if t.requires_grad else None)


_BCE_EPS = 1e-12  # PyTorch's, for every dtype


@_rule("BinaryCrossEntropy")
def _bce(node: Tensor, g: Tensor) -> tuple:
    """The probabilities' gradient as one node (`_bce_input_grad`), the target's (log(1 - x) - log(x)) * g,
    both weighted."""
    x, t = node._parents
    reduction, weight = _ctx(node)
    count = _mean_count(node, reduction)
    gt = None
    if t.requires_grad:
        gt = _weighted(ops.mul(ops.sub(ops.log1p(ops.neg(x)), ops.log(x)), g), weight, count)
    return (_bce_input_grad(g, x, t, weight, count) if x.requires_grad else None), gt


def _bce_input_grad(g: Tensor, x: Tensor, y: Tensor, weight: np.ndarray | None, count: int | None) -> Tensor:
    """binary_cross_entropy's input gradient g * (x - y) / max(x (1 - x), 1e-12), weighted, as one node of (g, x, y)
    as in PyTorch, whose own gradients (`_bce_input_grad_parts`) are regularised differently."""
    a, b = x._array, y._array
    out = g._array * (a - b) / np.maximum((1 - a) * a, _BCE_EPS)
    if weight is not None:
        out = out * weight
    if count is not None:
        out = out / np.asarray(count, out.dtype)

    def backward(v: np.ndarray) -> tuple:
        with grad_mode.no_grad():
            return tuple(p._array for p in _bce_input_grad_parts(_const(v), g, x, y, weight, count))

    res = Tensor._make(np.asarray(out, a.dtype), (g, x, y), backward, "BinaryCrossEntropyBackward")
    res._ctx = (weight, count)
    return res


def _bce_input_grad_parts(v: Tensor, g: Tensor, x: Tensor, y: Tensor, weight: np.ndarray | None,
                          count: int | None) -> tuple[Tensor, Tensor, Tensor]:
    """The gradients in (g, x, y) of `_bce_input_grad`, `v` upstream, with PyTorch's double-backward regularisation:
    v (x - y) / ((x + e)(1 - x + e)); v g (x^2 - 2xy + y) / ((x + e)^2 (1 - x + e)^2); -v g / max(x (1 - x), e)
    (that max lifting the value only, the gradient being x (1 - x)'s)."""
    eps, one = _scalar(_BCE_EPS, x), _scalar(1, x)
    above, below = ops.add(x, eps), ops.add(ops.sub(one, x), eps)
    dg = _weighted(ops.mul(ops.div(ops.sub(x, y), ops.mul(above, below)), v), weight, count)
    vg = ops.mul(v, g)
    num = ops.add(ops.sub(ops.mul(x, x), ops.mul(ops.mul(x, y), _scalar(2, x))), y)
    dx = _weighted(ops.mul(ops.div(num, ops.mul(ops.pow(above, 2), ops.pow(below, 2))), vg), weight, count)
    spread = ops.mul(ops.sub(one, x), x)
    floored = ops.add(spread, _const(np.maximum(spread._array, _BCE_EPS) - spread._array))
    dy = _weighted(ops.div(ops.neg(vg), floored), weight, count)
    return dg, dx, dy


@_rule("BinaryCrossEntropyBackward")
def _bce_backward(node: Tensor, v: Tensor) -> tuple:
    g, x, y = node._parents
    return _bce_input_grad_parts(v, g, x, y, *_ctx(node))


# ----- convolutions, pooling, normalisation, dropout, embedding ---------------------------------


def linear_map(g: Tensor, apply: Callable[[np.ndarray], np.ndarray], adjoint: Callable[[np.ndarray], np.ndarray],
               source: Tensor | None = None) -> Tensor:
    """`apply(g)` for a fixed linear map (a pooling's or an embedding's gradient) as a node of g, differentiated
    through `adjoint`; with `source` also a node of it with a zero gradient (PyTorch's `self: zeros_like(self)` of
    max_pool2d_with_indices_backward and avg_pool2d_backward), so it requires grad when the input does."""
    parents = (g,) if source is None else (g, source)

    def backward(v: np.ndarray) -> tuple:
        return (adjoint(v),) if source is None else (adjoint(v), np.zeros_like(source._array))

    out = Tensor._make(np.asarray(apply(g._array)), parents, backward, "LinearMap")
    out._ctx = (apply, adjoint)
    return out


@_rule("LinearMap")
def _linear_map(node: Tensor, g: Tensor) -> tuple:
    apply, adjoint = _ctx(node)
    zero = None if len(node._parents) == 1 else _const(np.zeros_like(node._parents[1]._array))
    return linear_map(g, adjoint, apply), zero


def _one_node(grads: tuple, inputs: tuple) -> tuple:
    """The gradients of a node PyTorch computes as one multi-output backward node (convolution_backward,
    native_layer_norm_backward): each requires grad when one of that node's `inputs` (upstream gradient, input,
    weight) does. One computed from the others alone is tied to them (`Tied`) without a gradient through them."""
    linked = tuple(t for t in inputs if t is not None and t.requires_grad)
    if not linked:
        return grads
    return tuple(r if r is None or r.requires_grad else _tied(r, linked) for r in grads)


def _tied(t: Tensor, sources: tuple) -> Tensor:
    return Tensor._make(t._array, (t, *sources), lambda v: (v,) + (None,) * len(sources), "Tied")


@_rule("Tied")
def _tied_rule(node: Tensor, g: Tensor) -> tuple:
    return (g,)


def _first(backward: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """A one-input node's numpy rule as the linear map g -> its gradient."""
    return lambda v: backward(v)[0]


@_rule("Convolution")
def _convolution(node: Tensor, g: Tensor) -> tuple:
    """The convolution as unfold (im2col) and per-group matrix products, y_g = W_g U_g: the input's gradient is
    fold(W_g^T g_g), the weight's sum_n g_g U_g^T (transposed, U = unfold(g) and x_g, W_g swap places); the bias's
    sum(g). fold and unfold are each other's adjoints, so every gradient is again a graph of rules."""
    x, w, *bias = node._parents
    transposed, stride, padding, dilation, groups, output_padding = _ctx(node)
    a, n, kernel = x._array, x._array.shape[0], w._array.shape[2:]
    k = math.prod(kernel)
    gx = gw = None
    if transposed:
        pads = tuple(padding)
        length = math.prod(a.shape[2:])
        cout = node._array.shape[1]
        cols = conv.unfold(g, kernel, dilation, pads, stride)
        if cols._array.shape[-1] != length:  # output_padding >= stride: windows unfold cannot index
            raise _unsupported(node)
        cols = ops.reshape(cols, (n, groups, cout // groups * k, length))
        if x.requires_grad:
            gx = ops.reshape(ops.matmul(ops.reshape(w, (groups, a.shape[1] // groups, -1)), cols), a.shape)
        if w.requires_grad:
            xg = ops.reshape(x, (n, groups, a.shape[1] // groups, length))
            gw = ops.reshape(ops.sum(ops.matmul(xg, _mT(cols)), 0), w._array.shape)
    else:
        if any(lo != hi for lo, hi in padding):
            raise _unsupported(node)
        pads = tuple(lo for lo, _ in padding)
        length = math.prod(node._array.shape[2:])
        cout = w._array.shape[0]
        gg = ops.reshape(g, (n, groups, cout // groups, length))
        if x.requires_grad:
            cols = ops.matmul(_mT(ops.reshape(w, (groups, cout // groups, -1))), gg)
            gx = conv.fold(ops.reshape(cols, (n, a.shape[1] * k, length)), a.shape[2:], kernel, dilation, pads,
                           stride)
        if w.requires_grad:
            cols = ops.reshape(conv.unfold(x, kernel, dilation, pads, stride), (n, groups, -1, length))
            gw = ops.reshape(ops.sum(ops.matmul(gg, _mT(cols)), 0), w._array.shape)
    grads = (gx, gw) if not bias else (gx, gw, ops.sum(g, (0, *range(2, g._array.ndim))) if bias[0].requires_grad
                                       else None)
    return _one_node(grads, (g, x, w))


@_rule("Im2Col")
def _im2col(node: Tensor, g: Tensor) -> tuple:
    (x,), (kernel, dilation, padding, stride, batched) = node._parents, _ctx(node)
    spatial = x._array.shape[2:] if batched else x._array.shape[1:]
    return (conv.fold(g, spatial, kernel, dilation, padding, stride, batched),)


@_rule("Col2Im")
def _col2im(node: Tensor, g: Tensor) -> tuple:
    _, kernel, dilation, padding, stride, batched = _ctx(node)
    return (conv.unfold(g, kernel, dilation, padding, stride, batched),)


@_rule("MaxPool2DWithIndices", "AdaptiveMaxPool2D")
def _max_pool(node: Tensor, g: Tensor) -> tuple:
    """g routed to the argmax positions (a scatter with fixed indices) with a zero link to the input; its own
    gradient gathers at those indices."""
    (x,), index = node._parents, _ctx(node)
    lead = index.shape[:-2]

    def gather_at(v: np.ndarray) -> np.ndarray:
        return np.take_along_axis(v.reshape(*lead, -1), index.reshape(*lead, -1), -1).reshape(index.shape)

    return (linear_map(g, _first(node._backward), gather_at, x),)


@_rule("AvgPool2D")
def _avg_pool(node: Tensor, g: Tensor) -> tuple:
    """The window-sharing gradient (linear in g, a zero link to the input); its gradient is the pooling itself."""
    (x,), args = node._parents, _ctx(node)
    return (linear_map(g, _first(node._backward), lambda v: pooling.avg_pool2d(_const(v), *args)._array, x),)


@_rule("AdaptiveAvgPool2D")
def _adaptive_avg_pool(node: Tensor, g: Tensor) -> tuple:
    (x,), out = node._parents, _ctx(node)
    return (linear_map(g, _first(node._backward), lambda v: pooling.adaptive_avg_pool2d(_const(v), out)._array, x),)


@_rule("Dropout")
def _dropout(node: Tensor, g: Tensor) -> tuple:
    """g times the (scaled) mask, a constant: PyTorch's MulBackward0 of input * noise."""
    return (ops.mul(g, _const(_ctx(node))),)


@_rule("Embedding")
def _embedding(node: Tensor, g: Tensor) -> tuple:
    """The rows of g added into the weight's rows (scaled by frequency, the padding row zero): linear in g alone,
    as PyTorch's embedding_dense_backward; its gradient reads those rows back."""
    idx, padding_idx, by_freq = _ctx(node)
    counts = np.bincount(idx.reshape(-1), minlength=node._parents[0]._array.shape[0]) if by_freq else None

    def rows(v: np.ndarray) -> np.ndarray:
        out = v[idx]
        if padding_idx is not None:
            out = np.where((idx == padding_idx)[..., None], 0, out).astype(v.dtype)
        return out / counts[idx][..., None].astype(v.dtype) if by_freq else out

    return (linear_map(g, _first(node._backward), rows),)


def _normalized_grads(g: Tensor, x: Tensor, weight: Tensor | None, bias: Tensor | None, stat_axes: tuple[int, ...],
                      param_axes: tuple[int, ...], param_shape: tuple[int, ...], eps: float) -> tuple:
    """Layer and group norm's first-order rule written with Tensor ops, the statistics recomputed from x:
    xhat = (x - mean) invstd; dx = invstd (gy - mean(gy) - xhat mean(gy xhat)), gy = g weight; dweight =
    sum(g xhat), dbias = sum(g) over `param_axes`."""
    mean = ops.mean(x, stat_axes, keepdim=True)
    centred = ops.sub(x, mean)
    var = ops.mean(ops.mul(centred, centred), stat_axes, keepdim=True)
    invstd = ops.div(_scalar(1, x), ops.sqrt(ops.add(var, _scalar(eps, x))))
    xhat = ops.mul(centred, invstd)
    out = []
    if x.requires_grad:
        gy = g if weight is None else ops.mul(g, ops.reshape(weight, param_shape))
        gy = ops.sub(ops.sub(gy, ops.mean(gy, stat_axes, keepdim=True)),
                     ops.mul(xhat, ops.mean(ops.mul(gy, xhat), stat_axes, keepdim=True)))
        out.append(ops.mul(gy, invstd))
    else:
        out.append(None)
    for p, v in ((weight, lambda: ops.mul(g, xhat)), (bias, lambda: g)):
        if p is not None:
            out.append(ops.reshape(ops.sum(v(), param_axes), p._array.shape) if p.requires_grad else None)
    return tuple(out)


def _norm_params(node: Tensor, has_weight: bool, has_bias: bool) -> tuple:
    x, *rest = node._parents
    weight = rest.pop(0) if has_weight else None
    return x, weight, (rest[0] if has_bias else None)


@_rule("LayerNorm")
def _layer_norm(node: Tensor, g: Tensor) -> tuple:
    eps, k, has_weight, has_bias = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    nd = x._array.ndim
    shape = x._array.shape[nd - k:]
    grads = _normalized_grads(g, x, weight, bias, tuple(range(nd - k, nd)), tuple(range(nd - k)), shape, eps)
    return _one_node(grads, (g, x, weight))


@_rule("BatchNorm")
def _batch_norm(node: Tensor, g: Tensor) -> tuple:
    """Training (or without running statistics): layer norm's rule over the batch and spatial dims, the statistics
    recomputed from x. Eval: the running statistics are constants, dx = g weight invstd, dweight = sum(g xhat)."""
    eps, use_batch, has_weight, has_bias, mean, invstd = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    nd = x._array.ndim
    axes, shape = (0, *range(2, nd)), (1, x._array.shape[1]) + (1,) * (nd - 2)
    if use_batch:
        return _one_node(_normalized_grads(g, x, weight, bias, axes, axes, shape, eps), (g, x, weight))
    scale = _const(np.asarray(invstd, x._array.dtype))
    grads = [None if not x.requires_grad else
             ops.mul(g if weight is None else ops.mul(g, ops.reshape(weight, shape)), scale)]
    if weight is not None:
        xhat = ops.mul(ops.sub(x, _const(np.asarray(mean, x._array.dtype).reshape(shape))), scale)
        grads.append(ops.sum(ops.mul(g, xhat), axes) if weight.requires_grad else None)
    if bias is not None:
        grads.append(ops.sum(g, axes) if bias.requires_grad else None)
    return _one_node(tuple(grads), (g, x, weight))


@_rule("NativeGroupNorm")
def _group_norm(node: Tensor, g: Tensor) -> tuple:
    groups, eps, has_weight, has_bias = _ctx(node)
    x, weight, bias = _norm_params(node, has_weight, has_bias)
    shape = x._array.shape
    n, c = shape[:2]
    grouped = (n, groups, c // groups, -1)
    grads = _normalized_grads(ops.reshape(g, grouped), ops.reshape(x, grouped), weight, bias, (2, 3), (0, 3),
                              (1, groups, c // groups, 1), eps)
    return (None if grads[0] is None else ops.reshape(grads[0], shape), *grads[1:])  # composite in PyTorch: not tied


# ----- linear algebra --------------------------------------------------------------------------


def _matrix(v: Tensor) -> Tensor:
    """A batch of scalars as (..., 1, 1) matrices."""
    return ops.reshape(v, v._array.shape + (1, 1))


@_rule("LinalgSolveEx")
def _solve(node: Tensor, g: Tensor) -> tuple:
    """AX = B: gB = A^{-T} g and gA = -gB X^T (XA = B: gB = g A^{-T}, gA = -X^T gB), X the result."""
    a, b = node._parents
    left, vector = _ctx(node)
    x = ops.unsqueeze(node, -1) if vector else node
    gm = ops.unsqueeze(g, -1) if vector else g
    gb = linalg_solve.solve(_mT(a), gm) if left else _mT(linalg_solve.solve(a, _mT(gm)))
    ga = ops.neg(ops.matmul(gb, _mT(x)) if left else ops.matmul(_mT(x), gb)) if a.requires_grad else None
    return ga, ((ops.squeeze(gb, -1) if vector else gb) if b.requires_grad else None)


@_rule("LinalgInvEx")
def _inv(node: Tensor, g: Tensor) -> tuple:
    """-A^{-T} g A^{-T}, A^{-1} the result."""
    inverse_t = _mT(node)
    return (ops.neg(ops.matmul(ops.matmul(inverse_t, g), inverse_t)),)


@_rule("LinalgDet")
def _det(node: Tensor, g: Tensor) -> tuple:
    """g det(A) A^{-T} (singular matrices, whose first-order rule PyTorch takes from the SVD, are refused)."""
    (a,) = node._parents
    if np.any(node._array == 0):
        raise _unsupported(node)
    return (ops.mul(_matrix(ops.mul(g, node)), _mT(linalg_solve.inv(a))),)


@_rule("LinalgSlogdet")
def _slogdet(node: Tensor, g: Tensor) -> tuple:
    """g A^{-T} for logabsdet; the sign (recorded without `_ctx`) has no gradient."""
    if getattr(node, "_ctx", None) is None:
        return (None,)
    return (ops.mul(_matrix(g), _mT(linalg_solve.inv(node._parents[0]))),)


@_rule("LinalgCholeskyEx", "Cholesky")
def _cholesky(node: Tensor, g: Tensor) -> tuple:
    """PyTorch's cholesky_backward: sym(L^{-T} Phi(L^T g) L^{-1}), Phi the lower triangle with its diagonal halved,
    L the lower factor (the result, or its transpose when `upper`)."""
    upper = _ctx(node)
    low = _mT(node) if upper else node
    gl = _mT(g) if upper else g
    n = node._array.shape[-1]
    phi = ops.mul(ops.matmul(_mT(low), gl), _const((np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(g._array.dtype)))
    inverse = linalg_solve.inv(low)
    ga = ops.matmul(ops.matmul(_mT(inverse), phi), inverse)
    return (ops.mul(ops.add(ga, _mT(ga)), _scalar(0.5, ga)),)


# ----- the walk --------------------------------------------------------------------------------


def sum_to(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """g summed over its broadcast dimensions down to `shape` (a graph node, unlike `unbroadcast`)."""
    if g._array.shape == shape:
        return g
    lead = g._array.ndim - len(shape)
    if lead > 0:
        g = ops.sum(g, tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g._array.shape[i] != 1)
    if axes:
        g = ops.sum(g, axes, keepdim=True)
    return g


def _through_hooks(t: Tensor, g: Tensor) -> Tensor:
    for hook in list(HOOKS[id(t)].pre.values()):
        result = hook(g)
        if result is not None:
            g = result
    return g


_WARNED = [False]
_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient "
    "which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you "
    "have to use this function, make sure to reset the .grad fields of your parameters to None after use to break "
    "the cycle and avoid the leak.")


def run_graph_backward(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None = None,
                       capture: bool = False) -> None:
    """`_run_backward` with Tensor gradients recorded as graphs: every node in reverse creation order.

    `backward` (not `autograd.grad`, which `capture`s) warns once per process, as PyTorch does, that a `.grad`
    holding a graph of its own parameter is a reference cycle.
    """
    if not capture and not _WARNED[0]:
        _WARNED[0] = True
        warnings.warn(_CYCLE_WARNING, UserWarning, stacklevel=3)
    with grad_mode.enable_grad():
        _walk(root, seed, retain_graph, only, capture)


def _walk(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None, capture: bool) -> None:
    hooked = HOOKS
    leaves: dict[int, tuple[Tensor, Tensor]] = {}  # each leaf's summed gradient: hooks see it once, at the end
    if root._backward is None:
        _to_leaf(leaves, root, seed, only)
    else:
        _nodes(root, seed, retain_graph, only, leaves)
    for leaf, g in leaves.values():
        if hooked and id(leaf) in hooked:
            g = _through_hooks(leaf, g)
        leaf.grad = g if leaf.grad is None else ops.add(leaf.grad, g)
        if hooked and id(leaf) in hooked and not capture:
            for hook in list(hooked[id(leaf)].post.values()):
                hook(leaf)


def _nodes(root: Tensor, seed: Tensor, retain_graph: bool, only: set[int] | None,
           leaves: dict[int, tuple[Tensor, Tensor]]) -> None:
    """Run every node the root depends on, newest first (a reverse topological order), collecting leaf gradients."""
    hooked = HOOKS
    nodes, stack, seen = [], [root], {id(root)}
    while stack:
        node = stack.pop()
        nodes.append(node)
        for p in node._parents:
            if p._backward is not None and p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    nodes.sort(key=lambda n: -n._seq)
    grads: dict[int, Tensor] = {id(root): seed}
    mutated = _last_inplace[0]
    for node in nodes:
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._backward is _freed_backward:
            node._backward(g._array)  # PyTorch's error for a second backward through a freed graph
        if node._seq < mutated:
            _check_saved(node)
        if hooked and id(node) in hooked:
            g = _through_hooks(node, g)
        if _RETAINING and id(node) in _RETAINING:
            node.grad = g if node.grad is None else ops.add(node.grad, g)
        rule = _RULES.get(node._op)
        if rule is None:
            raise _unsupported(node)
        results = rule(node, g)
        parents = node._parents
        if not retain_graph:
            node._backward = _freed_backward
            node._parents = ()
        for parent, pg in zip(parents, results):
            if pg is None or not parent.requires_grad:
                continue
            data = parent._array
            pg = sum_to(pg, data.shape)
            if pg._array.dtype != data.dtype:
                pg = ops.cast(pg, data.dtype)
            if parent._backward is None:
                _to_leaf(leaves, parent, pg, only)
            else:
                key = id(parent)
                grads[key] = pg if key not in grads else ops.add(grads[key], pg)


def _to_leaf(leaves: dict[int, tuple[Tensor, Tensor]], leaf: Tensor, g: Tensor, only: set[int] | None) -> None:
    if only is not None and id(leaf) not in only:
        return
    key = id(leaf)
    leaves[key] = (leaf, g if key not in leaves else ops.add(leaves[key][1], g))
