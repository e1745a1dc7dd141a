"""functorch's `_autograd_grad`: gradients of the outputs that require grad, zeros for inputs nothing reached.

The graph is always kept: every level shares one graph here, so freeing it could break an enclosing level's
(or a `vjp_fn`'s) later walk over the same nodes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..autograd import functional as _functional
from ..autograd.tensor import Tensor


def autograd_grad(outputs: Sequence[Tensor], inputs: Sequence[Tensor], grad_outputs: Sequence[Tensor] | None,
                  create_graph: bool) -> tuple[Tensor, ...]:
    grads = _functional._grads(list(outputs), list(inputs), None if grad_outputs is None else list(grad_outputs),
                               create_graph, retain_graph=True)
    return tuple(Tensor._wrap(np.zeros_like(i._array)) if g is None else g for g, i in zip(grads, inputs))
