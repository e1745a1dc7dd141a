"""torch.func behaviours beyond single reference values: randomness modes, what stays attached to the graph,
module state around functional_call, agreement with trainer.autograd, and the lazy loading."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import trainer
from trainer import nn
from trainer.autograd.random import Generator
from trainer.func import (
    _pytree,
    functional_call,
    grad,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    linearize,
    stack_module_state,
    vjp,
    vmap,
)


def _x(*shape: int) -> trainer.Tensor:
    return trainer.tensor(np.random.default_rng(5).standard_normal(shape), dtype=trainer.float64)


# ----- randomness --------------------------------------------------------------------------------------------------
def test_different_draws_differ_per_slice_with_the_right_shapes() -> None:
    # PyTorch draws one (B, ...) tensor; a loop draws B times, so the values are not PyTorch's, only their kind
    trainer.manual_seed(0)
    out = vmap(lambda a: a + trainer.rand(5), randomness="different")(trainer.zeros(4, 3, 5))
    assert out.shape == (4, 3, 5)
    rows = out._array[:, 0]
    assert all(not np.array_equal(rows[i], rows[j]) for i in range(4) for j in range(i))
    np.testing.assert_array_equal(out._array[:, 0], out._array[:, 2])  # one draw per slice, broadcast in it
    masks = vmap(lambda a: nn.functional.dropout(a, 0.5), randomness="different")(trainer.ones(6, 40))
    assert masks.shape == (6, 40) and len({tuple(r) for r in masks._array.tolist()}) == 6


def test_same_gives_every_slice_one_draw_and_advances_the_generator_once() -> None:
    trainer.manual_seed(3)
    out = vmap(lambda a: trainer.randn(7) * a, randomness="same")(trainer.ones(4, 1))
    after = trainer.rand(2)
    trainer.manual_seed(3)
    once = trainer.randn(7)
    np.testing.assert_array_equal(out._array, np.broadcast_to(once._array, (4, 7)))
    np.testing.assert_array_equal(trainer.rand(2)._array, after._array)


def test_nested_levels_combine_same_and_different() -> None:
    trainer.manual_seed(1)
    out = vmap(vmap(lambda a: trainer.rand(()) + a, randomness="different"), randomness="same")(trainer.zeros(3, 4))
    assert np.array_equal(out._array[0], out._array[1]) and np.array_equal(out._array[1], out._array[2])
    assert len(set(out._array[0].tolist())) == 4


def test_same_restores_an_explicit_generator_too() -> None:
    g = trainer.Generator().manual_seed(9)
    out = vmap(lambda a: trainer.rand(3, generator=g) + a, randomness="same")(trainer.zeros(5, 3))
    assert all(np.array_equal(out._array[0], r) for r in out._array)


def test_the_guard_exists_only_inside_vmap() -> None:
    plain = vars(Generator)["random"], vars(Generator)["_normal_scalar"]
    with pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(lambda a: a * trainer.rand(3))(trainer.ones(2, 3))
    assert (vars(Generator)["random"], vars(Generator)["_normal_scalar"]) == plain
    seen = []
    vmap(lambda a: seen.append(vars(Generator)["random"] is plain[0]) or a)(trainer.ones(2))
    assert seen == [False, False]
    assert vars(Generator)["random"] is plain[0]


def test_jacrev_runs_random_ops_but_jacfwd_refuses_them() -> None:
    x = _x(3)
    assert jacrev(lambda a: a * trainer.rand(3, dtype=trainer.float64))(x).shape == (3, 3)
    assert jacfwd(lambda a: a * trainer.rand(3, dtype=trainer.float64), randomness="same")(x).shape == (3, 3)


# ----- graph and requires_grad ---------------------------------------------------------------------------------------
def test_nested_transforms_leak_no_requires_grad() -> None:
    x = _x(4)

    def f(a):
        return (a.sin() * a ** 3).sum()

    results = [grad(grad(lambda a: f(a)) and (lambda a: grad(f)(a).sum()))(x), jacrev(jacrev(f))(x),
               jacfwd(jacrev(f))(x), hessian(f)(x), vmap(grad(f))(_x(3, 4)), vmap(hessian(f))(_x(2, 4)),
               jvp(grad(f), (x,), (x,))[1], vjp(grad(f), x)[1](x)[0], linearize(grad(f), x)[1](x)]
    assert [r.requires_grad for r in results] == [False] * len(results)


def test_results_stay_attached_to_an_input_that_requires_grad() -> None:
    x = _x(4).requires_grad_()
    h = hessian(lambda a: (a ** 4).sum())(x)
    assert h.requires_grad
    h.trace().backward()
    np.testing.assert_allclose(x.grad._array, 24 * x.detach()._array, rtol=1e-12)


def test_grad_matches_autograd_functional_on_a_model() -> None:
    trainer.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1)).double()
    x = _x(7, 3)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p):
        return functional_call(model, p, (x,)).pow(2).mean()

    g = grad(loss)(params)
    model.zero_grad()
    model(x).pow(2).mean().backward()
    for name, p in model.named_parameters():
        np.testing.assert_allclose(g[name]._array, p.grad._array, rtol=1e-12)
    h = hessian(lambda w: loss({**params, "2.weight": w}))(params["2.weight"])
    ref = trainer.autograd.functional.hessian(lambda w: loss({**params, "2.weight": w}), params["2.weight"])
    np.testing.assert_allclose(h._array, ref._array, rtol=1e-10, atol=1e-14)


def test_vjp_fn_can_build_a_graph_for_a_cotangent_that_requires_grad() -> None:
    x = _x(3)
    _, fn = vjp(lambda a: a.exp(), x)
    v = _x(3).requires_grad_()
    (g2,) = fn(v, create_graph=False)
    assert not g2.requires_grad
    (g,) = fn(v)
    assert g.requires_grad
    g.sum().backward()  # frees the graph vjp_fn walks: one graph here, a level of its own in PyTorch
    np.testing.assert_allclose(v.grad._array, np.exp(x._array), rtol=1e-12)


# ----- functional_call -----------------------------------------------------------------------------------------------
def test_functional_call_puts_the_modules_tensors_back_even_after_an_error() -> None:
    class Failing(nn.Linear):
        def forward(self, x):
            assert self.weight.shape == (5, 5) and not isinstance(self.weight, nn.Parameter)
            raise KeyError("inside forward")

    model = Failing(3, 2)
    weight, bias = model.weight, model.bias
    with pytest.raises(KeyError, match="inside forward"):
        functional_call(model, {"weight": trainer.zeros(5, 5)}, (trainer.ones(1, 3),))
    assert model.weight is weight and model.bias is bias and list(model._parameters) == ["weight", "bias"]
    model = nn.Linear(3, 2)
    out = functional_call(model, {"extra": trainer.ones(1)}, (trainer.ones(1, 3),))
    assert out.shape == (1, 2) and not hasattr(model, "extra")


def test_ensembling_trains_the_stacked_parameters() -> None:
    trainer.manual_seed(0)
    models = [nn.Linear(3, 2) for _ in range(4)]
    params, buffers = stack_module_state(models)
    base = models[0]
    x = trainer.randn(6, 3)
    out = vmap(lambda p, b, a: functional_call(base, (p, b), (a,)), in_dims=(0, 0, None))(params, buffers, x)
    out.sum().backward()
    assert params["weight"].grad.shape == (4, 2, 3) and base.weight.grad is None
    np.testing.assert_allclose(params["bias"].grad._array, np.full((4, 2), 6.0), rtol=1e-6)


def test_the_names_are_where_pytorch_has_them() -> None:
    assert trainer.vmap is trainer.func.vmap
    assert trainer.nn.utils.stateless._functional_call is not None
    with pytest.warns(FutureWarning, match="torch.func.functional_call"):
        trainer.nn.utils.stateless.functional_call(nn.Linear(2, 2), {}, (trainer.ones(2),))
    assert set(trainer.func.__all__) <= set(dir(trainer.func))


def test_importing_trainer_func_loads_no_transform_until_used() -> None:
    code = ("import sys, trainer; f = trainer.func; before = sorted(m for m in sys.modules if m.startswith("
            "'trainer.func.') or m == 'trainer.nn'); f.grad; print(before, 'trainer.func._grad' in sys.modules, "
            "'trainer.nn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["[]", "True", "False"]


# ----- vmap details --------------------------------------------------------------------------------------------------
def test_out_dims_none_returns_the_unbatched_object_and_slices_are_views() -> None:
    y = _x(3)
    out, same = vmap(lambda a: (a * 2, y), out_dims=(0, None))(_x(4, 3))
    assert same is y
    x = trainer.zeros(3, 2)
    vmap(lambda r: r.add_(1))(x)  # in-place writes reach the input, as PyTorch's batched in-place ops do
    np.testing.assert_array_equal(x._array, np.ones((3, 2)))


def test_chunked_vmap_equals_the_unchunked_one() -> None:
    x = _x(7, 3)
    for size in (1, 2, 3, 7, 10):
        np.testing.assert_array_equal(vmap(lambda a: a.exp() @ a, chunk_size=size)(x)._array,
                                      vmap(lambda a: a.exp() @ a)(x)._array)


def test_pytree_prefixes_broadcast_like_pytorchs() -> None:
    _, spec = _pytree.tree_flatten(({"b": 1, "a": [2, 3]}, 4))
    assert _pytree.broadcast_to_and_flatten(0, spec) == [0, 0, 0, 0]
    # in the prefix's key order, as PyTorch's (so in_dims={"b": .., "a": ..} for a dict {"a", "b"} swaps them)
    assert _pytree.broadcast_to_and_flatten(({"a": 1, "b": None}, 2), spec) == [1, 1, None, 2]
    assert _pytree.broadcast_to_and_flatten(({"a": 1}, 2), spec) is None
    assert _pytree.broadcast_to_and_flatten([0, 1], spec) is None
