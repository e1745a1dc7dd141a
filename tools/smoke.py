"""Smoke test of the default install: every README command, run with the interpreter of a venv holding
only `pip install -e .` (no test extras, so no pytest). `make smoke` builds that venv and runs this.

Each command runs in a scratch copy of configs/ (so `runs/` lands there), checks its exit code and a
piece of its output, and the whole script exits 1 on the first failure. Usage: PYTHON tools/smoke.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TRAINER = str(BIN / "trainer")

PYTHON_API = """
import trainer

cfg = trainer.load_config("configs/seed.yaml", overrides=["optimizer.lr=0.01"])
result = trainer.run(cfg, out="runs/x", quiet=True)   # .history, .summary, .model, .run_dir
table = trainer.compare(cfg, optimizers=["adam", "sgd"], seeds=3, out="runs/cmp")
rows = trainer.sweep(cfg, grid={"optimizer.lr": [0.01, 0.1]}, jobs=2, out="runs/sw")
assert result.summary["status"] == "completed" and len(result.history) == 200
assert len(table) == 2 and len(rows) == 2
print("api ok")
"""

ENGINE_API = """
import trainer
from trainer import nn
from trainer.nn import functional as F

trainer.manual_seed(0)
x = trainer.randn(100, 3)
y = x @ trainer.tensor([[0.2], [-1.3], [-0.5]]) + trainer.randn(100, 1)
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = trainer.optim.Adam(model.parameters(), lr=0.08)
loss_fn = nn.MSELoss(reduction="sum")            # or F.mse_loss(pred, y, reduction="sum")
for epoch in range(1, 201):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
assert float(F.mse_loss(model(x), y, reduction="sum").item()) < 100
print("engine ok")
"""


def check(args: list[str], *, code: int = 0, out: str | None = None, err: str | None = None, cwd: Path,
          stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one command; fail the smoke test unless it exits `code` and prints `out` / `err`."""
    started = time.monotonic()
    done = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    shown = " ".join(a if len(a) < 60 else a[:57] + "..." for a in args[1:]).replace("\n", " ")
    problems = []
    if done.returncode != code:
        problems.append(f"exit {done.returncode}, expected {code}")
    if out is not None and out not in done.stdout:
        problems.append(f"stdout lacks {out!r}")
    if err is not None and err not in done.stderr:
        problems.append(f"stderr lacks {err!r}")
    if "Traceback" in done.stderr or "trainer has a bug" in done.stderr:
        problems.append("a traceback / bug message")
    if problems:
        print(f"FAIL {shown}: {'; '.join(problems)}")
        print(textwrap.indent(f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}", "    "))
        sys.exit(1)
    print(f"ok   {shown}  ({time.monotonic() - started:.1f}s)")
    return done


def main() -> None:
    """Every command of the README (and a few more) in a scratch directory."""
    work = Path(tempfile.mkdtemp(prefix="trainer-smoke-"))
    try:
        shutil.copytree(ROOT / "configs", work / "configs")
        run = lambda *a, **kw: check([TRAINER, *a], cwd=work, **kw)
        run("--help", out="compare")
        run("--version", out="trainer ")
        for command in ("run", "validate", "list", "schema", "compare", "sweep", "status", "show", "runs", "export",
                        "predict", "evaluate", "benchmark"):
            run(command, "--help", out="Usage")
        # Training one config
        run("run", "configs/seed.yaml", out="run completed")
        run("run", "configs/seed.yaml", "--set", "optimizer.lr=0.01", "--set", "model.layers.0.out_features=64",
            out="run completed")
        run("run", "configs/seed.yaml", "--out", "runs/mine", "--quiet", "--set", "training.checkpoint_every=50",
            out="run completed")
        run("run", "--resume", "runs/mine", "--set", "training.epochs=300", out="epochs 300/300")
        done = run("run", "configs/seed.yaml", "--json")
        assert json.loads(done.stdout)["status"] == "completed"
        run("validate", "configs/spirals.yaml", out="ok")
        run("list", out="adam")
        done = run("schema")
        (work / "trainer.schema.json").write_text(done.stdout)
        assert "properties" in json.loads(done.stdout)
        cfg = (work / "configs/seed.yaml").read_text()
        run("validate", "-", stdin=cfg, out="ok")
        run("run", "-", "--quiet", stdin=cfg, out="run completed")  # README: cat configs/seed.yaml | trainer run -
        run("run", "configs/seed.yaml", "--quiet", "--out", "runs/ascii", env={"PYTHONIOENCODING": "ascii"},
            out="run completed")
        # Comparing optimizers (loss_curves.png needs matplotlib, a default dependency)
        run("compare", "configs/seed.yaml", "--optimizers", "adam,sgd,rmsprop,adagrad", out="--optimizers sgd:lr=")
        run("compare", "configs/seed.yaml", "--optimizers", "adam:lr=0.08,sgd:lr=0.01:momentum=0.9", "--seeds", "3",
            out="loss_curves.png")
        assert list(work.glob("runs/*/compare-*/loss_curves.png")), "no loss_curves.png"
        # Test functions
        run("run", "configs/rosenbrock.yaml", "--quiet", out="run completed")
        run("compare", "configs/rosenbrock.yaml", "--out", "runs/paths", out="trajectories.png")
        assert (work / "runs/paths/trajectories.gif").is_file(), "no trajectories.gif"
        run("compare", "configs/objectives/noisy_quadratic.yaml", "--seeds", "2", "--out", "runs/nqm", out="adam")
        run("list", "objective", out="styblinski_tang")
        # Sweeps
        run("sweep", "configs/seed.yaml", "--grid", "optimizer.lr=0.001,0.01,0.1", "--grid",
            "optimizer.type=adam,sgd", "--jobs", "2", out="results.csv")
        run("sweep", "configs/seed.yaml", "--random", "20", "--range", "optimizer.lr=1e-4:1e-1:log", "--seeds", "3",
            "--top", "5", out="top 5 of 20 points")
        # the dask extra is not in the default install: a clear message, exit 2
        run("sweep", "configs/seed.yaml", "--grid", "optimizer.lr=0.01", "--executor", "dask", "--address",
            "tcp://127.0.0.1:8786", "--out", "runs/dask", code=2, err="pip install -e '.[dask]'")
        # so is the datasets extra (scikit-learn): the digits configs say how to install it
        run("run", "configs/digits_cnn.yaml", code=2, err="pip install -e '.[datasets]'")
        run("validate", "configs/digits_mlp.yaml", code=2, err="pip install -e '.[datasets]'")
        # model-based search needs the search extra (Optuna); trackers need theirs
        run("sweep", "configs/spirals.yaml", "--search", "tpe", "--trials", "4", "--range",
            "optimizer.lr=1e-4:1e-1:log", code=2, err="pip install -e '.[search]'")
        run("run", "configs/seed.yaml", "--logger", "tensorboard", code=2, err="pip install -e '.[tensorboard]'")
        run("export", "mlflow", "runs/mine", code=2, err="pip install -e '.[mlflow]'")
        # After training
        run("run", "configs/spirals.yaml", "--quiet", "--out", "runs/spirals", out="run completed")
        (work / "new.csv").write_text("x0,x1\n0.5,0.1\n-0.3,0.8\n")
        done = run("predict", "runs/spirals", "new.csv")
        assert len(done.stdout.split()) == 2, done.stdout
        run("evaluate", "runs/spirals", out="val_loss")
        run("status", "runs/spirals", out="completed")
        run("status", "runs/paths", out="done")
        run("show", "runs/spirals", "--no-plot", out="val_loss")
        run("runs", out="runs/spirals")
        run("list", "optimizers", out="adam")
        # Bring your own optimizer
        plugin = ("--plugin", "configs/plugins/sign_descent.py")
        run("run", "configs/plugins/sign_descent.yaml", *plugin, out="run completed")
        run("compare", "configs/seed.yaml", *plugin, "--optimizers", "sign_descent:lr=0.02,adam", out="sign_descent")
        run("list", "optimizer", *plugin, out="sign_descent")
        run("run", "configs/plugins/sign_descent.yaml", code=2, err="--plugin")
        # From Python
        check([sys.executable, "-c", PYTHON_API], cwd=work, out="api ok")
        check([sys.executable, "-c", ENGINE_API], cwd=work, out="engine ok")
        check([sys.executable, "-c", "import trainer; print(trainer.__version__)"], cwd=work, out=".")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("smoke: every command passed")


if __name__ == "__main__":
    main()
