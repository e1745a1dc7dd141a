"""One case per class of user mistake: exit code 2, no traceback, a message naming the file and key.

Each case writes a config (the seed config with one thing wrong, or a file of its own) and runs
`trainer validate` and `trainer run` on it in-process.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from tests.cli.helpers import SEED, invoke

SEED_TEXT = SEED.read_text()


def seed_with(old: str, new: str) -> str:
    """The seed config with one line's text replaced (the case fails loudly if the text is gone)."""
    assert old in SEED_TEXT, f"seed.yaml no longer contains {old!r}"
    return SEED_TEXT.replace(old, new)


def csv_config(tmp: Path, csv_text: str, target: str = "y") -> str:
    (tmp / "data.csv").write_text(textwrap.dedent(csv_text))
    return textwrap.dedent(f"""\
        name: csv-case
        data: {{type: csv, path: data.csv, target: {target}}}
        model: {{layers: [{{type: linear, out_features: 1}}]}}
        loss: {{type: mse}}
        optimizer: {{type: sgd, lr: 0.01}}
        training: {{epochs: 2}}
        """)


def npz_config(tmp: Path, arrays: dict[str, np.ndarray]) -> str:
    np.savez(tmp / "data.npz", **arrays)
    return textwrap.dedent("""\
        name: npz-case
        data: {type: npz, path: data.npz}
        model: {layers: [{type: linear, out_features: 1}]}
        loss: {type: mse}
        optimizer: {type: sgd, lr: 0.01}
        training: {epochs: 2}
        """)


@dataclass(frozen=True)
class Case:
    """A config text (or a function of the temp dir making one), extra CLI args and words the message must hold."""

    config: str | Callable[[Path], str] | None
    words: tuple[str, ...]
    args: tuple[str, ...] = ()
    commands: tuple[str, ...] = field(default=("validate", "run"))


