"""torch.func scenarios shared by tools/references_func.py (run with PyTorch) and tests/func/test_references.py
(run with trainer): each takes the `torch` module and returns a pytree of tensors, numbers and flags, or raises.

The data are fixed numpy draws (platform-independent), the tensors float64.
"""

from __future__ import annotations

import copy
from collections import OrderedDict, namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np

Pair = namedtuple("Pair", "a b")

_RNG = np.random.default_rng(2313)
DATA = {
    "x": _RNG.standard_normal(4), "y": _RNG.standard_normal(4), "m": _RNG.standard_normal((3, 4)),
    "batch": _RNG.standard_normal((5, 4)), "batch2": _RNG.standard_normal((4, 5)),
    "w1": _RNG.standard_normal((6, 4)) * 0.5, "b1": _RNG.standard_normal(6) * 0.1,
    "w2": _RNG.standard_normal((3, 6)) * 0.5, "b2": _RNG.standard_normal(3) * 0.1,
    "samples": _RNG.standard_normal((7, 4)), "targets": _RNG.integers(0, 3, 7),
    "ensemble": [_RNG.standard_normal(n) * 0.4 for n in (24, 6, 18, 3) for _ in range(3)],
}


def t(torch: Any, name: str) -> Any:
    return torch.tensor(DATA[name], dtype=torch.float64)


def _mlp(torch: Any) -> Any:
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3)).double()
    with torch.no_grad():
        for p, key in zip(model.parameters(), ("w1", "b1", "w2", "b2")):
            p.copy_(t(torch, key))
    return model


def _ensemble(torch: Any) -> list[Any]:
    models = []
    for k in range(3):
        m = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3)).double()
        with torch.no_grad():
            for j, p in enumerate(m.parameters()):
                p.copy_(torch.tensor(DATA["ensemble"][3 * j + k], dtype=torch.float64).reshape(p.shape))
        models.append(m)
    return models


def f_scalar(torch: Any) -> Callable[[Any], Any]:
    return lambda x: (torch.sin(x) * x ** 2).sum()


# ----- values ------------------------------------------------------------------------------------------------------
def grad_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func
    x, y = t(torch, "x"), t(torch, "y")
    f = f_scalar(torch)

    def two(a, b):
        return (a * b.exp()).sum() + (a ** 2 * b).sum()

    return {
        "grad": lambda: F.grad(f)(x),
        "grad_grad": lambda: F.grad(lambda z: F.grad(f)(z).sum())(x),
        "grad_argnums_1": lambda: F.grad(two, argnums=1)(x, y),
        "grad_argnums_tuple": lambda: F.grad(two, argnums=(0, 1))(x, y),
        "grad_argnums_negative": lambda: F.grad(two, argnums=-1)(x, y),
        "grad_has_aux": lambda: F.grad(lambda z: (f(z), {"sq": z ** 2, "c": [z.cos()]}), has_aux=True)(x),
        "grad_and_value": lambda: F.grad_and_value(f)(x),
        "grad_and_value_aux": lambda: F.grad_and_value(lambda z: (f(z), z.cos()), has_aux=True)(x),
        "grad_dict": lambda: F.grad(lambda d: (d["a"] * d["b"]).sum() + d["c"][0].sum())(
            {"a": x, "b": y, "c": [x * 2]}),
        "grad_kwargs": lambda: F.grad(lambda z, scale=1.0: (z * scale).pow(2).sum())(x, scale=3.0),
        "grad_unused": lambda: F.grad(lambda a, b: (a ** 2).sum(), argnums=(0, 1))(x, y),
        "grad_constant": lambda: F.grad(lambda z: torch.ones((), dtype=torch.float64))(x),
        "grad_of_grad_of_grad": lambda: F.grad(F.grad(F.grad(lambda s: s.sin() * s ** 3)))(x[0]),
        "grad_closure_flag": lambda: [(lambda w: F.grad(lambda z: (z * w).sum())(y).requires_grad)(
                                          x.clone().requires_grad_()),
                                      F.grad(f)(x.clone().requires_grad_()).requires_grad,
                                      F.grad(f)(x).requires_grad],
        "grad_input_backward": lambda: _grad_then_backward(torch),
        "grad_no_grad_inside": lambda: F.grad(lambda z: _no_grad_inside(torch, z))(x),
        "grad_under_no_grad": lambda: _under_no_grad(torch),
        "grad_namedtuple": lambda: F.grad(lambda p: (p.a * p.b).sum())(Pair(x, y)),
    }


