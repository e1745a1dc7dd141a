"""The prune link: a worker's report reaches the sweep process's `decide` and its answer comes back."""

from __future__ import annotations

import math
from pathlib import Path

from trainer.experiments.prune_link import PruneLink, PruneServer


def test_reports_reach_decide_and_answers_come_back(tmp_path: Path) -> None:
    heard: list[tuple] = []

    def decide(trial: str, primary: bool, epoch: int, value: float) -> bool:
        heard.append((trial, primary, epoch, value))
        return value > 1.0

    root = tmp_path / "prune"
    with PruneServer(root, decide):
        link = PruneLink(str(root), "t0003", "3", True, "val_loss", every=2)
        assert link.should_stop(2, {"val_loss": 0.5, "train_loss": 9.0}) is False
        assert link.should_stop(4, {"val_loss": 1.5}) is True
        judged = PruneLink(str(root), "t0004-seed1", "4", False, "")  # "": val_loss when there is one
        assert judged.should_stop(1, {"val_loss": None, "train_loss": 2.0}) is True
        assert judged.should_stop(2, {"train_loss": float("nan")}) is False
    assert heard[:3] == [("3", True, 2, 0.5), ("3", True, 4, 1.5), ("4", False, 1, 2.0)]
    assert math.isnan(heard[3][3])
    assert not root.exists()  # nothing left behind


def test_a_failing_decide_answers_go_on_and_is_kept(tmp_path: Path) -> None:
    def decide(*args: object) -> bool:
        raise RuntimeError("broken pruner")

    root = tmp_path / "prune"
    with PruneServer(root, decide) as server:
        assert PruneLink(str(root), "t0000", "0", True, "").should_stop(1, {"train_loss": 1.0}) is False
    assert isinstance(server.error, RuntimeError)
