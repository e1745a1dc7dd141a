"""Same seed, same numbers: trainer's generator against PyTorch's CPU draws (tests/references/random)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import trainer
import trainer.nn.functional as F
from tests.reference_data import load_reference
from trainer import nn

CREATION = load_reference("random", "creation")
DISTRIBUTIONS = load_reference("random", "distributions")
STATE = load_reference("random", "state")


def _same(actual: object, expected: np.ndarray, what: str) -> None:
    a = np.asarray(actual._array if isinstance(actual, trainer.Tensor) else actual)
    assert a.shape == expected.shape, f"{what}: shape {a.shape} != {expected.shape}"
    if expected.dtype == np.float64:
        np.testing.assert_allclose(a, expected, rtol=0, atol=1e-12, err_msg=what)
    else:
        assert a.dtype == expected.dtype, f"{what}: dtype {a.dtype} != {expected.dtype}"
        assert np.array_equal(a.view(np.uint8), expected.view(np.uint8)), f"{what}: not bit-identical"


def _draw(case: dict) -> trainer.Tensor:
    n, fn = case["n"], case["fn"]
    dtype = getattr(trainer, case.get("dtype", "float32"))
    if fn == "rand":
        return trainer.rand(n, dtype=dtype)
    if fn == "randn":
        return trainer.randn(n, dtype=dtype)
    if fn == "normal_":
        return trainer.empty(n, dtype=dtype).normal_(0.5, 2.0)
    if fn == "uniform_":
        return trainer.empty(n, dtype=dtype).uniform_(-0.3, 0.7)
    if fn == "randint":
        return trainer.randint(case["low"], case["high"], (n,))
    return trainer.randperm(n)


def _creation_id(c: dict) -> str:
    return f"{c['fn']}-{c['seed']}-{c['n']}-{c.get('dtype', c.get('high'))}"


@pytest.mark.parametrize("case", CREATION, ids=_creation_id)
def test_creation_matches_pytorch(case: dict) -> None:
    trainer.manual_seed(case["seed"])
    _same(_draw(case), case["out"], f"{case['fn']} seed={case['seed']} n={case['n']}")


def _distribution(case: dict) -> trainer.Tensor:
    fn = case["fn"]
    dtype = getattr(trainer, case.get("dtype", "float32"))
    if fn == "randn_shape":
        return trainer.randn(*case["shape"])
    if fn == "randn_sequence":
        return trainer.cat([trainer.randn(k, dtype=dtype) for k in case["sizes"]])
    if fn == "bernoulli_tensor":
        return trainer.bernoulli(trainer.full((case["n"],), case["p"], dtype=dtype))
    if fn == "bernoulli_":
        return trainer.empty(case["n"], dtype=dtype).bernoulli_(case["p"])
    if fn == "dropout":
        return F.dropout(trainer.tensor(case["x"]), case["p"], training=True)
    if fn == "bernoulli_probs":
        return trainer.bernoulli(trainer.tensor(case["probs"]))
    if fn == "dropout_module":
        return nn.Dropout(case["p"]).train()(trainer.ones(*case["shape"]))
    if fn == "fill_view":
        return _fill_view(case["view"])
    raise AssertionError(fn)


def _fill_view(view: str) -> trainer.Tensor:
    a = trainer.zeros(20, 30)
    b = trainer.zeros(4, 5, 6, dtype=trainer.float64)
    if view == "T":
        a.T.normal_()
        b[0].T.bernoulli_(0.4)
    elif view == "permute":
        a.T.uniform_(-1, 2)
        b.permute(2, 0, 1).normal_(1.0, 3.0)
    else:
        a[:, ::2].normal_()
        b[:, 1:3].uniform_()
    return trainer.cat([a.reshape(-1), b.reshape(-1).float()])


@pytest.mark.parametrize("case", [c for c in DISTRIBUTIONS if c["fn"] != "generator"],
                         ids=lambda c: f"{c['fn']}-{c['seed']}-{c.get('n', '')}-{c.get('dtype', '')}")
def test_distributions_match_pytorch(case: dict) -> None:
    trainer.manual_seed(case["seed"])
    _same(_distribution(case), case["out"], f"{case['fn']} seed={case['seed']}")


@pytest.mark.parametrize("case", [c for c in DISTRIBUTIONS if c["fn"] == "generator"], ids=lambda c: str(c["seed"]))
def test_generator_argument_matches_pytorch_and_leaves_the_default_alone(case: dict) -> None:
    g = trainer.Generator().manual_seed(case["seed"])
    trainer.manual_seed(12345)
    out = trainer.cat([trainer.randn(20, generator=g), trainer.rand(3, generator=g),
                       trainer.randint(0, 7, (4,), generator=g).float(), trainer.randperm(5, generator=g).float(),
                       trainer.empty(3).normal_(generator=g), trainer.empty(2).uniform_(generator=g),
                       trainer.bernoulli(trainer.full((4,), 0.5), generator=g)])
    _same(out, case["out"], "generator draws")
    assert g.initial_seed() == case["initial_seed"]
    _same(trainer.rand(3), case["default_after"], "default generator untouched")


@pytest.mark.parametrize("case", STATE, ids=lambda c: str(c["seed"]))
def test_rng_state_bytes_match_pytorch(case: dict) -> None:
    trainer.manual_seed(case["seed"])
    assert trainer.initial_seed() == case["initial_seed"]
    _same(trainer.get_rng_state(), case["after_seed"], "after manual_seed")
    trainer.rand(5)
    _same(trainer.get_rng_state(), case["after_rand"], "after rand(5)")
    trainer.randn(3, dtype=trainer.float64)
    _same(trainer.get_rng_state(), case["after_randn"], "after randn(3) (one normal cached)")
    trainer.manual_seed(7)
    trainer.set_rng_state(trainer.tensor(case["after_randn"]))
    _same(trainer.get_rng_state(), case["after_randn"], "set_rng_state round trip")
    _same(trainer.randn(2, dtype=trainer.float64), case["next"], "draws after set_rng_state (cached normal first)")


def test_generator_state_round_trips_and_reseeds() -> None:
    g = trainer.Generator().manual_seed(3)
    trainer.randn(5, generator=g)
    state = g.get_state()
    assert state._array.dtype == np.uint8 and state.shape == (5056,)
    first = trainer.randn(7, generator=g).numpy()
    g.set_state(state)
    np.testing.assert_array_equal(trainer.randn(7, generator=g).numpy(), first)
    s = g.seed()
    assert g.initial_seed() == s
    h = trainer.Generator().manual_seed(s)
    np.testing.assert_array_equal(trainer.rand(4, generator=g).numpy(), trainer.rand(4, generator=h).numpy())
    assert trainer.default_generator.initial_seed() == trainer.initial_seed()


def test_state_dict_is_json_friendly_and_exact() -> None:
    trainer.manual_seed(11)
    trainer.randn(3, dtype=trainer.float64)
    snap = json.loads(json.dumps(trainer.default_generator.state_dict()))
    expected = trainer.randn(9).numpy()
    trainer.manual_seed(0)
    trainer.default_generator.load_state_dict(snap)
    np.testing.assert_array_equal(trainer.randn(9).numpy(), expected)


def test_bad_arguments_raise_like_pytorch() -> None:
    with pytest.raises(RuntimeError):
        trainer.randint(3, 3, (2,))
    with pytest.raises(RuntimeError):
        trainer.empty(2).bernoulli_(1.5)
    with pytest.raises(RuntimeError):
        trainer.set_rng_state(trainer.zeros(10, dtype=trainer.int64))
    with pytest.raises(TypeError):
        trainer.rand(2, generator=np.random.default_rng(0))


def test_non_contiguous_normal_uses_the_scalar_path_at_any_size() -> None:
    """PyTorch's blocks-of-16 kernel needs a contiguous tensor; others take the cached Box-Muller path."""
    trainer.manual_seed(4)
    expected = trainer.randn(101, dtype=trainer.float64).numpy()[:101]
    trainer.manual_seed(4)
    got = trainer.default_generator.normal(101, np.float64, contiguous=False)
    trainer.manual_seed(4)
    small = np.concatenate([trainer.randn(1, dtype=trainer.float64).numpy() for _ in range(101)])
    np.testing.assert_allclose(got, small, rtol=0, atol=1e-12)  # numpy's vector libm vs the C library's
    assert not np.allclose(got, expected)


def test_randint_takes_high_and_size_alone() -> None:
    trainer.manual_seed(2)
    a = trainer.randint(10, (3, 2)).numpy()
    trainer.manual_seed(2)
    b = trainer.randint(0, 10, (3, 2)).numpy()
    assert a.shape == (3, 2) and a.dtype == np.int64
    np.testing.assert_array_equal(a, b)
