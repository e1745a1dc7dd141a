"""Parametrized parameters and buffers, as `torch.nn.utils.parametrize`.

`register_parametrization(module, "weight", p)` moves the tensor into `module.parametrizations.weight.original`
(`original0`, `original1`, ... when `p.right_inverse` returns several) and gives the module a subclass,
`Parametrized<ClassName>`, whose `weight` property computes `p(original)` on every access (once per `cached()`
block) and whose setter stores `right_inverse(value)`. Removing the last parametrization restores the class.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ...autograd.grad_mode import no_grad
from ...autograd.tensor import Tensor
from ..container import ModuleDict, ModuleList
from ..module import Module
from ..parameter import Parameter

__all__ = ["cached", "ParametrizationList", "register_parametrization", "is_parametrized", "remove_parametrizations",
           "type_before_parametrizations", "transfer_parametrizations_and_params"]

_cache_depth = 0  # how many `cached()` blocks are open
_cache: dict[tuple[int, str], Tensor] = {}

_NOT_A_TENSOR_OR_SEQUENCE = "'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
_SERIALIZATION = ("Serialization of parametrized modules is only supported through state_dict(). See:\n"
                  "https://pytorch.org/tutorials/beginner/saving_loading_models.html"
                  "#saving-loading-a-general-checkpoint-for-inference-and-or-resuming-training")


@contextmanager
def cached() -> Iterator[None]:
    """Compute each parametrized tensor once inside the block (and inside nested blocks) instead of on every access."""
    global _cache_depth, _cache
    _cache_depth += 1
    try:
        yield
    finally:
        _cache_depth -= 1
        if not _cache_depth:
            _cache = {}


def _register_parameter_or_buffer(module: Module, name: str, value: Tensor) -> None:
    if isinstance(value, Parameter):
        module.register_parameter(name, value)
    else:
        module.register_buffer(name, value)


def _set_data(dest: Tensor, src: Tensor) -> None:
    """`dest.set_(src)`: dest keeps its identity (what optimizers hold) and takes src's storage."""
    dest.data = src


def _type_name(value: Any) -> str:
    return type(value).__name__


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, in order, and the unconstrained tensor(s) they are applied to.

    It is `module.parametrizations[name]`; `original` (or `original0`, `original1`, ...) is what the optimizer
    trains. Made by `register_parametrization`, not by users.
    """

    def __init__(self, modules: Sequence[Module], original: Tensor, unsafe: bool = False) -> None:
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype
        with no_grad():
            new = _apply_right_inverses(list(self), original, skip_missing=True)
        if not isinstance(new, Tensor | Sequence):
            raise ValueError(_NOT_A_TENSOR_OR_SEQUENCE + f"Got {_type_name(new)}")
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            self._store_one(original, new)
        else:
            self._store_several(original, new)
        if not self.unsafe:
            self._check_result(shape, dtype)

    def _store_one(self, original: Tensor, new: Tensor) -> None:
        if original.dtype != new.dtype:
            raise ValueError("When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                             f"original.dtype: {original.dtype}\nright_inverse(original).dtype: {new.dtype}")
        with no_grad():
            _set_data(original, new)
        _register_parameter_or_buffer(self, "original", original)

    def _store_several(self, original: Tensor, new: Sequence[Any]) -> None:
        for i, item in enumerate(new):
            if not isinstance(item, Tensor):
                raise ValueError(_NOT_A_TENSOR_OR_SEQUENCE + f"Got element {i} of the sequence with type "
                                 f"{_type_name(item)}.")
            if isinstance(original, Parameter):
                item = Parameter(item, original.requires_grad)
            item.requires_grad_(original.requires_grad)
            _register_parameter_or_buffer(self, f"original{i}", item)

    def _check_result(self, shape: tuple[int, ...], dtype: Any) -> None:
        """forward(right_inverse(original)) must be a tensor of the original's dtype and shape."""
        z = self()
        if not isinstance(z, Tensor):
            raise ValueError(f"A parametrization must return a tensor. Got {_type_name(z)}.")
        if z.dtype != dtype:
            raise ValueError("Registering a parametrization may not change the dtype of the tensor, unless `unsafe` "
                             f"flag is enabled.\nunparametrized dtype: {dtype}\nparametrized dtype: {z.dtype}")
        if z.shape != shape:
            raise ValueError("Registering a parametrization may not change the shape of the tensor, unless `unsafe` "
                             f"flag is enabled.\nunparametrized shape: {shape}\nparametrized shape: {z.shape}")

    def right_inverse(self, value: Tensor) -> None:
        """Store the right inverses of `value` (last parametrization first) as the original tensor(s)."""
        with no_grad():
            value = _apply_right_inverses(list(self), value, skip_missing=False)
            if self.is_tensor:
                self._assign_one(value)
            else:
                self._assign_several(value)

    def _assign_one(self, value: Any) -> None:
        if not isinstance(value, Tensor):
            raise ValueError(f"`right_inverse` should return a tensor. Got {_type_name(value)}")
        if value.dtype != self.original.dtype:
            raise ValueError(f"The tensor returned by `right_inverse` has dtype {value.dtype} while `original` has "
                             f"dtype {self.original.dtype}")
        _set_data(self.original, value)

    def _assign_several(self, value: Any) -> None:
        if not isinstance(value, Sequence):
            raise ValueError(f"'right_inverse' must return a sequence of tensors. Got {_type_name(value)}.")
        if len(value) != self.ntensors:
            raise ValueError(f"'right_inverse' must return a sequence of tensors of length {self.ntensors}. "
                             f"Got a sequence of length {len(value)}.")
        for i, tensor in enumerate(value):
            original = getattr(self, f"original{i}")
            if not isinstance(tensor, Tensor):
                raise ValueError("'right_inverse' must return a sequence of tensors or reference-type opaques. "
                                 f"Got element {i} of type {_type_name(tensor)}.")
            if original.dtype != tensor.dtype:
                raise ValueError(f"Tensor {i} returned by `right_inverse` has dtype {tensor.dtype} while "
                                 f"`original{i}` has dtype {original.dtype}")
            _set_data(original, tensor)

    def forward(self) -> Tensor:
        """The parametrized tensor: the first parametrization on the original(s), then each of the others."""
        modules = list(self)
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x


