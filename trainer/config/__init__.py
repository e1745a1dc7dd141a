"""The config layer: the schema as data (pydantic models from the component catalogue), safe YAML, overrides.

It describes; the build layer (`trainer.build`) constructs. Names load on first use, so importing the
catalogue (`trainer.config.registry`) does not build the schema, which reads every component's signature.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {  # name -> the submodule defining it
    "load_config": "loading", "load_raw": "loading", "schema_keys": "loading", "validate_raw": "loading",
    "apply_overrides": "overrides", "parse_override": "overrides",
    "KINDS": "registry", "Entry": "registry", "LossFacts": "registry", "entries": "registry", "lookup": "registry",
    "names": "registry",
    "resolved": "resolve", "RunConfig": "schema", "json_schema": "schema", "parse_value": "values",
    "parse_yaml": "yaml_io", "read_yaml": "yaml_io",
}


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_NAMES})


__all__ = sorted(_NAMES)
