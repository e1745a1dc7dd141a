"""Digests of what a run directory holds, for runs of several configs (the golden files of test_golden_runs).

Everything a run writes is digested except what changes between identical runs: the `seconds`
column, wall times and the run directory's path. `python -m tests.runner.golden_runs` rewrites
golden_runs.json (only do that when a change of the files' contents is intended).
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
GOLDEN = Path(__file__).with_name("golden_runs.json")

# name -> (config file or dict, overrides): small runs covering the loop's branches
CASES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "seed": ("seed.yaml", ("training.epochs=40",)),
    "seed_all_metrics_best_ckpt": ("seed.yaml", (
        "training.epochs=25", "training.metrics=[mae,mse,rmse,r2]", "training.save_best=true",
        "training.checkpoint_every=7")),
    "seed_batches_shuffle_dropout_bn": ({
        "name": "bn", "seed": 3,
        "data": {"type": "linear", "n": 90, "d_in": 3, "weights": [0.2, -1.3, -0.5], "noise": 0.5},
        "model": {"layers": [{"type": "linear", "out_features": 8}, {"type": "batchnorm1d"}, {"type": "relu"},
                             {"type": "dropout", "p": 0.2}, {"type": "linear", "out_features": 1}]},
        "loss": {"type": "mse"}, "optimizer": {"type": "adam", "lr": 0.02},
        "training": {"epochs": 6, "batch_size": 32, "shuffle": True, "checkpoint_every": 4},
    }, ()),
    "sine_early_stopping": ("sine_scheduler_early_stopping.yaml", ("training.epochs=30",)),
    "sine_early_stop_fires": ("sine_scheduler_early_stopping.yaml", (
        "training.epochs=60", "training.early_stopping.patience=2", "training.early_stopping.min_delta=0.01")),
    "seed_diverged": ("seed.yaml", ("training.epochs=20", "optimizer.lr=1e30")),
    "blobs_onecycle": ("blobs_onecycle.yaml", ("training.epochs=4",)),
    "moons": ("moons_binary.yaml", ("training.epochs=3",)),
    "spirals_save_best": ("spirals.yaml", ("training.epochs=4", "training.save_best=true")),
    "noisy_linear": ("noisy_linear_regression.yaml", ("training.epochs=3",)),
    "rosenbrock": ("rosenbrock.yaml", ("training.epochs=30",)),
}

_VOLATILE_SUMMARY = ("wall_time_seconds", "run_dir")


def _npz_digest(data: bytes, volatile_state: bool) -> str:
    """An npz's members; a checkpoint's JSON state without its elapsed time."""
    h = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in sorted(zf.namelist()):
            member = zf.read(name)
            if volatile_state and name == "__state__.npy":
                state = json.loads(str(np.load(io.BytesIO(member), allow_pickle=False)[()]))
                state.pop("elapsed", None)
                member = json.dumps(state, sort_keys=True).encode()
            h.update(name.encode() + b"\0" + member)
    return h.hexdigest()


def _metrics_digest(text: str) -> str:
    lines = text.split("\n")
    header = lines[0].split(",")
    drop = header.index("seconds")
    kept = [",".join(v for i, v in enumerate(line.split(",")) if i != drop) for line in lines if line]
    return hashlib.sha256("\n".join(kept).encode()).hexdigest()


def digest_run_dir(path: Path) -> dict[str, str]:
    """File name -> digest of every file a run directory holds (the lock file aside)."""
    out: dict[str, str] = {}
    for file in sorted(path.iterdir()):
        if file.name.startswith(".") or file.is_dir():
            continue
        data = file.read_bytes()
        if file.suffix == ".npz":
            out[file.name] = _npz_digest(data, file.name == "checkpoint.npz")
        elif file.name == "metrics.csv":
            out[file.name] = _metrics_digest(data.decode())
        elif file.name == "summary.json":
            summary = {k: v for k, v in json.loads(data).items() if k not in _VOLATILE_SUMMARY}
            out[file.name] = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()
        else:
            out[file.name] = hashlib.sha256(data).hexdigest()
    return out


def run_case(name: str, out: Path) -> dict[str, str]:
    """Run one case into `out` and digest what it wrote."""
    from trainer.errors import DivergedError
    from trainer.runner.run import run

    config, overrides = CASES[name]
    source = str(CONFIGS / config) if isinstance(config, str) else config
    try:
        run(source, out=out, quiet=True, overrides=list(overrides), loggers=[])
    except DivergedError:
        pass
    return digest_run_dir(out)


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        golden = {name: run_case(name, Path(tmp) / name) for name in CASES}
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN} ({len(golden)} runs)", file=sys.stderr)


if __name__ == "__main__":
    main()
