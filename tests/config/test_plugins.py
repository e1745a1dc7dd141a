"""Plugins: a file or module adds optimizers (and registered losses and layers) to the catalogue and schema."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import trainer
from trainer.config import entries, load_config, lookup, names
from trainer.config.describe import describe
from trainer.config.plugins import forget_plugins, load_plugin, loaded_plugins
from trainer.config.registration import snake_case
from trainer.config.registry import LossFacts
from trainer.errors import UserError

from .helpers import seed, user_error

ROOT = Path(__file__).resolve().parents[2]
SIGN_DESCENT = ROOT / "configs" / "plugins" / "sign_descent.py"


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    """Every test starts and ends with the built-in catalogue only."""
    forget_plugins()
    yield
    forget_plugins()


def plugin(tmp_path: Path, text: str, name: str = "my_opts.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


OPTIMIZER = """\
import trainer
from trainer.optim import SGD, Optimizer   # imported, not defined here: not registered again


class HalfStep(Optimizer):
    \"\"\"Half a gradient step.\"\"\"

    def __init__(self, params, lr: float = 0.1, scale: float = 0.5, mode: str = "plain"):
        super().__init__(params, {"lr": lr, "scale": scale})

    @trainer.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(p.grad, alpha=group["lr"] * group["scale"])


class _Helper(Optimizer):
    pass
