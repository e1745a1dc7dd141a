"""What start-up imports: a quiet run never loads typer (nor rich with --json); nn and optim load their parts on use."""

from __future__ import annotations

import importlib.util
import inspect
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import trainer.nn
import trainer.nn.functional
import trainer.optim
import trainer.training
from trainer.autograd import extensions

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "configs" / "seed.yaml"


def _imported(*args: str) -> tuple[int, set[str]]:
    """Exit status and the modules `python -X importtime ARGS` imported."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    return proc.returncode, set(re.findall(r"^import time:.*\| +(\S+)$", proc.stderr, re.M))


@pytest.mark.parametrize("extra", [["--json"], []])
def test_a_quiet_run_never_imports_typer(extra: list[str], tmp_path) -> None:
    code, modules = _imported("-m", "trainer", "run", str(SEED), "-q", *extra, "--set", "training.epochs=2",
                              "--out", str(tmp_path / "run"))
    assert code == 0 and (tmp_path / "run" / "summary.json").exists()
    assert {"trainer.runner.run", "trainer.cli.fast"} <= modules
    assert not {"typer", "click", "trainer.cli.commands"} & modules
    assert "rich" not in modules  # --json prints no table; off a terminal the table is rich's text without rich


def test_a_quiet_run_imports_no_part_its_config_does_not_use(tmp_path) -> None:
    code, modules = _imported("-m", "trainer", "run", str(SEED), "-q", "--set", "training.epochs=2",
                              "--out", str(tmp_path / "run"))
    assert code == 0
    unused = {"trainer.optim.lr_scheduler", "trainer.optim.soap", "trainer.optim.muon_adamw", "trainer.runner.predict",
              "trainer.training.mlflow_log", "trainer.training.tensorboard_log", "trainer.data.csv_file",
              "trainer.data.npz_file", "trainer.data.classification", "trainer.objectives.functions"}
    assert not unused & modules
    families = {f"trainer.autograd.{m}" for m in extensions.MODULES}  # PyTorch's wider surface loads on first use
    assert not families & modules


@pytest.mark.parametrize("preset", [None, "some_plugin"])
def test_the_command_skips_pydantics_plugin_scan_unless_told(preset: str | None, tmp_path) -> None:
    code = ("import os, sys; from trainer.cli.app import main\n"
            f"sys.argv = ['trainer', 'run', {str(SEED)!r}, '-q', '--set', 'training.epochs=2', "
            f"'--out', {str(tmp_path / 'run')!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    status = e.code\n"
            "from pydantic.plugin import _loader\n"
            "print(status, os.environ['PYDANTIC_DISABLE_PLUGINS'], _loader._plugins is None)")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if preset is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = preset
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         env=env).stdout.split()
    assert out[-3:] == (["0", "__all__", "True"] if preset is None else ["0", preset, "False"])


def test_lazy_tables_import_on_first_look_up() -> None:
    code = ("import sys, trainer.data as d; before = 'trainer.data.classification' in sys.modules; "
            "ok = 'moons' in d.DATA_TYPES and len(d.GENERATORS) == 8; f = d.GENERATORS['moons']; "
            "print(before, ok, f is d.moons, 'trainer.data.classification' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["False", "True", "True", "True"]


def test_other_commands_still_go_through_typer() -> None:
    code, modules = _imported("-m", "trainer", "run", "--help")
    assert code == 0 and {"typer", "trainer.cli.commands"} <= modules


def test_the_op_families_load_together_on_first_use() -> None:
    code = ("import sys, trainer; x = trainer.ones(2); before = 'trainer.autograd.math_ops' in sys.modules; "
            "print(before, x.isnan().tolist(), 'trainer.autograd.covariance' in sys.modules, trainer.cat([x]).shape)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["False", "[False,", "False]", "True", "torch.Size([2])"]


def test_the_remainder_operator_loads_the_families_on_first_use() -> None:
    # `%` before any other family op used to import tensor_extras alone, half-initialised when its imports
    # loaded the others (an ImportError); values as PyTorch 2.13's (Python's sign)
    code = "import trainer; print((trainer.tensor([5., -5.]) % 3).tolist(), (5 % trainer.tensor([3., -3.])).tolist())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["[2.0,", "1.0]", "[2.0,", "-1.0]"]


def test_the_stand_ins_are_exactly_the_families_methods() -> None:
    code = ("import trainer; from trainer.autograd import extensions as e; T = trainer.Tensor; "
            "pending = {n for n, v in vars(T).items() if isinstance(v, e.Pending)}; before = dict(vars(T)); e.load(); "
            "print(sorted(pending) == sorted(e.METHODS), [n for n, v in vars(T).items() if before.get(n) is not v "
            "and n not in pending], [n for n in pending if isinstance(vars(T)[n], e.Pending)])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["True", "[]", "[]"]


def test_the_engine_loads_only_what_a_run_uses() -> None:
    code = "import sys, trainer.nn, trainer.optim; trainer.nn.Linear; trainer.optim.Adam; print(*sys.modules)"
    modules = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 timeout=120).stdout.split())
    assert {"trainer.nn.linear", "trainer.optim.adam"} <= modules
    unused = {"trainer.nn.conv", "trainer.nn.pooling", "trainer.nn.functional.conv", "trainer.optim.lr_scheduler",
              "trainer.optim.soap", "trainer.optim.lbfgs", "trainer.nn.loss", "trainer.nn.upsampling"}
    assert not unused & modules


def test_pruning_checkpointing_and_testing_load_on_first_access() -> None:
    code = ("import sys, trainer, trainer.nn.utils, trainer.utils; before = set(sys.modules); "
            "trainer.testing.assert_close; trainer.nn.utils.prune.l1_unstructured; "
            "trainer.utils.checkpoint.checkpoint; "
            "print(*sorted(before), '|', *sorted(set(sys.modules) - before))")
    before, _, after = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                      timeout=120).stdout.partition("|")
    ours = {"trainer.testing", "trainer.nn.utils.prune", "trainer.utils.checkpoint"}
    assert not ours & set(before.split())
    assert ours <= set(after.split())


def test_a_sweeps_own_process_loads_no_run_layer() -> None:
    code = "import sys, trainer.experiments.sweep, trainer.experiments.compare; print(*sys.modules)"
    modules = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 timeout=120).stdout.split())
    assert {"trainer.experiments.worker", "trainer.training.atomic", "trainer.config.schema"} <= modules
    assert not {"trainer.runner", "trainer.build", "trainer.training.loop"} & modules


def test_forkserver_workers_start_with_what_a_run_imports(tmp_path) -> None:
    code = ("import importlib, sys, yaml; from trainer._forkserver import PRELOAD\n"
            "for m in PRELOAD: importlib.import_module(m)\n"
            "before = set(sys.modules); from trainer.experiments import worker\n"
            f"r = worker.execute(yaml.safe_load(open({str(SEED)!r})), ['training.epochs=2'],"
            f" stage={str(tmp_path / 'r')!r})\n"
            "print(r['status'], *sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.split() == ["completed"]


@pytest.mark.parametrize("package", [trainer.nn, trainer.nn.functional, trainer.optim, trainer.training])
def test_every_public_name_resolves_and_is_listed(package) -> None:
    for module in pkgutil.iter_modules(package.__path__):  # a submodule named like a function must not shadow it
        importlib.import_module(f"{package.__name__}.{module.name}")
    assert set(package.__all__) <= set(dir(package))
    for name in package.__all__:
        value = getattr(package, name)
        assert inspect.ismodule(value) == (name in {"functional", "init", "lr_scheduler"}), name
        assert name in vars(package)  # cached after the first look-up
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        package.Nope  # noqa: B018


def test_pytorch_spellings_still_work() -> None:
    from trainer.nn import Conv2d
    from trainer.nn import functional as F
    from trainer.optim import SGD
    from trainer.optim.lr_scheduler import StepLR

    assert Conv2d.__module__ == "trainer.nn.conv" and F.relu.__module__.startswith("trainer.nn.functional")
    assert SGD.__module__ == "trainer.optim.sgd" and trainer.optim.lr_scheduler.StepLR is StepLR


def test_the_import_breakdown_reads_importtime() -> None:
    spec = importlib.util.spec_from_file_location("import_times", ROOT / "tools" / "import_times.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    rows = {row.module: row for row in tool.import_times(["-c", "import json"])}
    assert rows["json"].depth == 0 and rows["json.decoder"].depth == 1
    assert all(row.cumulative_us >= row.self_us >= 0 for row in rows.values())
    assert tool.top(list(rows.values()), 1)[0].cumulative_us == max(r.cumulative_us for r in rows.values())


@pytest.mark.parametrize("package", ["trainer.nn", "trainer.nn.functional", "trainer.optim", "trainer.data",
                                     "trainer.func"])
def test_no_lazy_name_is_also_a_submodule_name(package: str) -> None:
    """Importing a submodule sets the package attribute of its name, so a lazily exported function or class of the
    same name would become that module once anything imports it (F.embedding_bag did after nn.EmbeddingBag).
    trainer.nn.utils keeps `weight_norm`/`spectral_norm` (PyTorch's layout) by its own module class."""
    mod = importlib.import_module(package)
    where = getattr(mod, "_WHERE", {})
    here = Path(mod.__file__).parent
    clashes = [name for name in where if (here / f"{name}.py").exists() or (here / name / "__init__.py").exists()]
    assert not clashes, clashes
