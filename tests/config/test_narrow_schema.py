"""A config validated against the schema of the types it names gives exactly what the full schema gives."""

from __future__ import annotations

import copy
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from trainer.config import introspect, load_config, schema
from trainer.config.loading import load_raw, schema_keys
from trainer.config.messages import user_error
from trainer.config.paths import keys_at
from trainer.config.registry import KINDS, Entry, entries
from trainer.config.schema import RunConfig, narrow_model, run_config_model
from trainer.config.sections import WRAPPERS, can_be_child
from trainer.errors import UserError

from .helpers import SEED

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
PLAIN_CONFIGS = sorted([*CONFIGS.glob("*.yaml"), *(CONFIGS / "objectives").glob("*.yaml")])


def _value(arg: introspect.Argument) -> Any:
    """A value a required argument accepts, from its type."""
    text = introspect.format_type(arg.annotation)
    if text.startswith("'"):
        return text.split("'")[1]
    for prefix, value in (("int", 2), ("float", 0.5), ("str", "x"), ("list[int", [2, 3]), ("list[float", [0.5])):
        if text.startswith(prefix):
            return value
    raise AssertionError(f"no sample value for {arg.name}: {text}")


def block(e: Entry, alias: bool = False) -> dict[str, Any]:
    """`{type: ..., every argument}`: required ones with a sample value, the others with their default spelled out."""
    out: dict[str, Any] = {"type": e.names[-1] if alias else e.name}
    for arg in introspect.arguments(e):
        default = list(arg.default) if isinstance(arg.default, tuple) else arg.default
        out[arg.name] = _value(arg) if arg.required else default
    return out


def network(**sections: Any) -> dict[str, Any]:
    return {**copy.deepcopy(SEED), **sections}


def _generated() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for e in entries("data"):
        cases.append((f"data-{e.name}", network(data=block(e))))
    for e in entries("layer"):
        layers = [{"type": "linear", "out_features": 4}, block(e, alias=True), {"type": "linear", "out_features": 1}]
        cases.append((f"layer-{e.name}", network(model={"layers": layers})))
    for e in entries("init"):
        layer = {"type": "linear", "out_features": 1, "init": {"weight": block(e), "bias": "zeros"}}
        cases.append((f"init-{e.name}", network(model={"layers": [layer]})))
    cases.append(("init-shorthand", network(model={"layers": [{"type": "linear", "out_features": 1,
                                                                 "init": "xavier_uniform"}, "relu"]})))
    for e in entries("loss"):
        cases.append((f"loss-{e.name}", network(loss=block(e, alias=True))))
    for e in entries("optimizer"):
        opt = block(e)
        if e.name in WRAPPERS:
            opt["optimizer"] = {"type": "adam", "lr": 0.01}
        cases.append((f"optimizer-{e.name}", network(optimizer=opt)))
    cases.append(("optimizer-param-groups", network(optimizer={"type": "sgd", "lr": 0.1, "param_groups": [
        {"layers": [0], "lr": 0.01, "momentum": 0.9}]})))
    cases.append(("optimizer-muon", network(optimizer={"type": "muon", "lr": 0.02, "adamw": {"lr": 0.001}})))
    for e in entries("scheduler"):
        sched = block(e, alias=True)
        if e.composite:
            sched["schedulers"] = [block(c) for c in entries("scheduler") if can_be_child(c)]
        cases.append((f"scheduler-{e.name}", network(scheduler=sched)))
    for e in entries("objective"):
        cases.append((f"objective-{e.name}", {"objective": block(e), "optimizer": {"type": "sgd", "lr": 0.01}}))
    return cases


GENERATED = _generated()


def assert_same(raw: dict[str, Any]) -> None:
    narrow, full = narrow_model(raw), run_config_model()
    assert narrow is not None and narrow is not full and issubclass(narrow, RunConfig)
    a, b = narrow.model_validate(copy.deepcopy(raw)), full.model_validate(copy.deepcopy(raw))
    assert isinstance(a, RunConfig) and isinstance(b, RunConfig)
    assert a.model_dump() == b.model_dump()
    assert a.model_dump(mode="json", by_alias=True) == b.model_dump(mode="json", by_alias=True)
    assert a.model_dump(mode="json", exclude_unset=True) == b.model_dump(mode="json", exclude_unset=True)
    assert a.resolved() == b.resolved()
    assert type(load_config(raw)) is narrow  # what load_config uses


@pytest.mark.parametrize("path", PLAIN_CONFIGS, ids=lambda p: p.stem)
def test_every_config_validates_the_same_narrow_and_full(path):
    assert_same(load_raw(path))


@pytest.mark.parametrize("raw", [raw for _, raw in GENERATED], ids=[name for name, _ in GENERATED])
def test_every_registered_type_validates_the_same_narrow_and_full(raw):
    assert_same(raw)


def test_every_registered_type_is_generated():
    named = {name for name, _ in GENERATED}
    assert {f"{k}-{e.name}" for k in KINDS for e in entries(k)} <= named


