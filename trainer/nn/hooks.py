"""`RemovableHandle`: what registering a hook returns; `.remove()` (or leaving a `with` block) unregisters it."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import MutableMapping
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
