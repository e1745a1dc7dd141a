"""The base config of an experiment as plain data: what travels to workers, override text, fingerprints.

Runs travel to workers (local processes or Dask) as plain mappings, never as config objects, so
any worker with trainer installed can rebuild them. Relative data paths are made absolute first,
since the config file's folder means nothing on the worker.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from typing import Any

import yaml

from ..config import RunConfig, load_config
from ..config.plugins import code_digests
from ..data.files import resolve_data_path
from ..errors import UserError

EXPERIMENT_KEYS = ("compare", "sweep")


def base_mapping(cfg: RunConfig) -> dict[str, Any]:
    """The config as the user wrote it (keys they set, canonical names), absolute data paths, no experiment blocks.

    Defaults stay out so an override can switch a type (`optimizer.type=sgd`) without the old
    type's filled-in arguments coming along.
    """
    data = cfg.model_dump(mode="json", by_alias=True, exclude_unset=True)
    for key in EXPERIMENT_KEYS:
        data.pop(key, None)
    block = data.get("data")
    if isinstance(block, dict) and isinstance(block.get("path"), str):
        block["path"] = str(resolve_data_path(block["path"], cfg.base_dir))
    return data


def check_config(config: dict[str, Any], what: str) -> None:
    """Validate a planned run's whole config here, before any work; a UserError naming `what` otherwise."""
    try:
        load_config(config)
    except UserError as exc:
        raise UserError(f"{what}: {exc.message}", file=exc.file, key=exc.key, hint=exc.hint) from None


def override_text(key: str, value: Any) -> str:
    """`KEY=VALUE` whose value reads back as exactly `value` when parsed as YAML."""
    text = yaml.safe_dump(plain(value), default_flow_style=True, width=math.inf).strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return f"{key}={text}"


def plain(value: Any) -> Any:
    """`value` with numpy scalars and tuples turned into plain Python (JSON and YAML safe)."""
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, list | dict | str):
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        raise UserError(f"{value} is not a value a config can hold")
    return value


def fingerprint(config: dict[str, Any], overrides: Sequence[str]) -> str:
    """A digest of everything that decides a run's numbers (same digest, same run), plugins' code included."""
    training = config.get("training")
    if isinstance(training, dict) and "loggers" in training:  # trackers watch a run; they never change it
        config = {**config, "training": {k: v for k, v in training.items() if k != "loggers"}}
    content: dict[str, Any] = {"config": config, "overrides": list(overrides)}
    plugins = code_digests(_strings(config) | {o.split("=", 1)[-1].strip() for o in overrides})
    if plugins:
        content["plugins"] = plugins
    text = json.dumps(content, sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _strings(value: Any) -> set[str]:
    """Every string value in a config mapping: the type names it uses are among them."""
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value))
    return {value} if isinstance(value, str) else set()
