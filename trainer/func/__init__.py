"""`torch.func`: composable function transforms (grad, vjp, jvp, jacrev, jacfwd, hessian, vmap, linearize) and
`functional_call` / `stack_module_state` for calling modules as functions of their parameters.

The transforms run on trainer's one reverse-mode graph (`create_graph` only where a result may be differentiated
again, `_levels`); jvp, jacfwd and linearize use the double-backward trick or reverse mode; vmap calls the function
once per slice and stacks the results, so PyTorch's errors for batched `.item()`, data-dependent control flow and
in-place writes of batched values into unbatched tensors are not raised. Each name loads its module on first use.
"""

from .._lazy import lazy_exports

_WHERE = {
    "grad": "_grad", "grad_and_value": "_grad", "vmap": "_vmap", "vjp": "_vjp", "jvp": "_jvp",
    "linearize": "_jvp", "jacrev": "_jacobians", "jacfwd": "_jacobians", "hessian": "_jacobians",
    "functional_call": "_modules", "stack_module_state": "_modules", "replace_all_batch_norm_modules_": "_modules",
    "functionalize": "_misc", "debug_unwrap": "_misc", "rearrange": "_rearrange",
}
__getattr__, __dir__ = lazy_exports(__name__, _WHERE)

__all__ = ["grad", "grad_and_value", "vmap", "replace_all_batch_norm_modules_", "functionalize", "hessian", "jacfwd",
           "jacrev", "jvp", "linearize", "rearrange", "vjp", "functional_call", "stack_module_state", "debug_unwrap"]