def _grad_then_backward(torch: Any) -> Any:
    x = t(torch, "x").requires_grad_()
    g = torch.func.grad(f_scalar(torch))(x)
    g.sum().backward()
    return [g, x.grad]


def _no_grad_inside(torch: Any, z: Any) -> Any:
    with torch.no_grad():
        c = z ** 2
    return (z * c).sum()


def _under_no_grad(torch: Any) -> Any:
    x = t(torch, "x").requires_grad_()
    with torch.no_grad():
        g = torch.func.grad(f_scalar(torch))(x)
    return [g, g.requires_grad]


def jacobian_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func
    x, y, m = t(torch, "x"), t(torch, "y"), t(torch, "m")
    f = f_scalar(torch)

    def vec(a):
        return a.sin() * a.exp().sum()

    def two(a, b):
        return m @ (a * b), (a ** 2).sum()

    return {
        "jacrev": lambda: F.jacrev(vec)(x),
        "jacfwd": lambda: F.jacfwd(vec)(x),
        "jacrev_tuple": lambda: F.jacrev(two, argnums=(0, 1))(x, y),
        "jacfwd_tuple": lambda: F.jacfwd(two, argnums=(0, 1))(x, y),
        "jacrev_argnum1": lambda: F.jacrev(two, argnums=1)(x, y),
        "jacrev_dict_input": lambda: F.jacrev(lambda d: d["u"] * d["v"].sum())({"u": x, "v": y}),
        "jacrev_has_aux": lambda: F.jacrev(lambda a: (a.exp(), a.sum()), has_aux=True)(x),
        "jacfwd_has_aux": lambda: F.jacfwd(lambda a: (a.exp(), a.sum()), has_aux=True)(x),
        "jacrev_chunk": lambda: F.jacrev(vec, chunk_size=3)(x),
        "jacrev_matrix": lambda: F.jacrev(lambda a: a @ a.T)(m),
        "jacrev_jacrev": lambda: F.jacrev(F.jacrev(vec))(x),
        "jacfwd_jacrev": lambda: F.jacfwd(F.jacrev(vec))(x),
        "hessian": lambda: F.hessian(f)(x),
        "hessian_argnums": lambda: F.hessian(lambda a, b: (a.sin() * b.cos() * (a * b).sum()).sum(), argnums=(0, 1))(
            x, y),
        "hessian_matrix": lambda: F.hessian(lambda a: (a.sin() @ a.T).sum())(m),
        "vmap_jacrev": lambda: F.vmap(F.jacrev(vec))(t(torch, "batch")),
        "vmap_hessian": lambda: F.vmap(F.hessian(f))(t(torch, "batch")),
        "jacrev_scalar_out": lambda: F.jacrev(f)(x),
        "jacrev_flags": lambda: [F.jacrev(vec)(x).requires_grad,
                                 F.jacrev(vec)(x.clone().requires_grad_()).requires_grad],
    }


def product_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func
    x, y, m = t(torch, "x"), t(torch, "y"), t(torch, "m")

    def two(a, b):
        return (m @ a).tanh() * b[:3], {"s": (a * b).sum()}

    def vjp_result():
        out, fn = F.vjp(two, x, y)
        return [out, fn((torch.ones(3, dtype=torch.float64) * 0.5, {"s": torch.tensor(2.0, dtype=torch.float64)}))]

    def vjp_aux():
        out, fn, aux = F.vjp(lambda a: (a.sin(), a.cos()), x, has_aux=True)
        return [out, fn(y), aux]

    def linearize_result():
        out, fn = F.linearize(lambda a, b: (a.sin() * b, a.exp()), x, y)
        return [out, fn(y, x), fn(x, x)]

    return {
        "vjp": vjp_result,
        "vjp_aux": vjp_aux,
        "vjp_twice": lambda: (lambda o_fn: [o_fn[1](y), o_fn[1](x)])(F.vjp(lambda a: a.exp() * a, x)),
        "jvp": lambda: F.jvp(two, (x, y), (y, x)),
        "jvp_aux": lambda: F.jvp(lambda a: (a.sin(), a.cos()), (x,), (y,), has_aux=True),
        "jvp_constant": lambda: F.jvp(lambda a: torch.ones(2, dtype=torch.float64), (x,), (y,)),
        "jvp_nested": lambda: F.jvp(lambda a: F.grad(lambda b: (b.sin() * b ** 2).sum())(a), (x,), (y,)),
        "linearize": linearize_result,
        "grad_of_jvp": lambda: F.grad(lambda a: F.jvp(lambda b: (b ** 3).sum(), (a,), (y,))[1])(x),
    }


