"""MLflow through mlflow-skinny: one MLflow run per trainer run, params = the flattened config, metrics per epoch.

The store is `--to`, else `MLFLOW_TRACKING_URI`, else `sqlite:///<dir>/mlflow.db` beside the run's
(or experiment's) files. A trainer run is found again by its `trainer.run_dir` tag, so a resumed run,
or an export repeated, continues the same MLflow run: only epochs past the last one logged are
sent (the rows before are bit-identical), only params it lacks are added.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from .callbacks import Callback, EpochEvent
from .run_files import MLFLOW_DB
from .state import TrainState
from .trackers import flatten, require, scalars

RUN_TAG = "trainer.run_dir"
_STATUS = {"completed": "FINISHED", "interrupted": "KILLED"}  # anything else: FAILED
_PARAM_LIMIT = 6000  # characters MLflow keeps of a param's value
_BATCH = 1000  # metrics per log_batch call


def tracking_uri(directory: str | Path, to: str | None = None) -> str:
    """Where runs go: `to`, MLFLOW_TRACKING_URI, or a sqlite file in `directory`."""
    if to:
        return to if "://" in to or to.startswith("sqlite:") else f"sqlite:///{Path(to).resolve()}"
    env = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
    return env or f"sqlite:///{Path(directory).resolve() / MLFLOW_DB}"


def client(uri: str) -> Any:
    """An MlflowClient on `uri` (a UserError with the pip command when mlflow is not installed)."""
    require("mlflow")
    from mlflow.tracking import MlflowClient

    for name in ("mlflow", "alembic"):  # their INFO lines (a new store's migrations) are not this run's output
        logging.getLogger(name).setLevel(logging.WARNING)

    return MlflowClient(tracking_uri=uri)


def experiment_id(mlflow: Any, name: str) -> str:
    """The MLflow experiment called `name`, created on first use."""
    found = mlflow.get_experiment_by_name(name)
    return found.experiment_id if found is not None else mlflow.create_experiment(name)


class TrackedRun:
    """One trainer run's MLflow run: found by its run directory or created, then fed rows, params and tags."""

    def __init__(self, mlflow: Any, experiment: str, run_dir: str | Path, run_name: str) -> None:
        self.mlflow = mlflow
        key = str(Path(run_dir).resolve())
        exp = experiment_id(mlflow, experiment)
        runs = mlflow.search_runs([exp], filter_string=f"tags.`{RUN_TAG}` = '{key}'", max_results=1)
        if runs:
            self.run_id = runs[0].info.run_id
            self.params = set(runs[0].data.params)
            history = mlflow.get_metric_history(self.run_id, "train_loss")
            self.last_step = max((m.step for m in history), default=0)
            mlflow.update_run(self.run_id, status="RUNNING")
        else:
            run = mlflow.create_run(exp, run_name=run_name, tags={RUN_TAG: key})
            self.run_id, self.params, self.last_step = run.info.run_id, set(), 0

    def log_params(self, config: dict[str, Any]) -> None:
        """The flattened config; params already on the run are left as they are (MLflow's are write-once)."""
        from mlflow.entities import Param

        new = [Param(k, str(v)[:_PARAM_LIMIT]) for k, v in flatten(config).items() if k not in self.params]
        for start in range(0, len(new), 100):
            self.mlflow.log_batch(self.run_id, params=new[start:start + 100])
        self.params.update(p.key for p in new)

    def log_rows(self, rows: list[dict[str, Any]]) -> None:
        """Each row's numbers at step = epoch, skipping epochs already logged."""
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        metrics = [Metric(col, value, now, int(row["epoch"])) for row in rows if int(row["epoch"]) > self.last_step
                   for col, value in scalars(row).items()]
        for start in range(0, len(metrics), _BATCH):
            self.mlflow.log_batch(self.run_id, metrics=metrics[start:start + _BATCH])
        self.last_step = max([self.last_step, *(int(row["epoch"]) for row in rows)])

    def finish(self, summary: dict[str, Any], tags: dict[str, str]) -> None:
        """Tags (status, experiment, ...) and the run's terminal status."""
        from mlflow.entities import RunTag

        status = str(summary.get("status"))
        all_tags = {"status": status, **tags}
        self.mlflow.log_batch(self.run_id, tags=[RunTag(k, str(v)) for k, v in all_tags.items()])
        self.mlflow.set_terminated(self.run_id, status=_STATUS.get(status, "FAILED"))


def export_run(mlflow: Any, experiment: str, run_dir: str | Path, config: dict[str, Any],
               history: list[dict[str, Any]], summary: dict[str, Any], tags: dict[str, str]) -> str:
    """A finished run's files into MLflow; returns the MLflow run id."""
    tracked = TrackedRun(mlflow, experiment, run_dir, tags.get("run", Path(run_dir).name))
    tracked.log_params(config)
    tracked.log_rows(history)
    tracked.finish(summary, tags)
    return tracked.run_id


class MlflowLogger(Callback):
    """Logs the rows to MLflow as the run trains (sent at each logged epoch and at the end)."""

    def __init__(self, run_dir: str | Path, config: dict[str, Any], name: str) -> None:
        require("mlflow")  # before training starts: a missing extra is a usage error
        self.run_dir = Path(run_dir)
        self.config = config
        self.name = name
        self.tracked: TrackedRun | None = None
        self.pending: list[dict[str, Any]] = []

    def on_run_start(self, state: TrainState) -> None:
        mlflow = client(tracking_uri(self.run_dir))
        self.tracked = TrackedRun(mlflow, self.name, self.run_dir, self.run_dir.name)
        self.tracked.log_params(self.config)

    def on_epoch_end(self, state: TrainState, event: EpochEvent) -> None:
        self.pending.append(event.record)
        if event.log or event.epoch == event.epochs:
            self._flush()

    def finalize(self, state: TrainState, summary: dict[str, Any]) -> None:
        if self.tracked is None:
            return
        self._flush()
        self.tracked.finish(summary, {"experiment": self.name, "run": self.run_dir.name})

    def _flush(self) -> None:
        if self.tracked is not None and self.pending:
            self.tracked.log_rows(self.pending)
        self.pending = []
