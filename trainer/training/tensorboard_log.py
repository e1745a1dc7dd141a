"""TensorBoard through tensorboardX: scalars per epoch for every metrics.csv column, the config as hparams.

Event files go to the run directory's `tb/`. A resumed run opens a new event file with
`purge_step` set to its first new epoch, so TensorBoard hides whatever a killed run logged past its
checkpoint: every epoch shows once. The hparams (the resolved config, flattened, with the final
metrics) are written once, when the run ends other than interrupted, so a compare or sweep shows
one HParams entry per run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .callbacks import Callback, EpochEvent
from .state import TrainState
from .trackers import final_metrics, flatten, require, scalars


def open_writer(logdir: str | Path, purge_step: int | None = None) -> Any:
    """A tensorboardX SummaryWriter on `logdir` (a UserError with the pip command when it is not installed)."""
    tbx = require("tensorboard")
    Path(logdir).mkdir(parents=True, exist_ok=True)
    # the first epoch in the name: a resumed run started in the same second gets its own file, read after
    suffix = f".from-epoch-{purge_step or 1:07d}"
    return tbx.SummaryWriter(logdir=str(logdir), purge_step=purge_step, filename_suffix=suffix)


def log_row(writer: Any, row: dict[str, Any]) -> None:
    """One epoch's numbers as scalars at step = epoch."""
    for tag, value in scalars(row).items():
        writer.add_scalar(tag, value, global_step=int(row["epoch"]))


def log_hparams(writer: Any, config: dict[str, Any], summary: dict[str, Any]) -> None:
    """The flattened config as hparams, with the final metrics as the session's metric values."""
    from tensorboardX.summary import hparams

    metrics = final_metrics(summary)
    step = int(summary.get("epochs_run") or 0)
    params = flatten(config)
    params["status"] = str(summary.get("status"))
    experiment, start, end = hparams(params, metrics)
    file_writer = writer._get_file_writer()
    for part in (experiment, start, end):
        file_writer.add_summary(part, global_step=step)
    for tag, value in metrics.items():
        writer.add_scalar(tag, value, global_step=step)


def write_run(logdir: str | Path, config: dict[str, Any], history: list[dict[str, Any]],
              summary: dict[str, Any]) -> Path:
    """A finished run's event files from its files (for `trainer export tensorboard`); old ones are replaced."""
    logdir = Path(logdir)
    for old in logdir.glob("events.out.tfevents.*"):
        old.unlink()
    writer = open_writer(logdir)
    try:
        for row in history:
            log_row(writer, row)
        if summary.get("status") != "interrupted":
            log_hparams(writer, config, summary)
    finally:
        writer.close()
    return logdir


class TensorBoardLogger(Callback):
    """Logs every epoch's row while the run trains; the hparams when it ends."""

    def __init__(self, logdir: str | Path, config: dict[str, Any]) -> None:
        require("tensorboard")  # before training starts: a missing extra is a usage error
        self.logdir = Path(logdir)
        self.config = config
        self.writer: Any = None

    def on_run_start(self, state: TrainState) -> None:
        self.writer = open_writer(self.logdir, purge_step=state.epoch + 1 if state.epoch else None)

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        log_row(self.writer, event.record)

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        if self.writer is None:
            return
        try:
            if summary.get("status") != "interrupted":
                log_hparams(self.writer, self.config, summary)
        finally:
            self.writer.close()
            self.writer = None