def _apply_right_inverses(modules: list[Module], value: Any, skip_missing: bool) -> Any:
    """`right_inverse` of each module, the last registered first. At registration a module without one (or whose
    one raises NotImplementedError) counts as the identity; when assigning, it is an error."""
    for module in reversed(modules):
        if not hasattr(module, "right_inverse"):
            if skip_missing:
                continue
            raise RuntimeError(f"parametrization {_type_name(module)} does not implement right_inverse.")
        try:
            value = module.right_inverse(value)
        except NotImplementedError:
            if not skip_missing:
                raise
    return value


# ----- the parametrized class ----------------------------------------------------------------------------------


def _refuse_pickling(self: Module) -> dict[str, Any]:
    raise RuntimeError(_SERIALIZATION)


def _deepcopy(self: Module, memo: dict[int, Any]) -> Module:
    """copy.deepcopy without `__getstate__` (which a parametrized module refuses)."""
    if id(self) in memo:
        return memo[id(self)]
    replica = type(self).__new__(type(self))
    memo[id(self)] = replica
    replica.__dict__ = copy.deepcopy(self.__dict__, memo)
    return replica


def _inject_new_class(module: Module) -> None:
    """Give `module` a class of its own, `Parametrized<ClassName>`, to hold the parametrized properties."""
    cls = type(module)

    def __setattr__(self: Module, name: str, value: Any) -> None:  # noqa: N807
        if isinstance(value, Parameter) and is_parametrized(self, name):  # PyTorch's register_parameter refuses it
            raise KeyError(f"attribute '{name}' already exists")
        cls.__setattr__(self, name, value)

    namespace: dict[str, Any] = {"__getstate__": _refuse_pickling, "__setattr__": __setattr__}
    if not hasattr(cls, "__deepcopy__"):
        namespace["__deepcopy__"] = _deepcopy
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), namespace)


def _inject_property(module: Module, tensor_name: str) -> None:
    """`module.<tensor_name>`: computed by its ParametrizationList on reading, its right inverse stored on writing."""
    if hasattr(module, tensor_name):
        raise AssertionError(f"Module already has an attribute named '{tensor_name}'")

    def get_parametrized(self: Module) -> Tensor:
        parametrization = self.parametrizations[tensor_name]
        if not _cache_depth:
            return parametrization()
        key = (id(self), tensor_name)
        value = _cache.get(key)
        if value is None:
            value = _cache[key] = parametrization()
        return value

    def set_original(self: Module, value: Tensor) -> None:
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(type(module), tensor_name, property(get_parametrized, set_original))


# ----- registering and removing --------------------------------------------------------------------------------


