"""User errors say what is true: the file, the dotted key, the cause and a hint; exit 2, never a traceback."""

from __future__ import annotations

import pytest

from trainer.training.checkpoint import load_checkpoint, save_checkpoint

from .helpers import CONFIGS, SEED, invoke

SEED_TEXT = SEED.read_text()


def write(tmp_path, text: str, name: str = "config.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(result, *words: str) -> str:
    """The stderr of a run refused with exit 2, checked to hold every word."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_extending_an_inferred_onecycle_on_resume_says_why_it_cannot(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", CONFIGS / "blobs_onecycle.yaml", "--out", run, "-q", "--set", "training.epochs=4",
                  "--set", "training.checkpoint_every=2").exit_code == 0
    err = refused(invoke("run", "--resume", run, "--set", "training.epochs=6"),
                  str(run / "config.yaml"), "training.epochs", "total_steps = 24 (4 epochs × 6 batches)",
                  "cannot extend it to 6 epochs", "start a new run", "--set training.epochs=6")
    assert "leave total_steps" not in err


def test_a_too_short_onecycle_in_a_new_run_still_says_leave_total_steps_out(tmp_path):
    config = write(tmp_path, SEED_TEXT.replace("optimizer: {type: adam, lr: 0.08}",
                                               "optimizer: {type: adam, lr: 0.08}\n"
                                               "scheduler: {type: onecycle, max_lr: 0.1, total_steps: 10}"))
    refused(invoke("validate", config), "scheduler", "onecycle is 10 steps long", "leave total_steps")


INVISIBLE = [
    ("epochs: 200", "epochs\u200b: 200", "training.epochs\\u200b", "unknown key 'epochs\\u200b'", "U+200B"),
    ("lr: 0.08", "l\u00a0r: 0.08", "optimizer.l\\u00a0r", "unknown key 'l\\u00a0r'", "U+00A0"),
    ("\ndata:", "\n\ufeffdata:", "\\ufeffdata", "unknown key '\\ufeffdata'", "U+FEFF"),
    ("out_features: 32}", "out_features\u2060: 32}", "model.layers.0.out_features\\u2060", "out_features\\u2060'",
     "U+2060"),
    ("{type: relu}", '{type: "relu\u200b"}', "model.layers.1.type", "unknown layer type 'relu\\u200b'", "U+200B"),
    ("type: adam", 'type: "adam\u00a0"', "optimizer.type", "unknown optimizer type 'adam\\u00a0'", "U+00A0"),
    ("reduction: sum", 'reduction: "sum\ufeff"', "loss.reduction", "got 'sum\\ufeff'", "U+FEFF"),
]


@pytest.mark.parametrize(("old", "new", "key", "message", "code"), INVISIBLE,
                         ids=["zwsp", "nbsp", "bom", "word-joiner", "layer-type", "optimizer-type", "literal"])
def test_an_invisible_character_in_a_key_or_name_is_shown_and_named(tmp_path, old, new, key, message, code):
    assert old in SEED_TEXT
    err = refused(invoke("validate", write(tmp_path, SEED_TEXT.replace(old, new, 1))), f"{key}: ", message,
                  "invisible character", code)
    assert "\u200b" not in err and "\u00a0" not in err and "\ufeff" not in err and "\u2060" not in err


def test_an_invisible_character_in_a_set_key_or_metric_is_shown(tmp_path):
    refused(invoke("validate", SEED, "--set", "training.epochs\u200b=3"), "training.epochs\\u200b",
            "'epochs\\u200b' is not a key of training", "invisible character (U+200B ZERO WIDTH SPACE)")
    refused(invoke("validate", SEED, "--set", "training.metrics=[mae\u200b]"), "training.metrics",
            "unknown metric 'mae\\u200b'", "invisible character")


CSV_ROWS = "".join(f"{i},{i * 2},{i % 3}\n" for i in range(12))


def csv_config(tmp_path, data: str, header: str = "a,b,y") -> object:
    (tmp_path / "table.csv").write_text(f"{header}\n{CSV_ROWS}")
    start, rest = SEED_TEXT.split("data:", 1)
    return write(tmp_path, f"{start}data: {{type: csv, path: table.csv, {data}}}\nmodel:{rest.split('model:', 1)[1]}")


def test_an_empty_target_list_is_refused_at_the_data_section(tmp_path):
    err = refused(invoke("validate", csv_config(tmp_path, "target: []")), "data.target: needs at least one column")
    assert "outputs" not in err


def test_the_target_used_as_a_feature_is_refused(tmp_path):
    refused(invoke("validate", csv_config(tmp_path, "features: [a, y], target: y")),
            "data.features: column 'y' is the target", "hint:")
    refused(invoke("validate", csv_config(tmp_path, "features: [a, 2], target: y")), "column 'y' is the target")
    refused(invoke("validate", csv_config(tmp_path, "features: [a, a], target: y")), "column 'a' is listed twice")


def test_a_duplicated_header_column_is_refused_naming_it_and_the_file(tmp_path):
    refused(invoke("validate", csv_config(tmp_path, "target: y", header="a,a,y")), "data.path",
            str(tmp_path / "table.csv"), "column 'a' twice", "hint:")


def checkpointed_run(tmp_path):
    run = tmp_path / "run"
    assert invoke("run", SEED, "--out", run, "-q", "--set", "training.epochs=4",
                  "--set", "training.checkpoint_every=2").exit_code == 0
    return run


def test_a_hand_edited_config_yaml_is_refused_on_resume(tmp_path):
    run = checkpointed_run(tmp_path)
    config = run / "config.yaml"
    original = config.read_text()
    assert "lr: 0.08" in original
    config.write_text(original.replace("lr: 0.08", "lr: 0.01"))
    refused(invoke("run", "--resume", run, "--set", "training.epochs=6"), f"{config}: --resume:",
            "optimizer.lr is 0.01 in config.yaml but the checkpoint was trained with 0.08", "restore config.yaml",
            "start a new run")
    config.write_text(original.replace("bias: true", "bias: false", 1))
    refused(invoke("run", "--resume", run, "--set", "training.epochs=6"), "model.layers.0.bias is false")
    config.write_text(original)  # restored: it resumes, and the resumable settings may still change
    assert invoke("run", "--resume", run, "-q", "--set", "training.epochs=6", "--set", "training.log_every=3",
                  "--set", "training.checkpoint_every=3").exit_code == 0


def test_a_checkpoint_without_a_fingerprint_still_resumes(tmp_path):
    run = checkpointed_run(tmp_path)
    snap, meta = load_checkpoint(run / "checkpoint.npz")
    assert meta["config"]["optimizer"]["lr"] == 0.08 and "epochs" not in meta["config"]["training"]
    save_checkpoint(run / "checkpoint.npz", snap, {"name": meta["name"]}, history=False)
    assert invoke("run", "--resume", run, "-q", "--set", "training.epochs=6").exit_code == 0
    assert "config" in load_checkpoint(run / "checkpoint.npz")[1]  # the resumed run writes one


CONSTRUCTOR_ERRORS = [
    ("optimizer={type: sgd, lr: 0.1, nesterov: true}", "optimizer.nesterov: cannot build optimizer 'sgd'"),
    ("optimizer={type: adafactor, beta2_decay: 1}", "optimizer.beta2_decay: cannot build optimizer 'adafactor'"),
    ("scheduler={type: plateau, factor: 2}", "scheduler.factor: cannot build scheduler 'plateau'"),
]


@pytest.mark.parametrize(("override", "words"), CONSTRUCTOR_ERRORS, ids=["nesterov", "beta2_decay", "factor"])
def test_a_constructor_error_naming_an_argument_points_at_its_key(override, words):
    refused(invoke("validate", SEED, "--set", override), words)


TUPLES = [
    ("optimizer.betas=[0.9]", "optimizer.betas: betas needs 2 numbers, got 1: [0.9]"),
    ("optimizer.betas=[]", "optimizer.betas: betas needs 2 numbers, got 0: []"),
    ("optimizer.betas=[0.9, 0.99, 0.999]", "optimizer.betas: betas needs 2 numbers, got 3: [0.9, 0.99, 0.999]"),
    ("optimizer.param_groups=[{layers: [0], betas: [0.8]}]", "optimizer.param_groups.0.betas: betas needs 2 numbers"),
    ("optimizer={type: rprop, etas: [0.5]}", "optimizer.etas: etas needs 2 numbers, got 1: [0.5]"),
]


@pytest.mark.parametrize(("override", "words"), TUPLES, ids=["short", "empty", "long", "group", "etas"])
def test_a_tuple_of_the_wrong_length_says_how_many_numbers_it_needs(override, words):
    err = refused(invoke("validate", SEED, "--set", override), words)
    assert "missing required key" not in err and "Tuple should" not in err
