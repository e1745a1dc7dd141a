"""The run config: pydantic schema, safe YAML loading, `--set` overrides, the registry, and the builders."""

from .experiment import Experiment, build_experiment, validate_experiment
from .loading import load_config, load_raw, schema_keys, validate_raw
from .overrides import apply_overrides, parse_override
from .registry import KINDS, Entry, entries, lookup, names
from .resolve import json_schema, resolved
from .schema import RunConfig
from .yaml_io import parse_yaml, read_yaml

__all__ = [
    "KINDS", "Entry", "Experiment", "RunConfig", "apply_overrides", "build_experiment", "entries", "json_schema",
    "load_config", "load_raw", "lookup", "names", "parse_override", "parse_yaml", "read_yaml", "resolved",
    "schema_keys", "validate_experiment", "validate_raw",
]
