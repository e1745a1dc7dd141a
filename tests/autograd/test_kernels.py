"""The numba kernels give numpy's bits: each compared with np.array_equal against the numpy path."""

from __future__ import annotations

import subprocess
import sys

import numba
import numpy as np
import pytest

import trainer
from trainer.autograd import kernels
from trainer.autograd.kernels import dispatch
from trainer.errors import UserError
from trainer.optim.adam import _fused_adam
from trainer.optim.sgd import _fused_sgd

SIZES = (1, 7, 1000, 4099)
DTYPES = (np.float32, np.float64)


@pytest.fixture
def use(monkeypatch):
    """use("numba" | "numpy" | "auto"): set TRAINER_KERNELS for the rest of the test."""
    def set_mode(mode: str) -> None:
        monkeypatch.setenv("TRAINER_KERNELS", mode)
        dispatch._mode, dispatch.NUMPY_BELOW[0] = None, 0
    yield set_mode
    monkeypatch.delenv("TRAINER_KERNELS", raising=False)
    dispatch._mode, dispatch.NUMPY_BELOW[0] = None, 0


def _data(n: int, dtype, seed: int = 0, special: bool = True) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal(n).astype(dtype)
    if special and n >= 7:
        x[:6] = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-40]
    return x


def _both(use, fn):
    """fn() under the numpy path and under the kernels, both results."""
    use("numpy")
    a = fn()
    use("numba")
    return a, fn()


def _equal(a, b) -> bool:
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_relu_forward_and_backward_match_numpy(use, n, dtype):
    x, g = _data(n, dtype), _data(n, dtype, seed=1)
    zero = np.zeros((), dtype)

    @np.errstate(all="ignore")  # 0 * inf
    def run():
        out = kernels.relu(x, zero)
        return out, kernels.relu_backward(g, out, zero), np.signbit(out)
    a, b = _both(use, run)
    assert _equal(a, b) and b[0].dtype == dtype
    assert np.array_equal(a[0], np.maximum(x, zero), equal_nan=True)


def test_relu_of_a_non_contiguous_array_takes_the_numpy_path(use):
    use("numba")
    x = _data(64, np.float32).reshape(8, 8).T
    assert np.array_equal(kernels.relu(x, np.zeros((), np.float32)), np.maximum(x, 0), equal_nan=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (257, 33)])
def test_bias_add_matches_numpy(use, shape, dtype):
    out0, bias = _data(shape[0] * shape[1], dtype).reshape(shape), _data(shape[1], dtype, seed=2)
    use("numba")
    out = out0.copy()
    assert kernels.bias_add_(out, bias)
    assert np.array_equal(out, out0 + bias, equal_nan=True)
    strided = np.zeros((4, 6), dtype)[:, ::2]
    assert not kernels.bias_add_(strided, np.ones(3, dtype))  # not C-ordered: left to numpy


