"""Sparse COO tensors against PyTorch 2.13 (tests/references/sparse, made by tools/references_sparse.py): each case's
code runs with `torch` bound to trainer, and every step's outcome (a tensor's repr, layout, indices, values, grad_fn,
coalescing; a failure's class and message) must be PyTorch's."""

from __future__ import annotations

import pickle
import warnings
from typing import Any

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer.autograd import sparse

REFERENCE = load_reference("sparse", "sparse")
CASES = REFERENCE["cases"]
# PyTorch's dispatcher errors go on to list the backends that have the operator; trainer stops before that list
_DISPATCH_END = "for possible resolutions."


def describe(value: Any) -> dict[str, Any]:
    """The trainer side of tools/references_sparse.py's `describe`."""
    if isinstance(value, trainer.Tensor):
        out: dict[str, Any] = {"repr": repr(value), "requires_grad": value.requires_grad,
                               "grad_fn": None if value.grad_fn is None else type(value.grad_fn).__name__}
        if value.is_sparse:
            out.update(layout="sparse", indices=value._indices().tolist(),
                       values=value._values().detach().double().tolist(), shape=list(value.shape),
                       coalesced=value.is_coalesced(), dtype=str(value.dtype))
        else:
            out.update(layout="dense", values=value.detach().double().tolist(), shape=list(value.shape),
                       dtype=str(value.dtype))
        return out
    return {"text": repr(value)}


def run_case(setup: str, steps: list[str]) -> list[dict[str, Any]]:
    env: dict[str, Any] = {"torch": trainer}
    exec(setup, env)  # noqa: S102 - the reference's cases
    results = []
    for step in steps:
        try:
            if step.startswith("!"):
                exec(step[1:], env)  # noqa: S102
                results.append({"text": "ok"})
            else:
                results.append(describe(eval(step, env)))  # noqa: S307
        except Exception as e:  # noqa: BLE001 - compared with PyTorch's class and message
            results.append({"error": type(e).__name__, "message": str(e).split("\n")[0]})
    return results


def _same(step: str, got: dict[str, Any], want: dict[str, Any]) -> None:
    if "error" in want:
        assert got.get("error") == want["error"], (step, got)
        message = want["message"]
        if _DISPATCH_END in message:
            message = message[:message.index(_DISPATCH_END) + len(_DISPATCH_END)]
        assert got["message"] == message, step
        return
    assert "error" not in got, (step, got)
    if "text" in want:
        assert got["text"] == want["text"], step
        return
    for key in ("repr", "layout", "shape", "dtype", "requires_grad", "grad_fn", "indices", "coalesced"):
        assert got.get(key) == want.get(key), (step, key, got.get(key), want.get(key))
    np.testing.assert_allclose(np.asarray(got["values"], dtype=float), np.asarray(want["values"], dtype=float),
                               rtol=1e-6, atol=1e-7, err_msg=step)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_pytorch(name: str) -> None:
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run_case(case["setup"], case["steps"])
    for step, g, w in zip(case["steps"], got, case["results"], strict=True):
        _same(step, g, w)


def test_unchecked_construction_warns_once_per_process() -> None:
    """PyTorch 2.13 warns once that invariant checks are implicitly off; an explicit choice never warns."""
    sparse._WARNED.clear()
    i, v = trainer.tensor([[0, 1]]), trainer.tensor([1.0, 2.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trainer.sparse_coo_tensor(i, v, (2,), check_invariants=False)
        assert not caught
        trainer.sparse_coo_tensor(i, v, (2,))
        trainer.sparse_coo_tensor(i, v, (2,))
    assert [str(w.message)[:40] for w in caught] == ["Sparse invariant checks are implicitly d"]


def test_check_sparse_tensor_invariants_context() -> None:
    i, v = trainer.tensor([[0, 3]]), trainer.tensor([1.0, 2.0])
    with trainer.sparse.check_sparse_tensor_invariants():
        assert trainer.sparse.check_sparse_tensor_invariants.is_enabled()
        with pytest.raises(RuntimeError, match="size is inconsistent with indices: for dim 0, size is 2"):
            trainer.sparse_coo_tensor(i, v, (2,))
    assert not trainer.sparse.check_sparse_tensor_invariants.is_enabled()
    s = trainer.sparse_coo_tensor(i, v, (2,), check_invariants=False)
    with pytest.raises(RuntimeError, match="size is inconsistent with indices"):  # PyTorch's is undefined behaviour
        s.to_dense()


def test_sparse_leaf_grad_accumulates_over_backward_calls() -> None:
    """Two sparse gradients with the same indices add their values (nnz stays), as PyTorch's AccumulateGrad."""
    i = trainer.tensor([[0, 1, 1], [2, 0, 2]])
    r = trainer.sparse_coo_tensor(i, trainer.tensor([3.0, 4.0, 5.0]), (2, 3), requires_grad=True)
    x = trainer.ones(3, 2)
    for _ in range(3):
        trainer.sparse.mm(r, x).sum().backward()
    assert r.grad.is_sparse and r.grad._nnz() == 3 and r.is_leaf and r.grad_fn is None
    assert r.grad._values().tolist() == [6.0, 6.0, 6.0]
    (trainer.ones(2, 3) + r).sum().backward()  # a dense gradient densifies the sum, as in PyTorch
    assert not r.grad.is_sparse and r.grad.tolist() == [[1.0, 1.0, 7.0], [7.0, 1.0, 7.0]]


def test_gcn_layer_trains_like_its_dense_twin() -> None:
    """spmm(adj, x @ w) and its gradients equal the dense computation."""
    gen = np.random.default_rng(0)
    dense_adj = (gen.random((6, 6)) < 0.4) * gen.random((6, 6))
    adj = trainer.tensor(dense_adj).to_sparse()
    x = trainer.tensor(gen.standard_normal((6, 3)))
    w1 = trainer.tensor(gen.standard_normal((3, 4)), requires_grad=True)
    w2 = trainer.tensor(w1.detach().numpy().copy(), requires_grad=True)
    trainer.spmm(adj, x @ w1).relu().sum().backward()
    (trainer.tensor(dense_adj) @ (x @ w2)).relu().sum().backward()
    np.testing.assert_allclose(w1.grad.numpy(), w2.grad.numpy(), rtol=1e-12)


def test_pickle_round_trip() -> None:
    s = trainer.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (3,), check_invariants=True)
    back = pickle.loads(pickle.dumps(s))
    assert back.is_sparse and repr(back) == repr(s)


def test_torch_matmul_with_a_sparse_operand_is_its_product() -> None:
    """torch.matmul(sparse, dense) is torch.mm's product, with the gradients PyTorch gives (values as printed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = trainer.sparse_coo_tensor(trainer.tensor([[0, 1, 1], [2, 0, 2]]),
                                      v := trainer.tensor([3.0, 4.0, 5.0], requires_grad=True), (2, 3))
    d = trainer.ones(3, 2, requires_grad=True)
    r = trainer.matmul(s, d)
    assert r.tolist() == [[3.0, 3.0], [9.0, 9.0]] and r.grad_fn.name() == "MmBackward0"
    r.sum().backward()
    assert d.grad.tolist() == [[4.0, 4.0], [0.0, 0.0], [8.0, 8.0]] and v.grad.tolist() == [2.0, 2.0, 2.0]
    assert trainer.matmul(d.detach().t(), s.detach().t()).tolist() == [[3.0, 9.0], [3.0, 9.0]]
