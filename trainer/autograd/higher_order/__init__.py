"""Higher-order gradients: `backward(create_graph=True)` and `autograd.grad(..., create_graph=True)`.

The first-order walk (`tensor._run_backward`) runs each node's numpy rule and keeps no graph. With
`create_graph` the walk here runs instead: each node's gradient rule is written again below with Tensor
ops, so the gradients it produces are graph nodes themselves and can be differentiated again (Hessian-vector
products, gradient penalties, physics-informed losses, MAML's inner step). The rules state the same
derivatives as the numpy ones; `tests/autograd/value_cases_higher_order.py` checks them against PyTorch's
double and triple backward. Ops without a rule here refuse `create_graph` with their PyTorch node name.

Rules read a node's inputs (`_parents`), its result (the node itself, which is graph-connected to its
inputs) and, for ops whose rule needs an argument the shapes do not tell (a reduction's dims, a scalar
exponent, a loss's reduction), the node's `_ctx`, which those ops store when they record a node.

The rules live by family (`arithmetic`, `elementwise`, `reductions`, `shapes`, `products`, `layers`,
`linear_algebra`), each registering its own in `_base`'s table as it is imported; `walk` runs them.
"""

from . import (  # noqa: F401 - registration
    arithmetic,
    elementwise,
    grid_sampling,
    layers,
    linear_algebra,
    products,
    reductions,
    shapes,
)
from .walk import _WARNED, run_graph_backward

__all__ = ["run_graph_backward"]
