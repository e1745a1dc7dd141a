"""What a run directory holds, for runs of several configs (the golden files of test_golden_runs).

Everything a run writes is kept except what changes between identical runs: the `seconds` column,
wall times and the run directory's path. Two golden files:

- golden_runs.json: sha256 digests of every file, per kind of machine (`machine_kind`): float rounding
  in numpy's SIMD loops and OpenBLAS's kernels depends on the CPU, so bytes are only comparable
  between machines of one kind.
- golden_values.npz: the contents themselves (numbers as float64 or their integer type, text and JSON
  as strings), which any machine compares within a tolerance.

`python -m tests.runner.golden_runs` records this machine kind's digests and, with `--values`, the
values (only do either when a change of the files' contents is intended; a new machine kind needs
only its digests).
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
GOLDEN = Path(__file__).with_name("golden_runs.json")
GOLDEN_VALUES = Path(__file__).with_name("golden_values.npz")

# name -> (config file or dict, overrides): small runs covering the loop's branches
CASES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "seed": ("seed.yaml", ("training.epochs=40",)),
    "seed_all_metrics_best_ckpt": ("seed.yaml", (
        "training.epochs=25", "training.metrics=[mae,mse,rmse,r2]", "training.save_best=true",
        "training.checkpoint_every=7")),
    "seed_batches_shuffle_dropout_bn": ({
        "name": "bn", "seed": 3,
        "data": {"type": "linear", "n": 90, "d_in": 3, "weights": [0.2, -1.3, -0.5], "noise": 0.5},
        "model": {"layers": [{"type": "linear", "out_features": 8, "bias": False}, {"type": "batchnorm1d"},
                             {"type": "relu"}, {"type": "dropout", "p": 0.2}, {"type": "linear", "out_features": 1}]},
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


def machine_kind() -> str:
    """The CPU architecture, the SIMD groups numpy dispatches to and OpenBLAS's kernel: "x86_64 X86_V3 Haswell"."""
    from benchmarks.machine import openblas_runtime

    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
        found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    except ImportError:  # numpy's private layout moved: every machine is then its own unknown kind
        found = ["unknown"]
    return " ".join([platform.machine(), "+".join(found) or "baseline", openblas_runtime().get("kernel", "other-BLAS")])


def _npz_members(data: bytes, volatile_state: bool) -> dict[str, Any]:
    """An npz's arrays by name; a checkpoint's JSON state as a dict without its elapsed time."""
    out: dict[str, Any] = {}
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        for name in sorted(npz.files):
            if name == "__state__":
                state = json.loads(str(npz[name][()]))
                if volatile_state:
                    state.pop("elapsed", None)
                out[name] = state
            else:
                out[name] = npz[name]
    return out


def _kept_columns(text: str) -> list[list[str]]:
    """metrics.csv's rows (header first) as cells, without the `seconds` column."""
    lines = [line.split(",") for line in text.split("\n") if line]
    drop = lines[0].index("seconds")
    return [[v for i, v in enumerate(row) if i != drop] for row in lines]


def _metrics_table(text: str) -> dict[str, Any]:
    """metrics.csv without its `seconds` column: the header and the rows as floats."""
    kept = _kept_columns(text)
    numbers = np.array([[float(v) if v else np.nan for v in row] for row in kept[1:]], dtype=np.float64)
    return {"header": kept[0], "rows": numbers.reshape(len(kept) - 1, len(kept[0]))}


def _summary(data: bytes) -> dict[str, Any]:
    return {k: v for k, v in json.loads(data).items() if k not in _VOLATILE_SUMMARY}


def _run_files(path: Path) -> Iterator[tuple[Path, bytes]]:
    """Every file a run directory holds (the lock file and folders aside), by name, with its bytes."""
    for file in sorted(path.iterdir()):
        if not file.name.startswith(".") and not file.is_dir():
            yield file, file.read_bytes()


def _kind(file: Path) -> str:
    """How a run file is read and digested: npz, checkpoint (an npz with volatile state), metrics, summary, json,
    text."""
    if file.suffix == ".npz":
        return "checkpoint" if file.name == "checkpoint.npz" else "npz"
    if file.name in ("metrics.csv", "summary.json"):
        return file.stem
    return "json" if file.suffix == ".json" else "text"


_READ = {"npz": lambda d: _npz_members(d, False), "checkpoint": lambda d: _npz_members(d, True),
         "metrics": lambda d: _metrics_table(d.decode()), "summary": _summary, "json": json.loads,
         "text": lambda d: d.decode()}


