"""Plugins in compare and sweep: workers (local processes and Dask) load the experiment's plugins."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import trainer
from trainer.config.plugins import forget_plugins, load_plugin
from trainer.errors import UserError
from trainer.experiments.compare import run_compare
from trainer.optim import Optimizer

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
SIGN_DESCENT = ROOT / "configs" / "plugins" / "sign_descent.py"
FAST = ("training.epochs=4", "optimizer.lr=0.001")  # sum-reduced MSE: plain descent needs a small lr


class Nudge(Optimizer):
    """Plain gradient descent, registered from Python (workers import this module by name)."""

    def __init__(self, params, lr: float = 0.001):
        super().__init__(params, {"lr": lr})

    @trainer.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(p.grad, alpha=group["lr"])


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    forget_plugins()
    yield
    forget_plugins()


@pytest.fixture
def gone_plugin(tmp_path: Path) -> None:
    """sign_descent loaded from a file that is deleted at once: workers must get its source from us."""
    copy = tmp_path / "plugin" / "sign_descent.py"
    copy.parent.mkdir()
    shutil.copy(SIGN_DESCENT, copy)
    load_plugin(str(copy))
    shutil.rmtree(copy.parent)


def _completed(outcome, variants: set[str]) -> None:
    assert {row["variant"] for row in outcome.rows} == variants
    assert all(row["status"] == "completed" for row in outcome.rows), outcome.rows


def test_compare_with_a_plugin_file_on_local_workers(gone_plugin: None, tmp_path: Path) -> None:
    outcome = run_compare(str(SEED), "sign_descent,sign_descent:lr=0.02,adam", jobs=2, out=tmp_path / "cmp",
                          overrides=FAST, plot=False)
    _completed(outcome, {"sign_descent", "sign_descent:lr=0.02", "adam"})
    losses = {row["variant"]: row["final_train_loss"] for row in outcome.rows}
    assert losses["sign_descent"] != losses["sign_descent:lr=0.02"]


def test_compare_with_a_plugin_file_on_dask(gone_plugin: None, dask_address: str, tmp_path: Path) -> None:
    outcome = run_compare(str(SEED), ["sign_descent", "adam"], out=tmp_path / "cmp", overrides=FAST,
                          executor="dask", address=dask_address, plot=False)
    _completed(outcome, {"sign_descent", "adam"})


def test_compare_takes_optimizer_classes(tmp_path: Path) -> None:
    rows = trainer.compare(str(SEED), optimizers=[Nudge, "adam", trainer.optim.SGD], jobs=2, out=tmp_path / "cmp",
                           overrides=FAST)
    assert {row["variant"] for row in rows} == {"nudge", "adam", "sgd"}
    assert all(row["status"] == "completed" for row in rows), rows


def test_a_class_without_an_importable_name_is_sent_by_value(tmp_path: Path) -> None:
    class Drift(Nudge):
        """Defined in a function: no worker could import it by name."""

    trainer.register_optimizer(Drift, name="drift")
    rows = trainer.compare(str(SEED), optimizers=["drift", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST)
    assert all(row["status"] == "completed" for row in rows), rows


def test_sweep_over_a_plugin_optimizer(gone_plugin: None, tmp_path: Path) -> None:
    cfg = trainer.load_config(str(SEED), ["optimizer={type: sign_descent}", *FAST])
    rows = trainer.sweep(cfg, grid={"optimizer.lr": [0.01, 0.02], "optimizer.weight_decay": [0.0, 0.1]}, jobs=2,
                         out=tmp_path / "sw")
    assert len(rows) == 4 and all(row["status"] == "completed" for row in rows), rows


def test_rerunning_without_the_plugin_says_so(gone_plugin: None, tmp_path: Path) -> None:
    run_compare(str(SEED), ["sign_descent", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST, plot=False)
    forget_plugins()
    with pytest.raises(UserError) as info:
        run_compare(str(SEED), ["sign_descent", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST, plot=False)
    assert "unknown optimizer type 'sign_descent'" in info.value.message and "--plugin" in info.value.hint


def test_a_changed_plugin_runs_again(tmp_path: Path) -> None:
    path = tmp_path / "sign_descent.py"
    shutil.copy(SIGN_DESCENT, path)
    load_plugin(str(path))
    first = run_compare(str(SEED), ["sign_descent", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST, plot=False)
    assert not any(r.reused for r in first.records)
    again = run_compare(str(SEED), ["sign_descent", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST, plot=False)
    assert all(r.reused for r in again.records)
    forget_plugins()
    path.write_text(path.read_text().replace('alpha=group["lr"]', 'alpha=2 * group["lr"]'))
    load_plugin(str(path))
    changed = run_compare(str(SEED), ["sign_descent", "adam"], jobs=2, out=tmp_path / "cmp", overrides=FAST,
                          plot=False)
    assert {r.spec.group: r.reused for r in changed.records} == {"sign_descent": False, "adam": True}


def test_a_module_the_dask_workers_cannot_import_runs_from_its_text(
        dask_address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "only_here_opts.py").write_text(SIGN_DESCENT.read_text().replace("SignDescent", "SignHere"))
    monkeypatch.syspath_prepend(str(tmp_path))  # this process only: the cluster's workers started before
    loaded = load_plugin("only_here_opts")
    assert loaded.by_name and loaded.source is not None
    outcome = run_compare(str(SEED), ["sign_here", "adam"], out=tmp_path / "cmp", overrides=FAST,
                          executor="dask", address=dask_address, plot=False)
    _completed(outcome, {"sign_here", "adam"})
