"""The config layer: the schema as data (pydantic models from the component catalogue), safe YAML, overrides.

It describes; the build layer (`trainer.build`) constructs.
"""

from .loading import load_config, load_raw, schema_keys, validate_raw
from .overrides import apply_overrides, parse_override
from .registry import KINDS, Entry, LossFacts, entries, lookup, names
from .resolve import resolved
from .schema import RunConfig, json_schema
from .values import parse_value
from .yaml_io import parse_yaml, read_yaml

__all__ = [
    "KINDS", "Entry", "LossFacts", "RunConfig", "apply_overrides", "entries", "json_schema", "load_config",
    "load_raw", "lookup", "names", "parse_override", "parse_value", "parse_yaml", "read_yaml", "resolved",
    "schema_keys", "validate_raw",
]
