"""Bad input never shows a traceback: exit 2 naming the key, exit 3 on divergence, and the summary survives."""

from __future__ import annotations

import json

import pytest

from .helpers import SEED, invoke, metrics_rows

SEED_TEXT = SEED.read_text()


def write(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


BAD_OVERRIDES = [
    (["optimizer.lrr=0.1"], ["optimizer.lrr", "did you mean 'lr'"]),
    (["optimizer.lr=-1"], ["optimizer.lr"]),
    (["optimizer.lr=fast"], ["optimizer.lr"]),
    (["training.epochs=0"], ["training.epochs"]),
    (["optimizer.type=adamm"], ["optimizer", "adamm", "did you mean 'adam'"]),
    (["model.layers.2.out_features=3"], ["model.layers.2.out_features"]),
    (["model.layers.7.type=relu"], ["model.layers"]),
    (["loss.type=cross_entropy"], ["loss"]),
    (["training.early_stopping={patience: 2, monitor: val_loss}"], ["val_loss"]),
    (["optimizer.lr"], ["KEY=VALUE"]),
]


@pytest.mark.parametrize(("overrides", "words"), BAD_OVERRIDES, ids=[o[0] for o, _ in BAD_OVERRIDES])
def test_bad_overrides_exit_2_naming_the_key(tmp_path, overrides, words):
    args = [a for o in overrides for a in ("--set", o)]
    result = invoke("run", SEED, "--out", tmp_path / "run", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "run").exists()  # nothing is created for a config that cannot run


BAD_FILES = [
    ("name: x\ndata: {type: linear\n", ["line"]),
    ("", ["empty"]),
    ("- a\n- b\n", ["mapping"]),
    (SEED_TEXT.replace("loss:", "losses:"), ["losses"]),
    (SEED_TEXT + "\nextra: !!python/object/apply:os.system ['echo hacked']\n", []),
    (SEED_TEXT.replace("type: linear  ", "type: linearr"), ["data", "did you mean 'linear'"]),
    (SEED_TEXT.replace("type: linear  ", "type: csv\n  path: missing.csv\n  target: y\n ").replace(
        "  n: 100\n  d_in: 3\n  weights: [0.2, -1.3, -0.5]\n  bias: 0.0\n  noise: 1.0\n", ""), ["missing.csv"]),
]


@pytest.mark.parametrize(("text", "words"), BAD_FILES, ids=["syntax", "empty", "list", "unknown-key", "python-tag",
                                                            "data-type", "missing-file"])
def test_bad_config_files_exit_2(tmp_path, text, words):
    result = invoke("run", write(tmp_path, text), "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "hacked" not in result.output
    assert "config.yaml" in result.stderr
    for word in words:
        assert word in result.stderr


def test_missing_config_and_usage_errors():
    assert invoke("run", "nope.yaml").exit_code == 2
    assert invoke("run").exit_code == 2
    assert invoke("run", SEED, "--no-such-option").exit_code == 2
    assert invoke("run", SEED, "--resume", "somewhere").exit_code == 2


def test_divergence_exits_3_and_keeps_the_record(tmp_path):
    run = tmp_path / "run"
    result = invoke("run", SEED, "--out", run, "--set", "optimizer.type=sgd", "--set", "optimizer.lr=1e6")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "diverged at epoch" in result.stderr and "smaller learning rate" in result.stderr
    summary = json.loads((run / "summary.json").read_text())
    rows = metrics_rows(run)
    assert summary["status"] == "diverged" and summary["diverged_epoch"] == len(rows) > 1
    assert f"epoch {len(rows)}" in result.stderr
    assert rows[-1]["train_loss"] in ("nan", "inf") and float(rows[0]["train_loss"]) > 0
    assert summary["model_epoch"] == len(rows) - 1 and (run / "model.npz").is_file()


def test_divergence_with_json_still_prints_the_summary(tmp_path):
    result = invoke("run", SEED, "--out", tmp_path / "run", "--json", "--set", "optimizer.type=sgd",
                    "--set", "optimizer.lr=1e6")
    assert result.exit_code == 3 and json.loads(result.stdout)["status"] == "diverged"


def test_detect_anomaly_leaves_a_healthy_run_alone(tmp_path):
    for command in (["validate", SEED], ["run", SEED, "--out", tmp_path / "run", "--set", "training.epochs=2"]):
        result = invoke(*command, "--set", "training.detect_anomaly=true")
        assert result.exit_code == 0, result.output


def test_detect_anomaly_names_the_first_non_finite_op(tmp_path):
    run = tmp_path / "run"
    result = invoke("run", SEED, "--out", run, "--set", "optimizer.type=sgd", "--set", "optimizer.lr=1e6",
                    "--set", "training.detect_anomaly=true")
    assert result.exit_code == 3, result.output
    assert "anomaly detected" in result.stderr and "Traceback" not in result.output
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "diverged" and "anomaly detected" in summary["error"]
    assert summary["diverged_epoch"] == len(metrics_rows(run)) + 1


def test_an_unexpected_failure_is_one_message_not_a_traceback(tmp_path, monkeypatch):
    import trainer.training.loop as loop

    def broken(self, epoch):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loop.Trainer, "_epoch", broken)
    result = invoke("run", SEED, "--out", tmp_path / "run")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "RuntimeError: disk on fire" in result.stderr and "TRAINER_TRACEBACK" in result.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "failed"


BLOCKS = """\
name: blocks
data: {type: linear, n: 40, d_in: 2}
model: {layers: [{type: linear, out_features: 1}]}
loss: mse
optimizer: adam
training: {epochs: 2}
"""


def test_validate_checks_compare_and_sweep_blocks(tmp_path):
    cases = {"compare: [{optimizer: {type: adam, lrr: 0.01}}]\n": ("compare", "lrr"),
             "sweep: {gird: {optimizer.lr: [0.1]}}\n": ("sweep.gird", "grid"),
             "sweep: {grid: {optimizer.lrr: [0.1]}}\n": ("sweep", "lrr")}
    for block, words in cases.items():
        path = tmp_path / "c.yaml"
        path.write_text(BLOCKS + block)
        result = invoke("validate", path)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert str(path) in result.stderr and all(w in result.stderr for w in words), result.stderr
    path.write_text(BLOCKS + "compare: [{optimizer: {type: adam, lr: 0.01}}, {optimizer: sgd}]\n")
    assert invoke("validate", path).exit_code == 0


def test_compare_and_sweep_work_without_a_seed_key(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(BLOCKS)
    assert invoke("compare", path, "-O", "adam,sgd", "--out", tmp_path / "cmp", "-q").exit_code == 0
    assert invoke("sweep", path, "--grid", "optimizer.lr=0.01,0.1", "--out", tmp_path / "sw", "-q").exit_code == 0


def test_executor_mistakes_are_found_before_anything_is_written(tmp_path):
    for args in (["--executor", "spark"], ["--executor", "dask"], ["--address", "tcp://127.0.0.1:1"],
                 ["--executor", "dask", "--address", "nonsense"]):
        result = invoke("sweep", SEED, "--grid", "optimizer.lr=0.1", "--out", tmp_path / "sw", *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, args
        assert not (tmp_path / "sw").exists(), args