def register_parametrization(module: Module, tensor_name: str, parametrization: Module, *,
                             unsafe: bool = False) -> Module:
    """Make `module.<tensor_name>` read as `parametrization(original)`; a second call chains another one after it.

    Unless `unsafe`, the parametrization (and its `right_inverse`) must keep the tensor's dtype and shape.
    """
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            _check_chained(module, tensor_name, parametrization)
        chain = module.parametrizations[tensor_name]
        chain.append(parametrization)
        chain.unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        chain = ParametrizationList([parametrization], getattr(module, tensor_name), unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = chain
    else:
        raise ValueError(f"Module '{module}' does not have a parameter, a buffer, or a parametrized element with "
                         f"name '{tensor_name}'")
    return module


def _check_chained(module: Module, tensor_name: str, parametrization: Module) -> None:
    """A parametrization added to a parametrized tensor maps its dtype and shape to themselves, and so does its
    right inverse (if it has one)."""
    y = getattr(module, tensor_name)
    x = parametrization(y)
    if not isinstance(x, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {_type_name(x)}.")
    where = f"module.{tensor_name}"
    if x.dtype != y.dtype:
        raise ValueError("Registering a parametrization may not change the dtype of the tensor, unless the `unsafe` "
                         f"flag is enabled.\n{where}.dtype: {y.dtype}\nparametrization({where}).dtype: {x.dtype}")
    if x.shape != y.shape:
        raise ValueError("Registering a parametrization may not change the shape of the tensor, unless the `unsafe` "
                         f"flag is enabled.\n{where}.shape: {y.shape}\nparametrization({where}).shape: {x.shape}")
    if not hasattr(parametrization, "right_inverse"):
        return
    try:
        z = parametrization.right_inverse(x)
    except NotImplementedError:
        return
    if not isinstance(z, Tensor):
        raise ValueError(f"parametrization.right_inverse must return a tensor. Got: {_type_name(z)}")
    same = "The tensor returned by parametrization.right_inverse must have the same"
    if z.dtype != y.dtype:
        raise ValueError(f"{same} dtype as {where}, unless the `unsafe` flag is enabled.\n{where}.dtype: {y.dtype}\n"
                         f"returned dtype: {z.dtype}")
    if z.shape != y.shape:
        raise ValueError(f"{same} shape as {where}, unless the `unsafe` flag is enabled.\n{where}.shape: {y.shape}\n"
                         f"returned shape: {z.shape}")


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Whether `module.<tensor_name>` is parametrized (any of its tensors, when `tensor_name` is None)."""
    parametrizations = getattr(module, "parametrizations", None)
    if not isinstance(parametrizations, ModuleDict):
        return False
    return len(parametrizations) > 0 if tensor_name is None else tensor_name in parametrizations


def remove_parametrizations(module: Module, tensor_name: str, leave_parametrized: bool = True) -> Module:
    """Undo `register_parametrization` on `tensor_name`: the tensor becomes a parameter or buffer again, holding
    its parametrized value (`leave_parametrized`) or the original one (possible only for a single original)."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    chain = module.parametrizations[tensor_name]
    if chain.is_tensor:
        original = chain.original
        if leave_parametrized:
            with no_grad():
                _set_data(original, getattr(module, tensor_name))
    elif leave_parametrized:
        value = getattr(module, tensor_name)  # with grad: whether any original requires it decides the kind
        original = Parameter(value) if value.requires_grad else value
    else:
        raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in "
                         "terms of a sequence of tensors.")
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register_parameter_or_buffer(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]
    return module


def type_before_parametrizations(module: Module) -> type:
    """The module's class before any parametrization was registered."""
    return type(module).__bases__[0] if is_parametrized(module) else type(module)


def transfer_parametrizations_and_params(from_module: Module, to_module: Module,
                                         tensor_name: str | None = None) -> Module:
    """Register `from_module`'s parametrizations (of `tensor_name`, or of all its tensors) on `to_module`, sharing
    the parametrization modules and the original tensors; a tensor `to_module` lacks is created first."""
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name)))
        source = from_module.parametrizations[name]
        for parametrization in source:
            register_parametrization(to_module, name, parametrization)
        target = to_module.parametrizations[name]
        if hasattr(source, "original"):
            target.original = source.original
            continue
        i = 0
        while hasattr(source, f"original{i}"):
            setattr(target, f"original{i}", getattr(source, f"original{i}"))
            i += 1
    return to_module
