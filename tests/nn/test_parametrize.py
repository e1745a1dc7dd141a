"""trainer.nn.utils.parametrize, parametrizations and the legacy weight_norm / spectral_norm hooks against PyTorch
(tests/references/nn/parametrize.json, made by tools/references_parametrize.py).

Each reference scenario is code written with PyTorch's names; it runs here with `trainer` as `torch`, and every
value it recorded (parametrized weights, outputs, gradients, state_dicts, spectral norm's u and v drawn from the
RNG, reprs, exception classes, messages and warnings) must match: float64 to 1e-12, float32 to 1e-6.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.nn as nn
from tests.gradcheck import gradcheck
from tests.reference_data import assert_close, load_reference
from trainer.nn.utils import parametrizations as PZ  # noqa: N812
from trainer.nn.utils import parametrize as P  # noqa: N812
from trainer.nn.utils.weight_norm import _weight_norm

REF = load_reference("nn", "parametrize")
CASES = REF["cases"]
ERRORS = REF["errors"]


def namespace() -> dict[str, Any]:
    """The reference scenarios' names, bound to trainer's, with the PRELUDE classes."""
    ns: dict[str, Any] = {"torch": trainer, "nn": nn, "P": P, "PZ": PZ, "U": nn.utils}
    exec(REF["prelude"], ns)  # noqa: S102 - the committed reference's own scenario code
    return ns


def _run(code: str, ns: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(code, ns)  # noqa: S102


def _close(actual: Any, expected: np.ndarray, what: str) -> None:
    tol = 1e-12 if expected.dtype == np.float64 else 1e-6
    a = actual._array if isinstance(actual, trainer.Tensor) else actual
    assert a.dtype == expected.dtype, f"{what}: dtype {a.dtype} != {expected.dtype}"
    assert_close(a, expected, rtol=tol, atol=tol, what=what)


def _check_snapshot(module: Any, expected: dict[str, Any], read: list[str], what: str) -> None:
    assert type(module).__name__ == expected["class"], what
    assert repr(module) == expected["repr"], what
    state = module.state_dict()
    assert list(state) == expected["keys"], what
    for key, value in expected["state"].items():
        _close(state[key], value, f"{what} state {key}")
    assert [n for n, _ in module.named_parameters()] == expected["params"], what
    for attr in read:
        value, want = getattr(module, attr), expected["read"][attr]
        assert type(value).__name__ == want["kind"], f"{what} {attr}"
        assert (None if value.grad_fn is None else type(value.grad_fn).__name__) == want["grad_fn"], f"{what} {attr}"
        _close(value.detach(), want["value"], f"{what} {attr}")


def _check_step(module: Any, step: dict[str, Any], expected: dict[str, Any], read: list[str], what: str) -> None:
    module.train(step["train"])
    module.zero_grad(set_to_none=True)
    x = trainer.tensor(step["input"], requires_grad=True)
    out = module(x)
    _close(out, expected["out"], f"{what} output")
    out.backward(trainer.tensor(expected["gout"]))
    _close(x.grad, expected["input_grad"], f"{what} input grad")
    grads = {n: p.grad for n, p in module.named_parameters() if p.grad is not None}
    assert sorted(grads) == sorted(expected["grads"]), what  # (the JSON sorts its keys)
    for name, grad in expected["grads"].items():
        _close(grads[name], grad, f"{what} grad {name}")
    _check_snapshot(module, expected, read, what)
    with trainer.no_grad():
        for p in module.parameters():
            if p.grad is not None:
                p.add_(p.grad, alpha=-REF["lr"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_pytorch(case: dict[str, Any]) -> None:
    ns = namespace()
    ctor = ns.get(case["ctor"]) or getattr(nn, case["ctor"])
    module = ctor(**case["kwargs"]).to(getattr(trainer, case["dtype"]))
    module.load_state_dict(case["weights"])
    trainer.manual_seed(case["seed"])
    ns["m"] = module
    for code in case["apply"]:
        _run(code, ns)
    _check_snapshot(ns["m"], case["applied"], case["read"], "applied")
    for i, (step, expected) in enumerate(zip(case["steps"], case["results"], strict=True)):
        _check_step(ns["m"], step, expected, case["read"], f"step {i}")
    for code, expected in zip(case["stages"], case["after"], strict=True):
        _run(code, ns)
        with trainer.no_grad():
            out = ns["m"](trainer.tensor(case["steps"][0]["input"]))
        _check_snapshot(ns["m"], expected, case["read"], code)
        _close(out, expected["out"], f"{code} output")


@pytest.mark.parametrize("case", ERRORS, ids=[c["code"].replace("\n", "; ")[-70:] for c in ERRORS])
def test_errors_and_warnings_match_pytorch(case: dict[str, Any]) -> None:
    ns = namespace()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(case["code"], ns)  # noqa: S102
        except Exception as e:  # noqa: BLE001 - compared with PyTorch's class and message
            outcome = (type(e).__name__, str(e))
        else:
            outcome = (None, None)
    assert outcome == (case["error"], case["message"])
    assert [[w.category.__name__, str(w.message)] for w in caught] == case["warnings"]


# ----- behaviour that needs no reference ---------------------------------------------------------------------------


def _linear(in_features: int = 3, out_features: int = 4) -> nn.Linear:
    trainer.manual_seed(0)
    return nn.Linear(in_features, out_features).double()


def test_the_names_resolve_right_after_import_trainer() -> None:
    code = ("import sys, trainer\n"
            "u = trainer.nn.utils\n"
            "print(callable(u.weight_norm), callable(u.spectral_norm), callable(u.remove_weight_norm),\n"
            "      callable(u.parametrize.register_parametrization), callable(u.parametrizations.weight_norm))\n"
            "import trainer.nn.utils.weight_norm, trainer.nn.utils.spectral_norm\n"
            "from trainer.nn.utils.spectral_norm import SpectralNorm\n"
            "print(u.weight_norm.__name__, u.spectral_norm.__module__, SpectralNorm.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["True"] * 5 + ["weight_norm", "trainer.nn.utils.spectral_norm", "SpectralNorm"]


def test_importing_the_submodules_first_keeps_the_functions() -> None:
    code = ("import trainer.nn.utils.spectral_norm, trainer.nn.utils.weight_norm\nimport trainer\n"
            "print(type(trainer.nn.utils.spectral_norm).__name__, type(trainer.nn.utils.weight_norm).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["function", "function"]


def test_nn_utils_stays_light_until_a_parametrization_is_used() -> None:
    code = ("import sys, trainer.nn.utils\n"
            "print(*[m for m in ('parametrize', 'parametrizations', 'weight_norm', 'spectral_norm')\n"
            "        if f'trainer.nn.utils.{m}' in sys.modules] or ['none'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["none"]
    assert {"parametrize", "parametrizations", "weight_norm", "spectral_norm"} <= set(dir(nn.utils))


def test_cached_computes_once_per_block() -> None:
    m = P.register_parametrization(_linear(4, 4), "weight", namespace()["Symmetric"]())
    assert m.weight is not m.weight
    with P.cached():
        first = m.weight
        with P.cached():
            assert m.weight is first
        assert m.weight is first
    assert m.weight is not first and not P._cache


def test_gradients_reach_the_originals_through_a_chain() -> None:
    ns = namespace()
    m = P.register_parametrization(_linear(4, 4), "weight", ns["Symmetric"]())
    P.register_parametrization(m, "weight", ns["Double"]())
    m.weight.sum().backward()
    original = m.parametrizations.weight.original
    expected = np.triu(np.full((4, 4), 2.0)) + np.triu(np.full((4, 4), 2.0), 1)  # d(sum(2 (U + U1^T)))/dU
    np.testing.assert_array_equal(original.grad._array, expected)


def test_the_fused_weight_norm_gradient_is_the_derivative() -> None:
    rng = np.random.default_rng(3)
    v, g0, g1 = rng.standard_normal((3, 4)), rng.standard_normal((3, 1)), rng.standard_normal((1, 4))
    gradcheck(lambda v, g: _weight_norm(v, g, 0), v, g0)
    gradcheck(lambda v, g: _weight_norm(v, g, 1), v, g1)
    gradcheck(lambda v, g: _weight_norm(v, g, -1), v, np.array(1.7))


def test_an_optimizer_keeps_training_the_same_tensor_when_there_is_one_original() -> None:
    m = _linear(4, 4)
    weight = m.weight
    P.register_parametrization(m, "weight", namespace()["Symmetric"]())
    assert m.parametrizations.weight.original is weight
    m.weight = trainer.eye(4, dtype=trainer.float64)
    P.remove_parametrizations(m, "weight")  # leave_parametrized: the values change, not the identity
    assert m.weight is weight and type(m) is nn.Linear and not hasattr(m, "parametrizations")
    np.testing.assert_array_equal(weight._array, np.eye(4))


def test_state_dict_round_trip_and_type_before() -> None:
    a, b = PZ.spectral_norm(_linear()), PZ.spectral_norm(nn.Linear(3, 4).double())
    b.load_state_dict(a.state_dict())
    a.eval()
    b.eval()
    np.testing.assert_array_equal(a.weight._array, b.weight._array)
    assert P.type_before_parametrizations(a) is nn.Linear and P.type_before_parametrizations(nn.ReLU()) is nn.ReLU
    assert P.is_parametrized(a) and P.is_parametrized(a, "weight") and not P.is_parametrized(a, "bias")


def test_deepcopy_works_but_saving_the_module_does_not(tmp_path) -> None:
    m = PZ.weight_norm(_linear())
    c = copy.deepcopy(m)
    assert type(c) is type(m) and c.parametrizations.weight.original1 is not m.parametrizations.weight.original1
    np.testing.assert_array_equal(c.weight._array, m.weight._array)
    with pytest.raises(RuntimeError, match="only supported through state_dict"):
        trainer.save(m, tmp_path / "m.pt")
    trainer.save(m.state_dict(), tmp_path / "state.pt")


def test_conversions_reach_the_originals_and_the_power_iteration_buffers() -> None:
    m = PZ.spectral_norm(nn.Linear(3, 4)).double()
    assert m.parametrizations.weight.original.dtype == trainer.float64
    assert m.parametrizations.weight[0]._u.dtype == trainer.float64 and m.weight.dtype == trainer.float64


def test_legacy_spectral_norm_steps_only_in_training_mode() -> None:
    m = nn.utils.spectral_norm(_linear(5, 4))
    u = m.weight_u.clone()
    m.eval()
    m(trainer.ones(2, 5, dtype=trainer.float64))
    np.testing.assert_array_equal(m.weight_u._array, u._array)
    m.train()
    m(trainer.ones(2, 5, dtype=trainer.float64))
    assert not np.array_equal(m.weight_u._array, u._array)


def test_the_matrix_exponential_orthogonal_uses_scales_and_squares_and_has_its_derivative() -> None:
    rng = np.random.default_rng(5)
    s = rng.standard_normal((4, 4)) * 6
    s = s + s.T  # symmetric, with a norm that needs squaring: exp(S) = V exp(L) V^T
    values, vectors = np.linalg.eigh(s)
    expected = (vectors * np.exp(values)) @ vectors.T
    np.testing.assert_allclose(trainer.linalg.matrix_exp(trainer.tensor(s))._array, expected, rtol=1e-10)
    gradcheck(trainer.linalg.matrix_exp, rng.standard_normal((2, 3, 3)))
    gradcheck(trainer.linalg.solve, rng.standard_normal((3, 3)) + 3 * np.eye(3), rng.standard_normal((3, 3)))
