"""Run a plain PyTorch script with `trainer` standing in for `torch`: `python _as_torch.py SCRIPT`.

`torch` and every `torch.<sub>` module name (`import torch.nn as nn`, `from torch.utils.data import ...`)
resolve to trainer's module of the same dotted name, so each is one module object under both names.
"""

import importlib
import importlib.abc
import importlib.util
import runpy
import sys

import trainer


class _TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds `torch.x.y` as `trainer.x.y`."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith("torch."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("trainer." + spec.name.removeprefix("torch."))

    def exec_module(self, module):
        pass


if __name__ == "__main__":
    sys.modules["torch"] = trainer
    sys.meta_path.insert(0, _TorchAlias())
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
