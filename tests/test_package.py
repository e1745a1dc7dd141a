"""The top-level package: the engine's names, loaded lazily."""

from __future__ import annotations

import subprocess
import sys

import trainer
import trainer.autograd
from trainer.autograd.out_argument import OUT_NAMES


def test_the_lazy_names_are_exactly_the_engines() -> None:
    assert trainer._ENGINE_NAMES == set(trainer.autograd.__all__)
    for name in trainer.autograd.__all__:
        public, engine = getattr(trainer, name), getattr(trainer.autograd, name)
        assert public is engine or (name in OUT_NAMES and public.__wrapped__ is engine), name  # out= added


def test_importing_the_package_does_not_import_numpy() -> None:
    code = "import sys, trainer, trainer.cli.app; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_unknown_names_are_attribute_errors() -> None:
    try:
        trainer.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
