"""README.md's optimizer table lists exactly the catalogue's optimizers (regenerate: tools/readme_optimizers.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from trainer.config.registry import entries

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("readme_optimizers", ROOT / "tools" / "readme_optimizers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_table_is_the_catalogue() -> None:
    tool = _tool()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(tool.BEGIN):text.index(tool.END)]
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", block, flags=re.M)
    assert listed == [e.name for e in entries("optimizer") if e.plugin is None], \
        "README.md's optimizer table is stale: run .venv/bin/python tools/readme_optimizers.py"
    assert tool.rewrite(text) == text, "run .venv/bin/python tools/readme_optimizers.py"


def test_every_optimizer_names_its_reference() -> None:
    for entry in entries("optimizer"):
        assert entry.reference, entry.name
