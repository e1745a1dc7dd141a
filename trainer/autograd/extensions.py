"""The engine's larger op families (PyTorch's math, shape, statistics and utility functions beyond the core ops a
training step uses), loaded together on first use so that `trainer run` and the sweep workers never import them.

Each module lists its public names in `__all__` (tensor_methods has only methods) and registers its Tensor
methods when imported. `load()` imports them all once: `trainer.autograd`'s module `__getattr__` calls it for a
name it lacks, and `Tensor.__getattr__` for a method it lacks. It imports nothing of trainer's at import time,
so tensor.py may import it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

PACKAGE = "trainer.autograd"
MODULES = ("tensor_methods", "dtype_info", "settings", "amp", "math_ops", "index_reads", "index_writes",
           "rearranging", "diagonals", "joining", "splitting", "broadcasting", "combining", "selection",
           "reductions", "quantiles", "scans", "distances", "searching", "covariance")
NOT_TOP_LEVEL = {"amp"}  # trainer.amp's names stay there (torch.amp.GradScaler), but for the aliases below
ALIASES = {  # torch's name -> (module, attribute) where a family's function takes a core op's name
    "cat": ("joining", "concat"), "add": ("math_ops", "add_scaled"), "div": ("math_ops", "divide"),
    "sub": ("math_ops", "subtract"), "autocast": ("amp", "autocast"),
    "is_autocast_enabled": ("amp", "is_autocast_enabled"),
}
_loaded: dict[str, object] = {}


def load() -> dict[str, object]:
    """Every family's public names (and the aliases), importing the modules the first time."""
    if not _loaded:
        modules: dict[str, ModuleType] = {m: importlib.import_module(f"{PACKAGE}.{m}") for m in MODULES}
        names = {name: getattr(mod, name) for m, mod in modules.items() if m not in NOT_TOP_LEVEL
                 for name in getattr(mod, "__all__", ())}
        names.update({alias: getattr(modules[m], attr) for alias, (m, attr) in ALIASES.items()})
        names["amp"] = modules["amp"]
        _loaded.update(names)
    return _loaded


def is_submodule(name: str) -> bool:
    """Whether `name` is a module or package of the engine (an import of it must not load the families)."""
    here = Path(__file__).parent
    return (here / f"{name}.py").exists() or (here / name / "__init__.py").exists()


def is_loaded() -> bool:
    return bool(_loaded)
