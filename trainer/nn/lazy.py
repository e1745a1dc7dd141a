"""Lazy layers: `LazyLinear`, `LazyConv1d/2d/3d`, `LazyConvTranspose1d/2d/3d`, `LazyBatchNorm1d/2d/3d`,
`LazyInstanceNorm1d/2d/3d`, whose input size comes from their first input.

Until the first forward their parameters (and running statistics) are `UninitializedParameter`s
(`UninitializedBuffer`s); a forward pre-hook then materialises them, runs the eager layer's `reset_parameters`
(so the same generator state gives the eager layer's weights) and turns the module into the eager class, as
PyTorch does. A state dict of an initialised layer loads into an uninitialised one (its shapes are taken).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ..autograd.tensor import Tensor
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .hooks import RemovableHandle
from .linear import Linear
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .parameter import UninitializedBuffer, UninitializedParameter, is_lazy


class LazyModuleMixin:
    """Shape inference on the first forward; `cls_to_become` is the eager class the module becomes."""

    cls_to_become: type | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self) -> bool:
        """Whether a parameter or buffer of this module is still uninitialised."""
        return any(is_lazy(t) for t in (*self._parameters.values(), *self._buffers.values()))

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def _infer_parameters(self, module: Any, args: tuple, kwargs: dict | None = None) -> None:
        module.initialize_parameters(*args, **(kwargs or {}))
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        module._initialize_hook.remove()
        del module.__dict__["_initialize_hook"]
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        handle = state.pop("_initialize_hook", None)  # its weak references do not pickle: keep the hook's id
        if handle is not None:
            state["_initialize_hook_id"] = handle.id
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        hook_id = state.pop("_initialize_hook_id", None)
        super().__setstate__(state)
        if hook_id is not None:
            handle = RemovableHandle(self._forward_pre_hooks, extra_dict=self._forward_pre_hooks_with_kwargs)
            handle.id = hook_id
            self.__dict__["_initialize_hook"] = handle

    def state_dict(self, destination: dict | None = None, prefix: str = "", keep_vars: bool = False) -> Any:
        """As `Module.state_dict`, with the uninitialised tensors themselves as values."""
        out: Any = OrderedDict() if destination is None else destination
        lazy = {k: v for k, v in (*self._parameters.items(), *self._buffers.items()) if is_lazy(v)}
        super().state_dict(out, prefix, keep_vars)
        out.update({prefix + k: v for k, v in lazy.items() if prefix + k in out})
        return out

    def _load_from_state_dict(self, state: dict[str, Any], prefix: str, missing: list[str], errors: list[str],
                              assign: bool) -> None:
        """An initialised entry first materialises the uninitialised tensor it loads into."""
        for name, current in (*self._parameters.items(), *self._buffers.items()):
            value = state.get(prefix + name)
            if is_lazy(current) and value is not None and not is_lazy(value):
                current.materialize(tuple(value.shape))
        super()._load_from_state_dict(state, prefix, missing, errors, assign)

    def _lazy_reset(self, size: int) -> None:
        """The eager `reset_parameters`, once the tensors exist and the inferred size is known."""
        if not self.has_uninitialized_params() and size != 0:
            super().reset_parameters()


class LazyLinear(LazyModuleMixin, Linear):
    """`Linear` with `in_features` taken from the first input's last dimension."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        self._lazy_reset(self.in_features)

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        """Materialise the weight (out_features, input.shape[-1]) and the bias, then initialise them."""
        if self.has_uninitialized_params():
            self.in_features = input.shape[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()
        if self.in_features == 0:  # loaded from a state dict: the weight's shape is known, in_features is not
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(f"The in_features inferred from input: {input.shape[-1]} is not equal to "
                                     f"in_features from self.weight: {self.weight.shape[-1]}")
            self.in_features = input.shape[-1]


class _LazyConvXdMixin(LazyModuleMixin):
    """`in_channels` from the first input's channel dimension (dim 1, or 0 for an unbatched input)."""

    def reset_parameters(self) -> None:
        self._lazy_reset(self.in_channels)

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        if not self.has_uninitialized_params():
            return
        self.in_channels = self._get_in_channels(input)
        if self.in_channels % self.groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if self.transposed:
            self.weight.materialize((self.in_channels, self.out_channels // self.groups, *self.kernel_size))
        else:
            self.weight.materialize((self.out_channels, self.in_channels // self.groups, *self.kernel_size))
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.reset_parameters()

    def _get_in_channels(self, input: Tensor) -> int:  # noqa: A002
        unbatched = self._dims + 1
        if input.dim() not in (unbatched, unbatched + 1):
            raise RuntimeError(f"Expected {unbatched}D (unbatched) or {unbatched + 1}D (batched) input to "
                               f"{self.__class__.__name__}, but got input of size: {input.shape}")
        return input.shape[1] if input.dim() == unbatched + 1 else input.shape[0]

    def _uninitialized(self, out_channels: int, bias: bool, device: Any, dtype: Any) -> None:
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)


class _LazyConv(_LazyConvXdMixin):
    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode)
        self._uninitialized(out_channels, bias, device, dtype)


class _LazyConvTranspose(_LazyConvXdMixin):
    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode)
        self._uninitialized(out_channels, bias, device, dtype)


class LazyConv1d(_LazyConv, Conv1d):
    """`Conv1d` with `in_channels` taken from the first input."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """`Conv2d` with `in_channels` taken from the first input."""

    cls_to_become = Conv2d


class LazyConv3d(_LazyConv, Conv3d):
    """`Conv3d` with `in_channels` taken from the first input."""

    cls_to_become = Conv3d


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """`ConvTranspose1d` with `in_channels` taken from the first input."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """`ConvTranspose2d` with `in_channels` taken from the first input."""

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """`ConvTranspose3d` with `in_channels` taken from the first input."""

    cls_to_become = ConvTranspose3d


class _LazyNormBase(LazyModuleMixin):
    """`num_features` from the first input's dim 1; affine and tracking running statistics by default."""

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(0, eps, momentum, False, False, device, dtype, bias=False)
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.use_bias = bool(affine and bias)
        if affine:
            self.weight = UninitializedParameter(device=device, dtype=dtype)
            if bias:
                self.bias = UninitializedParameter(device=device, dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(device=device, dtype=dtype)
            self.running_var = UninitializedBuffer(device=device, dtype=dtype)
            self.num_batches_tracked = Tensor._from_data(0)

    def reset_parameters(self) -> None:
        self._lazy_reset(self.num_features)

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        if not self.has_uninitialized_params():
            return
        self.num_features = input.shape[1]
        for name in ("weight", "bias", "running_mean", "running_var"):
            tensor = getattr(self, name)
            if tensor is not None:
                tensor.materialize((self.num_features,))
        self.reset_parameters()


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """`BatchNorm1d` with `num_features` taken from the first input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """`BatchNorm2d` with `num_features` taken from the first input."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormBase, BatchNorm3d):
    """`BatchNorm3d` with `num_features` taken from the first input."""

    cls_to_become = BatchNorm3d


class LazyInstanceNorm1d(_LazyNormBase, InstanceNorm1d):
    """`InstanceNorm1d` with `num_features` taken from the first input (affine and tracking by default)."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormBase, InstanceNorm2d):
    """`InstanceNorm2d` with `num_features` taken from the first input (affine and tracking by default)."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormBase, InstanceNorm3d):
    """`InstanceNorm3d` with `num_features` taken from the first input (affine and tracking by default)."""

    cls_to_become = InstanceNorm3d
