"""Run a PyTorch script with `trainer` standing in for `torch`: `python run_as_torch.py SCRIPT`."""

import runpy
import sys

import trainer

if __name__ == "__main__":
    sys.modules["torch"] = trainer
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