CASES: dict[str, Case] = {
    # the file itself
    "yaml syntax error": Case("name: x\ndata: {type: linear\nmodel: [\n", ("line 3, column 6",)),
    "empty file": Case("", ("empty",)),
    "comment-only file": Case("# nothing here\n", ("empty",)),
    "non-mapping top level": Case("- a\n- b\n", ("mapping",)),
    "python object tag": Case("name: !!python/object/apply:os.system ['echo pwned']\n", ("tag",)),
    "missing config file": Case(None, ("no-such.yaml",)),
    "config is a directory": Case(None, ("directory",), args=("__dir__",)),
    # keys
    "unknown top-level key": Case(seed_with("optimizer:", "optimzer:"), ("optimzer", "optimizer")),
    "unknown training key": Case(seed_with("epochs: 200", "epoch: 200"), ("training.epoch", "epochs")),
    "unknown optimizer argument": Case(seed_with("lr: 0.08}", "lr: 0.08, betass: [0.9, 0.99]}"),
                                       ("optimizer.betass", "betas")),
    "unknown layer argument": Case(seed_with("out_features: 32}", "out_feature: 32}"),
                                   ("model.layers.0.out_feature", "out_features")),
    "unknown loss argument": Case(seed_with("reduction: sum}", "reductio: sum}"), ("loss.reductio", "reduction")),
    # types
    "wrong type for epochs": Case(seed_with("epochs: 200", "epochs: ten"), ("training.epochs",)),
    "wrong type for lr": Case(seed_with("lr: 0.08", "lr: [0.08]"), ("optimizer.lr",)),
    "wrong type for a layer argument": Case(seed_with("out_features: 32}", "out_features: big}"),
                                            ("model.layers.0.out_features",)),
    "bad reduction value": Case(seed_with("reduction: sum}", "reduction: average}"), ("loss.reduction",)),
    # ranges
    "negative lr": Case(seed_with("lr: 0.08", "lr: -0.08"), ("optimizer.lr",)),
    "betas outside [0, 1)": Case(seed_with("lr: 0.08}", "lr: 0.08, betas: [0.9, 1.5]}"), ("optimizer.betas",)),
    "zero epochs": Case(seed_with("epochs: 200", "epochs: 0"), ("training.epochs",)),
    "negative batch size": Case(seed_with("batch_size: null", "batch_size: -4"), ("training.batch_size",)),
    "dropout p outside [0, 1)": Case(seed_with("- {type: relu}", "- {type: relu}\n    - {type: dropout, p: 1.5}"),
                                     ("model.layers.2.p",)),
    "val_fraction outside [0, 1)": Case(seed_with("noise: 1.0", "noise: 1.0\n  val_fraction: 1.0"),
                                        ("data.val_fraction",)),
    # unknown types
    "unknown layer type": Case(seed_with("{type: relu}", "{type: rellu}"), ("model.layers.1.type", "rellu", "relu")),
    "unknown loss type": Case(seed_with("{type: mse,", "{type: mse_los,"), ("loss.type", "mse_los", "mse")),
    "unknown optimizer type": Case(seed_with("{type: adam,", "{type: adamm,"), ("optimizer.type", "adamm", "adam")),
    "unknown data type": Case(seed_with("type: linear ", "type: lineer "), ("data.type", "lineer", "linear")),
    "unknown scheduler type": Case(SEED_TEXT + "scheduler: {type: cosin}\n", ("scheduler.type", "cosin", "cosine")),
    # data files
    "missing data file": Case(lambda tmp: csv_config(tmp, "x,y\n1,2\n").replace("data.csv", "nope.csv"),
                              ("data.path", "nope.csv")),
    "csv without the target column": Case(lambda tmp: csv_config(tmp, "a,b\n1,2\n3,4\n", target="y"),
                                          ("data.target", "'y'", "a, b")),
    "csv with a non-numeric cell": Case(lambda tmp: csv_config(tmp, "x,y\n1,2\nabc,4\n"), ("data", "abc")),
    "npz without array y": Case(lambda tmp: npz_config(tmp, {"x": np.zeros((4, 2))}), ("data", "'y'")),
    "npz with no rows": Case(lambda tmp: npz_config(tmp, {"x": np.zeros((0, 3)), "y": np.zeros((0, 1))}),
                             ("data.path", "empty")),
    "data settings that overflow": Case(seed_with("type: linear ", "type: sine\n  x_range: [-1.0e+308, 1.0e+308]\n  #")
                                        .replace("  n: 100\n  d_in: 3\n  weights: [0.2, -1.3, -0.5]\n  bias: 0.0\n"
                                                 "  noise: 1.0\n", "  n: 100\n"), ("data", "overflow")),
    "npz needing pickle": Case(lambda tmp: npz_config(tmp, {"x": np.array([{}, {}], dtype=object),
                                                           "y": np.zeros(2)}), ("data", "pickle")),
    # shapes and tasks, found before training
    "last layer width against the target": Case(seed_with("{type: linear, out_features: 1}",
                                                          "{type: linear, out_features: 3}"),
                                                ("model.layers.2", "3", "1")),
    "classification loss on a regression target": Case(seed_with("{type: mse, reduction: sum}",
                                                                 "{type: cross_entropy}"),
                                                       ("cross_entropy", "regression")),
    "regression loss on a classification target": Case(textwrap.dedent("""\
        name: blobs-mse
        data: {type: blobs, n: 60, n_classes: 3}
        model: {layers: [{type: linear, out_features: 3}]}
        loss: {type: mse}
        optimizer: {type: adam}
        training: {epochs: 2}
        """), ("mse", "class labels")),
    "batchnorm with a one-row last batch": Case(seed_with("- {type: relu}", "- {type: batchnorm1d}\n    - {type: relu}")
                                                .replace("batch_size: null", "batch_size: 3"),
                                                ("training.batch_size", "batchnorm1d", "batch of 1")),
    "onecycle shorter than the training": Case(
        SEED_TEXT + "scheduler: {type: onecycle, max_lr: 0.1, total_steps: 30}\n", ("scheduler", "30 steps", "200")),
    "billion laughs in a value": Case("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                                      + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
                                                f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                                                f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                                                for i in range(8))
                                      + "name: x\nseed: *i\n", ("seed",)),
    # command-line mistakes
    "--out empty": Case(SEED_TEXT, ("--out",), args=("--out", ""), commands=("run",)),
    "--set path that does not exist": Case(SEED_TEXT, ("optimizer.lrr",), args=("--set", "optimizer.lrr=0.1")),
    "--set past the end of a list": Case(SEED_TEXT, ("model.layers.7",), args=("--set", "model.layers.7.p=0.1")),
    "--set without '='": Case(SEED_TEXT, ("KEY=VALUE",), args=("--set", "optimizer.lr")),
    "--set with a bad value": Case(SEED_TEXT, ("optimizer.lr",), args=("--set", "optimizer.lr=fast")),
}


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_clear_message(name: str, command: str, tmp_path: Path) -> None:
    case = CASES[name]
    if command not in case.commands:
        return
    config_path = tmp_path / "config.yaml"
    if case.config is None:
        config_path = tmp_path / "no-such.yaml"
    else:
        text = case.config(tmp_path) if callable(case.config) else case.config
        config_path.write_text(text)
    args = [a for a in case.args if a != "__dir__"]
    if "__dir__" in case.args:
        config_path = tmp_path
    extra = ["--out", str(tmp_path / "run")] if command == "run" else []
    result = invoke(command, config_path, *extra, *args)
    message = result.stderr
    assert result.exit_code == 2, f"{name}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, result.output
    assert message.strip(), "no message on stderr"
    for word in case.words:
        assert word in message, f"{name}: {word!r} not in {message!r}"
    if case.config is not None and "__dir__" not in case.args and not name.startswith("--"):
        assert str(config_path) in message or config_path.name in message, f"{name}: file not named: {message!r}"
    assert not (tmp_path / "run" / "metrics.csv").exists(), "training started despite the bad input"


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25
