"""The Optimizer contract: param_groups, lazy state, zero_grad, step(closure), add_param_group, state_dict."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import trainer
from trainer import optim


def _quadratic_grads(params: list[trainer.Tensor]) -> trainer.Tensor:
    loss = (params[0] * params[0]).sum()
    for p in params[1:]:
        loss = loss + (p * p * 2.0).sum()
    loss.backward()
    return loss


def _params() -> list[trainer.Tensor]:
    return [trainer.tensor([1.0, -2.0], requires_grad=True), trainer.tensor([[0.5, 1.5]], requires_grad=True)]


def test_param_groups_carry_every_hyperparameter_with_per_group_overrides() -> None:
    a, b = _params()
    opt = optim.Adam([{"params": [a]}, {"params": b, "lr": 0.5, "betas": (0.5, 0.9)}], lr=0.01)
    g0, g1 = opt.param_groups
    assert g0["params"] == [a] and g1["params"] == [b]
    for key in ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"):
        assert key in g0 and key in g1
    assert g0["lr"] == 0.01 and g1["lr"] == 0.5 and g1["betas"] == (0.5, 0.9)
    assert opt.defaults["lr"] == 0.01
    assert "Parameter Group 1" in repr(opt)


def test_repr_is_pytorchs_text() -> None:
    w, b = trainer.nn.Parameter(trainer.zeros(2)), trainer.nn.Parameter(trainer.zeros(1))
    opt = optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    group = ("    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: {}\n"
             "    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n")
    assert repr(opt) == (f"SGD (\nParameter Group 0\n{group.format(0.1)}\nParameter Group 1\n{group.format(0.5)})")
    opt.param_groups.clear()
    assert repr(opt) == "SGD ()"


def test_state_is_created_lazily_and_keyed_by_parameter() -> None:
    a, b = _params()
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    assert len(opt.state) == 0
    _quadratic_grads([a])  # b gets no gradient and is skipped
    opt.step()
    assert set(opt.state) == {a}
    assert isinstance(opt.state[a]["momentum_buffer"], trainer.Tensor)
    np.testing.assert_array_equal(b._array, [[0.5, 1.5]])


def test_zero_grad_sets_to_none_or_zeroes_in_place() -> None:
    a, b = _params()
    opt = optim.SGD([a, b])
    _quadratic_grads([a, b])
    opt.zero_grad(set_to_none=False)
    assert a.grad is not None and not a.grad._array.any()
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_step_returns_the_closure_loss_and_none_without_closure() -> None:
    a, b = _params()
    opt = optim.Adam([a, b], lr=0.1)
    calls = []

    def closure() -> trainer.Tensor:
        opt.zero_grad()
        assert trainer.is_grad_enabled()
        calls.append(1)
        return _quadratic_grads([a, b])

    with trainer.no_grad():
        loss = opt.step(closure)
    assert isinstance(loss, trainer.Tensor) and float(loss) == pytest.approx(1 + 4 + 2 * (0.25 + 2.25))
    assert calls == [1]
    assert opt.step() is None


def test_step_updates_in_place_and_keeps_identity() -> None:
    a, b = _params()
    arrays = [a._array, b._array]
    opt = optim.AdamW([a, b], lr=0.1)
    _quadratic_grads([a, b])
    opt.step()
    assert a._array is arrays[0] and b._array is arrays[1]
    assert not np.array_equal(a._array, [1.0, -2.0])


def test_add_param_group_fills_defaults_and_rejects_overlap() -> None:
    a, b = _params()
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 0.2})
    assert opt.param_groups[1]["lr"] == 0.2 and opt.param_groups[1]["momentum"] == 0.9
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="ordered collections"):
        opt.add_param_group({"params": {trainer.zeros(1, requires_grad=True)}})
    with pytest.raises(TypeError, match="must be a dict"):
        opt.add_param_group([a])  # type: ignore[arg-type]


def test_constructor_rejects_bad_params() -> None:
    a, _ = _params()
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([])
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(a)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([np.zeros(2)])
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([a * 2.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optim.SGD([a, a])
    assert any("duplicate parameters" in str(w.message) for w in caught)


def test_named_parameters_are_kept_as_param_names() -> None:
    a, b = _params()
    opt = optim.SGD([("a", a), ("b", b)], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["a", "b"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["a", "b"]
    with pytest.raises(ValueError, match="with/without names"):
        opt.add_param_group({"params": [trainer.zeros(1, requires_grad=True)]})


def test_state_dict_uses_integer_indices_and_is_a_snapshot() -> None:
    a, b = _params()
    c = trainer.tensor([3.0], requires_grad=True)
    opt = optim.Adam([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1)
    _quadratic_grads([a, b, c])
    opt.step()
    sd = opt.state_dict()
    assert set(sd["state"]) == {0, 1, 2}
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1]["lr"] == 0.5
    assert set(sd["state"][2]) == {"step", "exp_avg", "exp_avg_sq"}
    saved = sd["state"][0]["exp_avg"]._array.copy()
    opt.step()
    np.testing.assert_array_equal(sd["state"][0]["exp_avg"]._array, saved)


def test_load_state_dict_checks_shape_of_groups() -> None:
    a, b = _params()
    sd = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD([a], lr=0.1).load_state_dict(sd)


def test_load_state_dict_accepts_arrays_and_string_keys_and_casts_to_param_dtype() -> None:
    a = trainer.tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    sd = {"state": {"0": {"momentum_buffer": np.array([0.5, 0.25])}},
          "param_groups": [{"lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False,
                            "maximize": False, "params": [0]}]}
    opt = optim.SGD([a], lr=1.0, momentum=0.5)
    opt.load_state_dict(sd)
    buf = opt.state[a]["momentum_buffer"]
    assert isinstance(buf, trainer.Tensor) and buf.dtype == np.float32
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["params"] == [a]


def test_maximize_is_descent_on_the_negated_objective() -> None:
    a1, _ = _params()
    a2, _ = _params()
    up = optim.Adam([a1], lr=0.1, maximize=True)
    down = optim.Adam([a2], lr=0.1)
    for _ in range(3):
        up.zero_grad()
        down.zero_grad()
        (a1 * a1).sum().backward()
        (-(a2 * a2)).sum().backward()
        up.step()
        down.step()
    np.testing.assert_allclose(a1._array, a2._array, rtol=1e-6)


def test_adagrad_creates_state_eagerly() -> None:
    a, b = _params()
    opt = optim.Adagrad([a, b], initial_accumulator_value=0.3)
    assert set(opt.state) == {a, b}
    np.testing.assert_array_equal(opt.state[b]["sum"]._array, np.full((1, 2), 0.3, dtype=np.float32))


@pytest.mark.parametrize(
    ("make", "keys"),
    [
        (lambda ps: optim.Adam(ps), ["step", "exp_avg", "exp_avg_sq"]),
        (lambda ps: optim.Adam(ps, amsgrad=True), ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]),
        (lambda ps: optim.NAdam(ps), ["step", "mu_product", "exp_avg", "exp_avg_sq"]),
        (lambda ps: optim.ASGD(ps), ["step", "eta", "mu", "ax"]),
        (lambda ps: optim.Rprop(ps), ["step", "prev", "step_size"]),
        (lambda ps: optim.RMSprop(ps, momentum=0.9, centered=True),
         ["step", "square_avg", "momentum_buffer", "grad_avg"]),
        (lambda ps: optim.RMSprop(ps, centered=True), ["step", "square_avg", "grad_avg"]),
    ],
)
def test_gathered_state_is_created_in_pytorchs_key_order_with_scalar_steps(make, keys) -> None:
    a, b = _params()
    opt = make([a, b])
    _quadratic_grads([a])  # b has no gradient: no state for it yet
    opt.step()
    assert list(opt.state) == [a] and list(opt.state[a]) == keys
    step = opt.state[a]["step"]._array
    assert step.shape == () and float(step) == 1.0
    skipped = ("step", "mu_product", "eta", "mu")
    assert all(opt.state[a][k]._array.shape == a._array.shape for k in keys if k not in skipped)


def test_gather_returns_empty_lists_for_optional_state_left_out() -> None:
    a, b = _params()
    opt = optim.RMSprop([a, b], momentum=0.9)
    _quadratic_grads([a, b])
    params, grads, square_avgs, buffers, grad_avgs, steps = opt._gather(
        opt.param_groups[0], ("square_avg",), optional={"momentum_buffer": True, "grad_avg": False})
    assert len(params) == len(grads) == len(square_avgs) == len(buffers) == len(steps) == 2 and grad_avgs == []
    assert params[0] is a._array and buffers[1] is opt.state[b]["momentum_buffer"]._array
