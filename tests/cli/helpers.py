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


def run_in_pty(*args: str, columns: int = 150, rows: int = 40, timeout: float = 120.0) -> tuple[int, str]:
    """Run `trainer ARGS` with stdin, stdout and stderr on a pseudo-terminal of a fixed size; (exit code, screen bytes
    as text, escape sequences and carriage returns included)."""
    import fcntl
    import pty
    import select
    import struct
    import subprocess
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**plain_env(), "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "CI", "GITHUB_ACTIONS"):
        env.pop(name, None)
    proc = subprocess.Popen([str(TRAINER_BIN), *map(str, args)], stdin=slave, stdout=slave, stderr=slave, env=env,
                            close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
    finally:
        code = proc.wait(timeout=30)
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def screen_lines(raw: str) -> list[str]:
    """Every line and every redrawn frame of a line in `raw` (split at `\r` and `\n`), escape sequences removed."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]", "", raw)
    return [part for part in re.split(r"[\r\n]", text) if part.strip()]
