"""One help style across `trainer --help` and every command's: arguments as CONFIG / [CONFIG], a metavar for
every option that takes a value, examples; shell completion through typer's options; and help that stays light."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import typer

from trainer.cli.app import app

from .helpers import TRAINER_BIN, invoke, plain_env


def commands() -> dict[str, Any]:
    return dict(typer.main.get_command(app).commands)  # a TyperGroup


def test_every_command_is_listed_in_the_top_help():
    top = invoke("--help")
    assert top.exit_code == 0
    for name in commands():
        assert re.search(rf"^  {name} ", top.stdout, re.M), name


def test_arguments_read_config_never_braces_or_types():
    for name in commands():
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        usage = result.stdout.splitlines()[0]
        assert usage.startswith(f"Usage: trainer {name} [OPTIONS]") and "{" not in usage, usage
        for word in usage.split()[3:]:
            assert word.strip("[].") == word.strip("[].").upper(), (name, usage)  # CONFIG, [KIND]
        assert not re.search(r"<(path|str|float|int|integer|text)>", result.stdout), name
        assert "Example" in result.stdout, name


def test_every_option_with_a_value_has_a_metavar():
    for name, command in commands().items():
        for param in command.params:
            if param.param_type_name == "option" and not param.is_flag and not param.hidden:
                assert param.metavar and "<" not in param.metavar, (name, param.name)
            if param.param_type_name == "argument":
                assert param.metavar and param.metavar == param.metavar.upper(), (name, param.name)


def test_the_shared_options_show_an_example():
    for name in ("run", "validate", "compare", "sweep"):
        text = " ".join(invoke(name, "--help").stdout.split())
        assert "--set training.epochs=50" in text, name
    sweep = " ".join(invoke("sweep", "--help").stdout.split())
    assert "e.g. --grid optimizer.lr=0.01,0.1" in sweep and "e.g. --range optimizer.lr=1e-4:1e-1:log" in sweep


def test_a_missing_argument_is_named_as_in_the_usage():
    result = invoke("validate")
    assert result.exit_code == 2 and "Missing argument 'CONFIG'" in result.stderr


def from_bash(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """`trainer ARGS` started from bash, as a user types it: typer detects the shell from the parent processes."""
    command = " ".join([str(TRAINER_BIN), *args]) + "; exit $?"  # two commands: bash forks instead of exec-ing
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60,
                          env={**plain_env(), "HOME": str(tmp_path)})


def test_completion_options_are_on_the_app(tmp_path):
    top = invoke("--help").stdout
    assert "--install-completion" in top and "--show-completion" in top
    shown = from_bash(tmp_path, "--show-completion")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "_TRAINER_COMPLETE=complete_bash" in shown.stdout and "complete -o default -F" in shown.stdout


def test_install_completion_writes_the_bash_script(tmp_path):
    done = from_bash(tmp_path, "--install-completion")
    assert done.returncode == 0, done.stdout + done.stderr
    script = tmp_path / ".bash_completions" / "trainer.sh"
    assert "complete -o default -F _trainer_completion trainer" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def complete(words: str) -> list[str]:
    env = {**plain_env(), "_TRAINER_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    done = subprocess.run([str(TRAINER_BIN)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_completes_commands_options_and_kinds():
    assert complete("trainer com") == ["compare"]
    assert complete("trainer list opt") == ["optimizers"]
    assert "--optimizers" in complete("trainer compare configs/seed.yaml --opt")


def test_help_imports_no_numpy():
    code = ("import sys\nfrom trainer.cli.app import app\n"
            "for args in (['--help'], ['run', '--help'], ['list', '--help'], ['compare', '--help']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('numpy', 'trainer.config.schema', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
