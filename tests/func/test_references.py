"""torch.func against PyTorch 2.13: every scenario of cases.py gives PyTorch's values, flags and structures, and
every misuse PyTorch's exception class and message (tests/references/func/, from tools/references_func.py)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import trainer
import trainer.func
from tests.func.cases import error_cases, structures, value_cases
from tests.reference_data import load_reference
from trainer.func import _pytree

VALUES = load_reference("func", "values")
ERRORS = load_reference("func", "errors")
# cases whose warnings are part of the reference (the others' are PyTorch's internal deprecations)
WARNS = {"module.stateless_deprecated"}


def _plain(value: Any) -> Any:
    if isinstance(value, trainer.Tensor):
        assert not value.requires_grad or value.grad_fn is not None or value.is_leaf
        return value.detach()._array
    if isinstance(value, dict):
        return {"__keys__": [str(k) for k in value], "items": {str(k): _plain(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _compare(got: Any, want: Any, where: str) -> None:
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: {type(got)} is not a tensor"
        assert got.shape == want.shape, f"{where}: shape {got.shape} != {want.shape}"
        assert str(got.dtype) == str(want.dtype), f"{where}: dtype {got.dtype} != {want.dtype}"
        rtol = 1e-10 if got.dtype == np.float64 else 1e-6
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 1e-2, err_msg=where)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), f"{where}: keys {list(got)} != {list(want)}"
        for k in want:
            _compare(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{where}[{i}]")
    else:
        assert got == want and type(got) is type(want), f"{where}: {got!r} != {want!r}"


@pytest.fixture(autouse=True)
def _float32_default():
    trainer.set_default_dtype(trainer.float32)


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_pytorch(name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = value_cases(trainer)[name]()
    _compare(_plain(result), VALUES[name]["value"], name)
    if name in WARNS:
        assert [str(w.message) for w in caught] == VALUES[name]["warnings"]


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_pytorch(name: str) -> None:
    want = ERRORS[name]
    try:
        error_cases(trainer)[name]()
    except Exception as e:  # noqa: BLE001 - the class and message are compared
        assert (type(e).__name__, str(e)) == (want["error"], want["message"])
    else:
        pytest.fail(f"no error; PyTorch raised {want['error']}: {want['message']}")


@pytest.mark.parametrize("name", sorted(structures()))
def test_pytrees_flatten_and_print_as_pytorch(name: str) -> None:
    want = load_reference("func", "pytrees")[name]
    tree = structures()[name]
    leaves, spec = _pytree.tree_flatten(tree)
    assert leaves == want["leaves"]
    assert repr(spec) == want["repr"]
    assert _pytree.treespec_pprint(spec) == want["pprint"]
    assert _pytree.tree_unflatten(leaves, spec) == tree