def vmap_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func

    def w_of(a):
        return a * 1.5
    x, batch, batch2, m = t(torch, "x"), t(torch, "batch"), t(torch, "batch2"), t(torch, "m")

    return {
        "dot": lambda: F.vmap(torch.dot)(batch, batch * 2),
        "in_dims_1": lambda: F.vmap(torch.dot, in_dims=1)(batch2, batch2),
        "in_dims_none": lambda: F.vmap(torch.dot, in_dims=(0, None))(batch, x),
        "in_dims_negative": lambda: F.vmap(lambda a: a.sum(), in_dims=-1)(batch2),
        "in_dims_dict": lambda: F.vmap(lambda d: torch.dot(d["x"], d["y"]), in_dims=({"x": 0, "y": None},))(
            {"x": batch, "y": x}),
        "in_dims_dict_order": lambda: F.vmap(lambda d: d["a"] * d["b"], in_dims=({"b": None, "a": 0},))(
            {"a": t(torch, "m"), "b": x[:3]}),
        "out_dims_1": lambda: F.vmap(lambda a: a.outer(a), out_dims=1)(batch),
        "out_dims_tuple": lambda: F.vmap(lambda a: (a * 2, a.sum()), out_dims=(1, 0))(batch),
        "out_dims_none": lambda: F.vmap(lambda a: (a * 2, x), out_dims=(0, None))(batch),
        "out_dims_negative": lambda: F.vmap(lambda a: m * a.sum(), out_dims=-1)(batch),
        "nested": lambda: F.vmap(F.vmap(torch.dot))(batch.reshape(5, 2, 2), batch.reshape(5, 2, 2) + 1),
        "nested_in_dims": lambda: F.vmap(F.vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))(x, batch),
        "kwargs": lambda: F.vmap(lambda a, scale=1.0: a * scale)(batch, scale=x),
        "chunk_size": lambda: F.vmap(lambda a: a.exp().sum(), chunk_size=2)(batch),
        "chunk_size_1": lambda: F.vmap(lambda a: (a.exp(), a.sum()), chunk_size=1, out_dims=(1, 0))(batch),
        "unbatched_output": lambda: F.vmap(lambda a: m.sum(0))(batch),
        "python_scalar_in": lambda: F.vmap(lambda a, k: a * k, in_dims=(0, None))(batch, 3.0),
        "list_input": lambda: F.vmap(lambda pair: pair[0] - pair[1])([batch, batch * 3]),
        "matmul_batched": lambda: F.vmap(torch.mv, in_dims=(None, 0))(m, batch),
        "vmap_grad": lambda: F.vmap(F.grad(f_scalar(torch)))(batch),
        "grad_vmap": lambda: F.grad(lambda a: F.vmap(lambda r: (r ** 3).sum())(a).sum())(batch),
        "grad_of_vmap_grad": lambda: F.grad(lambda w: F.vmap(F.grad(lambda w_, r: ((w_ * r).sin() * w).sum()),
                                                             in_dims=(None, 0))(w_of(x), batch).pow(2).sum())(x),
        "jacrev_of_vjp_fn": lambda: F.jacrev(lambda c: F.vjp(lambda a: (m @ a).tanh(), x)[1](c)[0])(x[:3]),
        "hessian_of_functional_call": lambda: (lambda model: F.hessian(lambda w: F.functional_call(
            model, {"2.weight": w}, (batch,)).pow(2).sum())(t(torch, "w2")))(_mlp(torch)),
        "vmap_flags": lambda: [F.vmap(lambda a: a * 2)(batch).requires_grad,
                               F.vmap(lambda a: a * 2)(batch.clone().requires_grad_()).requires_grad],
        "empty_batch": lambda: F.vmap(lambda a: a * 2)(torch.zeros(0, 3, dtype=torch.float64)).shape,
        "top_level_alias": lambda: torch.vmap(torch.dot)(batch, batch),
    }


