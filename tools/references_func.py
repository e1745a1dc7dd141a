"""PyTorch reference values for torch.func (run by tools/make_references.py; needs torch).

Writes tests/references/func/:

- `values.json`: every scenario of tests/func/cases.py's `value_cases` (grad, grad_and_value, vjp, jvp, linearize,
  jacrev, jacfwd, hessian, vmap with its in_dims/out_dims/chunk_size forms and randomness='same', functional_call,
  stack_module_state, per-sample gradients and model ensembling): the returned pytree (tensors as arrays, flags and
  numbers as they are) and the warnings it gave.
- `errors.json`: the exception class and full message of each `error_cases` scenario.
- `pytrees.json`: torch.utils._pytree's leaves, TreeSpec repr and treespec_pprint of `structures()`.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import torch
import torch.utils._pytree as pytree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reference_io import to_jsonable, write_json  # noqa: E402

from tests.func.cases import error_cases, structures, value_cases  # noqa: E402

AREA = "func"


def _plain(value: Any) -> Any:
    """Tensors as arrays, torch.Size and tuples as lists, dicts by key with their order: what the tests compare."""
    if isinstance(value, torch.Tensor):
        return to_jsonable(value.detach())
    if isinstance(value, dict):  # JSON sorts keys: the order goes beside them
        return {"__keys__": [str(k) for k in value], "items": {str(k): _plain(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def main(out: Path) -> None:
    torch.set_default_dtype(torch.float32)
    values = {}
    for name, case in value_cases(torch).items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = case()
        values[name] = {"value": _plain(result), "warnings": [str(w.message) for w in caught]}
    write_json(out / "values.json", values)
    errors = {}
    for name, case in error_cases(torch).items():
        try:
            case()
        except Exception as e:  # noqa: BLE001 - the class and message are the reference
            errors[name] = {"error": type(e).__name__, "message": str(e)}
        else:
            errors[name] = {"error": None, "message": None}
    write_json(out / "errors.json", errors)
    trees = {}
    for name, tree in structures().items():
        leaves, spec = pytree.tree_flatten(tree)
        trees[name] = {"leaves": leaves, "repr": repr(spec), "pprint": pytree.treespec_pprint(spec)}
    write_json(out / "pytrees.json", trees)
