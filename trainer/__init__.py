"""trainer: a YAML-driven training tool on its own numpy autograd engine, with PyTorch's names.

`import trainer` gives the engine (`trainer.tensor`, `trainer.Tensor`, `trainer.no_grad`, ...);
`trainer.nn`, `trainer.optim` and the experiment API load on first use, so start-up stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .autograd import *  # noqa: F403 - the engine's public names are the package's
from .autograd import __all__ as _engine_names

__version__ = "0.1.0"

_SUBMODULES = {"nn", "optim", "data", "config", "training", "experiments", "autograd"}
_API = {  # public callables defined in subpackages: name -> "module:attribute"
    "run": "trainer.training.run:run",
    "RunResult": "trainer.training.run:RunResult",
    "load_config": "trainer.config:load_config",
    "compare": "trainer.experiments.compare:compare",
    "sweep": "trainer.experiments.sweep:sweep",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _API:
        module, attr = _API[name].split(":")
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'trainer' has no attribute {name!r}")


__all__ = [*_engine_names, *sorted(_SUBMODULES), *_API, "__version__"]