"""


@pytest.mark.parametrize(("name", "snake"), [("SignDescent", "sign_descent"), ("SGD2", "sgd2"),
                                             ("MyADAMW", "my_adamw"), ("ADOPT", "adopt"), ("AdaBelief", "ada_belief")])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_a_plugin_file_defines_optimizer_types(tmp_path: Path) -> None:
    path = plugin(tmp_path, OPTIMIZER)
    load_plugin(str(path))
    entry = lookup("optimizer", "half_step")
    assert entry.reference == f"plugin: {path}" and entry.plugin == str(path)
    assert lookup("optimizer", "optim_half_step") is entry
    assert "_helper" not in names("optimizer") and names("optimizer").count("sgd") == 1
    info = describe(entry)
    assert [a["name"] for a in info["arguments"]] == ["lr", "scale", "mode"]
    assert info["summary"] == "Half a gradient step."
    cfg = load_config(seed(optimizer={"type": "half_step", "scale": 0.25}))
    assert cfg.optimizer.type == "half_step" and cfg.optimizer.scale == 0.25
    assert "Optimizer_half_step" in str(trainer.config.json_schema())
    result = trainer.run(cfg, out=tmp_path / "run", overrides=["training.epochs=3"])
    assert result.summary["status"] == "completed"


def test_loading_twice_is_loading_once(tmp_path: Path) -> None:
    path = plugin(tmp_path, OPTIMIZER)
    first = load_plugin(str(path))
    assert load_plugin(str(path)) is first and loaded_plugins() == (first,)
    assert first.source == path.read_text()


@pytest.mark.parametrize(("changes", "key", "message"), [
    ({"scal": 1.0}, "optimizer.scal", "did you mean 'scale'"),
    ({"scale": "big"}, "optimizer.scale", "expected a number"),
    ({"type": "half_stp"}, "optimizer.type", "did you mean 'half_step'"),
])
def test_bad_arguments_name_the_key(tmp_path: Path, changes: dict, key: str, message: str) -> None:
    load_plugin(str(plugin(tmp_path, OPTIMIZER)))
    err = user_error(load_config, seed(optimizer={"type": "half_step", **changes}))
    assert err.key == key and message in err.message


def test_an_unknown_type_hints_at_plugin() -> None:
    err = user_error(load_config, seed(optimizer={"type": "sign_descent"}))
    assert err.key == "optimizer.type" and "--plugin" in err.hint


@pytest.mark.parametrize("key", ["plugin", "plugins"])
def test_a_plugin_key_in_a_config_is_refused(key: str) -> None:
    err = user_error(load_config, {**seed(), key: str(SIGN_DESCENT)})
    assert err.key == key and "cannot load code" in err.message and "--plugin" in err.hint
    assert not loaded_plugins()


def test_register_optimizer_with_a_name(tmp_path: Path) -> None:
    load_plugin(str(plugin(tmp_path, OPTIMIZER + "\ntrainer.register_optimizer(HalfStep, name='halfway')\n")))
    assert "halfway" in names("optimizer") and "half_step" not in names("optimizer")


def test_register_optimizer_from_python() -> None:
    from trainer.optim import Optimizer

    class Still(Optimizer):
        def __init__(self, params, lr: float = 0.1):
            super().__init__(params, {"lr": lr})

        def step(self, closure=None):
            return None

    assert trainer.register_optimizer(Still, name="still") is Still
    assert trainer.register_optimizer(Still, name="still") is Still  # the same class again: no-op
    assert lookup("optimizer", "still").load() is Still
    assert load_config(seed(optimizer={"type": "still", "lr": 0.5})).optimizer.lr == 0.5


def test_clashes_are_errors(tmp_path: Path) -> None:
    clash = plugin(tmp_path, """\
        from trainer.optim import Optimizer

        class Adam(Optimizer):
            def __init__(self, params, lr: float = 0.1):
                super().__init__(params, {"lr": lr})
        """, "clash.py")
    err = user_error(load_plugin, str(clash))
    assert "clashes with the built-in optimizer 'adam'" in err.message and "name=" in err.hint
    load_plugin(str(plugin(tmp_path, OPTIMIZER)))
    other = plugin(tmp_path, OPTIMIZER, "other.py")  # another HalfStep class under the same name
    err = user_error(load_plugin, str(other))
    assert "registered twice" in err.message
    err = user_error(trainer.register_optimizer, int)
    assert "subclass of trainer.optim.Optimizer" in err.message
    err = user_error(trainer.register_optimizer, lookup("optimizer", "half_step").load(), name="Bad Name")
    assert "not a YAML type name" in err.message


def test_module_name_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "mypkg_plugins"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "opts.py").write_text(OPTIMIZER)
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded = load_plugin("mypkg_plugins.opts")
    assert loaded.by_name and loaded.source == OPTIMIZER  # the text, for workers that cannot import it
    assert lookup("optimizer", "half_step").plugin == "mypkg_plugins.opts"


def test_plugins_that_cannot_be_imported(tmp_path: Path) -> None:
    err = user_error(load_plugin, str(tmp_path / "missing.py"))
    assert err.file == str(tmp_path / "missing.py") and "not found" in err.message and "--plugin" in err.hint
    err = user_error(load_plugin, "no_such_plugin_module")
    assert "no plugin file or module named 'no_such_plugin_module'" in err.message
    bad = plugin(tmp_path, "x = 1\ndef f(:\n", "syntax.py")
    err = user_error(load_plugin, str(bad))
    assert err.file == str(bad) and "syntax error, line 2" in err.message
    boom = plugin(tmp_path, "def f():\n    raise RuntimeError('boom')\n\nf()\n", "boom.py")
    err = user_error(load_plugin, str(boom))
    assert "RuntimeError: boom" in err.message and f'File "{boom}", line 2, in f' in err.message
    assert "trainer/config" not in err.message  # only the plugin's frames
    assert all(e.plugin is None for e in entries("optimizer"))  # nothing half-registered


def test_an_interrupt_while_a_plugin_builds_its_classes_stays_an_interrupt(tmp_path: Path) -> None:
    # Python 3.11 wraps a KeyboardInterrupt raised in `__set_name__` (pydantic's hooks) in a RuntimeError:
    # it must come out as the interrupt (the run was stopped), not as "the plugin failed".
    stopping = plugin(tmp_path, """\
        class Stop:
            def __set_name__(self, owner, name):
                raise KeyboardInterrupt("SIGTERM")

        class Model:
            check = Stop()
        """, "stopping.py")
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        load_plugin(str(stopping))


def test_an_argument_no_config_can_set_is_an_error(tmp_path: Path) -> None:
    path = plugin(tmp_path, """\
        from collections.abc import Callable
        from trainer.optim import Optimizer

        class Needy(Optimizer):
            def __init__(self, params, fn: Callable[[float], float], lr: float = 0.1):
                super().__init__(params, {"lr": lr})
        """, "needy.py")
    err = user_error(load_plugin, str(path))
    assert "optimizer type 'needy' cannot be configured" in err.message


LOSS_AND_LAYER = """\
import trainer
from trainer import nn


