"""Higher-order gradients (`create_graph=True`) as value cases (see value_cases.py), compared with PyTorch.

Each case differentiates a gradient again: second and third derivatives of every op with a double-backward
rule (`trainer.autograd.higher_order`), Hessian-vector products, a gradient penalty, a physics-informed
residual and a MAML inner step, with `autograd.grad` and `backward(create_graph=True)`.
"""

from __future__ import annotations

import warnings

import numpy as np

from .value_cases import ValueCase

V = ValueCase
_rng = np.random.default_rng(19)
X = [0.3, -1.2, 2.0, 0.7, -0.4]
POS = [0.3, 1.2, 2.0, 0.7, 0.4]
M23 = _rng.standard_normal((2, 3)).round(3).tolist()
M34 = _rng.standard_normal((3, 4)).round(3).tolist()
M43 = _rng.standard_normal((4, 3)).round(3).tolist()
B234 = _rng.standard_normal((2, 3, 4)).round(3).tolist()
B243 = _rng.standard_normal((2, 4, 3)).round(3).tolist()


def _derivatives(f, order: int = 3):
    """The 1st..`order`-th derivatives of sum(f(x)) at x (each the gradient of the previous one's sum)."""
    def case(m, x):
        x.requires_grad_()
        out, y = [], f(m, x).sum()
        for _ in range(order):
            (y,) = m.autograd.grad(y, x, create_graph=True)
            out.append(y.detach().clone())
            y = y.sum()
        return out
    return case


def _mixed(f):
    """d/db of <d f(a, b)/da, v> and d/da of <d f(a, b)/db, w>: the cross terms of a binary op."""
    def case(m, a, b, v, w):
        a.requires_grad_()
        b.requires_grad_()
        ga, gb = m.autograd.grad(f(m, a, b).sum(), (a, b), create_graph=True)
        (dab,) = m.autograd.grad((ga * v).sum(), b, retain_graph=True)
        (dba,) = m.autograd.grad((gb * w).sum(), a, retain_graph=True)
        (daa,) = m.autograd.grad((ga * v).sum(), a, allow_unused=True)
        return ga.detach(), gb.detach(), dab, dba, daa
    return case


def _hvp(f):
    """The Hessian of f at x applied to v, and the gradient of that product's sum (a third derivative)."""
    def case(m, x, v):
        x.requires_grad_()
        (g,) = m.autograd.grad(f(m, x), x, create_graph=True)
        (hv,) = m.autograd.grad((g * v).sum(), x, create_graph=True)
        (third,) = m.autograd.grad(hv.sum(), x)
        return hv.detach(), third
    return case


def _unary(name: str, f, inputs=X) -> dict[str, ValueCase]:
    return {f"{name}": V(_derivatives(f), (inputs,))}


