"""`autograd.functional` (jacobian, hessian, vjp, jvp, vhp, hvp) as value cases (see value_cases.py), compared with
PyTorch: values, the tuple structure of the results, whether they require grad, and the errors raised."""

from __future__ import annotations

import numpy as np

from .value_cases import ValueCase

V = ValueCase
X = [0.3, -1.2, 2.0]
Y = [1.5, 0.5]
_rng = np.random.default_rng(7)
W = _rng.standard_normal((2, 3)).round(3).tolist()


def _fn(m, name):
    return getattr(m.autograd.functional, name)


def _rosenbrock(m, p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def _newton(m, p):
    """Five Newton steps on Rosenbrock's function: p -= H^-1 g (2x2 solve written out)."""
    F = m.autograd.functional
    path = []
    for _ in range(5):
        g = F.jacobian(lambda q: _rosenbrock(m, q), p)
        h = F.hessian(lambda q: _rosenbrock(m, q), p)
        det = h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0]
        step = m.stack([h[1, 1] * g[0] - h[0, 1] * g[1], -h[1, 0] * g[0] + h[0, 0] * g[1]]) / det
        p = p - step
        path.append(p)
    return path


def _requires(result):
    """The values, and whether each requires grad (create_graph keeps the graph)."""
    if isinstance(result, tuple):
        return [_requires(r) for r in result]
    return [result.detach(), result.requires_grad]


CASES: dict[str, ValueCase] = {
    "jacobian": V(lambda m, x: _fn(m, "jacobian")(lambda a: m.sin(a) * a.sum(), x), (X,)),
    "jacobian_tuple_inputs": V(lambda m, x, y: _fn(m, "jacobian")(lambda a, b: (a[:2] * b).exp(), (x, y)), (X, Y)),
    "jacobian_tuple_outputs": V(lambda m, x, y: _fn(m, "jacobian")(lambda a, b: (a * 2, b**3, a.sum() * b), (x, y)),
                                (X, Y)),
    "jacobian_one_tuple_output": V(lambda m, x: _fn(m, "jacobian")(lambda a: (m.tanh(a),), x), (X,)),
    "jacobian_matrix_input": V(lambda m, w, x: _fn(m, "jacobian")(lambda a: m.tanh(a @ x), w), (W, X)),
    "jacobian_create_graph": V(lambda m, x: _requires(_fn(m, "jacobian")(lambda a: a**3, x, create_graph=True)),
                               (X,)),
    "jacobian_vectorize": V(lambda m, x: _fn(m, "jacobian")(lambda a: a**2 * a[0], x, vectorize=True), (X,)),
    "jacobian_forward_mode_vectorized": V(lambda m, x: _fn(m, "jacobian")(lambda a: m.sin(a), x, vectorize=True,
                                                                           strategy="forward-mode"), (X,)),
    "jacobian_forward_mode_needs_vectorize": V(lambda m, x: _fn(m, "jacobian")(lambda a: a, x,
                                                                               strategy="forward-mode"), (X,)),
    "jacobian_bad_strategy": V(lambda m, x: _fn(m, "jacobian")(lambda a: a, x, strategy="sideways"), (X,)),
    "jacobian_independent_input": V(lambda m, x, y: _fn(m, "jacobian")(lambda a, b: a * 2, (x, y)), (X, Y)),
    "jacobian_independent_input_strict": V(lambda m, x, y: _fn(m, "jacobian")(lambda a, b: a * 2, (x, y),
                                                                              strict=True), (X, Y)),
    "jacobian_constant_output": V(lambda m, x: _fn(m, "jacobian")(lambda a: m.ones(2), x), (X,)),
    "jacobian_constant_output_strict": V(lambda m, x: _fn(m, "jacobian")(lambda a: m.ones(2), x, strict=True), (X,)),
    "jacobian_not_a_tensor": V(lambda m, x: _fn(m, "jacobian")(lambda a: a, [x]), (X,)),
    "hessian": V(lambda m, x: _fn(m, "hessian")(lambda a: (a**3).sum() * m.sin(a[0]), x), (X,)),
    "hessian_tuple": V(lambda m, x, y: _fn(m, "hessian")(lambda a, b: (a[:2] ** 2 * b).sum() + (b**3).sum(), (x, y)),
                       (X, Y)),
    "hessian_create_graph": V(lambda m, x: _requires(_fn(m, "hessian")(lambda a: (a**4).sum(), x, create_graph=True)),
                              (X,)),
    "hessian_vector_output": V(lambda m, x: _fn(m, "hessian")(lambda a: a**2, x), (X,)),
    "hessian_tuple_output": V(lambda m, x: _fn(m, "hessian")(lambda a: ((a**2).sum(),), x), (X,)),
    "hessian_linear_strict": V(lambda m, x: _fn(m, "hessian")(lambda a: (a * 2).sum(), x, strict=True), (X,)),
    "hessian_linear": V(lambda m, x: _fn(m, "hessian")(lambda a: (a * 2).sum(), x), (X,)),
    "vjp": V(lambda m, x, v: _fn(m, "vjp")(lambda a: m.exp(a[:2]) * a[2], x, v), (X, Y)),
    "vjp_scalar_no_v": V(lambda m, x: _fn(m, "vjp")(lambda a: (a**2).sum(), x), (X,)),
    "vjp_vector_no_v": V(lambda m, x: _fn(m, "vjp")(lambda a: a**2, x), (X,)),
    "vjp_bad_v": V(lambda m, x, v: _fn(m, "vjp")(lambda a: a**2, x, v), (X, Y)),
    "vjp_tuples": V(lambda m, x, y, v: _fn(m, "vjp")(lambda a, b: (a * a[0], b.sum() * a), (x, y), (v, v)),
                    (X, Y, X)),
    "jvp": V(lambda m, x, v: _fn(m, "jvp")(lambda a: m.tanh(a) * a.sum(), x, v), (X, X)),
    "jvp_tuples": V(lambda m, x, y, v, u: _fn(m, "jvp")(lambda a, b: (a[:2] * b, (b**2).sum()), (x, y), (v, u)),
                    (X, Y, X, Y)),
    "jvp_create_graph": V(lambda m, x, v: _requires(_fn(m, "jvp")(lambda a: a**3, x, v, create_graph=True)), (X, X)),
    "vhp": V(lambda m, x, v: _fn(m, "vhp")(lambda a: (m.sin(a) * a**2).sum(), x, v), (X, X)),
    "hvp": V(lambda m, x, v: _fn(m, "hvp")(lambda a: (m.sin(a) * a**2).sum(), x, v), (X, X)),
    "hvp_tuples": V(lambda m, x, y, v, u: _fn(m, "hvp")(lambda a, b: (a[:2] * b**2).sum(), (x, y), (v, u)),
                    (X, Y, X, Y)),
    "hvp_bad_v_length": V(lambda m, x, y, v: _fn(m, "hvp")(lambda a, b: (a[:2] * b).sum(), (x, y), (v,)), (X, Y, X)),
    "hvp_vector_output": V(lambda m, x, v: _fn(m, "hvp")(lambda a: a**2, x, v), (X, X)),
    "vhp_linear_strict": V(lambda m, x, v: _fn(m, "vhp")(lambda a: (a * 3).sum(), x, v, strict=True), (X, X)),
    "newton_rosenbrock": V(_newton, ([-1.2, 1.0],)),
}