class Cube(nn.Module):
    \"\"\"x**3, elementwise.\"\"\"

    def __init__(self, scale: float = 1.0):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        return self.scale * x * x * x


class Dense(nn.Module):
    \"\"\"A Linear by another name (in_features inferred).\"\"\"

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.inner = nn.Linear(in_features, out_features)

    def forward(self, x):
        return self.inner(x)


class QuarticLoss(nn.Module):
    \"\"\"Mean fourth power of the error.\"\"\"

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, output, target):
        d = output - target
        return (d * d * d * d).mean()


trainer.register_layer(Cube)
trainer.register_layer(Dense, name="dense")
trainer.register_loss(QuarticLoss, name="quartic")
"""


def test_registered_loss_and_layer_from_yaml(tmp_path: Path) -> None:
    load_plugin(str(plugin(tmp_path, LOSS_AND_LAYER, "parts.py")))
    assert lookup("loss", "quartic").loss == LossFacts("regression", False)
    assert lookup("layer", "dense").inferred == ("in_features",)
    cfg = load_config(seed(model={"layers": [{"type": "dense", "out_features": 8}, {"type": "cube", "scale": 0.5},
                                             {"type": "linear", "out_features": 1}]},
                           loss="quartic", optimizer={"type": "sgd", "lr": 0.001}))
    result = trainer.run(cfg, out=tmp_path / "run", overrides=["training.epochs=3"])
    assert result.summary["status"] == "completed"
    err = user_error(load_config, seed(model={"layers": [{"type": "cube", "scal": 1}, "linear"]}))
    assert err.key == "model.layers.0.scal"
    err = user_error(load_config, seed(loss={"type": "quartic", "reduction": "max"}))
    assert err.key == "loss.reduction"


def test_a_loss_states_its_facts(tmp_path: Path) -> None:
    load_plugin(str(plugin(tmp_path, LOSS_AND_LAYER, "parts.py")))
    from trainer import nn

    class Hinge(nn.Module):
        def forward(self, output, target):
            return output.mean()

    facts = LossFacts("sign", True)
    trainer.register_loss(Hinge, facts=facts)
    assert lookup("loss", "hinge").loss is facts
    with pytest.raises(UserError, match="facts must be"):
        trainer.register_loss(Hinge, name="hinge2", facts="sign")


def test_an_objective_config_still_validates_once_a_plugin_is_loaded(tmp_path: Path) -> None:
    """The plugin-extended schema keeps the base schema's either/or: an objective needs no model or loss."""
    load_plugin(str(plugin(tmp_path, OPTIMIZER)))
    cfg = load_config(str(ROOT / "configs" / "rosenbrock.yaml"), ["optimizer.type=half_step"])
    assert cfg.objective is not None and cfg.model is None and cfg.optimizer.type == "half_step"


FLATTENING_LOSS = """\
import trainer
from trainer import nn
from trainer.nn import functional as F


class FlatTargetMSE(nn.Module):
    \"\"\"mse against the targets flattened to (n,): PyTorch broadcasts that into an (n, n) loss, with a warning.\"\"\"

    def __init__(self, reduction: str = "mean"):
        super().__init__()

    def forward(self, output, target):
        return F.mse_loss(output, target.reshape(-1))


trainer.register_loss(FlatTargetMSE, name="flat_target_mse")
"""


def test_a_loss_that_broadcasts_its_target_is_refused_before_training(tmp_path: Path) -> None:
    """F.mse_loss broadcasts mismatched shapes as PyTorch does (warning); a run turns that warning into its error."""
    load_plugin(str(plugin(tmp_path, FLATTENING_LOSS, "flat.py")))
    cfg = load_config(seed(loss="flat_target_mse"))
    err = user_error(trainer.run, cfg, out=tmp_path / "run")
    assert err.key == "loss" and "Using a target size (torch.Size([2])) that is different" in str(err)
