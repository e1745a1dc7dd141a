"""Value cases for the tensor family (see value_cases.py), compared with PyTorch's results."""

from __future__ import annotations

from .value_cases import SPECIAL, ValueCase

V = ValueCase
CASES: dict[str, ValueCase] = {
    "eq_special": V(lambda m, a: a == a, (SPECIAL,)),
    "argmax_int": V(lambda m, a: (a.argmax(), a.max().item(), a.shape), ([[3, 1], [4, 9]],), ("int64",)),
    "index_out_of_range": V(lambda m, a: a[5], ([1.0, 2.0],)),
}
