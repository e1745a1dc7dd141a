"""`trainer.amp` (PyTorch's `torch.amp`): `GradScaler` and `autocast`, as PyTorch behaves on a CPU-only machine.

- `GradScaler("cpu")` scales the loss, unscales the gradients, skips steps with inf/nan gradients and adapts
  the scale exactly as PyTorch's does. `GradScaler("cuda")` (the default device, and `trainer.cuda.amp`) disables
  itself with PyTorch's warning, since there is no CUDA: `scale` returns its input and `step` just steps.
- `autocast("cuda")` disables itself with PyTorch's warning. `autocast("cpu")` would run matmuls in bfloat16 in
  PyTorch; numpy has no bfloat16 and trainer casts nothing, so it warns once and the block runs in the inputs'
  own dtypes (full precision).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .tensor import Tensor

_STATES = ("ready", "unscaled", "stepped")


class GradScaler:
    """Dynamic loss scaling: multiply the loss by `scale`, divide the gradients by it before the step."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        self._device = device
        if enabled and device == "cuda":
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                          UserWarning, stacklevel=2)
            enabled = False
        self._enabled = enabled
        if growth_factor <= 1.0:
            raise AssertionError("The growth factor must be > 1.0.")
        if backoff_factor >= 1.0:
            raise AssertionError("The backoff factor must be < 1.0.")
        self._init_scale, self._scale = float(init_scale), None
        self._growth_factor, self._backoff_factor = float(growth_factor), float(backoff_factor)
        self._growth_interval, self._growth_tracker = int(growth_interval), 0
        self._per_optimizer: dict[int, dict[str, Any]] = {}

    def is_enabled(self) -> bool:
        return self._enabled

    def _scale_array(self) -> np.ndarray:
        if self._scale is None:
            self._scale = np.array(self._init_scale, dtype=np.float32)
        return self._scale

    def scale(self, outputs: Any) -> Any:
        """`outputs` (a tensor or nested lists/tuples of them) times the current scale."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            return outputs * Tensor._wrap(self._scale_array())
        if isinstance(outputs, Iterable):
            scaled = [self.scale(o) for o in outputs]
            return type(outputs)(scaled) if isinstance(outputs, tuple | list) else scaled
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _state(self, optimizer: Any) -> dict[str, Any]:
        return self._per_optimizer.setdefault(id(optimizer), {"stage": "ready", "found_inf": None})

    def unscale_(self, optimizer: Any) -> None:
        """Divide the optimizer's gradients by the scale (in place) and note whether any is inf or nan."""
        if not self._enabled:
            return
        state = self._state(optimizer)
        if state["stage"] == "unscaled":
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update().")
        if state["stage"] == "stepped":
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = np.float32(np.reciprocal(np.float64(self._scale_array())))
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad._array
                g *= g.dtype.type(inv_scale)
                found = found or not bool(np.isfinite(g).all())
        state["found_inf"], state["stage"] = found, "unscaled"

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """`optimizer.step()` unless the unscaled gradients hold an inf or nan (then the step is skipped)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        state = self._state(optimizer)
        if state["stage"] == "stepped":
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] == "ready":
            self.unscale_(optimizer)
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stage"] = "stepped"
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Back off after a step with inf/nan gradients, grow after `growth_interval` clean ones (or take
        `new_scale`)."""
        if not self._enabled:
            return
        if self._scale is None:
            raise AssertionError("Attempted update but _scale is None.  This may indicate your script did not use "
                                 "scaler.scale(loss or outputs) earlier in the iteration.")
        if new_scale is not None:
            value = new_scale.item() if isinstance(new_scale, Tensor) else float(new_scale)
            self._scale = np.array(value, dtype=np.float32)
        else:
            checks = [s["found_inf"] for s in self._per_optimizer.values() if s["found_inf"] is not None]
            if not checks:
                raise AssertionError("No inf checks were recorded prior to update.")
            scale = self._scale_array()
            if any(checks):
                self._scale = np.array(scale * np.float32(self._backoff_factor), dtype=np.float32)
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale = np.array(scale * np.float32(self._growth_factor), dtype=np.float32)
                    self._growth_tracker = 0
        self._per_optimizer.clear()

    def get_scale(self) -> float:
        return float(self._scale_array()) if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        self._growth_interval = int(new_interval)

    def state_dict(self) -> dict[str, Any]:
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved from a disabled "
                               "instance of GradScaler.")
        self._init_scale = float(state_dict["scale"])
        self._scale = np.array(self._init_scale, dtype=np.float32)
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])


_WARNED_CPU = [False]


class autocast:  # noqa: N801 - PyTorch's name
    """A context manager (and decorator) that casts nothing here; see the module docstring."""

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device, self.fast_dtype, self._enabled = device_type, dtype, enabled
        if enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", UserWarning,
                          stacklevel=2)
        elif enabled and device_type == "cpu" and not _WARNED_CPU[0]:
            _WARNED_CPU[0] = True
            warnings.warn("autocast('cpu'): trainer has no bfloat16 and casts no op; the block runs in its "
                          "inputs' own dtypes", UserWarning, stacklevel=2)

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapped


def is_autocast_available(device_type: str) -> bool:
    return device_type in ("cpu", "cuda")


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """False: no block ever autocasts here."""
    return False


def _deprecated(name: str, make: Callable) -> Callable:
    """`trainer.cuda.amp.<name>(...)`: PyTorch's FutureWarning, then the `torch.amp` object for "cuda"."""

    @functools.wraps(make)
    def build(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"`torch.cuda.amp.{name}(args...)` is deprecated. Please use `torch.amp.{name}('cuda', "
                      "args...)` instead.", FutureWarning, stacklevel=2)
        return make("cuda", *args, **kwargs)

    return build


class _CudaAmp:
    """`trainer.cuda.amp`: the deprecated spellings of GradScaler and autocast for CUDA."""

    GradScaler = staticmethod(_deprecated("GradScaler", GradScaler))
    autocast = staticmethod(_deprecated("autocast", autocast))


cuda_amp = _CudaAmp()

__all__ = ["GradScaler", "autocast", "is_autocast_available", "is_autocast_enabled"]