CASES: dict[str, ValueCase] = {
    **_unary("pow3", lambda m, x: x**3),
    **_unary("pow2", lambda m, x: x**2),
    **_unary("pow2_5", lambda m, x: x**2.5, POS),
    **_unary("pow_neg1", lambda m, x: x**-1, POS),
    **_unary("pow0", lambda m, x: x**0 * x),
    **_unary("exp", lambda m, x: m.exp(x)),
    **_unary("log", lambda m, x: m.log(x), POS),
    **_unary("log1p", lambda m, x: m.log1p(x), POS),
    **_unary("sqrt", lambda m, x: m.sqrt(x), POS),
    **_unary("sin", lambda m, x: m.sin(x)),
    **_unary("cos", lambda m, x: m.cos(x)),
    **_unary("tanh", lambda m, x: m.tanh(x)),
    **_unary("sigmoid", lambda m, x: m.sigmoid(x)),
    **_unary("abs_times_x", lambda m, x: m.abs(x) * x),
    **_unary("relu_times_x", lambda m, x: m.relu(x) * x),
    **_unary("relu_method_cubed", lambda m, x: x.relu() ** 3),
    **_unary("leaky_relu_cubed", lambda m, x: m.nn.functional.leaky_relu(x, 0.1) ** 3),
    **_unary("softplus", lambda m, x: m.nn.functional.softplus(x, beta=2.0, threshold=1.5)),
    **_unary("neg_exp", lambda m, x: -m.exp(x)),
    **_unary("div_by_const", lambda m, x: x / 3.0 + 1.0 / (x * x + 1.0)),
    **_unary("sub_alpha", lambda m, x: m.sub(x * x, m.exp(x), alpha=0.5)),
    **_unary("add_alpha", lambda m, x: m.add(x, x**3, alpha=2.0)),
    **_unary("where", lambda m, x: m.where(x > 0, x**3, m.sin(x))),
    **_unary("clone_and_cast", lambda m, x: x.clone().float().double() ** 3),
    **_unary("mean_of_cubes", lambda m, x: (x**3).mean() * x),
    "mul": V(_mixed(lambda m, a, b: a * b * a), (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "div": V(_mixed(lambda m, a, b: a / b), (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "sub_add": V(_mixed(lambda m, a, b: (a - b) ** 2 + (a + b) ** 3),
                 (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "broadcast_mul": V(_mixed(lambda m, a, b: m.tanh(a * b)), (M23, [[0.5], [-1.5]], M23, [[1.0], [2.0]])),
    "mm": V(_mixed(lambda m, a, b: m.tanh(a @ b)), (M23, M34, [[1.0, -1.0, 0.5]] * 2, [[0.5] * 4] * 3)),
    "matmul_batched": V(_mixed(lambda m, a, b: m.sin(m.matmul(a, b))),
                        (B234, B243, np.ones((2, 3, 4)).tolist(), np.full((2, 4, 3), 0.5).tolist())),
    "mv": V(_mixed(lambda m, a, b: m.exp(m.mv(a, b) / 4)), (M34, [0.1, -0.2, 0.3, 0.4], np.ones((3, 4)).tolist(),
                                                        [1.0, 0.5, -0.5, 2.0])),
    "dot": V(_mixed(lambda m, a, b: m.dot(a, b) ** 2), (X, POS, [1.0] * 5, [0.5] * 5)),
    "vecmat": V(_mixed(lambda m, a, b: m.tanh(a @ b)),
                ([0.1, -0.2, 0.3], M34, [1.0, 2.0, 3.0], np.ones((3, 4)).tolist())),
    "linear": V(_mixed(lambda m, a, b: m.tanh(m.nn.functional.linear(a, b, b[:, 0] * 0.5))),
                (M43, M23, np.ones((4, 3)).tolist(), np.ones((2, 3)).tolist())),
    "linear_3d": V(_mixed(lambda m, a, b: m.sigmoid(m.nn.functional.linear(a, b))),
                   (B243, M23, np.ones((2, 4, 3)).tolist(), np.ones((2, 3)).tolist())),
    "sum_dims": V(_hvp(lambda m, x: (x.sum(1) ** 3).sum() + (x.sum(0, keepdim=True) ** 2 * x).sum()), (M23, M23)),
    "mean_dims": V(_hvp(lambda m, x: (x.mean(dim=(0, 1)) * x**2).sum() + (x.mean(1, keepdim=True) ** 3).sum()),
                   (B234, B234)),
    "norm2": V(_hvp(lambda m, x: ((x.norm(2, dim=1) - 1) ** 2).mean()), (M34, M34)),
    "norm1": V(_hvp(lambda m, x: (m.linalg.vector_norm(x * x, 1, dim=0) ** 2).sum()), (M34, M34)),
    "reshape_transpose": V(_hvp(lambda m, x: (m.tanh(x.reshape(3, 2)).t() ** 3).sum() + (x.T @ x).sum() ** 2),
                           (M23, M23)),
    "permute_unsqueeze": V(_hvp(lambda m, x: (x.permute(2, 0, 1).unsqueeze(1) ** 3 * m.sin(x).mean()).sum()),
                           (B234, B234)),
    "slices": V(_hvp(lambda m, x: (x[:, 0:2] ** 3).sum() * x[1].sum() + (x[None, 1:, ::2] ** 2).sum() * x[0, 2]),
                (M34, M34)),
    "expand_cat": V(_hvp(lambda m, x: (m.cat([x, x[:, :1].expand(3, 2) ** 2], dim=1) ** 3).sum()), (M34, M34)),
    "advanced_index": V(_hvp(lambda m, x: (x[[0, 2, 0]] ** 3).sum() + (x[m.tensor([1, 1])] * x[0]).sum()), (M34, M34)),
    "alias_and_ellipsis": V(_hvp(lambda m, x: (x[:] ** 3).sum() + (x[..., 1] ** 2 * x[..., None, 0]).sum()),
                            (M34, M34)),
    "squeeze": V(_hvp(lambda m, x: (x[:, :1].squeeze(1) ** 3).sum() + (x[:1].squeeze() ** 4).sum()), (M34, M34)),
}


def _pinn(m, x, w1, b1, w2, b2):
    """u(x) = W2 tanh(W1 x + b1) + b2; the residual u'' + u of a harmonic oscillator, and its weights' gradients."""
    F = m.nn.functional
    params = [w1, b1, w2, b2]
    for p in (x, *params):
        p.requires_grad_()
    u = F.linear(m.tanh(F.linear(x, w1, b1)), w2, b2)
    (u_x,) = m.autograd.grad(u, x, m.ones_like(u), create_graph=True)
    (u_xx,) = m.autograd.grad(u_x, x, m.ones_like(u_x), create_graph=True)
    loss = F.mse_loss(u_xx + u, m.zeros_like(u))
    loss.backward()
    return [loss.detach(), u_x.detach(), u_xx.detach()] + [p.grad for p in params]


def _gradient_penalty(m, real, fake, eps, w1, b1, w2, b2):
    """WGAN-GP: the critic's gradient at interpolates, ((|g| - 1)^2).mean(), backward into the critic."""
    F = m.nn.functional
    params = [w1, b1, w2, b2]
    for p in params:
        p.requires_grad_()
    mix = (eps * real + (1 - eps) * fake).requires_grad_()
    score = F.linear(F.leaky_relu(F.linear(mix, w1, b1), 0.2), w2, b2)
    (g,) = m.autograd.grad(score, mix, grad_outputs=m.ones_like(score), create_graph=True, retain_graph=True)
    gp = ((g.norm(2, dim=1) - 1) ** 2).mean() * 10
    gp.backward()
    return [gp.detach(), g.detach()] + [p.grad for p in params]


def _maml(m, x, y, w, b):
    """One inner SGD step taken with create_graph, the outer loss of the adapted weights, back to the originals."""
    F = m.nn.functional
    w.requires_grad_()
    b.requires_grad_()
    inner = F.mse_loss(F.linear(m.relu(x), w, b), y)
    gw, gb = m.autograd.grad(inner, (w, b), create_graph=True)
    w2, b2 = w - 0.1 * gw, b - 0.1 * gb
    outer = F.mse_loss(F.linear(m.sigmoid(x), w2, b2), y, reduction="sum")
    outer.backward()
    return [outer.detach(), w.grad, b.grad]


def _backward_create_graph(m, x, w):
    """`backward(create_graph=True)` leaves graph-connected `.grad`s; a second backward accumulates into them."""
    x.requires_grad_()
    w.requires_grad_()
    loss = (m.tanh(x @ w) ** 2).sum()
    with warnings.catch_warnings():  # the reference-cycle warning (test_higher_order.py checks it)
        warnings.simplefilter("ignore")
        loss.backward(create_graph=True)
    first = [x.grad.detach().clone(), w.grad.detach().clone(), x.grad.requires_grad]
    (x.grad**2).sum().backward()
    return first + [x.grad, w.grad]


def _hooked(m, x):
    """A tensor hook sees (and rescales) the gradient that create_graph records."""
    x.requires_grad_()
    h = m.sin(x) * 2
    h.register_hook(lambda g: g * 3)
    (g,) = m.autograd.grad(h.sum() ** 2, x, create_graph=True)
    (g2,) = m.autograd.grad(g.sum(), x)
    return g.detach(), g2


def _grad_outputs_require_grad(m, x, v):
    """The double-backward trick: a grad_outputs tensor that requires grad, differentiated through."""
    x.requires_grad_()
    v.requires_grad_()
    y = m.tanh(x) * x
    (g,) = m.autograd.grad(y, x, grad_outputs=v, create_graph=True)
    (gv,) = m.autograd.grad(g.sum(), v)
    return g.detach(), gv


def _several_outputs(m, x):
    x.requires_grad_()
    a, b = m.sin(x), x**3
    (g,) = m.autograd.grad([a, b], [x], [m.ones_like(a), m.full_like(b, 2.0)], create_graph=True)
    (h,) = m.autograd.grad(g.sum(), x)
    return g.detach(), h


def _mse_reductions(m, x, t):
    x.requires_grad_()
    F = m.nn.functional
    out = []
    for reduction in ("mean", "sum", "none"):
        loss = F.mse_loss(m.sin(x), t, reduction=reduction).sum()
        (g,) = m.autograd.grad(loss, x, create_graph=True)
        (h,) = m.autograd.grad((g * g).sum(), x)
        out += [g.detach(), h]
    return out


CASES.update({
    "pinn_oscillator": V(_pinn, ([[0.1], [0.5], [-0.7], [1.3]], _rng.standard_normal((6, 1)).round(3).tolist(),
                                 _rng.standard_normal(6).round(3).tolist(),
                                 _rng.standard_normal((1, 6)).round(3).tolist(), [0.2])),
    "gradient_penalty": V(_gradient_penalty, (M34, _rng.standard_normal((3, 4)).round(3).tolist(),
                                              [[0.3], [0.8], [0.5]],
                                              _rng.standard_normal((5, 4)).round(3).tolist(),
                                              _rng.standard_normal(5).round(3).tolist(),
                                              _rng.standard_normal((1, 5)).round(3).tolist(), [0.0])),
    "maml_inner_step": V(_maml, (M34, [[0.5, -1.0], [1.0, 0.0], [0.2, 0.3]],
                                 _rng.standard_normal((2, 4)).round(3).tolist(), [0.1, -0.1])),
    "backward_create_graph": V(_backward_create_graph, (M23, M34)),
    "hook_under_create_graph": V(_hooked, (X,)),
    "grad_outputs_require_grad": V(_grad_outputs_require_grad, (X, [1.0, -2.0, 0.5, 3.0, 1.5])),
    "several_outputs": V(_several_outputs, (X,)),
    "mse_reductions": V(_mse_reductions, (X, [0.0, 1.0, -1.0, 0.5, 2.0])),
})


# ----- softmax, logsumexp, losses and activations ------------------------------------------------------------

X0 = [0.0, -1.2, 2.0, 0.7, -0.4, -3.0]  # 0 and values on both sides of the cut-offs below
X1 = [0.3, -1.2, 1.7, 0.7, -0.4, -2.6]  # not 2, where GELU's third derivative is 0
V34 = _rng.standard_normal((3, 4)).round(3).tolist()
B2_3_2 = _rng.standard_normal((2, 3, 2)).round(3).tolist()


def _hvp_squared(loss):
    """The gradient of loss(m, x, *rest) in x, its Hessian applied to v and the gradient of |Hv|^2 (third
    derivatives, without the zero sums a shift-invariant loss's gradients have)."""
    def case(m, x, v, *rest):
        x.requires_grad_()
        (g,) = m.autograd.grad(loss(m, x, *rest), x, create_graph=True)
        (hv,) = m.autograd.grad((g * v).sum(), x, create_graph=True)
        (third,) = m.autograd.grad((hv * hv).sum(), x)
        return g.detach(), hv.detach(), third
    return case


def _links(f):
    """The first and second derivatives of sum(f(x)) and whether each requires grad: which gradients PyTorch keeps
    linked to x (hardtanh's, with a zero gradient) and which not (clamp's)."""
    def case(m, x):
        x.requires_grad_()
        (g,) = m.autograd.grad(f(m, x).sum(), x, create_graph=True)
        if not g.requires_grad:
            return [g, False]
        (h,) = m.autograd.grad(g.sum(), x, create_graph=True, allow_unused=True)
        return [g.detach(), True, h, None if h is None else h.requires_grad]
    return case


def _cross_entropy(**options):
    """cross_entropy(x, t, **options), a weight given as a list."""
    def loss(m, x, t):
        opts = dict(options)
        if "weight" in opts:
            opts["weight"] = m.tensor(opts["weight"], dtype=x.dtype)
        out = m.nn.functional.cross_entropy(x, t, **opts)
        return out if out.ndim == 0 else (out * m.arange(1, out.numel() + 1, dtype=x.dtype).reshape(out.shape)).sum()
    return loss


def _soft_targets(m, x, t, v, w):
    """Probability targets that require grad: the mixed derivatives of cross_entropy (smoothed, weighted)."""
    F = m.nn.functional
    x.requires_grad_()
    t.requires_grad_()
    out = []
    for kw in ({}, {"label_smoothing": 0.2, "weight": m.tensor([0.5, 2.0, 1.0, 1.5], dtype=x.dtype)}):
        for reduction in ("mean", "sum", "none"):
            loss = F.cross_entropy(x, t, reduction=reduction, **kw)
            gx, gt = m.autograd.grad((loss * loss).sum(), (x, t), create_graph=True)
            (dxt,) = m.autograd.grad((gx * v).sum(), t, retain_graph=True)
            dtx, dtt = m.autograd.grad((gt * w).sum(), (x, t), retain_graph=True)
            (dxx,) = m.autograd.grad(((gx * v).sum() ** 2), x)
            out += [gx.detach(), gt.detach(), dxt, dtx, dtt, dxx]
    return out


_IDX = ([2, 0, 3], "int64")


def _ce_case(target=_IDX, x=M34, **options) -> ValueCase:
    t, dtype = target
    return V(_hvp_squared(_cross_entropy(**options)), (x, np.cos(np.asarray(x) * 3).round(3).tolist(), t),
             ("float64", "float64", dtype))


def _binary_loss(name: str):
    """The mixed derivatives of nn.functional.<name>(x, t, weight), plain and weighted, for each reduction, and a
    third derivative in x."""
    def case(m, x, t, v, w):
        loss_fn = getattr(m.nn.functional, name)
        x.requires_grad_()
        t.requires_grad_()
        out = []
        for weight in (None, m.tensor([0.5, 2.0, 1.0, 1.5], dtype=x.dtype)):
            for reduction in ("mean", "sum", "none"):
                loss = loss_fn(x, t, weight, reduction=reduction)
                gx, gt = m.autograd.grad((loss**2).sum(), (x, t), create_graph=True)
                (dxt,) = m.autograd.grad((gx * v).sum(), t, retain_graph=True)
                dtx, dtt = m.autograd.grad((gt * w).sum(), (x, t), retain_graph=True)
                (hv,) = m.autograd.grad((gx * v).sum(), x, create_graph=True)
                (third,) = m.autograd.grad((hv * hv).sum(), x)
                out += [gx.detach(), gt.detach(), dxt, dtx, dtt, hv.detach(), third]
        return out
    return case


def _gan_step(m, z, real, w_g, w_d):
    """A non-saturating GAN step with an R1 penalty: BCE on the critic's probabilities of real and generated
    samples, the penalty the squared gradient of the real loss in the real samples, backward into both nets."""
    F = m.nn.functional
    for p in (w_g, w_d):
        p.requires_grad_()
    real = real.requires_grad_()
    fake = m.tanh(z @ w_g)

    def critic(x):
        return m.sigmoid(F.silu(x @ w_d)).squeeze(1)

    d_real = critic(real)
    loss_real = F.binary_cross_entropy(d_real, m.ones_like(d_real))
    (g_real,) = m.autograd.grad(loss_real, real, create_graph=True)
    d_fake = critic(fake)
    loss_d = loss_real + F.binary_cross_entropy(d_fake, m.zeros_like(d_fake)) + 5 * (g_real**2).sum()
    loss_d.backward()
    return [loss_d.detach(), g_real.detach(), w_g.grad, w_d.grad]


def _elu_in_place(m, x):
    """elu_ on an intermediate reads its result (PyTorch's EluBackward1), for the second derivative too."""
    x.requires_grad_()
    y = m.nn.functional.elu(x * 1.5, alpha=0.8, inplace=True)
    (g,) = m.autograd.grad((y**3).sum(), x, create_graph=True)
    (h,) = m.autograd.grad((g * g).sum(), x)
    return g.detach(), h


_PROBS = (np.abs(np.asarray(M34)) / np.abs(np.asarray(M34)).sum(1, keepdims=True)).round(3).tolist()

MORE_CASES: dict[str, ValueCase] = {
    **_unary("log_softmax_times_sin", lambda m, x: m.log_softmax(x, 0) * m.sin(x)),
    "softmax_times_x": V(_hvp_squared(lambda m, x: (m.softmax(x, -1) * x).sum()), (X, [1.0, 2.0, -1.0, 0.5, 3.0])),
    "softmax_method_cubed": V(_hvp_squared(lambda m, x: (x.softmax(0) ** 3).sum()), (X, [1.0, 2.0, -1.0, 0.5, 3.0])),
    "log_softmax_rows": V(_hvp_squared(lambda m, x: (m.nn.functional.log_softmax(x, dim=1) ** 2).sum()), (M34, V34)),
    "softmax_dim0_3d": V(_hvp(lambda m, x: (m.nn.functional.softmax(x, dim=0) * m.cos(x)).sum()), (B234, B234)),
    **_unary("logsumexp_squared", lambda m, x: m.logsumexp(x, 0) ** 2 * x),
    "logsumexp_dims": V(_hvp(lambda m, x: (m.logsumexp(x, 1) ** 3).sum() + (m.logsumexp(x, (0, 1), keepdim=True)
                                                                                 * x).sum()), (M34, V34)),
    "cross_entropy_mean": _ce_case(),
    "cross_entropy_sum": _ce_case(reduction="sum"),
    "cross_entropy_none": _ce_case(reduction="none"),
    "cross_entropy_weight": _ce_case(weight=[0.5, 2.0, 1.0, 1.5]),
    "cross_entropy_ignore_index": _ce_case(([2, -100, 3], "int64"), weight=[0.5, 2.0, 1.0, 1.5]),
    "cross_entropy_ignore_index_1": _ce_case(([1, 0, 1], "int64"), ignore_index=1, reduction="sum"),
    "cross_entropy_smoothing": _ce_case(label_smoothing=0.1),
    "cross_entropy_smoothing_weight_ignore": _ce_case(([2, 0, -100], "int64"), label_smoothing=0.3,
                                                      weight=[0.5, 2.0, 1.0, 1.5]),
    "cross_entropy_smoothing_none": _ce_case(reduction="none", label_smoothing=0.25, weight=[0.5, 2.0, 1.0, 1.5]),
    "cross_entropy_1d": _ce_case((2, "int64"), X, label_smoothing=0.1),
    "cross_entropy_3d": _ce_case(([[0, 1], [2, 2]], "int64"), B2_3_2, reduction="none"),
    "cross_entropy_probs": _ce_case((_PROBS, "float64")),
    "cross_entropy_probs_smoothing_weight": _ce_case((_PROBS, "float64"), label_smoothing=0.2,
                                                     weight=[0.5, 2.0, 1.0, 1.5], reduction="sum"),
    "cross_entropy_probs_require_grad": V(_soft_targets, (M34, _PROBS, V34, np.sin(np.asarray(V34)).tolist())),
    **_unary("silu", lambda m, x: m.nn.functional.silu(x)),
    **_unary("elu_times_x", lambda m, x: m.nn.functional.elu(x, alpha=0.7) * x, X0),
    **_unary("selu", lambda m, x: m.nn.functional.selu(x), X0),
    **_unary("celu", lambda m, x: m.nn.functional.celu(x, alpha=1.3) ** 2, X0),
    "elu_in_place": V(_elu_in_place, (X0,)),
    **_unary("gelu", lambda m, x: m.nn.functional.gelu(x), X1),
    **_unary("gelu_tanh", lambda m, x: m.nn.functional.gelu(x, approximate="tanh"), X1),
    **_unary("erf_times_x", lambda m, x: m.erf(x) * x),
    **_unary("logsigmoid", lambda m, x: m.nn.functional.logsigmoid(x)),
    **_unary("hardtanh_cubed", lambda m, x: m.nn.functional.hardtanh(x, -1.0, 1.5) ** 3, X0),
    "hardtanh_alone": V(_links(lambda m, x: m.nn.functional.hardtanh(x)), (X0,)),
    **_unary("relu6_times_x", lambda m, x: m.nn.functional.relu6(x * 3) * x, X0),
    **_unary("clamp_cubed", lambda m, x: x.clamp(-1.0, 1.5) ** 3, X0),
    "clamp_min_alone": V(_links(lambda m, x: m.clamp(x, min=-1.0)), (X0,)),
    "maximum_minimum": V(_mixed(lambda m, a, b: m.maximum(a, b) ** 3 + m.minimum(a * b, b) ** 2),
                         (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "clamp_tensor_bounds": V(_mixed(lambda m, a, b: m.clamp(a, min=b * 0.4, max=b * 1.1) ** 3),  # no ties
                             (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "bce_with_logits": V(_binary_loss("binary_cross_entropy_with_logits"),
                         (M34, _PROBS, V34, np.sin(np.asarray(V34)).tolist())),
    "bce": V(_binary_loss("binary_cross_entropy"), ((1 / (1 + np.exp(-np.asarray(M34)))).round(3).tolist(), _PROBS,
                                                    V34, np.sin(np.asarray(V34)).tolist())),
    "gan_r1_penalty": V(_gan_step, (M34, _rng.standard_normal((3, 4)).round(3).tolist(),
                                    _rng.standard_normal((4, 4)).round(3).tolist(),
                                    _rng.standard_normal((4, 1)).round(3).tolist())),
}
CASES.update(MORE_CASES)


# ----- convolutions, pooling, normalisation, linear algebra, dropout, embedding -------------------------------

_crng = np.random.default_rng(2027)


def _r(*shape: int, scale: float = 1.0) -> list:
    return (_crng.standard_normal(shape) * scale).round(3).tolist()


def _conv_mixed(fn: str, bias: bool = False, **options):
    """_mixed of tanh(<fn>(a, b, ...)), optionally with a bias taken from b (so it is differentiated too)."""
    def f(m, a, b):
        c_out = b.shape[1] * options.get("groups", 1) if "transpose" in fn else b.shape[0]
        return m.tanh(getattr(m.nn.functional, fn)(a, b, b.flatten()[:c_out] * 0.5 if bias else None, **options))
    return _mixed(f)


def _conv_hvp(fn: str, **options):
    """The Hessian-vector product of sum(sin(<fn>(x, w))^2) in x and w together, and the gradient of |Hv|^2."""
    def case(m, x, w, vx, vw):
        x.requires_grad_()
        w.requires_grad_()
        loss = (m.sin(getattr(m.nn.functional, fn)(x, w, **options)) ** 2).sum()
        gx, gw = m.autograd.grad(loss, (x, w), create_graph=True)
        hx, hw = m.autograd.grad((gx * vx).sum() + (gw * vw).sum(), (x, w), create_graph=True)
        tx, tw = m.autograd.grad((hx * hx).sum() + (hw * hw).sum(), (x, w))
        return gx.detach(), gw.detach(), hx.detach(), hw.detach(), tx, tw
    return case


def _conv_critic_penalty(m, real, fake, eps, w1, b1, w2, w3, b3):
    """WGAN-GP on a small convolutional critic (strided conv, leaky ReLU, grouped dilated conv, average and max
    pooling, linear head): the penalty on the gradient at interpolates, backward into every weight."""
    F = m.nn.functional
    params = [w1, b1, w2, w3, b3]
    for p in params:
        p.requires_grad_()
    mix = (eps * real + (1 - eps) * fake).requires_grad_()
    h = F.leaky_relu(F.conv2d(mix, w1, b1, stride=2, padding=1), 0.2)
    h = F.avg_pool2d(F.silu(F.conv2d(h, w2, padding=2, dilation=2, groups=2)), 2, stride=1)
    h = F.max_pool2d(h, 2, stride=1, padding=1).flatten(1)
    score = F.linear(h, w3, b3)
    (g,) = m.autograd.grad(score, mix, grad_outputs=m.ones_like(score), create_graph=True)
    gp = ((g.flatten(1).norm(2, dim=1) - 1) ** 2).mean() * 10
    gp.backward()
    return [gp.detach(), g.detach()] + [p.grad for p in params]


def _conv_r1_penalty(m, real, w1, w2, gn_w, gn_b, w3):
    """An R1 penalty on a conv critic with group norm, dropout (seeded) and a global average pool."""
    F = m.nn.functional
    params = [w1, w2, gn_w, gn_b, w3]
    for p in params:
        p.requires_grad_()
    real.requires_grad_()
    m.manual_seed(3)
    h = F.conv1d(real, w1, padding=1)
    h = F.dropout(F.gelu(F.group_norm(h, 2, gn_w, gn_b)), 0.25, training=True)
    h = F.adaptive_avg_pool1d(F.conv1d(h, w2, stride=2), 1).flatten(1)
    score = F.softplus(-(h @ w3)).mean()
    (g,) = m.autograd.grad(score, real, create_graph=True)
    loss = score + 5 * (g**2).sum()
    loss.backward()
    return [loss.detach(), g.detach(), real.grad] + [p.grad for p in params]


def _fold_unfold(m, x, v):
    F = m.nn.functional
    x.requires_grad_()
    cols = F.unfold(m.sin(x), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    y = F.fold(cols**2, (4, 5), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    (g,) = m.autograd.grad((m.tanh(y) * v).sum(), x, create_graph=True)
    (h,) = m.autograd.grad((g * g).sum(), x)
    return g.detach(), h


def _second(loss):
    """The gradient of loss(m, x) and its Hessian applied to v, no further: PyTorch's layer_norm double backward
    reads the saved mean and rstd as constants, so its third derivatives are not layer_norm's (trainer's are)."""
    def case(m, x, v):
        x.requires_grad_()
        (g,) = m.autograd.grad(loss(m, x), x, create_graph=True)
        (hv,) = m.autograd.grad((g * v).sum(), x)
        return g.detach(), hv
    return case


def _bias_links(fn: str, *args):
    """Which first-order gradients of <fn>(x, w, b, *args) require grad (one backward node in PyTorch: all of them),
    and their gradients in x and w (None where they do not depend on them)."""
    def case(m, x, w, b):
        for t in (x, w, b):
            t.requires_grad_()
        grads = m.autograd.grad(getattr(m.nn.functional, fn)(x, *args[:1], w, b, *args[1:]).sum(), (x, w, b),
                                create_graph=True)
        out = [t.requires_grad for t in grads]
        for t in grads:
            if not t.requires_grad:
                out += [None, None]
                continue
            out += [u if u is None else u.detach() for u in m.autograd.grad((t * t).sum(), (x, w), allow_unused=True,
                                                                             retain_graph=True)]
        return out
    return case


def _pool_links(name: str, *args, **kwargs):
    return _links(lambda m, x: getattr(m.nn.functional, name)(x, *args, **kwargs))


def _dropout(training: bool, inplace: bool = False):
    def f(m, x):
        m.manual_seed(7)
        return m.nn.functional.dropout(m.sin(x) * 2, 0.4, training=training, inplace=inplace) ** 3
    return _derivatives(f)


def _embedding(**options):
    """The weight's gradient, Hessian-vector product and the gradient of |Hv|^2 through an embedding lookup."""
    def case(m, w, v):
        w.requires_grad_()
        idx = m.tensor([[0, 2, 2], [4, 1, 2]])
        loss = (m.sin(m.nn.functional.embedding(idx, w, **options)) ** 3).sum()
        (g,) = m.autograd.grad(loss, w, create_graph=True)
        (hv,) = m.autograd.grad((g * v).sum(), w, create_graph=True)
        (third,) = m.autograd.grad((hv * hv).sum(), w)
        return g.detach(), hv.detach(), third
    return case


def _spd(n: int) -> list:
    a = _crng.standard_normal((n, n)).round(3)
    return (a @ a.T + n * np.eye(n)).round(3).tolist()


_A3 = (np.eye(3) * 2 + _crng.standard_normal((3, 3)) * 0.5).round(3).tolist()
_A3_BATCH = (np.eye(3) * 2 + _crng.standard_normal((2, 3, 3)) * 0.5).round(3).tolist()
_X4 = _r(2, 3, 5, 6)

CONV_CASES: dict[str, ValueCase] = {
    "conv1d_stride_padding_dilation_groups": V(_conv_mixed("conv1d", True, stride=2, padding=1, dilation=2, groups=2),
                                              (_r(2, 4, 9), _r(6, 2, 3), _r(2, 4, 9), _r(6, 2, 3))),
    "conv1d_plain": V(_conv_mixed("conv1d"), (_r(1, 2, 6), _r(3, 2, 2), _r(1, 2, 6), _r(3, 2, 2))),
    "conv2d_stride_padding_dilation_groups": V(_conv_mixed("conv2d", True, stride=(2, 1), padding=(1, 2),
                                                           dilation=(1, 2), groups=3),
                                               (_r(2, 3, 5, 6), _r(6, 1, 3, 2), _r(2, 3, 5, 6), _r(6, 1, 3, 2))),
    "conv2d_same_padding": V(_conv_mixed("conv2d", padding="same"),
                             (_r(1, 2, 4, 5), _r(2, 2, 3, 3), _r(1, 2, 4, 5), _r(2, 2, 3, 3))),
    "conv2d_hvp_third": V(_conv_hvp("conv2d", stride=2, padding=1, groups=2),
                          (_r(2, 4, 5, 5), _r(4, 2, 3, 3), _r(2, 4, 5, 5), _r(4, 2, 3, 3))),
    "conv1d_hvp_third": V(_conv_hvp("conv1d", dilation=3), (_r(2, 2, 8), _r(3, 2, 2), _r(2, 2, 8), _r(3, 2, 2))),
    "conv_transpose2d": V(_conv_mixed("conv_transpose2d", True, stride=2, padding=1, output_padding=1, groups=2,
                                      dilation=(1, 2)),
                          (_r(2, 4, 3, 3), _r(4, 3, 2, 3), _r(2, 4, 3, 3), _r(4, 3, 2, 3))),
    "conv_transpose1d_hvp_third": V(_conv_hvp("conv_transpose1d", stride=3, padding=1),
                                    (_r(2, 3, 4), _r(3, 2, 4), _r(2, 3, 4), _r(3, 2, 4))),
    "conv_critic_gradient_penalty": V(_conv_critic_penalty, (_r(2, 3, 6, 6), _r(2, 3, 6, 6), [[[[0.3]]], [[[0.7]]]],
                                                            _r(4, 3, 3, 3, scale=0.5), _r(4), _r(4, 2, 3, 3, scale=0.5),
                                                            _r(1, 36, scale=0.3), [0.1])),
    "conv_critic_r1_penalty": V(_conv_r1_penalty, (_r(2, 2, 7), _r(4, 2, 3), _r(3, 4, 2), _r(4), _r(4), _r(3, 1))),
    "fold_unfold": V(_fold_unfold, (_r(2, 2, 4, 5), _r(2, 2, 4, 5))),
    "avg_pool2d": V(_hvp(lambda m, x: (m.nn.functional.avg_pool2d(m.sin(x), 3, 2, 1, ceil_mode=True,
                                                                   count_include_pad=False) ** 3).sum()), (_X4, _X4)),
    "avg_pool2d_divisor": V(_hvp(lambda m, x: (m.nn.functional.avg_pool2d(x * x, (2, 3), divisor_override=4) ** 3
                                               ).sum()), (_X4, _r(2, 3, 5, 6))),
    "avg_pool1d": V(_hvp(lambda m, x: (m.nn.functional.avg_pool1d(x, 3, 2, 1) ** 3).sum()), (_r(2, 3, 7), _r(2, 3, 7))),
    "adaptive_avg_pool2d": V(_hvp(lambda m, x: (m.nn.functional.adaptive_avg_pool2d(m.tanh(x), (2, 4)) ** 3).sum()),
                             (_X4, _r(2, 3, 5, 6))),
    "adaptive_avg_pool2d_global": V(_hvp(lambda m, x: (m.nn.functional.adaptive_avg_pool2d(x, 1) ** 3).sum()),
                                    (_X4, _r(2, 3, 5, 6))),
    "max_pool2d": V(_hvp(lambda m, x: (m.nn.functional.max_pool2d(m.tanh(x), 3, 2, 1, dilation=(1, 2)) ** 3).sum()),
                    (_X4, _r(2, 3, 5, 6))),
    "max_pool2d_ceil": V(_hvp(lambda m, x: (m.nn.functional.max_pool2d(x, 2, ceil_mode=True) ** 3).sum()),
                         (_X4, _r(2, 3, 5, 6))),
    "max_pool1d": V(_hvp(lambda m, x: (m.nn.functional.max_pool1d(x, 2, 1) ** 3).sum()), (_r(2, 3, 7), _r(2, 3, 7))),
    "adaptive_max_pool2d": V(_hvp(lambda m, x: (m.nn.functional.adaptive_max_pool2d(x, (2, 3)) ** 3).sum()),
                             (_X4, _r(2, 3, 5, 6))),
    "conv2d_input_alone": V(_links(lambda m, x: m.nn.functional.conv2d(x, m.ones(2, 3, 2, 2, dtype=x.dtype))), (_X4,)),
    "conv2d_bias_links": V(_bias_links("conv2d"), (_r(1, 2, 3, 3), _r(2, 2, 2, 2), _r(2))),
    "layer_norm_links": V(_bias_links("layer_norm", (4,)), (_r(3, 4), _r(4), _r(4))),
    "group_norm_links": V(_bias_links("group_norm", 2), (_r(2, 4, 3), _r(4), _r(4))),
    "max_pool2d_alone": V(_pool_links("max_pool2d", 2), (_X4,)),
    "avg_pool2d_alone": V(_pool_links("avg_pool2d", 2), (_X4,)),
    "layer_norm": V(_mixed(lambda m, a, b: m.tanh(m.nn.functional.layer_norm(a, (4,), b, b * 0.5 + 0.1))),
                    (_r(3, 4), _r(4), _r(3, 4), _r(4))),
    "layer_norm_2d_no_affine": V(_second(lambda m, x: (m.nn.functional.layer_norm(x, (3, 4), eps=0.1) ** 3).sum()),
                                 (_r(2, 3, 4), _r(2, 3, 4))),
    "group_norm": V(_mixed(lambda m, a, b: m.sin(m.nn.functional.group_norm(a, 2, b, b * 0.3))),
                    (_r(2, 4, 3), _r(4), _r(2, 4, 3), _r(4))),
    "group_norm_no_affine": V(_hvp_squared(lambda m, x: (m.nn.functional.group_norm(x, 3, eps=0.01) ** 3).sum()),
                              (_r(2, 6, 2, 2), _r(2, 6, 2, 2))),
    "solve": V(_mixed(lambda m, a, b: m.linalg.solve(a, b) ** 2), (_A3, _r(3, 2), _r(3, 3), _r(3, 2))),
    "solve_vector_batched": V(_mixed(lambda m, a, b: m.sin(m.linalg.solve(a, b))),
                              (_A3_BATCH, _r(2, 3), _r(2, 3, 3), _r(2, 3))),
    "solve_right": V(_mixed(lambda m, a, b: m.linalg.solve(a, b, left=False) ** 3), (_A3, _r(2, 3), _r(3, 3),
                                                                                     _r(2, 3))),
    "inv": V(_hvp_squared(lambda m, x: (m.linalg.inv(x) ** 2).sum()), (_A3, _r(3, 3))),
    "inv_batched": V(_hvp(lambda m, x: m.sin(m.inverse(x)).sum()), (_A3_BATCH, _r(2, 3, 3))),
    "det": V(_derivatives(lambda m, x: m.linalg.det(x) * x), (_A3,)),
    "det_batched": V(_hvp_squared(lambda m, x: (m.det(x) ** 2).sum()), (_A3_BATCH, _r(2, 3, 3))),
    "slogdet": V(_hvp_squared(lambda m, x: m.linalg.slogdet(x)[1].sum() * 2), (_A3_BATCH, _r(2, 3, 3))),
    "cholesky": V(_hvp_squared(lambda m, x: (m.linalg.cholesky(x) ** 3).sum()), (_spd(3), _r(3, 3))),
    "cholesky_upper": V(_hvp_squared(lambda m, x: m.sin(m.linalg.cholesky(x, upper=True)).sum()),
                        (_spd(4), _r(4, 4))),
    "dropout_eval": V(_dropout(False), (X,)),
    "dropout_train": V(_dropout(True), (_r(4, 5),)),
    "dropout_train_inplace": V(_dropout(True, inplace=True), (_r(4, 5),)),
    "flatten": V(_hvp(lambda m, x: (m.nn.Flatten()(x) ** 3).sum() * x.sum()), (_r(2, 3, 2), _r(2, 3, 2))),
    "embedding": V(_embedding(), (_r(5, 3), _r(5, 3))),
    "embedding_padding_freq": V(_embedding(padding_idx=2, scale_grad_by_freq=True), (_r(5, 3), _r(5, 3))),
}
CASES.update(CONV_CASES)


# ----- shape ops, reductions, elementwise functions, batch norm and padding -----------------------------------

_mrng = np.random.default_rng(2031)


def _m(*shape: int, scale: float = 1.0) -> list:
    return (_mrng.standard_normal(shape) * scale).round(3).tolist()


U = [0.3, -0.6, 0.5, 0.1, -0.2]  # inside (-1, 1)
ABOVE_1 = [1.3, 2.2, 3.0, 1.7, 1.4]
M34B, V34B, M44, V44, B324 = _m(3, 4), _m(3, 4), _m(4, 4), _m(4, 4), _m(3, 2, 4)
_GATHER = [[0, 2, 1, 0], [1, 1, 0, 2]]
_TIES = [[1.0, 2.0, 2.0, -0.5], [0.5, 0.5, -1.0, 0.25], [-0.3, 0.7, 0.1, 0.7]]


def _batch_norm_links(training: bool):
    """Which first-order gradients of batch_norm(x, w, b) require grad (one backward node in PyTorch), and their
    gradients in x and w."""
    def case(m, x, w, b):
        for t in (x, w, b):
            t.requires_grad_()
        rm, rv = m.zeros(x.shape[1], dtype=x.dtype) + 0.2, m.ones(x.shape[1], dtype=x.dtype) * 1.5
        y = m.nn.functional.batch_norm(x, rm, rv, w, b, training=training)
        grads = m.autograd.grad(m.sin(y).sum(), (x, w, b), create_graph=True)
        out = [t.requires_grad for t in grads]
        for t in grads:
            out += [u if u is None else u.detach() for u in m.autograd.grad((t * t).sum(), (x, w), allow_unused=True,
                                                                             retain_graph=True)]
        return out
    return case


def _sgn_linked(m, x):
    """The inf-norm's gradient, sgn(x) * mask / count, is linked to x through sgn (a zero gradient) in PyTorch."""
    x.requires_grad_()
    (g,) = m.autograd.grad(m.linalg.vector_norm(x, float("inf"), dim=1).sum(), x, create_graph=True)
    (h,) = m.autograd.grad((g * x).sum(), x, create_graph=True)
    return [g.detach(), g.requires_grad, h.detach(), h.requires_grad]


def _batch_norm_eval(m, a, b):
    rm = m.tensor([0.1, -0.2], dtype=a.dtype)
    rv = m.tensor([0.5, 1.5], dtype=a.dtype)
    return m.sin(m.nn.functional.batch_norm(a, rm, rv, b, b * 0.3, training=False))


MORE_OPS_CASES: dict[str, ValueCase] = {
    "stack": V(_hvp(lambda m, x: (m.stack([x, x**2, m.sin(x)], 1) ** 3).sum() + (m.stack([x, x]) ** 2 * x).sum()),
               (M34B, V34B)),
    "split_chunk_unbind_narrow": V(_hvp(lambda m, x: (m.split(x, [1, 3], 1)[1] ** 3).sum() + (x.split(2)[1] ** 2).sum()
                                        * x.unbind(1)[2].sum() + (x.chunk(2, 1)[0] ** 3 * x[:, 2:]).sum()
                                        + (x.narrow(0, 1, 2) ** 3).sum()), (M34B, V34B)),
    "flip_roll": V(_hvp(lambda m, x: (m.flip(x, [0, 1]) ** 3 * x).sum() + (x.roll(1, 1) ** 2 * x).sum()
                        + (x.roll(3) * x**2).sum() + (x.flip(-1).roll((1, -1), (0, 1)) ** 3).sum()), (M34B, V34B)),
    "repeat_tile_expand_as": V(_hvp(lambda m, x: (x.repeat(1, 2)[:, 1:6] ** 3).sum()
                                    + (x.repeat(2, 1, 1) ** 2 * x).sum() + (x.tile((2,))[:, 3:] ** 3).sum()
                                    + (x[:1].expand_as(x) * x**2).sum()),
                               (M34B, V34B)),
    "index_select_gather": V(_hvp(lambda m, x: (x.index_select(1, m.tensor([0, 2, 2])) ** 3).sum()
                                  + (x.gather(0, m.tensor(_GATHER)) ** 2 * x[:2]).sum()
                                  + (m.take_along_dim(x, m.tensor([[3], [0], [3]]), 1) ** 3).sum()
                                  + (m.take_along_dim(x, m.tensor([5, 0, 5])) ** 2 * x[0, :3]).sum()), (M34B, V34B)),
    "scatter_add_scatter": V(_mixed(lambda m, a, b: m.tanh(a.scatter_add(0, m.tensor(_GATHER), b[:2] * a[:2]))
                                    + a.scatter(0, m.tensor([[0, 2, 1, 0]]), b[:1] ** 2) ** 3
                                    + a.scatter(1, m.tensor([[1], [0], [3]]), 0.5) ** 2 * b),
                             (M34B, V34B, _m(3, 4), _m(3, 4))),
    "masked_fill": V(_mixed(lambda m, a, b: m.sin(a.masked_fill(a < 0, b[0] * b[1])) * b
                            + a.masked_fill(a > 1, 0.0) ** 3), (M34B, [0.3, -0.5, 0.8, 1.1], _m(3, 4), _m(4))),
    "tril_triu": V(_hvp(lambda m, x: (x.tril() ** 3).sum() + (x.triu(1) ** 2 * x).sum() + (x.tril(-1) * x.triu()).sum()
                        + (m.triu(x, -1) ** 3).sum()), (M44, V44)),
    "diag_diagonal_embed": V(_hvp(lambda m, x: (m.diag(x) ** 3).sum() + (m.diag(x[0], 1)[:4, :4] ** 2 * x).sum()
                                  + (x.diagonal(1) ** 3).sum() + (m.diagonal(x, -1, 1, 0) ** 2).sum() * x.sum()
                                  + (m.diag_embed(x[:2], 1) ** 3).sum()), (M44, V44)),
    "einsum_matmul": V(_mixed(lambda m, a, b: m.tanh(m.einsum("ij,kj->ik", a, b))), (M34B, V34B, _m(3, 4), _m(3, 4))),
    "einsum_three_operands": V(_mixed(lambda m, a, b: m.einsum("bij,bjk,k->bi", a, b, b[0, 0]) ** 2),
                               (_m(2, 3, 4), _m(2, 4, 4), _m(2, 3, 4), _m(2, 4, 4))),
    "einsum_repeated_broadcast": V(_hvp(lambda m, x: m.einsum("ii,ij->j", x, m.sin(x)).pow(2).sum()
                                        + m.einsum("...j,kj->...", x, x**2).pow(3).sum()
                                        + m.einsum("ij,j->", x, x[0]) ** 2), (M44, V44)),
    "var_std": V(_hvp(lambda m, x: (x.var(1) ** 2).sum() + x.std() * x.sum() + (x.std(0, keepdim=True) * x).sum()
                      + (x.var(0, correction=0) ** 3).sum() + x.var() ** 2), (M34B, V34B)),
    "var_mean_std_mean": V(_hvp(lambda m, x: (m.var_mean(x, 1)[0] ** 2 * m.var_mean(x, 1)[1]).sum()
                                + (m.std_mean(x, 0, keepdim=True)[0] * m.std_mean(x, 0, keepdim=True)[1] ** 2).sum()
                                + m.std_mean(x)[0] ** 3), (M34B, V34B)),
    "max_min_values": V(_hvp(lambda m, x: (x.max(1).values ** 3).sum() + x.max() ** 2 * x.sum()
                             + (x.min(0, keepdim=True)[0] ** 2 * x).sum() + x.min() ** 3
                             + (x.amax(1) ** 3).sum() + (x.amin((0, 1)) * x**2).sum()), (M34B, V34B)),
    "amax_amin_ties": V(_hvp(lambda m, x: (x.amax(1) ** 3).sum() + x.max() ** 3 + (x.amin(0, keepdim=True) ** 2
                                                                                   * x).sum()), (_TIES, V34B)),
    "aminmax": V(_hvp(lambda m, x: (m.aminmax(x, dim=1)[0] ** 3).sum() + (m.aminmax(x)[1] * x**2).sum()
                      + (x.aminmax(dim=0, keepdim=True).max ** 2 * x).sum()), (_TIES, V34B)),
    "max_alone": V(_links(lambda m, x: x.max(1).values * 3 + x.amax(0).sum()), (M34B,)),
    "prod_cumprod": V(_hvp(lambda m, x: x.prod() * 0.1 + (x.prod(1) ** 2).sum() + (x.prod(0, keepdim=True)
                                                                                       * x).sum()
                                  + (x.cumprod(1) ** 3).sum() + (x.cumprod(0) ** 2).sum()),
                             (M34B, V34B)),
    "norm_p": V(_hvp(lambda m, x: (x.norm(3, dim=1) ** 2).sum() + m.linalg.vector_norm(x, 1.5) ** 3
                     + m.linalg.vector_norm(x, 0.5, dim=0).sum() + (m.linalg.vector_norm(x, float("inf"), dim=1)
                                                                    ** 3).sum()
                     + m.linalg.vector_norm(x, -float("inf")) ** 2 + m.linalg.vector_norm(x, 4, dim=0,
                                                                                          keepdim=True).sum()),
                (M34B, V34B)),
    "norm_inf_alone": V(_sgn_linked, (_TIES,)),
    **_unary("rsqrt", lambda m, x: m.rsqrt(x), POS),
    **_unary("reciprocal", lambda m, x: m.reciprocal(x)),
    **_unary("tan", lambda m, x: m.tan(x * 0.5)),
    **_unary("atan", lambda m, x: m.atan(x)),
    **_unary("asin", lambda m, x: m.asin(x), U),
    **_unary("acos", lambda m, x: m.acos(x), U),
    **_unary("sinh", lambda m, x: m.sinh(x)),
    **_unary("cosh", lambda m, x: m.cosh(x)),
    **_unary("asinh", lambda m, x: m.asinh(x)),
    **_unary("acosh", lambda m, x: m.acosh(x), ABOVE_1),
    **_unary("atanh", lambda m, x: m.atanh(x), U),
    **_unary("exp2", lambda m, x: m.exp2(x)),
    **_unary("expm1", lambda m, x: m.expm1(x)),
    **_unary("log2", lambda m, x: m.log2(x), POS),
    **_unary("log10", lambda m, x: m.log10(x), POS),
    **_unary("erfc", lambda m, x: m.erfc(x)),
    **_unary("erfinv", lambda m, x: m.special.erfinv(x), U),
    **_unary("square", lambda m, x: m.square(x) * x),
    **_unary("xlogy_numbers", lambda m, x: m.xlogy(2.0, x) * x + m.xlogy(x * x, 3.0) * x, POS),
    "atan2": V(_mixed(lambda m, a, b: m.atan2(a, b)), (X, [0.5, 1.7, 0.9, 1.1, 2.3], [1.0, 2.0, -1.0, 0.5, 3.0],
                                                      [0.5, -1.0, 2.0, 1.0, 1.5])),
    "hypot": V(_mixed(lambda m, a, b: m.hypot(a, b)), (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "logaddexp": V(_mixed(lambda m, a, b: m.logaddexp(a, b) + m.logaddexp2(b, a) ** 2),
                   (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "xlogy": V(_mixed(lambda m, a, b: m.xlogy(a, b) * a), (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0],
                                                            [0.5, -1.0, 2.0, 1.0, 1.5])),
    "lerp": V(_mixed(lambda m, a, b: m.lerp(a, b, 0.3) ** 3 + m.lerp(a, b * 2, m.sin(b)) ** 2),
              (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "addcmul_addcdiv": V(_mixed(lambda m, a, b: m.addcmul(a, a, b, value=0.5) ** 2
                                + m.addcdiv(b, a, b, value=-1.5) ** 3),
                         (X, POS, [1.0, 2.0, -1.0, 0.5, 3.0], [0.5, -1.0, 2.0, 1.0, 1.5])),
    "batch_norm_train": V(_mixed(lambda m, a, b: m.tanh(m.nn.functional.batch_norm(a, None, None, b, b * 0.5 + 0.1,
                                                                                    training=True))),
                          (B324, [0.7, -1.2], _m(3, 2, 4), _m(2))),
    "batch_norm_train_no_affine": V(_second(lambda m, x: (m.nn.functional.batch_norm(
        x, m.zeros(2, dtype=x.dtype), m.ones(2, dtype=x.dtype), training=True, eps=0.1) ** 3).sum()),
        (_m(4, 2, 3), _m(4, 2, 3))),
    "batch_norm_eval": V(_mixed(_batch_norm_eval), (B324, [0.7, -1.2], _m(3, 2, 4), _m(2))),
    "batch_norm_eval_hvp": V(_hvp_squared(lambda m, x: (m.nn.functional.batch_norm(
        m.sin(x), m.tensor([0.1, -0.2], dtype=x.dtype), m.tensor([0.5, 1.5], dtype=x.dtype)) ** 3).sum()),
        (_m(3, 2, 2), _m(3, 2, 2))),
    "batch_norm_train_links": V(_batch_norm_links(True), (_m(4, 3), [1.262, 1.889, -0.7], _m(3))),
    "batch_norm_eval_links": V(_batch_norm_links(False), (_m(4, 3), _m(3), _m(3))),
    "pad_constant": V(_hvp(lambda m, x: (m.sin(m.nn.functional.pad(x, (1, 2, 0, 1), value=0.5)) ** 3).sum()
                           + (m.nn.functional.pad(x, (-1, 1)) ** 3).sum()), (M34B, V34B)),
    "pad_reflect_replicate_circular": V(_hvp(lambda m, x: (m.nn.functional.pad(x, (2, 1), mode="reflect") ** 3).sum()
                                             + (m.nn.functional.pad(x, (1, 2), mode="replicate") ** 2
                                                * m.nn.functional.pad(x, (1, 2), mode="circular")).sum()),
                                        (_m(2, 3, 4), _m(2, 3, 4))),
    "pad_2d_modes": V(_hvp(lambda m, x: (m.nn.functional.pad(x, (1, 1, 2, 1), mode="reflect") ** 3).sum()
                           + (m.nn.functional.pad(x, (2, 0, 1, 1), mode="replicate") ** 3).sum()
                           + (m.nn.functional.pad(x, (1, 2, 1, 0), mode="circular") ** 3).sum()),
                      (_m(1, 2, 3, 4), _m(1, 2, 3, 4))),
    "pad_reflect_alone": V(_links(lambda m, x: m.nn.functional.pad(x, (1, 2), mode="reflect") * 2), (_m(2, 4),)),
    "pad_circular_alone": V(_links(lambda m, x: m.nn.functional.pad(x, (1, 2), mode="circular") * 2), (_m(1, 2, 4),)),
    "cumsum": V(_hvp(lambda m, x: (m.cumsum(x, 1) ** 3).sum() + (m.cumsum(x, 0) * m.sin(x)).sum()), (M34, M34)),
    "cumsum_0d": V(_derivatives(lambda m, x: m.cumsum(x.sum(), 0) ** 3), ([0.5, -0.25],)),
    "addmm_scaled": V(_mixed(lambda m, a, b: m.sin(m.addmm(a[:, :1], a, b, beta=0.5, alpha=0.75))),
                      (M34, M43, np.full((3, 4), 0.5).tolist(), np.full((4, 3), -0.25).tolist())),
    "lstm_input_penalty": V(lambda m, x: _recurrent_penalty(m, "LSTM", x), (B243,)),
    "gru_input_penalty": V(lambda m, x: _recurrent_penalty(m, "GRU", x), (B243,)),
    "rnn_tanh_input_penalty": V(lambda m, x: _recurrent_penalty(m, "RNN", x), (B243,)),
}
CASES.update(MORE_OPS_CASES)


def _recurrent_penalty(m, layer: str, x):
    """The squared input gradient of a recurrent layer's summed output, backward into its weights (double
    backward through the cells' addmm, sigmoid, tanh, chunk and stack)."""
    m.manual_seed(0)
    net = getattr(m.nn, layer)(3, 4, batch_first=True).double()
    x.requires_grad_()
    (g,) = m.autograd.grad(net(x)[0].sum(), x, create_graph=True)
    (g**2).sum().backward()
    return [g.detach()] + [p.grad for p in net.parameters()]


def _custom_functions(m, x):
    """A custom autograd.Function's backward runs with grad mode on under create_graph, as in PyTorch: written
    with differentiable ops on what it saved (an input, or its own output), it differentiates again."""
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a**3

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * 3 * a**2

    class Exp(m.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            y = a.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x.requires_grad_()
    (g,) = m.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (h,) = m.autograd.grad(g.sum(), x, create_graph=True)
    (t,) = m.autograd.grad(h.sum(), x)
    (e,) = m.autograd.grad((Exp.apply(x) * x).sum(), x, create_graph=True)
    (e2,) = m.autograd.grad(e.sum(), x)
    return [g.detach(), h.detach(), t, e.detach(), e2, g.requires_grad]


CASES["custom_function_double_backward"] = V(_custom_functions, (X,))
