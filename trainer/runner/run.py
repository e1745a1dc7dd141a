"""`trainer.run`: one training run from a config, into a run directory, returning its history and summary."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..build import ScheduleTooShort, build_experiment, loop_settings
from ..config import RunConfig, load_config
from ..config.resolve import resolved as resolve_config
from ..errors import DivergedError, UserError
from ..nn import Module
from ..training import atomic, rundir
from ..training.callbacks import Callback
from ..training.checkpoint import FINGERPRINT, check_fingerprint, config_fingerprint, load_checkpoint
from ..training.interrupts import InterruptGuard
from ..training.loop import Trainer
from ..training.report import PrintReport
from ..training.run_files import PREPROCESSING
from ..training.state import Snapshot, TrainState, load_model_arrays
from ..training.writer import RunDirWriter
from .loggers import logger_callbacks


@dataclass
class RunResult:
    """What a finished run gives back: per-epoch rows, the summary, the trained model and where files are."""

    history: list[dict[str, Any]]
    summary: dict[str, Any]
    model: Module
    run_dir: Path
    config: dict[str, Any]


class _HoldSignals(Callback):
    """First in the callback list: once training stops, further Ctrl-C must not cut the final writes short."""

    def __init__(self, guard: InterruptGuard) -> None:
        self.guard = guard

    def on_error(self, state: TrainState, error: BaseException) -> None:
        self.guard.hold()

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        self.guard.hold()


PathLike = str | os.PathLike[str]


def run(config: PathLike | dict[str, Any] | RunConfig | None = None, out: PathLike | None = None, quiet: bool = True,
        overrides: Sequence[str] = (), resume: PathLike | None = None, overwrite: bool = False,
        callbacks: Sequence[Callback] = (), loggers: Sequence[str] | None = None) -> RunResult:
    """Train the model a config describes and write its run directory.

    `config` is a YAML path, a dict or a loaded config; `overrides` are `KEY=VALUE` strings as for `--set`.
    The run directory is `out` or `runs/<name>/<timestamp>-<id>/`; one that already holds a run is only
    replaced with `overwrite`. `resume=RUN_DIR` continues that run from its checkpoint (give no `config`).
    Prints nothing unless `quiet=False` (then plain log lines on stdout; the CLI passes its own renderer
    as a callback instead). `loggers` replaces the config's `training.loggers` (the trackers fed per epoch;
    a compare's workers pass none: the experiment exports its runs itself).
    Raises `UserError` for bad input, `DivergedError` (with `.result`)
    when the loss becomes NaN or inf, and `KeyboardInterrupt` after saving a checkpoint on SIGINT/SIGTERM.
    """
    cfg, snapshot, run_dir = _source(config, out, overrides, resume)
    try:
        experiment = build_experiment(cfg)
    except ScheduleTooShort as err:  # on resume, the schedule's length came from the original run
        raise (err if resume is None else err.resumed()) from None
    settings, resolved = loop_settings(cfg, experiment), experiment.resolved
    info = {"name": cfg.name, "seed": settings.seed, "task": experiment.data.task, "trainer_version": __version__,
            "run_dir": str(run_dir), "resumed_from_epoch": snapshot.epoch if snapshot is not None else None}
    guard = InterruptGuard()
    meta = {"name": cfg.name, FINGERPRINT: config_fingerprint(resolved, RESUMABLE_OVERRIDES)}
    chain: list[Callback] = [_HoldSignals(guard), RunDirWriter(run_dir, settings.checkpoint_every, meta)]
    chain += logger_callbacks(cfg.training.loggers if loggers is None else loggers, run_dir, resolved, cfg.name)
    chain += list(callbacks)
    if not quiet:
        chain.append(PrintReport())
    trainer = Trainer(experiment, settings, chain, info)
    with rundir.owned(run_dir, "--out" if resume is None else "--resume"):  # one run per directory at a time
        if snapshot is not None:
            try:  # checks the checkpoint fits before anything in the run directory changes
                trainer.resume(snapshot)
            except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
                raise UserError(f"the checkpoint does not fit this run's config: {type(exc).__name__}: {exc}",
                                key="--resume", file=str(Path(resume) / rundir.CHECKPOINT),
                                hint="resume with the config.yaml the run was written with") from None
            rundir.remove_stale_temp_files(run_dir)
        else:
            rundir.prepare_run_dir(run_dir, overwrite)
        with atomic.one_dir_sync(run_dir):
            rundir.write_config(run_dir, resolved)
            if experiment.preprocessing is not None:
                atomic.write_text(run_dir / PREPROCESSING, experiment.preprocessing.to_json())
        with guard:
            state = trainer.fit()
    result = RunResult(history=state.history, summary=state.summary, model=experiment.model, run_dir=run_dir,
                       config=resolved)
    if state.status == "diverged":
        load_model_arrays(experiment.model, state.models.model)  # finite weights, as in model.npz
        if state.anomaly is not None:
            lr = float(experiment.optimizer.param_groups[0]["lr"])
            error = DivergedError(state.diverged_epoch, float("nan"), hint=_lr_hint(lr), detail=state.anomaly)
        else:
            row = state.history[-1]
            bad = row["train_loss"] if not _finite(row["train_loss"]) else row.get("val_loss")
            error = DivergedError(state.diverged_epoch or state.epoch, bad, hint=_lr_hint(row["lr"]))
        error.result = result  # type: ignore[attr-defined]
        raise error
    return result


def _source(config: Any, out: str | os.PathLike[str] | None, overrides: Sequence[str],
            resume: str | os.PathLike[str] | None) -> tuple[RunConfig, Snapshot | None, Path]:
    """The config, the checkpoint to resume from (if any) and the run directory."""
    if out is not None and not str(out).strip():
        raise UserError("--out is empty", key="--out", hint="give a directory, e.g. --out runs/mine")
    if resume is not None and out is not None and Path(out) != Path(resume):
        raise UserError("a resumed run continues in its own directory; --out cannot move it", key="--out",
                        hint="drop --out, or copy the run directory first and resume the copy")
    if resume is None:
        if config is None:
            raise UserError("no config given", hint="trainer run CONFIG.yaml")
        cfg = load_config(config, overrides)
        return cfg, None, Path(out) if out is not None else rundir.default_run_dir(cfg.name)
    if config is not None:
        raise UserError("give either a config or a run directory to resume, not both", key="--resume")
    bad = [o for o in overrides if o.split("=", 1)[0].strip() not in RESUMABLE_OVERRIDES]
    if bad:
        raise UserError(f"--set {bad[0]} would change the run being resumed", key="--set",
                        hint=f"with --resume only {', '.join(RESUMABLE_OVERRIDES)} may be set; "
                             "start a new run for other changes")
    run_dir = Path(resume)
    if not (run_dir / rundir.CONFIG).is_file():
        raise UserError(f"{run_dir} holds no run to resume (no {rundir.CONFIG})", key="--resume")
    cfg = load_config(run_dir / rundir.CONFIG, overrides)
    snapshot, meta = load_checkpoint(run_dir / rundir.CHECKPOINT, cfg.training.checkpoint_every)
    check_fingerprint(meta, resolve_config(cfg), RESUMABLE_OVERRIDES, run_dir / rundir.CONFIG)
    _check_resumable(run_dir, snapshot.epoch, cfg.training.epochs)
    return cfg, snapshot, run_dir


# what a resumed run may change without breaking bit-identical continuation
RESUMABLE_OVERRIDES = ("training.epochs", "training.log_every", "training.checkpoint_every", "training.loggers")


def _lr_hint(lr: float) -> str:
    """What a diverged run suggests: a tenth of the learning rate it used."""
    return f"try a smaller learning rate, e.g. --set optimizer.lr={lr / 10:g} (it was {lr:g})"


def _finite(value: Any) -> bool:
    return value is not None and math.isfinite(value)


def _check_resumable(run_dir: Path, epoch: int, epochs: int) -> None:
    """A completed run has nothing left to do unless the epoch budget grew."""
    if epoch > epochs:
        raise UserError(f"the checkpoint in {run_dir} is already at epoch {epoch}, past training.epochs={epochs}",
                        key="training.epochs")
    summary_path = run_dir / rundir.SUMMARY
    if not summary_path.is_file():
        return
    try:
        summary = json.loads(summary_path.read_text())
        status, reason = summary.get("status"), summary.get("stop_reason")
    except (OSError, ValueError, AttributeError):
        return
    if status == "completed" and reason == "early_stopping":
        raise UserError(f"{run_dir} finished: early stopping ended it at epoch {epoch}", key="--resume",
                        hint="start a new run (with a larger training.early_stopping.patience) to train further")
    if status == "completed" and epoch >= epochs:
        raise UserError(f"{run_dir} already completed all {epochs} epochs", key="--resume",
                        hint="train longer with --set training.epochs=N")
