"""`load_config`: a YAML file, a dict or a RunConfig (plus `--set` overrides) -> a validated `RunConfig`."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import UserError
from .messages import user_error
from .overrides import apply_overrides
from .paths import keys_at
from .schema import COMPONENT_SECTIONS, RunConfig, narrow_model, run_config_model
from .yaml_io import is_stream, read_yaml

TOP_LEVEL_HINT = "a config is a mapping with the keys name, seed, data, model, loss, optimizer, scheduler, training"


def schema_keys(path: list[Any], raw: Any) -> list[str] | None:
    """Keys the run schema accepts at `path` (None: cannot tell).

    The top level and the sections that are not components (training, ...) are the same in every
    RunConfig, so `--set seed=3` or `--set training.epochs=5` does not build the full schema.
    """
    if not path or path[0] not in COMPONENT_SECTIONS:
        return keys_at(RunConfig, path, raw)
    return keys_at(run_config_model(), path, raw)


def load_raw(source: str | Path) -> dict[str, Any]:
    """The plain mapping in a YAML config file; clear errors for an empty file or another top level."""
    data = read_yaml(source)
    if data is None:
        raise UserError("the config file is empty", file=str(source), hint=TOP_LEVEL_HINT)
    if not isinstance(data, dict):
        raise UserError(f"the top level of a config must be a mapping of keys, got a {_what(data)}",
                        file=str(source), hint=TOP_LEVEL_HINT)
    return data


def _what(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value),
                                                                                           type(value).__name__)


def validate_raw(raw: Any, file: str | None = None) -> RunConfig:
    """Validate a plain mapping against the schema; a UserError naming the key path otherwise.

    A config is validated against the schema of the types it names (see `schema.narrow_model`); if that
    fails, or cannot decide it, against the full schema, whose result and error messages are the reference.
    """
    if not isinstance(raw, dict):
        raise UserError(f"a config must be a mapping of keys, got a {_what(raw)}", file=file, hint=TOP_LEVEL_HINT)
    narrow = narrow_model(raw)
    if narrow is not None:
        try:
            return narrow.model_validate(raw)
        except ValidationError:
            pass  # the full schema words the error (did-you-mean over every type, the allowed keys)
    try:
        return run_config_model().model_validate(raw)
    except ValidationError as exc:
        raise user_error(exc, raw, file) from None


def load_config(source: str | Path | dict[str, Any] | RunConfig, overrides: Iterable[str] = ()) -> RunConfig:
    """Load and validate a config from a YAML path, a dict or a RunConfig, applying `KEY=VALUE` overrides.

    The result remembers its file (for relative data paths and messages); a dict or RunConfig without
    a file resolves data paths against the working directory.
    """
    overrides = list(overrides)
    path: Path | None = None
    if isinstance(source, RunConfig):
        if not overrides:
            return source
        path = source.source
        raw = source.model_dump(mode="json", by_alias=True, exclude_unset=True)  # so `type` can be switched
    elif isinstance(source, dict):
        raw = copy.deepcopy(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        raw = load_raw(path)
        if is_stream(path):  # read once; relative data paths resolve against the working directory
            file = "<stdin>" if str(path) == "-" else str(path)
            return validate_raw(apply_overrides(raw, overrides, schema_keys) if overrides else raw, file)
    else:
        raise TypeError(f"load_config takes a path, a dict or a RunConfig, not {type(source).__name__}")
    file = str(path) if path is not None else None
    if overrides:
        if not isinstance(raw, dict):
            raise UserError(f"a config must be a mapping of keys, got a {_what(raw)}", file=file, hint=TOP_LEVEL_HINT)
        raw = apply_overrides(raw, overrides, schema_keys)
    return validate_raw(raw, file).with_source(path)