def read_run_dir(path: Path) -> dict[str, Any]:
    """File name -> its contents (see the module docstring) for every file a run directory holds (the lock aside)."""
    return {file.name: _READ[_kind(file)](data) for file, data in _run_files(path)}


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
    return hashlib.sha256("\n".join(",".join(row) for row in _kept_columns(text)).encode()).hexdigest()


_DIGEST = {"npz": lambda d: _npz_digest(d, False), "checkpoint": lambda d: _npz_digest(d, True),
           "metrics": lambda d: _metrics_digest(d.decode()),
           "summary": lambda d: hashlib.sha256(json.dumps(_summary(d), sort_keys=True).encode()).hexdigest(),
           "json": lambda d: hashlib.sha256(d).hexdigest(), "text": lambda d: hashlib.sha256(d).hexdigest()}


def digest_run_dir(path: Path) -> dict[str, str]:
    """File name -> digest of every file a run directory holds (the lock file aside)."""
    return {file.name: _DIGEST[_kind(file)](data) for file, data in _run_files(path)}


def run_case(name: str, out: Path) -> dict[str, str]:
    """Run one case into `out` and digest what it wrote (`read_run_dir(out)` then reads its contents)."""
    from trainer.errors import DivergedError
    from trainer.runner.run import run

    config, overrides = CASES[name]
    source = str(CONFIGS / config) if isinstance(config, str) else config
    try:
        run(source, out=out, quiet=True, overrides=list(overrides), loggers=[])
    except DivergedError:
        pass
    return digest_run_dir(out)


# golden_values.npz: one entry per leaf, keyed "case|file|path"; dicts, lists and text are JSON strings
def _flatten(contents: dict[str, Any], prefix: str, out: dict[str, np.ndarray]) -> None:
    for key, value in contents.items():
        if isinstance(value, np.ndarray):
            out[f"{prefix}|{key}"] = value
        elif isinstance(value, dict) and (key.endswith(".npz") or key == "metrics.csv"):
            _flatten(value, f"{prefix}|{key}", out)
        else:
            out[f"{prefix}|{key}"] = np.array(json.dumps(value, sort_keys=True))


def save_values(values: dict[str, dict[str, Any]]) -> None:
    flat: dict[str, np.ndarray] = {}
    for case, contents in values.items():
        _flatten(contents, case, flat)
    with GOLDEN_VALUES.open("wb") as f:
        np.savez_compressed(f, **flat)


def load_values(case: str) -> dict[str, Any]:
    """One case's golden contents, in `read_run_dir`'s form."""
    out: dict[str, Any] = {}
    with np.load(GOLDEN_VALUES, allow_pickle=False) as npz:
        for key in npz.files:
            parts = key.split("|")
            if parts[0] != case:
                continue
            value = npz[key]
            if value.dtype.kind == "U":
                value = json.loads(str(value[()]))
            node = out
            for part in parts[1:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
    return out


def assert_contents_close(actual: Any, expected: Any, where: str, rtol: float, atol: float) -> None:
    """`actual` holds what `expected` does: the same keys, text and integers, floats within rtol/atol."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), f"{where}: keys differ"
        for key in expected:
            assert_contents_close(actual[key], expected[key], f"{where}.{key}", rtol, atol)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: lengths differ"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_contents_close(a, e, f"{where}[{i}]", rtol, atol)
    elif isinstance(expected, float) or (isinstance(expected, np.ndarray) and expected.dtype.kind == "f"):
        assert np.shape(actual) == np.shape(expected) and np.asarray(actual).dtype == np.asarray(expected).dtype, where
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True, err_msg=where)
    elif isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray) and actual.dtype == expected.dtype, f"{where}: dtype"
        np.testing.assert_array_equal(actual, expected, err_msg=where)
    else:
        assert actual == expected and type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"


def main() -> None:
    import tempfile

    digests, values = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            digests[name] = run_case(name, Path(tmp) / name)
            values[name] = read_run_dir(Path(tmp) / name)
    golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
    golden[machine_kind()] = digests
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN} ({len(values)} runs, machine kind {machine_kind()!r})", file=sys.stderr)
    if "--values" in sys.argv[1:]:
        save_values(values)
        print(f"wrote {GOLDEN_VALUES}", file=sys.stderr)


if __name__ == "__main__":
    main()
