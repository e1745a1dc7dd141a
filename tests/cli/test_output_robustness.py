"""Output that survives narrow terminals and ASCII-only streams; compare's divergence hint names its variant."""

from __future__ import annotations

import io
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from rich.console import Console

from trainer.cli.experiment_view import fmt, results_table, with_std

from .helpers import ROOT, SEED, TRAINER_BIN, invoke, plain_env

SHORT = ["--set", "training.epochs=6"]


def _cells(row: dict) -> list[str]:
    """The numeric cells the table prints for a row."""
    column = row.get("loss_column") or "train_loss"
    cells = [with_std(row, k) for k in row if k.startswith("final_") and not k.endswith("_std")
             and (k in ("final_train_loss", "final_val_loss") or k.startswith("final_val_")) and row.get(k) is not None]
    best = fmt(row.get(f"best_{column}"), 5)
    cells.append(f"{best} ({round(row[f'best_{column}_epoch'])})")
    cells.append(f"{row['wall_time']:.2f}s")
    return cells


@pytest.fixture(scope="module")
def experiments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("narrow")
    compare = invoke("compare", SEED, "--optimizers", "adam,sgd,rmsprop", "--seeds", "2", *SHORT, "--out",
                     base / "cmp", "--quiet")
    assert compare.exit_code == 0, compare.output
    sweep = invoke("sweep", SEED, "--grid", "optimizer.lr=0.0012345,0.025,0.1", "--grid", "optimizer.type=adam,sgd",
                   *SHORT, "--out", base / "sw", "--quiet", "--jobs", "1")
    assert sweep.exit_code == 0, sweep.output
    return {"compare": base / "cmp", "sweep": base / "sw"}


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("kind", ["compare", "sweep"])
def test_narrow_tables_print_every_number_whole(experiments: dict[str, Path], kind: str, columns: int) -> None:
    rows = json.loads((experiments[kind] / "results.json").read_text())
    extra = ["optimizer.lr", "optimizer.type"] if kind == "sweep" else []
    table = results_table(rows, title=kind, first="variant" if kind == "compare" else "run", extra=extra)
    buffer = io.StringIO()
    Console(file=buffer, width=columns, highlight=False, soft_wrap=True, color_system=None).print(table)
    text = buffer.getvalue()
    assert not any(ch.isdigit() and text[i + 1] == "…" for i, ch in enumerate(text[:-1]))  # no "0.025…"
    lines = text.splitlines()
    for row in rows:
        wanted = _cells(row) + ([fmt(row["optimizer.lr"])] if kind == "sweep" else [])
        for cell in wanted:
            assert any(cell in line for line in lines), f"{cell!r} not whole at {columns} columns:\n{text}"


