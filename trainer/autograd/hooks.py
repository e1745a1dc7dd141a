"""Hook registries: `RemovableHandle` (what registering a hook returns; `.remove()` or leaving a `with` block
unregisters it) and the gradient hooks of tensors (`Tensor.register_hook`, `register_post_accumulate_grad_hook`)."""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from typing import Any

_ids = itertools.count()


class RemovableHandle:
    """Removes one hook, by id, from the dicts it was registered in (held weakly, as PyTorch's are)."""

    def __init__(self, hooks_dict: MutableMapping, *, extra_dict: MutableMapping | list | None = None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_ids)
        extras = [] if extra_dict is None else extra_dict if isinstance(extra_dict, list) else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        """Unregister the hook; removing twice is harmless."""
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            store = ref()
            if store is not None:
                if isinstance(store, set):
                    store.discard(self.id)
                else:
                    store.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


class TensorHooks:
    """One tensor's gradient hooks, in registration order: `pre` see (and may replace) its gradient, `post` run
    after a leaf's `.grad` has been accumulated."""

    __slots__ = ("pre", "post")

    def __init__(self) -> None:
        self.pre: OrderedDict[int, Callable] = OrderedDict()
        self.post: OrderedDict[int, Callable] = OrderedDict()


HOOKS: dict[int, TensorHooks] = {}  # id(tensor) -> its hooks, while the tensor lives


def hooks_of(tensor: object) -> TensorHooks:
    """The tensor's hook registry, made (and tied to the tensor's lifetime) on first use."""
    key = id(tensor)
    hooks = HOOKS.get(key)
    if hooks is None:
        hooks = HOOKS[key] = TensorHooks()
        weakref.finalize(tensor, HOOKS.pop, key, None)
    return hooks


def add_hook(store: OrderedDict[int, Callable], hook: Callable) -> RemovableHandle:
    handle = RemovableHandle(store)
    store[handle.id] = hook
    return handle
