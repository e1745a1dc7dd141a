"""`torch.autograd.gradcheck`: a function's analytical Jacobians against central finite differences."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .function import grad
from .grad_mode import no_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """What `gradcheck` raises when a Jacobian does not match (PyTorch's class name)."""


def _outputs(func: Callable, inputs: Sequence[Any]) -> list[Tensor]:
    out = func(*inputs)
    return [out] if isinstance(out, Tensor) else [o for o in out if isinstance(o, Tensor)]


def _numerical(func: Callable, inputs: Sequence[Any], x: Tensor, k: int, eps: float) -> np.ndarray:
    """d(output k)/d(x) by central differences, as a (x.numel(), output.numel()) matrix."""
    flat = x._array.reshape(-1)  # a view: the input is perturbed in place, as PyTorch does
    columns = []
    with no_grad():
        for i in range(flat.size):
            orig = flat[i].copy()
            flat[i] = orig + eps
            plus = _outputs(func, inputs)[k]._array.astype(np.float64).reshape(-1)
            flat[i] = orig - eps
            minus = _outputs(func, inputs)[k]._array.astype(np.float64).reshape(-1)
            flat[i] = orig
            columns.append((plus - minus) / (2 * eps))
    return np.array(columns).reshape(flat.size, -1)


def _analytical(output: Tensor, x: Tensor) -> np.ndarray:
    rows = []
    for j in range(output._array.size):
        seed = np.zeros(output._array.size, dtype=output._array.dtype)
        seed[j] = 1
        (g,) = grad(output, x, Tensor._wrap(seed.reshape(output._array.shape)), retain_graph=True,
                    allow_unused=True)
        rows.append(np.zeros(x._array.size) if g is None else g._array.astype(np.float64).reshape(-1))
    return np.array(rows).T.reshape(x._array.size, output._array.size)


def gradcheck(func: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None) -> bool:
    """True when every output's Jacobian with respect to every input that requires grad matches finite differences
    (`|analytical - numerical| <= atol + rtol * |numerical|`); otherwise raises `GradcheckError` (or returns False)."""
    args = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    wrt = [x for x in args if isinstance(x, Tensor) and x.requires_grad]
    for n, x in enumerate(args):
        if isinstance(x, Tensor) and x.requires_grad and x._array.dtype != np.float64:
            warnings.warn(f"Input #{n} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating point "
                          "or complex. ", UserWarning, stacklevel=2)
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of the them "
                         "have requires_grad=True.")
    outputs = _outputs(func, args)
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for n, x in enumerate(args):
            if not (isinstance(x, Tensor) and x.requires_grad):
                continue
            numerical = _numerical(func, args, x, k, eps)
            analytical = _analytical(out, x)
            if not np.allclose(analytical, numerical, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                shown = [Tensor._wrap(j.astype(x._array.dtype)) for j in (numerical, analytical)]
                raise GradcheckError(f"Jacobian mismatch for output {k} with respect to input {n},\n"
                                     f"numerical:{shown[0]}\nanalytical:{shown[1]}\n")
    return True


__all__ = ["gradcheck", "GradcheckError"]