@pytest.mark.parametrize("columns", ["80", "60"])
def test_columns_is_honoured_off_a_terminal(experiments: dict[str, Path], columns: str) -> None:
    result = subprocess.run([str(TRAINER_BIN), "compare", str(SEED), "--optimizers", "adam,sgd,rmsprop", "--seeds",
                             "2", *SHORT, "--out", str(experiments["compare"]), "--quiet"],
                            capture_output=True, text=True, timeout=60, env={**plain_env(), "COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    rows = json.loads((experiments["compare"] / "results.json").read_text())
    for row in rows:
        for cell in _cells(row)[:-1]:  # wall time of a reused run is the stored one
            assert cell in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns) + 30


@pytest.mark.parametrize("args", [
    ["run", str(SEED), *SHORT],
    ["compare", str(SEED), "--optimizers", "adam,sgd", "--seeds", "2", *SHORT],
    ["sweep", str(SEED), "--grid", "optimizer.lr=0.01,0.1", *SHORT, "--jobs", "1"],
    ["list"],
], ids=["run", "compare", "sweep", "list"])
def test_ascii_streams_degrade_instead_of_crashing(args: list[str], tmp_path: Path) -> None:
    out = [] if args[0] == "list" else ["--out", str(tmp_path / "out")]
    env = {**plain_env(), "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([str(TRAINER_BIN), *args, *out], capture_output=True, timeout=60, env=env)
    stderr = result.stderr.decode("ascii", "replace")
    assert result.returncode == 0, stderr
    assert "UnicodeEncodeError" not in stderr and "trainer has a bug" not in stderr
    result.stdout.decode("ascii")  # nothing but ASCII
    if args[0] == "compare":
        assert b"+-" in result.stdout  # mean +- std over the two seeds


def test_compare_divergence_hint_names_the_variant(tmp_path: Path) -> None:
    result = invoke("compare", SEED, "--optimizers", "adam,sgd:momentum=0.9", *SHORT, "--out", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert "--optimizers sgd:lr=0.008:momentum=0.9" in result.stdout
    assert "--set optimizer.lr" not in result.stdout
    rows = json.loads((tmp_path / "c" / "results.json").read_text())
    sgd = next(row for row in rows if row["variant"].startswith("sgd"))
    assert "--optimizers sgd:lr=0.008:momentum=0.9" in sgd["error"]


def test_experiment_directories_keep_their_kind(tmp_path: Path) -> None:
    sweep_dir, compare_dir = tmp_path / "sw", tmp_path / "cmp"
    assert invoke("sweep", SEED, "--grid", "optimizer.lr=0.01", *SHORT, "--out", sweep_dir, "-q").exit_code == 0
    assert invoke("compare", SEED, "--optimizers", "adam", *SHORT, "--out", compare_dir, "-q").exit_code == 0
    before = (sweep_dir / "results.csv").read_bytes()
    into_sweep = invoke("compare", SEED, "--optimizers", "adam", *SHORT, "--out", sweep_dir)
    assert into_sweep.exit_code == 2
    assert f"{sweep_dir} holds a sweep's results; choose another --out" in into_sweep.stderr
    assert (sweep_dir / "results.csv").read_bytes() == before
    into_compare = invoke("sweep", SEED, "--grid", "optimizer.lr=0.01", *SHORT, "--out", compare_dir)
    assert into_compare.exit_code == 2
    assert "holds a compare's results; choose another --out" in into_compare.stderr
    assert json.loads((compare_dir / "state.json").read_text())["kind"] == "compare"


def _trainer(*args: str, stdin: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TRAINER_BIN), *args], input=stdin, capture_output=True, text=True, timeout=60,
                          cwd=cwd, env=plain_env())


def test_validate_and_run_read_a_config_from_stdin(tmp_path: Path) -> None:
    text = SEED.read_text()
    for path in ("-", "/dev/stdin"):
        done = _trainer("validate", path, stdin=text)
        assert done.returncode == 0, done.stderr
        assert "is valid" in done.stdout
    done = _trainer("run", "-", "--out", str(tmp_path / "r"), "--quiet", *SHORT, stdin=text)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "r" / "summary.json").read_text())["status"] == "completed"


def test_a_stdin_config_resolves_data_paths_against_the_working_directory(tmp_path: Path) -> None:
    text = (ROOT / "configs" / "csv_regression.yaml").read_text()  # path: data/plants.csv
    assert _trainer("validate", "-", stdin=text, cwd=ROOT / "configs").returncode == 0
    elsewhere = _trainer("validate", "-", stdin=text, cwd=tmp_path)
    assert elsewhere.returncode == 2
    assert str(tmp_path / "data" / "plants.csv") in elsewhere.stderr or "plants.csv" in elsewhere.stderr


def test_a_fifo_config_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([str(TRAINER_BIN), "validate", str(fifo)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=plain_env())
    writer = threading.Thread(target=fifo.write_text, args=(SEED.read_text(),), daemon=True)
    writer.start()  # blocks until trainer opens the FIFO; a trainer that refuses it must not hang the test
    out, err = proc.communicate(timeout=60)
    if writer.is_alive():  # let the writer finish: open the FIFO's read end once
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    assert proc.returncode == 0, err
    assert "is valid" in out
