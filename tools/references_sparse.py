"""PyTorch 2.13's sparse COO tensors: construction, printing, coalescing, conversions, `torch.sparse.mm`/`spmm`/`mm`,
`torch.sparse.sum`/`softmax`/`log_softmax`, arithmetic, the legacy `torch.sparse.FloatTensor`, gradients (their
layouts and coalescing) and errors.

Writes tests/references/sparse/sparse.json (`python tools/make_references.py sparse`). Each case is code run with
`torch` bound to PyTorch here and to trainer in tests/autograd/test_sparse.py: `setup` statements, then `steps`,
each an expression whose result is described (or a statement, prefixed `!`), the outcome of each stored as `describe`
gives it (a tensor's repr, layout, values and indices; a failure's class and message; anything else's repr).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_io import write_json  # noqa: E402

I2 = "i = torch.tensor([[0, 1, 1], [2, 0, 2]])\nv = torch.tensor([3., 4., 5.])\n"
DUP = "d = torch.tensor([[1, 0, 1, 1], [0, 2, 0, 1]])\nw = torch.tensor([1., 2., 3., 4.], dtype=torch.float64)\n"
X = "x = torch.arange(6., dtype=torch.float64).reshape(3, 2).sub(2.5).requires_grad_()\n"
LEAF = I2 + "r = torch.sparse_coo_tensor(i, v.double(), (2, 3), requires_grad=True)\n"
HYB = "h = torch.sparse_coo_tensor(torch.tensor([[1, 0, 1]]), torch.tensor([[1., 2], [3, 4], [5, 6]]), (3, 2))\n"

CASES: dict[str, tuple[str, list[str]]] = {
    "construct": (I2, [
        "torch.sparse_coo_tensor(i, v, (2, 3))",
        "torch.sparse_coo_tensor(i, v)",
        "torch.sparse_coo_tensor(i, v, (4, 5))",
        "torch.sparse_coo_tensor(i, v, [2, 3], dtype=torch.float64)",
        "torch.sparse_coo_tensor(i, v.long(), (2, 3))",
        "torch.sparse_coo_tensor([[0, 1], [1, 0]], [1, 2], (2, 2))",
        "torch.sparse_coo_tensor([[0, 1], [1, 0]], [1., 2.], (2, 2), dtype=torch.float64)",
        "torch.sparse_coo_tensor(i, v, (2, 3), requires_grad=True)",
        "torch.sparse_coo_tensor(i, v.double(), (2, 3), requires_grad=True)",
        "torch.sparse_coo_tensor(i, v, (2, 3), is_coalesced=True)",
        "torch.sparse_coo_tensor(i, v, (2, 3), is_coalesced=True).is_coalesced()",
        "torch.sparse_coo_tensor(i, v, (2, 3)).is_coalesced()",
        "torch.sparse_coo_tensor(torch.zeros(2, 0, dtype=torch.long), torch.zeros(0), (2, 3))",
        "torch.sparse_coo_tensor(torch.zeros(2, 0, dtype=torch.long), torch.zeros(0), (2, 3)).is_coalesced()",
        "torch.sparse_coo_tensor(torch.tensor([[1]]), torch.tensor([2.]), (3,)).is_coalesced()",
        "torch.sparse_coo_tensor(i, v, (2, 3), device='cpu')",
        "torch.sparse_coo_tensor(i, v, (2, 3), check_invariants=True)",
    ]),
    "construct_errors": (I2, [
        "torch.sparse_coo_tensor(i, v, (1, 3), check_invariants=True)",
        "torch.sparse_coo_tensor(i, v, (2, 2), check_invariants=True)",
        "torch.sparse_coo_tensor(torch.tensor([[0, -1]]), torch.tensor([1., 2.]), (2,), check_invariants=True)",
        "torch.sparse_coo_tensor(torch.tensor([[0, -1]]), torch.tensor([1., 2.]))",
        "torch.sparse_coo_tensor(i, v, (2,))",
        "torch.sparse_coo_tensor(i, v, (2, 3, 4))",
        "torch.sparse_coo_tensor(i, torch.tensor([1., 2.]), (2, 3))",
        "torch.sparse_coo_tensor(i[0], v, (2, 3))",
        "torch.sparse_coo_tensor(torch.tensor([[[0, 1]]]), torch.tensor([1., 2.]), (2,))",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([[1., 2], [3, 4]]), (2, 3))",
        "torch.sparse_coo_tensor(torch.tensor([[1, 0]]), torch.tensor([1., 2.]), (2,), is_coalesced=True)",
        "torch.sparse_coo_tensor(i, v.long(), (2, 3), requires_grad=True)",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([1., 2.]), [-2])",
    ]),
    "facts": (I2 + "s = torch.sparse_coo_tensor(i, v, (2, 3))\n", [
        "s.layout", "s.is_sparse", "s.shape", "s.size()", "s.size(1)", "s.ndim", "s.dim()", "s.dtype", "s.numel()",
        "s.sparse_dim()", "s.dense_dim()", "s._nnz()", "s._indices()", "s._values()", "s.indices()", "s.values()",
        "s.requires_grad", "s.is_leaf", "s.grad_fn", "s.device", "s.type()", "s.double().type()", "s.long().type()",
        "s.is_contiguous()", "len(s)", "torch.sparse_coo", "torch.strided", "torch.sparse_coo == torch.sparse_coo",
        "torch.sparse_coo == torch.strided", "torch.ones(2).layout", "torch.ones(2).is_sparse",
        "s.coalesce().indices()", "s.coalesce().values()", "s.coalesce() is s.coalesce()",
        "torch.ones(2, 2).sparse_dim()", "torch.ones(2, 2).dense_dim()", "s.requires_grad_()", "s.is_leaf",
        "s.coalesce().values()", "s.coalesce().indices()", "s._values()", "s.detach()", "s.requires_grad_(False)",
        "torch.sparse.check_sparse_tensor_invariants.is_enabled()", "s.long().requires_grad_()",
        "torch.sparse_coo_tensor(i, v, (2, 3)).to_dense(torch.float64)",
    ]),
    "dense_refusals": (I2 + "s = torch.sparse_coo_tensor(i, v, (2, 3))\nt = torch.tensor([[0., 1], [2, 0]])\n", [
        "s.numpy()", "s.tolist()", "s.item()", "s.view(3, 2)", "s.reshape(3, 2)", "s.contiguous()", "s.exp()",
        "torch.exp(s)", "s.mean()", "s + torch.ones(2, 3)", "s + 1", "2 / s", "t.coalesce()", "t.is_coalesced()",
        "t.indices()", "t.values()", "t._nnz()", "t._indices()", "t.to_dense()", "t.to_sparse(3)",
    ]),
    "coalesce": (DUP + "s = torch.sparse_coo_tensor(d, w, (2, 3))\n" + HYB, [
        "s", "s.coalesce()", "s.to_dense()", "s.coalesce().is_coalesced()", "s.coalesce()._nnz()", "h",
        "h.coalesce()", "h.to_dense()", "h.dense_dim()", "h.sparse_dim()",
        "torch.sparse_coo_tensor(torch.tensor([[1, 1]]), torch.tensor([[1., 2], [3, 4]]), (2, 2)).coalesce()",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([[1., 2], [3, 4]]))",
        "torch.sparse_coo_tensor(torch.zeros(2, 0, dtype=torch.long), torch.zeros(0, 3), (2, 2, 3))",
        "torch.sparse_coo_tensor(d, w, (2, 2), check_invariants=False)",
    ]),
    "to_sparse": ("t = torch.tensor([[0., 1, 0], [2, 0, 3]])\n", [
        "t.to_sparse()", "t.to_sparse_coo()", "t.to_sparse(1)", "t.to_sparse(sparse_dim=1)", "t.to_sparse(0)",
        "t.to_sparse().to_dense()", "t.to_sparse(1).to_dense()", "torch.zeros(2, 2).to_sparse()",
        "torch.tensor(3.).to_sparse()", "torch.ones(2, 3, requires_grad=True).to_sparse()",
        "t.to_sparse().to_sparse()", "t.to_sparse().to_sparse_coo()", "t.to_sparse(layout=torch.sparse_coo)",
        "torch.tensor([[0, 1], [2, 0]]).to_sparse()", "t.double().to_sparse()",
    ]),
    "printing": (I2 + DUP, [
        "torch.sparse_coo_tensor(torch.tensor([[0, 1], [1, 0]]), torch.tensor([1., 2.]), (2, 2))",
        "torch.sparse_coo_tensor(i, v * 1000.5, (2, 3))",
        "torch.sparse_coo_tensor(i, v / 7, (2, 3), requires_grad=True)",
        "torch.sparse_coo_tensor(d, w, (2, 3), requires_grad=True)",
        "torch.sparse_coo_tensor(torch.arange(40).reshape(1, 40), torch.arange(40.), (40,))",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([True, False]), (2,))",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([1, 2], dtype=torch.int32), (2,))",
        "torch.sparse_coo_tensor(torch.zeros(3, 1, dtype=torch.long), torch.tensor([1.]), (2, 2, 2))",
    ]),
    "arithmetic": (LEAF + DUP + "s = torch.sparse_coo_tensor(i, v, (2, 3))\n"
                   "u = torch.sparse_coo_tensor(d, w.float(), (2, 3))\n", [
        "s * 2", "2 * s", "s * 2.5", "s / 2", "-s", "s - s", "s + s", "s + u", "(s + u).coalesce()", "s - u",
        "s.add(u, alpha=2)", "s * torch.tensor(2.)", "s ** 2", "s * s", "s * u",
        "s * torch.arange(6.).reshape(2, 3)", "torch.arange(6.).reshape(2, 3) * s", "torch.ones(2, 3) + s",
        "torch.ones(2, 3) - s", "torch.add(torch.ones(2, 3), s)", "s.t()", "s.transpose(0, 1)", "s.T", "r * 2",
        "r + r", "r.t()", "torch.sparse_coo_tensor(i, torch.tensor([3, 4, 5]), (2, 3)) * 2.5",
        "torch.sparse_coo_tensor(i, torch.tensor([3, 4, 5]), (2, 3)) / 2", "s + torch.sparse_coo_tensor(i, v, (2, 4))",
        "s.double()", "s.to(torch.float64)", "s.float()", "s.long()", "s.detach()", "s.clone()", "r.detach()",
        "torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([1., 2.]), (2,)).t()",
        "torch.sparse_coo_tensor(torch.zeros(3, 1, dtype=torch.long), torch.tensor([1.]), (2, 2, 2)).t()",
    ]),
    "mm": (LEAF + X + "s = torch.sparse_coo_tensor(i, v.double(), (2, 3))\n"
           "q = torch.ones(2, 2, dtype=torch.float64)\n", [
        "torch.sparse.mm(s, x)", "torch.spmm(s, x)", "torch.mm(s, x)", "s @ x", "s.mm(x)",
        "torch.sparse.mm(r, x)", "torch.mm(r, x)", "r @ x", "torch.sparse.mm(q, s)", "torch.sparse.mm(q, r)",
        "torch.sparse.mm(s, s.t())", "torch.sparse.mm(r, r.t())", "torch.sparse.mm(q, q)", "q @ s",
        "torch.sparse.mm(s, torch.ones(2, 2, dtype=torch.float64))", "torch.spmm(s, torch.ones(2, 2))",
        "torch.sparse.mm(s, torch.ones(3))", "torch.sparse.mm(s, torch.ones(3, 2))",
        "torch.sparse.addmm(torch.ones(2, 2, dtype=torch.float64), s, x)",
        "torch.sparse.addmm(torch.ones(2, 2, dtype=torch.float64), s, x, beta=0.5, alpha=2.0)",
        "torch.sparse.mm(torch.sparse_coo_tensor(torch.tensor([[1, 0]]), torch.ones(2, 2), (3, 2)), torch.ones(2, 2))",
        "torch.sparse.mm(s, s)", "torch.sparse.mm(torch.ones(2, 2, dtype=torch.float64), s.t())",
    ]),
    "mm_grads": (LEAF + X, [
        "!y = torch.sparse.mm(r, x)", "!(y * torch.arange(4.).reshape(2, 2)).sum().backward()", "r.grad", "x.grad",
        "r.grad.is_coalesced()", "!torch.sparse.mm(r, x).sum().backward()", "r.grad", "x.grad",
        "!r.grad = None", "!torch.mm(r, x).pow(2).sum().backward()", "r.grad", "!r.grad = None",
        "!x.grad = None", "!b = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)",
        "!torch.sparse.addmm(b, r, x, beta=0.5, alpha=2.0).pow(2).sum().backward()", "r.grad", "x.grad", "b.grad",
        "!r.grad = None", "!torch.sparse.mm(r, r.t()).to_dense().pow(2).sum().backward()", "r.grad.to_dense()",
    ]),
    "spmm_grads": (LEAF + X, [
        "!torch.spmm(r, x).pow(2).sum().backward()", "r.grad", "x.grad", "!r.grad = None", "!x.grad = None",
        "!(r @ x).sum().backward()", "r.grad", "x.grad",
        "!torch.sparse.mm(torch.ones(2, 2, dtype=torch.float64), r).sum().backward()", "r.grad",
    ]),
    "values_grads": (I2 + X + "vv = torch.tensor([3., 4., 5.], dtype=torch.float64, requires_grad=True)\n"
                     "s = torch.sparse_coo_tensor(i, vv, (2, 3))\n", [
        "s", "s.is_leaf", "!torch.sparse.mm(s, x).sum().backward()", "vv.grad", "x.grad",
        "!vv.grad = None", "!s = torch.sparse_coo_tensor(i, vv, (2, 3))", "!torch.mm(s, x).pow(2).sum().backward()",
        "vv.grad", "!vv.grad = None", "!s = torch.sparse_coo_tensor(i, vv, (2, 3))",
        "!(s.to_dense() * torch.arange(6.).reshape(2, 3)).sum().backward()", "vv.grad",
        "!vv.grad = None", "!s = torch.sparse_coo_tensor(i, vv, (2, 3))", "s.coalesce().values()",
        "s._values()", "s.to_dense()", "s.coalesce()", "s * 2", "s.t()",
    ]),
    "leaf_grads": (LEAF, [
        "!(torch.ones(2, 3) * 2 + r).sum().backward()", "r.grad", "!r.grad = None",
        "!(r.to_dense() * torch.arange(6.).reshape(2, 3)).sum().backward()", "r.grad", "!r.grad = None",
        "!(r * 2).to_dense().sum().backward()", "r.grad", "!r.grad = None",
        "!torch.sparse.sum(r).backward()", "r.grad", "!r.grad = None",
        "!torch.sparse.sum(r, 1).to_dense().sum().backward()", "r.grad", "!r.grad = None",
        "!r.coalesce().to_dense().sum().backward()", "r.grad", "!r.grad = None",
        "!(r.t() @ torch.ones(2, 1, dtype=torch.float64)).sum().backward()", "r.grad", "!r.grad = None",
        "!r.sum().backward()", "r.grad", "!r.grad = None",
        "!torch.sparse.softmax(r, 1).to_dense().pow(2).sum().backward()", "r.grad", "!r.grad = None",
        "!torch.sparse.log_softmax(r, 0).to_dense().mul(torch.arange(6.).reshape(2, 3)).sum().backward()", "r.grad",
        "!r.grad = None", "!(r + r).to_dense().sum().backward()", "r.grad", "!r.grad = None",
        "!(-r).to_dense().sum().backward()", "r.grad", "r.is_leaf", "r.grad_fn",
    ]),
    "sum": (LEAF + HYB + "s = torch.sparse_coo_tensor(i, v, (2, 3))\n"
            "c3 = torch.sparse_coo_tensor(torch.tensor([[0, 1, 1], [1, 0, 1], [0, 1, 1]]), torch.tensor([1., 2., 4.]),"
            " (2, 2, 2))\n", [
        "torch.sparse.sum(s)", "torch.sparse.sum(s, 0)", "torch.sparse.sum(s, 1)", "torch.sparse.sum(s, [0, 1])",
        "torch.sparse.sum(s, -1)", "torch.sparse.sum(s, dim=1, dtype=torch.float64)", "torch.sparse.sum(r)",
        "torch.sparse.sum(r, 1)", "s.sum()", "s.sum(1)", "r.sum()", "r.sum(0)", "torch.sparse.sum(h, 1)",
        "torch.sparse.sum(h, 0)", "torch.sparse.sum(c3, (0, 2))", "torch.sparse.sum(c3, 1)",
        "torch.sparse.sum(h, 2)", "torch.sparse.sum(torch.ones(2, 2), 0)",
        "torch.sparse.sum(torch.sparse_coo_tensor(i, torch.tensor([3, 4, 5]), (2, 3)))",
    ]),
    "softmax": (LEAF + HYB + "s = torch.sparse_coo_tensor(i, v, (2, 3))\n", [
        "torch.sparse.softmax(s, 1)", "torch.sparse.softmax(s, 0)", "torch.sparse.softmax(s, -1)",
        "torch.sparse.log_softmax(s, 1)", "torch.sparse.log_softmax(s, 0)", "torch.sparse.softmax(r, 1)",
        "torch.sparse.log_softmax(r, 1)", "torch.sparse.softmax(s, 1, dtype=torch.float64)",
        "torch.sparse.softmax(h, 1)", "torch.sparse.softmax(h, 0)", "torch.sparse.log_softmax(h, 1)",
        "torch.sparse.softmax(s, 2)", "torch.sparse.softmax(torch.ones(2, 2), 0)",
        "torch.sparse.softmax(torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.tensor([1., 2.]), (2,)), -1)",
    ]),
    "spdiags": ("d = torch.arange(1., 13).reshape(3, 4)\n", [
        "torch.sparse.spdiags(d, torch.tensor([0, -1, 2]), (4, 4))",
        "torch.sparse.spdiags(d, torch.tensor([0, 1, -2]), (3, 5))",
        "torch.sparse.spdiags(d[0], torch.tensor(0), (4, 4))",
        "torch.sparse.spdiags(d, torch.tensor([0, 0, 1]), (4, 4))",
        "torch.sparse.spdiags(d, torch.tensor([0, 1]), (4, 4))",
        "torch.sparse.spdiags(d, torch.tensor([0, 5, -1]), (4, 4))",
        "!dd = d.double().requires_grad_()",
        "!torch.sparse.spdiags(dd, torch.tensor([0, -1, 2]), (4, 4)).to_dense().pow(2).sum().backward()", "dd.grad",
    ]),
    "legacy": (I2, [
        "torch.sparse.FloatTensor(i, torch.tensor([1., 2., 3.]), torch.Size([2, 3]))",
        "torch.sparse.FloatTensor(i, torch.tensor([1., 2., 3.]), (2, 3))",
        "torch.sparse.FloatTensor(i, torch.tensor([1., 2., 3.]))",
        "torch.sparse.DoubleTensor(i, torch.tensor([1., 2., 3.], dtype=torch.float64), torch.Size([2, 3]))",
        "torch.sparse.LongTensor(i, torch.tensor([1, 2, 3]), torch.Size([2, 3]))",
        "torch.sparse.FloatTensor(2, 3)", "torch.sparse.FloatTensor()", "torch.sparse.FloatTensor",
        "torch.sparse.DoubleTensor.is_sparse",
        "isinstance(torch.sparse_coo_tensor(i, torch.tensor([1., 2., 3.]), (2, 3)), torch.sparse.FloatTensor)",
        "isinstance(torch.sparse_coo_tensor(i, torch.tensor([1., 2., 3.]), (2, 3)), torch.sparse.DoubleTensor)",
        "isinstance(torch.ones(2), torch.sparse.FloatTensor)",
    ]),
}


def describe(value: Any) -> dict[str, Any]:
    """A step's outcome as JSON: tensors by repr, layout, dense values (and indices/values when sparse)."""
    if isinstance(value, torch.Tensor):
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
    env: dict[str, Any] = {"torch": torch}
    exec(setup, env)  # noqa: S102 - the cases above
    results = []
    for step in steps:
        try:
            if step.startswith("!"):
                exec(step[1:], env)  # noqa: S102
                results.append({"text": "ok"})
            else:
                results.append(describe(eval(step, env)))  # noqa: S307
        except Exception as e:  # noqa: BLE001 - PyTorch's class and message are the reference
            results.append({"error": type(e).__name__, "message": str(e).split("\n")[0]})
    return results


def main(out_dir: Path) -> None:
    warnings.simplefilter("ignore")
    cases = {name: {"setup": setup, "steps": steps, "results": run_case(setup, steps)}
             for name, (setup, steps) in CASES.items()}
    write_json(out_dir / "sparse.json", {"torch_version": torch.__version__, "cases": cases})


if __name__ == "__main__":
    main(Path(__file__).resolve().parent.parent / "tests" / "references" / "sparse")