def random_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func

    def same():
        torch.manual_seed(7)
        out = F.vmap(lambda a: a + torch.rand(4, dtype=torch.float64), randomness="same")(t(torch, "batch"))
        return [out, torch.rand(3)]

    def same_chunked():
        torch.manual_seed(11)
        out = F.vmap(lambda a: a * torch.randn(4), randomness="same", chunk_size=2)(t(torch, "batch").float())
        return [out, torch.rand(2)]

    def same_dropout():
        torch.manual_seed(3)
        out = F.vmap(lambda a: torch.nn.functional.dropout(a, 0.5), randomness="same")(t(torch, "batch"))
        return [out, torch.rand(2)]

    return {"same": same, "same_chunked": same_chunked, "same_dropout": same_dropout}


def module_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func
    batch = t(torch, "batch")

    def call():
        model = _mlp(torch)
        new = {k: v * 2 for k, v in model.named_parameters()}
        return [F.functional_call(model, new, (batch,)), model(batch), F.functional_call(model, new, batch)]

    def call_two_dicts():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3)).double()
        model.eval()
        params = {k: v.detach() + 1 for k, v in model.named_parameters()}
        buffers = {k: v + 0.5 if v.is_floating_point() else v for k, v in model.named_buffers()}
        return F.functional_call(model, (params, buffers), (batch,))

    def call_kwargs():
        model = torch.nn.Bilinear(4, 4, 2).double()
        params = {"weight": torch.ones(2, 4, 4, dtype=torch.float64), "bias": torch.zeros(2, dtype=torch.float64)}
        return F.functional_call(model, params, (batch,), {"input2": batch * 2})

    def call_partial():
        model = _mlp(torch)
        return F.functional_call(model, {"2.bias": torch.ones(3, dtype=torch.float64)}, (batch,))

    def buffer_update():
        model = torch.nn.BatchNorm1d(4).double()
        buffers = {k: v.clone() for k, v in model.named_buffers()}
        out = F.functional_call(model, buffers, (batch,))
        return [out, buffers, model.running_mean]

    def tied():
        torch.manual_seed(1)
        model = torch.nn.Sequential(torch.nn.Linear(4, 4, bias=False), torch.nn.Linear(4, 4, bias=False)).double()
        model[1].weight = model[0].weight
        w = torch.eye(4, dtype=torch.float64) * 2
        return [F.functional_call(model, {"0.weight": w}, (batch,)),
                F.functional_call(model, {"0.weight": w}, (batch,), tie_weights=False)]

    def grads_of_params():
        model = _mlp(torch)
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss(p, x, target):
            return torch.nn.functional.cross_entropy(F.functional_call(model, p, (x,)), target)

        return F.grad(loss)(params, t(torch, "samples"), torch.tensor(DATA["targets"]))

    def per_sample():
        model = _mlp(torch)
        params = {k: v.detach() for k, v in model.named_parameters()}
        buffers = {k: v.detach() for k, v in model.named_buffers()}

        def compute_loss(p, b, sample, target):
            predictions = F.functional_call(model, (p, b), (sample.unsqueeze(0),))
            return torch.nn.functional.cross_entropy(predictions, target.unsqueeze(0))

        grads = F.vmap(F.grad(compute_loss), in_dims=(None, None, 0, 0))(
            params, buffers, t(torch, "samples"), torch.tensor(DATA["targets"]))
        return [grads, [g.requires_grad for g in grads.values()]]

    def ensemble():
        models = _ensemble(torch)
        params, buffers = F.stack_module_state(models)
        base = copy.deepcopy(models[0])

        def fmodel(p, b, x):
            return F.functional_call(base, (p, b), (x,))

        minibatches = t(torch, "samples")[:6].reshape(3, 2, 4)
        return [params, [p.requires_grad for p in params.values()], [p.is_leaf for p in params.values()],
                F.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, t(torch, "samples")),
                F.vmap(fmodel)(params, buffers, minibatches)]

    def ensemble_buffers():
        models = [torch.nn.BatchNorm1d(3).double() for _ in range(2)]
        params, buffers = F.stack_module_state(models)
        return [buffers, list(buffers)]

    def stateless_deprecated():
        model = _mlp(torch)
        new = {k: v * 0.5 for k, v in model.named_parameters()}
        return torch.nn.utils.stateless.functional_call(model, new, (batch,))

    def batch_norm_replaced():
        model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.InstanceNorm1d(3))
        F.replace_all_batch_norm_modules_(model)
        return [model[1].running_mean is None, model[1].track_running_stats, model[2].track_running_stats]

    return {"call": call, "call_two_dicts": call_two_dicts, "call_kwargs": call_kwargs, "call_partial": call_partial,
            "buffer_update": buffer_update, "tied": tied, "grads_of_params": grads_of_params,
            "per_sample": per_sample, "ensemble": ensemble, "ensemble_buffers": ensemble_buffers,
            "stateless_deprecated": stateless_deprecated, "batch_norm_replaced": batch_norm_replaced,
            "functionalize": lambda: F.functionalize(lambda a: a.add_(1) * 2)(batch.clone()),
            "debug_unwrap": lambda: F.debug_unwrap(batch)}


