"""PyTorch reference values for trainer.distributions.

Run through the dispatcher inside a venv with torch:  python tools/make_references.py distributions
Writes tests/references/distributions/: cases.json (per case of tests/distributions/cases.py: float32 and float64
samples after manual_seed, shapes, repr, log_prob/entropy/moments/cdf/icdf in float64 and their gradients),
kl.json (kl_divergence values and gradients), errors.json (exception class and message of invalid uses) and
scripts.json (tiny REINFORCE and VAE loops, run unchanged with trainer as torch).
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from reference_io import write_json

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.distributions import harness  # noqa: E402
from tests.distributions.cases import CASES, ERROR_CASES, KL_CASES  # noqa: E402
from tests.distributions.scripts import SCRIPTS  # noqa: E402

AREA = "distributions"


def main(out_dir: Path) -> None:
    torch.distributions.Distribution.set_default_validate_args(True)
    cases = {name: {"samples": harness.samples(torch, case), **harness.values(torch, case)}
             for name, case in CASES.items()}
    write_json(out_dir / "cases.json", cases)
    write_json(out_dir / "kl.json", {name: harness.kl(torch, *spec) for name, spec in KL_CASES.items()})
    write_json(out_dir / "errors.json", {name: harness.error(torch, build) for name, build in ERROR_CASES.items()})
    write_json(out_dir / "scripts.json", {name: script(torch) for name, script in SCRIPTS.items()})
