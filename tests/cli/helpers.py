"""Shared helpers for the command-line tests."""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from trainer.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"
SEED = CONFIGS / "seed.yaml"
TRAINER_BIN = Path(sys.executable).parent / "trainer"


# Variables that would make rich colour a pipe; the tests check what a plain pipe (or CI log) gets.
FORCE_VARS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE")


def invoke(*args: str):
    """Run the CLI in-process; stdout and stderr are kept apart (`result.stdout`, `result.stderr`)."""
    return CliRunner().invoke(app, [str(a) for a in args], env=dict.fromkeys(FORCE_VARS))


def plain_env() -> dict[str, str]:
    """The environment for a subprocess whose output must be plain."""
    return {k: v for k, v in os.environ.items() if k not in FORCE_VARS}


def metrics_rows(run_dir: Path) -> list[dict[str, str]]:
    with open(Path(run_dir) / "metrics.csv", newline="") as f:
        return list(csv.DictReader(f))


def metrics_without_seconds(run_dir: Path) -> str:
    """metrics.csv minus its wall-clock `seconds` column: the part that must be bit-identical."""
    lines = (Path(run_dir) / "metrics.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header[-1] == "seconds"
    return "\n".join(line.rsplit(",", 1)[0] for line in lines)


def logged_epochs(text: str, total: int) -> list[int]:
    """Epoch numbers of the `epoch N/total` log lines in `text`."""
    pattern = re.compile(rf"^epoch +(\d+)/{total}  ")
    return [int(m.group(1)) for m in map(pattern.match, text.splitlines()) if m]
