"""A Ctrl-C or SIGTERM that lands while pydantic builds a config's classes is an interruption, not a crash.

Python 3.11 wraps whatever a descriptor's `__set_name__` raises in a RuntimeError (pydantic's validators
are such descriptors), so the KeyboardInterrupt arrives as the RuntimeError's cause.
"""

from __future__ import annotations

import importlib

import pytest

from trainer.config.loading import load_config
from trainer.errors import interruption_behind
from trainer.experiments import worker
from trainer.experiments.base_config import base_mapping

from ..cli.helpers import SEED, invoke


class _Interrupting:
    def __set_name__(self, owner: type, name: str) -> None:
        raise KeyboardInterrupt("SIGTERM")


def build_a_class_while_interrupted(*args, **kwargs):
    return type("Model", (), {"check": _Interrupting()})


def test_the_interrupt_is_found_behind_the_runtime_error():
    with pytest.raises(BaseException) as caught:  # noqa: PT011 - RuntimeError on 3.11, KeyboardInterrupt later
        build_a_class_while_interrupted()
    assert str(interruption_behind(caught.value)) == "SIGTERM"
    assert interruption_behind(RuntimeError("a real bug")) is None
    looped = RuntimeError("a cycle")
    looped.__cause__ = ValueError("cause")
    looped.__cause__.__cause__ = looped
    assert interruption_behind(looped) is None


def test_trainer_run_interrupted_while_building_exits_130(tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.import_module("trainer.runner.run"), "run", build_a_class_while_interrupted)
    result = invoke("run", SEED, "--out", tmp_path / "run")
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.stderr and "bug" not in result.stderr and "Traceback" not in result.stderr


def test_a_sweep_run_interrupted_while_building_is_interrupted_not_failed(monkeypatch):
    monkeypatch.setattr(worker, "run", build_a_class_while_interrupted)
    out = worker.execute(base_mapping(load_config(str(SEED))), ("training.epochs=2",))
    assert (out["status"], out["error"], out["traceback"]) == ("interrupted", "interrupted", None)