def _members(tp: Any, deep: bool = False) -> set[str]:
    """The `type` names of the models in a (tagged, optional, list-of) union; `deep`: in their fields too."""
    out: set[str] = set()
    for arg in typing.get_args(tp) or (tp,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            if "type" in arg.model_fields:
                out.add(arg.registry_entry.name)
            if deep or "type" not in arg.model_fields:
                out |= {n for f in arg.model_fields.values() for n in _members(f.annotation, deep)}
        elif typing.get_args(arg):
            out |= _members(arg, deep)
    return out


def test_the_narrow_schema_holds_only_the_named_types():
    raw = network(optimizer={"type": "lookahead", "optimizer": {"type": "sgd", "lr": 0.1}},
                  scheduler={"type": "sequential", "milestones": [2],
                             "schedulers": [{"type": "linear"}, {"type": "step", "step_size": 2}]})
    model = narrow_model(raw)
    fields = model.model_fields
    assert _members(fields["data"].annotation, deep=True) == {"linear"}
    assert _members(fields["model"].annotation, deep=True) == {"linear", "relu"}  # and no initialiser
    assert _members(fields["loss"].annotation, deep=True) == {"mse"}
    assert _members(fields["optimizer"].annotation, deep=True) == {"lookahead", "sgd"}  # and its inner block
    assert _members(fields["scheduler"].annotation, deep=True) == {"sequential", "linear", "step"}
    assert _members(fields["objective"].annotation, deep=True) == set()
    assert narrow_model(copy.deepcopy(raw)) is model  # cached by the types named


@pytest.mark.parametrize("raw", [
    [1, 2],
    network(loss={"type": "mse_typo"}),
    network(loss={"reduction": "sum"}),
    network(loss=3),
    network(data={"type": ["linear"]}),
    network(model={"layers": "relu"}),
    network(model={"layers": [{"type": "linear", "out_features": 1, "init": ["zeros"]}]}),
    network(optimizer={"type": "lookahead", "optimizer": {"type": "lookahead"}}),
    network(scheduler={"type": "sequential", "milestones": [1], "schedulers": [{"type": "plateau"}]}),
    network(scheduler={"type": "chained", "schedulers": []}),
    {k: v for k, v in SEED.items() if k != "optimizer"},
], ids=["not-a-mapping", "unknown-type", "missing-type", "not-a-section", "unhashable-type", "layers-not-a-list",
        "init-not-a-mapping", "wrapper-in-wrapper", "plateau-child", "no-children", "no-optimizer"])
def test_what_only_the_full_schema_decides_goes_to_it(raw):
    assert narrow_model(raw) is None


@pytest.mark.parametrize("raw", [
    network(optimizer={"type": "adam", "lr": -1.0}),
    network(optimizer={"type": "adam", "lrr": 0.1}),
    network(model={"layers": [{"type": "linear"}]}),
    network(model={"layers": []}),
    network(objective={"type": "rosenbrock"}),
    network(data=None),
])
def test_a_config_the_narrow_schema_refuses_gets_the_full_schemas_message(raw):
    assert narrow_model(raw) is not None
    with pytest.raises(ValidationError) as full:
        run_config_model().model_validate(raw)
    expected = user_error(full.value, raw)
    with pytest.raises(UserError) as got:
        load_config(raw)
    assert (got.value.message, got.value.key, got.value.hint) == (expected.message, expected.key, expected.hint)


def test_a_config_only_the_full_schema_accepts_is_validated_by_it():
    raw = network(model={"layers": [{"type": "linear", "out_features": 1, "init": {}}]})  # no init type named
    with pytest.raises(ValidationError):
        narrow_model(raw).model_validate(raw)
    cfg = load_config(raw)
    assert type(cfg) is run_config_model() and cfg.model_dump() == run_config_model().model_validate(raw).model_dump()


def test_importing_the_config_runner_and_build_layers_builds_no_component_model():
    code = ("import trainer.runner, trainer.build, trainer.config, trainer.config.schema\n"
            "from trainer.config import components, sections, schema\n"
            "built = [n for n in dir(sections) if hasattr(getattr(sections, n), 'cache_info')\n"
            "         and getattr(sections, n).cache_info().currsize]\n"
            "print(built, len(components.MODELS), schema.model_for.cache_info().currsize)\n"
            "from trainer.config import load_config\n"
            "raw = {'data': 'sine', 'model': {'layers': ['relu']}, 'loss': 'mse', 'optimizer': 'sgd'}\n"
            "cfg = load_config(raw, ['seed=3', 'training.early_stopping.patience=2', 'name=x'])\n"
            "print(cfg.seed, schema.model_for.cache_info().currsize, schema._full_at.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "0", "0", "3", "1", "0"]  # a run (with overrides) builds its narrow schema only


@pytest.mark.parametrize("path", [[], ["seed"], ["training"], ["training", "early_stopping"], ["compare"],
                                  ["optimizer"], ["model", "layers", "0"], ["scheduler"], ["data"]])
def test_keys_for_overrides_are_the_full_schemas(path):
    raw = network(scheduler={"type": "step", "step_size": 2}, training={"early_stopping": {"patience": 3}})
    assert schema_keys(path, raw) == keys_at(run_config_model(), path, raw)


def test_the_old_module_level_names_still_work():
    assert _members(schema.DataSpec) == {e.name for e in entries("data")}
    assert _members(schema.LayerSpec) == {e.name for e in entries("layer")}
    assert _members(schema.LossSpec) == {e.name for e in entries("loss")}
    assert _members(schema.OptimizerSpec) == {e.name for e in entries("optimizer")}
    assert _members(schema.SchedulerSpec) == {e.name for e in entries("scheduler")}
    assert _members(schema.ObjectiveSpec) == {e.name for e in entries("objective")}
    assert _members(schema.InitSpec) == {e.name for e in entries("init")}
    assert schema.MuonAdamW is schema.MuonAdamW and schema.MuonAdamW().lr == 0.001
    with pytest.raises(AttributeError):
        schema.NoSuchName  # noqa: B018
