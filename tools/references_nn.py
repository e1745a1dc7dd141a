"""PyTorch reference values for trainer.nn: activations, functional layers, every loss option, and modules.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py nn
Writes tests/references/nn/{activations,losses,modules}.json. Inputs are generated here from
seeded numpy in float64; each case stores inputs, options, the output, the upstream gradient
used for backward, and the gradients PyTorch computes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as tnn
import torch.nn.functional as F
from reference_io import write_json

REDUCTIONS = ("none", "mean", "sum")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _away(rng: np.random.Generator, shape: tuple[int, ...], lo: float = 0.1, hi: float = 2.0) -> np.ndarray:
    """Random values with lo <= |x| <= hi (kept away from the kinks at 0)."""
    return rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def _to_torch(value: Any, requires_grad: bool = False) -> Any:
    if isinstance(value, np.ndarray):
        return torch.tensor(value, requires_grad=requires_grad and value.dtype.kind == "f")
    return value


def _run(name: str, fn_name: str, inputs: dict[str, Any], grads: tuple[str, ...], kwargs: dict[str, Any],
         seed: int) -> dict[str, Any]:
    """Call F.<fn_name>(*inputs, **kwargs) in float64, backward with a fixed upstream gradient."""
    tensors = {k: _to_torch(v, k in grads) for k, v in inputs.items()}
    options = {k: _to_torch(v) for k, v in kwargs.items()}
    out = getattr(F, fn_name)(*tensors.values(), **options)
    gout = _rng(seed + 1000).standard_normal(tuple(out.shape))
    result = {"name": name, "fn": fn_name, "inputs": inputs, "order": list(inputs), "kwargs": kwargs, "out": out,
              "gout": gout, "grads": {}}
    if grads:
        out.backward(torch.tensor(gout))
        result["grads"] = {k: tensors[k].grad for k in grads}
    return result


# ----- activations and functional layers ---------------------------------------------------------


def activation_cases() -> list[dict[str, Any]]:
    cases = []
    seed = 0

    def add(name: str, fn: str, x: np.ndarray, **kwargs: Any) -> None:
        nonlocal seed
        seed += 1
        cases.append(_run(name, fn, {"input": x}, ("input",), kwargs, seed))

    r = _rng(1)
    x = _away(r, (3, 5), 0.05, 3.0)
    add("relu", "relu", x)
    add("leaky_relu", "leaky_relu", x)
    add("leaky_relu_slope", "leaky_relu", x, negative_slope=0.2)
    add("elu", "elu", x)
    add("elu_alpha", "elu", x, alpha=0.5)
    wide = r.uniform(-6, 6, (4, 6))
    add("gelu", "gelu", wide)
    add("gelu_tanh", "gelu", wide, approximate="tanh")
    add("silu", "silu", wide)
    add("sigmoid", "sigmoid", wide)
    add("tanh", "tanh", wide)
    add("softplus", "softplus", r.uniform(-30, 30, (3, 6)))
    add("softplus_beta_threshold", "softplus", wide, beta=2.0, threshold=5.0)
    add("softmax_dim1", "softmax", wide, dim=1)
    add("softmax_dim0", "softmax", wide, dim=0)
    add("softmax_3d_last", "softmax", r.standard_normal((2, 3, 4)), dim=-1)
    add("log_softmax_dim1", "log_softmax", wide, dim=1)
    add("log_softmax_dim0", "log_softmax", wide, dim=0)
    add("log_softmax_3d_mid", "log_softmax", r.standard_normal((2, 3, 4)), dim=1)
    big = np.array([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -999.0, -998.0, 1000.0]])
    add("softmax_large", "softmax", big, dim=1)
    add("log_softmax_large", "log_softmax", big, dim=1)

    for name, x_shape, bias in (("linear", (4, 3), True), ("linear_nobias", (4, 3), False),
                                ("linear_1d", (3,), True), ("linear_3d", (2, 4, 3), True)):
        seed += 1
        rr = _rng(100 + seed)
        inputs = {"input": rr.standard_normal(x_shape), "weight": rr.standard_normal((5, 3))}
        if bias:
            inputs["bias"] = rr.standard_normal(5)
        cases.append(_run(name, "linear", inputs, tuple(inputs), {}, seed))
    return cases


# ----- losses ------------------------------------------------------------------------------------


def loss_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    counter = [0]

    def add(name: str, fn: str, inputs: dict[str, Any], grads: tuple[str, ...], **kwargs: Any) -> None:
        for reduction in kwargs.pop("reductions", REDUCTIONS):
            counter[0] += 1
            cases.append(_run(f"{name}/{reduction}", fn, inputs, grads, {**kwargs, "reduction": reduction},
                              counter[0]))

    r = _rng(2)
    shape = (4, 3)
    # regression: differences kept away from 0 and from the beta/delta switch points
    x = r.standard_normal(shape)
    diff = _away(r, shape, 0.1, 2.6)
    diff = np.where(np.abs(np.abs(diff) - 0.5) < 0.05, diff * 1.3, diff)
    diff = np.where(np.abs(np.abs(diff) - 1.0) < 0.05, diff * 1.2, diff)
    diff = np.where(np.abs(np.abs(diff) - 2.0) < 0.05, diff * 1.1, diff)
    y = x - diff
    w = r.uniform(0.2, 2.0, shape)
    pair = {"input": x, "target": y}
    add("mse", "mse_loss", pair, ("input", "target"))
    add("mse_weight", "mse_loss", pair, ("input", "target"), weight=w)
    add("l1", "l1_loss", pair, ("input", "target"))
    add("l1_weight", "l1_loss", pair, ("input", "target"), weight=w)
    add("smooth_l1", "smooth_l1_loss", pair, ("input", "target"))
    add("smooth_l1_beta", "smooth_l1_loss", pair, ("input", "target"), beta=0.5)
    add("smooth_l1_beta0", "smooth_l1_loss", pair, ("input", "target"), beta=0.0)
    add("huber", "huber_loss", pair, ("input", "target"))
    add("huber_delta", "huber_loss", pair, ("input", "target"), delta=2.0)
    add("huber_weight", "huber_loss", pair, ("input", "target"), delta=0.5, weight=w)

    # binary cross-entropy
    p = r.uniform(0.05, 0.95, shape)
    soft = r.uniform(0.0, 1.0, shape)
    cw = r.uniform(0.5, 2.0, (3,))
    add("bce", "binary_cross_entropy", {"input": p, "target": soft}, ("input", "target"))
    add("bce_weight", "binary_cross_entropy", {"input": p, "target": soft}, ("input", "target"), weight=cw)
    edge = np.array([0.0, 1.0, 0.0, 1.0, 1e-50, 0.5])
    add("bce_clamped", "binary_cross_entropy", {"input": edge, "target": np.array([0.0, 1.0, 1.0, 0.0, 1.0, 1.0])},
        ("input",))
    logits = r.standard_normal(shape) * 2
    hard = r.integers(0, 2, shape).astype(np.float64)
    pw = r.uniform(0.5, 3.0, (3,))
    add("bce_logits", "binary_cross_entropy_with_logits", {"input": logits, "target": soft}, ("input", "target"))
    add("bce_logits_weight", "binary_cross_entropy_with_logits", {"input": logits, "target": hard},
        ("input", "target"), weight=w)
    add("bce_logits_pos_weight", "binary_cross_entropy_with_logits", {"input": logits, "target": soft},
        ("input", "target"), pos_weight=pw)
    add("bce_logits_both", "binary_cross_entropy_with_logits", {"input": logits, "target": soft},
        ("input", "target"), weight=cw, pos_weight=pw)
    huge = np.array([[100.0, -100.0, 1000.0], [-1000.0, 50.0, -50.0]])
    add("bce_logits_large", "binary_cross_entropy_with_logits",
        {"input": huge, "target": np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 0.0]])}, ("input", "target"),
        pos_weight=np.array([2.0, 0.5, 1.5]))

    # cross-entropy and nll
    n, c = 5, 4
    z = r.standard_normal((n, c)) * 1.5
    t = np.array([0, 3, 1, 2, 3])
    t_ign = np.array([0, -100, 1, 2, -100])
    t_ign7 = np.array([0, 7, 1, 7, 3])
    wc = r.uniform(0.3, 2.0, c)
    probs = r.dirichlet(np.ones(c), n)
    add("ce", "cross_entropy", {"input": z, "target": t}, ("input",))
    add("ce_weight", "cross_entropy", {"input": z, "target": t}, ("input",), weight=wc)
    add("ce_ignore", "cross_entropy", {"input": z, "target": t_ign}, ("input",))
    add("ce_ignore_custom", "cross_entropy", {"input": z, "target": t_ign7}, ("input",), ignore_index=7, weight=wc)
    add("ce_smoothing", "cross_entropy", {"input": z, "target": t}, ("input",), label_smoothing=0.1)
    add("ce_all_options", "cross_entropy", {"input": z, "target": t_ign}, ("input",), weight=wc,
        label_smoothing=0.25)
    add("ce_smoothing_ignore", "cross_entropy", {"input": z, "target": t_ign}, ("input",), label_smoothing=0.3)
    add("ce_probs", "cross_entropy", {"input": z, "target": probs}, ("input", "target"))
    add("ce_probs_weight", "cross_entropy", {"input": z, "target": probs}, ("input", "target"), weight=wc)
    add("ce_probs_smoothing", "cross_entropy", {"input": z, "target": probs}, ("input", "target"), weight=wc,
        label_smoothing=0.2)
    zk = r.standard_normal((2, c, 3))
    tk = np.array([[0, 1, -100], [3, 2, 2]])
    add("ce_kdim", "cross_entropy", {"input": zk, "target": tk}, ("input",), weight=wc, label_smoothing=0.1)
    add("ce_kdim_probs", "cross_entropy", {"input": zk, "target": r.dirichlet(np.ones(c), (2, 3)).transpose(0, 2, 1)},
        ("input", "target"))
    add("ce_1d", "cross_entropy", {"input": z[0], "target": np.array(2)}, ("input",), weight=wc)
    big = np.array([[1000.0, -1000.0, 0.0, 500.0], [-1000.0, 1000.0, 999.0, -5.0], [3.0, 2.0, 1000.0, -1000.0]])
    add("ce_large", "cross_entropy", {"input": big, "target": np.array([1, 1, 3])}, ("input",),
        label_smoothing=0.1)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    add("nll", "nll_loss", {"input": logp, "target": t}, ("input",))
    add("nll_weight", "nll_loss", {"input": logp, "target": t}, ("input",), weight=wc)
    add("nll_ignore", "nll_loss", {"input": logp, "target": t_ign}, ("input",), weight=wc)
    add("nll_ignore_custom", "nll_loss", {"input": logp, "target": t_ign7}, ("input",), ignore_index=7)
    add("nll_kdim", "nll_loss", {"input": zk, "target": tk}, ("input",), weight=wc)

    # kl_div
    q = r.dirichlet(np.ones(c), n)
    add("kl_div", "kl_div", {"input": logp, "target": q}, ("input", "target"),
        reductions=(*REDUCTIONS, "batchmean"))
    add("kl_div_log_target", "kl_div", {"input": logp, "target": np.log(q)}, ("input", "target"), log_target=True,
        reductions=(*REDUCTIONS, "batchmean"))

    # poisson
    rate_log = r.uniform(-1.0, 1.5, shape)
    counts = np.array([[0.0, 1.0, 3.0], [2.0, 0.5, 7.0], [1.5, 4.0, 0.0], [10.0, 1.0, 2.5]])
    rate = r.uniform(0.2, 3.0, shape)
    # PyTorch's d/dtarget of the full loss is NaN at target 0 (0 * log 0 in the masked-out Stirling term);
    # trainer returns the finite limit, so the `full` cases keep targets positive.
    positive = np.where(counts == 0, 0.25, counts)
    add("poisson", "poisson_nll_loss", {"input": rate_log, "target": counts}, ("input", "target"))
    add("poisson_full", "poisson_nll_loss", {"input": rate_log, "target": positive}, ("input", "target"), full=True)
    add("poisson_rate", "poisson_nll_loss", {"input": rate, "target": counts}, ("input", "target"), log_input=False)
    add("poisson_rate_full_eps", "poisson_nll_loss", {"input": rate, "target": positive}, ("input", "target"),
        log_input=False, full=True, eps=0.1)

    # gaussian
    mu = r.standard_normal(shape)
    obs = r.standard_normal(shape)
    var_full = r.uniform(0.2, 2.0, shape)
    add("gaussian", "gaussian_nll_loss", {"input": mu, "target": obs, "var": var_full}, ("input", "target", "var"))
    add("gaussian_full", "gaussian_nll_loss", {"input": mu, "target": obs, "var": var_full},
        ("input", "target", "var"), full=True)
    add("gaussian_var_col", "gaussian_nll_loss", {"input": mu, "target": obs, "var": var_full[:, :1]},
        ("input", "target", "var"))
    add("gaussian_var_row", "gaussian_nll_loss", {"input": mu, "target": obs, "var": var_full[:1, :]},
        ("input", "target", "var"))
    add("gaussian_var_drop", "gaussian_nll_loss", {"input": mu, "target": obs, "var": var_full[:, 0]},
        ("input", "target", "var"))
    clamped = var_full.copy()
    clamped[0, :] = [0.01, 0.05, 0.0]
    add("gaussian_eps", "gaussian_nll_loss", {"input": mu, "target": obs, "var": clamped},
        ("input", "target", "var"), eps=0.1)
    add("gaussian_target_bcast", "gaussian_nll_loss", {"input": mu, "target": obs[:, :1], "var": var_full},
        ("input", "target", "var"), reductions=("mean",))
    add("gaussian_scalar_var", "gaussian_nll_loss", {"input": mu, "target": obs, "var": 0.7}, ("input", "target"),
        full=True)

    # margins
    labels = np.where(r.random(shape) < 0.5, -1.0, 1.0)
    hinge_x = _away(r, shape, 0.1, 2.0)
    hinge_x = np.where(np.abs(np.abs(hinge_x) - 1.0) < 0.1, hinge_x * 1.25, hinge_x)
    hinge_x = np.where(np.abs(hinge_x - 0.5) < 0.1, hinge_x * 1.5, hinge_x)
    add("hinge", "hinge_embedding_loss", {"input": hinge_x, "target": labels}, ("input",))
    add("hinge_margin", "hinge_embedding_loss", {"input": hinge_x, "target": labels}, ("input",), margin=0.5)
    add("soft_margin", "soft_margin_loss", {"input": r.standard_normal(shape) * 3, "target": labels}, ("input",))
    x1 = r.standard_normal(8)
    x2 = x1 - _away(r, (8,), 0.3, 2.0)
    rank = np.where(r.random(8) < 0.5, -1.0, 1.0)
    add("margin_ranking", "margin_ranking_loss", {"input1": x1, "input2": x2, "target": rank},
        ("input1", "input2", "target"))
    add("margin_ranking_margin", "margin_ranking_loss", {"input1": x1, "input2": x2, "target": rank},
        ("input1", "input2", "target"), margin=0.1)
    e1 = r.standard_normal((6, 3))
    e2 = r.standard_normal((6, 3))
    e_lab = np.array([1.0, -1.0, 1.0, -1.0, -1.0, 1.0])
    add("cosine", "cosine_embedding_loss", {"input1": e1, "input2": e2, "target": e_lab}, ("input1", "input2"))
    add("cosine_margin", "cosine_embedding_loss", {"input1": e1, "input2": e2, "target": e_lab},
        ("input1", "input2"), margin=-0.2)
    add("cosine_1d", "cosine_embedding_loss", {"input1": e1[0], "input2": e2[0], "target": np.array(-1.0)},
        ("input1", "input2"), margin=-0.5, reductions=("mean",))
    return cases


# ----- modules -----------------------------------------------------------------------------------


def _module_case(name: str, ctor: str, kwargs: dict[str, Any], inputs: list[np.ndarray], train: bool = True,
                 seed: int = 0, modes: list[bool] | None = None) -> dict[str, Any]:
    """Random weights (copied to trainer via load_state_dict), then forward/backward per input.

    `modes` gives train (True) or eval (False) per input; by default every step uses `train`.
    """
    torch.manual_seed(seed)
    module = getattr(tnn, ctor)(**kwargs).double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(_rng(seed + 7).uniform(-1.0, 1.0, tuple(p.shape))))
    state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
    steps = []
    for i, x in enumerate(inputs):
        mode = train if modes is None else modes[i]
        module.train(mode)
        module.zero_grad(set_to_none=True)
        xt = torch.tensor(x, requires_grad=x.dtype.kind == "f")
        out = module(xt)
        gout = _rng(seed + 100 + i).standard_normal(tuple(out.shape))
        out.backward(torch.tensor(gout))
        steps.append({
            "train": mode, "input": x, "out": out, "gout": gout,
            "input_grad": xt.grad if xt.grad is not None else None,
            "param_grads": {k: p.grad for k, p in module.named_parameters() if p.grad is not None},
            "state_after": {k: v.detach().clone() for k, v in module.state_dict().items()},
        })
    return {"name": name, "ctor": ctor, "kwargs": kwargs, "train": train, "state": state, "keys": list(state),
            "repr": repr(module), "steps": steps}


def _sequential_case() -> dict[str, Any]:
    torch.manual_seed(0)
    net = tnn.Sequential(tnn.Linear(3, 8), tnn.ReLU(), tnn.Linear(8, 1)).double()
    state = {k: v.detach().clone().numpy() for k, v in net.state_dict().items()}
    x = _rng(50).standard_normal((6, 3))
    y = _rng(51).standard_normal((6, 1))
    xt = torch.tensor(x, requires_grad=True)
    loss = F.mse_loss(net(xt), torch.tensor(y), reduction="sum")
    loss.backward()
    return {"name": "seed_net", "state": state, "keys": list(state), "repr": repr(net), "x": x, "y": y, "loss": loss,
            "input_grad": xt.grad, "param_grads": {k: p.grad for k, p in net.named_parameters()}}


def _more_activation_cases() -> list[dict[str, Any]]:
    """The activations beyond the first set, from their own generator (the earlier cases keep their inputs)."""
    r = _rng(4)
    x = _away(r, (2, 6), 0.05, 4.0)
    x[0, :3] = [-3.5, 3.5, 6.5]  # beyond hardswish's and relu6's bends
    wide = r.uniform(-5, 5, (2, 3, 4))
    cases = []
    for ctor, kwargs, inp in (
            ("Hardtanh", {}, x), ("Hardtanh", {"min_val": -0.5, "max_val": 2.0}, x), ("ReLU6", {}, x * 2),
            ("Threshold", {"threshold": 0.3, "value": -2.0}, x), ("Hardswish", {}, x), ("Hardsigmoid", {}, x),
            ("Mish", {}, x), ("SELU", {}, x), ("CELU", {"alpha": 0.6}, x), ("RReLU", {"lower": 0.1, "upper": 0.4}, x),
            ("LogSigmoid", {}, x), ("Softsign", {}, x), ("Softshrink", {"lambd": 0.3}, x),
            ("Hardshrink", {"lambd": 0.3}, x), ("Tanhshrink", {}, x), ("Softmin", {"dim": 1}, x),
            ("GLU", {}, x), ("GLU", {"dim": 1}, wide[:, :2]), ("Softmax2d", {}, wide), ("PReLU", {}, x),
            ("PReLU", {"num_parameters": 3, "init": 0.1}, wide), ("PReLU", {"num_parameters": 2}, x.reshape(6, 2)),
            ("PixelShuffle", {"upscale_factor": 2}, r.standard_normal((1, 8, 2, 3))),
            ("PixelUnshuffle", {"downscale_factor": 2}, r.standard_normal((2, 1, 2, 4)))):
        suffix = "_".join(f"{k}" for k in kwargs)
        cases.append(_module_case(f"{ctor.lower()}{'_' + suffix if suffix else ''}", ctor, kwargs, [inp],
                                  train=False))
    return cases


def module_cases() -> dict[str, Any]:
    r = _rng(3)
    cases = [
        _module_case("linear", "Linear", {"in_features": 3, "out_features": 4}, [r.standard_normal((5, 3))]),
        _module_case("linear_nobias", "Linear", {"in_features": 3, "out_features": 2, "bias": False},
                     [r.standard_normal((2, 4, 3))]),
        _module_case("layernorm", "LayerNorm", {"normalized_shape": 4}, [r.standard_normal((3, 4)) * 2 + 1]),
        _module_case("layernorm_2d", "LayerNorm", {"normalized_shape": [2, 3], "eps": 1e-3},
                     [r.standard_normal((4, 2, 3))]),
        _module_case("layernorm_plain", "LayerNorm", {"normalized_shape": 3, "elementwise_affine": False},
                     [r.standard_normal((2, 3))]),
        _module_case("layernorm_nobias", "LayerNorm", {"normalized_shape": 3, "bias": False},
                     [r.standard_normal((2, 3))]),
        _module_case("batchnorm_train", "BatchNorm1d", {"num_features": 3},
                     [r.standard_normal((6, 3)) * 2 + 1 for _ in range(3)]),
        _module_case("batchnorm_eval", "BatchNorm1d", {"num_features": 3},
                     [r.standard_normal((6, 3)) for _ in range(2)], train=False),
        _module_case("batchnorm_train_then_eval", "BatchNorm1d", {"num_features": 3, "momentum": 0.2},
                     [r.standard_normal((5, 3)) * 3 - 1 for _ in range(5)], modes=[True, True, True, False, False]),
        _module_case("batchnorm_3d_train_then_eval", "BatchNorm1d", {"num_features": 2},
                     [r.standard_normal((3, 2, 4)) + 2 for _ in range(4)], modes=[True, True, False, True]),
        _module_case("batchnorm_3d", "BatchNorm1d", {"num_features": 2, "momentum": 0.3, "eps": 1e-3},
                     [r.standard_normal((3, 2, 4)) for _ in range(2)]),
        _module_case("batchnorm_cumulative", "BatchNorm1d", {"num_features": 3, "momentum": None},
                     [r.standard_normal((4, 3)) + i for i in range(3)]),
        _module_case("batchnorm_plain", "BatchNorm1d", {"num_features": 3, "affine": False},
                     [r.standard_normal((5, 3))]),
        _module_case("batchnorm_untracked", "BatchNorm1d", {"num_features": 3, "track_running_stats": False},
                     [r.standard_normal((5, 3))], train=False),
        _module_case("embedding", "Embedding", {"num_embeddings": 6, "embedding_dim": 3},
                     [np.array([[0, 2, 2], [5, 1, 0]])]),
        _module_case("embedding_padding", "Embedding", {"num_embeddings": 6, "embedding_dim": 3, "padding_idx": 2},
                     [np.array([[0, 2, 2], [5, 1, 0]])]),
        _module_case("embedding_freq", "Embedding",
                     {"num_embeddings": 6, "embedding_dim": 3, "scale_grad_by_freq": True},
                     [np.array([[0, 2, 2], [5, 2, 0]])]),
        _module_case("embedding_max_norm", "Embedding", {"num_embeddings": 6, "embedding_dim": 3, "max_norm": 1.0},
                     [np.array([1, 3, 3, 4])]),
        _module_case("flatten", "Flatten", {}, [r.standard_normal((2, 3, 2))]),
        _module_case("flatten_range", "Flatten", {"start_dim": 0, "end_dim": 1}, [r.standard_normal((2, 3, 2))]),
        _module_case("identity", "Identity", {}, [r.standard_normal((2, 3))]),
    ]
    x = _away(r, (2, 5), 0.05, 3.0)
    for ctor, kwargs in (("ReLU", {}), ("LeakyReLU", {"negative_slope": 0.1}),
                         ("ELU", {"alpha": 0.7}), ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("SiLU", {}),
                         ("Sigmoid", {}), ("Tanh", {}), ("Softplus", {"beta": 0.5, "threshold": 2.0}),
                         ("Softmax", {"dim": 1}), ("LogSoftmax", {"dim": 0}), ("Dropout", {"p": 0.3})):
        suffix = "_".join(f"{k}" for k in kwargs)
        cases.append(_module_case(f"{ctor.lower()}{'_' + suffix if suffix else ''}", ctor, kwargs, [x], train=False))
    cases += _more_activation_cases()
    reprs = {}
    for ctor, kwargs in (("MSELoss", {}), ("CrossEntropyLoss", {"label_smoothing": 0.1}), ("KLDivLoss", {}),
                         ("Dropout", {"p": 0.25}), ("ReLU", {"inplace": True}),
                         ("ELU", {"alpha": 0.5, "inplace": True}),
                         ("BatchNorm1d", {"num_features": 4, "momentum": None, "affine": False}),
                         ("Hardtanh", {"min_val": -2, "max_val": 3, "inplace": True}), ("ReLU6", {"inplace": True}),
                         ("Threshold", {"threshold": 0.1, "value": 20.0}), ("PReLU", {"num_parameters": 4}),
                         ("RReLU", {}), ("Softshrink", {}), ("Hardswish", {"inplace": True}), ("GLU", {}),
                         ("CELU", {"inplace": True}), ("Mish", {"inplace": True}), ("SELU", {"inplace": True}),
                         ("Embedding", {"num_embeddings": 5, "embedding_dim": 2, "padding_idx": 0, "max_norm": 2.0})):
        reprs[f"{ctor}{sorted(kwargs.items())}"] = {"ctor": ctor, "kwargs": kwargs, "repr": repr(getattr(tnn, ctor)(
            **kwargs))}
    return {"cases": cases, "sequential": _sequential_case(), "reprs": reprs}


def main(out_dir: Path) -> None:
    torch.set_default_dtype(torch.float64)
    write_json(out_dir / "activations.json", activation_cases())
    write_json(out_dir / "losses.json", loss_cases())
    write_json(out_dir / "modules.json", module_cases())