def rearrange_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    images = torch.arange(2 * 6 * 4 * 3, dtype=torch.float64).reshape(2, 6, 4, 3)
    r = torch.func.rearrange
    patterns = {
        "identity": ("b h w c -> b h w c", {}), "stack_height": ("b h w c -> (b h) w c", {}),
        "stack_width": ("b h w c -> h (b w) c", {}), "channels_first": ("b h w c -> b c h w", {}),
        "flatten": ("b h w c -> b (c h w)", {}), "split": ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2}),
        "space_to_depth": ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2}),
        "ellipsis": ("b ... c -> c b ...", {}), "ellipsis_group": ("b ... c -> b (...) c", {}),
        "unit_axes": ("b h w c -> b 1 h w c 1", {}), "unsqueeze_group": ("b h w c -> b (h w) () c", {}),
    }
    cases = {name: (lambda p=p, k=k: r(images, p, **k)) for name, (p, k) in patterns.items()}
    cases["squeeze"] = lambda: r(images[:, :1], "b 1 w c -> b w c")
    cases["list"] = lambda: r([images[0], images[1]], "b h w c -> (b h) w c")
    cases["grad"] = lambda: torch.func.grad(lambda a: (r(a, "b h w c -> c (b h w)")[1] ** 2).sum())(images)
    return cases


def value_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    cases = {}
    for group in (grad_cases, jacobian_cases, product_cases, vmap_cases, random_cases, module_cases,
                  rearrange_cases):
        cases.update({f"{group.__name__.removesuffix('_cases')}.{k}": v for k, v in group(torch).items()})
    return cases