ADAM_CASES = [
    {},
    {"amsgrad": True},
    {"beta1": 0.3},  # lerp_ weight >= 0.5: the two-sided formula
    {"weight_decay": 0.1},
    {"weight_decay": 0.1, "decoupled_weight_decay": True, "amsgrad": True},
    {"maximize": True, "lr": 0.3, "eps": 1e-3},
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", ADAM_CASES)
def test_adam_update_matches_the_numpy_path(use, case, dtype):
    kw = {"amsgrad": False, "beta1": 0.9, "beta2": 0.999, "lr": 1e-2, "weight_decay": 0.0, "eps": 1e-8,
          "maximize": False, "decoupled_weight_decay": False} | case

    @np.errstate(all="ignore")  # the gradients hold NaN and infinities
    def run():
        params = [_data(n, dtype, seed=n, special=False) for n in SIZES]
        states = [[np.abs(_data(n, dtype, seed=n + k, special=False)) for n in SIZES] for k in (1, 2, 3)]
        steps = [np.zeros((), np.float64) for _ in SIZES]
        for t in range(3):
            grads = [_data(n, dtype, seed=10 * t + n) for n in SIZES]
            _fused_adam(params, grads, *states, steps, **kw)
        return params + [s for state in states for s in state]
    a, b = _both(use, run)
    assert _equal(a, b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dampening", [0.0, 0.25])
def test_sgd_momentum_matches_the_numpy_path(use, dampening, dtype):
    @np.errstate(all="ignore")
    def run():
        params = [_data(n, dtype, seed=n, special=False) for n in SIZES]
        buffers = [None] * len(SIZES)
        for t in range(3):
            grads = [_data(n, dtype, seed=10 * t + n) for n in SIZES]
            _fused_sgd(params, grads, buffers, momentum=0.9, dampening=dampening, lr=0.1, weight_decay=0.0,
                       nesterov=False, maximize=False)
        return params + buffers
    a, b = _both(use, run)
    assert _equal(a, b)


def test_one_thread_and_two_give_the_same_bits(use):
    use("numba")
    x, zero = _data(100_003, np.float32), np.zeros((), np.float32)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = kernels.relu(x, zero)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = kernels.relu(x, zero)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(one, two, equal_nan=True)


def test_auto_uses_the_kernels_from_min_size_up_and_numpy_never(use, monkeypatch):
    calls = []
    fake = type("Fake", (), {"relu": staticmethod(lambda x, out, zero: calls.append(x.size) or out.fill(7))})
    monkeypatch.setattr(dispatch, "_load", lambda required: fake)
    zero = np.zeros((), np.float32)
    use("auto")
    assert np.array_equal(kernels.relu(np.ones(kernels.MIN_SIZE - 1, np.float32), zero), np.ones(kernels.MIN_SIZE - 1))
    assert (kernels.relu(np.ones(kernels.MIN_SIZE, np.float32), zero) == 7).all()
    use("numpy")
    assert (kernels.relu(np.ones(kernels.MIN_SIZE, np.float32), zero) == 1).all()
    assert calls == [kernels.MIN_SIZE]


def test_without_numba_auto_falls_back_and_numba_mode_names_the_extra(use, monkeypatch):
    monkeypatch.setattr(dispatch, "_compiled", None)
    monkeypatch.setattr(dispatch, "_missing", False)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    x, zero = _data(kernels.MIN_SIZE, np.float32), np.zeros((), np.float32)
    use("auto")
    assert np.array_equal(kernels.relu(x, zero), np.maximum(x, zero), equal_nan=True)
    use("numba")
    with pytest.raises(UserError) as err:
        kernels.relu(x, zero)
    assert "trainer[fast]" in err.value.hint


def test_an_unknown_mode_is_a_user_error(use):
    use("cuda")
    with pytest.raises(UserError, match="TRAINER_KERNELS"):
        kernels.relu(np.ones(3, np.float32), np.zeros((), np.float32))


def test_a_small_network_never_imports_numba():
    code = ("import sys, trainer as torch\n"
            "m = torch.nn.Sequential(torch.nn.Linear(3, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))\n"
            "opt = torch.optim.Adam(m.parameters(), lr=0.1)\n"
            "for _ in range(2):\n"
            "    opt.zero_grad(); m(torch.randn(100, 3)).pow(2).sum().backward(); opt.step()\n"
            "print('numba' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "TRAINER_KERNELS": "auto"})
    assert out.stdout.strip() == "False"


def test_an_mlp_trains_to_the_same_bits_with_the_kernels(use):
    import trainer as torch

    def run():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(300, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        x, y = torch.randn(256, 300), torch.randint(0, 10, (256,))
        for _ in range(3):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        return [p.detach().numpy().copy() for p in model.parameters()]
    use("numpy")
    a = run()
    use("auto")
    b = run()
    assert dispatch._compiled is not None and _equal(a, b)


def test_relu_and_bias_add_follow_the_mode_at_every_size(use, monkeypatch):
    calls = []
    fake = type("Fake", (), {"relu": staticmethod(lambda x, out, zero: calls.append("relu") or out.fill(7)),
                             "bias_add": staticmethod(lambda out, bias, rows, cols: calls.append("bias"))})
    monkeypatch.setattr(dispatch, "_load", lambda required: fake)
    x = trainer.ones(2, 3)
    lin = trainer.nn.Linear(3, 3)
    use("numba")  # every size: the inline size test must not keep small arrays from the kernels
    assert (trainer.relu(x).numpy() == 7).all()
    lin(x)
    assert calls == ["relu", "bias"]
    use("auto")
    assert np.array_equal(trainer.relu(x).numpy(), x.numpy())
    lin(x)
    assert calls == ["relu", "bias"]
