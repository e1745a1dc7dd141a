"""The default install covers every command; a missing optional extra is a clear exit-2 message."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from trainer.errors import ExitStatus, MissingExtra, UserError, require_extra

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_matplotlib_is_a_default_dependency() -> None:
    deps = [d.split(">")[0].split("=")[0].strip() for d in _project()["dependencies"]]
    assert "matplotlib" in deps  # every compare writes loss_curves.png
    assert _project()["optional-dependencies"].get("plot", []) == []


def test_require_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    with pytest.raises(MissingExtra) as info:
        require_extra("distributed", "dask", feature="the dask executor")
    assert isinstance(info.value, UserError) and info.value.exit_status == ExitStatus.USAGE
    assert ".venv/bin/pip install -e '.[dask]'" in str(info.value)
    assert "'distributed'" in str(info.value)


def test_require_extra_returns_the_module() -> None:
    assert require_extra("json", "none").dumps([1]) == "[1]"


def test_dask_executor_without_distributed_is_a_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.experiments.dask_executor import DaskExecutor

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtra, match=r"pip install -e '\.\[dask\]'"):
        DaskExecutor("tcp://127.0.0.1:8786")


def test_cli_sweep_without_distributed_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from trainer.cli.app import app

    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(app, ["sweep", str(ROOT / "configs/seed.yaml"), "--grid", "optimizer.lr=0.01",
                                      "--executor", "dask", "--address", "tcp://127.0.0.1:8786",
                                      "--out", str(tmp_path / "sw")])
    assert result.exit_code == 2, result.output
    assert "pip install -e '.[dask]'" in result.output
    assert "Traceback" not in result.output
