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
