"""Compute PyTorch reference values and commit them under tests/references/.

Runs only where PyTorch is installed (a scratch venv: `pip install torch==2.13.0 numpy`); the
package and its tests never import torch. Each area lives in its own module beside this file
(`references_<area>.py`, with a `main(out_dir)` function) and writes `tests/references/<area>/`
(or the folder its `AREA` names).

    python tools/make_references.py            # every area
    python tools/make_references.py nn optim   # only these
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["autograd", "nn", "optim", "optim_extra_a", "optim_extra_b", "lr_scheduler", "random", "torch_api", "inplace",
         "torch_scripts", "printing", "pool", "conv", "masked_grads", "values", "rnn", "attention", "layers",
         "distributions", "swa_utils", "parametrize", "more_nn", "func",
         "prune", "checkpoint", "testing", "grid_sample", "sparse", "conv3d"]


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for area in argv or AREAS:
        module = importlib.import_module(f"references_{area}")
        out = ROOT / "tests" / "references" / getattr(module, "AREA", area)  # a module may write into another's folder
        out.mkdir(parents=True, exist_ok=True)
        module.main(out)
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