# ----- errors ------------------------------------------------------------------------------------------------------
def error_cases(torch: Any) -> dict[str, Callable[[], Any]]:
    F = torch.func
    x, batch, m = t(torch, "x"), t(torch, "batch"), t(torch, "m")

    def mlp_strict():
        model = _mlp(torch)
        return F.functional_call(model, {"0.weight": m, "extra": x}, (batch,), strict=True)

    def tied_two_values():
        model = torch.nn.Sequential(torch.nn.Linear(4, 4, bias=False), torch.nn.Linear(4, 4, bias=False)).double()
        model[1].weight = model[0].weight
        return F.functional_call(model, {"0.weight": m, "1.weight": m * 2}, (batch,))

    def stack_modes():
        a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
        b.eval()
        return F.stack_module_state([a, b])

    def stack_requires_grad():
        a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
        b.weight.requires_grad_(False)
        return F.stack_module_state([a, b])

    def vjp_structure():
        _, fn = F.vjp(lambda a: (a, a), x)
        return fn(x)

    return {
        "grad_not_tensor": lambda: F.grad(lambda a: a.sum().item())(x),
        "grad_not_scalar": lambda: F.grad(lambda a: a * 2)(x),
        "grad_aux_not_tuple": lambda: F.grad(lambda a: a.sum(), has_aux=True)(x),
        "grad_aux_not_tensor": lambda: F.grad(lambda a: (a.sum(), {"n": 3}), has_aux=True)(x),
        "vjp_aux_not_tensor": lambda: F.vjp(lambda a: (a, 3), x, has_aux=True),
        "grad_arg_not_tensor": lambda: F.grad(lambda a: a)(1.5),
        "grad_int_input": lambda: F.grad(lambda a: a.double().sum())(torch.arange(3)),
        "grad_argnum_range": lambda: F.grad(lambda a: a.sum(), argnums=2)(x),
        "grad_argnum_negative_range": lambda: F.grad(lambda a: a.sum(), argnums=-2)(x),
        "grad_argnums_type": lambda: F.grad(lambda a: a.sum(), argnums=[0])(x),
        "grad_argnums_empty": lambda: F.grad(lambda a: a.sum(), argnums=())(x),
        "grad_argnums_repeated": lambda: F.grad(lambda a, b: a.sum(), argnums=(0, -2))(x, x),
        "grad_argnum_float": lambda: F.grad(lambda a: a.sum(), argnums=(0.0,))(x),
        "vjp_not_tensor_output": lambda: F.vjp(lambda a: 1.0, x),
        "vjp_none_output": lambda: F.vjp(lambda a: None, x),
        "vjp_aux_not_tuple": lambda: F.vjp(lambda a: a, x, has_aux=True),
        "vjp_int_output": lambda: F.vjp(lambda a: a.long(), x),
        "vjp_structure": vjp_structure,
        "jvp_primals_not_tuple": lambda: F.jvp(lambda a: a, x, (x,)),
        "jvp_structure": lambda: F.jvp(lambda a, b: a, (x, x), (x,)),
        "jvp_tangent_shape": lambda: F.jvp(lambda a: a, (x,), (batch,)),
        "jvp_not_tensor_primal": lambda: F.jvp(lambda a: a, (1.0,), (1.0,)),
        "jvp_empty": lambda: F.jvp(lambda: x, (), ()),
        "jvp_strict": lambda: F.jvp(lambda a: x * 2, (x,), (x,), strict=True),
        "jvp_aux_not_tuple": lambda: F.jvp(lambda a: a, (x,), (x,), has_aux=True),
        "jvp_not_tensor_output": lambda: F.jvp(lambda a: [a, 2], (x,), (x,)),
        "linearize_structure": lambda: F.linearize(lambda a: a.sin(), x)[1](x, x),
        "linearize_shape": lambda: F.linearize(lambda a: a.sin(), x)[1](batch),
        "linearize_dtype": lambda: F.linearize(lambda a: a.sin(), x)[1](x.float()),
        "jacrev_chunk": lambda: F.jacrev(lambda a: a, chunk_size=0),
        "hessian_builds_a_module": lambda: F.hessian(lambda w: F.functional_call(
            torch.nn.Linear(4, 3).double(), {"weight": w}, (batch,)).pow(2).sum())(m),
        "jacfwd_random": lambda: F.jacfwd(lambda a: a * torch.rand(4, dtype=torch.float64))(x),
        "jacfwd_randomness_arg": lambda: F.jacfwd(lambda a: a, randomness="sometimes")(x),
        "hessian_random": lambda: F.hessian(lambda a: (a * torch.rand(4, dtype=torch.float64)).sum())(x),
        "vmap_randomness_arg": lambda: F.vmap(lambda a: a, randomness="sometimes"),
        "vmap_chunk_size": lambda: F.vmap(lambda a: a, chunk_size=0),
        "vmap_random_error": lambda: F.vmap(lambda a: a * torch.rand(4, dtype=torch.float64))(batch),
        "vmap_randn_error": lambda: F.vmap(lambda a: torch.randn(()) + a)(batch),
        "vmap_dropout_error": lambda: F.vmap(lambda a: torch.nn.functional.dropout(a, 0.3))(batch),
        "vmap_nested_error": lambda: F.vmap(F.vmap(lambda a: a * torch.rand(()), randomness="same"))(
            batch.reshape(5, 2, 2)),
        "vmap_in_dims_type": lambda: F.vmap(lambda a: a, in_dims=[0])(batch),
        "vmap_no_inputs": lambda: F.vmap(lambda: x)(),
        "vmap_in_dims_structure": lambda: F.vmap(lambda a, b: a, in_dims=(0, 0, 0))(batch, batch),
        "vmap_in_dim_float": lambda: F.vmap(lambda a: a, in_dims=(0.5,))(batch),
        "vmap_in_dim_non_tensor": lambda: F.vmap(lambda a, k: a, in_dims=(0, 0))(batch, 2.0),
        "vmap_in_dim_range": lambda: F.vmap(lambda a: a, in_dims=2)(batch),
        "vmap_in_dim_negative_range": lambda: F.vmap(lambda a: a, in_dims=-3)(batch),
        "vmap_sizes": lambda: F.vmap(torch.add)(batch, m),
        "vmap_all_none": lambda: F.vmap(lambda a: a, in_dims=None)(batch),
        "vmap_all_none_tuple": lambda: F.vmap(lambda a: a, in_dims=(None,))(batch),
        "vmap_out_dims_type": lambda: F.vmap(lambda a: a, out_dims="x")(batch),
        "vmap_out_dims_structure": lambda: F.vmap(lambda a: (a, a), out_dims=(0, 0, 0))(batch),
        "vmap_out_dims_tensor_structure": lambda: F.vmap(lambda a: a, out_dims=(0, 1))(batch),
        "vmap_out_not_tensor": lambda: F.vmap(lambda a: (a, 1.5))(batch),
        "vmap_out_none_batched": lambda: F.vmap(lambda a: a * 2, out_dims=None)(batch),
        "vmap_out_dim_range": lambda: F.vmap(lambda a: a, out_dims=3)(batch),
        "functional_call_strict": mlp_strict,
        "functional_call_tied": tied_two_values,
        "functional_call_dict_type": lambda: F.functional_call(_mlp(torch), [{"0.bias": x}, 3], (batch,)),
        "functional_call_repeated": lambda: F.functional_call(_mlp(torch), ({"0.bias": x}, {"0.bias": x}), (batch,)),
        "functional_call_not_dict": lambda: F.functional_call(_mlp(torch), 3, (batch,)),
        "functional_call_not_tensor": lambda: F.functional_call(_mlp(torch), {"0.bias": 3.0}, (batch,)),
        "functional_call_bad_module": lambda: F.functional_call(_mlp(torch), {"7.bias": x}, (batch,)),
        "stack_empty": lambda: F.stack_module_state([]),
        "stack_modes": stack_modes,
        "stack_classes": lambda: F.stack_module_state([torch.nn.Linear(2, 2), torch.nn.Tanh()]),
        "stack_requires_grad": stack_requires_grad,
        "functionalize_remove": lambda: F.functionalize(lambda a: a, remove="views"),
        "rearrange_arrow": lambda: F.rearrange(m, "a b"),
        "rearrange_dots": lambda: F.rearrange(m, "a .. b -> a b"),
        "rearrange_two_ellipses": lambda: F.rearrange(m, "... a ... -> a"),
        "rearrange_duplicate": lambda: F.rearrange(m, "a a -> a"),
        "rearrange_nested": lambda: F.rearrange(m, "((a) b) -> a b"),
        "rearrange_unbalanced": lambda: F.rearrange(m, "a b) -> a b"),
        "rearrange_open": lambda: F.rearrange(m, "(a b -> a b"),
        "rearrange_character": lambda: F.rearrange(m, "a b! -> a b"),
        "rearrange_identifier": lambda: F.rearrange(m, "a _b -> a _b"),
        "rearrange_right_ellipsis": lambda: F.rearrange(m, "a b -> a b ..."),
        "rearrange_left_group_ellipsis": lambda: F.rearrange(m, "a (b ...) -> a b ..."),
        "rearrange_length_type": lambda: F.rearrange(m, "(a b) c -> a b c", a=1.5),
        "rearrange_number": lambda: F.rearrange(m, "a b -> a b 2"),
        "rearrange_one_side": lambda: F.rearrange(m, "a b -> a"),
        "rearrange_unmatched": lambda: F.rearrange(m, "a b -> a b", c=2),
        "rearrange_ndim": lambda: F.rearrange(m, "a b c -> a b c"),
        "rearrange_ndim_ellipsis": lambda: F.rearrange(m, "a b c ... -> a b c ..."),
    }


def structures() -> dict[str, Any]:
    """Pytrees whose flattening, spec printing and prefix broadcasting are compared with torch.utils._pytree."""
    return {"tuple": (1, {"a": 2, "b": [3, None]}), "leaf": 1, "none": None, "ordered": OrderedDict(z=1, a=2),
            "named": Pair(1, (2, 3)), "nested_list": [[1], [2, [3, 4]], ()], "dict_order": {"b": 1, "a": 2}}
