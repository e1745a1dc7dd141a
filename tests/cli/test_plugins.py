"""`--plugin` with the real `trainer` command: run, compare, sweep, list, schema, errors, and resuming."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .helpers import CONFIGS, SEED, TRAINER_BIN, plain_env

PLUGIN = CONFIGS / "plugins" / "sign_descent.py"
PLUGIN_CONFIG = CONFIGS / "plugins" / "sign_descent.yaml"
FAST = ["--set", "training.epochs=5", "--set", "optimizer.lr=0.001"]


def trainer(*args, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(TRAINER_BIN), *map(str, args)], capture_output=True, text=True, timeout=300,
                          env={**plain_env(), **(env or {})}, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_run_with_a_plugin(tmp_path: Path) -> None:
    done = trainer("run", PLUGIN_CONFIG, "--plugin", PLUGIN, "--out", tmp_path / "run", "--json", *FAST)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "completed"
    assert "type: sign_descent" in (tmp_path / "run" / "config.yaml").read_text()


def test_bad_arguments_to_a_plugin_optimizer(tmp_path: Path) -> None:
    done = trainer("run", PLUGIN_CONFIG, "--plugin", PLUGIN, "--set", "optimizer.weight_decy=0.1")
    assert done.returncode == 2
    assert "optimizer.weight_decy" in done.stderr and "did you mean 'weight_decay'" in done.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLUGIN_CONFIG.read_text().replace("lr: 0.01", "lr: 0.01, momentum: 0.9"))
    done = trainer("validate", bad, "--plugin", PLUGIN)
    assert done.returncode == 2 and "optimizer.momentum" in done.stderr and "unknown key" in done.stderr


def test_without_the_plugin_its_type_is_unknown() -> None:
    done = trainer("run", PLUGIN_CONFIG)
    assert done.returncode == 2
    assert "optimizer.type: unknown optimizer type 'sign_descent'" in done.stderr and "--plugin" in done.stderr


def test_a_plugin_key_in_yaml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"plugin: {PLUGIN}\n" + PLUGIN_CONFIG.read_text())
    done = trainer("run", config)
    assert done.returncode == 2
    assert f"{config}: plugin: a config file cannot load code" in done.stderr and "--plugin PATH.py" in done.stderr


def test_compare_and_sweep_with_a_plugin(tmp_path: Path) -> None:
    done = trainer("compare", SEED, "--plugin", PLUGIN, "-O", "sign_descent,sign_descent:lr=0.002,adam", "-j", "2",
                   "--out", tmp_path / "cmp", "--json", *FAST)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["variant"] for r in rows} == {"sign_descent", "sign_descent:lr=0.002", "adam"}
    assert all(r["status"] == "completed" for r in rows)
    done = trainer("sweep", PLUGIN_CONFIG, "--plugin", PLUGIN, "--grid", "optimizer.lr=0.01,0.02", "-j", "2",
                   "--out", tmp_path / "sw", "--json", *FAST[:2])
    assert done.returncode == 0, done.stderr
    assert [r["status"] for r in json.loads(done.stdout)] == ["completed", "completed"]
    done = trainer("sweep", PLUGIN_CONFIG, "--plugin", PLUGIN, "--grid", "optimizer.lrr=0.01", "--out",
                   tmp_path / "sw2")
    assert done.returncode == 2 and "'lrr' is not a key of optimizer (did you mean 'lr'?)" in done.stderr


def test_list_and_schema_show_plugin_types() -> None:
    done = trainer("list", "optimizer", "--plugin", PLUGIN, env={"COLUMNS": "250"})
    assert done.returncode == 0, done.stderr
    lines = {line.split()[1]: line for line in done.stdout.splitlines() if line.startswith("│ ")}
    assert "lr=0.01, weight_decay=0.0" in lines["sign_descent"] and f"plugin: {PLUGIN}" in lines["sign_descent"]
    assert "torch" in lines["adam"]
    done = trainer("schema", "--plugin", PLUGIN)
    assert done.returncode == 0 and "Optimizer_sign_descent" in done.stdout
    assert "Optimizer_sign_descent" not in trainer("schema").stdout


def test_a_plugin_by_module_name(tmp_path: Path) -> None:
    (tmp_path / "my_optimizers.py").write_text(PLUGIN.read_text().replace("SignDescent", "SignStep"))
    done = trainer("compare", SEED, "--plugin", "my_optimizers", "-O", "sign_step,adam", "-j", "2", "--out",
                   tmp_path / "cmp", "--json", *FAST, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert all(r["status"] == "completed" for r in json.loads(done.stdout))


def test_plugins_that_fail(tmp_path: Path) -> None:
    done = trainer("run", PLUGIN_CONFIG, "--plugin", tmp_path / "nope.py")
    assert done.returncode == 2 and f"{tmp_path / 'nope.py'}: --plugin: plugin file not found" in done.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("import trainer\n\nraise ImportError('needs a GPU')\n")
    done = trainer("run", PLUGIN_CONFIG, "--plugin", broken)
    assert done.returncode == 2
    assert "the plugin failed to import: ImportError: needs a GPU" in done.stderr and "line 3" in done.stderr
    syntax = tmp_path / "syntax.py"
    syntax.write_text("class X(:\n    pass\n")
    done = trainer("list", "--plugin", syntax)
    assert done.returncode == 2 and f"{syntax}: --plugin: the plugin has a syntax error, line 1" in done.stderr
    clash = tmp_path / "clash.py"
    clash.write_text(textwrap.dedent("""\
        import trainer

        class Sgd(trainer.optim.SGD):
            pass
        """))
    done = trainer("list", "--plugin", clash)
    assert done.returncode == 2 and "clashes with the built-in optimizer 'sgd'" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and signals are POSIX")
def test_an_interrupted_compare_resumes_only_with_its_plugin(tmp_path: Path) -> None:
    args = ["compare", SEED, "-O", "sign_descent,adam", "-j", "2", "--out", tmp_path / "exp",
            "--set", "training.epochs=50000", "--set", "optimizer.lr=0.001", "--set", "training.checkpoint_every=10"]
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([str(TRAINER_BIN), *map(str, args), "--plugin", str(PLUGIN)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**plain_env(), "TMPDIR": str(tmp_path / "tmp")})
    deadline = time.monotonic() + 60
    while len(list((tmp_path / "exp" / "runs").glob(".*.tmp/run/metrics.csv"))) < 2:  # staged by the workers
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    done = trainer(*args)
    assert done.returncode == 2
    assert "unknown optimizer type 'sign_descent'" in done.stderr and "--plugin" in done.stderr
    state = json.loads((tmp_path / "exp" / "state.json").read_text())
    assert {run["status"] for run in state["runs"].values()} == {"interrupted"}
